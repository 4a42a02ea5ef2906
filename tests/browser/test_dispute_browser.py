"""In a real browser on a phone: gm01 logs a dispute and escalates it to med01;
med01 finds it in the queue and resolves it with a written agreement; the case page then shows
已化解 and the 30-day window for judicial confirmation.

Reuses the browser fixtures of ``test_login_browser`` (Debian's Chromium, a phone-sized
context on the live server with the demo town committed).
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from disputes import deadlines
from disputes.models import Dispute
from grid.models import Staff
from tests.browser.shell import open_menu
from tests.browser.test_login_browser import (  # noqa: F401 - fixtures
    PHONE,
    blank_phone,
    browser,
    log_in,
    phone,
)
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

SCREENSHOTS = "/tmp/dispute-{n}-{name}.png"  # looked at by people, not asserted
WIDTH = PHONE["viewport"]["width"]


def shot(page, n, name, at=None):
    """One phone screen, scrolled to ``at`` if given (a whole page is too tall to read)."""
    if at is not None:
        at.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS.format(n=n, name=name))


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def log_out(page):
    open_menu(page)
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def test_grid_member_logs_and_escalates_a_dispute_mediator_resolves_it_on_a_phone(phone):  # noqa: F811
    med01 = Staff.objects.get(user__username="med01")
    today = timezone.localdate()

    # --- gm01 logs the dispute from the navigation's 登记纠纷. -----------------------------
    log_in(phone, "gm01")
    phone.get_by_role("link", name="登记纠纷").first.click()
    phone.wait_for_load_state()
    assert urlsplit(phone.url).path == "/disputes/new/"
    form = phone.get_by_test_id("dispute-form")
    assert "黄寨村第1网格" in form.locator("#id_small_grid option:checked").inner_text()
    phone.fill("#id_title", "周某与吴某鸡舍异味纠纷")
    phone.select_option("#id_category", label="邻里")
    phone.fill("#id_description", "吴某在院内新建鸡舍，异味影响周某一家生活。")
    phone.fill("#id_parties-0-name", "周建华")
    phone.fill("#id_parties-0-phone", "13987654321")
    assert fits_the_phone(phone)
    shot(phone, 1, "intake-top")
    shot(phone, 1, "intake-party", at=phone.locator("#id_parties-0-phone"))
    phone.get_by_role("button", name="提交登记").click()
    phone.wait_for_load_state()

    # --- The case page, then escalation to med01. ------------------------------------------
    match = re.fullmatch(r"/disputes/(\d+)/", urlsplit(phone.url).path)
    assert match, phone.url
    dispute = Dispute.objects.get(pk=int(match[1]))
    assert phone.locator("h1").inner_text() == "周某与吴某鸡舍异味纠纷"
    assert phone.get_by_test_id("state").inner_text() == "网格员调解"
    assert "已登记纠纷" in phone.locator(".messages").inner_text()
    assert fits_the_phone(phone)
    shot(phone, 2, "case")
    shot(phone, 2, "case-parties", at=phone.get_by_test_id("party").first)

    escalate = phone.get_by_test_id("action-escalate")
    escalate.locator("summary").click()
    escalate.locator("textarea[name=note]").fill("两次入户劝解，双方仍有分歧。")
    # The mediator picker (static/js/picker.js) offers med01, a mediator of 黄寨村, found by
    # typing (tests/browser/test_mediator_picker_browser.py walks it in detail).
    escalate.locator("#id_escalate_mediator_search").fill(med01.name[:2])
    escalate.locator("#id_escalate_mediator").locator("..").get_by_role("option").filter(
        has_text=med01.name).first.click()
    escalate.get_by_role("button", name=re.compile("确认")).click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("state").inner_text() == "调解员调解"
    assert phone.get_by_test_id("handler").inner_text() == med01.name
    assert phone.get_by_test_id("actions").count() == 0, "gm01 may no longer act on it"
    log_out(phone)

    # --- med01 finds it in 我的待办 and resolves it with a written agreement. --------------
    log_in(phone, "med01")
    phone.get_by_role("link", name="我的待办").first.click()
    phone.wait_for_load_state()
    item = phone.get_by_test_id("queue-item").filter(has_text=dispute.number)
    assert item.count() == 1
    assert fits_the_phone(phone)
    shot(phone, 3, "queue")
    item.get_by_role("link", name=dispute.number).click()
    phone.wait_for_load_state()
    assert urlsplit(phone.url).path == f"/disputes/{dispute.pk}/"

    # The parties are told their rights and duties before a written agreement (若干规定 第三十条).
    rights = phone.get_by_test_id("action-notify_rights")
    rights.locator("summary").click()
    rights.locator("input[name=notified_on]").fill(today.isoformat())
    rights.locator("select[name=method]").select_option("written")
    rights.get_by_role("button", name=re.compile("确认")).click()
    phone.wait_for_load_state()
    assert today.isoformat() in phone.get_by_test_id("rights-notified").inner_text()

    resolve = phone.get_by_test_id("action-resolve")
    resolve.locator("summary").click()
    resolve.locator("textarea[name=outcome]").fill("经调解，吴某同意迁移鸡舍并定期清理。")
    resolve.locator("input[name=written_required]").check()
    resolve.locator("select[name=agreement_kind]").select_option(label="书面协议")
    resolve.locator("textarea[name=facts]").fill("吴某新建鸡舍距周某住房不足五米。")
    resolve.locator("textarea[name=points_in_dispute]").fill("鸡舍位置及异味处理。")
    resolve.locator("textarea[name=terms]").fill("吴某于十五日内将鸡舍迁至院后，每周清理两次。")
    resolve.locator("textarea[name=responsibilities]").fill("吴某承担鸡舍迁移的全部责任。")
    resolve.locator("input[name=performance_method]").fill("吴某自行迁移")
    deadline = today + datetime.timedelta(days=15)
    resolve.locator("input[name=performance_deadline]").fill(deadline.isoformat())
    resolve.locator("input[name=signed_on]").fill(today.isoformat())
    shot(phone, 4, "resolve-form", at=resolve.locator("input[name=signed_on]"))
    resolve.get_by_role("button", name=re.compile("确认")).click()
    phone.wait_for_load_state()

    # --- 已化解, and the 30-day window for judicial confirmation. -------------------------
    assert phone.get_by_test_id("state").inner_text() == "已化解"
    until = deadlines.judicial_confirmation_until(today)
    window = phone.get_by_test_id("confirmation-window").inner_text()
    assert "30日内" in window and f"{until:%Y-%m-%d}" in window
    assert "书面协议" in phone.get_by_test_id("agreement").inner_text()
    assert fits_the_phone(phone)
    shot(phone, 5, "resolved", at=phone.get_by_test_id("agreement"))

    dispute.refresh_from_db()
    assert (dispute.state, dispute.resolved_tier) == ("resolved", "mediator")
    assert dispute.agreement.kind == "written"
    assert list(dispute.events.values_list("action", "actor__username")) == [
        ("create", "gm01"), ("escalate", "gm01"), ("notify_rights", "med01"),
        ("resolve", "med01")]
    assert dispute.agreement.mediator == med01


def test_a_respondent_who_refuses_ends_in_termination_on_a_phone(phone):  # noqa: F811
    """人民调解法 第十七条: the respondent refused; the case cannot climb the ladder, and the
    grid member terminates it and prints the 终止调解告知书."""
    log_in(phone, "gm01")
    phone.get_by_role("link", name="登记纠纷").first.click()
    phone.wait_for_load_state()
    phone.fill("#id_title", "郑某与王某借款纠纷")
    phone.select_option("#id_category", label="合同")
    phone.fill("#id_description", "郑某称王某借款两万元未还，王某不同意调解。")
    phone.select_option("#id_respondent_consent", label="拒绝调解")
    phone.fill("#id_parties-0-name", "郑永红")
    phone.fill("#id_parties-0-phone", "13987650000")
    phone.get_by_role("button", name="提交登记").click()
    phone.wait_for_load_state()
    match = re.fullmatch(r"/disputes/(\d+)/", urlsplit(phone.url).path)
    assert match, phone.url
    dispute = Dispute.objects.get(pk=int(match[1]))
    assert phone.get_by_test_id("consent").inner_text() == "拒绝调解"
    assert "不能上交" in phone.get_by_test_id("consent-refused").inner_text()
    assert phone.get_by_test_id("action-escalate").count() == 0
    assert phone.get_by_test_id("action-refer").count() == 1
    assert fits_the_phone(phone)
    shot(phone, 6, "refused", at=phone.get_by_test_id("consent-refused"))

    terminate = phone.get_by_test_id("action-terminate")
    terminate.locator("summary").click()
    terminate.locator("select[name=reason]").select_option("party_refused")
    terminate.locator("textarea[name=note]").fill("被申请人明确表示不同意调解。")
    terminate.get_by_role("button", name=re.compile("确认")).click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("state").inner_text() == "已终止调解"
    assert "当事人拒绝调解" in phone.get_by_test_id("termination-reason").inner_text()
    assert fits_the_phone(phone)
    shot(phone, 7, "terminated")

    phone.get_by_test_id("termination-print").click()
    phone.wait_for_load_state()
    assert urlsplit(phone.url).path == f"/disputes/{dispute.pk}/termination/"
    body = phone.locator("body").inner_text()
    assert "终止调解告知书" in body and "被申请人明确表示不同意调解" in body
    assert "人民法院提起诉讼" in body
    shot(phone, 8, "termination-notice")
    dispute.refresh_from_db()
    assert (dispute.state, dispute.termination_reason) == ("terminated", "party_refused")

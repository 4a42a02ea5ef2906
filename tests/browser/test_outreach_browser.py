"""In a real browser on a phone: a villager applies for mediation at /apply/ (the phone
verified by its SMS code); gm01 finds the applications in the queue, accepts one (it becomes
a dispute whose source is the party's application) and declines the other with the reason
and the other routes; the applicant then follows the case on /q/ with the query code.

Reuses the browser fixtures of ``test_login_browser``.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from outreach.models import Application, SmsMessage
from tests.browser.shell import open_menu
from tests.browser.test_login_browser import (  # noqa: F401 - fixtures
    PHONE,
    blank_phone,
    browser,
    log_in,
    phone,
)
from tests.conftest import requires_chromium
from tests.disputes.factories import demo_small_grid

pytestmark = [requires_chromium, pytest.mark.browser]

SCREENSHOTS = "/tmp/outreach-{n}-{name}.png"  # looked at by people, not asserted
WIDTH = PHONE["viewport"]["width"]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_an_application_from_a_phone_is_accepted_and_another_declined_on_a_phone(phone):  # noqa: F811
    cache.clear()
    # --- The villager applies, verifying the phone with the code sent to it. ---------------
    # The QR code posted in gm01's small grid carries it.
    phone.goto(f"/apply/?grid={demo_small_grid().pk}")
    assert phone.locator("h1").inner_text() == "申请人民调解"
    assert "第1网格" in phone.locator("#id_small_grid option:checked").inner_text()
    phone.fill("#id_name", "周桂兰")
    phone.fill("#id_phone", "13609330123")
    phone.select_option("#id_category", label="房屋宅基地")
    phone.fill("#id_description", "邻居翻修房屋占用我家宅基地约半米，协商未果。")
    assert fits_the_phone(phone)
    phone.get_by_test_id("send-code").click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("code-sent").is_visible()
    code = SmsMessage.objects.filter(template="apply_code").latest("id").params["code"]
    phone.fill("#id_code", code)
    phone.screenshot(path=SCREENSHOTS.format(n=1, name="apply"))
    phone.get_by_test_id("submit").click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("apply-done").is_visible()
    fresh = Application.objects.latest("id")
    assert fresh.name == "周桂兰" and fresh.state == "submitted"

    # --- gm01 opens the queue from the navigation and accepts the demo's application. --------
    log_in(phone, "gm01")
    open_menu(phone)
    phone.get_by_role("link", name="调解申请").first.click()
    phone.wait_for_load_state()
    queue = phone.get_by_test_id("application-queue")
    assert queue.locator("li").count() >= 2
    assert "周桂兰" not in queue.inner_text()  # masked in the list
    assert fits_the_phone(phone)
    phone.screenshot(path=SCREENSHOTS.format(n=2, name="queue"))
    waiting = Application.objects.filter(state="submitted", small_grid=fresh.small_grid)
    demo = waiting.exclude(pk=fresh.pk).order_by("submitted_at").first() or fresh
    phone.goto(demo.get_absolute_url())
    phone.get_by_test_id("action-accept").locator("summary").click()
    phone.fill("#id_accept_note", "已电话联系申请人，约定上门了解情况")
    assert fits_the_phone(phone)
    phone.get_by_role("button", name="确认：受理并登记纠纷").click()
    phone.wait_for_load_state()
    assert phone.get_by_test_id("state").inner_text() == "已受理"
    demo.refresh_from_db()
    dispute = demo.dispute
    assert dispute.source == "application" and dispute.state == "grid_member"
    assert phone.get_by_test_id("dispute-link").inner_text() == dispute.number
    phone.screenshot(path=SCREENSHOTS.format(n=3, name="accepted"))
    assert SmsMessage.objects.filter(dispute=dispute, template__in=[
        "application_accepted", "dispute_accepted"]).exists()

    # --- and declines the villager's with the reason; the other routes are stated. ------------
    if fresh.pk != demo.pk:
        phone.goto(fresh.get_absolute_url())
        phone.get_by_test_id("action-decline").locator("summary").click()
        phone.fill("#id_decline_reason", "宅基地权属争议须先由政府确权")
        phone.get_by_role("button", name="确认：不予受理").click()
        phone.wait_for_load_state()
        assert phone.get_by_test_id("state").inner_text() == "不予受理"
        assert "确权" in phone.get_by_test_id("decline-reason").inner_text()
        assert "第十八条" in phone.content()
        assert fits_the_phone(phone)
        phone.screenshot(path=SCREENSHOTS.format(n=4, name="declined"))
        text = SmsMessage.objects.get(application=fresh, template="application_declined").text
        assert "确权" in text and len(text) <= 70

    # --- The applicant follows the new case on the query page. --------------------------------
    open_menu(phone)
    phone.get_by_role("button", name="退出").click()
    phone.wait_for_load_state()
    phone.goto(f"/q/?code={dispute.query_code}")
    assert phone.locator("#id_code").input_value() == dispute.query_code
    phone.fill("#id_phone4", demo.phone[-4:])
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    progress = phone.get_by_test_id("public-progress").inner_text()
    assert dispute.number in progress and "网格员调解" in progress
    assert demo.name not in progress and not re.search(r"1\d{10}", progress)
    assert urlsplit(phone.url).path == "/q/"
    assert fits_the_phone(phone)
    phone.screenshot(path=SCREENSHOTS.format(n=5, name="query"))

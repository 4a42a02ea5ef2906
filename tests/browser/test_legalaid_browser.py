"""Legal services in a real browser: the judicial office records a consultation in the
consultation ledger, then opens a legal-aid matter from a dispute's page (the applicant
taken from the dispute) and finds it linked back to the dispute.

Playwright drives Debian's Chromium against the live server (tests/browser/test_login_browser.py).
"""

from urllib.parse import urlsplit

import pytest

from disputes.models import Dispute
from grid.models import LargeGrid, Staff
from legalaid.models import Consultation, LegalAidMatter
from tests.browser.test_login_browser import browser, log_in  # noqa: F401 - browser: fixture
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}


@pytest.fixture
def judicial_page(browser, live_server, demo_committed):  # noqa: F811 - the imported fixture
    context = browser.new_context(base_url=live_server.url, **DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, "judicial")
    assert urlsplit(page.url).path == "/"
    yield page
    context.close()


def test_judicial_office_records_a_consultation_and_opens_legal_aid_from_a_dispute(
        judicial_page):
    page = judicial_page
    me = Staff.objects.get(user__username="judicial")

    page.goto("/legal-aid/consultations/")
    with page.expect_navigation():
        page.get_by_test_id("record-new").click()
    page.locator("#id_large_grid").select_option(str(LargeGrid.objects.get(name="甘庄村").pk))
    page.locator("#id_asker").fill("刘某某")
    page.locator("#id_asker_group").select_option("vulnerable")
    page.locator("#id_topic").select_option("labour")
    page.locator("#id_question").fill("在外务工被拖欠工资三个月")
    page.locator("#id_advice").fill("保留考勤和转账记录，可申请劳动仲裁并申请法律援助。")
    page.locator("#id_advised_by").select_option(label=me.name)
    page.locator("#id_referred_onward").check()
    page.locator("#id_referred_to").fill("县法律援助中心")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert urlsplit(page.url).path == "/legal-aid/consultations/"
    ledger = page.get_by_test_id("ledger").inner_text()
    assert "在外务工被拖欠工资三个月" in ledger and "【优先】刘*某" in ledger
    assert Consultation.objects.filter(question="在外务工被拖欠工资三个月",
                                       referred_to="县法律援助中心").count() == 1

    dispute = Dispute.objects.filter(state="grid_member").order_by("id").first()
    page.goto(dispute.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="申请法律援助").click()
    assert page.get_by_test_id("subject").inner_text().endswith(dispute.number)
    applicant = dispute.parties.order_by("id").first()
    assert page.locator("#id_name").input_value() == applicant.name
    page.locator("#id_matter_kind").select_option("labour")
    page.locator("#id_matter").fill("请求支付拖欠的劳动报酬")
    page.screenshot(path="/tmp/legalaid-1-new.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="登记", exact=True).click()
    matter = LegalAidMatter.objects.get(dispute=dispute)
    assert urlsplit(page.url).path == matter.get_absolute_url()
    assert page.get_by_test_id("state").inner_text().strip() == "已登记申请"
    assert page.get_by_test_id("dispute-link").inner_text() == dispute.number

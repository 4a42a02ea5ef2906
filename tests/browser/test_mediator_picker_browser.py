"""The dispute's mediator picker in a real browser: typing finds the case's committees'
mediators with their role and committee, never another village's, and the choice is the
handler the case goes to.

Playwright drives Debian's Chromium against the live server; the browser and the log-in come
from tests/browser/test_login_browser.py.
"""

from urllib.parse import urlsplit

import pytest

from disputes.models import Dispute
from grid.models import Staff
from tests.browser.test_login_browser import browser, log_in  # noqa: F401 - fixture
from tests.conftest import requires_chromium
from tests.disputes.factories import make_dispute, user

pytestmark = [requires_chromium, pytest.mark.browser]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}


def test_grid_member_escalates_to_a_mediator_found_by_typing_two_characters(
        browser, live_server, demo_committed):  # noqa: F811 - the imported fixture
    dispute = make_dispute(by=user("gm01"), title="宋某与董某院墙渗水纠纷")
    med01 = Staff.objects.get(user__username="med01")
    med02 = Staff.objects.get(user__username="med02")
    context = browser.new_context(base_url=live_server.url, **DESKTOP)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, "gm01")
        assert urlsplit(page.url).path == "/"
        page.goto(dispute.get_absolute_url())
        escalate = page.get_by_test_id("action-escalate")
        escalate.locator("summary").click()
        escalate.locator("textarea[name=note]").fill("两次入户劝解，双方仍有分歧。")
        picker = escalate.locator("#id_escalate_mediator_search")
        assert picker.is_visible()
        assert not escalate.locator("#id_escalate_mediator").is_visible(), "the picker stands in"
        options = escalate.locator("#id_escalate_mediator").locator("..").get_by_role("option")
        # 马寨村's mediator is not offered for a case of 黄寨村, whatever is typed.
        picker.fill(med02.name[:2])
        assert med02.name not in " ".join(options.all_inner_texts())
        # Two characters of med01's name find her, with her post and committee.
        picker.fill(med01.name[:2])
        offered = options.all_inner_texts()
        assert offered and all(med01.name[:2] in text for text in offered), offered
        choice = options.filter(has_text=med01.name).first
        assert "调解员（黄寨村人民调解委员会）" in choice.inner_text()
        choice.click()
        assert escalate.locator("#id_escalate_mediator").input_value() == str(med01.pk)
        assert picker.input_value().startswith(med01.name)
        page.screenshot(path="/tmp/picker-mediator.png", full_page=True)
        with page.expect_navigation():
            escalate.locator("button[type=submit]").click()
        assert page.get_by_test_id("handler").inner_text() == med01.name
    finally:
        context.close()
    dispute = Dispute.objects.get(pk=dispute.pk)
    assert (dispute.state, dispute.handler_id) == ("mediator", med01.pk)

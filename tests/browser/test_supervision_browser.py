"""A supervision notice in a real browser: ``leader`` issues a notice to large
grid 1 with the four fixes, ``gl01`` acknowledges it and reports the result from 我的督办, and
``leader`` verifies it.

Playwright drives Debian's Chromium (never a downloaded browser) against the live server; the
browser and the log-in come from tests/browser/test_login_browser.py.
"""

from urllib.parse import urlsplit

import pytest

from grid.models import Staff
from supervision.models import SupervisionNotice
from tests.browser.test_login_browser import browser, log_in  # noqa: F401 - browser: fixture
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}
TITLE = "黄寨村宅基地边界纠纷督办"


@pytest.fixture
def session_as(browser, live_server, demo_committed):  # noqa: F811 - the imported fixture
    """``session_as("gl01")``: a fresh browser context on the live server, logged in."""
    contexts = []

    def open_as(username):
        context = browser.new_context(base_url=live_server.url, **DESKTOP)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, username)
        assert urlsplit(page.url).path == "/", f"{username} did not log in"
        return page

    yield open_as
    for context in contexts:
        context.close()


def state_badge(page) -> str:
    return page.get_by_test_id("state").inner_text().strip()


def run_action(page, name: str, fill=None):
    """Open the action's panel on the notice page, fill it in, confirm, wait for the page."""
    panel = page.get_by_test_id(f"action-{name}")
    panel.locator("summary").click()
    if fill:
        fill(panel)
    with page.expect_navigation():
        panel.locator("button[type=submit]").click()


def test_leader_issues_gl01_acknowledges_and_reports_leader_verifies(session_as):
    leader_name = Staff.objects.get(user__username="leader").name
    gl01_name = Staff.objects.get(user__username="gl01").name

    # leader issues a supervision notice to 黄寨村 (large grid 1) with the four fixes.
    leader = session_as("leader")
    leader.goto("/supervision/new/")
    form = leader.get_by_test_id("notice-form")
    form.locator("#id_kind").select_option("supervision")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_situation").fill("两户因宅基地边界多次争吵，有激化苗头。")
    form.get_by_label("第1大网格（黄寨村）", exact=True).check()
    # The staff pickers search as you type (static/js/picker.js).
    form.locator("#id_leader_in_charge_search").fill(leader_name[:2])
    form.locator("#id_leader_in_charge").locator("..").get_by_role("option").filter(
        has_text=leader_name).first.click()
    form.locator("#id_measures").fill("村委会牵头，司法所配合，现场勘界并组织调解。")
    # gl01 is found by name among the town's staff.
    assert form.locator("#id_responsible option", has_text=gl01_name).count() == 1
    form.locator("#id_responsible_search").fill(gl01_name[:2])
    form.locator("#id_responsible").locator("..").get_by_role("option").filter(
        has_text=gl01_name).first.click()
    leader.screenshot(path="/tmp/supervision-1-issue.png", full_page=True)
    with leader.expect_navigation():
        form.locator("button[type=submit]").click()
    notice = SupervisionNotice.objects.get(title=TITLE)
    assert urlsplit(leader.url).path == notice.get_absolute_url()
    assert state_badge(leader) == "已下发"
    fixes = leader.get_by_test_id("four-fixes").inner_text()
    assert leader_name in fixes and gl01_name in fixes

    # gl01 finds it under 我的督办, acknowledges it and reports the result.
    gl01 = session_as("gl01")
    with gl01.expect_navigation():
        gl01.get_by_role("link", name="我的督办").click()
    item = gl01.get_by_test_id("notice-item").filter(has_text=notice.number)
    assert item.count() == 1
    with gl01.expect_navigation():
        item.get_by_role("link", name=notice.number).click()
    assert state_badge(gl01) == "已下发"
    run_action(gl01, "acknowledge")
    assert state_badge(gl01) == "已签收"
    run_action(gl01, "report", lambda panel: panel.locator("textarea[name=result]").fill(
        "已现场勘界，双方签字确认边界，纠纷化解。"))
    assert state_badge(gl01) == "已报结果"
    assert gl01.get_by_test_id("actions").count() == 0  # nothing more for gl01 to do
    gl01.screenshot(path="/tmp/supervision-2-reported.png", full_page=True)

    # leader ticks the three checks, gives an opinion and verifies.
    leader.goto(notice.get_absolute_url())
    assert state_badge(leader) == "已报结果"

    def checks(panel):
        for label in ("已核实事实", "问题已解决", "措施依法合规"):
            panel.get_by_label(label).check()
        panel.locator("textarea[name=opinion]").fill("经实地核实，边界已确认，问题已解决。")

    run_action(leader, "verify", checks)
    assert state_badge(leader) == "已核验"
    assert "经实地核实" in leader.content()
    leader.screenshot(path="/tmp/supervision-3-verified.png", full_page=True)

    notice.refresh_from_db()
    assert notice.state == "verified"
    assert list(notice.events.values_list("action", "actor__username")) == [
        ("issue", "leader"), ("acknowledge", "gl01"), ("report", "gl01"), ("verify", "leader")]

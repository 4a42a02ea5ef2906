"""Reporting upward in a real browser: ``leader`` drafts the monthly bulletin from the
monthly analysis, edits and issues it; ``gl01`` finds it in the inbox and marks it read;
``leader`` sees who has read it. ``judicial`` drafts, files and corrects a quarterly
statistics report.

Playwright drives Debian's Chromium against the live server; the browser and the log-in come
from tests/browser/test_login_browser.py.
"""

import datetime
from urllib.parse import urlsplit

import pytest

from reporting.models import Bulletin, StatisticsReport
from tests.browser.test_login_browser import browser  # noqa: F401 - browser: fixture
from tests.browser.test_supervision_browser import run_action, session_as, state_badge  # noqa: F401
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

NEXT_STEPS = "各村于本周五前报送土地纠纷排查台账。"


def test_leader_drafts_and_issues_a_bulletin_gl01_reads_it(session_as):  # noqa: F811
    leader = session_as("leader")
    leader.goto("/reporting/bulletins/")
    with leader.expect_navigation():
        leader.locator("[data-testid^=draft-monthly-]").first.click()
    bulletin = Bulletin.objects.filter(kind="monthly").get()
    assert urlsplit(leader.url).path == bulletin.get_absolute_url()
    assert state_badge(leader) == "草稿"
    assert "二、各村排查报告情况" in leader.get_by_test_id("body").inner_text()

    def edit(panel):
        body = panel.locator("textarea")
        assert "六、下一步工作" in body.input_value()
        body.fill(body.input_value() + "\n" + NEXT_STEPS)

    run_action(leader, "issue", edit)
    assert state_badge(leader) == "已印发"
    assert NEXT_STEPS in leader.get_by_test_id("body").inner_text()
    leader.screenshot(path="/tmp/reporting-1-issued.png", full_page=True)

    gl01 = session_as("gl01")
    gl01.goto("/inbox/")
    with gl01.expect_navigation():
        gl01.get_by_text(f"情况通报：{bulletin.title}").first.click()
    assert urlsplit(gl01.url).path.startswith(bulletin.get_absolute_url()) or \
        bulletin.get_absolute_url() in gl01.url
    gl01.goto(bulletin.get_absolute_url())
    assert NEXT_STEPS in gl01.get_by_test_id("body").inner_text()
    run_action(gl01, "read")
    assert gl01.get_by_test_id("read-gl01").inner_text().strip() != "—"
    assert gl01.get_by_test_id("action-read").count() == 0

    leader.reload()
    assert leader.get_by_test_id("read-gl01").inner_text().strip() != "—"
    # The issued text is kept: no edit is offered any more.
    assert leader.get_by_test_id("action-edit").count() == 0
    assert NEXT_STEPS in Bulletin.objects.get(pk=bulletin.pk).body


def test_judicial_files_and_corrects_a_quarterly_report(session_as):  # noqa: F811
    today = datetime.date.today()
    quarter = (today.month - 1) // 3  # the last closed quarter (1..4), or 0: last year's Q4
    code = f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"
    judicial = session_as("judicial")
    judicial.goto("/reporting/")
    form = judicial.get_by_test_id("draft-form")
    form.locator("#id_period").fill(code)
    with judicial.expect_navigation():
        form.locator("button[type=submit]").click()
    report = StatisticsReport.objects.get(period=code)
    assert state_badge(judicial) == "草稿"
    assert judicial.get_by_test_id("total-row").count() == 1
    run_action(judicial, "file")
    assert state_badge(judicial) == "已上报"
    run_action(judicial, "correct",
               lambda panel: panel.locator("textarea").fill("补录一件邻里纠纷。"))
    versions = judicial.get_by_test_id("versions").inner_text()
    assert "第1版" in versions and "第2版" in versions and "补录一件邻里纠纷。" in versions
    assert StatisticsReport.objects.filter(period=code).count() == 2
    assert StatisticsReport.objects.get(pk=report.pk).state == "superseded"
    judicial.screenshot(path="/tmp/reporting-2-corrected.png", full_page=True)

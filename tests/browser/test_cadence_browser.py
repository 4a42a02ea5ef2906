"""The three ones in a real browser: gm01 files today's zero report on a phone;
leader opens the dashboard with its charts drawn by the vendored ECharts, then the monthly
analysis, and writes the judgement. No request leaves the site.

Playwright drives Debian's Chromium (never a downloaded browser) against the live server.
"""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.browser.test_login_browser import (  # noqa: F401 (fixtures)
    PHONE,
    blank_phone,
    browser,
    log_in,
    phone,
)
from tests.conftest import requires_chromium

pytestmark = [requires_chromium, pytest.mark.browser]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}
PHONE_SHOT = "/tmp/cadence-gm01-zero-report.png"
DASHBOARD_SHOT = "/tmp/cadence-leader-dashboard.png"
MONTHLY_SHOT = "/tmp/cadence-leader-monthly.png"
TREND_SHOT = "/tmp/cadence-leader-trend.png"


def keep_on_site(page, live_server) -> list[str]:
    """Abort and record every request to another host."""
    own = urlsplit(live_server.url).netloc
    offsite = []

    def only_this_site(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            offsite.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_site)
    return offsite


def test_grid_member_files_a_zero_report_on_a_phone(phone, live_server):  # noqa: F811
    offsite = keep_on_site(phone, live_server)
    log_in(phone, "gm01")
    phone.get_by_role("link", name="每日排查").first.click()
    phone.wait_for_load_state()
    assert urlsplit(phone.url).path == "/cadence/screening/"
    today = timezone.localdate().strftime("%Y-%m-%d")
    assert today in phone.locator("h1").inner_text()
    # gm01's one small grid is chosen already; the demo left today's report to file.
    assert "黄寨村第1网格" in phone.locator("#id_small_grid option:checked").inner_text()
    reports = phone.get_by_test_id("screening-report")
    assert not reports.first.inner_text().startswith(today)

    phone.get_by_label("生产生活").check()
    phone.get_by_label("邻里关系").check()
    phone.get_by_label("零报告：今日未发现矛盾纠纷").check()
    phone.get_by_role("button", name="提交今日报告").click()
    phone.wait_for_load_state()

    assert "今日排查报告已提交。" in phone.content()
    latest = phone.get_by_test_id("screening-report").first.inner_text()
    assert latest.startswith(f"{today} · 黄寨村第1网格")
    assert "零报告" in latest
    # The form now holds today's report, to change until midnight.
    assert phone.get_by_label("零报告：今日未发现矛盾纠纷").is_checked()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    phone.screenshot(path=PHONE_SHOT, full_page=True)
    assert offsite == []


@pytest.fixture
def desktop(browser, live_server, demo_committed):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, **DESKTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def charts_drawn(page, count: int) -> None:
    """ECharts renders each chart into a <canvas> inside its div."""
    page.wait_for_function(
        "n => document.querySelectorAll('[data-chart] canvas').length >= n", arg=count)
    for div in page.locator("[data-chart]").all():
        assert div.locator("canvas").count() >= 1
        box = div.locator("canvas").first.bounding_box()
        assert box["width"] > 100 and box["height"] > 100


def test_leader_sees_the_dashboard_and_writes_the_monthly_judgement(desktop, live_server):
    page = desktop
    offsite = keep_on_site(page, live_server)
    log_in(page, "leader")
    assert urlsplit(page.url).path == "/"

    dashboard = page.get_by_test_id("dashboard")
    assert "黄寨镇" in dashboard.locator("h2").inner_text()
    assert page.locator("[data-chart]").count() == 3
    charts_drawn(page, 3)
    assert page.evaluate("typeof window.echarts") == "object"
    # The trend's legend sits above the plot, where the grid leaves room for it (ECharts 6
    # would put it over the month labels at the bottom).
    assert page.evaluate("""echarts.getInstanceByDom(document.querySelector('[data-chart=trend]'))
                            .getOption().legend[0].top""") == 0
    # Four lines of defence, referred, and terminated apart from referred.
    assert page.get_by_test_id("funnel").locator("tbody tr").count() == 6
    assert page.get_by_test_id("funnel-terminated").inner_text().split()[-1] == "3"
    assert page.get_by_test_id("grid-table").locator("tbody tr").count() == 11
    page.screenshot(path=DASHBOARD_SHOT, full_page=True)
    page.locator("[data-chart=trend]").screenshot(path=TREND_SHOT)

    page.locator("header nav").get_by_role("link", name="三个一汇总").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/cadence/"
    page.locator("a[href^='/cadence/monthly/']").first.click()
    page.wait_for_load_state()
    assert "矛盾纠纷分析研判" in page.locator("h1").inner_text()
    charts_drawn(page, 1)
    # New, resolved, referred and, apart from referred, terminated.
    assert page.get_by_test_id("trend-table").locator("tbody tr").count() == 4

    judgement = "本月邻里纠纷占比上升，集中在黄寨村；排水、宅基地问题需提前介入。"
    page.get_by_label("研判意见").fill(judgement)
    page.get_by_label("工作部署").fill("各村本周内完成一次集中排查。")
    page.get_by_role("button", name="保存研判意见").click()
    page.wait_for_load_state()
    assert "研判意见已保存。" in page.content()
    saved = page.get_by_test_id("judgement").inner_text()
    assert judgement in saved and "各村本周内完成一次集中排查。" in saved
    page.screenshot(path=MONTHLY_SHOT, full_page=True)

    # Back to the list: the analysis is marked judged.
    page.goto("/cadence/")
    assert page.get_by_text("已研判").count() == 1
    assert offsite == []

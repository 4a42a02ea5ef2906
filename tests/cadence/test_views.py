"""Pages of the three ones: the screening form on a phone, the daily,
weekly and monthly pages for those who cover the town (404 for the others), the weekly .xlsx,
the judgement (leadership only), and the leadership dashboard on the home page."""

import datetime
import io
import re

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadence.models import DailyRecord, DailyScreeningReport, MonthlyAnalysis, WeeklySummary
from cadence.services import monthly_sweep, weekly_sweep
from disputes.models import OPEN_STATES, Dispute
from grid.models import Town
from tests.disputes.factories import demo_small_grid, make_dispute

from .factories import at, dispute, town_build

pytestmark = pytest.mark.django_db

READERS = ["leader", "office", "county"]
# Towns, summary rows per town and (open cases) per large grid, the day's and overdue cases
# (summed per large grid in their statement), the last twelve months by measure, month and
# type (the month's total, the types, the trend), the counts over other tables in one query
# (open notices, petitions due, legal aid, late referrals, priority cases), large grids.
DASHBOARD_QUERIES = 7
HOME_QUERIES = 25  # the whole home page of the demo's town leader
OUTSIDERS = ["gm01", "gl01"]


def demo_town():
    return Town.objects.get(code="620823103")


def html(response) -> str:
    return response.content.decode()


def latest_weekly():
    return WeeklySummary.objects.filter(town=demo_town()).latest("week_start")


def latest_monthly():
    return MonthlyAnalysis.objects.filter(town=demo_town()).latest("month")


# --- Screening form ----------------------------------------------------------------------------

def test_grid_member_files_a_zero_report_on_the_phone_page(client_as, gm01):
    client = client_as("gm01")
    page = client.get(reverse("cadence:screening"))
    assert page.status_code == 200
    text = html(page)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert 'data-testid="screening-form"' in text
    assert "零报告：今日未发现矛盾纠纷" in text
    # gm01 files for one small grid only: it is chosen already.
    assert page.context["form"].fields["small_grid"].initial == demo_small_grid()
    response = client.post(reverse("cadence:screening"), {
        "small_grid": demo_small_grid().pk, "areas": ["production_livelihood", "work_travel"],
        "nothing_found": "on", "findings": ""}, follow=True)
    assert response.redirect_chain == [(reverse("cadence:screening"), 302)]
    assert "今日排查报告已提交。" in html(response)
    report = DailyScreeningReport.objects.get(small_grid=demo_small_grid(),
                                              date=timezone.localdate())
    assert report.nothing_found and report.created_by == gm01
    assert report.areas == ["production_livelihood", "work_travel"]
    first = response.context["reports"][0]
    assert first.pk == report.pk
    assert 'class="badge">零报告<' in html(response)


def test_screening_form_offers_only_the_users_open_disputes(client_as, gm01, gm02):
    own = make_dispute(by=gm01)
    other = make_dispute(by=gm02, small_grid=demo_small_grid(2, 1))
    form = client_as("gm01").get(reverse("cadence:screening")).context["form"]
    offered = set(form.fields["disputes"].queryset)
    assert own in offered and other not in offered


def test_screening_form_needs_a_login(client):
    response = client.get(reverse("cadence:screening"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- Daily, weekly, monthly pages: in and out of scope -------------------------------------------

@pytest.mark.parametrize("username", READERS)
def test_readers_open_the_index_and_the_three_reports(client_as, username):
    client = client_as(username)
    town = demo_town()
    today = timezone.localdate()
    index = client.get(reverse("cadence:index"))
    assert index.status_code == 200
    assert reverse("cadence:daily", args=[town.pk, today.isoformat()]) in html(index)
    assert latest_weekly().get_absolute_url() in html(index)
    assert latest_monthly().get_absolute_url() in html(index)
    for url in (reverse("cadence:daily", args=[town.pk, today.isoformat()]),
                latest_weekly().get_absolute_url(), latest_monthly().get_absolute_url()):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("cadence:daily_today")).status_code == 302


@pytest.mark.parametrize("username", OUTSIDERS)
def test_grid_staff_get_404_for_the_town_reports(client_as, username):
    client = client_as(username)
    town = demo_town()
    for url in (reverse("cadence:daily", args=[town.pk, timezone.localdate().isoformat()]),
                reverse("cadence:daily_today"),
                latest_weekly().get_absolute_url(),
                latest_weekly().get_absolute_url() + "?format=xlsx",
                latest_monthly().get_absolute_url()):
        assert client.get(url).status_code == 404, url
    assert client.post(latest_monthly().get_absolute_url(),
                       {"judgement": "越权"}).status_code == 404
    index = client.get(reverse("cadence:index"))
    assert index.status_code == 200
    assert latest_weekly().get_absolute_url() not in html(index)


def test_leader_of_one_town_gets_404_for_another_towns_reports(client_as):
    t = town_build()
    weekly = weekly_sweep(town=t.town, day=datetime.date(2026, 4, 1))
    monthly = monthly_sweep(town=t.town, day=datetime.date(2026, 4, 1))
    client = client_as("leader")
    assert client.get(weekly.get_absolute_url()).status_code == 404
    assert client.get(monthly.get_absolute_url()).status_code == 404
    assert client.get(reverse("cadence:daily", args=[t.town.pk, "2026-04-01"])).status_code == 404
    # The county user covers both towns.
    county = client_as("county")
    assert county.get(weekly.get_absolute_url()).status_code == 200
    assert county.get(monthly.get_absolute_url()).status_code == 200


def test_daily_page_shows_the_stored_record_or_live_figures(client_as):
    town = demo_town()
    client = client_as("leader")
    today = timezone.localdate()
    record = DailyRecord.objects.get(town=town, date=today)
    page = client.get(reverse("cadence:daily", args=[town.pk, today.isoformat()]))
    assert page.context["record"] == record
    assert page.context["figures"] == record.figures
    missing = html(page).split('data-testid="missing">')[1].split("</p>")[0]
    for grid in record.figures["missing"]:
        assert grid["name"] in missing
    # A day without a stored record: the figures of the moment, and no "next day" after today.
    long_ago = "2025-06-01"
    page = client.get(reverse("cadence:daily", args=[town.pk, long_ago]))
    assert page.status_code == 200 and page.context["record"] is None
    assert "实时数据（当晚汇总后保存）" in html(page)
    assert page.context["figures"]["small_grids"] == 60
    assert page.context["next"] is not None
    assert client.get(reverse("cadence:daily", args=[town.pk, today.isoformat()])
                      ).context["next"] is None


@pytest.mark.parametrize("bad", ["2026-02-30", "yesterday", "2026-13-01"])
def test_daily_page_with_a_bad_date_is_404(client_as, bad):
    response = client_as("leader").get(f"/cadence/daily/{demo_town().pk}/{bad}/")
    assert response.status_code == 404


def test_weekly_page_shows_the_stored_figures(client_as):
    summary = latest_weekly()
    page = client_as("office").get(summary.get_absolute_url())
    text = html(page)
    f = summary.figures
    assert f'data-testid="weekly-new">{f["new"]}<' in text
    assert f"{f['week_start']} — {f['week_end']}" in text
    assert text.count("<tr>", text.index('data-testid="screening-compliance"')) >= 11
    assert "?format=xlsx" in text


def test_weekly_xlsx_reads_back_the_stored_figures(client_as):
    summary = latest_weekly()
    response = client_as("leader").get(summary.get_absolute_url() + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert (f'filename="weekly-{summary.week_start:%Y%m%d}.xlsx"'
            in response["Content-Disposition"])
    book = load_workbook(io.BytesIO(response.content))
    f = summary.figures
    assert book.sheetnames == ["本周概况", "在办（按大网格）", "在办（按类型）", "在办（按层级）",
                               "超期事项", "未办结督办件", "到期信访事项", "排查报告情况"]
    overview = [[c.value for c in row] for row in book["本周概况"].iter_rows()]
    assert overview == [["周一调度汇总", f"{f['week_start']} — {f['week_end']}"],
                        ["新增纠纷", f["new"]], ["化解", f["resolved"]],
                        ["移交", f["referred"]], ["终止调解", f["terminated"]],
                        ["在办", f["pending"]]]
    screening = [[c.value for c in row] for row in book["排查报告情况"].iter_rows()]
    assert screening[0] == ["大网格", "应报", "已报", "报告率%"]
    assert screening[1:] == [[r["name"], r["expected"], r["reports"], r["rate"]]
                             for r in f["screening"]]
    assert len(screening) == 12
    overdue = [[c.value for c in row] for row in book["超期事项"].iter_rows()]
    assert overdue[1:] == [[r["number"], r["title"], r["tier"], r["handler_name"] or None,
                            r["due"]] for r in f["overdue"]]
    tiers = [[c.value for c in row] for row in book["在办（按层级）"].iter_rows()]
    assert sum(n for _label, n in tiers[1:]) == f["pending"]


def test_weekly_xlsx_of_a_hand_counted_week(client_as, clock):
    t = town_build()
    clock(at(2026, 10, 6, 9))
    case = dispute(t, found_at=at(2026, 10, 5, 0, 0))
    clock(at(2026, 10, 12, 7))
    summary = weekly_sweep(town=t.town)
    response = client_as("county").get(summary.get_absolute_url() + "?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert [[c.value for c in row] for row in book["本周概况"].iter_rows()][1:] == [
        ["新增纠纷", 1], ["化解", 0], ["移交", 0], ["终止调解", 0], ["在办", 1]]
    assert [[c.value for c in row] for row in book["超期事项"].iter_rows()] == [
        ["案号", "纠纷名称", "层级", "承办人", "期限"],
        [case.number, case.title, "网格员调解", t.gm[0][0].staff.name, "2026-10-09 09:00"]]
    assert [[c.value for c in row] for row in book["排查报告情况"].iter_rows()][1:] == [
        ["清风1村", 14, 0, 0], ["清风2村", 14, 0, 0]]


# --- Monthly analysis and the judgement ----------------------------------------------------------

def test_monthly_page_shows_the_figures_and_the_judgement_form_to_leadership(client_as):
    analysis = latest_monthly()
    page = client_as("leader").get(analysis.get_absolute_url())
    text = html(page)
    assert page.context["form"] is not None
    assert 'name="judgement"' in text and "保存研判意见" in text
    assert 'data-testid="trend-table"' in text and 'data-testid="defence"' in text
    assert 'id="chart-trend"' in text
    assert page.context["chart_trend"]["rows"] == analysis.figures["trend"]


def test_leader_saves_the_judgement(client_as, leader):
    analysis = latest_monthly()
    client = client_as("leader")
    response = client.post(analysis.get_absolute_url(),
                           {"judgement": "本月邻里纠纷上升，需加强排查。", "decisions": "各村开展集中排查。"})
    assert response.status_code == 302 and response.url == analysis.get_absolute_url()
    analysis.refresh_from_db()
    assert analysis.judgement == "本月邻里纠纷上升，需加强排查。"
    assert analysis.decisions == "各村开展集中排查。"
    assert analysis.judged_by == leader and analysis.judged_at is not None
    page = client.get(analysis.get_absolute_url())
    shown = html(page).split('data-testid="judgement">')[1]
    assert "本月邻里纠纷上升，需加强排查。" in shown and "各村开展集中排查。" in shown
    assert "研判意见已保存。" in html(page)
    # Shown to the office too, read-only.
    office_page = client_as("office").get(analysis.get_absolute_url())
    assert "本月邻里纠纷上升，需加强排查。" in html(office_page)


def test_judgement_needs_text(client_as):
    analysis = latest_monthly()
    response = client_as("leader").post(analysis.get_absolute_url(),
                                        {"judgement": "", "decisions": "部署"})
    assert response.status_code == 200
    assert response.context["form"].errors["judgement"]
    analysis.refresh_from_db()
    assert analysis.judged_at is None


@pytest.mark.parametrize("username", ["office", "county", "chair"])
def test_others_who_read_the_analysis_cannot_write_the_judgement(client_as, username):
    analysis = latest_monthly()
    client = client_as(username)
    page = client.get(analysis.get_absolute_url())
    assert page.status_code == 200
    assert page.context["form"] is None and 'name="judgement"' not in html(page)
    response = client.post(analysis.get_absolute_url(), {"judgement": "越权意见"})
    assert response.status_code == 403
    analysis.refresh_from_db()
    assert analysis.judgement == "" and analysis.judged_at is None


def test_monthly_page_names_the_risk_levels_in_chinese(client_as, clock):
    t = town_build()
    clock(at(2026, 3, 5, 9))
    red = dispute(t, found_at=at(2026, 3, 5, 9), risk_level="red")
    dispute(t, found_at=at(2026, 3, 5, 9), risk_level="yellow")
    analysis = monthly_sweep(town=t.town, day=datetime.date(2026, 4, 1))
    text = html(client_as("county").get(analysis.get_absolute_url()))
    risky = text.split("红色、黄色风险纠纷")[1].split("</ul>")[0]
    assert '<span class="badge red">红色（高风险）</span>' in risky
    assert '<span class="badge yellow">黄色（中风险）</span>' in risky
    assert ">red<" not in risky and ">yellow<" not in risky
    assert red.number in risky


def test_monthly_print_view(client_as):
    page = client_as("leader").get(latest_monthly().get_absolute_url() + "?print=1")
    assert page.status_code == 200 and page.context["print"] is True


# --- The dashboard on the home page --------------------------------------------------------------

def dashboard_html(client) -> str:
    text = html(client.get(reverse("home")))
    start = text.index('<section data-testid="dashboard">')
    return text[start:text.index("</section>", start)]


def cell_values(table_html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", table_html, flags=re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, flags=re.S)] for r in rows]


def test_leader_home_shows_the_dashboard(client_as):
    town = demo_town()
    panel = dashboard_html(client_as("leader"))
    cases = Dispute.objects.filter(town=town).exclude(state="voided")
    now = timezone.now()
    start = timezone.make_aware(timezone.datetime.combine(timezone.localdate(),
                                                          timezone.datetime.min.time()))
    # Today's numbers, counted here independently.
    assert f'data-testid="new-today">{cases.filter(found_at__gte=start).count()}<' in panel
    figures = re.findall(r"<article><strong[^>]*>(\d+)</strong>([^<]+)</article>", panel)
    numbers = {label: int(n) for n, label in figures}
    assert numbers["在办纠纷"] == cases.filter(state__in=OPEN_STATES).count()
    assert numbers["超期纠纷"] == cases.filter(state__in=OPEN_STATES, tier_due_at__lt=now).count()
    assert numbers["本月化解"] == cases.filter(
        resolved_at__gte=start.replace(day=1)).count()
    assert numbers["超过调解期限"] == cases.filter(
        state__in=OPEN_STATES, mediation_due__lt=timezone.localdate()).count()
    assert set(numbers) == {"今日新增纠纷", "在办纠纷", "超期纠纷", "本月化解", "未办结督办件",
                            "3日内到期信访", "超过调解期限", "本年法律援助", "在办法律援助",
                            "移交逾期未签收或未反馈", "在办优先服务对象纠纷"}
    # The four lines of defence, then referrals.
    funnel = cell_values(panel.split('data-testid="funnel">')[1].split("</table>")[0])
    assert [row[0] for row in funnel] == ["防线", "网格员调解", "调解员调解", "网格长调解",
                                         "镇调委会主任调解", "移交"]
    for row, tier in zip(funnel[1:5], ["grid_member", "mediator", "grid_leader", "chair"],
                         strict=True):
        assert int(row[1]) == cases.filter(Q(state="resolved") | Q(state="closed"),
                                           resolved_tier=tier).count()
        assert int(row[2]) == cases.filter(state=tier).count()
    assert int(funnel[5][1]) == cases.filter(state="referred").count()
    assert "小事不出村、大事不出镇、矛盾不上交" in panel
    # The grid table: 11 villages of the demo town, linked into the ledger.
    grids = cell_values(panel.split('data-testid="grid-table">')[1].split("</table>")[0])
    assert len(grids) == 1 + 11
    assert sum(int(row[4]) for row in grids[1:]) == numbers["在办纠纷"]
    assert panel.count(reverse("disputes:ledger") + "?large_grid=") >= 11
    # The charts: their data as JSON scripts, the vendored ECharts, and no CDN.
    for source in ("chart-trend", "chart-types", "chart-grids"):
        assert f'data-source="{source}"' in panel
        assert f'<script id="{source}" type="application/json">' in panel
    assert '<script src="/static/vendor/echarts/echarts.min.js"></script>' in panel
    assert '<script src="/static/js/charts.js"></script>' in panel
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", panel)
    assert 'data-testid="by-town"' not in panel


def test_home_page_links_no_cdn_at_all(client_as):
    text = html(client_as("leader").get(reverse("home")))
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)


def test_grid_member_home_has_no_dashboard(client_as):
    text = html(client_as("gm01").get(reverse("home")))
    assert 'data-testid="dashboard"' not in text


def test_county_user_sees_the_town_breakdown_when_there_are_two_towns(client_as):
    assert 'data-testid="by-town"' not in dashboard_html(client_as("county"))
    t = town_build()
    dispute(t, found_at=timezone.now() - datetime.timedelta(hours=1))
    panel = dashboard_html(client_as("county"))
    table = cell_values(panel.split('data-testid="by-town">')[1].split("</table>")[0])
    assert table[0] == ["镇", "在办", "超期", "已化解", "移交", "终止调解"]
    assert [row[0] for row in table[1:]] == ["黄寨镇", "清风镇"]
    assert table[2][1:] == ["1", "0", "0", "0", "0"]
    demo_open = Dispute.objects.filter(town=demo_town(), state__in=OPEN_STATES).count()
    assert table[1][1] == str(demo_open)
    grids = cell_values(panel.split('data-testid="grid-table">')[1].split("</table>")[0])
    assert len(grids) == 1 + 11 + 2


def test_leader_home_query_count_is_pinned(client_as, django_assert_max_num_queries, gm01):
    """The whole home page (session, scope, every panel) and, within it, the dashboard's own
    queries; neither grows with the cases."""
    client = client_as("leader")
    client.get(reverse("home"))
    # 26: the objects of the leader's own posts are read per kind (a town, large grids)
    # rather than joined (a nine-table join cost more to plan than both queries); the
    # summary rows are summed in two reads (per town, per large grid) rather than read per
    # small grid and summed in Python; the counts over other tables are one query; a queue
    # shorter than its ten rows is not counted again.
    with django_assert_max_num_queries(HOME_QUERIES):
        client.get(reverse("home"))
    for _ in range(10):
        make_dispute(by=gm01)
    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_dashboard_selector_query_count_is_pinned(leader, django_assert_num_queries):
    from cadence.selectors import dashboard
    from grid.scope import scope_for_user

    scope_for_user(leader)  # computed once per request, before any panel
    with django_assert_num_queries(DASHBOARD_QUERIES):
        panel = dashboard(user=leader)
    assert len(panel["grids"]) == 11

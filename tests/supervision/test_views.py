"""Supervision pages: the ledger with its filters, .xlsx export and pinned
query count, the printable notice, my notices, issuing, the actions on a notice, and the inbox
with its unread count."""

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from core.models import ExportJob
from inbox.models import Notification
from supervision.exports import LEDGER_HEADERS
from supervision.models import SupervisionNotice
from tests.exports import run_export_job

from .factories import (
    DAY,
    acknowledged,
    in_charge_of_village,
    issue,
    large_grid,
    reported,
    set_deadline,
    staff_of,
    user,
)

pytestmark = pytest.mark.django_db

LEDGER = "/supervision/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOUR = datetime.timedelta(hours=1)


def ledger_numbers(response) -> list[str]:
    return [row["cells"][1] for row in response.context["rows"]]


def read_xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="notice-ledger-')
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.title == "督办台账"
    return list(sheet.iter_rows(values_only=True))


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def state_of(notice) -> str:
    notice.refresh_from_db()
    return notice.state


# --- Ledger ---------------------------------------------------------------------------------------

def test_the_ledger_lists_the_town_for_leadership(client_as):
    response = client_as("leader").get(LEDGER)
    assert response.status_code == 200
    assert [str(h) for h in response.context["headers"]] == [str(h) for h in LEDGER_HEADERS]
    numbers = ledger_numbers(response)
    assert sorted(numbers) == sorted(SupervisionNotice.objects.values_list("number", flat=True))
    assert response.context["can_issue"]


def test_the_ledger_shows_a_grid_leader_only_what_concerns_him(client_as, leader, gl02):
    theirs = issue(by=leader, target_large_grids=[large_grid(2)], responsible=staff_of(gl02))
    response = client_as("gl01").get(LEDGER)
    assert response.status_code == 200
    assert theirs.number not in ledger_numbers(response)
    assert not response.context["can_issue"]


@pytest.mark.parametrize("params, expected", [
    ({"state": "verified"}, {"state": "verified"}),
    ({"kind": "early_warning"}, {"kind": "early_warning"}),
    ({"urgency": "urgent"}, {"urgency": "urgent"}),
])
def test_the_ledger_filters_by_field(client_as, params, expected):
    numbers = ledger_numbers(client_as("leader").get(LEDGER, params))
    assert numbers
    assert sorted(numbers) == sorted(
        SupervisionNotice.objects.filter(**expected).values_list("number", flat=True))


def test_the_ledger_filters_overdue_village_and_dates(client_as, leader, gl02):
    late = set_deadline(issue(by=leader), timezone.now() - HOUR)
    village2 = issue(by=leader, target_large_grids=[large_grid(2)], responsible=staff_of(gl02))
    client = client_as("leader")

    overdue = ledger_numbers(client.get(LEDGER, {"overdue": "on"}))
    assert late.number in overdue
    assert all(SupervisionNotice.objects.get(number=n).is_overdue for n in overdue)

    assert ledger_numbers(client.get(LEDGER, {"large_grid": large_grid(2).pk})) == [
        village2.number]

    today = timezone.localdate()
    assert village2.number in ledger_numbers(client.get(LEDGER, {"issued_from": today}))
    assert ledger_numbers(client.get(LEDGER, {"issued_to": today - 30 * DAY})) == []


def test_the_ledger_exports_xlsx_with_chinese_headers(client_as, leader):
    late = set_deadline(issue(by=leader, title="逾期督办件"), timezone.now() - HOUR)
    rows = read_xlsx(client_as("leader").get(LEDGER, {"format": "xlsx"}))
    assert list(rows[0]) == [str(h) for h in LEDGER_HEADERS]
    assert rows[0][:4] == ("序号", "编号", "类型", "事由")
    assert len(rows) - 1 == SupervisionNotice.objects.count()
    assert [r[0] for r in rows[1:]] == list(range(1, len(rows)))
    row = next(r for r in rows[1:] if r[1] == late.number)
    assert row[2:4] == ("督办件", "逾期督办件")
    assert row[4] == "黄寨村"
    assert (row[5], row[7]) == (late.leader_in_charge.name, late.responsible.name)
    assert row[8] == timezone.localtime(late.deadline).strftime("%Y-%m-%d %H:%M")
    assert (row[9], row[10]) == ("已下发", "是")


def test_a_notice_to_several_villages_and_offices_names_them_in_order(client_as, leader):
    """The villages in the large grids' order, then the offices: on the page and in the
    export alike (each read for the page's or the chunk's notices, not per row)."""
    notice = issue(by=leader, title="多村督办",
                   target_large_grids=[large_grid(3), large_grid(1), large_grid(2)],
                   target_offices=["judicial_office"])
    names = "、".join([large_grid(1).name, large_grid(2).name, large_grid(3).name, "司法所"])
    page = client_as("leader").get(LEDGER)
    row = next(r for r in page.context["rows"] if r["cells"][1] == notice.number)
    assert row["cells"][4] == names
    assert row["cells"][5] == notice.leader_in_charge.name
    rows = read_xlsx(client_as("leader").get(LEDGER, {"format": "xlsx"}))
    assert next(r for r in rows[1:] if r[1] == notice.number)[4] == names


def test_the_export_follows_the_filters_and_the_scope(client_as, leader, gl02):
    issue(by=leader, target_large_grids=[large_grid(2)], responsible=staff_of(gl02))
    rows = read_xlsx(client_as("leader").get(LEDGER, {"format": "xlsx", "state": "verified"}))
    assert {r[9] for r in rows[1:]} == {"已核验"}
    rows = read_xlsx(client_as("gl02").get(LEDGER, {"format": "xlsx"}))
    assert len(rows) == 2 and rows[1][4] == "马寨村"


# Per page: the session and user (2), the scope (6), the filter form's villages (1), the count
# (1), the rows with their people (1), their target villages (1), the unread count (1); the
# navigation's checks reuse the cached scope, the user's saved filters (1). A village filter
# looks its village up (1).
LEDGER_QUERIES = 14


def _count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LEDGER, params)
    assert response.status_code == 200
    return len(queries)


def test_the_ledger_query_count_is_pinned_and_does_not_grow_with_rows(
        client_as, leader, django_assert_max_num_queries):
    client = client_as("leader")
    few = _count_queries(client, {})
    for _ in range(8):
        issue(by=leader, target_offices=["police"])
    many = _count_queries(client, {})
    assert few == many
    with django_assert_max_num_queries(LEDGER_QUERIES):
        client.get(LEDGER)
    village = large_grid(1).pk
    with django_assert_max_num_queries(LEDGER_QUERIES + 1):
        client.get(LEDGER, {"state": "issued", "overdue": "on", "large_grid": village})


def test_the_ledger_query_count_is_the_same_for_a_few_notices_and_a_full_page(
        client_as, leader):
    client = client_as("leader")
    few = _count_queries(client, {})
    for _ in range(52):
        issue(by=leader, target_large_grids=[large_grid(1), large_grid(2)])
    assert len(client.get(LEDGER).context["rows"]) == 50
    assert _count_queries(client, {}) == few
    assert _count_queries(client, {"page": "last"}) <= few


def test_a_notice_to_two_villages_is_listed_once_for_the_grid_leader_it_concerns(
        client_as, leader, gl01):
    both = issue(by=leader, target_large_grids=[large_grid(1), large_grid(2)],
                 responsible=staff_of(gl01))
    response = client_as("gl01").get(LEDGER)
    assert ledger_numbers(response).count(both.number) == 1
    assert {r["url"] for r in response.context["rows"] if r["notice"].pk == both.pk} == {
        both.get_absolute_url()}
    assert response.context["page"].count.value == len(ledger_numbers(response))
    assert ledger_numbers(client_as("gl01").get(LEDGER, {"large_grid": large_grid(1).pk})
                          ).count(both.number) == 1


def test_the_village_filter_offers_and_accepts_only_the_users_villages(client_as, leader, gl02):
    """A grid leader's filter lists the villages they cover; another village's id is refused
    with the form's message, and the ledger stays within the scope."""
    theirs = issue(by=leader, target_large_grids=[large_grid(2)], responsible=staff_of(gl02))
    response = client_as("gl01").get(LEDGER, {"large_grid": large_grid(2).pk})
    form = response.context["form"]
    offered = [value for value, _label in form.fields["large_grid"].choices if value]
    assert offered == [large_grid(1).pk]
    assert "large_grid" in form.errors
    assert "选择一个有效的选项" in str(form.errors["large_grid"])
    assert theirs.number not in ledger_numbers(response)


def test_the_export_query_count_does_not_grow_with_rows(client_as, leader):
    client = client_as("leader")
    few = _count_queries(client, {"format": "xlsx"})
    for _ in range(8):
        issue(by=leader)
    assert _count_queries(client, {"format": "xlsx"}) == few


# --- The printable notice (督办单) -------------------------------------------------------------------

def test_the_print_view_carries_the_four_fixes(client_as, leader, gl01):
    notice = issue(by=leader, target_offices=["police"])
    response = client_as("gl01").get(f"/supervision/{notice.pk}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "督办单" in html and notice.number in html and notice.title in html
    for fix in ("定领导", "定措施", "定责任", "定时限"):
        assert fix in html
    assert staff_of(leader).name in html and staff_of(gl01).name in html
    assert notice.measures in html
    assert "黄寨村" in html and "派出所" in html
    local = timezone.localtime(notice.deadline)
    assert f"{local.year}年{local.month}月{local.day}日" in html


def test_an_early_warning_prints_as_such(client_as, leader):
    notice = issue(by=leader, kind="early_warning")
    html = client_as("leader").get(f"/supervision/{notice.pk}/print/").content.decode()
    assert "预警通知" in html and notice.number in html


def test_a_notice_out_of_scope_is_404_on_every_page(client_as, leader):
    notice = issue(by=leader)
    client = client_as("gl02")
    for path in ("", "print/"):
        assert client.get(f"/supervision/{notice.pk}/{path}").status_code == 404
    response = client.post(f"/supervision/{notice.pk}/action/acknowledge/",
                           {"seen_state": "issued"})
    assert response.status_code == 404
    assert state_of(notice) == "issued"


# --- My notices, issuing ----------------------------------------------------------------------------

def test_my_notices_lists_what_waits_on_me(client_as, leader, gl01):
    waiting = issue(by=leader, title="等待签收的督办件")
    to_verify = reported(acknowledged(issue(by=leader, title="等待核验的督办件"), by=gl01), by=gl01)
    mine = client_as("gl01").get("/supervision/mine/")
    assert mine.status_code == 200
    numbers = {n.number for n in mine.context["notices"]}
    assert waiting.number in numbers and to_verify.number not in numbers
    assert "我的督办" in mine.content.decode()
    numbers = {n.number for n in client_as("leader").get("/supervision/mine/").context["notices"]}
    assert to_verify.number in numbers and waiting.number not in numbers


def test_leadership_issues_a_notice_on_the_page(client_as, leader, gl01):
    client = client_as("leader")
    form = client.get("/supervision/new/")
    assert form.status_code == 200
    assert staff_of(gl01) in form.context["form"].fields["responsible"].queryset
    response = client.post("/supervision/new/", {
        "kind": "early_warning", "title": "汛期预警", "situation": "山体裂缝。",
        "target_large_grids": [large_grid(1).pk], "leader_in_charge": staff_of(leader).pk,
        "measures": "转移群众。", "responsible": staff_of(gl01).pk, "urgency": "urgent",
        "deadline": (timezone.localtime() + 2 * DAY).strftime("%Y-%m-%dT%H:%M")})
    notice = SupervisionNotice.objects.get(title="汛期预警")
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    assert re.fullmatch(r"黄寨预警〔\d{4}〕\d+号", notice.number)
    assert any(notice.number in m for m in messages_of(response))


@pytest.mark.parametrize("overrides, field", [
    ({"measures": " "}, "measures"),
    ({"responsible": ""}, "responsible"),
    # The form accepts it; the service refuses an urgent deadline 9 days away.
    ({"deadline": (timezone.localtime() + 9 * DAY).strftime("%Y-%m-%dT%H:%M")}, "deadline"),
    ({"target_large_grids": []}, "target_large_grids"),
])
def test_the_issue_page_shows_the_four_fixes_errors(client_as, overrides, field):
    before = SupervisionNotice.objects.count()
    data = {"kind": "supervision", "title": "督办", "situation": "情况", "urgency": "urgent",
            "target_large_grids": [large_grid(1).pk], "measures": "措施",
            "leader_in_charge": staff_of(user("leader")).pk,
            "responsible": staff_of(user("gl01")).pk, **overrides}
    response = client_as("leader").post("/supervision/new/", data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {field}
    assert SupervisionNotice.objects.count() == before


@pytest.mark.parametrize("username", ["gl01", "office", "gm01"])
def test_the_issue_page_is_for_leadership(client_as, username):
    assert client_as(username).get("/supervision/new/").status_code == 403


# --- Actions on the notice page -----------------------------------------------------------------------

def test_the_notice_page_offers_each_user_their_actions(client_as, leader, gl01):
    notice = issue(by=leader)
    names = [f["name"] for f in client_as("gl01").get(notice.get_absolute_url())
             .context["action_forms"]]
    assert names == ["acknowledge"]
    assert client_as("office").get(notice.get_absolute_url()).context["action_forms"] == []
    notice = acknowledged(notice, by=gl01)
    names = [f["name"] for f in client_as("gl01").get(notice.get_absolute_url())
             .context["action_forms"]]
    assert names == ["progress", "report"]


def test_acknowledge_report_and_verify_on_the_page(client_as, leader):
    notice = issue(by=leader)
    gl01 = client_as("gl01")
    action = f"/supervision/{notice.pk}/action/"
    response = gl01.post(f"{action}acknowledge/", {"seen_state": "issued"})
    assert response.status_code == 302 and state_of(notice) == "acknowledged"
    response = gl01.post(f"{action}report/", {"seen_state": "acknowledged",
                                              "result": "已办结。", "completed": "on"})
    assert response.status_code == 302 and state_of(notice) == "reported"
    response = client_as("leader").post(f"{action}verify/", {
        "seen_state": "reported", "facts_checked": "on", "problem_solved": "on",
        "measures_lawful": "on", "opinion": "属实。"})
    assert response.status_code == 302 and state_of(notice) == "verified"
    page = client_as("leader").get(notice.get_absolute_url()).content.decode()
    assert 'data-testid="state">已核验<' in page


def test_a_report_without_the_shortfall_shows_the_error(client_as, leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    response = client_as("gl01").post(f"/supervision/{notice.pk}/action/report/", {
        "seen_state": "acknowledged", "result": "部分完成。"})  # completed unticked
    assert response.status_code == 400
    form = next(f for f in response.context["action_forms"] if f["name"] == "report")
    assert form["open"] and "shortfall" in form["form"].errors
    assert state_of(notice) == "acknowledged"


def test_return_on_the_page_sets_the_new_deadline(client_as, leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    new_deadline = (timezone.localtime() + 4 * DAY).replace(second=0, microsecond=0)
    response = client_as("leader").post(f"/supervision/{notice.pk}/action/return_for_work/", {
        "seen_state": "reported", "opinion": "退回。",
        "new_deadline": new_deadline.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "returned" and notice.deadline == new_deadline


def test_a_stale_page_does_not_act(client_as, leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    response = client_as("gl01").post(f"/supervision/{notice.pk}/action/acknowledge/",
                                      {"seen_state": "issued"})
    assert response.status_code == 302
    assert any("状态已变化" in m for m in messages_of(response))
    assert notice.events.count() == 2


def test_a_refused_action_on_the_page_says_why(client_as, leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    response = client_as("gl01").post(f"/supervision/{notice.pk}/action/verify/", {
        "seen_state": "reported", "facts_checked": "on", "problem_solved": "on",
        "measures_lawful": "on", "opinion": "自己核验。"})
    assert response.status_code == 302
    assert any("无权" in m for m in messages_of(response))
    assert state_of(notice) == "reported"


def test_unknown_actions_and_gets_are_refused(client_as, leader):
    notice = issue(by=leader)
    client = client_as("leader")
    assert client.post(f"/supervision/{notice.pk}/action/delete/",
                       {"seen_state": "issued"}).status_code == 404
    # A GET answers the form of an action the user may take now, and 404 for any other.
    assert client.get(f"/supervision/{notice.pk}/action/verify/").status_code == 404
    assert client.get(f"/supervision/{notice.pk}/action/nonsense/").status_code == 404


# --- The inbox ---------------------------------------------------------------------------------------

def unread(user_):
    return Notification.objects.filter(recipient=user_, read_at__isnull=True)


def test_the_header_shows_the_unread_count(client_as, leader, gl01):
    issue(by=leader)
    count = unread(gl01).count()
    assert count >= 1
    html = client_as("gl01").get("/").content.decode()
    assert f'data-testid="unread-count">{count}<' in html


def test_reading_a_notification_marks_it_read_and_follows_its_link(client_as, leader, gl01):
    notice = issue(by=leader)
    note = unread(gl01).get(url=notice.get_absolute_url())
    client = client_as("gl01")
    inbox = client.get("/inbox/")
    assert inbox.status_code == 200 and notice.number in inbox.content.decode()
    response = client.post(f"/inbox/{note.pk}/read/")
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    assert client.get(response["Location"]).status_code == 200


def test_nobody_reads_anothers_notification(client_as, leader, gl01):
    issue(by=leader)
    note = unread(gl01).first()
    assert client_as("gl02").post(f"/inbox/{note.pk}/read/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    assert client_as("gl01").get(f"/inbox/{note.pk}/read/").status_code == 405


def test_read_all_clears_the_count(client_as, leader, gl01, chair):
    issue(by=leader)
    issue(by=leader, leader_in_charge=in_charge_of_village(chair))
    chairs = unread(chair).count()
    client = client_as("gl01")
    response = client.post("/inbox/read-all/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert not unread(gl01).exists()
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    assert unread(chair).count() == chairs >= 1  # nobody else's


# --- Navigation and links from the cases ----------------------------------------------------------

def nav_labels(client) -> set[str]:
    return {str(item["label"]) for item in client.get("/").context["NAV_ITEMS"]}


def test_the_navigation_offers_each_role_its_supervision_pages(client_as):
    leader = nav_labels(client_as("leader"))
    assert {"我的督办", "督办台账"} <= leader and "报告不稳定信息" not in leader
    gm01 = nav_labels(client_as("gm01"))
    assert {"我的督办", "报告不稳定信息"} <= gm01 and "督办台账" not in gm01


def test_a_dispute_page_links_leadership_to_assess_and_issue(client_as, gm01):
    from tests.disputes.factories import make_dispute

    dispute = make_dispute(by=gm01)
    links = (f"/supervision/assessments/new/?dispute={dispute.pk}",
             f"/supervision/new/?dispute={dispute.pk}")
    page = client_as("leader").get(dispute.get_absolute_url()).content.decode()
    assert all(link in page for link in links)
    page = client_as("gm01").get(dispute.get_absolute_url()).content.decode()
    assert not any(link in page for link in links)
    form = client_as("leader").get(links[1])
    assert form.status_code == 200 and form.context["form"].initial["title"] == dispute.title


# --- The ledger sorted by a column ------------------------------------------------------------

def _expected(field: str, descending: bool) -> list[str]:
    rows = SupervisionNotice.objects.values_list(field, "id", "number")
    return [r[2] for r in sorted(rows, key=lambda r: (r[0], r[1]), reverse=descending)]


def _walk(client, **params) -> tuple[list[str], list[str]]:
    """Every row, following the cursors forwards from page 1 and backwards from the last."""
    response = client.get(LEDGER, params)
    forwards, pages = [], 0
    while True:
        forwards += ledger_numbers(response)
        pages += 1
        if not (cursor := response.context["page"].next_cursor):
            break
        response = client.get(LEDGER, {**params, "after": cursor})
    response = client.get(LEDGER, {**params, "page": "last"})
    backwards = []
    while True:
        backwards = ledger_numbers(response) + backwards
        if not (cursor := response.context["page"].previous_cursor):
            break
        response = client.get(LEDGER, {**params, "before": cursor})
    assert pages > 1, "the walk crosses a page boundary"
    return forwards, backwards


@pytest.fixture
def notices_due_apart(leader):
    """Five more notices whose deadlines run against the order they were issued in, one pair
    due at the same moment (the id breaks the tie)."""
    soon = timezone.now() + 2 * DAY
    made = [issue(by=leader, title=f"督办{i}") for i in range(5)]
    for i, notice in enumerate(made):
        set_deadline(notice, soon + (5 - i) * HOUR if i != 4 else soon + 2 * HOUR)
    return made


@pytest.mark.parametrize("sort", ["deadline", "-deadline", "created_at", "-created_at"])
def test_the_ledger_sorts_by_a_column_both_ways_across_pages(
        client_as, notices_due_apart, monkeypatch, sort):
    from supervision import views

    monkeypatch.setattr(views, "LEDGER_PAGE", 2)
    expected = _expected(sort.lstrip("-"), sort.startswith("-"))
    forwards, backwards = _walk(client_as("leader"), sort=sort)
    assert forwards == expected and backwards == expected


def test_the_ledger_sort_headers_mark_the_order_and_link_the_other_way(client_as):
    response = client_as("leader").get(LEDGER, {"sort": "deadline"})
    cells = response.context["sort_headers"]
    assert cells[8]["aria_sort"] == "ascending" and cells[8]["url"] == "?sort=-deadline"
    assert cells[11]["aria_sort"] is None and cells[11]["url"] == "?sort=-created_at"
    assert 'aria-sort="ascending"' in response.content.decode()
    assert "sort=deadline" in response.context["query"]


@pytest.mark.parametrize("bad", ["title", "-", "deadline--", "x" * 300])
def test_an_unknown_sort_falls_back_to_the_newest_issued_first(client_as, leader, bad):
    issue(by=leader)
    response = client_as("leader").get(LEDGER, {"sort": bad})
    assert response.status_code == 200
    assert ledger_numbers(response) == _expected("created_at", True)[:50]


def test_the_export_follows_the_sort(client_as, notices_due_apart):
    rows = read_xlsx(client_as("leader").get(LEDGER, {"format": "xlsx", "sort": "deadline"}))
    assert [r[1] for r in rows[1:]] == _expected("deadline", False)


@pytest.mark.parametrize("params", [{"sort": "deadline"}, {"sort": "-deadline", "page": "last"},
                                    {"sort": "created_at"}])
def test_a_sorted_ledger_query_count_is_pinned_and_does_not_grow_with_rows(
        client_as, leader, params, django_assert_max_num_queries):
    client = client_as("leader")
    few = _count_queries(client, params)
    for _ in range(8):
        issue(by=leader, target_offices=["police"])
    assert _count_queries(client, params) == few
    with django_assert_max_num_queries(LEDGER_QUERIES):
        client.get(LEDGER, params)


def test_a_large_ledger_export_is_a_job_the_worker_writes_in_the_pages_order(
        client_as, leader, exports_on_worker):
    """Above ``EXPORT_IN_REQUEST_UP_TO`` rows the export is a job (the worker's page and
    download: ``tests/core/test_export_jobs.py`` runs them on a real worker); the job writes
    the ledger's notices, in the user's scope, with its filters and order."""
    issue(by=leader, title="第一件")
    issue(by=leader, title="第二件")
    client = client_as("leader")
    expected = ledger_numbers(client.get(LEDGER, {"sort": "deadline"}))
    assert len(expected) >= 2
    response = client.get(LEDGER, {"sort": "deadline", "format": "xlsx"})
    job = ExportJob.objects.get(user=leader)
    assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
    assert (job.kind, job.query, job.total) == ("supervision.ledger", "sort=deadline",
                                                len(expected))
    job, rows = run_export_job(job)
    assert job.done == len(expected) and [row[1] for row in rows] == expected

"""``/api/v1/notices/``: list, issue, retrieve; acknowledge, progress, report, verify, return;
history; the 400 / 403 / 404 / 409 contract and the state names."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from supervision.models import NoticeState, SupervisionNotice

from .factories import (
    DAY,
    acknowledged,
    issue,
    large_grid,
    reported,
    set_deadline,
    staff_of,
    user,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notices/"
STATES = {"issued", "acknowledged", "reported", "verified", "returned"}


def url(notice, action=""):
    return f"{LIST}{notice.pk}/" + (f"{action}/" if action else "")


def all_results(client, **params):
    response = client.get(LIST, {"page_size": 200, **params})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == len(body["results"])
    return body["results"]


def issue_data(**overrides):
    data = {"kind": "supervision", "title": "马寨村灌溉纠纷督办", "situation": "两组争水。",
            "target_large_grids": [large_grid(1).pk], "target_offices": ["judicial_office"],
            "leader_in_charge": staff_of(user("leader")).pk, "measures": "组织轮灌协商。",
            "responsible": staff_of(user("gl01")).pk, "urgency": "ordinary"}
    data.update(overrides)
    return data


def state_of(notice) -> str:
    notice.refresh_from_db()
    return notice.state


# --- List, retrieve -----------------------------------------------------------------------------

def test_the_list_needs_a_login():
    assert APIClient().get(LIST).status_code in (401, 403)


def test_the_states_are_named_exactly_as_the_issue_says(api_as, leader, gl01):
    assert set(NoticeState.values) == STATES
    returned = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    response = api_as("leader").post(url(returned, "return"), {
        "opinion": "退回。", "new_deadline": (timezone.now() + 3 * DAY).isoformat()},
        format="json")
    assert response.status_code == 200
    results = all_results(api_as("leader"))
    assert len(results) == SupervisionNotice.objects.count()
    assert {r["state"] for r in results} == STATES  # the demo has the other four


def test_leadership_lists_the_town_a_grid_leader_what_is_addressed_to_him(api_as, leader, gl02):
    mine = issue(by=leader)
    theirs = issue(by=leader, target_large_grids=[large_grid(2)], responsible=staff_of(gl02))
    ids = {r["id"] for r in all_results(api_as("gl01"))}
    assert mine.pk in ids and theirs.pk not in ids
    ids = {r["id"] for r in all_results(api_as("gl02"))}
    assert theirs.pk in ids and mine.pk not in ids
    assert all_results(api_as("gm01")) == []


@pytest.mark.parametrize("param, value", [("state", "issued"), ("kind", "early_warning"),
                                          ("urgency", "urgent")])
def test_the_list_filters_by_field(api_as, param, value):
    results = all_results(api_as("leader"), **{param: value})
    assert results
    assert {r[param] for r in results} == {value}
    assert len(results) == SupervisionNotice.objects.filter(**{param: value}).count()


def test_the_list_filters_overdue(api_as, leader):
    late = set_deadline(issue(by=leader), timezone.now() - datetime.timedelta(hours=1))
    results = all_results(api_as("leader"), overdue="true")
    assert late.pk in {r["id"] for r in results}
    assert all(r["overdue"] for r in results)


def test_retrieve_shows_the_four_fixes_and_what_the_user_may_do(api_as, leader, gl01):
    notice = issue(by=leader)
    body = api_as("gl01").get(url(notice)).json()
    assert body["number"] == notice.number and body["state"] == "issued"
    assert body["leader_in_charge"]["id"] == staff_of(leader).pk
    assert body["responsible"]["id"] == staff_of(gl01).pk
    assert body["measures"] and body["deadline"]
    assert body["available_actions"] == ["acknowledge"]
    notice = reported(acknowledged(notice, by=gl01), by=gl01)
    body = api_as("leader").get(url(notice)).json()
    assert body["available_actions"] == ["verify", "return"]
    assert body["reports"][0]["result"]


def test_a_notice_out_of_scope_is_404(api_as, leader):
    notice = issue(by=leader)
    client = api_as("gl02")
    assert client.get(url(notice)).status_code == 404
    assert client.post(url(notice, "acknowledge"), {}, format="json").status_code == 404
    assert client.get(url(notice, "history")).status_code == 404
    assert state_of(notice) == "issued"


# --- Issue ----------------------------------------------------------------------------------------

def test_leadership_issues_a_notice(api_as, freeze):
    now = freeze(timezone.now())
    response = api_as("leader").post(LIST, issue_data(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    notice = SupervisionNotice.objects.get(pk=body["id"])
    assert body["number"] == notice.number and body["state"] == "issued"
    assert notice.deadline == now + 15 * DAY
    assert body["target_offices"] == ["judicial_office"]


def test_issuing_without_the_four_fixes_is_400_naming_each(api_as):
    data = issue_data()
    for field in ("leader_in_charge", "measures", "responsible"):
        data.pop(field)
    response = api_as("leader").post(LIST, data, format="json")
    assert response.status_code == 400
    assert {"leader_in_charge", "measures", "responsible"} <= set(response.json()["errors"])


def test_issuing_with_an_urgent_deadline_too_far_is_400_on_the_deadline(api_as):
    deadline = (timezone.now() + 8 * DAY).isoformat()
    response = api_as("leader").post(LIST, issue_data(urgency="urgent", deadline=deadline),
                                     format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"deadline"}


def test_issuing_about_another_towns_dispute_is_400(api_as):
    from tests.disputes.factories import make_dispute
    from tests.grid.factories import town_create

    other = town_create()
    theirs = make_dispute(by=other.user, small_grid=other.small_grid)
    before = SupervisionNotice.objects.count()
    response = api_as("leader").post(LIST, issue_data(dispute=theirs.pk), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"dispute"}
    assert SupervisionNotice.objects.count() == before


@pytest.mark.parametrize("username", ["gl01", "office"])
def test_issuing_is_403_for_anyone_but_leadership(api_as, username):
    before = SupervisionNotice.objects.count()
    response = api_as(username).post(LIST, issue_data(), format="json")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert SupervisionNotice.objects.count() == before


# --- Actions --------------------------------------------------------------------------------------

def test_the_whole_path_through_the_api(api_as, leader, gl01):
    notice = issue(by=leader)
    gl01_api, leader_api = api_as("gl01"), api_as("leader")
    response = gl01_api.post(url(notice, "acknowledge"), {"expected_state": "issued"},
                             format="json")
    assert response.status_code == 200 and response.json()["state"] == "acknowledged"
    response = gl01_api.post(url(notice, "progress"), {"note": "已走访两户。"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "acknowledged"
    response = gl01_api.post(url(notice, "report"), {"result": "双方达成协议。"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "reported"
    response = leader_api.post(url(notice, "verify"), {
        "facts_checked": True, "problem_solved": True, "measures_lawful": True,
        "opinion": "属实。"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "verified"
    assert response.json()["available_actions"] == []

    history = gl01_api.get(url(notice, "history")).json()
    assert [(h["action"], h["to_state"]) for h in history] == [
        ("issue", "issued"), ("acknowledge", "acknowledged"), ("progress", "acknowledged"),
        ("report", "reported"), ("verify", "verified")]
    assert [h["actor"] for h in history] == ["leader", "gl01", "gl01", "gl01", "leader"]


def test_return_hands_the_notice_back_with_its_new_deadline(api_as, leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    new_deadline = (timezone.now() + 4 * DAY).replace(microsecond=0)
    response = api_as("leader").post(url(notice, "return"), {
        "opinion": "协议缺一户签字。", "new_deadline": new_deadline.isoformat(),
        "problem_solved": False}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "returned"
    assert body["responsible"]["id"] == staff_of(gl01).pk
    notice.refresh_from_db()
    assert notice.deadline == new_deadline and notice.handler == staff_of(gl01)
    assert body["reports"][0]["accepted"] is False


@pytest.mark.parametrize("action, data, field", [
    ("progress", {}, "note"),
    ("report", {}, "result"),
    ("report", {"result": "部分完成。", "completed": False}, "shortfall"),
    ("verify", {"facts_checked": True, "problem_solved": False, "measures_lawful": True,
                "opinion": "问题未解决。"}, "opinion"),
    ("verify", {"facts_checked": True}, "opinion"),
    ("return", {"opinion": "退回。", "new_deadline": "2020-01-01T08:00:00+08:00"},
     "new_deadline"),
    ("return", {"opinion": "退回。"}, "new_deadline"),
])
def test_bad_input_is_400_with_the_field(api_as, leader, gl01, action, data, field):
    notice = acknowledged(issue(by=leader), by=gl01)
    if action in ("verify", "return"):
        notice = reported(notice, by=gl01)
    before = state_of(notice)
    client = api_as("leader" if action in ("verify", "return") else "gl01")
    response = client.post(url(notice, action), data, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert response.json()["detail"]
    assert state_of(notice) == before


@pytest.mark.parametrize("action, username", [
    ("acknowledge", "office"),  # sees the whole town, handles nothing
    ("acknowledge", "gl02"),  # sees large grid 2's notice, is not its responsible person
    ("verify", "gl01"),  # the responsible person does not verify his own report
    ("return", "gl01"),
])
def test_the_wrong_user_is_403(api_as, leader, gl01, action, username):
    notice = issue(by=leader, target_large_grids=[large_grid(1), large_grid(2)])
    if action != "acknowledge":
        notice = reported(acknowledged(notice, by=gl01), by=gl01)
    before = state_of(notice)
    data = {"facts_checked": True, "problem_solved": True, "measures_lawful": True,
            "opinion": "属实。", "new_deadline": (timezone.now() + 3 * DAY).isoformat()}
    response = api_as(username).post(url(notice, action), data, format="json")
    assert response.status_code == 403, response.json()
    assert state_of(notice) == before


@pytest.mark.parametrize("action", ["acknowledge", "progress", "report", "verify", "return"])
def test_an_action_from_the_wrong_state_is_409(api_as, leader, gl01, action):
    notice = issue(by=leader)
    if action == "acknowledge":
        notice = acknowledged(notice, by=gl01)
    data = {"note": "进展", "result": "完成。", "facts_checked": True, "problem_solved": True,
            "measures_lawful": True, "opinion": "属实。",
            "new_deadline": (timezone.now() + 3 * DAY).isoformat()}
    before = state_of(notice)
    response = api_as("leader").post(url(notice, action), data, format="json")
    assert response.status_code == 409, response.json()
    assert response.json()["detail"]
    assert state_of(notice) == before


def test_a_stale_expected_state_is_409(api_as, leader, gl01):
    notice = acknowledged(issue(by=leader), by=gl01)
    response = api_as("gl01").post(url(notice, "report"),
                                   {"result": "完成。", "expected_state": "issued"}, format="json")
    assert response.status_code == 409
    assert "已签收" in response.json()["detail"]
    assert state_of(notice) == "acknowledged"


# --- Schema and query counts ----------------------------------------------------------------------

def test_the_schema_describes_every_notice_endpoint():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert {"/api/v1/notices/", "/api/v1/notices/{id}/",
            "/api/v1/notices/{id}/history/"} <= set(paths)
    assert "post" in paths["/api/v1/notices/"]
    for action in ("acknowledge", "progress", "report", "verify", "return"):
        path = f"/api/v1/notices/{{id}}/{action}/"
        assert path in paths, path
        assert {"200", "400", "403", "404", "409"} <= set(paths[path]["post"]["responses"])


# Per request: the scope (6), the count (1), the rows with their people (1), their target
# villages (1).
LIST_QUERIES = 9


def test_the_list_query_count_does_not_grow_with_rows(api_as, leader,
                                                     django_assert_max_num_queries):
    for _ in range(6):
        issue(by=leader)
    counts = []
    for page_size in (2, 10):
        client = api_as("leader")  # a fresh user: its scope is computed again
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    client = api_as("leader")
    with django_assert_max_num_queries(LIST_QUERIES):
        client.get(LIST, {"page_size": 200})

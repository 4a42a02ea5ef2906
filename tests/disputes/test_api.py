"""``/api/v1/disputes/``: the ledger's filters, intake, the case, every action's 200 / 400 / 403 /
404 / 409, history, the Fengqiao headline, masking and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from disputes.models import OPEN_STATES, Dispute, DisputeState
from grid.models import LargeGrid

from .factories import (
    FIRST_TIER_ACTIONS,
    ID_NUMBER,
    PHONE,
    demo_small_grid,
    escalate_to,
    follow_up,
    make_dispute,
    notify_rights,
    resolve,
    staff_of,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/disputes/"


def url(dispute, action=""):
    return f"{LIST}{dispute.pk}/" + (f"{action}/" if action else "")


def intake(**overrides):
    data = {"small_grid": demo_small_grid().pk, "title": "刘某与陈某宅基地纠纷",
            "description": "院墙越界约半米。", "category": "housing_homestead",
            "risk_level": "yellow",
            "parties": [{"name": "刘建军", "role": "applicant", "phone": PHONE,
                         "id_number": ID_NUMBER},
                        {"name": "陈玉珍", "role": "respondent"}]}
    data.update(overrides)
    return data


def all_results(client, **params):
    response = client.get(LIST, {"page_size": 200, **params})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == len(body["results"]), "one page holds them all"
    return body["results"]


# --- List and its filters ---------------------------------------------------------------------

def test_list_needs_a_login():
    assert APIClient().get(LIST).status_code in (401, 403)


def test_list_shows_leadership_the_whole_town(api_as):
    results = all_results(api_as("leader"))
    assert len(results) == Dispute.objects.count()
    assert {r["state"] for r in results} <= set(DisputeState.values)


def test_list_shows_a_grid_member_only_their_small_grid(api_as):
    results = all_results(api_as("gm01"))
    assert results
    assert {r["small_grid"] for r in results} == {demo_small_grid().pk}


@pytest.mark.parametrize(("param", "value", "field"), [
    ("state", "resolved", "state"),
    ("state", "chair", "state"),
    ("category", "neighbour", "category"),
    ("risk_level", "red", "risk_level"),
])
def test_list_filters_by_field(api_as, param, value, field):
    results = all_results(api_as("leader"), **{param: value})
    assert len(results) == Dispute.objects.filter(**{field: value}).count() > 0
    assert {r[field] for r in results} == {value}


def test_list_filters_by_large_grid(api_as):
    lg = LargeGrid.objects.get(town__code="620823103", number=4)
    results = all_results(api_as("leader"), large_grid=lg.pk)
    assert len(results) == Dispute.objects.filter(small_grid__large_grid=lg).count() > 0
    assert {r["large_grid"] for r in results} == {lg.pk}


def test_list_filters_overdue_cases(api_as):
    results = all_results(api_as("leader"), overdue="true")
    expected = Dispute.objects.filter(state__in=OPEN_STATES, tier_due_at__lt=timezone.now())
    assert len(results) == expected.count() > 0
    assert all(r["overdue"] and r["state"] in OPEN_STATES for r in results)


def test_list_filters_by_date_found(api_as):
    today = timezone.localdate()
    since = today - datetime.timedelta(days=20)
    results = all_results(api_as("leader"), found_from=since.isoformat(),
                          found_to=today.isoformat())
    assert len(results) == Dispute.objects.filter(found_at__date__gte=since).count() > 0
    for r in results:
        found = timezone.localtime(datetime.datetime.fromisoformat(r["found_at"])).date()
        assert since <= found <= today


def test_list_refuses_bad_filters_with_chinese_field_errors(api_as):
    response = api_as("leader").get(LIST, {"state": "nonsense", "found_from": "2026-13-01"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"state", "found_from"} <= set(errors)
    assert "有效" in errors["state"][0]


def test_list_masks_parties_and_detail_masks_their_numbers(api_as, gm01):
    dispute = make_dispute(by=gm01)
    client = api_as("gm01")
    (row,) = [r for r in all_results(client) if r["id"] == dispute.pk]
    first = row["parties"][0]
    assert (first["name"], first["phone"], first["id_number"]) == (
        "张*丰", "138****5678", "6208**********1239")
    detail = client.get(url(dispute)).json()
    first = detail["parties"][0]
    assert (first["name"], first["phone"], first["id_number"]) == (
        "张三丰", "138****5678", "6208**********1239")


def test_full_numbers_come_only_through_a_recorded_request(api_as, gm01):
    from core.models import PersonalDataAccess

    dispute = make_dispute(by=gm01)
    response = api_as("gm01").post(url(dispute, "personal-data"), {"reason": "电话联系"},
                                   format="json")
    assert response.status_code == 200
    assert (response.json()[0]["phone"], response.json()[0]["id_number"]) == (PHONE, ID_NUMBER)
    access = PersonalDataAccess.objects.get(record_type="disputes.dispute", record_id=dispute.pk)
    assert (access.user, access.reason) == (gm01, "电话联系")
    assert api_as("gm01").post(url(dispute, "personal-data"), {},
                               format="json").status_code == 400
    refused = api_as("office").post(url(dispute, "personal-data"), {"reason": "看看"},
                                    format="json")
    assert refused.status_code == 403
    assert PersonalDataAccess.objects.filter(record_id=dispute.pk,
                                             record_type="disputes.dispute").count() == 1


# --- Create -----------------------------------------------------------------------------------

def test_create_logs_the_case_at_the_first_tier(api_as, gm01):
    response = api_as("gm01").post(LIST, intake(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "grid_member"
    assert body["number"].startswith("黄寨人调〔")
    assert body["handler"]["id"] == staff_of(gm01).pk
    assert body["available_actions"] == FIRST_TIER_ACTIONS
    assert Dispute.objects.get(pk=body["id"]).parties.count() == 2


@pytest.mark.parametrize(("party", "key", "words"), [
    ({"phone": "1381234567"}, "parties[0].phone", "11位手机号码"),
    ({"id_number": "620823198001011230"}, "parties[0].id_number", "校验位"),
    ({"id_number": "6208231980"}, "parties[0].id_number", "18位"),
])
def test_create_with_a_bad_phone_or_id_answers_400_in_chinese(api_as, party, key, words):
    data = intake()
    data["parties"][0].update(party)
    before = Dispute.objects.count()
    response = api_as("gm01").post(LIST, data, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "提交的数据有误，请检查。"
    assert words in body["errors"][key][0]
    assert Dispute.objects.count() == before


def test_create_with_missing_fields_answers_400_per_field(api_as):
    response = api_as("gm01").post(LIST, {"small_grid": demo_small_grid().pk, "parties": []},
                                   format="json")
    assert response.status_code == 400
    assert {"title", "description", "category", "parties"} <= set(response.json()["errors"])


def test_create_in_a_small_grid_outside_scope_is_refused_like_a_missing_one(api_as):
    before = Dispute.objects.count()
    response = api_as("gm01").post(LIST, intake(small_grid=demo_small_grid(2, 1).pk),
                                   format="json")
    # The same answer as for a small grid that does not exist: no existence oracle.
    missing = api_as("gm01").post(LIST, intake(small_grid=999999), format="json")
    assert response.status_code == missing.status_code == 400
    assert response.json() == missing.json()
    assert "管辖范围" in str(response.json()["errors"]["small_grid"])
    assert Dispute.objects.count() == before


def test_create_in_an_unknown_small_grid_answers_400(api_as):
    response = api_as("gm01").post(LIST, intake(small_grid=999999), format="json")
    assert response.status_code == 400
    assert "small_grid" in response.json()["errors"]


# --- Retrieve, history, scope ----------------------------------------------------------------

def test_retrieve_a_case_outside_scope_answers_404(api_as, gm02):
    dispute = make_dispute(by=gm02, small_grid=demo_small_grid(2, 1))
    client = api_as("gm01")
    assert client.get(url(dispute)).status_code == 404
    assert client.get(url(dispute, "history")).status_code == 404
    assert api_as("gm02").get(url(dispute)).status_code == 200


def test_history_lists_every_step_in_order(api_as, gm01, med01):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    resolve(dispute, by=med01)
    response = api_as("gm01").get(url(dispute, "history"))
    assert response.status_code == 200
    assert [(e["action"], e["from_state"], e["to_state"], e["actor"]) for e in response.json()] == [
        ("create", "", "grid_member", "gm01"),
        ("escalate", "grid_member", "mediator", "gm01"),
        ("resolve", "mediator", "resolved", "med01"),
    ]
    assert response.json()[1]["handler"]["id"] == staff_of(med01).pk


# --- Actions: 200 / 400 / 403 / 404 / 409 ----------------------------------------------------

def new_case(u):
    return make_dispute(by=u["gm01"])


def red_case(u):
    return make_dispute(by=u["gm01"], risk_level="red")


def at(state, **fields):
    def make(u):
        return escalate_to(make_dispute(by=u["gm01"], **fields), state,
                           mediator=staff_of(u["med01"]))
    return make


def resolved(u):
    return resolve(make_dispute(by=u["gm01"]))


def followed_up(kept):
    def make(u):
        return follow_up(resolved(u), by=u["gm01"], kept=kept)
    return make


def voided(u):
    from disputes import services

    dispute = make_dispute(by=u["gm01"])
    services.dispute_void(dispute=dispute, by=u["leader"], reason="误登记")
    return dispute


def gm02_case(u):
    return make_dispute(by=u["gm02"], small_grid=demo_small_grid(2, 1))


TODAY = timezone.localdate().isoformat()
WRITTEN = {"kind": "written", "facts": "院墙越界。", "points_in_dispute": "界址",
           "terms": "后退院墙0.5米。", "responsibilities": "李某承担全部责任。",
           "performance_method": "自行拆除",
           "performance_deadline": "2099-01-01", "signed_on": "2026-01-05"}

# action → (setup of the allowed case, who, body, resulting state)
ALLOWED = {
    "escalate": (new_case, "gm01", {"note": "劝解未果"}, "mediator"),
    "escalate_urgent": (red_case, "gm01", {"note": "扬言报复"}, "chair"),
    "resolve": (lambda u: notify_rights(at("mediator")(u), by=u["med01"]), "med01",
                {"note": "达成书面协议", "written_required": True, "agreement": WRITTEN},
                "resolved"),
    "refer": (at("chair"), "chair", {"target": "court", "note": "调解不成"}, "referred"),
    "followup": (resolved, "gm01", {"visited_on": TODAY, "agreement_kept": True},
                 "resolved"),
    "close": (followed_up(True), "gm01", {}, "closed"),
    "reopen": (followed_up(False), "gm01", {"note": "未按期付款"}, "mediator"),
    "withdraw": (new_case, "gm01", {"note": "申请人撤回"}, "withdrawn"),
    "void": (new_case, "leader", {"note": "误登记"}, "voided"),
}
# action → (setup of a case in a state the action does not leave from, who, body)
WRONG_STATE = {
    "escalate": (resolved, "gm01", {"note": "上交"}),
    "escalate_urgent": (new_case, "gm01", {"note": "不红也无风险标记"}),
    "resolve": (resolved, "gm01", {"note": "再化解"}),
    "refer": (at("grid_member", risk_civil_to_criminal=True), "gm01",
              {"target": "court", "note": "只能移交派出所"}),
    "followup": (new_case, "gm01", {"visited_on": TODAY, "agreement_kept": True}),
    "close": (resolved, "gm01", {}),
    "reopen": (followed_up(True), "gm01", {"note": "再调"}),
    "withdraw": (resolved, "gm01", {"note": "撤回"}),
    "void": (voided, "leader", {"note": "再作废"}),
}
# action → (setup, a user in scope without the right, body)
WRONG_USER = {
    "escalate": (at("grid_leader"), "gm01", {"note": "上交"}),
    "escalate_urgent": (red_case, "office", {"note": "紧急"}),
    "resolve": (at("mediator"), "gm01", {"note": "化解"}),
    "refer": (at("chair"), "gm01", {"target": "court", "note": "移交"}),
    "followup": (resolved, "office", {"visited_on": TODAY, "agreement_kept": True}),
    "close": (followed_up(True), "office", {}),
    "reopen": (followed_up(False), "office", {"note": "再调"}),
    "withdraw": (new_case, "office", {"note": "撤回"}),
    "void": (new_case, "chair", {"note": "误登记"}),
}
# action → (setup, who, body missing a required field, the field)
BAD_INPUT = {
    "escalate": (new_case, "gm01", {}, "note"),
    "escalate_urgent": (red_case, "gm01", {"note": ""}, "note"),
    "resolve": (new_case, "gm01", {"note": "化解", "written_required": True}, "agreement"),
    "refer": (at("chair"), "chair", {"target": "mars", "note": "移交"}, "target"),
    "followup": (resolved, "gm01", {"agreement_kept": True}, "visited_on"),
    "reopen": (followed_up(False), "gm01", {}, "note"),
    "withdraw": (new_case, "gm01", {"note": " "}, "note"),
    "void": (new_case, "leader", {}, "note"),
}


@pytest.fixture
def users(user_factory):
    return {name: user_factory(name) for name in ("gm01", "gm02", "med01", "leader", "chair")}


@pytest.mark.parametrize("action", list(ALLOWED))
def test_action_allowed_answers_200_with_the_new_state(api_as, users, action):
    setup, who, body, state = ALLOWED[action]
    dispute = setup(users)
    events = dispute.events.count()
    response = api_as(who).post(url(dispute, action), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == state
    dispute.refresh_from_db()
    assert dispute.state == state
    assert dispute.events.count() == events + 1
    assert dispute.events.order_by("-id").first().action == action


@pytest.mark.parametrize("action", list(WRONG_STATE))
def test_action_from_the_wrong_state_answers_409(api_as, users, action):
    setup, who, body = WRONG_STATE[action]
    dispute = setup(users)
    state, events = dispute.state, dispute.events.count()
    response = api_as(who).post(url(dispute, action), body, format="json")
    assert response.status_code == 409, response.json()
    assert response.json()["detail"]
    dispute.refresh_from_db()
    assert (dispute.state, dispute.events.count()) == (state, events)


@pytest.mark.parametrize("action", list(WRONG_USER))
def test_action_by_a_user_without_the_right_answers_403(api_as, users, action):
    setup, who, body = WRONG_USER[action]
    dispute = setup(users)
    state = dispute.state
    response = api_as(who).post(url(dispute, action), body, format="json")
    assert response.status_code == 403, response.json()
    assert response.json()["detail"]
    dispute.refresh_from_db()
    assert dispute.state == state


@pytest.mark.parametrize("action", list(ALLOWED))
def test_action_on_a_case_outside_scope_answers_404(api_as, users, action):
    dispute = gm02_case(users)
    body = ALLOWED[action][2]
    response = api_as("gm01").post(url(dispute, action), body, format="json")
    assert response.status_code == 404
    assert "管辖范围" in response.json()["detail"]


@pytest.mark.parametrize("action", list(BAD_INPUT))
def test_action_with_missing_input_answers_400_with_the_field(api_as, users, action):
    setup, who, body, field = BAD_INPUT[action]
    dispute = setup(users)
    state = dispute.state
    response = api_as(who).post(url(dispute, action), body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    dispute.refresh_from_db()
    assert dispute.state == state


@pytest.mark.parametrize(("action", "words"), [
    ("escalate_urgent", "红色风险"), ("refer", "派出所"), ("resolve", "已化解"),
])
def test_409_says_why_the_action_is_not_allowed(api_as, users, action, words):
    setup, who, body = WRONG_STATE[action]
    response = api_as(who).post(url(setup(users), action), body, format="json")
    assert response.status_code == 409
    assert words in response.json()["detail"]


def test_action_with_a_stale_expected_state_answers_409(api_as, gm01):
    dispute = make_dispute(by=gm01)
    client = api_as("gm01")
    ok = client.post(url(dispute, "escalate"), {"note": "上交", "expected_state": "grid_member"},
                     format="json")
    assert ok.status_code == 200
    stale = client.post(url(dispute, "withdraw"), {"note": "撤回", "expected_state": "grid_member"},
                        format="json")
    assert stale.status_code == 409
    assert "调解员调解" in stale.json()["detail"]
    dispute.refresh_from_db()
    assert dispute.state == "mediator"


def test_escalate_may_choose_the_mediator(api_as, gm01, med01):
    dispute = make_dispute(by=gm01)
    response = api_as("gm01").post(url(dispute, "escalate"),
                                   {"note": "上交", "mediator": staff_of(med01).pk}, format="json")
    assert response.status_code == 200
    assert response.json()["handler"]["id"] == staff_of(med01).pk


def test_resolve_answers_with_the_agreement(api_as, users):
    dispute = ALLOWED["resolve"][0](users)
    response = api_as("med01").post(url(dispute, "resolve"), ALLOWED["resolve"][2], format="json")
    agreement = response.json()["agreement"]
    assert agreement["kind"] == "written"
    assert agreement["signed_on"] == "2026-01-05"
    assert response.json()["resolved_tier"] == "mediator"


# --- The Fengqiao headline --------------------------------------------------------------------

def test_fengqiao_headline_for_the_demo_year(api_as):
    response = api_as("leader").get(f"{LIST}fengqiao/")
    assert response.status_code == 200
    body = response.json()
    assert [(t["tier"], t["resolved"]) for t in body["tiers"]] == [
        ("grid_member", 40), ("mediator", 30), ("grid_leader", 20), ("chair", 9)]
    assert (body["resolved"], body["referred"]) == (99, 5)
    # The demo's three mediations terminated without agreement count apart from referrals.
    assert body["terminated"] == 3
    # Other apps' demos (a petition docked into a dispute) may add open cases.
    assert body["open"] == Dispute.objects.filter(state__in=OPEN_STATES).count() >= 13
    assert body["total"] == Dispute.objects.exclude(state="voided").count()


def test_fengqiao_headline_counts_only_the_users_scope(api_as):
    body = api_as("gm01").get(f"{LIST}fengqiao/").json()
    mine = Dispute.objects.filter(small_grid=demo_small_grid())
    assert body["total"] == mine.exclude(state="voided").count()
    assert body["referred"] == mine.filter(state="referred").count()


# --- Schema -----------------------------------------------------------------------------------

def test_schema_describes_every_dispute_endpoint():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    paths = set(schema["paths"])
    assert {"/api/v1/disputes/", "/api/v1/disputes/{id}/", "/api/v1/disputes/{id}/history/",
            "/api/v1/disputes/fengqiao/"} <= paths
    for action in ALLOWED:
        path = f"/api/v1/disputes/{{id}}/{action}/"
        assert path in paths, path
        assert {"200", "400", "403", "404", "409"} <= set(schema["paths"][path]["post"]["responses"])


# --- Query counts -----------------------------------------------------------------------------

# Per request: the scope (6), the page count (1), the rows (1), their parties (1).
LIST_QUERIES = 9


def test_list_query_count_does_not_grow_with_rows(api_as, django_assert_max_num_queries):
    counts = []
    for page_size in (5, 100):
        client = api_as("leader")  # a fresh user: its scope is computed again
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    client = api_as("leader")
    with django_assert_max_num_queries(LIST_QUERIES):
        client.get(LIST, {"page_size": 200, "state": "resolved"})

"""``/api/v1/petitions/``: list and its filters, registration, the petition, every action's
200 / 400 / 403 / 404 / 409, the expected-state conflict, history and query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from petitions import services
from petitions.models import Petition, PetitionState

from .factories import (
    ID_NUMBER,
    PHONE,
    accept,
    answer_review,
    assign_coordinator,
    demo_small_grid,
    escalate,
    make_petition,
    petitioner,
    reply,
    reply_fields,
    representatives,
    request_review,
    staff_of,
    town_staff,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/petitions/"
TODAY = timezone.localdate().isoformat()


def url(petition, action=""):
    return f"{LIST}{petition.pk}/" + (f"{action}/" if action else "")


def registration(**overrides):
    data = {"small_grid": demo_small_grid().pk, "form": "visit", "kind": "claim",
            "subject": "要求解决承包地灌溉渠堵塞问题", "content": "灌溉渠被堵塞，无法春灌。",
            "petitioners": [{"name": "王建设", "phone": PHONE, "id_number": ID_NUMBER,
                             "gender": "male"}]}
    data.update(overrides)
    return data


def all_results(client, **params):
    response = client.get(LIST, {"page_size": 200, **params})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == len(body["results"]), "one page holds them all"
    return body["results"]


# --- List -------------------------------------------------------------------------------------

def test_list_needs_a_login():
    assert APIClient().get(LIST).status_code in (401, 403)


def test_list_shows_the_petition_office_the_whole_town_with_json_state_names(api_as):
    results = all_results(api_as("petition"))
    assert len(results) == Petition.objects.count()
    # Every state but voided: a petition is voided only when entered in error (an import
    # undone), which the demo does not do.
    assert {r["state"] for r in results} == set(PetitionState.values) - {
        PetitionState.VOIDED}, "the demo has every state"


def test_list_shows_a_grid_member_only_their_small_grid(api_as):
    results = all_results(api_as("gm01"))
    assert results
    assert {r["small_grid"] for r in results} == {demo_small_grid().pk}


@pytest.mark.parametrize(("params", "field", "value"), [
    ({"state": "town"}, "state", "town"),
    ({"kind": "suggestion"}, "kind", "suggestion"),
    ({"repeat": "true"}, "is_repeat", True),
    ({"group": "true"}, "is_group", True),
])
def test_list_filters(api_as, params, field, value):
    results = all_results(api_as("leader"), **params)
    assert results
    assert {r[field] for r in results} == {value}


def test_list_masks_the_petitioners(api_as, gm01):
    petition = make_petition(by=gm01)
    row = next(r for r in all_results(api_as("gm01")) if r["id"] == petition.pk)
    assert row["petitioners"] == "王*设（138****5678）"
    assert ID_NUMBER not in str(row)


def test_list_refuses_bad_filters_with_field_errors(api_as):
    response = api_as("leader").get(LIST, {"state": "lost", "received_from": "soon"})
    assert response.status_code == 400
    assert {"state", "received_from"} <= set(response.json()["errors"])


# --- Create and retrieve ----------------------------------------------------------------------

def test_create_registers_the_petition_with_the_grid_member_as_proxy(api_as, gm01):
    response = api_as("petition").post(LIST, registration(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "registered"
    assert body["number"].startswith("黄寨信〔")
    assert body["proxy_agent"]["id"] == body["handler"]["id"] == staff_of(gm01).pk
    assert body["accept_due"] and body["reply_due"] is None
    assert (body["is_repeat"], body["is_group"], body["skip_level"], body["overdue"]) == (
        False, False, False, False)
    assert body["petitioners"][0]["id_number"] == "6208**********1239"
    full = api_as("petition").post(f"{LIST}{body['id']}/personal-data/", {"reason": "核对身份"},
                                   format="json")
    assert full.status_code == 200 and full.json()[0]["id_number"] == ID_NUMBER
    assert "accept" in body["available_actions"]


def test_create_a_group_petition_with_six_representatives_answers_400(api_as):
    before = Petition.objects.count()
    response = api_as("gm01").post(LIST, registration(people_count=12,
                                                      petitioners=representatives(6)),
                                   format="json")
    assert response.status_code == 400
    assert "代表人数不超过5人" in response.json()["errors"]["petitioners"][0]
    assert Petition.objects.count() == before


@pytest.mark.parametrize(("person", "key", "words"), [
    ({"name": "王建设", "phone": "12345"}, "petitioners[0].phone", "11位手机号码"),
    ({"name": "王建设", "id_number": "620823198001011230"}, "petitioners[0].id_number", "校验位"),
])
def test_create_with_a_bad_phone_or_id_answers_400_in_chinese(api_as, person, key, words):
    response = api_as("gm01").post(LIST, registration(petitioners=[person]), format="json")
    assert response.status_code == 400, response.json()
    assert words in response.json()["errors"][key][0]


def test_create_with_missing_fields_answers_400_per_field(api_as):
    response = api_as("gm01").post(LIST, {"small_grid": demo_small_grid().pk}, format="json")
    assert response.status_code == 400
    assert {"form", "kind", "subject", "content", "petitioners"} <= set(
        response.json()["errors"])


def test_create_outside_scope_answers_like_a_missing_small_grid_and_saves_nothing(api_as):
    before = Petition.objects.count()
    response = api_as("gm01").post(LIST, registration(small_grid=demo_small_grid(2, 1).pk),
                                   format="json")
    missing = api_as("gm01").post(LIST, registration(small_grid=999999), format="json")
    assert response.status_code == missing.status_code == 400
    assert response.json() == missing.json()
    assert Petition.objects.count() == before


def test_retrieve_outside_scope_answers_404(api_as, gm02):
    petition = make_petition(by=gm02, small_grid=demo_small_grid(2, 1))
    response = api_as("gm01").get(url(petition))
    assert response.status_code == 404
    assert "管辖范围" in response.json()["detail"]
    assert api_as("gm02").get(url(petition)).status_code == 200


def test_retrieve_unknown_answers_404(api_as):
    assert api_as("leader").get(f"{LIST}999999/").status_code == 404


# --- Actions: 200 / 400 / 403 / 404 / 409 ----------------------------------------------------

def registered(u):
    return make_petition(by=u["gm01"])


def at_grid(u):
    return accept(make_petition(by=u["gm01"]), by=u["gm01"])


def at_town(u):
    return escalate(at_grid(u), by=u["gm01"])


def at_town_with_coordinator(u):
    return assign_coordinator(at_town(u), by=u["petition"], coordinator=staff_of(u["office"]))


def answered(u):
    return reply(at_grid(u), by=u["gm01"])


def under_review(u):
    petition = answered(u)
    request_review(petition, by=u["petition"])
    return petition


def extension_requested(u):
    petition = at_grid(u)
    services.petition_request_extension(petition=petition, by=u["gm01"], days=20,
                                        reason="需调取档案核实")
    petition.refresh_from_db()
    return petition


def accusation_at_grid(u):
    return accept(make_petition(by=u["gm01"], kind="accusation", subject="反映村干部优亲厚友"),
                  by=u["gm01"])


def under_re_review(u):
    petition = under_review(u)
    answer_review(petition, by=u["petition"])
    request_review(petition, by=u["petition"], reviewing_body="平凉市人民政府")
    return petition


def guided(u):
    petition = make_petition(by=u["gm01"])
    services.petition_guide(petition=petition, by=u["gm01"], guided_to="县社保局")
    petition.refresh_from_db()
    return petition


REPLY = reply_fields()
EXTENSION = {"days": 30, "reason": "需调取档案"}
HEARING = {"held_on": TODAY, "days": 3, "place": "镇政府会议室", "participants": "信访人、村委会",
           "record": "各方陈述意见。"}

# action → (setup of the allowed case, who, body, resulting state)
ALLOWED = {
    "accept": (registered, "gm01", {"note": "依法受理"}, "grid"),
    "decline": (registered, "petition", {"reason": "已进入诉讼程序。",
                                         "proper_channel": "向人民法院提出"}, "declined"),
    "guide": (registered, "gm01", {"guided_to": "县社保局"}, "closed"),
    "escalate": (at_grid, "gm01", {"note": "需镇级协调"}, "town"),
    "assign_coordinator": (at_town, "petition", {"county_department": "县水务局"}, "town"),
    "request_extension": (at_grid, "gm01", EXTENSION, "grid"),
    "approve_extension": (extension_requested, "leader", {"note": "同意"}, "grid"),
    "refuse_extension": (extension_requested, "leader", {"note": "理由不足"}, "grid"),
    "transfer_discipline": (accusation_at_grid, "petition", {"organ": "崇信县纪委监委"},
                            "transferred"),
    "reply": (at_grid, "gm01", REPLY, "replied"),
    "deliver": (answered, "gm01", {"delivered_on": TODAY, "method": "post"}, "replied"),
    "evaluate": (answered, "gm01", {"evaluation": "basically_satisfied", "comment": "基本解决"},
                 "replied"),
    "hearing": (under_re_review, "petition", HEARING, "replied"),
    "recuse": (at_grid, "gl01", {"reason": "系信访人近亲属"}, "grid"),
    "national_number": (at_grid, "petition", {"national_number": "62082326000999"}, "grid"),
    "close": (answered, "gm01", {"satisfied": True}, "closed"),
    "review": (answered, "petition", {"requested_on": TODAY, "reviewing_body": "崇信县人民政府"},
               "replied"),
    "dock": (at_grid, "gm01", {"parties_agree": True, "category": "neighbour",
                               "respondents": [{"name": "吴国华"}]}, "grid"),
    "withdraw": (at_grid, "gm01", {"note": "信访人撤回"}, "closed"),
}
# action → (setup of a petition in a state the action does not leave from, who, body)
WRONG_STATE = {
    "accept": (at_grid, "gm01", {}),
    "decline": (at_grid, "gm01", {"reason": "x", "proper_channel": "y"}),
    "guide": (at_grid, "gm01", {"guided_to": "县信访局"}),
    "escalate": (registered, "gm01", {"note": "上交"}),
    "assign_coordinator": (registered, "petition", {"county_department": "县水务局"}),
    "request_extension": (answered, "gm01", EXTENSION),
    "approve_extension": (at_grid, "leader", {}),
    "refuse_extension": (at_grid, "leader", {"note": "理由不足"}),
    "transfer_discipline": (at_grid, "petition", {"organ": "崇信县纪委监委"}),
    "reply": (registered, "gm01", REPLY),
    "deliver": (at_grid, "gm01", {"delivered_on": TODAY, "method": "post"}),
    "evaluate": (at_grid, "gm01", {"evaluation": "satisfied"}),
    "hearing": (under_review, "petition", HEARING),
    "recuse": (guided, "gm01", {"reason": "系信访人近亲属"}),
    "close": (at_grid, "gm01", {"satisfied": True}),
    "review": (at_grid, "petition", {"requested_on": TODAY, "reviewing_body": "县政府"}),
    "dock": (registered, "gm01", {"parties_agree": True}),
    "withdraw": (answered, "gm01", {"note": "撤回"}),
}
# action → (setup, a user in scope without the right, body)
WRONG_USER = {
    "accept": (registered, "med01", {}),
    "decline": (registered, "office", {"reason": "x", "proper_channel": "y"}),
    "guide": (registered, "med01", {"guided_to": "县信访局"}),
    "escalate": (at_town, "gm01", {"note": "上交"}),
    "assign_coordinator": (at_town, "gl01", {"county_department": "县水务局"}),
    "request_extension": (at_grid, "med01", EXTENSION),
    # 信访工作条例 第三十四条: the organ's responsible person approves, not the petition office.
    "approve_extension": (extension_requested, "petition", {}),
    "refuse_extension": (extension_requested, "petition", {"note": "理由不足"}),
    "transfer_discipline": (accusation_at_grid, "gm01", {"organ": "崇信县纪委监委"}),
    "reply": (at_town, "gm01", REPLY),
    "deliver": (answered, "office", {"delivered_on": TODAY, "method": "post"}),
    "evaluate": (answered, "office", {"evaluation": "satisfied"}),
    "hearing": (under_re_review, "gm01", HEARING),
    "national_number": (at_grid, "gm01", {"national_number": "62082326000999"}),
    "close": (answered, "office", {"satisfied": True}),
    "review": (answered, "gm01", {"requested_on": TODAY, "reviewing_body": "县政府"}),
    "dock": (at_grid, "med01", {"parties_agree": True}),
    "withdraw": (at_grid, "office", {"note": "撤回"}),
}
# action → (setup, who, body missing or spoiling a required field, the field)
BAD_INPUT = {
    "decline": (registered, "gm01", {"reason": "已诉讼"}, "proper_channel"),
    "guide": (registered, "gm01", {}, "guided_to"),
    "escalate": (at_grid, "gm01", {}, "note"),
    "assign_coordinator": (at_town, "petition", {}, "county_department"),
    "request_extension": (at_grid, "gm01", {"days": 31, "reason": "核实"}, "days"),
    "refuse_extension": (extension_requested, "leader", {}, "note"),
    "transfer_discipline": (accusation_at_grid, "petition", {}, "organ"),
    "reply": (at_grid, "gm01", {**REPLY, "facts": ""}, "facts"),
    "deliver": (answered, "gm01", {"method": "pigeon"}, "method"),
    "evaluate": (answered, "gm01", {"evaluation": "meh"}, "evaluation"),
    "hearing": (under_re_review, "petition", {"held_on": TODAY}, "place"),
    "recuse": (at_grid, "gm01", {}, "reason"),
    "national_number": (at_grid, "petition", {}, "national_number"),
    "close": (answered, "gm01", {"satisfied": "maybe"}, "satisfied"),
    "review": (answered, "petition", {}, "requested_on"),
    "dock": (at_grid, "gm01", {}, "parties_agree"),
    "withdraw": (at_grid, "gm01", {}, "note"),
}


@pytest.fixture
def users(user_factory):
    return {name: user_factory(name)
            for name in ("gm01", "gm02", "gl01", "med01", "leader", "petition", "office")}


def with_coordinator(body):
    """The coordinator is a staff id, known only once the database is there."""
    if "county_department" in body:
        return {"coordinator": town_staff().pk, **body}
    return body


@pytest.mark.parametrize("action", list(ALLOWED))
def test_action_allowed_answers_200_with_the_new_state(api_as, users, action):
    setup, who, body, state = ALLOWED[action]
    petition = setup(users)
    events = petition.events.count()
    response = api_as(who).post(url(petition, action), with_coordinator(body),
                                format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == state
    petition.refresh_from_db()
    assert petition.state == state
    assert petition.events.count() == events + 1
    assert petition.events.order_by("-id").first().action == action


@pytest.mark.parametrize("action", list(WRONG_STATE))
def test_action_from_the_wrong_state_answers_409(api_as, users, action):
    setup, who, body = WRONG_STATE[action]
    petition = setup(users)
    state, events = petition.state, petition.events.count()
    response = api_as(who).post(url(petition, action), with_coordinator(body),
                                format="json")
    assert response.status_code == 409, response.json()
    assert response.json()["detail"]
    petition.refresh_from_db()
    assert (petition.state, petition.events.count()) == (state, events)


@pytest.mark.parametrize("action", list(WRONG_USER))
def test_action_by_a_user_without_the_right_answers_403(api_as, users, action):
    setup, who, body = WRONG_USER[action]
    petition = setup(users)
    state, events = petition.state, petition.events.count()
    response = api_as(who).post(url(petition, action), with_coordinator(body),
                                format="json")
    assert response.status_code == 403, response.json()
    assert response.json()["detail"]
    petition.refresh_from_db()
    assert (petition.state, petition.events.count()) == (state, events)


@pytest.mark.parametrize("action", [*ALLOWED, "higher-visits"])
def test_action_on_a_petition_outside_scope_answers_404(api_as, users, action):
    petition = make_petition(by=users["gm02"], small_grid=demo_small_grid(2, 1))
    body = ALLOWED[action][2] if action in ALLOWED else {"level": "city", "visited_on": TODAY}
    response = api_as("gm01").post(url(petition, action), with_coordinator(body),
                                   format="json")
    assert response.status_code == 404
    assert "管辖范围" in response.json()["detail"]


@pytest.mark.parametrize("action", list(BAD_INPUT))
def test_action_with_missing_input_answers_400_with_the_field(api_as, users, action):
    setup, who, body, field = BAD_INPUT[action]
    petition = setup(users)
    state, events = petition.state, petition.events.count()
    response = api_as(who).post(url(petition, action), with_coordinator(body),
                                format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    petition.refresh_from_db()
    assert (petition.state, petition.events.count()) == (state, events)


@pytest.mark.parametrize(("setup", "who", "action", "body", "words"), [
    (at_town, "gl01", "escalate", {"note": "涉及县直部门"}, "镇级专人"),
    (answered, "gm01", "close", {"satisfied": False}, "复查申请期限"),
    (under_review, "petition", "review", {"requested_on": TODAY, "reviewing_body": "县政府"},
     "尚未答复"),
])
def test_409_says_why_the_action_is_not_allowed(api_as, users, setup, who, action, body,
                                                words):
    response = api_as(who).post(url(setup(users), action), body, format="json")
    assert response.status_code == 409
    assert words in response.json()["detail"]


def test_escalate_to_the_county_once_the_coordinator_is_named(api_as, users):
    petition = at_town_with_coordinator(users)
    response = api_as("gl01").post(url(petition, "escalate"), {"note": "涉及县水务局"},
                                   format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "county"
    assert body["handler"]["id"] == body["coordinator"]["id"] == staff_of(users["office"]).pk
    assert body["county_department"] == "县自然资源局"


def test_extension_moves_the_due_date_only_on_leadership_approval_art_34(api_as, users):
    """信访工作条例 第三十四条: requested by the handler, approved by the organ's responsible
    person (town leadership); the petition office alone does not extend."""
    petition = at_grid(users)
    due = petition.reply_due.isoformat()
    body = api_as("gm01").post(url(petition, "request_extension"),
                               {"days": 20, "reason": "核实"}, format="json").json()
    assert (body["extension_status"], body["reply_due"], body["extension_days"]) == (
        "requested", due, 0)
    assert body["available_actions"] == ["escalate", "reply", "withdraw", "dock", "recuse"]
    refused = api_as("petition").post(url(petition, "approve_extension"), {}, format="json")
    assert refused.status_code == 403
    assert "镇领导" in refused.json()["detail"]
    petition.refresh_from_db()
    assert (petition.extension_days, petition.reply_due.isoformat()) == (0, due)
    body = api_as("leader").post(url(petition, "approve_extension"), {"note": "同意"},
                                 format="json").json()
    assert (body["extension_status"], body["extension_days"]) == ("approved", 20)
    assert body["reply_due"] == (petition.reply_due + datetime.timedelta(days=20)).isoformat()
    assert body["extension_approver"]["id"] == staff_of(users["leader"]).pk
    again = api_as("gm01").post(url(petition, "request_extension"), EXTENSION, format="json")
    assert again.status_code == 409
    assert "只能延长一次" in again.json()["detail"]


def test_extension_once_the_due_date_passed_answers_400_with_the_reason_art_34(
        api_as, users, travel):
    """信访工作条例 第三十四条: a limit already missed is not extended, neither at the request
    nor at the approval."""
    late = at_grid(users)
    pending = extension_requested(users)
    travel(days=61)
    response = api_as("gm01").post(url(late, "request_extension"), EXTENSION, format="json")
    assert response.status_code == 400
    assert "届满" in str(response.json()["errors"]["days"])
    response = api_as("leader").post(url(pending, "approve_extension"), {}, format="json")
    assert response.status_code == 400
    assert "届满" in str(response.json()["errors"])
    pending.refresh_from_db()
    assert (pending.extension_days, pending.extension_status) == (0, "requested")
    assert Petition.objects.overdue().filter(pk__in=[late.pk, pending.pk]).count() == 2


def test_review_request_then_answer_then_re_review_through_the_api(api_as, users):
    petition = answered(users)
    client = api_as("petition")
    body = client.post(url(petition, "review"), {"requested_on": TODAY,
                                                 "reviewing_body": "崇信县人民政府"},
                       format="json").json()
    assert [(r["kind"], r["answered_on"]) for r in body["reviews"]] == [("review", None)]
    assert "review_answer" in body["available_actions"]
    assert "review" not in body["available_actions"]
    response = client.post(url(petition, "review"), {"answered_on": TODAY, "opinion": "维持。",
                                                     "upheld": True}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["reviews"][0]["answered_on"] == TODAY
    response = client.post(url(petition, "review"), {"answered_on": TODAY}, format="json")
    assert response.status_code == 400
    assert "opinion" in response.json()["errors"]
    body = client.post(url(petition, "review"), {"requested_on": TODAY,
                                                 "reviewing_body": "平凉市人民政府"},
                       format="json").json()
    assert [r["kind"] for r in body["reviews"]] == ["review", "re_review"]


def test_dock_answers_with_the_disputes_state_and_refuses_with_the_reason(api_as, users):
    petition = at_grid(users)
    response = api_as("gm01").post(url(petition, "dock"), {"parties_agree": False},
                                   format="json")
    assert response.status_code == 409
    assert "自愿" in response.json()["detail"]
    response = api_as("gm01").post(url(petition, "dock"), ALLOWED["dock"][2], format="json")
    assert (response.json()["docked_dispute_state"], response.json()["state"]) == (
        "grid_member", "grid")


def test_higher_visit_makes_the_petition_skip_level(api_as, users):
    petition = at_grid(users)
    response = api_as("gm01").post(url(petition, "higher-visits"),
                                   {"level": "province", "visited_on": TODAY}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["skip_level"] is True
    response = api_as("gm01").post(url(petition, "higher-visits"), {"level": "moon"},
                                   format="json")
    assert response.status_code == 400
    assert {"level", "visited_on"} <= set(response.json()["errors"])
    response = api_as("med01").post(url(petition, "higher-visits"),
                                    {"level": "city", "visited_on": TODAY}, format="json")
    assert response.status_code == 403


def test_action_with_a_stale_expected_state_answers_409(api_as, gm01):
    petition = make_petition(by=gm01)
    client = api_as("gm01")
    ok = client.post(url(petition, "accept"), {"expected_state": "registered"}, format="json")
    assert ok.status_code == 200
    stale = client.post(url(petition, "withdraw"),
                        {"note": "撤回", "expected_state": "registered"}, format="json")
    assert stale.status_code == 409
    assert "网格代办" in stale.json()["detail"]
    petition.refresh_from_db()
    assert petition.state == "grid"


def test_history_lists_every_step_in_order(api_as, users):
    petition = reply(escalate(at_grid(users), by=users["gm01"]), by=users["gl01"])
    response = api_as("gm01").get(url(petition, "history"))
    assert response.status_code == 200
    assert [(e["action"], e["from_state"], e["to_state"], e["actor"])
            for e in response.json()] == [
        ("create", "", "registered", "gm01"),
        ("accept", "registered", "grid", "gm01"),
        ("escalate", "grid", "town", "gm01"),
        ("reply", "town", "replied", "gl01"),
    ]
    assert response.json()[2]["handler"]["id"] == staff_of(users["gl01"]).pk


def test_history_outside_scope_answers_404(api_as, gm02):
    petition = make_petition(by=gm02, small_grid=demo_small_grid(2, 1))
    assert api_as("gm01").get(url(petition, "history")).status_code == 404


def test_close_after_re_review_through_the_api(api_as, users):
    petition = answered(users)
    for _ in range(2):
        request_review(petition, by=users["petition"])
        answer_review(petition, by=users["petition"])
    response = api_as("gm01").post(url(petition, "close"), {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["close_reason"] == "review_final"


# --- Schema -----------------------------------------------------------------------------------

def test_schema_describes_every_petition_endpoint():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    paths = set(schema["paths"])
    assert {LIST, f"{LIST}{{id}}/", f"{LIST}{{id}}/history/"} <= paths
    for action in [*ALLOWED, "higher-visits"]:
        path = f"{LIST}{{id}}/{action}/"
        assert path in paths, path
        assert {"200", "400", "403", "404", "409"} <= set(
            schema["paths"][path]["post"]["responses"])


# --- Query counts -----------------------------------------------------------------------------

# Per request: the user's scope (6), the page count (1), the rows with their flags (1), the
# petitioners (1).
LIST_QUERIES = 9


def test_list_query_count_does_not_grow_with_page_size(api_as, gm01,
                                                       django_assert_max_num_queries):
    for i in range(6):
        make_petition(by=gm01, subject=f"第{i}件事", petitioners=[petitioner(
            name=f"村民{i}", phone=f"1370000{i:04d}", id_number="")])
    counts = []
    for page_size in (2, 15):
        client = api_as("leader")  # a fresh user: its scope is computed again
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, {"page_size": page_size})
        assert len(response.json()["results"]) == page_size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    client = api_as("leader")
    with django_assert_max_num_queries(LIST_QUERIES):
        client.get(LIST, {"page_size": 200, "repeat": "true", "q": "宅基地"})


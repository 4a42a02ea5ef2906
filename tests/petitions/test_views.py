"""Petition pages: register (valid, invalid, Chinese errors, typed values kept),
detail with only the allowed actions, action POSTs, the ledger's filters, the .xlsx export read
back, the print views, out-of-scope 404s and the query counts of the ledger and my petitions."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from petitions import exports, services
from petitions.models import Petition
from tests.exports import run_export_job

from .factories import (
    ID_NUMBER,
    PHONE,
    accept,
    assign_coordinator,
    demo_small_grid,
    escalate,
    extend,
    make_petition,
    petitioner,
    reply,
    reply_fields,
    request_extension,
    staff_of,
)

pytestmark = pytest.mark.django_db

REQUIRED = "该字段是必填项。"


def html(response) -> str:
    return response.content.decode()


def action_names(response) -> list[str]:
    return re.findall(r'data-testid="action-([a-z_]+)"', html(response))


def messages_of(response) -> list[str]:
    """The flash messages the page shows."""
    box = re.search(r'<ul class="messages">(.*?)</ul>', html(response), re.S)
    return [m.strip() for m in re.findall(r"<li[^>]*>(.*?)</li>", box[1], re.S)] if box else []


def register_data(*, people: list[dict] | None = None, **overrides) -> dict:
    data = {"small_grid": demo_small_grid().pk, "form": "visit", "kind": "claim",
            "subject": "要求解决承包地灌溉渠堵塞问题", "content": "灌溉渠被堵塞，无法春灌。",
            "received_on": timezone.localdate().isoformat(), "people_count": "1"}
    data.update(overrides)
    people = people if people is not None else [
        {"name": "王建设", "gender": "male", "phone": PHONE, "id_number": ID_NUMBER}]
    data.update({"petitioners-TOTAL_FORMS": str(len(people)),
                 "petitioners-INITIAL_FORMS": "0", "petitioners-MIN_NUM_FORMS": "1",
                 "petitioners-MAX_NUM_FORMS": "60"})
    for index, person in enumerate(people):
        for key, value in person.items():
            if key == "is_representative":
                if value:
                    data[f"petitioners-{index}-{key}"] = "on"
            else:
                data[f"petitioners-{index}-{key}"] = value
    return data


def action_url(petition, action):
    return reverse("petitions:action", args=[petition.pk, action])


def print_url(petition, document):
    return reverse("petitions:print", args=[petition.pk, document])


# --- Register ---------------------------------------------------------------------------------

def test_register_page_offers_the_grid_members_own_small_grid(client_as):
    response = client_as("gm01").get(reverse("petitions:create"))
    assert response.status_code == 200
    assert response.context["form"].fields["small_grid"].initial == demo_small_grid()
    assert 'data-testid="petition-form"' in html(response)


def test_register_a_petition_as_proxy(client_as, gm01):
    client = client_as("gm01")
    response = client.post(reverse("petitions:create"), register_data())
    petition = Petition.objects.latest("id")
    assert response.status_code == 302
    assert response["Location"] == petition.get_absolute_url()
    assert (petition.state, petition.proxy_agent, petition.created_by) == (
        "registered", staff_of(gm01), gm01)
    assert list(petition.petitioners.values_list("name", "phone")) == [("王建设", PHONE)]
    page = client.get(response["Location"])
    assert f"已登记信访事项 {petition.number}。" in messages_of(page)


def test_register_with_missing_fields_answers_in_chinese_and_keeps_what_was_typed(client_as):
    before = Petition.objects.count()
    response = client_as("gm01").post(reverse("petitions:create"),
                                      register_data(subject="", content="灌溉渠被堵塞三天了"))
    assert response.status_code == 200
    assert REQUIRED in html(response)
    assert "灌溉渠被堵塞三天了" in html(response)
    assert 'value="王建设"' in html(response)
    assert Petition.objects.count() == before


def test_register_with_a_bad_phone_shows_the_error_by_the_petitioner(client_as):
    response = client_as("gm01").post(reverse("petitions:create"), register_data(people=[
        {"name": "王建设", "phone": "1381234567"}]))
    assert response.status_code == 200
    assert "请输入11位手机号码" in html(response)
    assert 'value="1381234567"' in html(response)


def test_register_six_representatives_is_refused_with_the_clear_message(client_as):
    people = [{"name": f"代表{i}", "phone": f"1399330{i:04d}", "is_representative": True}
              for i in range(6)]
    before = Petition.objects.count()
    response = client_as("gm01").post(reverse("petitions:create"),
                                      register_data(people=people, people_count="12"))
    assert response.status_code == 200
    assert "代表人数不超过5人" in html(response)
    assert 'value="代表5"' in html(response)
    assert Petition.objects.count() == before


def test_register_in_another_small_grid_is_refused(client_as):
    before = Petition.objects.count()
    response = client_as("gm01").post(reverse("petitions:create"),
                                      register_data(small_grid=demo_small_grid(2, 1).pk))
    assert response.status_code == 200
    assert Petition.objects.count() == before


# --- Detail and its actions -------------------------------------------------------------------

def test_detail_offers_the_proxy_the_first_steps(client_as, gm01):
    petition = make_petition(by=gm01)
    response = client_as("gm01").get(petition.get_absolute_url())
    assert response.status_code == 200
    assert action_names(response) == ["accept", "decline", "guide", "withdraw", "recuse"]
    assert 'data-testid="petitioner"' in html(response)
    assert "受理告知期限" in html(response)


def test_detail_offers_nothing_to_someone_off_the_chain(client_as, gm01):
    petition = make_petition(by=gm01)
    response = client_as("med01").get(petition.get_absolute_url())
    assert response.status_code == 200
    assert action_names(response) == []
    assert 'data-testid="actions"' not in html(response)


def test_detail_offers_the_office_extension_and_coordination(client_as, gm01):
    petition = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    response = client_as("petition").get(petition.get_absolute_url())
    assert action_names(response) == ["escalate", "reply", "withdraw", "assign_coordinator",
                                      "request_extension", "dock", "recuse", "national_number"]
    escalate_form = client_as("petition").get(
        action_url(petition, "escalate") + "?fragment=1").context["item"]["form"]
    assert {"coordinator", "county_department"} <= set(escalate_form.fields)


def test_grid_leader_is_not_offered_the_county_before_the_office_names_a_coordinator(
        client_as, gm01, petition):
    case = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    response = client_as("gl01").get(case.get_absolute_url())
    assert action_names(response) == ["reply", "withdraw", "request_extension", "dock",
                                      "recuse"]
    assign_coordinator(case, by=petition)
    response = client_as("gl01").get(case.get_absolute_url())
    assert action_names(response) == ["escalate", "reply", "withdraw", "request_extension",
                                      "dock", "recuse"]
    escalate_form = client_as("gl01").get(
        action_url(case, "escalate") + "?fragment=1").context["item"]["form"]
    assert not {"coordinator", "county_department"} & set(escalate_form.fields)


def test_grid_member_sees_nothing_to_do_once_the_petition_is_at_the_town(client_as, gm01):
    """Nothing but declaring a recusal: the proxy still holds the matter (第二十八条)."""
    petition = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    response = client_as("gm01").get(petition.get_absolute_url())
    assert action_names(response) == ["recuse"]
    assert "higher_visit_form" in response.context and response.context["higher_visit_form"]


def test_detail_shows_the_timeline(client_as, gm01):
    petition = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01, note="需镇级协调。")
    response = client_as("gm01").get(petition.get_absolute_url())
    timeline = re.search(r'data-testid="timeline">(.*?)</ol>', html(response), re.S)[1]
    assert [a for a in ("登记", "受理", "上交") if a in timeline] == ["登记", "受理", "上交"]
    assert "需镇级协调。" in timeline


def test_accept_through_the_page(client_as, gm01):
    petition = make_petition(by=gm01)
    client = client_as("gm01")
    response = client.post(action_url(petition, "accept"),
                           {"seen_state": "registered", "note": ""})
    assert response.status_code == 302
    assert response["Location"] == petition.get_absolute_url()
    petition.refresh_from_db()
    assert petition.state == "grid"
    assert "已完成：受理。" in messages_of(client.get(response["Location"]))


def test_office_escalates_to_the_county_naming_the_coordinator_in_the_same_step(client_as,
                                                                                 gm01, office):
    petition = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    response = client_as("petition").post(action_url(petition, "escalate"), {
        "seen_state": "town", "note": "涉及县水务局。", "coordinator": staff_of(office).pk,
        "county_department": "县水务局"})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.state, petition.coordinator, petition.county_department,
            petition.handler) == ("county", staff_of(office), "县水务局", staff_of(office))


def test_the_coordinator_picker_offers_town_cadres_with_role_and_refuses_anyone_else(
        client_as, gm01, gl01, office):
    from grid.selectors import town_cadres

    petition = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    client = client_as("petition")
    forms = {name: client.get(action_url(petition, name) + "?fragment=1").context["item"]["form"]
             for name in ("escalate", "assign_coordinator")}
    for name in ("escalate", "assign_coordinator"):
        field = forms[name].fields["coordinator"]
        assert "data-picker" in field.widget.attrs
        offered = {s.pk for s in field.queryset}
        assert offered == set(town_cadres(town_id=petition.town_id).values_list("id", flat=True))
        assert staff_of(gl01).pk not in offered
    labels = [str(label) for _value, label in forms["escalate"].fields["coordinator"].choices]
    assert any(label.startswith(f"{staff_of(office).name} · ") for label in labels)
    response = client_as("petition").post(action_url(petition, "assign_coordinator"), {
        "seen_state": "town", "coordinator": staff_of(gl01).pk, "county_department": "县水务局"})
    assert response.status_code == 400
    assert "镇级专人须为本镇干部（镇领导、镇直站所或镇调委会人员），请从列表中选择。" in html(response)
    petition.refresh_from_db()
    assert petition.coordinator is None


def test_the_recusal_replacement_is_picked_from_the_towns_staff_and_no_one_else(
        client_as, gm01, county):
    from grid.selectors import staff_of_town

    petition = accept(make_petition(by=gm01), by=gm01)
    form = client_as("petition").get(
        action_url(petition, "recuse") + "?fragment=1").context["item"]["form"]
    field = form.fields["replacement"]
    assert "data-picker" in field.widget.attrs
    assert {s.pk for s in field.queryset} == set(
        staff_of_town(town_id=petition.town_id).values_list("id", flat=True))
    assert any(" · " in str(label) for _value, label in field.choices), "role and place shown"
    response = client_as("petition").post(action_url(petition, "recuse"), {
        "seen_state": "grid", "staff": staff_of(gm01).pk, "reason": "与信访人系近亲属",
        "replacement": staff_of(county).pk})
    assert response.status_code == 400
    assert "改由的人员须为本镇工作人员，请从列表中选择。" in html(response)
    assert not petition.recusals.exists()


def test_an_action_with_missing_input_shows_the_form_again_with_the_error(client_as, gm01):
    petition = make_petition(by=gm01)
    response = client_as("gm01").post(action_url(petition, "decline"), {
        "seen_state": "registered", "reason": "已进入诉讼程序。", "proper_channel": ""})
    assert response.status_code == 400
    assert REQUIRED in html(response)
    assert "已进入诉讼程序。" in html(response)
    assert response.context["action_forms"][1]["open"]
    petition.refresh_from_db()
    assert petition.state == "registered"


def test_an_action_the_service_refuses_shows_its_message(client_as, gm01):
    petition = reply(accept(make_petition(by=gm01), by=gm01), by=gm01)
    client = client_as("gm01")
    response = client.post(action_url(petition, "close"),
                           {"seen_state": "replied", "satisfied": "no"})
    assert response.status_code == 302
    assert any("复查申请期限" in m for m in messages_of(client.get(response["Location"])))
    petition.refresh_from_db()
    assert petition.state == "replied"


def test_an_action_by_someone_without_the_right_is_refused_with_a_message(client_as, gm01):
    petition = make_petition(by=gm01)
    client = client_as("med01")
    response = client.post(action_url(petition, "accept"), {"seen_state": "registered"})
    assert response.status_code == 302
    assert "您无权执行此操作。" in messages_of(client.get(response["Location"]))
    petition.refresh_from_db()
    assert petition.state == "registered"


def test_an_action_on_a_stale_page_changes_nothing(client_as, gm01):
    petition = accept(make_petition(by=gm01), by=gm01)
    client = client_as("gm01")
    response = client.post(action_url(petition, "withdraw"),
                           {"seen_state": "registered", "reason": "撤回"})
    assert response.status_code == 302
    assert any("状态已变化" in m for m in messages_of(client.get(response["Location"])))
    petition.refresh_from_db()
    assert petition.state == "grid"


def test_unknown_action_answers_404_and_get_answers_the_form(client_as, gm01):
    petition = make_petition(by=gm01)
    client = client_as("gm01")
    assert client.post(action_url(petition, "explode"), {}).status_code == 404
    response = client.get(action_url(petition, "accept") + "?fragment=1")
    assert response.status_code == 200 and 'name="seen_state"' in response.content.decode()
    # Not offered now (nothing to reply to yet): missing, like a case outside the scope.
    assert client.get(action_url(petition, "reply")).status_code == 404


def test_higher_visit_through_the_page_marks_the_petition_skip_level(client_as, gm01):
    petition = accept(make_petition(by=gm01), by=gm01)
    client = client_as("gm01")
    response = client.post(reverse("petitions:higher_visit", args=[petition.pk]), {
        "level": "city", "visited_on": timezone.localdate().isoformat(), "note": "赴市"})
    assert response.status_code == 302
    assert "越级访" in html(client.get(petition.get_absolute_url()))
    response = client.post(reverse("petitions:higher_visit", args=[petition.pk]),
                           {"level": "city", "visited_on": ""})
    assert response.status_code == 400
    assert REQUIRED in html(response)


# --- Out of scope -----------------------------------------------------------------------------

@pytest.fixture
def elsewhere(gm02, leader):
    """A replied, extended petition in large grid 2, which gm01 does not cover."""
    petition = accept(make_petition(by=gm02, small_grid=demo_small_grid(2, 1)), by=gm02)
    extend(petition, by=gm02, approver=leader, days=10)
    return reply(petition, by=gm02)


def test_a_petition_outside_scope_answers_404_everywhere(client_as, elsewhere):
    client = client_as("gm01")
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    for action in ("accept", "escalate", "reply", "close", "review", "dock"):
        assert client.post(action_url(elsewhere, action), {"seen_state": "replied"}
                           ).status_code == 404
    assert client.post(reverse("petitions:higher_visit", args=[elsewhere.pk]),
                       {"level": "city"}).status_code == 404
    for document in ("notice", "opinion", "extension"):
        assert client.get(print_url(elsewhere, document)).status_code == 404
    assert client_as("gm02").get(print_url(elsewhere, "extension")).status_code == 200
    ledger = html(client.get(reverse("petitions:ledger")))
    assert elsewhere.number not in ledger


# --- Prints -----------------------------------------------------------------------------------

def test_notice_prints_once_the_petition_is_accepted_or_declined(client_as, gm01, petition):
    registered = make_petition(by=gm01)
    client = client_as("gm01")
    assert client.get(print_url(registered, "notice")).status_code == 404
    accept(registered, by=gm01)
    response = client.get(print_url(registered, "notice"))
    assert response.status_code == 200
    assert "信访事项受理告知书" in html(response)
    assert "王建设" in html(response) and registered.number in html(response)
    declined = make_petition(by=gm01, subject="另一件事", in_litigation=True)
    services.petition_decline(petition=declined, by=petition, reason="已进入诉讼程序。",
                              proper_channel="向人民法院提出")
    response = client.get(print_url(declined, "notice"))
    assert "不予受理告知书" in html(response) and "向人民法院提出" in html(response)


def test_no_notice_for_a_petition_withdrawn_before_it_was_accepted(client_as, gm01):
    petition = make_petition(by=gm01)
    services.petition_withdraw(petition=petition, by=gm01, reason="信访人撤回")
    client = client_as("gm01")
    assert client.get(print_url(petition, "notice")).status_code == 404
    assert print_url(petition, "notice") not in html(client.get(petition.get_absolute_url()))


def test_guided_petition_prints_the_guidance_notice(client_as, gm01):
    petition = make_petition(by=gm01, kind="suggestion")
    services.petition_guide(petition=petition, by=gm01, guided_to="县社保局服务窗口")
    client = client_as("gm01")
    assert print_url(petition, "notice") in html(client.get(petition.get_absolute_url()))
    response = client.get(print_url(petition, "notice"))
    assert response.status_code == 200
    assert "已引导你（们）向县社保局服务窗口反映" in html(response)


def test_opinion_prints_once_replied(client_as, gm01):
    petition = accept(make_petition(by=gm01), by=gm01)
    client = client_as("gm01")
    assert client.get(print_url(petition, "opinion")).status_code == 404
    reply(petition, by=gm01)
    response = client.get(print_url(petition, "opinion"))
    assert response.status_code == 200
    assert "信访事项处理意见书" in html(response)
    for text in reply_fields().values():
        if text not in ("support", "solved"):
            assert text in html(response)
    assert "支持" in html(response) and "诉求合理的解决到位" in html(response)


def test_extension_notice_prints_once_extended(client_as, gm01, leader):
    petition = accept(make_petition(by=gm01), by=gm01)
    client = client_as("gm01")
    assert client.get(print_url(petition, "extension")).status_code == 404
    request_extension(petition, by=gm01, days=30)
    assert client.get(print_url(petition, "extension")).status_code == 404, "not yet approved"
    services.petition_approve_extension(petition=petition, by=leader)
    response = client.get(print_url(petition, "extension"))
    assert response.status_code == 200
    assert "延期办理告知书" in html(response)
    assert "需调取档案核实" in html(response) and "30" in html(response)
    assert client.get(print_url(petition, "poster")).status_code == 404


def test_an_accusations_notice_is_addressed_without_the_name_to_the_grid_member(client_as,
                                                                                gm01, petition):
    accusation = accept(make_petition(by=petition, kind="accusation", petitioners=[
        petitioner(name="检举人丙丁", phone="", id_number="")]), by=petition)
    assert "检举人丙丁" not in html(client_as("gm01").get(print_url(accusation, "notice")))
    assert "检举人丙丁" in html(client_as("petition").get(print_url(accusation, "notice")))


# --- Ledger: filters and export ---------------------------------------------------------------

def ledger_pks(client, **params) -> list[int]:
    response = client.get(reverse("petitions:ledger"), params)
    assert response.status_code == 200
    return [row["petition"].pk for row in response.context["rows"]]


def test_ledger_shows_the_whole_town_to_leadership(client_as):
    assert sorted(ledger_pks(client_as("leader"))) == sorted(
        Petition.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(("param", "expected"), [
    ("repeat", lambda p: p.repeat_of_id is not None),
    ("group", lambda p: p.people_count >= 5),
])
def test_ledger_filters_repeat_and_group(client_as, param, expected):
    pks = ledger_pks(client_as("leader"), **{param: "on"})
    assert pks
    assert sorted(pks) == sorted(p.pk for p in Petition.objects.all() if expected(p))


def test_ledger_filters_skip_level(client_as, gm01):
    petition = accept(make_petition(by=gm01), by=gm01)
    services.petition_record_higher_visit(petition=petition, by=gm01, level="province",
                                          visited_on=timezone.localdate())
    assert ledger_pks(client_as("leader"), skip_level="on") == [petition.pk]


def test_ledger_filters_overdue(client_as, travel, gm01):
    client = client_as("leader")
    demo_late = set(ledger_pks(client, overdue="on"))
    assert demo_late, "the demo has a petition past its 15 days"
    fresh = make_petition(by=gm01)
    assert fresh.pk not in ledger_pks(client, overdue="on")
    travel(days=16)
    assert fresh.pk in ledger_pks(client_as("leader"), overdue="on")


def test_ledger_export_has_the_chinese_headers_and_masks_personal_data(client_as, gm01):
    petition = make_petition(by=gm01)
    response = client_as("leader").get(reverse("petitions:ledger_export"), {"kind": "claim"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert list(rows[0]) == [str(h) for h in exports.LEDGER_HEADERS]
    assert rows[0][:5] == ("序号", "信访编号", "收到日期", "网格", "信访人")
    body = rows[1:]
    assert len(body) == Petition.objects.filter(kind="claim").count()
    assert [r[0] for r in body] == list(range(1, len(body) + 1))
    mine = next(r for r in body if r[1] == petition.number)
    assert mine[4] == "王*设（138****5678）"
    assert mine[6] == "申诉求决类" and mine[9] == "已登记"
    everything = " ".join(str(c) for r in rows for c in r)
    assert ID_NUMBER not in everything and PHONE not in everything and "王建设" not in everything


def test_ledger_export_follows_the_filters_and_the_scope(client_as):
    response = client_as("gm01").get(reverse("petitions:ledger_export"), {"group": "on"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    numbers = {r[1] for r in rows[1:]}
    assert numbers == set(Petition.objects.filter(
        small_grid=demo_small_grid(), people_count__gte=5).values_list("number", flat=True))
    assert numbers and all("集体访" in r[8] for r in rows[1:])


def test_ledger_print_uses_the_same_headers(client_as):
    response = client_as("leader").get(reverse("petitions:ledger_print"))
    assert response.status_code == 200
    for header in exports.LEDGER_HEADERS:
        assert str(header) in html(response)


# --- My proxy petitions -----------------------------------------------------------------------

def test_my_petitions_lists_what_is_on_my_desk(client_as, gm01, gl01):
    at_town = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    mine = html(client_as("gl01").get(reverse("petitions:mine")))
    assert at_town.number in mine
    assert at_town.number in html(client_as("gm01").get(reverse("petitions:mine"))), \
        "the proxy keeps it on their list"
    assert at_town.number not in html(client_as("gl02").get(reverse("petitions:mine")))


# --- Query counts -----------------------------------------------------------------------------

# Session and user (2), the user's scope (4 for a grid member, 6 for leadership), the unread
# count (1), then: the ledger's count, rows with their flags, petitioners and the filter form's
# large and small grids (5), the user's saved filters (1); my petitions' count and rows (2).
# Independent of the row count.
PAGE_QUERIES = {
    # The ledger: its page, the page's petitioners and the page's flags, plus the frame.
    ("gm01", "petitions:ledger"): 14, ("leader", "petitions:ledger"): 16,
    ("gm01", "petitions:mine"): 9, ("leader", "petitions:mine"): 10,
}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def more_petitions(by, n=6):
    for i in range(n):
        accept(make_petition(by=by, subject=f"第{i}件事", petitioners=[petitioner(
            name=f"村民{i}", phone=f"1370000{i:04d}", id_number="")]), by=by)


@pytest.mark.parametrize(("username", "name"), list(PAGE_QUERIES))
def test_list_pages_query_count_is_pinned_and_does_not_grow_with_rows(
        client_as, gm01, username, name, django_assert_max_num_queries):
    url = reverse(name)
    before = count_queries(client_as(username), url)
    more_petitions(gm01)
    assert count_queries(client_as(username), url) == before
    client = client_as(username)
    with django_assert_max_num_queries(PAGE_QUERIES[username, name]):
        client.get(url)


def test_the_ledger_query_count_is_the_same_for_a_few_petitions_and_a_full_page(
        client_as, gm01):
    url = reverse("petitions:ledger")
    few = count_queries(client_as("leader"), url)
    more_petitions(gm01, n=52)
    client = client_as("leader")
    rows = client.get(url).context["rows"]
    assert len(rows) == 50
    assert all(r["url"] == reverse("petitions:detail", args=[r["petition"].pk]) for r in rows)
    assert count_queries(client, url) == few
    assert count_queries(client, url + "?page=last") <= few


def test_the_export_numbers_its_rows_on_across_chunks_with_each_petitions_flags(gm01):
    from petitions import selectors

    mark = Petition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    more_petitions(gm01, n=4)
    visited = accept(make_petition(by=gm01, subject="到市里上访"), by=gm01)
    services.petition_record_higher_visit(petition=visited, by=gm01, level="city",
                                          visited_on=timezone.localdate())
    qs = exports.LEDGER_SORTS.order(selectors.petition_ledger_for_user(user=gm01),
                                    exports.LEDGER_SORTS.parse(None))
    rows = list(exports._rows_in_chunks(qs, size=2))
    assert [r[0] for r in rows] == list(range(1, qs.count() + 1))
    flagged = {r[1]: r[8] for r in rows}
    assert "越级访" in flagged[visited.number]
    others = Petition.objects.filter(pk__gt=mark).exclude(pk=visited.pk)
    assert [flagged[n] for n in others.values_list("number", flat=True)] == [""] * 4


# --- Close from the page ----------------------------------------------------------------------

def test_a_replied_petition_can_be_closed_from_the_page_when_the_petitioner_is_satisfied(
        client_as, gm01, petition):
    case = reply(accept(make_petition(by=gm01), by=gm01), by=gm01)
    client = client_as("gm01")
    assert "close" in action_names(client.get(case.get_absolute_url()))
    response = client.post(action_url(case, "close"), {"seen_state": "replied",
                                                       "satisfied": "yes"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.close_reason) == ("closed", "satisfied")


def test_close_is_not_offered_while_a_review_is_pending(client_as, gm01, petition):
    case = reply(accept(make_petition(by=gm01), by=gm01), by=gm01)
    services.petition_review_request(petition=case, by=petition,
                                     requested_on=timezone.localdate(),
                                     reviewing_body="崇信县人民政府")
    assert "close" not in action_names(client_as("gm01").get(case.get_absolute_url()))
    assert action_names(client_as("petition").get(case.get_absolute_url())) == [
        "deliver", "evaluate", "review_answer", "recuse", "national_number"]


# --- Ledger: sorting by a column --------------------------------------------------------------

def expected_order(field: str, descending: bool) -> list[int]:
    """(field, id) in the direction asked, the rows without a value after them by id in the
    same direction: the order the keyset's two segments give."""
    rows = list(Petition.objects.values_list("pk", field))
    keyed = sorted((r for r in rows if r[1] is not None), key=lambda r: (r[1], r[0]),
                   reverse=descending)
    empty = sorted((r[0] for r in rows if r[1] is None), reverse=descending)
    return [r[0] for r in keyed] + empty


def walk_ledger(client, **params) -> tuple[list[int], list[int]]:
    """Every row of the ledger, following the cursors forwards from the first page and then
    backwards from the last."""
    url = reverse("petitions:ledger")
    response = client.get(url, params)
    forwards, pages = [], 0
    while True:
        forwards += [row["petition"].pk for row in response.context["rows"]]
        pages += 1
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
        response = client.get(url, {**params, "after": cursor})
    backwards = []
    response = client.get(url, {**params, "page": "last"})
    while True:
        backwards = [row["petition"].pk for row in response.context["rows"]] + backwards
        cursor = response.context["page"].previous_cursor
        if not cursor:
            break
        response = client.get(url, {**params, "before": cursor})
    assert pages > 1, "the walk crosses a page boundary"
    return forwards, backwards


@pytest.mark.parametrize("sort", ["received_on", "-received_on", "reply_due", "-reply_due",
                                  "accept_due", "-accept_due"])
def test_ledger_sorts_by_a_column_both_ways_across_pages(client_as, gm01, monkeypatch, sort):
    from petitions import views

    accept(make_petition(by=gm01), by=gm01)  # a reply deadline among the registered ones
    monkeypatch.setattr(views, "LEDGER_PAGE", 3)
    expected = expected_order(sort.lstrip("-"), sort.startswith("-"))
    assert len(expected) > 3
    forwards, backwards = walk_ledger(client_as("leader"), sort=sort)
    assert forwards == expected and backwards == expected


def test_ledger_sort_headers_link_the_other_way_and_mark_the_order(client_as):
    response = client_as("leader").get(reverse("petitions:ledger"),
                                       {"sort": "reply_due", "state": "", "page": "2"})
    cells = response.context["sort_headers"]
    assert cells[12]["aria_sort"] == "ascending"
    assert cells[12]["url"] == "?state=&sort=-reply_due"
    assert cells[2]["url"] == "?state=&sort=-received_on"  # a date received: newest first
    assert cells[11]["url"] == "?state=&sort=accept_due"  # a deadline: the earliest first
    assert cells[1]["url"] is None
    assert 'aria-sort="ascending"' in html(response)
    assert "sort=reply_due" in response.context["query"]


@pytest.mark.parametrize("bad", ["subject", "--received_on", "received_on;drop", ""])
def test_an_unknown_sort_falls_back_to_newest_received_first(client_as, bad):
    client = client_as("leader")
    response = client.get(reverse("petitions:ledger"), {"sort": bad})
    assert response.status_code == 200
    assert [row["petition"].pk for row in response.context["rows"]] == expected_order(
        "received_on", True)[:50]
    assert response.context["sort_headers"][2]["aria_sort"] == "descending"


def test_ledger_export_and_print_follow_the_sort(client_as, gm01):
    accept(make_petition(by=gm01), by=gm01)
    client = client_as("leader")
    numbers = dict(Petition.objects.values_list("pk", "number"))
    expected = [numbers[pk] for pk in expected_order("reply_due", False)]
    response = client.get(reverse("petitions:ledger_export"), {"sort": "reply_due"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == expected
    response = client.get(reverse("petitions:ledger_print"), {"sort": "reply_due"})
    assert [row["cells"][1] for row in response.context["rows"]] == expected


@pytest.mark.parametrize("params", [{"sort": "reply_due"}, {"sort": "-accept_due"},
                                    {"sort": "reply_due", "page": "last"}])
def test_a_sorted_ledger_page_query_count_is_pinned_and_does_not_grow_with_rows(
        client_as, gm01, params, django_assert_max_num_queries):
    url = reverse("petitions:ledger") + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    before = count_queries(client_as("leader"), url)
    more_petitions(gm01)
    assert count_queries(client_as("leader"), url) == before
    client = client_as("leader")
    # The ledger's pin, and two more where a page crosses the seam of a nullable deadline:
    # the rows without a value are a second read, with their petitioners.
    with django_assert_max_num_queries(PAGE_QUERIES["leader", "petitions:ledger"] + 2):
        client.get(url)


@pytest.mark.parametrize("url", ["/petitions/", "/supervision/"])
def test_a_ledger_counts_its_rows_without_joining_what_they_name(client_as, url):
    """The count reads the listed table alone: the names a row shows (grid, people) are
    joined for the page's rows only, not for every row counted."""
    with CaptureQueriesContext(connection) as ctx:
        assert client_as("leader").get(url, {"page": "last"}).status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")
              and "core_notification" not in q["sql"]]
    assert counts and all("JOIN" not in sql for sql in counts), counts


def test_a_large_ledger_export_is_a_job_the_worker_writes_in_the_pages_order(
        client_as, gm01, exports_on_worker):
    """Above ``EXPORT_IN_REQUEST_UP_TO`` rows the export is a job (the worker's page and
    download: ``tests/core/test_export_jobs.py`` runs them on a real worker); the job writes
    the page's petitions, in the user's scope, with its filters and order."""
    from core.models import ExportJob

    make_petition(by=gm01)
    make_petition(by=gm01)
    client = client_as("gm01")
    expected = [row["cells"][1] for row in client.get(
        reverse("petitions:ledger"), {"sort": "reply_due"}).context["rows"]]
    assert len(expected) >= 2
    response = client.get(reverse("petitions:ledger_export"), {"sort": "reply_due"})
    job = ExportJob.objects.get(user=gm01)
    assert response.status_code == 302 and response["Location"] == reverse(
        "export_job", args=[job.pk])
    assert (job.kind, job.query, job.total) == ("petitions.ledger", "sort=reply_due",
                                                len(expected))
    job, rows = run_export_job(job)
    assert job.done == len(expected) and [row[1] for row in rows] == expected

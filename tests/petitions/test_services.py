"""The petition services behind every page and endpoint: registration with its
proxy and computed flags, each transition's allowed path and every refusal, extension, close
and the review chain, withdrawal, skip-level, and the confidentiality of accusations."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from openpyxl import load_workbook

from inbox.models import Notification
from petitions import permissions, selectors, services
from petitions.models import (
    Petition,
    Petitioner,
    PetitionEvent,
    PetitionReview,
    ProxyAppointment,
)

from .factories import (
    ID_NUMBER,
    PHONE,
    accept,
    answer_review,
    assign_coordinator,
    demo_small_grid,
    escalate,
    extend,
    make_petition,
    petitioner,
    replied,
    reply,
    reply_fields,
    representatives,
    request_extension,
    request_review,
    staff_of,
    town_staff,
)

pytestmark = pytest.mark.django_db

NUMBER_RE = re.compile(r"^黄寨信〔(\d{4})〕(\d+)号$")
DAY = datetime.timedelta(days=1)


def last_event(petition):
    return petition.events.order_by("-id").first()


def notified(user, petition):
    return Notification.objects.filter(recipient=user, url=petition.get_absolute_url())


def snapshot(petition):
    """What a refused action must leave untouched."""
    petition.refresh_from_db()
    return petition.state, petition.handler_id, petition.events.count(), petition.reply_due


def counts():
    return (Petition.objects.count(), Petitioner.objects.count(), PetitionEvent.objects.count(),
            ProxyAppointment.objects.count())


def flagged(petition, user):
    """The petition as the selectors read it, with its computed flags."""
    return selectors.petition_get_for_user(user=user, pk=petition.pk)


# --- Registration -----------------------------------------------------------------------------

def test_registration_numbers_petitions_per_town_and_year_in_increasing_order(gm01):
    first, second = make_petition(by=gm01), make_petition(by=gm01, subject="另一件事")
    m1, m2 = NUMBER_RE.match(first.number), NUMBER_RE.match(second.number)
    assert m1 and m2, (first.number, second.number)
    assert int(m1[1]) == first.year == first.received_on.year
    assert int(m2[2]) == int(m1[2]) + 1 == second.serial
    assert first.number == f"黄寨信〔{first.year}〕{first.serial}号"


def test_registration_numbers_a_petition_received_last_year_in_last_years_sequence(gm01):
    last_year = timezone.localdate().year - 1
    old = make_petition(by=gm01, received_on=datetime.date(last_year, 12, 30))
    assert (old.year, old.serial) == (last_year, 1)
    assert old.number == f"黄寨信〔{last_year}〕1号"


def test_registration_by_a_grid_member_makes_them_the_proxy_agent(gm01):
    petition = make_petition(by=gm01)
    me = staff_of(gm01)
    assert petition.state == "registered"
    assert petition.proxy_agent == petition.handler == me
    assert petition.accept_due == petition.received_on + 15 * DAY
    assert petition.reply_due is None
    appointment = petition.proxies.get()
    assert (appointment.agent, appointment.appointed_by, appointment.ended_at) == (
        me, gm01, None)
    event = petition.events.get()
    assert (event.action, event.actor, event.from_state, event.to_state, event.handler) == (
        "create", gm01, "", "registered", me)
    assert list(petition.petitioners.values_list("name", "phone", "id_number")) == [
        ("王建设", PHONE, ID_NUMBER)]
    assert not notified(gm01, petition).exists(), "nobody is told about their own petition"


def test_registration_by_the_petition_office_appoints_the_grid_member_and_notifies_them(
        petition, gm01):
    registered = make_petition(by=petition)
    assert registered.proxy_agent == registered.handler == staff_of(gm01)
    appointment = registered.proxies.get()
    assert (appointment.agent, appointment.appointed_by) == (staff_of(gm01), petition)
    message = notified(gm01, registered).get()
    assert registered.number in message.title


def test_registration_may_name_another_proxy_agent(petition, gm01):
    agent = town_staff("镇信访办干部2")
    registered = make_petition(by=petition, proxy_agent=agent)
    assert registered.proxy_agent == registered.handler == agent
    assert registered.proxies.get().agent == agent
    assert not notified(gm01, registered).exists()


@pytest.mark.parametrize(("bad", "words"), [
    ({"phone": "1381234567"}, "11位手机号码"),
    ({"phone": "23812345678"}, "11位手机号码"),
    ({"id_number": "620823198001011230"}, "校验位"),
    ({"id_number": "62082319800101123"}, "18位"),
])
def test_registration_refuses_a_bad_phone_or_id_and_saves_nothing(gm01, bad, words):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        make_petition(by=gm01, petitioners=[petitioner(), petitioner(name="李四", **bad)])
    key = f"petitioners[1].{next(iter(bad))}"
    assert set(exc.value.message_dict) == {key}
    assert words in exc.value.message_dict[key][0]
    assert counts() == before


def test_registration_stores_a_resident_id_with_upper_case_x(gm01):
    petition = make_petition(by=gm01, petitioners=[petitioner(id_number="11010519491231002x")])
    assert petition.petitioners.get().id_number == "11010519491231002X"


def test_registration_needs_a_petitioner(gm01):
    with pytest.raises(ValidationError) as exc:
        make_petition(by=gm01, petitioners=[])
    assert "petitioners" in exc.value.message_dict


def test_group_petition_with_six_representatives_is_refused_with_a_clear_message(gm01):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        make_petition(by=gm01, people_count=12, petitioners=representatives(6))
    message = exc.value.message_dict["petitioners"][0]
    assert "代表人数不超过5人" in message
    assert "6 名代表" in message
    assert counts() == before


def test_group_petition_with_five_representatives_is_registered_as_a_group(gm01):
    petition = make_petition(by=gm01, people_count=12, petitioners=representatives(5))
    assert petition.is_group
    assert petition.petitioners.filter(is_representative=True).count() == 5


def test_five_people_make_a_group_and_four_do_not(gm01):
    five = make_petition(by=gm01, people_count=5, petitioners=representatives(1))
    four = make_petition(by=gm01, people_count=4, subject="另一件事",
                         petitioners=[petitioner(name=f"村民{i}", phone="", id_number="")
                                      for i in range(4)])
    assert five.is_group and not four.is_group
    assert selectors.petition_list_for_user(user=five.created_by,
                                            filters={"group": True}).filter(
        pk__in=[five.pk, four.pk]).get() == five


def test_group_petition_must_name_a_representative(gm01):
    with pytest.raises(ValidationError) as exc:
        make_petition(by=gm01, people_count=5, petitioners=[petitioner()])
    assert "代表" in exc.value.message_dict["petitioners"][0]


def test_people_count_cannot_be_below_the_petitioners_named(gm01):
    with pytest.raises(ValidationError) as exc:
        make_petition(by=gm01, people_count=1,
                      petitioners=[petitioner(), petitioner(name="李四", id_number="")])
    assert "people_count" in exc.value.message_dict


def test_registration_refuses_a_receipt_date_in_the_future(gm01):
    with pytest.raises(ValidationError) as exc:
        make_petition(by=gm01, received_on=timezone.localdate() + DAY)
    assert "received_on" in exc.value.message_dict


def test_registration_refuses_unknown_fields(gm01):
    with pytest.raises(ValidationError) as exc:
        make_petition(by=gm01, state="closed")
    assert "state" in exc.value.message_dict


def test_registration_outside_scope_is_denied_and_saves_nothing(gm01):
    before = counts()
    with pytest.raises(PermissionDenied):
        make_petition(by=gm01, small_grid=demo_small_grid(2, 1))
    assert counts() == before


def test_same_person_same_matter_is_a_repeat_linked_to_the_earlier_petition(gm01):
    first = make_petition(by=gm01)
    again = make_petition(by=gm01, subject="要求解决承包地灌溉渠堵塞问题（再次反映）")
    assert not first.is_repeat
    assert again.is_repeat and again.repeat_of == first
    assert first.number in again.events.get().note
    assert "重复访" in again.events.get().note


def test_repeat_is_recognised_by_name_and_phone_without_an_id(gm01):
    first = make_petition(by=gm01, petitioners=[petitioner(id_number="")])
    again = make_petition(by=gm01, petitioners=[petitioner(id_number="")])
    assert again.repeat_of == first


def test_repeat_is_recognised_whichever_case_the_id_check_character_was_typed_in(gm01):
    first = make_petition(by=gm01, petitioners=[petitioner(id_number="11010519491231002x",
                                                           phone="")])
    again = make_petition(by=gm01, petitioners=[petitioner(id_number="11010519491231002X",
                                                           phone="")])
    assert again.repeat_of == first


def test_another_matter_or_another_person_is_not_a_repeat(gm01):
    make_petition(by=gm01)
    other_matter = make_petition(by=gm01, subject="反映村道路灯不亮", content="路灯坏了半年。")
    other_person = make_petition(by=gm01, petitioners=[petitioner(
        name="赵六", phone="13900002222", id_number="")])
    assert other_matter.repeat_of is None
    assert other_person.repeat_of is None


# --- accept -----------------------------------------------------------------------------------

def test_accept_moves_to_the_grid_and_starts_the_60_day_clock(gm01):
    petition = accept(make_petition(by=gm01), by=gm01)
    today = timezone.localdate()
    assert petition.state == "grid"
    assert petition.accepted_on == today
    assert petition.reply_due == today + 60 * DAY
    assert petition.handler == staff_of(gm01)
    event = last_event(petition)
    assert (event.action, event.actor, event.from_state, event.to_state, event.handler) == (
        "accept", gm01, "registered", "grid", staff_of(gm01))


def test_accept_by_the_office_leaves_the_proxy_handling_it_without_a_second_message(
        petition, gm01):
    registered = make_petition(by=petition)
    accept(registered, by=petition)
    assert (registered.state, registered.handler) == ("grid", staff_of(gm01))
    assert last_event(registered).actor == petition
    assert notified(gm01, registered).count() == 1, "told once, at registration"


def test_accept_twice_is_not_a_transition(gm01):
    petition = accept(make_petition(by=gm01), by=gm01)
    before = snapshot(petition)
    with pytest.raises(TransitionNotAllowed):
        services.petition_accept(petition=petition, by=gm01)
    assert snapshot(petition) == before


@pytest.mark.parametrize("username", ["gm02", "med01", "office", "judicial"])
def test_accept_by_someone_off_the_petitions_chain_is_denied(gm01, user_factory, username):
    petition = make_petition(by=gm01)
    before = snapshot(petition)
    with pytest.raises(PermissionDenied):
        services.petition_accept(petition=petition, by=user_factory(username))
    assert snapshot(petition) == before


def test_a_stale_copy_is_a_conflict(gm01, gl01):
    petition = make_petition(by=gm01)
    stale = Petition.objects.get(pk=petition.pk)
    accept(petition, by=gm01)
    with pytest.raises(services.PetitionConflict):
        services.petition_decline(petition=stale, by=gl01, reason="重复", proper_channel="无")
    petition.refresh_from_db()
    assert petition.state == "grid"


# --- decline and guide ------------------------------------------------------------------------

def test_decline_records_the_reason_and_the_right_channel(gm01, petition):
    registered = make_petition(by=gm01, in_litigation=True)
    services.petition_decline(petition=registered, by=petition, reason="该事项已进入诉讼程序。",
                              proper_channel="向人民法院提出")
    registered.refresh_from_db()
    assert registered.state == "declined"
    assert (registered.decline_reason, registered.proper_channel) == (
        "该事项已进入诉讼程序。", "向人民法院提出")
    event = last_event(registered)
    assert (event.action, event.from_state, event.to_state, event.note) == (
        "decline", "registered", "declined", "该事项已进入诉讼程序。")


@pytest.mark.parametrize(("reason", "channel", "field"), [
    ("", "向人民法院提出", "reason"), ("已诉讼", " ", "proper_channel")])
def test_decline_needs_a_reason_and_the_channel(gm01, reason, channel, field):
    petition = make_petition(by=gm01)
    before = snapshot(petition)
    with pytest.raises(ValidationError) as exc:
        services.petition_decline(petition=petition, by=gm01, reason=reason,
                                  proper_channel=channel)
    assert field in exc.value.message_dict
    assert snapshot(petition) == before


def test_decline_after_acceptance_is_not_a_transition(gm01):
    petition = accept(make_petition(by=gm01), by=gm01)
    with pytest.raises(TransitionNotAllowed):
        services.petition_decline(petition=petition, by=gm01, reason="x", proper_channel="y")


def test_decline_by_someone_off_the_chain_is_denied(gm01, med01):
    petition = make_petition(by=gm01)
    with pytest.raises(PermissionDenied):
        services.petition_decline(petition=petition, by=med01, reason="x", proper_channel="y")


def test_guide_records_where_and_closes_as_guided_ending_the_proxy(gm01):
    petition = make_petition(by=gm01, kind="suggestion")
    services.petition_guide(petition=petition, by=gm01, guided_to="县社保局服务窗口")
    petition.refresh_from_db()
    assert (petition.state, petition.close_reason, petition.guided_to) == (
        "closed", "guided", "县社保局服务窗口")
    assert petition.closed_on == timezone.localdate()
    assert petition.proxies.get().ended_at is not None
    assert last_event(petition).action == "guide"


def test_guide_needs_the_destination_and_a_registered_petition(gm01, med01):
    petition = make_petition(by=gm01)
    with pytest.raises(ValidationError) as exc:
        services.petition_guide(petition=petition, by=gm01, guided_to="")
    assert "guided_to" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.petition_guide(petition=petition, by=med01, guided_to="县信访局")
    accept(petition, by=gm01)
    with pytest.raises(TransitionNotAllowed):
        services.petition_guide(petition=petition, by=gm01, guided_to="县信访局")


# --- escalate and the county coordinator ------------------------------------------------------

def test_escalate_from_the_grid_goes_to_the_grid_leader_and_notifies_them(gm01, gl01):
    petition = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01, note="需镇级协调。")
    assert petition.state == "town"
    assert petition.handler == staff_of(gl01)
    assert petition.proxy_agent == staff_of(gm01), "the proxy stays the proxy"
    event = last_event(petition)
    assert (event.action, event.actor, event.from_state, event.to_state, event.handler,
            event.note) == ("escalate", gm01, "grid", "town", staff_of(gl01), "需镇级协调。")
    message = notified(gl01, petition).get()
    assert petition.number in message.title


@pytest.mark.parametrize("note", ["", "  "])
def test_escalate_needs_a_reason(gm01, note):
    petition = accept(make_petition(by=gm01), by=gm01)
    before = snapshot(petition)
    with pytest.raises(ValidationError) as exc:
        services.petition_escalate(petition=petition, by=gm01, note=note)
    assert "note" in exc.value.message_dict
    assert snapshot(petition) == before


def test_escalate_before_acceptance_is_not_a_transition(gm01):
    petition = make_petition(by=gm01)
    with pytest.raises(TransitionNotAllowed):
        services.petition_escalate(petition=petition, by=gm01, note="上交")


def test_grid_member_cannot_act_once_the_petition_is_at_the_town(gm01):
    petition = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    before = snapshot(petition)
    for service, kwargs in [(services.petition_escalate, {"note": "上交"}),
                            (services.petition_reply, reply_fields()),
                            (services.petition_withdraw, {"reason": "撤回"})]:
        with pytest.raises(PermissionDenied):
            service(petition=petition, by=gm01, **kwargs)
    assert snapshot(petition) == before


def test_escalate_to_the_county_without_a_coordinator_is_refused(gm01, gl01):
    petition = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    before = snapshot(petition)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.petition_escalate(petition=petition, by=gl01, note="涉及县直部门")
    assert "镇级专人" in str(exc.value)
    assert snapshot(petition) == before


def test_escalate_to_the_county_with_a_coordinator_goes_to_them(gm01, gl01, petition, office):
    case = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    assign_coordinator(case, by=petition, coordinator=staff_of(office),
                       county_department="县水务局")
    assert (case.coordinator, case.county_department) == (staff_of(office), "县水务局")
    assert last_event(case).action == "assign_coordinator"
    assert notified(office, case).count() == 1
    escalate(case, by=gl01, note="涉及县水务局职责。")
    assert case.state == "county"
    assert case.handler == staff_of(office)
    event = last_event(case)
    assert (event.from_state, event.to_state, event.handler) == ("town", "county",
                                                                 staff_of(office))
    assert notified(office, case).count() == 2


def test_at_the_county_only_the_coordinator_and_the_office_act(gm01, gl01, petition, office):
    case = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    assign_coordinator(case, by=petition, coordinator=staff_of(office))
    escalate(case, by=gl01)
    for user in (gm01, gl01):
        with pytest.raises(PermissionDenied):
            services.petition_reply(petition=case, by=user, **reply_fields())
    reply(case, by=office)
    assert (case.state, case.reply_result) == ("replied", "support")


def test_only_the_office_or_leadership_names_the_coordinator(gm01, gl01, leader):
    petition = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    with pytest.raises(PermissionDenied):
        assign_coordinator(petition, by=gl01)
    assign_coordinator(petition, by=leader)
    assert petition.coordinator == town_staff()


def test_the_coordinator_must_be_town_staff_and_the_department_named(gm01, gm02, petition):
    case = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    with pytest.raises(ValidationError) as exc:
        assign_coordinator(case, by=petition, coordinator=staff_of(gm02))
    assert "coordinator" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        assign_coordinator(case, by=petition, county_department=" ")
    assert "county_department" in exc.value.message_dict
    assert case.coordinator is None


def test_a_village_committees_mediator_is_not_a_town_cadre_to_coordinate(gm01, med01, petition,
                                                                          client_as):
    """The service accepts whom the escalate form offers: town offices, leadership and the
    town committee (``grid.selectors.town_cadres``)."""
    case = escalate(accept(make_petition(by=gm01), by=gm01), by=gm01)
    with pytest.raises(ValidationError) as exc:
        assign_coordinator(case, by=petition, coordinator=staff_of(med01))
    assert "coordinator" in exc.value.message_dict
    from petitions.forms import coordinator_choices

    offered = set(coordinator_choices(case, petition))
    assert town_staff() in offered and staff_of(med01) not in offered


def test_no_coordinator_before_acceptance(gm01, petition):
    registered = make_petition(by=gm01)
    with pytest.raises(TransitionNotAllowed):
        assign_coordinator(registered, by=petition)


# --- reply ------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["grid", "town"])
def test_reply_records_the_handling_opinion(gm01, gl01, state):
    petition = accept(make_petition(by=gm01), by=gm01)
    actor = gm01
    if state == "town":
        escalate(petition, by=gm01)
        actor = gl01
    reply(petition, by=actor, result="explain", category="explained")
    assert petition.state == "replied"
    assert petition.replied_on == timezone.localdate()
    assert (petition.reply_request, petition.reply_facts, petition.reply_decision,
            petition.reply_basis, petition.reply_result, petition.reply_category) == (
        "要求疏通灌溉渠", "经现场查看，灌溉渠确被堵塞。", "责成邻村三日内疏通。",
        "《中华人民共和国农业法》", "explain", "explained")
    event = last_event(petition)
    assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
        "reply", actor, state, "replied", "责成邻村三日内疏通。")


@pytest.mark.parametrize(("overrides", "field"), [
    ({"request": ""}, "request"), ({"facts": " "}, "facts"), ({"decision": ""}, "decision"),
    ({"basis": ""}, "basis"), ({"result": "maybe"}, "result"), ({"category": ""}, "category"),
])
def test_reply_needs_every_part_of_the_opinion(gm01, overrides, field):
    petition = accept(make_petition(by=gm01), by=gm01)
    before = snapshot(petition)
    with pytest.raises(ValidationError) as exc:
        services.petition_reply(petition=petition, by=gm01, **reply_fields(**overrides))
    assert field in exc.value.message_dict
    assert snapshot(petition) == before


def test_reply_before_acceptance_is_not_a_transition(gm01):
    petition = make_petition(by=gm01)
    with pytest.raises(TransitionNotAllowed):
        services.petition_reply(petition=petition, by=gm01, **reply_fields())


def test_reply_by_someone_off_the_chain_is_denied(gm01, med01):
    petition = accept(make_petition(by=gm01), by=gm01)
    with pytest.raises(PermissionDenied):
        services.petition_reply(petition=petition, by=med01, **reply_fields())


# --- extension: requested, approved by the town leadership (信访工作条例 第三十四条) -----------

def test_extension_request_does_not_move_the_due_date_art_34(gm01, leader):
    petition = accept(make_petition(by=gm01), by=gm01)
    due = petition.reply_due
    request_extension(petition, by=gm01, days=30)
    assert (petition.extension_status, petition.reply_due, petition.extension_days) == (
        "requested", due, 0)
    event = last_event(petition)
    assert (event.action, event.actor) == ("request_extension", gm01)
    assert notified(leader, petition).filter(title__contains="延期待审批").exists()


def test_extension_approved_by_the_leadership_moves_the_due_date_once_art_34(gm01, leader):
    petition = accept(make_petition(by=gm01), by=gm01)
    due = petition.reply_due
    extend(petition, by=gm01, approver=leader, days=30)
    assert petition.reply_due == due + 30 * DAY
    assert (petition.extension_days, petition.extension_reason, petition.extension_approver,
            petition.extension_status) == (30, "需调取档案核实", staff_of(leader), "approved")
    event = last_event(petition)
    assert (event.action, event.actor) == ("approve_extension", leader)
    assert "30" in event.note and str(petition.reply_due) in event.note
    with pytest.raises(TransitionNotAllowed):
        request_extension(petition, by=gm01, days=5)


def test_the_petition_office_alone_cannot_approve_an_extension_art_34(gm01, petition):
    case = request_extension(accept(make_petition(by=gm01), by=gm01), by=petition)
    before = snapshot(case)
    for user in (petition, gm01):
        with pytest.raises(PermissionDenied):
            services.petition_approve_extension(petition=case, by=user)
    assert snapshot(case) == before
    assert case.extension_days == 0


def test_refused_extension_keeps_the_due_date_and_may_be_asked_again_art_34(gm01, leader):
    petition = request_extension(accept(make_petition(by=gm01), by=gm01), by=gm01)
    due = petition.reply_due
    with pytest.raises(ValidationError):
        services.petition_refuse_extension(petition=petition, by=leader, reason="")
    services.petition_refuse_extension(petition=petition, by=leader, reason="理由不充分")
    petition.refresh_from_db()
    assert (petition.extension_status, petition.reply_due, petition.extension_refusal) == (
        "refused", due, "理由不充分")
    assert last_event(petition).action == "refuse_extension"
    with pytest.raises(TransitionNotAllowed):
        services.petition_approve_extension(petition=petition, by=leader)
    request_extension(petition, by=gm01, days=10)
    assert petition.extension_status == "requested"


def test_extension_past_the_due_date_is_refused_with_the_reason_art_34(gm01, leader, travel):
    """A petition 15 days past its reply due date cannot be extended and stays overdue."""
    petition = accept(make_petition(by=gm01), by=gm01)
    pending = request_extension(accept(make_petition(by=gm01, subject="另一件事"), by=gm01),
                                by=gm01)
    travel(days=75)
    with pytest.raises(ValidationError) as exc:
        request_extension(petition, by=gm01, days=30)
    assert "届满" in str(exc.value.message_dict["days"])
    with pytest.raises(ValidationError):
        services.petition_approve_extension(petition=pending, by=leader)
    assert set(Petition.objects.overdue().values_list("pk", flat=True)) >= {petition.pk,
                                                                             pending.pk}


@pytest.mark.parametrize("days", [0, 31, 60])
def test_extension_by_more_than_30_days_or_none_is_refused_art_34(gm01, days):
    petition = accept(make_petition(by=gm01), by=gm01)
    before = snapshot(petition)
    with pytest.raises(ValidationError) as exc:
        request_extension(petition, by=gm01, days=days)
    assert "days" in exc.value.message_dict
    assert snapshot(petition) == before


def test_extension_needs_a_reason_a_claim_in_hand_and_the_chain(gm01, med01, petition):
    registered = make_petition(by=gm01)
    with pytest.raises(TransitionNotAllowed):
        request_extension(registered, by=petition)
    case = accept(registered, by=gm01)
    with pytest.raises(PermissionDenied):
        request_extension(case, by=med01)
    with pytest.raises(ValidationError) as exc:
        request_extension(case, by=gm01, reason="")
    assert "reason" in exc.value.message_dict
    suggestion = accept(make_petition(by=gm01, kind="suggestion", subject="建议修路"), by=gm01)
    with pytest.raises(TransitionNotAllowed):
        request_extension(suggestion, by=gm01)


# --- close and the review chain ---------------------------------------------------------------

def test_close_at_once_when_the_petitioner_is_satisfied(gm01):
    petition = replied(by=gm01)
    services.petition_close(petition=petition, by=gm01, satisfied=True)
    petition.refresh_from_db()
    assert (petition.state, petition.close_reason, petition.satisfied) == (
        "closed", "satisfied", True)
    assert petition.closed_on == timezone.localdate()
    assert petition.proxies.get().ended_at is not None
    event = last_event(petition)
    assert (event.action, event.from_state, event.to_state) == ("close", "replied", "closed")


def test_close_is_refused_until_the_30_day_review_window_has_passed(gm01, travel):
    petition = replied(by=gm01)
    travel(days=30)  # the last day on which a review may still be requested
    before = snapshot(petition)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.petition_close(petition=petition, by=gm01, satisfied=False)
    assert "30日" in str(exc.value)
    assert snapshot(petition) == before
    travel(days=31)
    services.petition_close(petition=petition, by=gm01, satisfied=False)
    petition.refresh_from_db()
    assert (petition.state, petition.close_reason) == ("closed", "review_window_passed")


def test_close_is_refused_while_a_review_is_pending_even_if_satisfied(gm01, petition, travel):
    case = replied(by=gm01)
    request_review(case, by=petition)
    travel(days=45)
    with pytest.raises(TransitionNotAllowed):
        services.petition_close(petition=case, by=gm01, satisfied=True)
    case.refresh_from_db()
    assert case.state == "replied"


def test_after_a_review_the_window_runs_from_the_review_answer(gm01, petition, travel):
    case = replied(by=gm01)
    request_review(case, by=petition)
    answered = travel(days=20)
    answer_review(case, by=petition, answered_on=answered)
    travel(days=45)  # 31 days after the reply, only 25 after the review's answer
    with pytest.raises(TransitionNotAllowed):
        services.petition_close(petition=case, by=gm01)
    travel(days=51)
    services.petition_close(petition=case, by=gm01)
    case.refresh_from_db()
    assert (case.state, case.close_reason) == ("closed", "review_window_passed")


def test_close_is_allowed_at_once_after_the_re_review(gm01, petition):
    case = replied(by=gm01)
    request_review(case, by=petition)
    answer_review(case, by=petition)
    request_review(case, by=petition)
    answer_review(case, by=petition)
    services.petition_close(petition=case, by=gm01)
    case.refresh_from_db()
    assert (case.state, case.close_reason) == ("closed", "review_final")


def test_close_before_the_reply_is_not_a_transition(gm01):
    petition = accept(make_petition(by=gm01), by=gm01)
    with pytest.raises(TransitionNotAllowed):
        services.petition_close(petition=petition, by=gm01, satisfied=True)


@pytest.mark.parametrize("username", ["gm02", "med01", "office"])
def test_close_by_someone_off_the_chain_is_denied(gm01, user_factory, username):
    petition = replied(by=gm01)
    with pytest.raises(PermissionDenied):
        services.petition_close(petition=petition, by=user_factory(username), satisfied=True)


def test_review_then_re_review_each_with_a_30_day_answer_due(gm01, petition):
    case = replied(by=gm01)
    today = timezone.localdate()
    review = request_review(case, by=petition)
    assert (review.kind, review.requested_on, review.due_on, review.answered_on) == (
        "review", today, today + 30 * DAY, None)
    assert last_event(case).action == "review"
    with pytest.raises(TransitionNotAllowed):
        request_review(case, by=petition)  # one at a time
    answered = answer_review(case, by=petition, upheld=True)
    assert (answered.pk, answered.upheld, answered.opinion) == (review.pk, True, "维持原处理意见。")
    re_review = request_review(case, by=petition, reviewing_body="平凉市人民政府")
    assert (re_review.kind, re_review.due_on, re_review.reviewing_body) == (
        "re_review", today + 30 * DAY, "平凉市人民政府")
    answer_review(case, by=petition)
    with pytest.raises(TransitionNotAllowed) as exc:
        request_review(case, by=petition)
    assert "复核意见为终结意见" in str(exc.value)
    assert case.reviews.count() == 2
    assert list(case.events.filter(action="review").values_list("actor__username", flat=True)
                ) == ["petition"] * 4


def test_review_is_recorded_only_by_the_office_for_a_replied_petition(gm01, gl01, petition):
    handling = accept(make_petition(by=gm01), by=gm01)
    with pytest.raises(TransitionNotAllowed):
        request_review(handling, by=petition)
    case = reply(handling, by=gm01)
    for user in (gm01, gl01):
        with pytest.raises(PermissionDenied):
            request_review(case, by=user)
    with pytest.raises(ValidationError) as exc:
        request_review(case, by=petition, reviewing_body="")
    assert "reviewing_body" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        request_review(case, by=petition, requested_on=timezone.localdate() + DAY)
    assert "requested_on" in exc.value.message_dict
    assert not PetitionReview.objects.filter(petition=case).exists()


def test_review_request_after_the_window_is_refused(gm01, petition, travel):
    case = replied(by=gm01)
    late = travel(days=31)
    with pytest.raises(ValidationError) as exc:
        request_review(case, by=petition, requested_on=late)
    assert "requested_on" in exc.value.message_dict


def test_review_answer_needs_a_pending_request_an_opinion_and_a_sane_date(gm01, petition):
    case = replied(by=gm01)
    with pytest.raises(TransitionNotAllowed):
        answer_review(case, by=petition)
    review = request_review(case, by=petition)
    with pytest.raises(ValidationError) as exc:
        answer_review(case, by=petition, answered_on=review.requested_on - DAY)
    assert "answered_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.petition_review_answer(petition=case, by=petition,
                                        answered_on=timezone.localdate(), opinion=" ",
                                        upheld=True)
    assert "opinion" in exc.value.message_dict
    review.refresh_from_db()
    assert review.answered_on is None


def test_after_a_re_review_the_same_matter_is_not_accepted_again(gm01, petition):
    first = replied(by=gm01)
    for _ in range(2):
        request_review(first, by=petition)
        answer_review(first, by=petition)
    services.petition_close(petition=first, by=gm01)
    again = make_petition(by=gm01, subject="要求解决承包地灌溉渠堵塞问题（不服复核）")
    assert again.repeat_of == first
    assert "accept" not in permissions.available_actions(again, petition)
    before = snapshot(again)
    for user in (gm01, petition):
        with pytest.raises(TransitionNotAllowed) as exc:
            services.petition_accept(petition=again, by=user)
        assert "同一事项不再受理" in str(exc.value)
    assert snapshot(again) == before
    # It can still be declined, with the reason.
    services.petition_decline(petition=again, by=petition, reason="已经复核终结。",
                              proper_channel="不再受理")
    again.refresh_from_db()
    assert again.state == "declined"


def test_a_repeat_after_an_ordinary_reply_is_accepted(gm01):
    first = replied(by=gm01)
    services.petition_close(petition=first, by=gm01, satisfied=True)
    again = accept(make_petition(by=gm01), by=gm01)
    assert (again.repeat_of, again.state) == (first, "grid")


# --- withdraw ---------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["registered", "grid"])
def test_withdraw_closes_the_petition_and_ends_the_proxy_appointment(gm01, state):
    petition = make_petition(by=gm01)
    if state == "grid":
        accept(petition, by=gm01)
    services.petition_withdraw(petition=petition, by=gm01, reason="双方已私下协商解决")
    petition.refresh_from_db()
    assert (petition.state, petition.close_reason) == ("closed", "withdrawn")
    appointment = petition.proxies.get()
    assert appointment.ended_at is not None
    assert appointment.end_reason == "信访人撤回"
    event = last_event(petition)
    assert (event.action, event.from_state, event.to_state, event.note) == (
        "withdraw", state, "closed", "双方已私下协商解决")


def test_withdraw_needs_a_reason_and_an_open_petition(gm01, med01):
    petition = make_petition(by=gm01)
    with pytest.raises(ValidationError):
        services.petition_withdraw(petition=petition, by=gm01, reason="")
    with pytest.raises(PermissionDenied):
        services.petition_withdraw(petition=petition, by=med01, reason="撤回")
    assert petition.proxies.get().ended_at is None
    answered = replied(by=gm01, subject="另一件事")
    with pytest.raises(TransitionNotAllowed):
        services.petition_withdraw(petition=answered, by=gm01, reason="撤回")


# --- skip-level -------------------------------------------------------------------------------

def test_a_visit_above_the_town_while_handling_makes_the_petition_skip_level(gm01):
    today = timezone.localdate()
    petition = accept(make_petition(by=gm01, received_on=today - 10 * DAY), by=gm01)
    assert not flagged(petition, gm01).skip_level
    visit = services.petition_record_higher_visit(petition=petition, by=gm01, level="city",
                                                  visited_on=today - 2 * DAY, note="赴市信访局")
    assert visit.recorded_by == gm01
    assert flagged(petition, gm01).skip_level
    assert last_event(petition).action == "higher_visit"
    assert list(selectors.petition_list_for_user(user=gm01, filters={"skip_level": True})) == [
        flagged(petition, gm01)]


def test_a_visit_above_the_town_before_receipt_does_not_make_it_skip_level(gm01):
    today = timezone.localdate()
    petition = make_petition(by=gm01, received_on=today - 10 * DAY)
    services.petition_record_higher_visit(petition=petition, by=gm01, level="county",
                                          visited_on=today - 20 * DAY)
    assert not flagged(petition, gm01).skip_level


def test_a_higher_visit_is_recorded_by_the_chain_with_a_sane_date(gm01, med01):
    petition = make_petition(by=gm01)
    with pytest.raises(PermissionDenied):
        services.petition_record_higher_visit(petition=petition, by=med01, level="city",
                                              visited_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.petition_record_higher_visit(petition=petition, by=gm01, level="moon",
                                              visited_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.petition_record_higher_visit(petition=petition, by=gm01, level="city",
                                              visited_on=timezone.localdate() + DAY)
    assert not petition.higher_visits.exists()


# --- Overdue ----------------------------------------------------------------------------------

def test_overdue_is_computed_from_the_due_dates(gm01, travel):
    registered = make_petition(by=gm01)
    handling = accept(make_petition(by=gm01, subject="另一件事"), by=gm01)
    assert not flagged(registered, gm01).overdue and not flagged(handling, gm01).overdue
    travel(days=16)
    assert flagged(registered, gm01).accept_overdue and flagged(registered, gm01).overdue
    assert not flagged(handling, gm01).overdue
    travel(days=61)
    assert flagged(handling, gm01).reply_overdue and flagged(handling, gm01).overdue


# --- Confidentiality of accusations -----------------------------------------------------------

SECRET_NAME = "检举人甲乙"


@pytest.fixture
def accusation(petition):
    """A confidential accusation in gm01's small grid, registered by the petition office."""
    return make_petition(by=petition, kind="accusation", form="letter",
                         subject="反映村干部优亲厚友", content="危房改造名额分配不公。",
                         petitioners=[petitioner(name=SECRET_NAME, phone="13700001234",
                                                 id_number="")])


def test_only_the_office_and_leadership_may_see_who_filed_an_accusation(
        accusation, gm01, gl01, petition, leader, office):
    assert accusation.is_confidential
    assert not permissions.can_see_identity(accusation, gm01)
    assert not permissions.can_see_identity(accusation, gl01)
    assert not permissions.can_see_identity(accusation, office)
    assert permissions.can_see_identity(accusation, petition)
    assert permissions.can_see_identity(accusation, leader)


def test_grid_member_does_not_see_an_accusations_petitioners_on_the_page(
        accusation, client_as):
    page = client_as("gm01").get(accusation.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET_NAME not in html and "13700001234" not in html
    assert 'data-testid="confidential"' in html
    for username in ("petition", "leader"):
        html = client_as(username).get(accusation.get_absolute_url()).content.decode()
        assert SECRET_NAME in html and 'data-testid="confidential"' not in html


def test_grid_member_does_not_see_an_accusations_petitioners_in_the_api(accusation, api_as):
    url = f"/api/v1/petitions/{accusation.pk}/"
    detail = api_as("gm01").get(url)
    assert detail.status_code == 200
    assert detail.data["petitioners"] is None
    assert SECRET_NAME not in detail.content.decode()
    listed = api_as("gm01").get("/api/v1/petitions/", {"kind": "accusation"})
    row = next(r for r in listed.data["results"] if r["id"] == accusation.pk)
    assert row["petitioners"] == "（保密）"
    for username in ("petition", "leader"):
        detail = api_as(username).get(url)
        assert [p["name"] for p in detail.data["petitioners"]] == [SECRET_NAME]


def test_an_accusation_never_shows_its_petitioner_in_lists_or_exports(accusation, client_as):
    for username in ("gm01", "petition", "leader"):
        client = client_as(username)
        ledger = client.get("/petitions/", {"kind": "accusation"}).content.decode()
        assert accusation.number in ledger and "（保密）" in ledger
        assert SECRET_NAME not in ledger and "检*乙" not in ledger
        export = client.get("/petitions/export.xlsx", {"kind": "accusation"})
        rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True))
        row = next(r for r in rows if r[1] == accusation.number)
        assert row[4] == "（保密）"
        assert not any(SECRET_NAME in str(c) or "检*乙" in str(c) for r in rows for c in r)
        printed = client.get("/petitions/print/", {"kind": "accusation"}).content.decode()
        assert SECRET_NAME not in printed and "（保密）" in printed


@pytest.mark.parametrize("username", ["gm01", "petition", "leader"])
def test_name_search_does_not_find_an_accusation_by_its_petitioner(accusation, user_factory,
                                                                   gm01, username):
    claim = make_petition(by=gm01, petitioners=[petitioner(name=SECRET_NAME, id_number="",
                                                           phone="13700001234")])
    user = user_factory(username)
    found = selectors.petition_list_for_user(user=user, filters={"q": SECRET_NAME})
    assert list(found.values_list("pk", flat=True)) == [claim.pk]
    by_number = selectors.petition_list_for_user(user=user, filters={"q": accusation.number})
    assert accusation in by_number

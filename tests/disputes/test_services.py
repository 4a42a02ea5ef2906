"""The services behind every page and endpoint: intake, the ladder's transitions (allowed path
and every refusal), deadlines and routing."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from disputes import deadlines, permissions, services
from disputes.models import (
    Dispute,
    DisputeEvent,
    MediationAgreement,
    Party,
    TownDisputeSettings,
)
from disputes.services.ladder import ROUTES_NOTICE, DisputeConflict
from inbox.models import Notification

from .factories import (
    FIRST_TIER_ACTIONS,
    ID_NUMBER_X,
    demo_small_grid,
    escalate_to,
    follow_up,
    make_dispute,
    oral_agreement,
    party,
    resolve,
    staff_of,
    written_agreement,
)

pytestmark = pytest.mark.django_db

NUMBER_RE = re.compile(r"^黄寨人调〔(\d{4})〕(\d+)号$")
DAY = datetime.timedelta(days=1)


def last_event(dispute):
    return dispute.events.order_by("-id").first()


def notified(user, dispute):
    return Notification.objects.filter(recipient=user, url=dispute.get_absolute_url())


def snapshot(dispute):
    """What a refused transition must leave untouched."""
    dispute.refresh_from_db()
    return dispute.state, dispute.handler_id, dispute.events.count()


# --- Intake -----------------------------------------------------------------------------------

def test_intake_numbers_cases_per_town_and_year_in_increasing_order(gm01):
    first = make_dispute(by=gm01)
    second = make_dispute(by=gm01)
    year = timezone.localdate().year
    m1, m2 = NUMBER_RE.match(first.number), NUMBER_RE.match(second.number)
    assert m1 and m2, (first.number, second.number)
    assert int(m1[1]) == int(m2[1]) == year == first.year
    assert int(m2[2]) == int(m1[2]) + 1 == second.serial
    assert Dispute.objects.filter(number=first.number).count() == 1


def test_intake_numbers_a_case_found_last_year_in_last_years_sequence(gm01):
    this_year = make_dispute(by=gm01)
    found_at = timezone.now().replace(year=timezone.localdate().year - 1, month=6, day=1)
    old = make_dispute(by=gm01, found_at=found_at)
    older = make_dispute(by=gm01, found_at=found_at)
    assert old.year == this_year.year - 1
    assert old.number == f"黄寨人调〔{old.year}〕{old.serial}号"
    assert (old.serial, older.serial) == (1, 2)


def test_intake_gives_the_case_to_the_grid_member_who_logs_it(gm01):
    dispute = make_dispute(by=gm01)
    me = staff_of(gm01)
    assert dispute.state == "grid_member"
    assert dispute.handler == me
    assert dispute.reporter == me
    assert dispute.tier_due_at == dispute.tier_started_at + 3 * DAY
    assert list(dispute.parties.values_list("name", flat=True)) == ["张三丰", "李四"]
    event = dispute.events.get()
    assert (event.action, event.actor, event.from_state, event.to_state, event.handler) == (
        "create", gm01, "", "grid_member", me)
    assert not notified(gm01, dispute).exists(), "nobody is told about their own case"


def test_intake_by_leadership_routes_to_the_small_grids_grid_member_and_notifies_them(
        leader, gm01):
    dispute = make_dispute(by=leader)
    assert dispute.handler == staff_of(gm01)
    assert dispute.reporter == staff_of(leader)
    assert notified(gm01, dispute).count() == 1


def test_intake_stores_resident_ids_with_upper_case_x(gm01):
    dispute = make_dispute(by=gm01, parties=[party(id_number=ID_NUMBER_X.lower())])
    assert dispute.parties.get().id_number == ID_NUMBER_X


@pytest.mark.parametrize(("bad", "key", "words"), [
    ({"phone": "1381234567"}, "parties[0].phone", "11位手机号码"),
    ({"id_number": "620823198001011230"}, "parties[0].id_number", "校验位"),
    ({"id_number": "62082319800101123"}, "parties[0].id_number", "18位"),
])
def test_intake_rejects_a_bad_party_phone_or_id_and_saves_nothing(gm01, bad, key, words):
    counts = (Dispute.objects.count(), Party.objects.count(), DisputeEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        make_dispute(by=gm01, parties=[party(**bad)])
    assert words in exc.value.message_dict[key][0]
    assert counts == (Dispute.objects.count(), Party.objects.count(),
                      DisputeEvent.objects.count())


def test_intake_reports_which_party_is_wrong(gm01):
    with pytest.raises(ValidationError) as exc:
        make_dispute(by=gm01, parties=[party(), party(name="", phone="123")])
    assert set(exc.value.message_dict) == {"parties[1].name", "parties[1].phone"}


def test_intake_needs_at_least_one_party(gm01):
    with pytest.raises(ValidationError) as exc:
        make_dispute(by=gm01, parties=[])
    assert "parties" in exc.value.message_dict


def test_intake_refuses_an_occurrence_after_the_finding(gm01):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        make_dispute(by=gm01, found_at=now, occurred_at=now + DAY)
    assert "occurred_at" in exc.value.message_dict


def test_intake_refuses_unknown_fields(gm01):
    with pytest.raises(ValidationError) as exc:
        make_dispute(by=gm01, state="resolved")
    assert "state" in exc.value.message_dict


def test_intake_in_a_small_grid_outside_scope_is_denied_and_saves_nothing(gm01):
    before = Dispute.objects.count()
    with pytest.raises(PermissionDenied):
        make_dispute(by=gm01, small_grid=demo_small_grid(2, 1))
    assert Dispute.objects.count() == before


# --- escalate ---------------------------------------------------------------------------------

def test_escalate_from_grid_member_goes_to_the_chosen_mediator_and_notifies_them(gm01, med01):
    dispute = make_dispute(by=gm01)
    result = services.dispute_escalate(dispute=dispute, by=gm01, note="入户劝解两次未果。",
                                       mediator=staff_of(med01))
    assert result.state == dispute.state == "mediator"
    assert dispute.handler == staff_of(med01)
    assert dispute.tier_due_at == dispute.tier_started_at + 7 * DAY
    event = last_event(dispute)
    assert (event.action, event.actor, event.from_state, event.to_state, event.handler,
            event.note) == ("escalate", gm01, "grid_member", "mediator", staff_of(med01),
                            "入户劝解两次未果。")
    assert notified(med01, dispute).count() == 1


def test_escalate_climbs_to_the_grid_leader_then_the_chair(gm01, med01, gl01, chair):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    services.dispute_escalate(dispute=dispute, by=med01, note="调解两次未果。")
    assert (dispute.state, dispute.handler) == ("grid_leader", staff_of(gl01))
    assert dispute.tier_due_at == dispute.tier_started_at + 7 * DAY
    assert notified(gl01, dispute).count() == 1
    services.dispute_escalate(dispute=dispute, by=gl01, note="网格长调解未果。")
    assert (dispute.state, dispute.handler) == ("chair", staff_of(chair))
    assert dispute.tier_due_at == dispute.tier_started_at + 13 * DAY
    assert notified(chair, dispute).count() == 1
    assert list(dispute.events.values_list("action", "from_state", "to_state")) == [
        ("create", "", "grid_member"), ("escalate", "grid_member", "mediator"),
        ("escalate", "mediator", "grid_leader"), ("escalate", "grid_leader", "chair")]


def test_escalate_from_the_chair_is_not_a_transition(gm01, chair):
    dispute = escalate_to(make_dispute(by=gm01), "chair")
    before = snapshot(dispute)
    with pytest.raises(TransitionNotAllowed):
        services.dispute_escalate(dispute=dispute, by=chair, note="再上交")
    assert snapshot(dispute) == before


def test_escalate_a_resolved_case_is_not_allowed(gm01):
    dispute = resolve(make_dispute(by=gm01))
    with pytest.raises(TransitionNotAllowed):
        services.dispute_escalate(dispute=dispute, by=gm01, note="再上交")


@pytest.mark.parametrize("note", ["", "   "])
def test_escalate_needs_a_note_of_what_was_tried(gm01, note):
    dispute = make_dispute(by=gm01)
    before = snapshot(dispute)
    with pytest.raises(ValidationError) as exc:
        services.dispute_escalate(dispute=dispute, by=gm01, note=note)
    assert "note" in exc.value.message_dict
    assert snapshot(dispute) == before


@pytest.mark.parametrize("username", ["gm02", "med02", "office", "judicial"])
def test_escalate_by_someone_without_a_tier_over_the_case_is_denied(gm01, user_factory,
                                                                    username):
    dispute = make_dispute(by=gm01)
    before = snapshot(dispute)
    with pytest.raises(PermissionDenied):
        services.dispute_escalate(dispute=dispute, by=user_factory(username), note="上交")
    assert snapshot(dispute) == before


def test_grid_member_cannot_act_once_the_case_has_left_their_tier(gm01, med01):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    with pytest.raises(PermissionDenied):
        services.dispute_escalate(dispute=dispute, by=gm01, note="上交")
    escalate_to(dispute, "grid_leader")
    for service, kwargs in [(services.dispute_escalate, {"note": "上交"}),
                            (services.dispute_resolve, {"outcome": "化解"}),
                            (services.dispute_withdraw, {"reason": "撤回"})]:
        with pytest.raises(PermissionDenied):
            service(dispute=dispute, by=gm01, **kwargs)


def test_mediator_of_another_village_cannot_act_at_the_mediator_tier(gm01, med01, med02):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    with pytest.raises(PermissionDenied):
        services.dispute_escalate(dispute=dispute, by=med02, note="上交")
    with pytest.raises(PermissionDenied):
        services.dispute_resolve(dispute=dispute, by=med02, outcome="化解")


def test_mediator_cannot_act_at_the_grid_leader_tier_unless_handler(gm01, med01):
    dispute = escalate_to(make_dispute(by=gm01), "grid_leader", mediator=staff_of(med01))
    with pytest.raises(PermissionDenied):
        services.dispute_resolve(dispute=dispute, by=med01, outcome="化解")
    assert not permissions.can_escalate(dispute, med01)
    dispute.handler = staff_of(med01)  # not saved: the rule alone
    assert permissions.can_resolve(dispute, med01)


def test_escalate_may_choose_a_mediator_only_when_going_to_the_mediator_tier(gm01, med01):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    with pytest.raises(ValidationError) as exc:
        services.dispute_escalate(dispute=dispute, by=med01, note="上交",
                                  mediator=staff_of(med01))
    assert "mediator" in exc.value.message_dict


def test_escalate_refuses_a_mediator_of_another_village(gm01, med02):
    dispute = make_dispute(by=gm01)
    before = snapshot(dispute)
    with pytest.raises(ValidationError) as exc:
        services.dispute_escalate(dispute=dispute, by=gm01, note="上交",
                                  mediator=staff_of(med02))
    assert "mediator" in exc.value.message_dict
    assert snapshot(dispute) == before


def test_escalate_with_a_stale_copy_raises_a_conflict(gm01, leader):
    dispute = make_dispute(by=gm01)
    stale = Dispute.objects.get(pk=dispute.pk)
    services.dispute_escalate(dispute=dispute, by=gm01, note="上交")
    with pytest.raises(DisputeConflict):
        services.dispute_escalate(dispute=stale, by=leader, note="也上交")
    assert dispute.events.filter(action="escalate").count() == 1


# --- escalate_urgent --------------------------------------------------------------------------

@pytest.mark.parametrize("risk", [{"risk_level": "red"}, {"risk_civil_to_criminal": True},
                                  {"risk_group_incident": True},
                                  {"risk_skip_level_petition": True},
                                  {"risk_extreme_behaviour": True}])
def test_escalate_urgent_goes_straight_to_the_chair_and_tells_leadership(gm01, chair, leader,
                                                                         risk):
    dispute = make_dispute(by=gm01, **risk)
    services.dispute_escalate_urgent(dispute=dispute, by=gm01, justification="扬言报复，情绪激动。")
    assert (dispute.state, dispute.handler, dispute.urgent) == ("chair", staff_of(chair), True)
    assert dispute.tier_due_at == dispute.tier_started_at + 13 * DAY
    event = last_event(dispute)
    assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
        "escalate_urgent", gm01, "grid_member", "chair", "扬言报复，情绪激动。")
    assert notified(chair, dispute).count() == 1
    assert notified(leader, dispute).filter(title__contains="紧急").count() == 1


def test_escalate_urgent_from_the_grid_leader_tier(gm01, gl01):
    dispute = escalate_to(make_dispute(by=gm01, risk_level="red"), "grid_leader")
    services.dispute_escalate_urgent(dispute=dispute, by=gl01, justification="紧急")
    assert dispute.state == "chair"


def test_escalate_urgent_without_red_risk_or_a_flag_is_refused(gm01):
    dispute = make_dispute(by=gm01, risk_level="yellow")
    before = snapshot(dispute)
    with pytest.raises(TransitionNotAllowed):
        services.dispute_escalate_urgent(dispute=dispute, by=gm01, justification="紧急")
    assert snapshot(dispute) == before


def test_escalate_urgent_needs_a_justification(gm01):
    dispute = make_dispute(by=gm01, risk_level="red")
    with pytest.raises(ValidationError) as exc:
        services.dispute_escalate_urgent(dispute=dispute, by=gm01, justification=" ")
    assert "justification" in exc.value.message_dict


def test_escalate_urgent_from_the_chair_is_not_a_transition(gm01, chair):
    dispute = escalate_to(make_dispute(by=gm01, risk_level="red"), "chair")
    with pytest.raises(TransitionNotAllowed):
        services.dispute_escalate_urgent(dispute=dispute, by=chair, justification="紧急")


def test_escalate_urgent_by_another_grids_member_is_denied(gm01, gm02):
    dispute = make_dispute(by=gm01, risk_level="red")
    with pytest.raises(PermissionDenied):
        services.dispute_escalate_urgent(dispute=dispute, by=gm02, justification="紧急")


# --- resolve ----------------------------------------------------------------------------------

def test_resolve_at_the_first_tier_with_an_oral_agreement(gm01):
    dispute = make_dispute(by=gm01)
    handler = dispute.handler
    notes_before = Notification.objects.count()
    services.dispute_resolve(dispute=dispute, by=gm01, outcome="双方握手言和。",
                             agreement=oral_agreement())
    assert dispute.state == "resolved"
    assert (dispute.resolved_tier, dispute.outcome, dispute.tier_due_at) == (
        "grid_member", "双方握手言和。", None)
    assert dispute.resolved_at is not None
    assert dispute.handler == handler
    assert dispute.agreement.kind == "oral"
    event = last_event(dispute)
    assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
        "resolve", gm01, "grid_member", "resolved", "双方握手言和。")
    assert Notification.objects.count() == notes_before, "the handler did not change"


def test_resolve_with_a_written_agreement_when_one_is_required(gm01, med01):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    resolve(dispute, by=med01, agreement=written_agreement(mediator=staff_of(med01)),
            written_required=True)
    agreement = MediationAgreement.objects.get(dispute=dispute)
    assert (dispute.state, dispute.resolved_tier) == ("resolved", "mediator")
    assert (agreement.kind, agreement.mediator) == ("written", staff_of(med01))
    assert agreement.facts and agreement.points_in_dispute and agreement.performance_method


def test_resolve_without_an_agreement_when_none_is_required(gm01):
    dispute = make_dispute(by=gm01)
    services.dispute_resolve(dispute=dispute, by=gm01, outcome="当事人自行和解。")
    assert dispute.state == "resolved"
    assert not MediationAgreement.objects.filter(dispute=dispute).exists()


@pytest.mark.parametrize(("agreement", "keys"), [
    (None, {"agreement"}),
    (oral_agreement(), {"agreement.kind"}),
    (written_agreement(facts="", points_in_dispute="", performance_method="",
                       performance_deadline=None),
     {"agreement.facts", "agreement.points_in_dispute", "agreement.performance_method",
      "agreement.performance_deadline"}),
    (written_agreement(terms=" ", signed_on=None), {"agreement.terms", "agreement.signed_on"}),
])
def test_resolve_with_written_required_needs_a_full_written_agreement(gm01, agreement, keys):
    dispute = make_dispute(by=gm01)
    before = snapshot(dispute)
    with pytest.raises(ValidationError) as exc:
        services.dispute_resolve(dispute=dispute, by=gm01, outcome="化解", agreement=agreement,
                                 written_required=True)
    assert set(exc.value.message_dict) == keys
    assert snapshot(dispute) == before
    assert not MediationAgreement.objects.filter(dispute=dispute).exists()


def test_resolve_refuses_an_agreement_signed_in_the_future(gm01):
    dispute = make_dispute(by=gm01)
    with pytest.raises(ValidationError) as exc:
        services.dispute_resolve(dispute=dispute, by=gm01, outcome="化解",
                                 agreement=oral_agreement(signed_on=timezone.localdate() + DAY))
    assert "agreement.signed_on" in exc.value.message_dict


def test_resolve_needs_an_outcome(gm01):
    dispute = make_dispute(by=gm01)
    with pytest.raises(ValidationError) as exc:
        services.dispute_resolve(dispute=dispute, by=gm01, outcome="")
    assert "outcome" in exc.value.message_dict


def test_resolve_a_resolved_case_is_not_allowed(gm01):
    dispute = resolve(make_dispute(by=gm01))
    with pytest.raises(TransitionNotAllowed):
        services.dispute_resolve(dispute=dispute, by=gm01, outcome="再次化解")


def test_resolve_by_another_grids_member_is_denied(gm01, gm02):
    dispute = make_dispute(by=gm01)
    with pytest.raises(PermissionDenied):
        services.dispute_resolve(dispute=dispute, by=gm02, outcome="化解")


def test_judicial_confirmation_window_is_thirty_days_from_signing():
    signed = datetime.date(2026, 3, 10)
    assert deadlines.judicial_confirmation_until(signed) == datetime.date(2026, 4, 9)
    assert deadlines.judicial_confirmation_until(None) is None


# --- "anyone above them in the chain", and town leadership -------------------------------------

def test_grid_leader_can_resolve_a_case_at_the_mediator_tier(gm01, med01, gl01):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    resolve(dispute, by=gl01)
    assert (dispute.state, dispute.resolved_tier) == ("resolved", "mediator")
    assert last_event(dispute).actor == gl01


def test_mediator_can_act_on_a_case_still_at_the_grid_member_tier(gm01, med01):
    dispute = make_dispute(by=gm01)
    services.dispute_escalate(dispute=dispute, by=med01, note="调解员接手")
    assert dispute.state == "mediator"


def test_chair_can_resolve_at_any_tier_of_the_town(gm02, chair):
    dispute = make_dispute(by=gm02, small_grid=demo_small_grid(2, 1))
    resolve(dispute, by=chair)
    assert dispute.resolved_tier == "grid_member"


@pytest.mark.parametrize("tier", ["grid_member", "mediator", "grid_leader", "chair"])
def test_town_leadership_can_escalate_resolve_and_void_at_every_tier(gm01, leader, tier):
    dispute = escalate_to(make_dispute(by=gm01, risk_civil_to_criminal=True), tier)
    assert set(permissions.available_actions(dispute, leader)) >= {
        "resolve", "refer", "withdraw", "void"}
    if tier != "chair":
        services.dispute_escalate(dispute=dispute, by=leader, note="镇领导督办上交")
    resolve(dispute, by=leader)
    services.dispute_void(dispute=dispute, by=leader, reason="重复登记")
    assert dispute.state == "voided"


def test_available_actions_offer_only_what_the_user_may_do_now(gm01, gm02, leader, office):
    dispute = make_dispute(by=gm01)
    assert permissions.available_actions(dispute, gm01) == FIRST_TIER_ACTIONS
    assert "void" in permissions.available_actions(dispute, leader)
    assert permissions.available_actions(dispute, gm02) == []
    assert permissions.available_actions(dispute, office) == []


# --- refer ------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["judicial_office", "court", "police", "petition_office",
                                    "county_department"])
def test_chair_refers_to_any_unit_and_the_parties_are_told_of_other_routes(gm01, chair, target):
    dispute = escalate_to(make_dispute(by=gm01), "chair")
    services.dispute_refer(dispute=dispute, by=chair, target=target, note="调解不成。")
    assert (dispute.state, dispute.referred_to, dispute.referred_from_tier) == (
        "referred", target, "chair")
    assert dispute.referred_at is not None and dispute.tier_due_at is None
    event = last_event(dispute)
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "refer", chair, "chair", "referred")
    assert event.note.startswith("调解不成。") and str(ROUTES_NOTICE) in event.note


@pytest.mark.parametrize("tier", ["grid_member", "mediator", "grid_leader"])
def test_a_lower_tier_refers_to_the_police_on_civil_to_criminal_risk(gm01, tier):
    dispute = escalate_to(make_dispute(by=gm01, risk_civil_to_criminal=True), tier)
    services.dispute_refer(dispute=dispute, by=dispute.handler.user, target="police",
                           note="存在民转刑风险。")
    assert (dispute.state, dispute.referred_to, dispute.referred_from_tier) == (
        "referred", "police", tier)


def test_a_lower_tier_cannot_refer_to_another_unit(gm01):
    dispute = make_dispute(by=gm01, risk_civil_to_criminal=True)
    before = snapshot(dispute)
    with pytest.raises(TransitionNotAllowed):
        services.dispute_refer(dispute=dispute, by=gm01, target="court", note="移交法院")
    assert snapshot(dispute) == before


def test_a_lower_tier_cannot_refer_to_the_police_without_civil_to_criminal_risk(gm01):
    dispute = make_dispute(by=gm01, risk_level="red")
    with pytest.raises(TransitionNotAllowed):
        services.dispute_refer(dispute=dispute, by=gm01, target="police", note="移交派出所")


def test_refer_needs_a_note_and_a_known_unit(gm01, chair):
    dispute = escalate_to(make_dispute(by=gm01), "chair")
    with pytest.raises(ValidationError) as exc:
        services.dispute_refer(dispute=dispute, by=chair, target="court", note="")
    assert "note" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.dispute_refer(dispute=dispute, by=chair, target="mars", note="移交")
    assert "target" in exc.value.message_dict


def test_refer_at_the_chair_tier_by_a_grid_member_is_denied(gm01):
    dispute = escalate_to(make_dispute(by=gm01), "chair")
    with pytest.raises(PermissionDenied):
        services.dispute_refer(dispute=dispute, by=gm01, target="court", note="移交")


def test_refer_a_resolved_case_is_not_allowed(gm01, chair):
    dispute = resolve(make_dispute(by=gm01))
    with pytest.raises(TransitionNotAllowed):
        services.dispute_refer(dispute=dispute, by=chair, target="court", note="移交")


# --- follow-up, close, reopen -----------------------------------------------------------------

def test_follow_up_records_the_visit_and_an_event(gm01):
    dispute = resolve(make_dispute(by=gm01))
    visit = services.dispute_followup(dispute=dispute, by=gm01, visited_on=timezone.localdate(),
                                      visitor=staff_of(gm01), agreement_kept=True, note="已履行")
    assert (visit.agreement_kept, visit.visitor, visit.recorded_by) == (
        True, staff_of(gm01), gm01)
    assert dispute.last_followup_kept is True and dispute.state == "resolved"
    event = last_event(dispute)
    assert (event.action, event.from_state, event.to_state) == ("followup", "resolved",
                                                                "resolved")


def test_follow_up_only_on_a_resolved_case(gm01):
    dispute = make_dispute(by=gm01)
    with pytest.raises(TransitionNotAllowed):
        follow_up(dispute, by=gm01, kept=True)


def test_follow_up_cannot_be_dated_in_the_future(gm01):
    dispute = resolve(make_dispute(by=gm01))
    with pytest.raises(ValidationError) as exc:
        services.dispute_followup(dispute=dispute, by=gm01,
                                  visited_on=timezone.localdate() + DAY,
                                  visitor=staff_of(gm01), agreement_kept=True)
    assert "visited_on" in exc.value.message_dict


def _staff_of_another_town():
    from grid.models import County, Staff, Town

    county = County.objects.get(code="620823")
    town = Town.objects.create(county=county, name="锦屏镇", short_name="锦屏", code="620823199")
    return Staff.objects.create(town=town, name="外镇干部")


def test_follow_up_visitor_must_work_in_the_cases_town(gm01):
    dispute = resolve(make_dispute(by=gm01))
    with pytest.raises(ValidationError) as exc:
        services.dispute_followup(dispute=dispute, by=gm01, visited_on=timezone.localdate(),
                                  visitor=_staff_of_another_town(), agreement_kept=True)
    assert "本镇" in exc.value.message_dict["visitor"][0]
    assert not dispute.followups.exists()


def test_agreement_mediator_must_work_in_the_cases_town(gm01):
    dispute = make_dispute(by=gm01)
    with pytest.raises(ValidationError) as exc:
        services.dispute_resolve(dispute=dispute, by=gm01, outcome="已调解",
                                 agreement=oral_agreement(mediator=_staff_of_another_town()))
    assert "agreement.mediator" in exc.value.message_dict
    dispute.refresh_from_db()
    assert dispute.state == "grid_member"


def test_follow_up_by_someone_outside_the_scope_is_denied(gm01, gm02):
    dispute = resolve(make_dispute(by=gm01))
    with pytest.raises(PermissionDenied):
        follow_up(dispute, by=gm02, kept=True)


def test_close_after_a_follow_up_found_the_agreement_kept(gm01):
    dispute = follow_up(resolve(make_dispute(by=gm01)), by=gm01, kept=True)
    services.dispute_close(dispute=dispute, by=gm01)
    assert dispute.state == "closed" and dispute.closed_at is not None
    event = last_event(dispute)
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "close", gm01, "resolved", "closed")


@pytest.mark.parametrize("kept", [None, False])
def test_close_without_a_kept_follow_up_is_refused(gm01, kept):
    dispute = resolve(make_dispute(by=gm01))
    if kept is not None:
        follow_up(dispute, by=gm01, kept=kept)
    before = snapshot(dispute)
    with pytest.raises(TransitionNotAllowed):
        services.dispute_close(dispute=dispute, by=gm01)
    assert snapshot(dispute) == before


def test_close_by_someone_outside_the_scope_is_denied(gm01, gm02):
    dispute = follow_up(resolve(make_dispute(by=gm01)), by=gm01, kept=True)
    with pytest.raises(PermissionDenied):
        services.dispute_close(dispute=dispute, by=gm02)


def test_reopen_after_a_broken_agreement_returns_the_case_to_a_mediator(gm01, med01):
    dispute = follow_up(resolve(make_dispute(by=gm01)), by=gm01, kept=False)
    services.dispute_reopen(dispute=dispute, by=gm01, note="对方未按期付款。")
    assert dispute.state == "mediator"
    assert (dispute.resolved_tier, dispute.resolved_at, dispute.last_followup_kept) == (
        "", None, None)
    assert dispute.handler in services.eligible_mediators(dispute=dispute)
    assert dispute.tier_due_at == dispute.tier_started_at + 7 * DAY
    event = last_event(dispute)
    assert (event.action, event.from_state, event.to_state, event.handler) == (
        "reopen", "resolved", "mediator", dispute.handler)
    assert notified(dispute.handler.user, dispute).count() == 1


def test_reopen_after_a_kept_agreement_is_refused(gm01):
    dispute = follow_up(resolve(make_dispute(by=gm01)), by=gm01, kept=True)
    with pytest.raises(TransitionNotAllowed):
        services.dispute_reopen(dispute=dispute, by=gm01, note="再调")


def test_reopen_needs_a_reason(gm01):
    dispute = follow_up(resolve(make_dispute(by=gm01)), by=gm01, kept=False)
    with pytest.raises(ValidationError) as exc:
        services.dispute_reopen(dispute=dispute, by=gm01, note="")
    assert "note" in exc.value.message_dict


def test_reopen_by_someone_outside_the_scope_is_denied(gm01, med02):
    dispute = follow_up(resolve(make_dispute(by=gm01)), by=gm01, kept=False)
    with pytest.raises(PermissionDenied):
        services.dispute_reopen(dispute=dispute, by=med02, note="再调")


# --- withdraw, void ---------------------------------------------------------------------------

def test_withdraw_ends_an_open_case_with_the_reason(gm01):
    dispute = make_dispute(by=gm01)
    services.dispute_withdraw(dispute=dispute, by=gm01, reason="申请人撤回申请。")
    assert (dispute.state, dispute.ended_reason, dispute.tier_due_at) == (
        "withdrawn", "申请人撤回申请。", None)
    event = last_event(dispute)
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "withdraw", gm01, "grid_member", "withdrawn")


def test_withdraw_needs_a_reason(gm01):
    dispute = make_dispute(by=gm01)
    with pytest.raises(ValidationError) as exc:
        services.dispute_withdraw(dispute=dispute, by=gm01, reason="")
    assert "reason" in exc.value.message_dict


def test_withdraw_a_resolved_case_is_not_allowed(gm01):
    dispute = resolve(make_dispute(by=gm01))
    with pytest.raises(TransitionNotAllowed):
        services.dispute_withdraw(dispute=dispute, by=gm01, reason="撤回")


def test_withdraw_by_another_grids_member_is_denied(gm01, gm02):
    dispute = make_dispute(by=gm01)
    with pytest.raises(PermissionDenied):
        services.dispute_withdraw(dispute=dispute, by=gm02, reason="撤回")


@pytest.mark.parametrize("username", ["leader", "admin"])
def test_void_by_town_leadership_or_admin_keeps_the_case_with_its_reason(gm01, user_factory,
                                                                         username):
    dispute = make_dispute(by=gm01)
    by = user_factory(username)
    services.dispute_void(dispute=dispute, by=by, reason="误登记")
    assert (dispute.state, dispute.ended_reason) == ("voided", "误登记")
    assert Dispute.objects.filter(pk=dispute.pk).exists()
    event = last_event(dispute)
    assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
        "void", by, "grid_member", "voided", "误登记")


@pytest.mark.parametrize("username", ["gm01", "med01", "gl01", "chair", "office", "gm02"])
def test_void_by_anyone_else_is_denied(gm01, user_factory, username):
    dispute = make_dispute(by=gm01)
    before = snapshot(dispute)
    with pytest.raises(PermissionDenied):
        services.dispute_void(dispute=dispute, by=user_factory(username), reason="误登记")
    assert snapshot(dispute) == before


def test_void_needs_a_reason(gm01, leader):
    dispute = make_dispute(by=gm01)
    with pytest.raises(ValidationError) as exc:
        services.dispute_void(dispute=dispute, by=leader, reason="  ")
    assert "reason" in exc.value.message_dict


def test_void_works_on_a_closed_case_but_not_twice(gm01, leader):
    dispute = follow_up(resolve(make_dispute(by=gm01)), by=gm01, kept=True)
    services.dispute_close(dispute=dispute, by=gm01)
    services.dispute_void(dispute=dispute, by=leader, reason="误登记")
    assert dispute.state == "voided"
    with pytest.raises(TransitionNotAllowed):
        services.dispute_void(dispute=dispute, by=leader, reason="再作废")


# --- Deadlines --------------------------------------------------------------------------------

def test_default_tier_deadlines_are_3_7_7_13_days():
    assert deadlines.DEFAULT_TIER_DAYS == {"grid_member": 3, "mediator": 7, "grid_leader": 7,
                                           "chair": 13}
    assert sum(deadlines.DEFAULT_TIER_DAYS.values()) == 30


def test_a_towns_own_settings_override_the_tier_deadlines(gm01):
    town = demo_small_grid().large_grid.town
    TownDisputeSettings.objects.create(town=town, grid_member_days=2, mediator_days=5,
                                       grid_leader_days=4, chair_days=10)
    dispute = make_dispute(by=gm01)
    assert dispute.tier_due_at == dispute.tier_started_at + 2 * DAY
    for state, days in [("mediator", 5), ("grid_leader", 4), ("chair", 10)]:
        escalate_to(dispute, state)
        assert dispute.tier_due_at == dispute.tier_started_at + days * DAY, state
    assert deadlines.tier_days(town_id=town.pk, state="resolved") is None


# --- Routing ----------------------------------------------------------------------------------

def test_routing_finds_each_tiers_handler_from_the_organisation(gm01, gl01, chair):
    dispute = make_dispute(by=gm01)
    assert services.handler_for(dispute=dispute, state="grid_member") == staff_of(gm01)
    assert services.handler_for(dispute=dispute, state="grid_leader") == staff_of(gl01)
    assert services.handler_for(dispute=dispute, state="chair") == staff_of(chair)
    assert services.handler_for(dispute=dispute, state="resolved") is None


def test_eligible_mediators_are_the_villages_first_then_the_town_committees(gm01, med01):
    dispute = make_dispute(by=gm01)
    mediators = list(services.eligible_mediators(dispute=dispute))
    # 黄寨村's committee has three mediators, the town's eight (人民调解法 第八条: 3–9 members).
    assert staff_of(med01) in mediators[:3]
    village = {m.pk for m in mediators[:3]}
    assert all(m.title.startswith("镇调委会") for m in mediators if m.pk not in village)
    assert len(mediators) == 3 + 8


def test_escalation_without_a_choice_goes_to_the_least_loaded_village_mediator(gm01, med01):
    village = list(services.eligible_mediators(dispute=make_dispute(by=gm01)))[:2]
    # Load med01 with two more open cases than the other village mediator: the next case
    # goes to the other one, whatever either has handled in the past.
    busy = staff_of(med01)
    (idle,) = [m for m in village if m != busy]
    for _ in range(2):
        escalate_to(make_dispute(by=gm01), "mediator", mediator=busy)
    dispute = escalate_to(make_dispute(by=gm01), "mediator")
    assert dispute.handler == idle
    loads = {m.pk: m.open_cases for m in services.eligible_mediators(dispute=dispute)}
    assert loads[busy.pk] == Dispute.objects.filter(handler=busy, state__in=[
        "grid_member", "mediator", "grid_leader", "chair"]).count()

"""Beside the ladder: a case handed to the legal-service office or the five-elders studio,
priority service for a party, referrals that come back (receipt and result per target) and
the result of an entrusted or handed-over case reported back."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from disputes import exports, services
from disputes.deadlines import REFERRAL_DAYS
from disputes.models import Dispute, DisputeEvent, DisputeReferral
from disputes.selectors import dispute_list_for_user, dispute_queue_for_user
from grid.models import ServiceUnit
from inbox.models import Notification

from .factories import escalate_to, make_dispute, party, respondent, staff_of

pytestmark = pytest.mark.django_db


def studio():
    return ServiceUnit.objects.get(kind=ServiceUnit.Kind.STUDIO, town__code="620823103")


def at_chair(gm01):
    return escalate_to(make_dispute(by=gm01), "chair")


# --- Referrals that come back ------------------------------------------------------------------

def test_a_referral_to_the_governance_office_names_its_liaison_and_its_deadlines(gm01, chair,
                                                                                 office):
    dispute = at_chair(gm01)
    services.dispute_refer(dispute=dispute, by=chair, target="governance_office",
                           note="涉及多部门，提请综治办协调。")
    referral = DisputeReferral.objects.get(dispute=dispute)
    assert referral.target == "governance_office"
    assert referral.receiving_unit == "综治办"
    # The first appointed holder of the post liaises; the governance office's login is one.
    assert referral.liaison.town_id == dispute.town_id
    receipt, result = REFERRAL_DAYS["governance_office"]
    assert referral.receipt_due - referral.referred_at == datetime.timedelta(days=receipt)
    assert referral.result_due - referral.referred_at == datetime.timedelta(days=result)
    if referral.liaison.user_id:
        assert Notification.objects.filter(recipient=referral.liaison.user,
                                           url=dispute.get_absolute_url()).exists()
    assert staff_of(office).town_id == dispute.town_id


def test_a_court_referral_has_no_liaison_and_the_courts_own_limits(gm01, chair):
    dispute = at_chair(gm01)
    services.dispute_refer(dispute=dispute, by=chair, target="court", note="引导诉讼。",
                           receiving_unit="崇信县人民法院")
    referral = DisputeReferral.objects.get(dispute=dispute)
    assert referral.liaison is None and referral.receiving_unit == "崇信县人民法院"
    assert (referral.result_due - referral.referred_at).days == 180


def test_the_liaison_acknowledges_then_records_the_result(gm01, chair, police):
    dispute = make_dispute(by=gm01, risk_civil_to_criminal=True, risk_level="red")
    services.dispute_refer(dispute=dispute, by=gm01, target="police", note="民转刑风险。")
    dispute.refresh_from_db()
    services.dispute_acknowledge_referral(dispute=dispute, by=police, note="已受案")
    referral = DisputeReferral.objects.get(dispute=dispute)
    assert referral.acknowledged_by == police and referral.result_at is None
    dispute.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        services.dispute_acknowledge_referral(dispute=dispute, by=police)
    with pytest.raises(ValidationError):
        services.dispute_record_referral_result(dispute=dispute, by=police, result=" ")
    services.dispute_record_referral_result(dispute=dispute, by=police, result="已依法处理。")
    referral.refresh_from_db()
    assert referral.result == "已依法处理。" and referral.result_at is not None
    actions = list(dispute.events.values_list("action", flat=True))
    assert DisputeEvent.Action.ACKNOWLEDGE_REFERRAL in actions
    assert DisputeEvent.Action.REFERRAL_RESULT in actions


def test_someone_off_the_docking_model_may_not_record_a_referrals_result(gm01, chair):
    dispute = at_chair(gm01)
    services.dispute_refer(dispute=dispute, by=chair, target="court", note="引导诉讼。")
    dispute.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.dispute_record_referral_result(dispute=dispute, by=gm01, result="已判决")


def test_an_open_case_has_no_referral_to_acknowledge(gm01, judicial):
    dispute = make_dispute(by=gm01)
    with pytest.raises(TransitionNotAllowed):
        services.dispute_acknowledge_referral(dispute=dispute, by=judicial)


def test_a_court_entrusted_case_reports_its_result_back_once(gm01, chair):
    dispute = make_dispute(by=gm01, source="court_entrustment",
                           sender_case_number="（2026）甘0823民初9号")
    with pytest.raises(TransitionNotAllowed):  # still open
        services.dispute_report_back(dispute=dispute, by=chair, note="调解成功")
    dispute = escalate_to(dispute, "chair")
    services.dispute_terminate(dispute=dispute, by=chair, reason="mediation_failed",
                               note="调解不成")
    dispute.refresh_from_db()
    services.dispute_report_back(dispute=dispute, by=chair, note="调解不成，函复法院。")
    dispute.refresh_from_db()
    assert dispute.reported_back_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.dispute_report_back(dispute=dispute, by=chair, note="再次反馈")


def test_a_case_found_by_screening_has_nothing_to_report_back(gm01, chair):
    dispute = escalate_to(make_dispute(by=gm01), "chair")
    services.dispute_terminate(dispute=dispute, by=chair, reason="mediation_failed", note="x")
    dispute.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        services.dispute_report_back(dispute=dispute, by=chair, note="反馈")


# --- Units --------------------------------------------------------------------------------------

def test_the_chair_hands_a_case_to_the_studio_whose_staff_then_see_and_resolve_it(gm01, chair,
                                                                               user_factory):
    elder = user_factory("studio")
    dispute = escalate_to(make_dispute(by=gm01), "mediator")
    assert not dispute_list_for_user(user=elder).filter(pk=dispute.pk).exists()
    services.dispute_assign_unit(dispute=dispute, by=chair, unit=studio(), note="五老调解")
    dispute.refresh_from_db()
    assert dispute.unit == studio()
    assert dispute_list_for_user(user=elder).filter(pk=dispute.pk).exists()
    assert dispute_queue_for_user(user=elder).filter(pk=dispute.pk).exists()
    services.dispute_resolve(dispute=dispute, by=elder, outcome="经“五老”调解达成口头协议。",
                             agreement={"kind": "oral", "terms": "赔偿200元",
                                        "signed_on": datetime.date.today()})
    dispute.refresh_from_db()
    assert dispute.state == "resolved"


def test_the_studios_staff_see_no_case_not_assigned_to_it(client_as, gm01):
    dispute = make_dispute(by=gm01)
    client = client_as("studio")
    assert client.get(reverse("disputes:detail", args=[dispute.pk])).status_code == 404


def test_a_grid_member_may_not_hand_a_case_to_a_unit(gm01):
    dispute = make_dispute(by=gm01)
    with pytest.raises(PermissionDenied):
        services.dispute_assign_unit(dispute=dispute, by=gm01, unit=studio())


# --- Priority service ---------------------------------------------------------------------------

def test_a_priority_party_puts_the_case_first_in_the_queue_and_marks_the_ledger(gm01, leader):
    plain = make_dispute(by=gm01)
    marked = make_dispute(by=gm01, parties=[party(priority_group="poor_household",
                                                  priority_reason="建档立卡贫困户"),
                                            respondent()])
    assert marked.priority and not plain.priority
    queue = list(dispute_queue_for_user(user=gm01).values_list("pk", flat=True))
    assert queue.index(marked.pk) < queue.index(plain.pk)
    rows = exports.ledger_rows(exports.lean(dispute_list_for_user(user=gm01).filter(
        pk__in=[marked.pk, plain.pk])))
    cells = {row["dispute"].pk: row["cells"][4] for row in rows}
    assert cells[marked.pk].startswith("【优先】") and "【优先】" not in cells[plain.pk]
    assert "建档立卡" not in cells[marked.pk]


def test_marking_and_unmarking_a_party_follows_to_the_case(gm01, judicial):
    dispute = make_dispute(by=gm01)
    applicant = dispute.parties.order_by("id").first()
    with pytest.raises(ValidationError):
        services.dispute_mark_priority(dispute=dispute, by=judicial, party=applicant,
                                       group="vulnerable", reason="")
    services.dispute_mark_priority(dispute=dispute, by=judicial, party=applicant,
                                   group="vulnerable", reason="残疾人")
    assert Dispute.objects.get(pk=dispute.pk).priority
    services.dispute_mark_priority(dispute=Dispute.objects.get(pk=dispute.pk), by=judicial,
                                   party=applicant, group="", reason="")
    assert not Dispute.objects.get(pk=dispute.pk).priority


def test_the_priority_reason_is_shown_only_to_those_who_handle_the_case(gm01, client_as):
    dispute = make_dispute(by=gm01, parties=[party(priority_group="vulnerable",
                                                   priority_reason="留守老人独居"),
                                             respondent()])
    url = reverse("disputes:detail", args=[dispute.pk])
    handler_page = client_as("judicial").get(url).content.decode()
    assert "留守老人独居" in handler_page
    # The grid leader sees the case and its mark, not the reason.
    leader_page = client_as("gl01").get(url).content.decode()
    assert 'data-testid="priority"' in leader_page and "留守老人独居" not in leader_page


def test_a_grid_member_outside_the_case_may_not_mark_a_party(gm01, gm02):
    dispute = make_dispute(by=gm01)
    with pytest.raises(PermissionDenied):
        services.dispute_mark_priority(dispute=dispute, by=gm02,
                                       party=dispute.parties.first(), group="vulnerable",
                                       reason="x")

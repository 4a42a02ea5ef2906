"""Mediation as the law requires: termination, the respondent's consent, reports to the
police, the whole-case clock, valid agreements, judicial confirmation, the parties' rights
notice, reassignment, the prints and the case file. Each new action: its allowed path and
every refusal (403 / 409 / 400), through the services and the API."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disputes import deadlines, selectors, services
from disputes.models import (
    Dispute,
    DisputeEvent,
    JudicialConfirmation,
    MediationAgreement,
    PoliceReport,
)
from grid.models import MediationCommittee
from inbox.models import Notification

from .factories import (
    demo_small_grid,
    escalate_to,
    make_dispute,
    notify_rights,
    oral_agreement,
    party,
    resolve,
    respondent,
    staff_of,
    written_agreement,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def url(dispute, action):
    return f"/api/v1/disputes/{dispute.pk}/{action}/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def last_event(dispute) -> DisputeEvent:
    return dispute.events.order_by("-id").first()


# --- Deadlines ----------------------------------------------------------------------------------

def test_confirmation_window_ending_in_the_national_day_holiday_ends_on_the_next_working_day():
    # 2026-09-05 + 30 days = 2026-10-05, in the holiday: 民事诉讼法 第八十五条 → 2026-10-08.
    assert deadlines.judicial_confirmation_until(D(2026, 9, 5)) == D(2026, 10, 8)


def test_confirmation_window_ending_on_a_working_day_stays_and_a_weekend_moves_to_monday():
    assert deadlines.judicial_confirmation_until(D(2026, 3, 2)) == D(2026, 4, 1)  # Wednesday
    assert deadlines.judicial_confirmation_until(D(2026, 2, 28)) == D(2026, 3, 30)  # Sat → Mon


def test_mediation_due_is_one_month_after_acceptance_and_follows_the_town(gm01):
    assert deadlines.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    dispute = make_dispute(by=gm01)
    accepted = timezone.localtime(dispute.found_at).date()
    assert dispute.mediation_due == deadlines.add_months(accepted, 1)
    from disputes.models import TownDisputeSettings

    TownDisputeSettings.objects.update_or_create(town=dispute.town,
                                                 defaults={"mediation_months": 2})
    assert deadlines.mediation_due(town_id=dispute.town_id, accepted_on=D(2026, 3, 15)) == D(
        2026, 5, 15)


# --- Termination ----------------------------------------------------------------------------------

def test_terminate_from_a_tier_records_the_reason_and_tells_the_parties_their_routes(gm01):
    dispute = make_dispute(by=gm01)
    services.dispute_terminate(dispute=dispute, by=gm01, reason="mediation_failed",
                               note="双方分歧过大。")
    dispute.refresh_from_db()
    assert dispute.state == "terminated"
    assert (dispute.termination_reason, dispute.terminated_from_tier) == (
        "mediation_failed", "grid_member")
    assert dispute.terminated_at is not None and dispute.tier_due_at is None
    event = last_event(dispute)
    assert (event.action, event.from_state, event.to_state) == (
        "terminate", "grid_member", "terminated")
    assert "调解不成" in event.note and "仲裁、行政、诉讼" in event.note


def test_terminate_over_the_api_answers_200_and_refusals_answer_400_403_409(api_as, gm01):
    dispute = escalate_to(make_dispute(by=gm01), "mediator")
    body = {"reason": "party_requested_end", "note": "申请人要求终止。"}
    # gm01 is below the current tier: not allowed.
    assert api_as("gm01").post(url(dispute, "terminate"), body, format="json").status_code == 403
    assert api_as("med01").post(url(dispute, "terminate"), {"reason": "bogus", "note": "x"},
                                format="json").status_code == 400
    assert api_as("med01").post(url(dispute, "terminate"), {"reason": "party_refused"},
                                format="json").status_code == 400
    response = api_as("med01").post(url(dispute, "terminate"), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "terminated"
    assert response.json()["termination_reason"] == "party_requested_end"
    again = api_as("med01").post(url(dispute, "terminate"), body, format="json")
    assert again.status_code == 409


def test_terminated_cases_count_apart_from_referrals_in_the_headline(gm01, leader):
    before = selectors.fengqiao_headline(user=leader)
    services.dispute_terminate(dispute=make_dispute(by=gm01), by=gm01,
                               reason="mediation_failed", note="调解不成。")
    after = selectors.fengqiao_headline(user=leader)
    assert after["terminated"] == before["terminated"] + 1
    assert after["referred"] == before["referred"]
    assert Dispute.objects.terminated().count() == after["terminated"]


def test_the_termination_notice_prints_the_reason_and_the_routes(client_as, gm01):
    dispute = make_dispute(by=gm01)
    assert client_as("gm01").get(
        reverse("disputes:termination_print", args=[dispute.pk])).status_code == 404
    services.dispute_terminate(dispute=dispute, by=gm01, reason="party_refused",
                               note="被申请人不同意调解。")
    response = client_as("gm01").get(reverse("disputes:termination_print", args=[dispute.pk]))
    assert response.status_code == 200
    page = text(response)
    assert "终止调解告知书" in page and dispute.number in page
    assert "当事人拒绝调解" in page and "被申请人不同意调解" in page
    assert "第二十六条" in page and "申请仲裁" in page and "人民法院提起诉讼" in page
    assert "张三丰" in page and "李四" in page
    assert client_as("gm02").get(
        reverse("disputes:termination_print", args=[dispute.pk])).status_code == 404


# --- Consent --------------------------------------------------------------------------------------

def test_a_refused_case_cannot_be_escalated_and_offers_termination_or_referral(
        api_as, client_as, gm01):
    dispute = make_dispute(by=gm01, respondent_consent="refused")
    assert dispute.respondent_consent == "refused"
    response = api_as("gm01").post(url(dispute, "escalate"), {"note": "上交"}, format="json")
    assert response.status_code == 409
    assert "拒绝调解" in response.json()["detail"]
    actions = api_as("gm01").get(f"/api/v1/disputes/{dispute.pk}/").json()["available_actions"]
    assert "escalate" not in actions and "escalate_urgent" not in actions
    assert {"terminate", "refer"} <= set(actions)
    page = text(client_as("gm01").get(dispute.get_absolute_url()))
    assert 'data-testid="consent-refused"' in page
    # The grid member refers it to the court: no mediation is possible.
    response = api_as("gm01").post(url(dispute, "refer"), {"target": "court", "note": "拒绝调解"},
                                   format="json")
    assert response.status_code == 200 and response.json()["state"] == "referred"


def test_consent_recorded_later_goes_into_the_history_and_a_bad_value_is_400(api_as, gm01):
    dispute = make_dispute(by=gm01)
    assert dispute.respondent_consent == "not_asked"
    assert api_as("gm01").post(url(dispute, "record_consent"), {"consent": "maybe"},
                               format="json").status_code == 400
    assert api_as("gm02").post(url(dispute, "record_consent"), {"consent": "agreed"},
                               format="json").status_code == 404
    response = api_as("gm01").post(url(dispute, "record_consent"),
                                   {"consent": "refused", "note": "电话征询"}, format="json")
    assert response.status_code == 200
    assert response.json()["respondent_consent"] == "refused"
    assert last_event(dispute).action == "record_consent"


# --- Reports to the police ------------------------------------------------------------------------

def test_report_police_keeps_the_tier_notifies_the_liaison_who_acknowledges(api_as, gm01,
                                                                            police):
    dispute = make_dispute(by=gm01, risk_civil_to_criminal=True)
    response = api_as("gm01").post(url(dispute, "report_police"),
                                   {"note": "扬言报复，已安排稳控。"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "grid_member", "mediation goes on at its tier"
    assert body["police_reports"][0]["acknowledged_at"] is None
    assert Notification.objects.filter(recipient=police, url=dispute.get_absolute_url(),
                                       title__contains="民转刑").exists()
    assert "acknowledge_police" in api_as("police").get(
        f"/api/v1/disputes/{dispute.pk}/").json()["available_actions"]
    # Only the liaison acknowledges.
    assert api_as("gm01").post(url(dispute, "acknowledge_police"), {"note": "收到"},
                               format="json").status_code == 403
    response = api_as("police").post(url(dispute, "acknowledge_police"), {"note": "已出警劝导"},
                                     format="json")
    assert response.status_code == 200, response.json()
    report = response.json()["police_reports"][0]
    assert report["acknowledged_at"] and report["acknowledgement"] == "已出警劝导"
    assert api_as("police").post(url(dispute, "acknowledge_police"), {},
                                 format="json").status_code == 409
    actions = [e.action for e in dispute.events.all()]
    assert "report_police" in actions and "acknowledge_police" in actions


def test_report_police_needs_the_civil_to_criminal_flag_and_a_note(api_as, gm01):
    dispute = make_dispute(by=gm01)
    assert api_as("gm01").post(url(dispute, "report_police"), {"note": "x"},
                               format="json").status_code == 409
    flagged = make_dispute(by=gm01, risk_civil_to_criminal=True)
    assert api_as("gm01").post(url(flagged, "report_police"), {"note": " "},
                               format="json").status_code == 400


# --- The whole-case clock -------------------------------------------------------------------------

def test_extend_mediation_moves_the_due_date_with_the_parties_agreement(api_as, gm01):
    dispute = make_dispute(by=gm01)
    new = (dispute.mediation_due + datetime.timedelta(days=15)).isoformat()
    assert api_as("gm01").post(url(dispute, "extend_mediation"),
                               {"until": dispute.mediation_due.isoformat(), "note": "同意"},
                               format="json").status_code == 400
    assert api_as("gm01").post(url(dispute, "extend_mediation"), {"until": new},
                               format="json").status_code == 400
    assert api_as("gm02").post(url(dispute, "extend_mediation"),
                               {"until": new, "note": "同意"}, format="json").status_code == 404
    mediator_tier = escalate_to(make_dispute(by=gm01), "mediator")
    assert api_as("gm01").post(url(mediator_tier, "extend_mediation"),
                               {"until": new, "note": "同意"}, format="json").status_code == 403
    response = api_as("gm01").post(url(dispute, "extend_mediation"),
                                   {"until": new, "note": "双方同意继续调解"}, format="json")
    assert response.status_code == 200
    assert response.json()["mediation_due"] == new
    assert "双方同意继续调解" in last_event(dispute).note


def test_overdue_on_the_whole_case_clock_is_a_queryset_predicate(gm01):
    dispute = make_dispute(by=gm01)
    Dispute.objects.filter(pk=dispute.pk).update(
        mediation_due=timezone.localdate() - datetime.timedelta(days=1))
    assert Dispute.objects.mediation_overdue().filter(pk=dispute.pk).exists()
    services.dispute_terminate(dispute=dispute, by=gm01, reason="mediation_failed", note="x")
    assert not Dispute.objects.mediation_overdue().filter(pk=dispute.pk).exists()


# --- Valid agreements -----------------------------------------------------------------------------

def test_a_grid_member_cannot_sign_a_written_agreement(api_as, gm01):
    dispute = notify_rights(make_dispute(by=gm01), by=gm01)
    agreement = {**written_agreement(), "signed_on": timezone.localdate().isoformat(),
                 "performance_deadline": "2099-01-01"}
    response = api_as("gm01").post(url(dispute, "resolve"),
                                   {"note": "达成协议", "written_required": True,
                                    "agreement": agreement}, format="json")
    assert response.status_code == 400
    assert "人民调解员签名" in response.json()["errors"]["agreement.mediator"][0]
    dispute.refresh_from_db()
    assert dispute.state == "grid_member"


def test_a_village_mediator_signs_for_the_village_committee_and_the_print_says_so(
        client_as, gm01, med01):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    resolve(dispute, by=med01, agreement=written_agreement(), written_required=True)
    agreement = dispute.agreement
    village = MediationCommittee.objects.get(large_grid=dispute.small_grid.large_grid)
    assert (agreement.mediator, agreement.committee) == (staff_of(med01), village)
    page = text(client_as("med01").get(reverse("disputes:agreement_print", args=[dispute.pk])))
    assert f"{village.name}（盖章）" in page
    assert "本协议一式三份" in page
    assert "王某承担主要责任" in page and "各方当事人的责任" in page


def test_three_parties_make_four_copies_and_the_town_chair_seals_for_the_town(client_as, gm01,
                                                                           chair):
    dispute = make_dispute(by=gm01, parties=[party(), respondent(),
                                             respondent(name="王五", phone="13900002222")])
    escalate_to(dispute, "chair")
    resolve(dispute, by=chair, agreement=written_agreement(), written_required=True)
    town_committee = MediationCommittee.objects.get(town=dispute.town, level="town")
    assert dispute.agreement.committee == town_committee
    page = text(client_as("chair").get(reverse("disputes:agreement_print", args=[dispute.pk])))
    assert "本协议一式四份" in page and f"{town_committee.name}（盖章）" in page


def test_a_written_agreement_needs_the_responsibilities_and_the_rights_notice_first(gm01,
                                                                                   med01):
    from django.core.exceptions import ValidationError

    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    with pytest.raises(ValidationError) as no_notice:
        services.dispute_resolve(dispute=dispute, by=med01, outcome="达成协议",
                                 agreement=written_agreement(), written_required=True)
    assert "权利义务" in str(no_notice.value)
    notify_rights(dispute, by=med01)
    with pytest.raises(ValidationError) as no_duties:
        services.dispute_resolve(dispute=dispute, by=med01, outcome="达成协议",
                                 agreement=written_agreement(responsibilities=""),
                                 written_required=True)
    assert "agreement.responsibilities" in no_duties.value.message_dict


# --- Judicial confirmation ------------------------------------------------------------------------

def resolved_written(gm01, med01, **agreement):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    return resolve(dispute, by=med01, agreement=written_agreement(**agreement),
                   written_required=True)


def test_judicial_confirmation_is_recorded_with_its_ruling(api_as, gm01, med01):
    dispute = resolved_written(gm01, med01, confirmation_requested=True)
    today = timezone.localdate().isoformat()
    assert api_as("med01").post(url(dispute, "record_confirmation"),
                                {"applied_on": today, "court": "崇信县人民法院",
                                 "result": "confirmed"}, format="json").status_code == 400
    response = api_as("med01").post(url(dispute, "record_confirmation"), {
        "applied_on": today, "court": "崇信县人民法院", "case_number": "（2026）甘0823民特1号",
        "result": "confirmed", "decided_on": today}, format="json")
    assert response.status_code == 200, response.json()
    confirmation = response.json()["agreement"]["confirmation"]
    assert (confirmation["result"], confirmation["case_number"]) == (
        "confirmed", "（2026）甘0823民特1号")
    assert JudicialConfirmation.objects.get(agreement__dispute=dispute).decided_on.isoformat() \
        == today
    assert last_event(dispute).action == "judicial_confirmation"


def test_no_confirmation_for_oral_or_personal_status_agreements(api_as, gm01, med01):
    oral = resolve(make_dispute(by=gm01), by=gm01, agreement=oral_agreement())
    body = {"applied_on": timezone.localdate().isoformat(), "court": "崇信县人民法院"}
    assert "record_confirmation" not in api_as("gm01").get(
        f"/api/v1/disputes/{oral.pk}/").json()["available_actions"]
    assert api_as("gm01").post(url(oral, "record_confirmation"), body,
                               format="json").status_code == 409
    status = resolved_written(gm01, med01, concerns_personal_status=True)
    assert not status.agreement.confirmable
    assert api_as("med01").get(f"/api/v1/disputes/{status.pk}/").json()["agreement"][
        "judicial_confirmation_until"] is None
    assert api_as("med01").post(url(status, "record_confirmation"), body,
                                format="json").status_code == 409


def test_asking_confirmation_of_a_personal_status_agreement_is_400(gm01, med01):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        resolved_written(gm01, med01, concerns_personal_status=True, confirmation_requested=True)
    assert "agreement.confirmation_requested" in refused.value.message_dict


def test_an_application_after_the_window_is_400(gm01, med01):
    from django.core.exceptions import ValidationError

    signed = D(2026, 9, 5)
    dispute = resolved_written(gm01, med01, signed_on=signed,
                               performance_deadline=D(2026, 9, 20))
    with pytest.raises(ValidationError) as late:
        services.dispute_record_confirmation(dispute=dispute, by=med01,
                                             applied_on=D(2026, 10, 9), court="崇信县人民法院")
    assert "2026-10-08" in str(late.value)
    services.dispute_record_confirmation(dispute=dispute, by=med01, applied_on=D(2026, 10, 8),
                                         court="崇信县人民法院")
    assert dispute.agreement.confirmation.result == "pending"


# --- Rights notice, reassignment, sessions --------------------------------------------------------

def test_the_rights_notice_prints_and_its_record_goes_into_the_history(api_as, client_as,
                                                                       gm01):
    dispute = make_dispute(by=gm01)
    page = text(client_as("gm01").get(reverse("disputes:rights_print", args=[dispute.pk])))
    assert "人民调解当事人权利义务告知书" in page
    assert "接受调解、拒绝调解或者要求终止调解" in page and "如实陈述纠纷事实" in page
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert api_as("gm01").post(url(dispute, "notify_rights"),
                               {"notified_on": tomorrow, "method": "written"},
                               format="json").status_code == 400
    response = api_as("gm01").post(url(dispute, "notify_rights"), {
        "notified_on": timezone.localdate().isoformat(), "method": "oral"}, format="json")
    assert response.status_code == 200
    assert response.json()["rights_notice_method"] == "oral"
    assert last_event(dispute).action == "notify_rights"


def test_the_chair_reassigns_at_a_partys_request_and_no_one_else_may(api_as, gm01, med01,
                                                                    med02, chair):
    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff_of(med01))
    from disputes.services import eligible_mediators

    other = eligible_mediators(dispute=dispute).exclude(pk=staff_of(med01).pk).first()
    body = {"mediator": other.pk, "note": "申请人申请调解员回避"}
    assert api_as("med01").post(url(dispute, "reassign"), body, format="json").status_code == 403
    assert api_as("chair").post(url(dispute, "reassign"),
                                {"mediator": staff_of(med02).pk, "note": "x"},
                                format="json").status_code == 400
    response = api_as("chair").post(url(dispute, "reassign"), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["handler"]["id"] == other.pk
    event = last_event(dispute)
    assert event.action == "reassign" and "回避" in event.note
    # Only at the mediator tier.
    services.dispute_escalate(dispute=dispute, by=chair, note="上交网格长")
    assert api_as("chair").post(url(dispute, "reassign"), body, format="json").status_code == 409


def test_a_session_lists_invited_participants_beside_the_mediators(gm01):
    dispute = make_dispute(by=gm01)
    session = services.dispute_session_add(
        dispute=dispute, by=gm01, held_at=timezone.now(), record="听取双方陈述。",
        mediators=[staff_of(gm01)], place="村委会", invited="李某之兄（亲属）\n村医王某（专业人员）")
    assert "村医王某" in session.invited


# --- The case file --------------------------------------------------------------------------------

def test_the_case_file_holds_the_whole_case_in_filing_order(client_as, gm01, med01,
                                                          django_assert_max_num_queries):
    dispute = resolved_written(gm01, med01)
    services.dispute_record_confirmation(
        dispute=dispute, by=med01, applied_on=timezone.localdate(), court="崇信县人民法院",
        case_number="（2026）甘0823民特2号", result="confirmed", decided_on=timezone.localdate())
    client = client_as("med01")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("disputes:file_print", args=[dispute.pk]))
    assert response.status_code == 200
    page = text(response)
    order = ["人民调解卷宗", "一、纠纷受理登记", "二、权利义务告知", "三、调解记录",
             "四、调解协议或终止调解告知", "五、回访记录", "六、司法确认", "七、附件目录"]
    positions = [page.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert dispute.number in page and "张三丰" in page
    assert "共同出资改建排水沟" in page and "（2026）甘0823民特2号" in page and "确认有效" in page


def test_a_follow_up_finding_the_agreement_broken_tells_of_the_court_route(gm01):
    from .factories import follow_up

    dispute = follow_up(resolve(make_dispute(by=gm01), by=gm01), by=gm01, kept=False)
    note = dispute.events.filter(action="followup").last().note
    assert "向人民法院提起诉讼" in note
    from disputes.permissions import available_actions

    assert "reopen" in available_actions(dispute, gm01), "reopening is still offered"


# --- The demo -------------------------------------------------------------------------------------

def test_the_demo_has_terminations_a_pending_police_report_and_a_confirmed_agreement():
    town_cases = Dispute.objects.filter(small_grid__large_grid__town__code="620823103")
    assert set(town_cases.terminated().values_list("termination_reason", flat=True)) == {
        "party_refused", "party_requested_end", "mediation_failed"}
    pending = PoliceReport.objects.filter(dispute__in=town_cases.open(),
                                          acknowledged_at__isnull=True)
    assert pending.count() == 1
    assert JudicialConfirmation.objects.filter(
        result="confirmed", agreement__dispute__in=town_cases).exists()
    written = MediationAgreement.objects.filter(dispute__in=town_cases, kind="written")
    assert written.exists() and not written.filter(committee__isnull=True).exists()
    assert not written.filter(responsibilities="").exists()


def test_demo_cases_of_the_year_are_not_in_the_future():
    town_cases = Dispute.objects.filter(small_grid__large_grid__town__code="620823103")
    assert not town_cases.filter(found_at__gt=timezone.now()).exists()
    assert demo_small_grid() is not None


@pytest.mark.parametrize("today", [D(2027, 1, 1), D(2027, 1, 20), D(2027, 2, 14), D(2027, 3, 20),
                                   D(2026, 12, 31)])
def test_the_demo_year_is_a_long_span_in_the_past_whatever_the_day(today):
    from disputes.demo import _Demo

    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    start, span = _Demo.demo_year(None, now)
    assert span >= 60
    assert start + datetime.timedelta(days=span) <= now - datetime.timedelta(days=40)
    assert start.year in (today.year, today.year - 1)


def test_queue_and_ledger_show_the_whole_case_due_date(client_as, gm01):
    dispute = make_dispute(by=gm01)
    due = f"{dispute.mediation_due:%Y-%m-%d}"
    queue = text(client_as("gm01").get(reverse("disputes:queue")))
    assert 'data-testid="queue-mediation-due"' in queue and due in queue
    ledger = client_as("gm01").get(reverse("disputes:ledger"))
    headers = [str(h) for h in ledger.context["headers"]]
    column = headers.index("调解期限")
    row = next(r for r in ledger.context["rows"] if r["dispute"].pk == dispute.pk)
    assert row["cells"][column] == due
    page = text(client_as("gm01").get(dispute.get_absolute_url()))
    assert 'data-testid="mediation-due"' in page and due in page


def test_the_admins_resolve_form_takes_the_agreement_and_lets_the_handler_sign():
    from disputes.actions import ACTIONS

    action = ACTIONS.get("resolve")
    form = action.admin_form()
    assert {"responsibilities", "concerns_personal_status", "terms"} <= set(form.fields)
    assert "mediator" not in form.fields and "seen_state" not in form.fields
    inputs = action.admin_inputs({"outcome": "化解", "written_required": False,
                                  "agreement_kind": "", "facts": "", "points_in_dispute": "",
                                  "terms": "", "responsibilities": "", "performance_method": "",
                                  "performance_place": "", "performance_deadline": None,
                                  "signed_on": None, "concerns_personal_status": False,
                                  "confirmation_requested": False})
    # No risk averted given: an empty mapping (the statistics report's prevention figures).
    assert inputs == {"outcome": "化解", "written_required": False, "agreement": None,
                      "averted": {}}


def test_the_api_detail_reads_the_police_reports_once(api_as, gm01, police):
    """The detail with two police reports, one signed: the reports are read once, the
    offered actions using the same list."""
    dispute = make_dispute(by=gm01, risk_civil_to_criminal=True)
    for note in ("扬言报复。", "再次扬言。"):
        assert api_as("gm01").post(url(dispute, "report_police"), {"note": note},
                                   format="json").status_code == 200
    assert api_as("police").post(url(dispute, "acknowledge_police"), {"note": "已出警"},
                                 format="json").status_code == 200
    client = api_as("police")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert len(body["police_reports"]) == 2
    assert "acknowledge_police" in body["available_actions"]
    assert _report_reads(ctx) == 1


def _report_reads(ctx) -> int:
    """Queries reading the police reports, leaving out the case's own row (whose EXISTS
    column tells whether there are any)."""
    return sum('FROM "disputes_policereport"' in q["sql"] and '"has_police_reports"'
               not in q["sql"] for q in ctx.captured_queries)


def test_the_api_detail_of_a_case_without_police_reports_reads_none(api_as, gm01):
    dispute = make_dispute(by=gm01)
    client = api_as("gm01")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(f"/api/v1/disputes/{dispute.pk}/").json()
    assert body["police_reports"] == [] and body["number"] == dispute.number
    assert _report_reads(ctx) == 0
    assert any('"has_police_reports"' in q["sql"] for q in ctx.captured_queries)

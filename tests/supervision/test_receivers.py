"""The signals supervision listens to carry what it needs, and its receivers hand that to a
service, which decides: an urgent escalation's justification becomes the assessment's reason;
a referral, a higher-level visit or a registration opens a trace only when its rule says so."""

import contextlib
import datetime

import pytest
from django.utils import timezone

from disputes import signals as dispute_signals
from disputes.models import Dispute
from disputes.services import dispute_escalate_urgent, dispute_refer
from petitions import signals as petition_signals
from petitions.services import petition_record_higher_visit
from supervision import receivers, services
from supervision.models import ResponsibilityTrace, RiskAssessment
from tests.disputes.factories import actor_at_tier, make_dispute

from .factories import group_of, make_petition, staff_of

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
Trigger = ResponsibilityTrace.Trigger


@contextlib.contextmanager
def listening(signal):
    """The keyword arguments of each ``send`` of ``signal`` while the block runs."""
    sent = []

    def listen(sender, **kwargs):
        sent.append(kwargs)

    signal.connect(listen, dispatch_uid="tests.listening")
    try:
        yield sent
    finally:
        signal.disconnect(dispatch_uid="tests.listening")


def late(dispute, days=5):
    """Put the case's history ``days`` back, past the grid member's 3 days."""
    for event in dispute.events.all():
        type(event).objects.filter(pk=event.pk).update(created_at=timezone.now() - days * DAY)
    return dispute


# --- An urgent escalation ----------------------------------------------------------------------

def test_the_urgent_escalation_sends_its_justification(gm01):
    dispute = make_dispute(by=gm01, risk_level="red")
    with listening(dispute_signals.dispute_escalated_urgent) as sent:
        dispute_escalate_urgent(dispute=dispute, by=gm01, justification="当事人扬言报复。")
    assert [(s["dispute"].pk, s["by"], s["justification"]) for s in sent] == [
        (dispute.pk, gm01, "当事人扬言报复。")]
    assert RiskAssessment.objects.get(dispute=dispute).requested_reason == "当事人扬言报复。"


def test_the_assessment_reason_is_the_signals_not_the_last_history_note(gm01):
    """Whatever was written to the case's history since, the request reads the payload."""
    dispute = make_dispute(by=gm01, risk_level="red")
    receivers.on_dispute_escalated_urgent(sender=Dispute, dispute=dispute, by=gm01,
                                          justification="红色风险，需立即介入。")
    assessment = RiskAssessment.objects.get(dispute=dispute)
    assert assessment.requested_reason == "红色风险，需立即介入。"
    assert dispute.events.order_by("-id").first().note != assessment.requested_reason


# --- A referral --------------------------------------------------------------------------------

def test_the_referral_sends_its_target_and_note(gm01):
    dispute = make_dispute(by=gm01, risk_civil_to_criminal=True)
    with listening(dispute_signals.dispute_referred) as sent:
        dispute_refer(dispute=dispute, by=gm01, target="police", note="存在民转刑风险。")
    assert [(s["target"], s["note"]) for s in sent] == [("police", "存在民转刑风险。")]


def test_only_a_late_referral_to_the_police_on_civil_to_criminal_risk_is_traced(gm01):
    risky = late(make_dispute(by=gm01, risk_civil_to_criminal=True))
    plain = late(make_dispute(by=gm01, title="另一件纠纷"))
    assert services.trace_dispute_referred(dispute=risky, target="court") is None
    assert services.trace_dispute_referred(dispute=plain, target="police") is None
    trace = services.trace_dispute_referred(dispute=risky, target="police")
    assert (trace.trigger, trace.dispute) == (Trigger.CIVIL_TO_CRIMINAL, risky)
    assert trace.responsible == staff_of(gm01)


def test_a_referral_within_the_deadlines_opens_no_trace(gm01):
    dispute = make_dispute(by=gm01, risk_civil_to_criminal=True)
    dispute_refer(dispute=dispute, by=actor_at_tier(dispute), target="police",
                  note="存在民转刑风险。")
    assert not ResponsibilityTrace.objects.filter(dispute=dispute).exists()


# --- Petitions ---------------------------------------------------------------------------------

def test_a_higher_level_visit_sends_the_visit_and_opens_a_skip_level_trace(
        gm01, django_capture_on_commit_callbacks):
    """Above the town's lawful next level (信访工作条例 第二十条): a visit to the county is a
    repeat to a higher level and sends nothing; one to the city is skip-level."""
    petition = make_petition(by=gm01)
    with listening(petition_signals.petition_went_above) as sent, \
            django_capture_on_commit_callbacks(execute=True):
        petition_record_higher_visit(petition=petition, by=gm01, level="county",
                                     visited_on=timezone.localdate())
        visit = petition_record_higher_visit(petition=petition, by=gm01, level="city",
                                             visited_on=timezone.localdate())
    assert [(s["petition"].pk, s["visit"]) for s in sent] == [(petition.pk, visit)]
    assert ResponsibilityTrace.objects.get(petition=petition).trigger == (
        Trigger.SKIP_LEVEL_PETITION)


def test_registration_traces_only_a_group_petition_on_a_matter_the_town_held(gm01):
    earlier = make_petition(by=gm01)
    single_repeat = make_petition(by=gm01)
    group_repeat = make_petition(by=gm01, people_count=6, petitioners=group_of(6))
    assert single_repeat.repeat_of == earlier and group_repeat.repeat_of == single_repeat
    assert services.trace_petition_registered(petition=earlier) is None
    assert services.trace_petition_registered(petition=single_repeat) is None
    trace = services.trace_petition_registered(petition=group_repeat)
    assert (trace.trigger, trace.petition) == (Trigger.GROUP_PETITION, group_repeat)
    assert services.trace_petition_registered(petition=group_repeat) is None, "traced once"

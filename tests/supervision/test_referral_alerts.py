"""A referral whose receiving unit sends no receipt or no result raises exactly one alert at
its deadline (the ``supervision_alert_once`` constraint), to its liaison, the referrer and
the governance office; a legal-aid matter's decision is alerted like a tier's deadline."""

import datetime

import pytest
from django.utils import timezone

from disputes import services as dispute_services
from disputes.models import DisputeReferral
from inbox.models import Notification
from legalaid import services as legalaid_services
from supervision import services
from supervision.models import DeadlineAlert
from tests.disputes.factories import demo_small_grid, escalate_to, make_dispute

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def referred(gm01, chair, target="judicial_office"):
    dispute = escalate_to(make_dispute(by=gm01), "chair")
    dispute_services.dispute_refer(dispute=dispute, by=chair, target=target, note="移交")
    return DisputeReferral.objects.get(dispute=dispute)


def kinds(referral):
    return sorted(DeadlineAlert.objects.filter(item_id=referral.pk, item_kind__in=[
        "referral_receipt", "referral_result"]).values_list("item_kind", "threshold"))


def test_a_referral_without_a_result_raises_one_alert_at_its_deadline(gm01, chair, judicial):
    referral = referred(gm01, chair)
    # Acknowledged in time: no receipt alert.
    dispute_services.dispute_acknowledge_referral(dispute=referral.dispute, by=judicial)
    services.deadline_alerts_sweep(now=referral.result_due - MINUTE)
    assert kinds(referral) == []
    services.deadline_alerts_sweep(now=referral.result_due + MINUTE)
    assert kinds(referral) == [("referral_result", "overdue")]
    services.deadline_alerts_sweep(now=referral.result_due + datetime.timedelta(days=2))
    assert kinds(referral) == [("referral_result", "overdue")]
    recipients = set(Notification.objects.filter(
        url=referral.dispute.get_absolute_url(), title__contains="移交未反馈办理结果")
        .values_list("recipient__username", flat=True))
    assert {"chair", "office"} <= recipients


def test_a_missing_receipt_is_alerted_once_and_a_result_ends_the_alerts(gm01, chair, police):
    referral = referred(gm01, chair, target="police")
    services.deadline_alerts_sweep(now=referral.receipt_due + MINUTE)
    services.deadline_alerts_sweep(now=referral.receipt_due + 2 * MINUTE)
    assert kinds(referral) == [("referral_receipt", "overdue")]
    assert Notification.objects.filter(recipient=police, title__contains="移交未签收").exists()
    referral.dispute.refresh_from_db()
    dispute_services.dispute_record_referral_result(dispute=referral.dispute, by=police,
                                                   result="已处理")
    services.deadline_alerts_sweep(now=referral.result_due + MINUTE)
    assert kinds(referral) == [("referral_receipt", "overdue")]


def test_a_legal_aid_decision_is_alerted_before_and_at_its_deadline(judicial):
    matter = legalaid_services.legal_aid_matter_create(
        by=judicial, small_grid=demo_small_grid(), name="王秀英", matter_kind="labour",
        matter="劳动报酬", applicant_group="assistance_recipient", priority_reason="低保")
    matter = legalaid_services.legal_aid_transfer(matter=matter, by=judicial)
    due = timezone.make_aware(datetime.datetime.combine(matter.decision_due,
                                                        datetime.time(23, 59, 59)))
    services.deadline_alerts_sweep(now=due - datetime.timedelta(hours=12))
    services.deadline_alerts_sweep(now=due + MINUTE)
    levels = sorted(DeadlineAlert.objects.filter(item_kind="legal_aid_decision",
                                                 item_id=matter.pk)
                    .values_list("threshold", flat=True))
    assert levels == ["overdue", "t-1"]
    assert Notification.objects.filter(recipient=judicial, url=matter.get_absolute_url()).exists()

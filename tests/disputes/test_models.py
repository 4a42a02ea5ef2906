"""The case predicates, each stated once on ``Dispute.objects``: open, overdue, resolved and
counted. The ledger, the queue, the alerts, the sweeps and the dashboard all read them."""

import datetime

import pytest

from cadence.selectors import dashboard
from disputes import services
from disputes.models import Dispute, DisputeQuerySet
from disputes.selectors import dispute_list_for_user

from .factories import make_dispute, resolve

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


def test_an_open_case_is_overdue_only_once_past_its_tier_deadline(gm01):
    dispute = make_dispute(by=gm01)
    due = dispute.tier_due_at
    assert not Dispute.objects.overdue(at=due).filter(pk=dispute.pk).exists()
    assert Dispute.objects.overdue(at=due + SECOND).filter(pk=dispute.pk).exists()
    resolve(dispute, by=gm01)
    assert not Dispute.objects.open().filter(pk=dispute.pk).exists()
    assert not Dispute.objects.overdue(at=due + SECOND).filter(pk=dispute.pk).exists()


def test_a_voided_case_counts_nowhere(gm01, leader):
    dispute = make_dispute(by=gm01)
    services.dispute_void(dispute=dispute, by=leader, reason="重复登记")
    assert not Dispute.objects.counted().filter(pk=dispute.pk).exists()
    assert Dispute.objects.filter(pk=dispute.pk).exists(), "never deleted"


def test_the_dashboard_and_the_ledger_agree_on_open_and_overdue_cases(leader):
    numbers = dashboard(user=leader)["numbers"]
    ledger = dispute_list_for_user(user=leader)
    overdue = {d.pk for d in ledger if d.overdue}
    assert overdue, "the demo town has cases past their tier's deadline"
    assert numbers["overdue"] == len(overdue)
    assert overdue == set(dispute_list_for_user(user=leader, filters={"overdue": True})
                          .values_list("pk", flat=True))
    assert numbers["open"] == ledger.filter(DisputeQuerySet.open_q()).count()

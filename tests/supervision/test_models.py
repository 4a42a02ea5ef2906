"""The notice predicates, each stated once on ``SupervisionNotice.objects``: open (not yet
verified) and overdue (past the deadline unverified), read by the ledger, the queue, the
alerts, the sweeps and the dashboard alike."""

import pytest
from django.utils import timezone

from cadence.selectors import dashboard
from supervision.models import SupervisionNotice
from supervision.selectors import notice_list_for_user

from .factories import DAY, acknowledged, demo_town, issue, reported, set_deadline, verified

pytestmark = pytest.mark.django_db


def test_a_notice_is_overdue_past_its_deadline_until_verified(leader, gl01):
    notice = issue(by=leader)
    assert SupervisionNotice.objects.open().filter(pk=notice.pk).exists()
    assert not SupervisionNotice.objects.overdue().filter(pk=notice.pk).exists()
    assert SupervisionNotice.objects.overdue(at=notice.deadline + DAY).filter(
        pk=notice.pk).exists()
    verified(reported(acknowledged(notice, by=gl01), by=gl01), by=leader)
    assert not SupervisionNotice.objects.open().filter(pk=notice.pk).exists()
    assert not SupervisionNotice.objects.overdue(at=notice.deadline + DAY).filter(
        pk=notice.pk).exists()


def test_the_ledger_flag_the_filter_and_the_dashboard_agree(leader):
    late = set_deadline(issue(by=leader), timezone.now() - DAY)
    ledger = notice_list_for_user(user=leader)
    flagged = {n.pk for n in ledger if n.overdue}
    assert late.pk in flagged
    assert flagged == set(notice_list_for_user(user=leader, filters={"overdue": True})
                          .values_list("pk", flat=True))
    assert flagged == set(SupervisionNotice.objects.filter(town=demo_town()).overdue()
                          .values_list("pk", flat=True))
    assert dashboard(user=leader)["numbers"]["notices_open"] == len(
        [n for n in ledger if n.state != "verified"])

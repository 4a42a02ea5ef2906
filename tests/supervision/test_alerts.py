"""Deadline alerts: the sweep alerts dispute tiers, petition accept / reply /
review dues and notices at T−3 days, T−1 day and overdue, to the right people, each alert
exactly once per item and threshold — when run again, when two threads run it at once on
PostgreSQL, and on a real Celery worker over Redis."""

import datetime
import os
import threading
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from grid.models import Role
from inbox.models import Notification
from petitions import services as petition_services
from supervision import services
from supervision.models import DeadlineAlert, ResponsibilityTrace
from supervision.services.alerts import end_of_day
from supervision.tasks import deadline_alerts_sweep as deadline_alerts_sweep_task
from tests.conftest import requires_postgres, requires_redis
from tests.disputes.factories import escalate_to, make_dispute
from tests.grid.factories import staff_with_role

from .factories import (
    DAY,
    acknowledged,
    in_charge_of_village,
    issue,
    large_grid,
    make_petition,
    replied_petition,
    reported,
    returned,
    set_deadline,
)

HOUR = datetime.timedelta(hours=1)
TITLES = {"t-3": "3天内到期", "t-1": "1天内到期", "overdue": "已超期"}


def alerts(kind, obj):
    return DeadlineAlert.objects.filter(item_kind=kind, item_id=obj.pk)


def thresholds(kind, obj) -> list[str]:
    return sorted(alerts(kind, obj).values_list("threshold", flat=True))


def alerted(level, obj, *, label=None) -> set[str]:
    """Usernames alerted at ``level`` about ``obj`` (a dispute, petition or notice)."""
    rows = Notification.objects.filter(url=obj.get_absolute_url(),
                                       title__startswith=f"{TITLES[level]}：")
    if label:
        rows = rows.filter(title__contains=label)
    return set(rows.values_list("recipient__username", flat=True))


@pytest.fixture
def section_leader(db):
    """A section-level leader (科级领导, 包村) of large grid 1 with a login: with the Party
    committee member ``leader`` (包片) the 三包 leaders of 黄寨村."""
    return staff_with_role(Role.SECTION_LEADER, large_grid(1), username="sl01")


def petition(*, by, **fields):
    return make_petition(by=by, **fields)


# --- Dispute tiers --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_dispute_tier_is_alerted_to_its_handler_before_the_deadline(gm01):
    dispute = make_dispute(by=gm01)
    due = dispute.tier_due_at
    services.deadline_alerts_sweep(now=due - 4 * DAY)
    assert thresholds("dispute_tier", dispute) == []
    services.deadline_alerts_sweep(now=due - 2 * DAY)
    assert thresholds("dispute_tier", dispute) == ["t-3"]
    assert alerted("t-3", dispute) == {"gm01"}
    services.deadline_alerts_sweep(now=due - 12 * HOUR)
    assert thresholds("dispute_tier", dispute) == ["t-1", "t-3"]
    assert alerted("t-1", dispute) == {"gm01"}


@pytest.mark.django_db
def test_an_overdue_dispute_tier_alerts_the_handler_the_next_tier_and_the_three_leaders(
        gm01, section_leader):
    dispute = escalate_to(make_dispute(by=gm01), "grid_leader")
    assert dispute.handler.user.username == "gl01"
    services.deadline_alerts_sweep(now=dispute.tier_due_at + HOUR)
    assert thresholds("dispute_tier", dispute) == ["overdue"]
    # gl01 holds it; the chair is the next tier; leader (包片) and sl01 (包村) are 三包.
    assert alerted("overdue", dispute) == {"gl01", "chair", "leader", "sl01"}
    assert alerts("dispute_tier", dispute).get().recipients == 4


@pytest.mark.django_db
def test_an_overdue_dispute_at_the_top_tier_alerts_town_leadership(gm01):
    dispute = escalate_to(make_dispute(by=gm01), "chair")
    services.deadline_alerts_sweep(now=dispute.tier_due_at + HOUR)
    # No tier above the chair: leadership, who is also 黄寨村's 包片 leader.
    assert alerted("overdue", dispute) == {"chair", "leader"}


@pytest.mark.django_db
def test_a_resolved_dispute_is_not_alerted(gm01):
    from tests.disputes.factories import resolve

    dispute = make_dispute(by=gm01)
    due = dispute.tier_due_at
    resolve(dispute, by=gm01)
    services.deadline_alerts_sweep(now=due + HOUR)
    assert thresholds("dispute_tier", dispute) == []


# --- Petition dues --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_accept_due_of_a_petition_is_alerted_then_escalated_when_missed(gm01, section_leader):
    p = petition(by=gm01)
    due = end_of_day(p.accept_due)
    services.deadline_alerts_sweep(now=due - 2 * DAY)
    assert thresholds("petition_accept", p) == ["t-3"]
    assert alerted("t-3", p) == {"gm01"}  # the proxy agent
    services.deadline_alerts_sweep(now=due + HOUR)
    assert thresholds("petition_accept", p) == ["overdue", "t-3"]
    # Overdue: also the petition office and 黄寨村's 三包 leaders.
    assert alerted("overdue", p) == {"gm01", "petition", "leader", "sl01"}


@pytest.mark.django_db
def test_the_accept_due_ends_at_midnight_in_shanghai(gm01):
    p = petition(by=gm01)
    due = end_of_day(p.accept_due)
    assert timezone.localtime(due).time() == datetime.time(23, 59, 59)
    assert timezone.localdate(due) == p.accept_due
    services.deadline_alerts_sweep(now=due)
    assert thresholds("petition_accept", p) == ["t-1"]


@pytest.mark.django_db
def test_the_reply_due_of_an_accepted_petition_is_alerted(gm01):
    p = petition(by=gm01)
    petition_services.petition_accept(petition=p, by=gm01)
    p.refresh_from_db()
    due = end_of_day(p.reply_due)
    services.deadline_alerts_sweep(now=due - 12 * HOUR)
    assert thresholds("petition_reply", p) == ["t-1"]
    assert thresholds("petition_accept", p) == []  # accepted in time: nothing about that
    assert alerted("t-1", p) == {"gm01"}


@pytest.mark.django_db
def test_the_answer_due_of_a_review_is_alerted_to_the_handler_and_the_petition_office(
        gm01, user_factory):
    p = replied_petition(by=gm01)
    review = petition_services.petition_review_request(
        petition=p, by=user_factory("petition"), requested_on=timezone.localdate(),
        reviewing_body="崇信县人民政府")
    due = end_of_day(review.due_on)
    services.deadline_alerts_sweep(now=due - 2 * DAY)
    assert thresholds("petition_review", review) == ["t-3"]
    assert alerted("t-3", p, label=review.get_kind_display()) == {"gm01", "petition"}
    services.deadline_alerts_sweep(now=due + HOUR)
    assert thresholds("petition_review", review) == ["overdue", "t-3"]


# --- Notices --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_notice_is_alerted_to_its_handler_then_when_overdue_to_the_issuer_and_leader(
        leader, gl01, chair):
    notice = issue(by=leader, leader_in_charge=in_charge_of_village(chair))
    due = notice.deadline
    services.deadline_alerts_sweep(now=due - 2 * DAY)
    assert alerted("t-3", notice) == {"gl01"}
    services.deadline_alerts_sweep(now=due + HOUR)
    # The responsible person, the issuer and the leader in charge (包抓领导).
    assert alerted("overdue", notice) == {"gl01", "leader", "chair"}


@pytest.mark.django_db
def test_a_reported_notice_near_its_deadline_is_alerted_to_the_issuer_who_must_verify(
        leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    services.deadline_alerts_sweep(now=notice.deadline - 12 * HOUR)
    assert alerted("t-1", notice) == {"leader"}


@pytest.mark.django_db
def test_a_verified_notice_is_not_alerted(leader, gl01):
    from .factories import verified

    notice = verified(reported(acknowledged(issue(by=leader), by=gl01), by=gl01), by=leader)
    services.deadline_alerts_sweep(now=notice.deadline + HOUR)
    assert thresholds("notice", notice) == []


@pytest.mark.django_db
def test_a_notice_returned_with_a_new_deadline_is_alerted_again_for_it(leader, gl01):
    notice = reported(acknowledged(issue(by=leader), by=gl01), by=gl01)
    first_due = notice.deadline
    services.deadline_alerts_sweep(now=first_due - 12 * HOUR)
    notice = returned(notice, by=leader, new_deadline=first_due + 10 * DAY)
    services.deadline_alerts_sweep(now=notice.deadline - 12 * HOUR)
    assert sorted(alerts("notice", notice).values_list("due_at", "threshold")) == [
        (first_due, "t-1"), (notice.deadline, "t-1")]


# --- Exactly once ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_second_run_sends_nothing_and_writes_no_notification(leader, gm01):
    dispute = make_dispute(by=gm01)
    notice = set_deadline(issue(by=leader), timezone.now() - HOUR)
    now = dispute.tier_due_at - 12 * HOUR
    assert services.deadline_alerts_sweep(now=now) >= 2
    counts = DeadlineAlert.objects.count(), Notification.objects.count()
    assert services.deadline_alerts_sweep(now=now) == 0
    assert services.deadline_alerts_sweep(now=now) == 0
    assert (DeadlineAlert.objects.count(), Notification.objects.count()) == counts
    assert thresholds("dispute_tier", dispute) == ["t-1"]
    assert thresholds("notice", notice) == ["overdue"]


@pytest.mark.django_db
def test_an_item_crossing_the_thresholds_is_alerted_once_at_each(leader, gl01):
    notice = issue(by=leader)
    due = notice.deadline
    for now in (due - 3 * DAY, due - 2 * DAY, due - DAY, due - HOUR, due, due + HOUR,
                due + DAY, due + 2 * DAY):
        for _run in range(2):
            services.deadline_alerts_sweep(now=now)
    assert thresholds("notice", notice) == ["overdue", "t-1", "t-3"]
    mine = Notification.objects.filter(recipient=gl01, url=notice.get_absolute_url(),
                                       title__contains=notice.number)
    # One on issue, then one per threshold.
    assert mine.count() == 4
    assert ResponsibilityTrace.objects.filter(notice=notice).count() == 1


@pytest.mark.django_db
def test_an_item_first_seen_overdue_gets_only_the_overdue_alert(leader):
    notice = set_deadline(issue(by=leader), timezone.now() - DAY)
    services.deadline_alerts_sweep(now=timezone.now())
    assert thresholds("notice", notice) == ["overdue"]


@pytest.mark.django_db
def test_alerts_are_also_sent_by_e_mail_to_those_with_an_address(
        leader, gl01, django_capture_on_commit_callbacks):
    from django.conf import settings

    type(gl01).objects.filter(pk=gl01.pk).update(email="gl01@example.cn")
    notice = set_deadline(issue(by=leader), timezone.now() - HOUR)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.deadline_alerts_sweep(now=timezone.now())
    to_gl01 = [m for m in mail.outbox if m.to == ["gl01@example.cn"]]
    assert len(to_gl01) == 1
    assert to_gl01[0].subject.startswith("已超期：") and notice.number in to_gl01[0].subject
    assert f"{settings.SITE_URL.rstrip('/')}{notice.get_absolute_url()}" in to_gl01[0].body
    assert all(m.to != [""] for m in mail.outbox)


def test_beat_runs_the_sweep_every_fifteen_minutes():
    from config.celery import app

    entry = app.conf.beat_schedule["supervision-deadline-alerts"]
    assert entry["task"] == deadline_alerts_sweep_task.name == "supervision.tasks.deadline_alerts_sweep"
    assert entry["schedule"].minute == {0, 15, 30, 45}
    assert entry["schedule"].hour == set(range(24))


@pytest.mark.django_db
def test_the_task_runs_the_sweep_and_is_idempotent(leader):
    notice = set_deadline(issue(by=leader), timezone.now() - HOUR)
    assert deadline_alerts_sweep_task.delay().get() >= 1
    assert deadline_alerts_sweep_task.delay().get() == 0
    assert thresholds("notice", notice) == ["overdue"]


# --- Concurrent runs ------------------------------------------------------------------------------

def _committed_items(leader, gm01):
    """A notice and a dispute whose deadlines fall at the same moment, committed."""
    notice = issue(by=leader)
    dispute = make_dispute(by=gm01)
    set_deadline(notice, dispute.tier_due_at)
    return notice, dispute


def _race(now, n_threads: int = 4) -> list[int]:
    """``n_threads`` sweeps started at the same instant; each returns how many it sent."""
    barrier = threading.Barrier(n_threads)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.deadline_alerts_sweep(now=now))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_create_each_alert_exactly_once(demo_committed, user_factory):
    leader, gm01 = user_factory("leader"), user_factory("gm01")
    notice, dispute = _committed_items(leader, gm01)
    due = notice.deadline
    for now in (due - 2 * DAY, due - 12 * HOUR, due + HOUR):
        before = DeadlineAlert.objects.count()
        sent = _race(now)
        assert sum(sent) == DeadlineAlert.objects.count() - before
        assert sum(sent) >= 2  # at least the notice and the dispute crossed a threshold
    assert thresholds("notice", notice) == ["overdue", "t-1", "t-3"]
    assert thresholds("dispute_tier", dispute) == ["overdue", "t-1", "t-3"]
    for level in TITLES:
        rows = Notification.objects.filter(url=notice.get_absolute_url(),
                                           title__startswith=f"{TITLES[level]}：")
        assert rows.count() == len(alerted(level, notice)), level  # nobody twice
    assert ResponsibilityTrace.objects.filter(notice=notice).count() == 1


# --- A real worker --------------------------------------------------------------------------------

@pytest.fixture
def celery_on_redis():
    """``config.celery.app`` on Redis, not eager, with a queue of its own (so that no other
    worker on the same Redis takes this test's tasks); settings restored afterwards. The same
    set-up as tests/grid/test_tasks.py."""
    from config.celery import app

    redis_url = os.environ["REDIS_URL"]
    keys = ["task_always_eager", "broker_url", "result_backend", "task_default_queue"]
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url,
                    task_default_queue=f"test-supervision-{uuid.uuid4().hex[:8]}")
    try:
        yield app
    finally:
        app.conf.update(saved)


def _worker(app, **options):
    from celery.contrib.testing.worker import start_worker

    return start_worker(app, perform_ping_check=False, queues=[app.conf.task_default_queue],
                        shutdown_timeout=30, **options)


@requires_redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_alerts_once_when_the_sweep_runs_twice_or_twice_at_once(
        demo_committed, user_factory, celery_on_redis, monkeypatch):
    """One test for both runs, so that the demo town is committed once."""
    # The alerts' delivery is not what this test is about: no delivery task is queued, so
    # none is still running on the worker (holding outbox rows) when the test's data is
    # flushed afterwards.
    monkeypatch.setattr("inbox.outbox.outbox_enqueue", lambda ids: None)
    leader, gm01 = user_factory("leader"), user_factory("gm01")
    notice = set_deadline(issue(by=leader), timezone.now() - HOUR)
    with _worker(celery_on_redis, pool="solo"):
        first = deadline_alerts_sweep_task.delay()
        first_sent = first.get(timeout=60)
        second = deadline_alerts_sweep_task.delay()
        second_sent = second.get(timeout=60)
    assert first.successful() and second.successful()
    assert first_sent >= 1 and second_sent == 0
    assert thresholds("notice", notice) == ["overdue"]
    assert alerted("overdue", notice) == {"gl01", "leader"}
    assert Notification.objects.filter(url=notice.get_absolute_url(),
                                       title__startswith="已超期：").count() == 2
    assert ResponsibilityTrace.objects.filter(notice=notice).count() == 1

    if connection.vendor != "postgresql":
        return  # two sweeps in two threads at once need row locks, not SQLite's table lock
    notice = set_deadline(issue(by=leader), timezone.now() - HOUR)
    dispute = make_dispute(by=gm01)
    with _worker(celery_on_redis, pool="threads", concurrency=2):
        results = [deadline_alerts_sweep_task.delay() for _ in range(2)]
        sent = [r.get(timeout=60) for r in results]
    assert sum(sent) >= 2
    assert thresholds("notice", notice) == ["overdue"]
    assert thresholds("dispute_tier", dispute) == ["t-3"]
    assert Notification.objects.filter(url=notice.get_absolute_url(),
                                       title__startswith="已超期：").count() == 2
    assert alerted("t-3", dispute) == {"gm01"}
    assert Notification.objects.filter(url=dispute.get_absolute_url(),
                                       title__startswith="3天内到期：").count() == 1


# --- The whole-case clock, judicial confirmation, follow-up after performance ----------------------

@pytest.mark.django_db
def test_the_whole_case_clock_alerts_like_a_tier_and_overdue_reaches_the_chair(gm01):
    dispute = make_dispute(by=gm01)
    due = end_of_day(dispute.mediation_due)
    services.deadline_alerts_sweep(now=due - 2 * DAY)
    assert "t-3" in thresholds("dispute_mediation", dispute)
    assert alerted("t-3", dispute, label="调解期限") == {"gm01"}
    services.deadline_alerts_sweep(now=due + HOUR)
    assert thresholds("dispute_mediation", dispute) == ["overdue", "t-3"]
    assert {"gm01", "chair", "leader"} <= alerted("overdue", dispute, label="调解期限")


def _written(gm01, med01, **agreement):
    from tests.disputes.factories import resolve, written_agreement
    from tests.disputes.factories import staff_of as staff

    dispute = escalate_to(make_dispute(by=gm01), "mediator", mediator=staff(med01))
    return resolve(dispute, by=med01, agreement=written_agreement(**agreement),
                   written_required=True)


@pytest.mark.django_db
def test_the_confirmation_window_alerts_the_mediator_three_days_and_one_day_before(gm01,
                                                                                 med01):
    from disputes.deadlines import judicial_confirmation_until

    dispute = _written(gm01, med01, confirmation_requested=True)
    agreement = dispute.agreement
    due = end_of_day(judicial_confirmation_until(agreement.signed_on))
    services.deadline_alerts_sweep(now=due - 2 * DAY)
    services.deadline_alerts_sweep(now=due - 12 * HOUR)
    services.deadline_alerts_sweep(now=due + HOUR)
    assert thresholds("dispute_confirmation", agreement) == ["t-1", "t-3"], "never overdue"
    assert "med01" in alerted("t-3", dispute, label="司法确认")


@pytest.mark.django_db
def test_no_confirmation_alert_when_not_asked_for_or_already_recorded(gm01, med01):
    from disputes.deadlines import judicial_confirmation_until
    from disputes.services import dispute_record_confirmation

    not_asked = _written(gm01, med01).agreement
    recorded = _written(gm01, med01, confirmation_requested=True)
    dispute_record_confirmation(dispute=recorded, by=med01, applied_on=timezone.localdate(),
                                court="崇信县人民法院")
    due = end_of_day(judicial_confirmation_until(timezone.localdate()))
    services.deadline_alerts_sweep(now=due - 2 * DAY)
    assert thresholds("dispute_confirmation", not_asked) == []
    assert thresholds("dispute_confirmation", recorded.agreement) == []


@pytest.mark.django_db
def test_a_passed_performance_date_without_a_follow_up_reminds_the_mediator(gm01, med01):
    dispute = _written(gm01, med01)
    agreement = dispute.agreement
    due = end_of_day(agreement.performance_deadline)
    services.deadline_alerts_sweep(now=due - 2 * DAY)
    assert thresholds("dispute_followup", agreement) == [], "only once the date has passed"
    services.deadline_alerts_sweep(now=due + HOUR)
    assert thresholds("dispute_followup", agreement) == ["overdue"]
    assert "med01" in alerted("overdue", dispute, label="回访")

"""The outbox: notifications written with the change that causes them, delivered once by the
worker with back-off, never waited for by a transition."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.urls import reverse

from inbox.models import Notification, OutboxMessage
from inbox.notifications import notify
from inbox.outbox import outbox_deliver, retry_delay
from inbox.tasks import outbox_sweep
from tests.conftest import requires_postgres, requires_redis
from tests.disputes.factories import make_dispute, staff_of
from tests.inbox import flaky_mail

pytestmark = pytest.mark.django_db


def _escalate(client, dispute, med01):
    return client.post(reverse("disputes:action", args=[dispute.pk, "escalate"]),
                       {"seen_state": "grid_member", "note": "劝解未果",
                        "mediator": staff_of(med01).pk})


def test_notify_writes_one_outbox_row_per_recipient_with_an_address(leader, med01):
    med01.email = ""
    med01.save()
    rows = notify(recipients=[leader, med01], title="t")
    assert len(rows) == 2
    outbox = OutboxMessage.objects.filter(notification__in=rows)
    assert [(m.channel, m.notification.recipient) for m in outbox] == [("email", leader)]


def test_a_rolled_back_change_leaves_neither_notification_nor_outbox_row(leader):
    before = (Notification.objects.count(), OutboxMessage.objects.count())
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[leader], title="t")
        raise RuntimeError
    assert (Notification.objects.count(), OutboxMessage.objects.count()) == before


def test_mail_server_failing_twice_then_succeeding_delivers_once(
        leader, settings, django_capture_on_commit_callbacks, monkeypatch):
    from config.celery import app

    # Eager tasks retry in-process only when their errors do not propagate.
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)
    settings.EMAIL_BACKEND = "tests.inbox.flaky_mail.FlakyBackend"
    flaky_mail.calls["n"] = 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(recipients=[leader], title="督办提醒")
    message = OutboxMessage.objects.get(notification=row)
    assert flaky_mail.calls["n"] == 3  # the task retried twice (eagerly, without its countdown)
    assert [m.subject for m in mail.outbox] == ["督办提醒"]
    assert message.delivered_at is not None
    assert message.attempts == 2 and "mail server away" in message.last_error
    # The sweep and a second delivery of the same ids send nothing more.
    outbox_sweep.delay()
    outbox_deliver(ids=[message.pk])
    assert len(mail.outbox) == 1


def test_a_failed_delivery_waits_its_back_off_before_the_sweep_tries_again(leader, settings):
    from django.utils import timezone

    settings.EMAIL_BACKEND = "tests.inbox.flaky_mail.FlakyBackend"
    flaky_mail.calls["n"] = 0
    mail.outbox.clear()
    (row,) = notify(recipients=[leader], title="t")  # no commit here: nothing was handed over
    message = OutboxMessage.objects.get(notification=row)
    assert outbox_deliver().failed == [message.pk]
    assert outbox_deliver().delivered == 0  # not due yet: the back-off of a minute
    later = timezone.now() + timezone.timedelta(seconds=retry_delay(1) + 1)
    assert outbox_deliver(at=later).failed == [message.pk]  # the second failure
    assert outbox_deliver(at=later + timezone.timedelta(minutes=3)).delivered == 1
    assert len(mail.outbox) == 1
    assert [retry_delay(n) for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_deliverer_is_skipped_not_sent_twice(demo_committed):
    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.get(username="leader")
    (row,) = notify(recipients=[leader], title="t")  # delivered at once by the eager task
    message = OutboxMessage.objects.get(notification=row)
    OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=None)
    mail.outbox.clear()
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            OutboxMessage.objects.select_for_update().get(pk=message.pk)
            locked.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait(10)
    try:
        assert outbox_deliver().delivered == 0
    finally:
        release.set()
        holder.join()
    assert outbox_deliver().delivered == 1
    assert len(mail.outbox) == 1


# --- The broker away, then a real worker -----------------------------------------------------

@pytest.fixture
def celery_app_conf():
    """``config.celery.app`` not eager, restored afterwards with fresh connection pools."""
    from config.celery import app

    keys = ["task_always_eager", "broker_url", "result_backend", "task_default_queue"]
    saved = {key: app.conf[key] for key in keys}

    def point(**conf):
        app.conf.update(task_always_eager=False, **conf)
        app._after_fork()  # drop the pools made for the previous broker

    try:
        yield app, point
    finally:
        app.conf.update(saved)
        app._after_fork()


@requires_redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_broker_down_the_transition_answers_at_once_and_the_worker_delivers_later(
        demo_committed, celery_app_conf, settings):
    from celery.contrib.testing.worker import start_worker
    from django.contrib.auth import get_user_model
    from django.test import Client

    app, point = celery_app_conf
    users = get_user_model().objects
    gm01, med01 = users.get(username="gm01"), users.get(username="med01")
    dispute = make_dispute(by=gm01)
    queue = f"test-outbox-{uuid.uuid4().hex[:8]}"
    point(broker_url="redis://127.0.0.1:1/0", result_backend=None, task_default_queue=queue)
    client = Client()
    client.force_login(gm01)
    mail.outbox.clear()

    started = time.monotonic()
    response = _escalate(client, dispute, med01)
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 1.0
    dispute.refresh_from_db()
    assert dispute.state == "mediator"
    waiting = OutboxMessage.objects.filter(notification__recipient=med01,
                                           delivered_at__isnull=True)
    # One row per channel that carries a hand-over: e-mail, and SMS (med01 has a mobile).
    assert sorted(waiting.values_list("channel", flat=True)) == ["email", "sms"]
    assert mail.outbox == []

    redis_url = os.environ["REDIS_URL"]
    point(broker_url=redis_url, result_backend=redis_url, task_default_queue=queue)
    with start_worker(app, perform_ping_check=False, pool="solo", queues=[queue],
                      shutdown_timeout=30):
        # Beat's sweep, twice (as if two ticks came close together): one e-mail.
        outbox_sweep.delay()
        outbox_sweep.delay()
        deadline = time.monotonic() + 30
        while waiting.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # let the second sweep finish too
    assert not waiting.exists()
    to_med01 = [m for m in mail.outbox if m.to == [med01.email]]
    assert len(to_med01) == 1
    connection.close()

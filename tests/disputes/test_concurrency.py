"""Two people acting on the same case at once: exactly one wins, the other gets a clear
conflict, and the history has one row. Needs PostgreSQL's row locks: each
thread has its own connection and transaction."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django_fsm import ConcurrentTransition
from rest_framework.test import APIClient

from disputes import services
from disputes.models import Dispute
from disputes.services import routing
from tests.conftest import requires_postgres

from .factories import make_dispute, user

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

# The winner holds the row lock this long inside its transaction, so that the other thread
# really waits on select_for_update rather than simply arriving later.
HOLD_SECONDS = 0.3


def race(*calls):
    """Run the callables in threads released together; each result is ("ok", value) or
    ("error", exception). Every thread closes its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object] | None] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
        assert not t.is_alive(), "a thread hung: a lock was never released"
    return results


@pytest.fixture
def slow_routing(monkeypatch):
    """The real routing, slowed down while the row is locked."""
    real = routing.handler_for

    def slow(**kwargs):
        time.sleep(HOLD_SECONDS)
        return real(**kwargs)

    monkeypatch.setattr("disputes.services.ladder.handler_for", slow)


# One test on purpose: every transactional test flushes the database and the next one loads
# the demo town again (many seconds on PostgreSQL); this one reuses the session's copy.
def test_simultaneous_writes_one_wins_the_other_gets_a_conflict(demo_committed, slow_routing):
    """Two escalations of one case at once, through the services and through the API: one
    wins, the other gets a conflict (409), and one history row is written. Two intakes at once
    get distinct, consecutive numbers."""
    gm01, leader = user("gm01"), user("leader")

    # --- The services: both copies loaded before either acts, as two open pages would. -----
    dispute = make_dispute(by=gm01)
    mine, theirs = Dispute.objects.get(pk=dispute.pk), Dispute.objects.get(pk=dispute.pk)
    started = time.monotonic()
    results = race(
        lambda: services.dispute_escalate(dispute=mine, by=gm01, note="网格员上交"),
        lambda: services.dispute_escalate(dispute=theirs, by=leader, note="镇领导上交"),
    )
    elapsed = time.monotonic() - started

    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    (error,) = [value for kind, value in results if kind == "error"]
    assert isinstance(error, ConcurrentTransition)
    assert isinstance(error, services.DisputeConflict)
    assert "刚被他人处理" in str(error)
    dispute.refresh_from_db()
    assert dispute.state == "mediator"
    assert dispute.events.filter(action="escalate").count() == 1
    assert elapsed >= HOLD_SECONDS

    # --- The API: both POSTs say they saw grid_member. ------------------------------------
    dispute = make_dispute(by=gm01)
    clients = []
    for u in (gm01, leader):
        client = APIClient()
        client.force_authenticate(user(u.username))
        clients.append(client)
    path = f"/api/v1/disputes/{dispute.pk}/escalate/"
    body = {"note": "上交", "expected_state": "grid_member"}
    results = race(*[lambda c=c: c.post(path, body, format="json") for c in clients])
    assert sorted(r.status_code for _, r in results) == [200, 409], [
        r.json() for _, r in results]
    assert dispute.events.filter(action="escalate").count() == 1
    # Later, a page still showing the old state is told so.
    stale = clients[0].post(path, body, format="json")
    assert stale.status_code == 409
    assert "调解员调解" in stale.json()["detail"]

    # --- Intake: the town's counter row is locked too. -------------------------------------
    results = race(lambda: make_dispute(by=gm01, title="甲"),
                   lambda: make_dispute(by=leader, title="乙"))
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    serials = sorted(d.serial for _, d in results)
    assert serials[1] == serials[0] + 1
    assert len({d.number for _, d in results}) == 2

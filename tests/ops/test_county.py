"""The generated county keeps the application's invariants, and the lists, the dashboard and
the deadline-alert sweep cost the same queries at 5,000 cases as at 5 (rows written
set-based by ``generate_county``; PostgreSQL only)."""

import pytest
from django.db import connection
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disputes import tallies
from disputes.models import Dispute, DisputeEvent, Party
from disputes.services.routing import handler_for, handlers_for_many
from disputes.states import OPEN_STATES, next_tier
from grid.models import SmallGrid, Town, TownSequence
from ops.county import generate_county
from supervision.models import DeadlineAlert
from supervision.services import deadline_alerts_sweep
from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db]


def test_the_generated_county_keeps_every_invariant():
    generate_county(towns=2, cases=3000, seed=3)
    assert Town.objects.count() == 2
    assert SmallGrid.objects.filter(large_grid__town__in=Town.objects.all()).count() == 120
    # Numbers: unique per town and year, the sequences advanced past them.
    assert not (Dispute.objects.values("town", "year", "serial").annotate(n=Count("id"))
                .filter(n__gt=1).exists())
    for seq in TownSequence.objects.filter(kind="dispute"):
        top = Dispute.objects.filter(town=seq.town, year=seq.year).aggregate(m=Max("serial"))
        assert seq.last == top["m"]
    # Open cases have a handler and a deadline; closed ones their stamps.
    assert not Dispute.objects.filter(state__in=OPEN_STATES, handler__isnull=True).exists()
    assert not Dispute.objects.filter(state__in=OPEN_STATES, tier_due_at__isnull=True).exists()
    assert not Dispute.objects.filter(state="closed", closed_at__isnull=True).exists()
    assert not Dispute.objects.filter(state="resolved", resolved_tier="").exists()
    assert not Dispute.objects.filter(state="referred", referred_to="").exists()
    # Every case has its parties and a history that ends in its state.
    assert not Dispute.objects.annotate(n=Count("parties")).filter(n=0).exists()
    assert Party.objects.count() >= 2 * 3000
    last = {}
    for d_id, to_state in (DisputeEvent.objects.order_by("dispute_id", "created_at", "id")
                           .values_list("dispute_id", "to_state")):
        last[d_id] = to_state
    assert all(last[d.pk] == d.state for d in Dispute.objects.only("id", "state"))
    assert tallies.differences() == []


def test_handlers_for_many_agrees_with_handler_for():
    generate_county(towns=1, cases=400, seed=4)
    cases = list(Dispute.objects.open().select_related("small_grid")[:200])
    many = handlers_for_many(disputes=cases, state_of=lambda d: next_tier(d.state))
    for d in cases:
        state = next_tier(d.state)
        if state:
            assert many[d.pk] == handler_for(dispute=d, state=state), d.state


def _queries(call):
    with CaptureQueriesContext(connection) as ctx:
        result = call()
    return len(ctx.captured_queries), result


def test_the_deadline_sweep_costs_the_same_queries_for_a_few_or_thousands_of_items():
    deadline_alerts_sweep()  # the demo's own items
    generate_county(towns=1, cases=300, seed=5)  # every kind of alert, a few of each
    few, sent_few = _queries(deadline_alerts_sweep)
    generate_county(towns=1, cases=5000, seed=6)
    many, sent_many = _queries(deadline_alerts_sweep)
    assert sent_many > 10 * sent_few > 0
    assert many == few < 30
    assert DeadlineAlert.objects.count() > sent_many
    assert _queries(deadline_alerts_sweep)[1] == 0  # a repeat run sends nothing


def test_ledgers_api_and_dashboard_are_flat_from_five_to_five_thousand_cases(client_as, api_as):
    def counts():
        client = client_as("leader")
        api = api_as("leader")
        paths = [reverse("disputes:ledger"), reverse("disputes:ledger") + "?page=last",
                 reverse("home"), reverse("disputes:ledger") + "?page=3"]
        out = [_queries(lambda p=p: client.get(p))[0] for p in paths]
        out.append(_queries(lambda: api.get("/api/v1/disputes/?page=last"))[0])
        return out

    generate_county(towns=1, cases=5, seed=7)
    few = counts()
    generate_county(towns=1, cases=5000, seed=8)
    assert counts() == few

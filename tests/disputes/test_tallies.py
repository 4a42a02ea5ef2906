"""The figures' summary rows agree with a full recount after every kind of write: intake,
each transition, a bulk update outside the services, a rolled-back change; and the headline
read from them equals the headline counted from the cases."""

import pytest
from django.db import transaction
from django.db.models import Count, Q

from disputes import selectors, tallies
from disputes.models import (
    TIERS,
    Dispute,
    DisputeMonthTally,
    DisputeQuerySet,
    DisputeState,
    DisputeTally,
)
from tests.disputes.factories import escalate_to, make_dispute

pytestmark = pytest.mark.django_db


def counted_headline(qs):
    figures = qs.aggregate(
        **{f"r_{t.value}": Count("id", filter=DisputeQuerySet.resolved_q()
                                 & Q(resolved_tier=t.value)) for t in TIERS},
        referred=Count("id", filter=Q(state=DisputeState.REFERRED)),
        open=Count("id", filter=DisputeQuerySet.open_q()),
        total=Count("id", filter=~Q(state=DisputeState.VOIDED)))
    return figures


def test_the_demo_tallies_agree_with_a_full_recount():
    assert Dispute.objects.exists()
    assert tallies.differences() == []
    assert DisputeTally.objects.exists() and DisputeMonthTally.objects.exists()


def test_tallies_follow_every_write_and_ignore_a_rollback(gm01, leader):
    dispute = make_dispute(by=gm01)
    assert tallies.differences() == []
    escalate_to(dispute, "chair")
    assert tallies.differences() == []
    Dispute.objects.filter(pk=dispute.pk).update(state=DisputeState.RESOLVED,
                                                 resolved_tier=DisputeState.CHAIR)
    assert tallies.differences() == []
    before = list(DisputeTally.objects.values_list("state", "n").order_by("id"))
    with pytest.raises(RuntimeError), transaction.atomic():
        Dispute.objects.update(state=DisputeState.VOIDED)
        raise RuntimeError
    assert list(DisputeTally.objects.values_list("state", "n").order_by("id")) == before
    Dispute.objects.filter(pk=dispute.pk).update(state=DisputeState.VOIDED)
    assert tallies.differences() == []


def test_the_headline_from_the_tallies_equals_the_count_over_the_cases(client_as, leader):
    headline = selectors.fengqiao_headline(user=leader)
    figures = counted_headline(Dispute.objects.all())
    assert headline["total"] == figures["total"] > 0
    assert headline["open"] == figures["open"]
    assert headline["referred"] == figures["referred"]
    assert [t["resolved"] for t in headline["tiers"]] == [figures[f"r_{t.value}"] for t in TIERS]


def test_state_counts_over_towns_and_small_grids_count_each_case_once(gm01):
    make_dispute(by=gm01)
    town = Dispute.objects.values_list("town_id", flat=True).first()
    in_town = list(Dispute.objects.filter(town_id=town).values_list("small_grid_id", flat=True)
                   .distinct())
    some = in_town[:2]

    def counted(q):
        return {(r["state"], r["resolved_tier"]): r["n"] for r in Dispute.objects.filter(q)
                .values("state", "resolved_tier").annotate(n=Count("id")).order_by()}

    def kept(**where):
        return {k: n for k, n in tallies.state_counts(**where).items() if n}

    assert kept(town_ids=[town]) == counted(Q(town_id=town)) != {}
    assert kept(small_grid_ids=some) == counted(Q(small_grid_id__in=some)) != {}
    # A small grid inside a town given whole is not counted twice.
    assert kept(town_ids=[town], small_grid_ids=some) == counted(Q(town_id=town))
    assert kept(town_ids=[], small_grid_ids=[]) == {}
    assert kept() == counted(Q())


def test_open_cases_per_large_grid_and_states_per_town_equal_the_count_over_the_cases(gm01):
    escalate_to(make_dispute(by=gm01), "mediator")
    town_ids = list(Dispute.objects.values_list("town_id", flat=True).distinct())
    counted = dict(Dispute.objects.filter(DisputeQuerySet.open_q())
                   .values_list("small_grid__large_grid_id").annotate(n=Count("id")).order_by())
    # A summary row stays (at 0) when its last case moves on.
    kept = tallies.open_by_large_grid(town_ids=town_ids)
    assert {grid: n for grid, n in kept.items() if n} == counted != {}
    per_town = tallies.state_counts_by(town_ids=town_ids, by=("town_id",))
    assert {key: n for key, n in per_town.items() if n} == {(r["town_id"], r["state"], r["resolved_tier"]): r["n"] for r in
                        Dispute.objects.values("town_id", "state", "resolved_tier")
                        .annotate(n=Count("id")).order_by()}


def test_a_recount_repairs_tallies_that_drifted():
    DisputeTally.objects.update(n=0)
    DisputeMonthTally.objects.all().delete()
    assert tallies.differences()
    tallies.recount()
    assert tallies.differences() == []


def test_the_recount_command_checks_and_repairs():
    from django.core.management import CommandError, call_command

    call_command("recount_figures", "--check")
    DisputeTally.objects.update(n=99)
    with pytest.raises(CommandError):
        call_command("recount_figures", "--check")
    call_command("recount_figures")
    call_command("recount_figures", "--check")


def test_the_deadlines_tally_counts_open_cases_by_their_deadlines_month_in_shanghai(gm01):
    """A deadline at 00:30 on 1 November in Shanghai (16:30 UTC on 31 October) is November's;
    a case that leaves the open states leaves the tally."""
    import datetime

    from disputes.models import DisputeDueTally

    def kept(month):
        row = DisputeDueTally.objects.filter(small_grid=dispute.small_grid, measure="tier",
                                             month=month).first()
        return row.n if row else 0

    dispute = make_dispute(by=gm01)
    october, november = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    before = kept(october), kept(november)
    Dispute.objects.filter(pk=dispute.pk).update(
        tier_due_at=datetime.datetime(2026, 10, 31, 16, 30, tzinfo=datetime.UTC))
    assert (kept(october), kept(november)) == (before[0], before[1] + 1)
    assert tallies.differences() == []
    Dispute.objects.filter(pk=dispute.pk).update(state=DisputeState.TERMINATED,
                                                  termination_reason="mediation_failed")
    assert (kept(october), kept(november)) == before
    assert tallies.differences() == []


def test_the_dashboards_overdue_counts_equal_the_count_over_the_cases(gm01, leader):
    """Overdue since an earlier month (read from the deadlines' tally), since earlier this
    month (counted from the cases), not yet due, and closed: the dashboard's figures, its
    grid table's and a count over the cases agree."""
    import datetime

    from django.utils import timezone

    from cadence import figures
    from cadence.selectors import dashboard

    now, today = timezone.now(), timezone.localdate()
    month_start, _ = figures.day_range(figures.month_start(today))
    deadlines = [(now - datetime.timedelta(days=40), today - datetime.timedelta(days=40)),
                 (month_start, figures.month_start(today)),
                 (now + datetime.timedelta(hours=1), today),
                 (now + datetime.timedelta(days=40), today + datetime.timedelta(days=40))]
    made = [make_dispute(by=gm01) for _ in range(len(deadlines) + 1)]
    for case, (tier_due_at, mediation_due) in zip(made, deadlines, strict=False):
        Dispute.objects.filter(pk=case.pk).update(tier_due_at=tier_due_at,
                                                  mediation_due=mediation_due)
    Dispute.objects.filter(pk=made[-1].pk).update(
        state=DisputeState.TERMINATED, termination_reason="mediation_failed", tier_due_at=deadlines[0][0],
        mediation_due=deadlines[0][1])
    town_cases = Dispute.objects.filter(town_id=made[0].town_id)
    panel = dashboard(user=leader)
    overdue = town_cases.filter(DisputeQuerySet.overdue_q(now)).count()
    mediation_overdue = town_cases.filter(DisputeQuerySet.mediation_overdue_q(today)).count()
    assert panel["numbers"]["overdue"] == overdue > 0
    assert panel["numbers"]["mediation_overdue"] == mediation_overdue > 0
    assert sum(row["overdue"] for row in panel["grids"]) == overdue
    # Each village's row, summed from its small grids in the statement, as counted alone.
    assert {row["id"]: row["overdue"] for row in panel["grids"]} == {
        row["id"]: town_cases.filter(DisputeQuerySet.overdue_q(now),
                                     small_grid__large_grid_id=row["id"]).count()
        for row in panel["grids"]}
    start, end = figures.day_range(today)
    assert panel["numbers"]["new_today"] == town_cases.filter(
        DisputeQuerySet.counted_q(), found_at__gte=start, found_at__lt=end).count() > 0
    assert tallies.differences() == []

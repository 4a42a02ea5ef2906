"""Fixtures of the reporting tests: a town of their own with a judicial office, a clock, and
the hand-counted cases of November and the fourth quarter of 2026."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from disputes import services as dispute_services
from grid.models import Role
from tests.cadence.factories import at, climb, dispute, town_build, void
from tests.disputes.factories import written_agreement
from tests.grid.factories import staff_with_role

SINCE = datetime.date(2020, 1, 1)


@pytest.fixture
def clock(monkeypatch):
    """``clock(at)``: ``timezone.now()`` answers ``at`` from then on."""

    def go(when: datetime.datetime) -> datetime.datetime:
        monkeypatch.setattr("django.utils.timezone.now", lambda: when)
        return when

    return go


def town_with_office(name: str = "明月镇") -> SimpleNamespace:
    t = town_build(name=name)
    t.judicial = staff_with_role(Role.JUDICIAL_OFFICE, t.town, town=t.town, starts_on=SINCE)
    return t


@pytest.fixture
def mt(db):
    """明月镇: a town of the tests' own, with its judicial office."""
    return town_with_office()


def resolve(t, case, *, agreement=None, averted=None, by=None):
    dispute_services.dispute_resolve(dispute=case, by=by or t.leader, outcome="双方和解。",
                                     agreement=agreement, averted=averted)
    case.refresh_from_db()
    return case


def oral(when: datetime.date) -> dict:
    return {"kind": "oral", "terms": "口头约定赔偿。", "signed_on": when}


def terminate(t, case, reason):
    dispute_services.dispute_terminate(dispute=case, by=t.leader, reason=reason,
                                       note="调解不成。")
    case.refresh_from_db()
    return case


def hand_counted_cases(t, clock) -> dict:
    """The cases the figures are counted by hand from (see ``test_figures``):

    A neighbour, screening, found 11-03, resolved 11-10, oral agreement, ¥1,000, averted
      civil-to-criminal (3 people);
    B neighbour, application, found 11-05, resolved 11-20 by the chair, written agreement,
      ¥5,000, averted a group fight (12) and a suicide (1);
    C marriage, court, found 11-30 23:59:59, open;
    D marriage, police, found 10-31 23:59, resolved 11-01 00:00:30 without agreement, ¥700;
    E contract, petition docking, found 11-12, respondent refused, terminated 11-13;
    F damages, government, found 11-15, voided;
    G labour, walk-in, found 12-01 00:00, resolved 12-02, oral, ¥800, averted a group
      petition (20);
    H neighbour, grid report, found 09-30, mediation failed 10-08.
    """
    cases = {}
    clock(at(2026, 9, 30, 9))
    cases["H"] = dispute(t, found_at=at(2026, 9, 30, 9), source="grid_report",
                         party="何八")
    clock(at(2026, 10, 8, 10))
    terminate(t, cases["H"], "mediation_failed")
    clock(at(2026, 10, 31, 23, 59))
    cases["D"] = dispute(t, found_at=at(2026, 10, 31, 23, 59), category="marriage_family",
                         source="police_handover", amount_at_stake=Decimal("700"),
                         party="丁四")
    clock(at(2026, 11, 1, 0, 0, 30))
    resolve(t, cases["D"])
    clock(at(2026, 11, 3, 10))
    cases["A"] = dispute(t, found_at=at(2026, 11, 3, 10), amount_at_stake=Decimal("1000"),
                         party="甲一")
    clock(at(2026, 11, 5, 10))
    cases["B"] = dispute(t, found_at=at(2026, 11, 5, 10), source="application",
                         amount_at_stake=Decimal("5000"), party="乙二", grid=(1, 0))
    clock(at(2026, 11, 10, 15))
    resolve(t, cases["A"], agreement=oral(datetime.date(2026, 11, 10)),
            averted={"civil_to_criminal": 3})
    clock(at(2026, 11, 12, 9))
    cases["E"] = dispute(t, found_at=at(2026, 11, 12, 9), category="contract",
                         source="petition_docking", respondent_consent="refused",
                         party="戊五")
    clock(at(2026, 11, 13, 9))
    terminate(t, cases["E"], "party_refused")
    clock(at(2026, 11, 15, 9))
    cases["F"] = dispute(t, found_at=at(2026, 11, 15, 9), category="damages",
                         source="government_assigned", party="己六")
    void(t, cases["F"])
    clock(at(2026, 11, 20, 9))
    climb(t, cases["B"], "chair")
    dispute_services.dispute_notify_rights(dispute=cases["B"], by=t.leader,
                                           notified_on=datetime.date(2026, 11, 20),
                                           method="written")
    resolve(t, cases["B"], by=t.chair,
            agreement=written_agreement(signed_on=datetime.date(2026, 11, 20),
                                        performance_deadline=datetime.date(2026, 12, 5)),
            averted={"group_fight": 12, "suicide": 1})
    clock(at(2026, 11, 30, 23, 59, 59))
    cases["C"] = dispute(t, found_at=at(2026, 11, 30, 23, 59, 59),
                         category="marriage_family", source="court_entrustment", party="丙三")
    clock(at(2026, 12, 1, 0, 0))
    cases["G"] = dispute(t, found_at=at(2026, 12, 1, 0, 0), category="labour",
                         source="walk_in", amount_at_stake=Decimal("800"), party="庚七")
    clock(at(2026, 12, 2, 10))
    resolve(t, cases["G"], agreement=oral(datetime.date(2026, 12, 2)),
            averted={"group_petition": 20})
    clock(at(2027, 1, 5, 9))
    return cases

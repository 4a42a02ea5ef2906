"""The statistics report's figures against hand counts in a town of the tests' own, for
November 2026 and the fourth quarter: each column, the total row, the success rate, the
sources and the prevention figures; the period codes; and the queries, fixed whatever the
number of cases."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disputes.states import DisputeSource
from reporting.figures import COLUMNS, statistics_figures
from reporting.periods import parse_period
from reporting.states import REPORT_SOURCE_OF, ReportSource
from tests.cadence.factories import at, dispute

from .conftest import hand_counted_cases, oral, resolve

pytestmark = pytest.mark.django_db

D = datetime.date
ZERO_KEYS = [k for k, _l in COLUMNS if k != "success_rate"]


def by_category(figures):
    return {r["category"]: r for r in figures["rows"]}


def only(row, **expected):
    """Every column of ``row`` is 0 (the rate ``None``) but those given."""
    for key in ZERO_KEYS:
        assert row[key] == expected.get(key, 0), (row["category"], key, row[key])
    assert row["success_rate"] == expected.get("success_rate"), row["category"]


def test_period_codes_parse_to_their_days():
    month = parse_period("2026-11")
    assert (month.kind, month.start, month.end, month.code) == (
        "month", D(2026, 11, 1), D(2026, 12, 1), "2026-11")
    quarter = parse_period("2026-q4")
    assert (quarter.kind, quarter.start, quarter.end, quarter.code) == (
        "quarter", D(2026, 10, 1), D(2027, 1, 1), "2026-Q4")
    assert parse_period("2026-Q1").end == D(2026, 4, 1)
    year = parse_period(" 2026 ")
    assert (year.kind, year.start, year.end, year.last_day) == (
        "year", D(2026, 1, 1), D(2027, 1, 1), D(2026, 12, 31))
    assert parse_period("2026-12").end == D(2027, 1, 1)
    assert parse_period("2026-2").code == "2026-02"
    for bad in ("2026-13", "2026-Q5", "2026-00", "26-11", "", "2026/11", "2026-Q"):
        with pytest.raises(ValueError):
            parse_period(bad)
    assert parse_period("2026-11").is_closed(D(2026, 12, 1))
    assert not parse_period("2026-11").is_closed(D(2026, 11, 30))


def test_every_case_source_lands_in_one_report_column():
    assert set(REPORT_SOURCE_OF) == set(DisputeSource)
    assert set(REPORT_SOURCE_OF.values()) == set(ReportSource)


def test_november_hand_counted(mt, clock):
    hand_counted_cases(mt, clock)
    f = statistics_figures(town=mt.town, period=parse_period("2026-11"))
    assert (f["start"], f["end"]) == ("2026-11-01", "2026-11-30")
    rows = by_category(f)
    assert len(f["rows"]) == 15
    # A and B found and resolved in November; A oral ¥1,000, B written ¥5,000.
    only(rows["neighbour"], screened=2, accepted=2, mediated=2, succeeded=2,
         success_rate=100.0, written=1, oral=1, amount=6000.0, source_initiative=1,
         source_application=1, civil_to_criminal_cases=1, civil_to_criminal_people=3,
         group_fight_cases=1, group_fight_people=12, suicide_cases=1, suicide_people=1)
    # C found at 23:59:59 on the 30th (open); D found in October, resolved on the 1st with no
    # agreement: its ¥700 is not an agreement's.
    only(rows["marriage_family"], screened=1, accepted=1, mediated=1, succeeded=1,
         success_rate=100.0, source_court=1)
    # E: the respondent refused, so not accepted, and terminated.
    only(rows["contract"], screened=1, mediated=1, terminated=1, success_rate=0.0,
         source_petition=1)
    # F voided, G found in December, H terminated in October: none of them in November.
    for category in ("damages", "labour", "forest_land", "other"):
        only(rows[category])
    only(f["total"], screened=4, accepted=3, mediated=4, succeeded=3, terminated=1,
         success_rate=75.0, written=1, oral=1, amount=6000.0, source_initiative=1,
         source_application=1, source_court=1, source_petition=1,
         civil_to_criminal_cases=1, civil_to_criminal_people=3, group_fight_cases=1,
         group_fight_people=12, suicide_cases=1, suicide_people=1)


def test_fourth_quarter_hand_counted(mt, clock):
    hand_counted_cases(mt, clock)
    f = statistics_figures(town=mt.town, period=parse_period("2026-Q4"))
    assert (f["start"], f["end"]) == ("2026-10-01", "2026-12-31")
    rows = by_category(f)
    # H: found in September, its mediation failed on 8 October.
    only(rows["neighbour"], screened=2, accepted=2, mediated=3, succeeded=2, terminated=1,
         success_rate=66.7, written=1, oral=1, amount=6000.0, source_initiative=1,
         source_application=1, civil_to_criminal_cases=1, civil_to_criminal_people=3,
         group_fight_cases=1, group_fight_people=12, suicide_cases=1, suicide_people=1)
    only(rows["marriage_family"], screened=2, accepted=2, mediated=1, succeeded=1,
         success_rate=100.0, source_court=1, source_police=1)
    only(rows["contract"], screened=1, mediated=1, terminated=1, success_rate=0.0,
         source_petition=1)
    only(rows["labour"], screened=1, accepted=1, mediated=1, succeeded=1, success_rate=100.0,
         oral=1, amount=800.0, source_application=1, group_petition_cases=1,
         group_petition_people=20)
    only(rows["damages"])
    only(f["total"], screened=6, accepted=5, mediated=6, succeeded=4, terminated=2,
         success_rate=66.7, written=1, oral=2, amount=6800.0, source_initiative=1,
         source_application=2, source_court=1, source_police=1, source_petition=1,
         civil_to_criminal_cases=1, civil_to_criminal_people=3, group_fight_cases=1,
         group_fight_people=12, suicide_cases=1, suicide_people=1, group_petition_cases=1,
         group_petition_people=20)
    # The total row is the sum of the rows.
    for key in ZERO_KEYS:
        assert f["total"][key] == pytest.approx(sum(r[key] for r in f["rows"])), key


def test_the_figures_of_another_town_are_not_counted(mt, clock):
    hand_counted_cases(mt, clock)
    from .conftest import town_with_office

    other = town_with_office("远山镇")
    f = statistics_figures(town=other.town, period=parse_period("2026-Q4"))
    only(f["total"])


def _queries(town, code):
    with CaptureQueriesContext(connection) as ctx:
        statistics_figures(town=town, period=parse_period(code))
    return len(ctx.captured_queries)


def test_a_town_year_is_counted_in_a_fixed_number_of_queries(mt, clock):
    clock(at(2026, 3, 1, 9))
    few = _queries(mt.town, "2026")
    for i in range(12):
        case = dispute(mt, found_at=at(2026, 3, 1, 9), category=["neighbour", "contract",
                                                                 "labour"][i % 3],
                       party=f"某{i}", source=["screening", "application"][i % 2])
        if i % 2:
            resolve(mt, case, agreement=oral(D(2026, 3, 1)), averted={"suicide": 1})
    assert _queries(mt.town, "2026") == few == 2

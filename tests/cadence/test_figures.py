"""The sweeps' figures against hand counts in a town of the tests' own:
each figure of the daily record, the weekly summary and the monthly analysis; the period
boundaries in Asia/Shanghai (month end, year end, the Monday after the National Day holiday);
and query counts that do not grow with the number of cases."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadence import figures
from cadence.models import MonthlyAnalysis, WeeklySummary
from cadence.services import daily_sweep, monthly_sweep, screening_report_save, weekly_sweep
from petitions import services as petition_services
from tests.petitions.factories import petitioner, reply_fields, representatives

from .factories import (
    at,
    climb,
    dispute,
    escalate_urgent,
    notice,
    notice_verified,
    petition,
    refer,
    resolve,
    set_history,
    void,
)

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)


def logged(t, clock, when, **fields):
    """A case found at ``when`` and logged at that moment."""
    clock(when)
    return dispute(t, found_at=when, **fields)


def report(t, clock, day, grid, **fields):
    i, j = grid
    clock(at(day.year, day.month, day.day, 18))
    fields = {"areas": ["neighbour_relations"], "nothing_found": True, **fields}
    return screening_report_save(by=t.gm[i][j], small_grid=t.sg[i][j], **fields)


# --- Daily -----------------------------------------------------------------------------------

def test_daily_figures_hand_counted(qf, clock):
    day = D(2026, 3, 10)
    report(qf, clock, day, (0, 0))
    report(qf, clock, day, (1, 1), nothing_found=False, findings="发现土地纠纷苗头。")
    report(qf, clock, day - DAY, (0, 1))  # yesterday's does not count today
    # New today: 00:00 and 23:59:59 in Shanghai; not 23:59 the day before nor 00:00 after.
    first = logged(qf, clock, at(2026, 3, 10, 0, 0))
    logged(qf, clock, at(2026, 3, 10, 23, 59, 59), grid=(1, 0))
    # At the first tier (3 days): found 03-06 09:00, due 03-09 09:00, overdue; found 03-09
    # 23:59, due 03-12: not yet.
    logged(qf, clock, at(2026, 3, 6, 9))
    logged(qf, clock, at(2026, 3, 9, 23, 59))
    # Resolved today (found two days ago).
    solved = logged(qf, clock, at(2026, 3, 8, 9))
    clock(at(2026, 3, 10, 15))
    resolve(qf, solved)
    # A voided case counts nowhere.
    void(qf, logged(qf, clock, at(2026, 3, 10, 11)))
    # Petitions: accept due today (received 15 days ago), and overdue (16 days ago); reply
    # due today (accepted 60 days ago).
    clock(at(2026, 2, 23, 10))
    petition(qf, subject="甲事项", petitioners=[petitioner(name="甲", id_number="")])
    clock(at(2026, 2, 22, 10))
    petition(qf, subject="乙事项", petitioners=[petitioner(name="乙", id_number="")])
    clock(at(2026, 1, 9, 10))
    handled = petition(qf, subject="丙事项", petitioners=[petitioner(name="丙", id_number="")])
    petition_services.petition_accept(petition=handled, by=qf.gm[0][0])
    # Notices: one due today at 18:00, one past due, one verified.
    clock(at(2026, 3, 5, 9))
    notice(qf, deadline=at(2026, 3, 10, 18))
    notice(qf, deadline=at(2026, 3, 8, 18))
    notice_verified(qf, notice(qf, deadline=at(2026, 3, 7, 18)))

    clock(at(2026, 3, 10, 20, 30))
    data = figures.daily_figures(town=qf.town, day=day)
    assert data == {
        "date": "2026-03-10",
        "small_grids": 4,
        "reported": 2,
        "missing": [
            {"id": qf.sg[0][1].pk, "name": "清风1村第2网格", "large_grid_name": "清风1村"},
            {"id": qf.sg[1][0].pk, "name": "清风2村第1网格", "large_grid_name": "清风2村"},
        ],
        "new_disputes": 2,
        # Today's two, 03-06's and 03-09's; not the resolved one nor the voided one.
        "open_disputes": 4,
        "resolved_today": 1,
        "overdue_disputes": 1,
        "petitions_due": 2,
        "petitions_overdue": 1,
        "notices_due": 1,
        # By the end of the day both open notices are past their deadline.
        "notices_overdue": 2,
    }
    assert first.found_at == at(2026, 3, 10)


# --- Weekly ----------------------------------------------------------------------------------

def national_day_week(t, clock):
    """The week of Monday 2026-10-05 to Sunday 2026-10-11 (after the holiday of 10-01..10-08
    began), with cases just inside and just outside it."""
    cases = {
        # New this week: 00:00 on Monday and 23:59 on Sunday.
        "monday": logged(t, clock, at(2026, 10, 5, 0, 0)),
        "sunday": logged(t, clock, at(2026, 10, 11, 23, 59), grid=(1, 0), category="contract"),
        # Last week's Sunday 23:59, escalated to a mediator this week.
        "before": logged(t, clock, at(2026, 10, 4, 23, 59), grid=(0, 1)),
        # The next Monday 00:00: not this week's, though pending when the sweep runs.
        "after": logged(t, clock, at(2026, 10, 12, 0, 0), grid=(1, 1), category="forest_land"),
        "solved": logged(t, clock, at(2026, 10, 6, 10)),
        "referred": logged(t, clock, at(2026, 9, 28, 10), grid=(1, 0), risk_level="red"),
        "voided": logged(t, clock, at(2026, 10, 7, 10)),
    }
    clock(at(2026, 10, 9, 10))
    climb(t, cases["before"], "mediator")
    clock(at(2026, 10, 8, 10))
    resolve(t, cases["solved"])
    clock(at(2026, 9, 29, 10))
    escalate_urgent(t, cases["referred"])
    clock(at(2026, 10, 10, 10))
    refer(t, cases["referred"])
    void(t, cases["voided"])
    # Screening: village 1's grid 1 every day, grid 2 on three days; village 2's grid 2 every
    # day, grid 1 never; the Sunday before and the Monday after do not count.
    for offset in range(7):
        report(t, clock, D(2026, 10, 5) + offset * DAY, (0, 0))
        report(t, clock, D(2026, 10, 5) + offset * DAY, (1, 1))
    for offset in (0, 3, 6):
        report(t, clock, D(2026, 10, 5) + offset * DAY, (0, 1))
    report(t, clock, D(2026, 10, 4), (1, 0))
    report(t, clock, D(2026, 10, 12), (1, 0))
    # An open notice past its deadline, and a verified one.
    clock(at(2026, 10, 6, 10))
    open_notice = notice(t, deadline=at(2026, 10, 9, 18))
    notice_verified(t, notice(t, deadline=at(2026, 10, 8, 18)))
    # Petitions: accept due 10-17 (before the next week's end): listed; 10-25: not.
    clock(at(2026, 10, 2, 10))
    due = petition(t, subject="甲事项", petitioners=[petitioner(name="甲", id_number="")])
    clock(at(2026, 10, 10, 10))
    petition(t, subject="乙事项", petitioners=[petitioner(name="乙", id_number="")])
    return cases, open_notice, due


def test_weekly_figures_hand_counted(qf, clock):
    cases, open_notice, due = national_day_week(qf, clock)
    clock(at(2026, 10, 12, 7))
    summary = weekly_sweep(town=qf.town)
    f = summary.figures
    assert summary.week_start == D(2026, 10, 5)
    assert (f["week_start"], f["week_end"]) == ("2026-10-05", "2026-10-11")
    assert (f["new"], f["resolved"], f["referred"], f["pending"]) == (3, 1, 1, 4)
    assert f["pending_by_grid"] == [{"large_grid": "清风1村", "n": 2},
                                    {"large_grid": "清风2村", "n": 2}]
    assert f["pending_by_type"] == [{"category": "neighbour", "label": "邻里", "n": 2},
                                    {"category": "contract", "label": "合同", "n": 1},
                                    {"category": "forest_land", "label": "山林土地", "n": 1}]
    assert f["pending_by_tier"] == [{"tier": "grid_member", "label": "网格员调解", "n": 3},
                                    {"tier": "mediator", "label": "调解员调解", "n": 1}]
    monday = cases["monday"]
    assert f["overdue"] == [{"id": monday.pk, "number": monday.number, "title": monday.title,
                             "tier": "网格员调解", "handler_name": qf.gm[0][0].staff.name,
                             "due": "2026-10-08 00:00"}]
    assert f["open_notices"] == [{"id": open_notice.pk, "number": open_notice.number,
                                  "title": open_notice.title, "state": open_notice.state,
                                  "responsible_name": qf.gl[0].staff.name,
                                  "due": "2026-10-09 18:00", "overdue": True}]
    assert [(p["number"], p["due"]) for p in f["petitions_due"]] == [(due.number, "2026-10-17")]
    assert f["screening"] == [
        {"id": qf.lg[0].pk, "number": 1, "name": "清风1村", "small": 2, "reports": 10,
         "expected": 14, "rate": 71.4},
        {"id": qf.lg[1].pk, "number": 2, "name": "清风2村", "small": 2, "reports": 7,
         "expected": 14, "rate": 50.0},
    ]


def test_weekly_sweep_on_the_monday_after_the_holiday_and_again_on_tuesday(qf, clock):
    """Run on Monday 2026-10-12 it summarises 10-05..10-11; run again on Tuesday it updates the
    same week's row."""
    national_day_week(qf, clock)
    clock(at(2026, 10, 12, 7))
    monday = weekly_sweep(town=qf.town)
    assert monday.figures["new"] == 3
    # A case found on Sunday but logged on Tuesday morning: the re-run counts it.
    clock(at(2026, 10, 13, 6))
    dispute(qf, found_at=at(2026, 10, 11, 22))
    clock(at(2026, 10, 13, 7))
    tuesday = weekly_sweep(town=qf.town)
    assert tuesday.pk == monday.pk
    assert WeeklySummary.objects.filter(town=qf.town).count() == 1
    assert tuesday.week_start == D(2026, 10, 5)
    assert tuesday.figures["new"] == 4
    # A date given explicitly means the same: the week before the one containing it.
    assert weekly_sweep(town=qf.town, day=D(2026, 10, 18)).pk == monday.pk
    assert weekly_sweep(town=qf.town, day=D(2026, 10, 11)).week_start == D(2026, 9, 28)


# --- Monthly ---------------------------------------------------------------------------------

def march_2026(t, clock):
    """March 2026 in 清风镇, with February, March 2025 and the month's edges around it.
    Tier days (steps that ended in March): grid member 1, 2, 3, 3, 4, 10; mediator 0.5, 2.5;
    grid leader 6; chair 4."""
    c = {}
    # March's new cases (7).
    c["A"] = logged(t, clock, at(2026, 3, 2, 9), party="赵一")
    c["B"] = logged(t, clock, at(2026, 3, 3, 9), party="赵一")
    c["C"] = logged(t, clock, at(2026, 3, 4, 9), grid=(0, 1), category="housing_homestead",
                    party="孙三")
    c["D"] = logged(t, clock, at(2026, 3, 5, 9), grid=(1, 0), category="contract", party="李四")
    c["E"] = logged(t, clock, at(2026, 3, 6, 9), grid=(1, 0), risk_level="red", party="周五")
    c["F"] = logged(t, clock, at(2026, 3, 20, 10), grid=(1, 1), risk_level="yellow",
                    party="吴六")
    c["G"] = logged(t, clock, at(2026, 3, 31, 23, 59), party="郑七")
    # Not March's: voided; found on 04-01 00:00; February's; March 2025's; January's.
    c["V"] = logged(t, clock, at(2026, 3, 12, 9), grid=(1, 0), party="周五")
    c["H"] = logged(t, clock, at(2026, 4, 1, 0, 0), grid=(1, 1), party="吴六")
    c["P"] = logged(t, clock, at(2026, 2, 10, 9), grid=(0, 1), party="孙三")
    c["Q"] = logged(t, clock, at(2026, 2, 26, 9), grid=(0, 1), risk_level="yellow",
                    party="王八")
    c["R"] = logged(t, clock, at(2025, 3, 15, 10), grid=(1, 0), party="李四")
    c["S"] = logged(t, clock, at(2026, 1, 10, 9), grid=(1, 1), risk_level="red", party="冯九")

    clock(at(2026, 4, 1, 6))  # every step taken "now", then put at its time
    set_history(resolve(t, c["A"]), at(2026, 3, 2, 9), at(2026, 3, 3, 9))
    set_history(resolve(t, c["B"]), at(2026, 3, 3, 9), at(2026, 3, 5, 9))
    set_history(resolve(t, climb(t, c["C"], "mediator")),
                at(2026, 3, 4, 9), at(2026, 3, 7, 9), at(2026, 3, 7, 21))
    set_history(resolve(t, climb(t, c["D"], "grid_leader")),
                at(2026, 3, 5, 9), at(2026, 3, 9, 9), at(2026, 3, 11, 21), at(2026, 3, 17, 21))
    set_history(refer(t, escalate_urgent(t, c["E"])),
                at(2026, 3, 6, 9), at(2026, 3, 16, 9), at(2026, 3, 20, 9))
    set_history(void(t, c["V"]), at(2026, 3, 12, 9), at(2026, 3, 13, 9))
    set_history(resolve(t, c["P"]), at(2026, 2, 10, 9), at(2026, 2, 12, 9))
    set_history(resolve(t, c["Q"]), at(2026, 2, 26, 9), at(2026, 3, 1, 9))
    set_history(resolve(t, c["R"]), at(2025, 3, 15, 10), at(2025, 3, 20, 10))

    # Petitions: received 3 in March (one a repeat with two visits above the town, one a
    # group of 6); accepted 2 (one received in February); replied 1.
    gm = t.gm[0][0]
    clock(at(2026, 3, 3, 10))
    first = petition(t)
    clock(at(2026, 3, 4, 10))
    petition_services.petition_accept(petition=first, by=gm)
    clock(at(2026, 3, 10, 10))
    petition_services.petition_reply(petition=first, by=gm, **reply_fields())
    clock(at(2026, 3, 12, 10))
    repeat = petition(t)
    assert repeat.repeat_of_id == first.pk
    for day in (13, 20):
        clock(at(2026, 3, day, 10))
        petition_services.petition_record_higher_visit(petition=repeat, by=t.leader, level="city",
                                                       visited_on=D(2026, 3, day))
    clock(at(2026, 3, 20, 10))
    petition(t, subject="集体要求修路", people_count=6, petitioners=representatives(2))
    clock(at(2026, 2, 27, 10))
    february = petition(t, subject="要求补偿青苗费",
                        petitioners=[petitioner(name="刘备", id_number="", phone="13700000001")])
    clock(at(2026, 3, 2, 10))
    petition_services.petition_accept(petition=february, by=gm)
    clock(at(2026, 4, 1, 0, 0))
    petition(t, subject="四月事项", petitioners=[petitioner(name="关羽", id_number="",
                                                               phone="13700000002")])

    # Notices: issued 2 in March (one verified, one open past its deadline); one of
    # February open past its deadline; one issued on 04-01 00:00.
    clock(at(2026, 3, 5, 10))
    notice_verified(t, notice(t))
    clock(at(2026, 3, 25, 10))
    notice(t, deadline=at(2026, 3, 30, 18))
    clock(at(2026, 2, 20, 10))
    notice(t, deadline=at(2026, 2, 28, 18))
    clock(at(2026, 4, 1, 0, 0))
    notice(t)
    return c


def test_monthly_figures_hand_counted(qf, clock):
    c = march_2026(qf, clock)
    clock(at(2026, 4, 1, 7, 30))
    analysis = monthly_sweep(town=qf.town)
    f = analysis.figures
    assert analysis.month == D(2026, 3, 1) and f["month"] == "2026-03-01"
    assert f["this_month"] == {"new": 7, "resolved": 5, "referred": 1, "terminated": 0}
    assert f["last_month"] == {"new": 2, "resolved": 1, "referred": 0, "terminated": 0}
    assert f["same_month_last_year"] == {"new": 1, "resolved": 1, "referred": 0,
                                         "terminated": 0}
    assert f["hot_grids"] == [{"large_grid": "清风1村", "n": 4}, {"large_grid": "清风2村", "n": 3}]
    assert f["hot_types"] == [{"label": "邻里", "n": 5}, {"label": "合同", "n": 1},
                              {"label": "房屋宅基地", "n": 1}]
    # In the year up to the month's end: 赵一 (A, B), 孙三 (P, C), 李四 (R, D); 周五's other
    # case is voided and 吴六's other is April's.
    assert {r["name"]: r["n"] for r in f["repeat_parties"]} == {"赵一": 2, "孙三": 2, "李四": 2}
    assert f["repeat_places"] == [{"small_grid_name": "清风1村第1网格", "n": 3},
                                  {"small_grid_name": "清风2村第1网格", "n": 2}]
    # Red before yellow, newest first: E (referred, found in March), S (open since January),
    # F (open); Q is yellow but resolved and February's.
    assert [r["number"] for r in f["risky_cases"]] == [c["E"].number, c["S"].number,
                                                       c["F"].number]
    assert [(r["tier"], r["n"]) for r in f["resolved_by_defence"]] == [
        ("grid_member", 3), ("mediator", 1), ("grid_leader", 1), ("chair", 0)]
    assert f["referrals"] == [{"referred_to": "court", "n": 1}]
    assert f["tier_days"] == [
        {"tier": "grid_member", "label": "网格员调解", "count": 6, "mean_days": 3.8,
         "p90_days": 10.0},
        {"tier": "mediator", "label": "调解员调解", "count": 2, "mean_days": 1.5,
         "p90_days": 2.5},
        {"tier": "grid_leader", "label": "网格长调解", "count": 1, "mean_days": 6.0,
         "p90_days": 6.0},
        {"tier": "chair", "label": "镇调委会主任调解", "count": 1, "mean_days": 4.0,
         "p90_days": 4.0},
    ]
    assert f["petitions"] == {"received": 3, "accepted": 2, "replied": 1, "closed": 0,
                              "repeat": 1, "group": 1, "skip_level": 1, "transferred": 0,
                              "evaluated": 0, "satisfied": 0, "basically_satisfied": 0,
                              "dissatisfied": 0}
    assert f["notices"] == {"issued": 2, "verified": 1, "open_overdue": 2}
    trend = {r["month"]: (r["new"], r["resolved"]) for r in f["trend"]}
    assert list(trend) == [f"2025-{m:02d}" for m in range(4, 13)] + [
        "2026-01", "2026-02", "2026-03"]
    assert trend["2026-03"] == (7, 5)
    assert trend["2026-02"] == (2, 1)
    assert trend["2026-01"] == (1, 0)
    assert sum(n for n, _ in trend.values()) == 10


def test_skip_level_petitions_of_the_month_follow_the_petitions_own_rule(qf, clock):
    """A visit above the town makes a petition skip-level only while it is open here
    (petitions.selectors.with_flags): one visited on the day before it was received here is
    not; one visited twice in the month counts once; a visit in February counts in February."""
    clock(at(2026, 3, 25, 10))
    before = petition(qf, subject="甲事项", petitioners=[petitioner(name="甲", id_number="")])
    petition_services.petition_record_higher_visit(petition=before, by=qf.leader, level="county",
                                                   visited_on=D(2026, 3, 24))
    clock(at(2026, 2, 20, 10))
    twice = petition(qf, subject="乙事项", petitioners=[petitioner(name="乙", id_number="")])
    clock(at(2026, 2, 27, 10))
    petition_services.petition_record_higher_visit(petition=twice, by=qf.leader, level="city",
                                                   visited_on=D(2026, 2, 27))
    for day in (3, 17):
        clock(at(2026, 3, day, 10))
        petition_services.petition_record_higher_visit(petition=twice, by=qf.leader,
                                                       level="province", visited_on=D(2026, 3, day))
    clock(at(2026, 4, 1, 7, 30))
    from petitions.selectors import with_flags

    flagged = {p.pk: p.skip_level for p in with_flags(type(before).objects.filter(town=qf.town))}
    assert flagged == {before.pk: False, twice.pk: True}
    march = figures.monthly_figures(town=qf.town, month=D(2026, 3, 1))["petitions"]
    february = figures.monthly_figures(town=qf.town, month=D(2026, 2, 1))["petitions"]
    assert (march["received"], march["skip_level"]) == (1, 1)
    assert (february["received"], february["skip_level"]) == (1, 1)


def test_tier_p90_is_the_nearest_rank_not_the_maximum(qf, clock):
    """Ten steps of 1..10 days at the first tier: the 90th percentile is the 9th (9 days);
    eleven of 1..11 at the mediator: the 10th (10 days). Steps that ended in February or
    in April do not count."""
    clock(at(2026, 4, 1, 6))
    for days in range(1, 11):
        case = resolve(qf, dispute(qf, found_at=at(2026, 2, 1)))
        end = at(2026, 3, 20)
        set_history(case, end - days * DAY, end)
    for days in range(1, 12):
        # The first tier's step ends in February: only the mediator's counts.
        case = resolve(qf, climb(qf, dispute(qf, found_at=at(2026, 2, 1)), "mediator"))
        set_history(case, at(2026, 2, 1), at(2026, 2, 28), at(2026, 2, 28) + days * DAY)
    outside = resolve(qf, dispute(qf, found_at=at(2026, 3, 30)))
    set_history(outside, at(2026, 3, 30), at(2026, 4, 1, 0, 0))
    rows = figures.tier_durations(town=qf.town, start=at(2026, 3, 1), end=at(2026, 4, 1))
    assert rows[0] == {"tier": "grid_member", "label": "网格员调解", "count": 10,
                       "mean_days": 5.5, "p90_days": 9.0}
    assert rows[1] == {"tier": "mediator", "label": "调解员调解", "count": 11,
                       "mean_days": 6.0, "p90_days": 10.0}
    assert [r["count"] for r in rows[2:]] == [0, 0]
    assert rows[2]["mean_days"] is None and rows[2]["p90_days"] is None
    april = figures.tier_durations(town=qf.town, start=at(2026, 4, 1), end=at(2026, 5, 1))
    assert (april[0]["count"], april[0]["mean_days"]) == (1, 2.0)


# --- Period boundaries -------------------------------------------------------------------------

def test_month_end_23_59_belongs_to_the_month_and_00_00_to_the_next(qf, clock):
    last_minute = logged(qf, clock, at(2026, 3, 31, 23, 59))
    first_minute = logged(qf, clock, at(2026, 4, 1, 0, 0))
    clock(at(2026, 4, 1, 6))
    set_history(resolve(qf, last_minute), at(2026, 3, 31, 23, 59), at(2026, 3, 31, 23, 59, 59))
    set_history(resolve(qf, first_minute), at(2026, 4, 1, 0, 0), at(2026, 4, 1, 0, 0, 30))
    march = figures.monthly_figures(town=qf.town, month=D(2026, 3, 1))
    april = figures.monthly_figures(town=qf.town, month=D(2026, 4, 1))
    assert march["this_month"] == {"new": 1, "resolved": 1, "referred": 0, "terminated": 0}
    assert april["this_month"] == {"new": 1, "resolved": 1, "referred": 0, "terminated": 0}
    assert april["last_month"] == march["this_month"]
    assert march["tier_days"][0]["count"] == 1 and april["tier_days"][0]["count"] == 1
    assert march["trend"][-1] == {"month": "2026-03", "new": 1, "resolved": 1}
    assert april["trend"][-2:] == [{"month": "2026-03", "new": 1, "resolved": 1},
                                   {"month": "2026-04", "new": 1, "resolved": 1}]
    # The days and weeks split there too.
    assert figures.daily_figures(town=qf.town, day=D(2026, 3, 31))["new_disputes"] == 1
    assert figures.daily_figures(town=qf.town, day=D(2026, 4, 1))["new_disputes"] == 1
    assert figures.weekly_figures(town=qf.town, week_start=D(2026, 3, 30))["new"] == 2
    assert figures.weekly_figures(town=qf.town, week_start=D(2026, 3, 23))["new"] == 0


def test_year_end_december_and_january_and_the_same_month_last_year(qf, clock):
    logged(qf, clock, at(2025, 1, 15, 10))                      # January 2025
    logged(qf, clock, at(2025, 12, 31, 23, 59))                  # December 2025
    logged(qf, clock, at(2025, 12, 1, 0, 0))                     # December 2025
    logged(qf, clock, at(2025, 11, 30, 23, 59))                  # November 2025
    logged(qf, clock, at(2026, 1, 1, 0, 0))                      # January 2026
    logged(qf, clock, at(2026, 1, 31, 23, 59))                   # January 2026
    logged(qf, clock, at(2026, 1, 20, 10))                       # January 2026
    # On New Year's Day the sweep analyses December 2025.
    clock(at(2026, 1, 1, 7, 30))
    december = monthly_sweep(town=qf.town)
    assert december.month == D(2025, 12, 1)
    assert december.figures["this_month"]["new"] == 2
    assert december.figures["last_month"]["new"] == 1
    assert december.figures["same_month_last_year"]["new"] == 0
    assert december.figures["trend"][0]["month"] == "2025-01"
    assert december.figures["trend"][-1] == {"month": "2025-12", "new": 2, "resolved": 0}
    # On 1 February, January 2026 against December 2025 and January 2025.
    clock(at(2026, 2, 1, 7, 30))
    january = monthly_sweep(town=qf.town)
    assert january.month == D(2026, 1, 1)
    assert january.figures["this_month"]["new"] == 3
    assert january.figures["last_month"]["new"] == 2
    assert january.figures["same_month_last_year"]["new"] == 1
    assert [r["month"] for r in january.figures["trend"]][:2] == ["2025-02", "2025-03"]
    assert january.figures["trend"][-2:] == [{"month": "2025-12", "new": 2, "resolved": 0},
                                             {"month": "2026-01", "new": 3, "resolved": 0}]
    assert MonthlyAnalysis.objects.filter(town=qf.town).count() == 2


def test_add_months_crosses_the_year_both_ways():
    assert figures.add_months(D(2025, 12, 1), 1) == D(2026, 1, 1)
    assert figures.add_months(D(2026, 1, 1), -1) == D(2025, 12, 1)
    assert figures.add_months(D(2026, 1, 1), -12) == D(2025, 1, 1)
    assert figures.add_months(D(2026, 3, 1), -11) == D(2025, 4, 1)


# --- Query counts ------------------------------------------------------------------------------

def add_cases(t, clock, n):
    """``n`` cases in March 2026 across the town's grids and types: a third resolved at the
    first tier, a third escalated to a mediator, the rest open."""
    grids = [(0, 0), (0, 1), (1, 0), (1, 1)]
    types = ["neighbour", "contract", "housing_homestead", "forest_land"]
    for k in range(n):
        case = logged(t, clock, at(2026, 3, 1 + k % 28, 9), grid=grids[k % 4],
                      category=types[k % 3], party=f"当事人{k % 7}",
                      risk_level=["blue", "yellow", "red"][k % 3])
        if k % 3 == 0:
            resolve(t, case)
        elif k % 3 == 1:
            climb(t, case, "mediator")


def sweep_queries(t, clock, day) -> dict[str, int]:
    counts = {}
    for name, sweep, now in (
            ("daily", daily_sweep, at(day.year, day.month, day.day, 20, 30)),
            ("weekly", weekly_sweep, at(day.year, day.month, day.day, 7)),
            ("monthly", monthly_sweep, at(day.year, day.month, day.day, 7, 30))):
        clock(now)
        with CaptureQueriesContext(connection) as ctx:
            sweep(town=t.town, day=day)
        counts[name] = len(ctx.captured_queries)
    return counts


def test_sweep_query_counts_do_not_grow_with_the_cases(qf, clock, django_assert_max_num_queries):
    add_cases(qf, clock, 5)
    few = sweep_queries(qf, clock, D(2026, 3, 30))
    # Pinned: the daily sweep with its reminders, the weekly and the monthly summaries (with
    # the month's ratings by village and tier: three queries; the legal aid, consultations,
    # publicity, priority, units and referrals: 11 more).
    assert few["daily"] <= 17 and few["weekly"] <= 16 and few["monthly"] <= 37, few
    add_cases(qf, clock, 45)
    # Another day, so that the daily sweep sends its reminders again.
    day = D(2026, 3, 31)
    clock(at(2026, 3, 31, 20, 30))
    with django_assert_max_num_queries(few["daily"]):
        daily_sweep(town=qf.town, day=day)
    clock(at(2026, 3, 31, 7))
    with django_assert_max_num_queries(few["weekly"]):
        weekly_sweep(town=qf.town, day=day)
    clock(at(2026, 3, 31, 7, 30))
    with django_assert_max_num_queries(few["monthly"]):
        monthly_sweep(town=qf.town, day=day)
    clock(at(2026, 4, 1, 7, 30))
    with django_assert_max_num_queries(few["monthly"]):
        analysis = monthly_sweep(town=qf.town)
    assert analysis.figures["this_month"]["new"] == 50

"""Working days on China's official calendar: public holidays and make-up
workdays (调休) from the maintained ``chinesecalendar`` package; Monday to Friday for a year it
does not cover yet. Used for the 5 working days to object to a misrouted, assigned petition."""

import datetime
import logging

import pytest

from core.workdays import add_working_days, is_workday
from petitions import deadlines as petition_deadlines
from tests.disputes.factories import demo_small_grid

D = datetime.date


# --- National Day 2026: 1–7 October off, Saturday 10 October worked ------------------------------

def test_national_day_2026_counts_the_make_up_saturday():
    # 30 Sep (1), the holiday, 8 Oct (2), 9 Oct (3), Saturday 10 Oct (4), Monday 12 Oct (5).
    assert add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 12)


def test_national_day_2026_days_off_and_on():
    assert [is_workday(D(2026, 10, d)) for d in range(1, 13)] == [
        False, False, False, False, False, False, False,  # 1–7 October: the holiday
        True, True,  # Thursday and Friday
        True,  # Saturday 10 October: a make-up workday
        False,  # Sunday
        True,
    ]


# --- Spring Festival 2026: 15–23 February off, Saturdays 14 and 28 February worked ---------------

def test_spring_festival_2026():
    assert is_workday(D(2026, 2, 14))  # Saturday, worked
    assert not any(is_workday(D(2026, 2, d)) for d in range(15, 24))
    assert is_workday(D(2026, 2, 28))  # Saturday, worked
    # Friday 13 Feb + 1 is the make-up Saturday; + 2 jumps the whole holiday.
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)


def test_an_ordinary_week():
    assert add_working_days(D(2026, 11, 20), 5) == D(2026, 11, 27)  # Friday to Friday
    assert add_working_days(D(2026, 11, 21), 1) == D(2026, 11, 23)  # Saturday to Monday
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)


# --- A year the package does not cover ---------------------------------------------------------

def test_a_year_without_data_falls_back_to_monday_to_friday(caplog):
    import chinese_calendar

    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2099, 1, 1))
    with caplog.at_level(logging.WARNING, logger="core.workdays"):
        # Thursday 1 January 2099 counts as a working day: nobody has announced it yet.
        assert is_workday(D(2099, 1, 1))
        assert not is_workday(D(2099, 1, 3))  # Saturday
        assert add_working_days(D(2099, 1, 1), 5) == D(2099, 1, 8)
    assert "2099" in caplog.text and "Monday" in caplog.text


# --- The objection deadline of a petition assigned by a higher authority ----------------------------

def test_the_objection_deadline_is_five_working_days():
    assert petition_deadlines.OBJECTION_WORKING_DAYS == 5
    assert petition_deadlines.objection_due(D(2026, 9, 29)) == D(2026, 10, 12)


def _register(by, **fields):
    from petitions.services import petition_create

    return petition_create(
        by=by, small_grid=demo_small_grid(),
        petitioners=[{"name": "王建设", "phone": "13812345678"}],
        form="letter", kind="claim", subject="要求解决灌溉渠堵塞问题",
        content="灌溉渠被堵塞。", **fields)


@pytest.mark.django_db
def test_a_petition_assigned_by_a_higher_authority_gets_an_objection_deadline(gm01):
    petition = _register(gm01, assigned_by_higher=True, received_on=D(2026, 9, 29))
    assert petition.objection_due == D(2026, 10, 12)
    petition.refresh_from_db()
    assert petition.objection_due == D(2026, 10, 12)


@pytest.mark.django_db
def test_a_petition_not_assigned_by_a_higher_authority_has_no_objection_deadline(gm01):
    petition = _register(gm01, received_on=D(2026, 9, 29))
    assert petition.assigned_by_higher is False
    assert petition.objection_due is None

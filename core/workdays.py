"""Working days on China's official calendar: public holidays and the make-up workdays
(调休) announced by the State Council, from the maintained ``chinesecalendar`` package.

For a year the package does not cover yet (the calendar is announced each winter), Monday to
Friday are taken as working days and a warning is logged, so deadlines never fail to compute.
"""

from __future__ import annotations

import datetime
import logging

import chinese_calendar

logger = logging.getLogger(__name__)


def is_workday(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        logger.warning("chinesecalendar has no data for %s; counting Monday–Friday", day.year)
        return day.weekday() < 5


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day

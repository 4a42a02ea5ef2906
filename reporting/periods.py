"""A report's period, from its code: ``2026-11`` (a month), ``2026-Q4`` (a quarter) or
``2026`` (a year). The one place a period is parsed; pages, API, commands and the demo call
``parse_period``."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from .states import PeriodKind

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class Period:
    """[start, end) in days; ``code`` is the canonical text (``2026-11``, ``2026-Q4``,
    ``2026``)."""

    kind: str
    start: datetime.date
    end: datetime.date
    code: str

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("%(y)s年%(m)s月") % {"y": self.start.year, "m": self.start.month}
        if self.kind == PeriodKind.QUARTER:
            return _("%(y)s年第%(q)s季度") % {"y": self.start.year,
                                            "q": QUARTER_NAMES[(self.start.month + 2) // 3]}
        return _("%(y)s年") % {"y": self.start.year}

    def is_closed(self, today: datetime.date | None = None) -> bool:
        """Over: its last day is before today (Asia/Shanghai)."""
        return self.end <= (today or timezone.localdate())


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def parse_period(text: str) -> Period:
    """The period a code names; ``ValueError`` for anything else (a month 13, ``2026-Q5``)."""
    text = (text or "").strip()
    if m := _YEAR.match(text):
        year = int(m[1])
        return Period(PeriodKind.YEAR, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1),
                      f"{year:04d}")
    if m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        start = datetime.date(year, 3 * quarter - 2, 1)
        return Period(PeriodKind.QUARTER, start, _month(year, 3 * quarter + 1),
                      f"{year:04d}-Q{quarter}")
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return Period(PeriodKind.MONTH, datetime.date(year, month, 1),
                          _month(year, month + 1), f"{year:04d}-{month:02d}")
    raise ValueError(f"not a period: {text!r}")


def previous_month(today: datetime.date | None = None) -> Period:
    """The last closed month: the period a judicial office reports first."""
    first = (today or timezone.localdate()).replace(day=1)
    last = first - datetime.timedelta(days=1)
    return parse_period(f"{last.year}-{last.month:02d}")

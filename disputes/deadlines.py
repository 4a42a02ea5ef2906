"""Each tier's deadline, computed here and nowhere else (issue #3, §2).

Defaults 3 / 7 / 7 / 13 days (30 in all: mediation normally concludes within a month),
configurable per town in ``TownDisputeSettings``. The clock runs from the moment the case
reached the tier.
"""

from __future__ import annotations

import datetime

from .states import DEFAULT_TIER_DAYS

# Parties may jointly apply for judicial confirmation within 30 days of the agreement taking
# effect (人民调解法 第三十三条).
JUDICIAL_CONFIRMATION_DAYS = 30


def tier_days(*, town_id: int, state: str) -> int | None:
    """Days allowed at ``state`` in the town, or None for a state that is not a tier."""
    if state not in DEFAULT_TIER_DAYS:
        return None
    from .models import TownDisputeSettings

    row = TownDisputeSettings.objects.filter(town_id=town_id).first()
    if row is None:
        return DEFAULT_TIER_DAYS[state]
    return getattr(row, f"{state}_days")


def tier_due_at(*, town_id: int, state: str, started_at: datetime.datetime
                ) -> datetime.datetime | None:
    days = tier_days(town_id=town_id, state=state)
    return None if days is None else started_at + datetime.timedelta(days=days)


def judicial_confirmation_until(signed_on: datetime.date | None) -> datetime.date | None:
    """The last day on which the parties may jointly apply for judicial confirmation."""
    if signed_on is None:
        return None
    return signed_on + datetime.timedelta(days=JUDICIAL_CONFIRMATION_DAYS)

"""Each legal-aid deadline, computed here and nowhere else (法律援助法 第四十三条).

- The decision: the legal-aid agency (the county centre) examines an application and
  decides whether to grant aid within 7 days of receiving it, i.e. of the town's transfer.
- The assignment: once aid is granted, a provider is assigned within 3 days of the decision.
"""

from __future__ import annotations

import datetime

DECISION_DAYS = 7
ASSIGNMENT_DAYS = 3


def decision_due(*, transferred_on: datetime.date) -> datetime.date:
    """The last day for the county centre's decision on a matter transferred that day."""
    return transferred_on + datetime.timedelta(days=DECISION_DAYS)


def assignment_due(*, granted_on: datetime.date) -> datetime.date:
    """The last day for assigning a provider to a matter granted that day."""
    return granted_on + datetime.timedelta(days=ASSIGNMENT_DAYS)

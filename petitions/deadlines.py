"""The petition time limits of the 2022 信访工作条例, computed here and nowhere else.

- accept or decline, with a written notice, within 15 days of receipt (第三十一条);
- reply within 60 days of acceptance; extendable once by at most 30 days (第三十五条);
- an authority that finds a petition assigned to it is not its business objects within 5
  working days (第三十一条), counted on China's official calendar (``core.workdays``);
- the petitioner may request a review (复查) within 30 days of the written reply, answered
  within 30 days; likewise a re-review (复核) of the review (第三十五、三十六条).

Days are calendar days; a due date is the last day on which the act is in time.
"""

from __future__ import annotations

import datetime

ACCEPT_DAYS = 15
REPLY_DAYS = 60
MAX_EXTENSION_DAYS = 30
REVIEW_REQUEST_DAYS = 30
REVIEW_ANSWER_DAYS = 30
OBJECTION_WORKING_DAYS = 5


def _plus(day: datetime.date | None, days: int) -> datetime.date | None:
    return None if day is None else day + datetime.timedelta(days=days)


def accept_due(received_on: datetime.date) -> datetime.date:
    return _plus(received_on, ACCEPT_DAYS)


def reply_due(accepted_on: datetime.date | None, extension_days: int = 0
              ) -> datetime.date | None:
    return _plus(accepted_on, REPLY_DAYS + extension_days)


def review_request_until(answered_on: datetime.date | None) -> datetime.date | None:
    """The last day to request a review (or re-review) of an answer given on ``answered_on``."""
    return _plus(answered_on, REVIEW_REQUEST_DAYS)


def review_answer_due(requested_on: datetime.date) -> datetime.date:
    return _plus(requested_on, REVIEW_ANSWER_DAYS)


def objection_due(received_on: datetime.date) -> datetime.date:
    """The last day to object to a misrouted, assigned petition: 5 working days."""
    from core.workdays import add_working_days

    return add_working_days(received_on, OBJECTION_WORKING_DAYS)

"""The petition time limits of the 2022 信访工作条例, computed here and nowhere else.

- accept or decline, with a written notice, within 15 days of receipt; an organ that finds a
  matter transferred or assigned to it is not its business objects within 5 working days
  (第二十三条), counted on China's official calendar (``core.workdays``);
- a claim (申诉求决类, 第三十一条第六项) is concluded within 60 days of acceptance; when
  complicated, the organ's responsible person may extend it once by at most 30 days
  (第三十四条). Suggestions (第二十九条) and accusations (第三十条) follow their own handling
  and run no such limit;
- the petitioner may request a review (复查) within 30 days of *receiving* the written reply,
  answered within 30 days (第三十五条); likewise a re-review (复核) of the review, whose hearing
  days do not count toward its 30 days (第三十六条).

Days are calendar days; a due date is the last day on which the act is in time.
"""

from __future__ import annotations

import datetime

from .states import PetitionKind

ACCEPT_DAYS = 15
REPLY_DAYS = 60
MAX_EXTENSION_DAYS = 30
REVIEW_REQUEST_DAYS = 30
REVIEW_ANSWER_DAYS = 30
OBJECTION_WORKING_DAYS = 5


def _plus(day: datetime.date | None, days: int) -> datetime.date | None:
    return None if day is None else day + datetime.timedelta(days=days)


def accept_due(received_on: datetime.date) -> datetime.date:
    """15 days from receipt (第二十三条)."""
    return _plus(received_on, ACCEPT_DAYS)


def reply_due(accepted_on: datetime.date | None, extension_days: int = 0, *,
              kind: str = PetitionKind.CLAIM) -> datetime.date | None:
    """60 days from acceptance, plus an approved extension, for a claim (第三十四条); None for
    a suggestion or an accusation, which run no such limit."""
    if kind != PetitionKind.CLAIM:
        return None
    return _plus(accepted_on, REPLY_DAYS + extension_days)


def extension_allowed_on(due: datetime.date | None, day: datetime.date) -> bool:
    """An extension moves a limit still running: never once the due date has passed
    (第三十四条 extends the limit; it does not revive one already missed)."""
    return due is not None and day <= due


def review_request_until(received_on: datetime.date | None) -> datetime.date | None:
    """The last day to request a review (or re-review) of a written answer received on
    ``received_on`` (第三十五、三十六条); None while the answer has not been delivered."""
    return _plus(received_on, REVIEW_REQUEST_DAYS)


def review_answer_due(requested_on: datetime.date, hearing_days: int = 0) -> datetime.date:
    """30 days from the request; a re-review's hearing days are not counted (第三十六条)."""
    return _plus(requested_on, REVIEW_ANSWER_DAYS + hearing_days)


def objection_due(received_on: datetime.date) -> datetime.date:
    """The last day to object to a misrouted, assigned petition: 5 working days
    (第二十三条)."""
    from core.workdays import add_working_days

    return add_working_days(received_on, OBJECTION_WORKING_DAYS)

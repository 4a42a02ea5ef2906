"""Historical petitions brought in from a town's own register (信访登记簿), replied or closed.

Only concluded matters are taken over: a petition still being handled is registered in the
system, where its limits run. The workflow is not replayed; the petition lands as the register
left it, with one ``imported`` history row naming where it came from.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.services import parse_number
from grid.scope import scope_for_user
from grid.services import town_sequence_next, town_sequence_reserve

from .. import deadlines
from ..models import CloseReason, Petition, Petitioner, PetitionEvent, PetitionState, ReplyResult
from .handling import assign_query_code
from .intake import PETITION_FIELDS, _validate_petitioners, petition_number


# No savepoint of its own: an import writes many petitions in one transaction, all or none.
@transaction.atomic(savepoint=False)
def petition_import_historical(
    *,
    by,
    small_grid,
    petitioners: list[dict],
    source_note: str,
    replied_on: datetime.date,
    number: str = "",
    closed_on: datetime.date | None = None,
    reply_decision: str = "",
    reply_result: str = "",
    satisfied: bool | None = None,
    **fields,
) -> Petition:
    """Create a petition from a register row: replied on ``replied_on``, closed on
    ``closed_on`` when given. A replied petition whose 30-day window for a review request has
    passed (信访工作条例 第三十五条) lands closed on the window's last day, as it would have.

    ``number`` is kept when given (its year and serial parsed from 〔year〕N号), otherwise
    assigned. Raises ``PermissionDenied`` unless ``by`` covers the whole town,
    ``ValidationError`` on bad input or a number already used; nothing is saved then.
    """
    town = small_grid.large_grid.town
    if not scope_for_user(by).covers_town(town.pk):
        raise PermissionDenied(_("您不能向该镇导入信访事项。"))
    unknown = set(fields) - set(PETITION_FIELDS)
    if unknown:
        raise ValidationError({name: _("未知字段。") for name in unknown})
    received_on = fields.get("received_on")
    today = timezone.localdate()
    if received_on is None:
        raise ValidationError({"received_on": _("请填写收到日期。")})
    if received_on > today:
        raise ValidationError({"received_on": _("收到日期不能晚于今天。")})
    if replied_on is None or replied_on < received_on:
        raise ValidationError({"replied_on": _("答复日期不能早于收到日期。")})
    if closed_on is not None and closed_on < replied_on:
        raise ValidationError({"closed_on": _("办结日期不能早于答复日期。")})
    if reply_result and reply_result not in ReplyResult.values:
        raise ValidationError({"reply_result": _("请选择处理结果。")})
    window_ends = deadlines.review_request_until(replied_on)
    if closed_on is None and window_ends < today:
        closed_on, reason = window_ends, CloseReason.REVIEW_WINDOW_PASSED
    else:
        reason = CloseReason.SATISFIED if satisfied else CloseReason.REVIEW_WINDOW_PASSED
    state = PetitionState.CLOSED if closed_on else PetitionState.REPLIED
    petition = Petition(town=town, small_grid=small_grid, created_by=by, state=state,
                        accepted_on=received_on, replied_on=replied_on, closed_on=closed_on,
                        close_reason=reason if closed_on else "", satisfied=satisfied,
                        reply_decision=reply_decision, reply_result=reply_result, **fields)
    rows = _validate_petitioners(petitioners, petition.people_count, petition.form)
    petition.full_clean(exclude=["year", "serial", "number", "created_by", "state", "town",
                                 "small_grid"])
    parsed = parse_number(number)
    if parsed is not None:
        petition.year, petition.serial = parsed
        town_sequence_reserve(town=town, kind="petition", year=petition.year,
                              at_least=petition.serial)
    else:
        petition.year = received_on.year
        petition.serial = town_sequence_next(town=town, kind="petition", year=petition.year)
    petition.number = (number or "").strip() or petition_number(
        town=town, year=petition.year, serial=petition.serial)
    if Petition.objects.filter(number=petition.number).exists() or Petition.objects.filter(
            town=town, year=petition.year, serial=petition.serial).exists():
        raise ValidationError({"number": _("编号“%(number)s”已被使用。") % {"number": petition.number}})
    petition.accept_due = deadlines.accept_due(received_on)
    assign_query_code(petition)  # an accepted matter has its code (信访工作条例 第二十一条)
    petition.reply_due = deadlines.reply_due(received_on)
    petition.save()
    for row in rows:
        row.petition = petition
    Petitioner.objects.bulk_create(rows)
    PetitionEvent.objects.create(petition=petition, actor=by, action=PetitionEvent.Action.IMPORTED,
                                 from_state="", to_state=petition.state, note=source_note)
    return petition

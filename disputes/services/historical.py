"""Historical cases brought in from a town's own ledger (矛盾纠纷摸排台账), in their final state.

The case lands as the ledger left it: resolved at a tier (or closed, when the ledger gives the
day it was concluded), referred, withdrawn, or still open at a tier, with one ``imported``
history row naming where it came from. The ladder's transitions are not replayed: the ledger
records outcomes, not the steps between them.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.querycode import unique_query_code
from grid.scope import scope_for_user
from grid.services import town_sequence_next, town_sequence_reserve

from .. import deadlines
from ..models import TIERS, Dispute, DisputeEvent, DisputeState, Party
from ..states import TerminationReason
from .intake import DISPUTE_FIELDS, _validate_parties, dispute_number
from .routing import handler_for

# The final states a ledger row may land in.
HISTORICAL_STATES = (*TIERS, DisputeState.RESOLVED, DisputeState.CLOSED, DisputeState.REFERRED,
                     DisputeState.TERMINATED, DisputeState.WITHDRAWN)
# 黄寨人调〔2019〕12号, also with [] or () or 【】 around the year.
NUMBER_RE = re.compile(r"[〔\[（(【](\d{4})[〕\]）)】]\s*0*(\d+)\s*号?")


def parse_number(number: str) -> tuple[int, int] | None:
    """``(year, serial)`` of a number written like 黄寨人调〔2019〕12号, or None."""
    match = NUMBER_RE.search(number or "")
    return (int(match.group(1)), int(match.group(2))) if match else None


def _moment(day: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    if day is None or isinstance(day, datetime.datetime):
        return day
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


# No savepoint of its own: an import writes thousands of cases in one transaction, all or none.
@transaction.atomic(savepoint=False)
def dispute_import_historical(
    *,
    by,
    small_grid,
    state: str,
    parties: list[dict],
    source_note: str,
    number: str = "",
    tier: str = DisputeState.GRID_MEMBER,
    ended_on: datetime.date | None = None,
    outcome: str = "",
    referred_to: str = "",
    handler=None,
    **fields,
) -> Dispute:
    """Create a case from a ledger row in its final ``state``.

    ``tier`` is the line of defence it was resolved, referred or is open at; ``ended_on`` the
    day it was resolved, referred or withdrawn (a resolved case with that day lands closed).
    ``number`` is kept when given (its year and serial parsed from 〔year〕N号, else the next
    serial of the year); otherwise a number is assigned. ``source_note`` (file, sheet, row)
    goes into the ``imported`` history row.

    Raises ``PermissionDenied`` unless ``by`` covers the whole town, ``ValidationError`` on bad
    input or a number already used; nothing is saved then.
    """
    town = small_grid.large_grid.town
    if not scope_for_user(by).covers_town(town.pk):
        raise PermissionDenied(_("您不能向该镇导入纠纷。"))
    unknown = set(fields) - set(DISPUTE_FIELDS)
    if unknown:
        raise ValidationError({name: _("未知字段。") for name in unknown})
    if state not in HISTORICAL_STATES:
        raise ValidationError({"state": _("导入的案件状态无效。")})
    if tier not in TIERS:
        raise ValidationError({"tier": _("化解层级无效。")})
    found_at = _moment(fields.get("found_at"))
    if found_at is None:
        raise ValidationError({"found_at": _("请填写发现日期。")})
    if found_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"found_at": _("发现时间不能晚于现在。")})
    fields["found_at"] = found_at
    ended_at = _moment(ended_on)
    if ended_at is not None and ended_at < found_at:
        raise ValidationError({"ended_on": _("办结日期不能早于发现日期。")})
    party_rows = _validate_parties(parties)

    ended_at = ended_at or found_at
    if state in TIERS:
        final = tier
    elif state == DisputeState.RESOLVED and ended_on is not None:
        final = DisputeState.CLOSED
    else:
        final = state
    dispute = Dispute(town=town, small_grid=small_grid, created_by=by, state=final,
                      outcome=outcome, **fields)
    # The town, grid and handler are the caller's rows already: not looked up again per case.
    dispute.full_clean(exclude=["year", "serial", "number", "created_by", "state", "town",
                                "small_grid", "handler", "reporter"])
    number = (number or "").strip()
    parsed = parse_number(number)
    if parsed is not None:
        dispute.year, dispute.serial = parsed
        town_sequence_reserve(town=town, kind="dispute", year=dispute.year, at_least=dispute.serial)
    else:
        dispute.year = timezone.localtime(found_at).year
        dispute.serial = town_sequence_next(town=town, kind="dispute", year=dispute.year)
    dispute.number = number or dispute_number(town=town, year=dispute.year, serial=dispute.serial)
    if Dispute.objects.filter(number=dispute.number).exists() or Dispute.objects.filter(
            town=town, year=dispute.year, serial=dispute.serial).exists():
        raise ValidationError({"number": _("编号“%(number)s”已被使用。") % {"number": dispute.number}})

    if final in TIERS:
        dispute.tier_started_at = found_at
        dispute.tier_due_at = deadlines.tier_due_at(town_id=town.pk, state=final,
                                                    started_at=found_at)
    elif final in (DisputeState.RESOLVED, DisputeState.CLOSED):
        dispute.resolved_tier = tier
        dispute.resolved_at = ended_at
        if final == DisputeState.CLOSED:
            dispute.closed_at = ended_at
    elif final == DisputeState.REFERRED:
        dispute.referred_to = referred_to
        dispute.referred_from_tier = tier
        dispute.referred_at = ended_at
    elif final == DisputeState.TERMINATED:
        # A register says "调解不成" or "终止" without the statute's reason: a failed mediation
        # (人民调解法 第二十六条) unless it names a party's refusal (第十七条).
        dispute.termination_reason = (TerminationReason.PARTY_REFUSED if "拒" in (outcome or "")
                                      else TerminationReason.MEDIATION_FAILED)
        dispute.terminated_at = ended_at
        dispute.ended_reason = outcome
    else:
        dispute.ended_reason = outcome
    dispute.handler = handler
    if dispute.handler is None and dispute.state in TIERS:
        dispute.handler = handler_for(dispute=dispute, state=dispute.state)
    dispute.query_code = unique_query_code()
    dispute.save()
    for party in party_rows:
        party.dispute = dispute
    Party.objects.bulk_create(party_rows)
    DisputeEvent.objects.create(dispute=dispute, actor=by, action=DisputeEvent.Action.IMPORTED,
                                from_state="", to_state=dispute.state, handler=dispute.handler,
                                note=source_note)
    return dispute

"""Logging a new dispute (intake)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from casework.models import note_fields
from casework.querycode import unique_query_code
from core.stored_text import stored
from grid.selectors import staff_for_user
from grid.services import town_sequence_next
from inbox.notifications import notify

from .. import deadlines, permissions
from ..models import Dispute, DisputeEvent, DisputeState, Party
from .records import dispute_attachment_add
from .routing import handler_for

DISPUTE_FIELDS = (
    "title", "description", "category", "source", "found_at", "occurred_at", "people_involved",
    "amount_at_stake", "risk_level", "risk_civil_to_criminal", "risk_group_incident",
    "risk_skip_level_petition", "risk_extreme_behaviour", "legal_aid", "respondent_consent",
    "sender_case_number",
)
PARTY_FIELDS = ("name", "role", "gender", "ethnicity", "age", "occupation", "address", "phone",
                "id_number", "priority_group", "priority_reason")


def dispute_number(*, town, year: int, serial: int) -> str:
    """The number people read and write, e.g. 黄寨人调〔2026〕42号."""
    return f"{town.short_name}人调〔{year}〕{serial}号"


def _validate_parties(parties: list[dict]) -> list[Party]:
    if not parties:
        raise ValidationError({"parties": _("至少登记一名当事人。")})
    rows, errors = [], {}
    for index, data in enumerate(parties):
        party = Party(**{k: v for k, v in data.items() if k in PARTY_FIELDS and v is not None})
        # The rows are saved with bulk_create, which skips Party.save() and its upper-casing.
        party.id_number = (party.id_number or "").upper()
        try:
            party.full_clean(exclude=["dispute"])
        except ValidationError as exc:
            # Flat keys ("parties[0].phone"), like "agreement.terms": Django's ValidationError
            # does not nest a dict of errors inside a dict.
            for field, messages in exc.message_dict.items():
                errors[f"parties[{index}].{field}"] = messages
        rows.append(party)
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def dispute_create(*, by, small_grid, parties: list[dict], attachments=(), reporter=None,
                   **fields) -> Dispute:
    """Log a dispute at the first tier (grid member) of ``small_grid``.

    Raises ``PermissionDenied`` when the small grid is outside the user's scope and
    ``ValidationError`` (with field errors) on bad input; nothing is saved then.
    """
    if not permissions.can_create_in_small_grid(by, small_grid):
        raise PermissionDenied(_("您不能在该网格登记纠纷。"))
    unknown = set(fields) - set(DISPUTE_FIELDS)
    if unknown:
        raise ValidationError({name: _("未知字段。") for name in unknown})
    town = small_grid.large_grid.town
    found_at = fields.get("found_at") or timezone.now()
    fields["found_at"] = found_at
    dispute = Dispute(town=town, small_grid=small_grid, created_by=by,
                      state=DisputeState.GRID_MEMBER, **fields)
    if reporter is None:
        reporter = staff_for_user(user=by)
    dispute.reporter = reporter
    party_rows = _validate_parties(parties)
    # Priority service (弱势群体、贫困户、应援对象): the case stands first in queues.
    dispute.priority = any(p.priority_group for p in party_rows)
    if found_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"found_at": _("发现时间不能晚于现在。")})
    if dispute.occurred_at and dispute.occurred_at > found_at:
        raise ValidationError({"occurred_at": _("发生时间不能晚于发现时间。")})
    dispute.full_clean(exclude=["year", "serial", "number", "created_by", "state"])

    year = timezone.localtime(found_at).year
    dispute.year = year
    dispute.serial = town_sequence_next(town=town, kind="dispute", year=year)
    dispute.number = dispute_number(town=town, year=year, serial=dispute.serial)
    # The grid member who logs the case handles it first; otherwise the small grid's.
    if reporter is not None and DisputeState.GRID_MEMBER in permissions.tiers_held(by, dispute):
        dispute.handler = reporter
    else:
        dispute.handler = handler_for(dispute=dispute, state=DisputeState.GRID_MEMBER)
    now = timezone.now()
    dispute.tier_started_at = now
    dispute.tier_due_at = deadlines.tier_due_at(town_id=town.pk, state=dispute.state,
                                                started_at=now)
    dispute.mediation_due = deadlines.mediation_due(
        town_id=town.pk, accepted_on=timezone.localtime(found_at).date())
    dispute.query_code = unique_query_code()  # printed on the parties' notices
    dispute.save()
    for party in party_rows:
        party.dispute = dispute
    Party.objects.bulk_create(party_rows)
    DisputeEvent.objects.create(dispute=dispute, actor=by, action=DisputeEvent.Action.CREATE, from_state="",
                                to_state=dispute.state, handler=dispute.handler,
                                **note_fields(stored(pgettext_lazy("history", "登记纠纷"))))
    for upload in attachments:
        dispute_attachment_add(dispute=dispute, by=by, upload=upload)
    if dispute.handler and dispute.handler.user_id and dispute.handler.user_id != by.pk:
        notify(recipients=[dispute.handler.user],
               title=stored(gettext_noop("新纠纷待您调解：%(number)s"), number=dispute.number),
               body=dispute.title, url=dispute.get_absolute_url(), kind="handover")
    return dispute

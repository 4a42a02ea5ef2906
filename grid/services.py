"""Writes to the organisation. Each validates fully and runs in one transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ROLE_SCOPE_FIELD, OrganisationSnapshot, Role, RoleAssignment, Staff, Town
from .scope import forget_scope


@transaction.atomic
def role_assign(
    *,
    staff: Staff,
    role: str,
    scope_object,
    starts_on: datetime.date | None = None,
    is_five_elders: bool = False,
    elder_kind: str = "",
    note: str = "",
) -> RoleAssignment:
    """Give ``staff`` the ``role`` over ``scope_object`` (the kind the role needs).

    Returns the assignment already in force when the same one exists, so that calling it twice
    changes nothing. Raises ``ValidationError`` when the object does not fit the role.
    """
    field = ROLE_SCOPE_FIELD[Role(role)]
    existing = (RoleAssignment.objects.active(starts_on).filter(
        staff=staff, role=role, **{field: scope_object}).first())
    if existing is not None:
        if (existing.is_five_elders, existing.elder_kind) != (is_five_elders, elder_kind):
            existing.is_five_elders, existing.elder_kind = is_five_elders, elder_kind
            existing.full_clean()
            existing.save(update_fields=["is_five_elders", "elder_kind"])
        return existing
    assignment = RoleAssignment(
        staff=staff,
        role=role,
        starts_on=starts_on or timezone.localdate(),
        is_five_elders=is_five_elders,
        elder_kind=elder_kind,
        note=note,
        **{field: scope_object},
    )
    assignment.full_clean()
    assignment.save()
    if staff.user_id:
        forget_scope(staff.user)
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, ends_on: datetime.date | None = None) -> RoleAssignment:
    """End an assignment; it stays in the history. Raises ``ValidationError`` on a bad date."""
    ends_on = ends_on or timezone.localdate()
    if ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("终止日期不能早于起始日期。")})
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    if assignment.staff.user_id:
        forget_scope(assignment.staff.user)
    return assignment


@transaction.atomic
def organisation_snapshot_take(*, town: Town, on: datetime.date | None = None
                               ) -> OrganisationSnapshot:
    """Store the town's summary figures for the day; running it again updates that day's row."""
    from .selectors import town_summary

    on = on or timezone.localdate()
    snapshot, _created = OrganisationSnapshot.objects.update_or_create(
        town=town, taken_on=on, defaults={"figures": town_summary(town=town)})
    return snapshot


def town_sequence_next(*, town: Town, kind: str, year: int) -> int:
    """The next number of ``kind`` in ``town`` for ``year``: gap-free and safe under concurrency
    (the counter row is locked until the caller's transaction ends)."""
    from .models import TownSequence

    with transaction.atomic():
        TownSequence.objects.get_or_create(town=town, kind=kind, year=year)
        seq = TownSequence.objects.select_for_update().get(town=town, kind=kind, year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
        return seq.last

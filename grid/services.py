"""Writes to the organisation. Each validates fully and runs in one transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ROLE_SCOPE_FIELD,
    Household,
    LargeGrid,
    MediationCommittee,
    OrganisationSnapshot,
    Role,
    RoleAssignment,
    SmallGrid,
    Staff,
    Town,
)
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
def role_end_restore(*, assignment: RoleAssignment, ends_on: datetime.date | None
                     ) -> RoleAssignment:
    """Put back the end date an assignment had (``None``: open-ended), when the change that
    ended it is taken back (a roster import undone)."""
    if ends_on is not None and ends_on < assignment.starts_on:
        raise ValidationError({"ends_on": _("终止日期不能早于起始日期。")})
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    if assignment.staff.user_id:
        forget_scope(assignment.staff.user)
    return assignment


@transaction.atomic
def role_void(*, assignment: RoleAssignment, reason: str) -> RoleAssignment:
    """An assignment entered in error: never in force from now on, in no figure and no scope,
    and kept with the reason (nothing here is deleted)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"void_reason": _("作废必须填写原因。")})
    assignment.voided_at = timezone.now()
    assignment.void_reason = reason[:200]
    assignment.save(update_fields=["voided_at", "void_reason"])
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
    (the counter row is locked until the caller's transaction ends).

    No savepoint of its own: an import numbers thousands of cases in one transaction, and
    PostgreSQL slows down every query of a transaction once it holds more than 64
    subtransactions."""
    from .models import TownSequence

    with transaction.atomic(savepoint=False):
        TownSequence.objects.get_or_create(town=town, kind=kind, year=year)
        seq = TownSequence.objects.select_for_update().get(town=town, kind=kind, year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
        return seq.last


def town_sequence_reserve(*, town: Town, kind: str, year: int, at_least: int) -> int:
    """Make sure the next number of ``kind`` in ``town`` for ``year`` comes after ``at_least``
    (a number taken over from an older register). Returns the counter's value; no savepoint,
    as ``town_sequence_next``."""
    from .models import TownSequence

    with transaction.atomic(savepoint=False):
        TownSequence.objects.get_or_create(town=town, kind=kind, year=year)
        seq = TownSequence.objects.select_for_update().get(town=town, kind=kind, year=year)
        if seq.last < at_least:
            seq.last = at_least
            seq.save(update_fields=["last"])
        return seq.last


# --- Setting a town up from its own registers (the roster import) ---------------------------
# Each returns the existing row when there is one, so that running the same register twice
# changes nothing.

@transaction.atomic
def large_grid_ensure(*, town: Town, number: int, name: str, kind: str = "") -> LargeGrid:
    """The town's large grid ``number``, created with ``name`` when missing."""
    grid = LargeGrid.objects.filter(town=town, number=number).first()
    if grid is not None:
        return grid
    grid = LargeGrid(town=town, number=number, name=name,
                     kind=kind or LargeGrid.Kind.VILLAGE)
    grid.full_clean()
    grid.save()
    return grid


@transaction.atomic
def small_grid_ensure(*, large_grid: LargeGrid, number: int, name: str,
                      description: str = "") -> SmallGrid:
    """Small grid ``number`` of ``large_grid``, created with ``name`` when missing."""
    grid = SmallGrid.objects.filter(large_grid=large_grid, number=number).first()
    if grid is not None:
        return grid
    grid = SmallGrid(large_grid=large_grid, number=number, name=name, description=description)
    grid.full_clean()
    grid.save()
    return grid


@transaction.atomic
def committee_ensure(*, town: Town, large_grid: LargeGrid | None = None,
                     name: str = "") -> MediationCommittee:
    """The village committee of ``large_grid``, or the town committee without one
    (《人民调解法》第八条: committees are set up in villages and towns)."""
    if large_grid is not None:
        committee = MediationCommittee.objects.filter(large_grid=large_grid).first()
        level = MediationCommittee.Level.VILLAGE
        default_name = _("%(name)s人民调解委员会") % {"name": large_grid.name}
    else:
        committee = MediationCommittee.objects.filter(
            town=town, level=MediationCommittee.Level.TOWN).first()
        level = MediationCommittee.Level.TOWN
        default_name = _("%(name)s人民调解委员会") % {"name": town.name}
    if committee is not None:
        return committee
    committee = MediationCommittee(town=town, level=level, large_grid=large_grid,
                                   name=name or default_name)
    committee.full_clean()
    committee.save()
    return committee


@transaction.atomic
def household_ensure(*, small_grid: SmallGrid, head_name: str, address: str = "") -> Household:
    """The small grid's household of that head (户主), created when missing: the household a
    cadre covers under 包户."""
    household = Household.objects.filter(small_grid=small_grid, head_name=head_name).first()
    if household is not None:
        return household
    household = Household(small_grid=small_grid, head_name=head_name, address=address)
    household.full_clean()
    household.save()
    return household


@transaction.atomic
def staff_ensure(*, town: Town, name: str, phone: str = "", gender: str = "",
                 title: str = "") -> Staff:
    """The town's person of that name (and phone, when given), created when missing."""
    people = Staff.objects.filter(town=town, name=name)
    if phone:
        people = people.filter(phone__in=[phone, ""])
    person = people.order_by("-phone", "id").first()
    if person is not None:
        given = {"phone": phone, "gender": gender, "title": title}
        changed = [f for f, v in given.items() if v and not getattr(person, f)]
        for field in changed:
            setattr(person, field, given[field])
        if changed:
            person.save(update_fields=changed)
        return person
    person = Staff(town=town, name=name, phone=phone, gender=gender, title=title)
    person.full_clean()
    person.save()
    return person

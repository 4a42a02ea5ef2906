"""Organisation rosters: large and small grids, staff with their roles and dates, committees
with their chairs and mediators, and the 三包 (the Party committee member over an area and
the section-level leader over a village, each a large grid; the cadre over a household of a
small grid), read from one row per person and post (a row without a person sets up only its
grids).

Checking reads nothing but the town's grids; the commit goes through ``grid.services``
(``large_grid_ensure``, ``small_grid_ensure``, ``committee_ensure``, ``household_ensure``,
``staff_ensure``, ``role_assign``, ``role_end``), each of which returns what is already there, so a roster
imported twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.validators import MOBILE_RE
from grid.models import (
    ROLE_SCOPE_FIELD,
    FiveElderKind,
    Household,
    LargeGrid,
    MediationCommittee,
    Role,
    RoleAssignment,
    SmallGrid,
    Staff,
)

from . import values
from .ledger import _pick
from .reader import cell_text, normalise

# The words rosters use for each post, the more specific first.
ROLE_WORDS = [
    ("调委会主任", Role.COMMITTEE_CHAIR), ("调解委员会主任", Role.COMMITTEE_CHAIR),
    ("五老", Role.MEDIATOR), ("调解员", Role.MEDIATOR), ("调解委员", Role.MEDIATOR),
    ("网格长", Role.GRID_LEADER), ("信息员", Role.INFORMANT), ("网格员", Role.GRID_MEMBER),
    ("包片", Role.PARTY_COMMITTEE_MEMBER), ("党委委员", Role.PARTY_COMMITTEE_MEMBER),
    ("包村", Role.SECTION_LEADER), ("科级", Role.SECTION_LEADER),
    ("包户", Role.CADRE), ("镇村干部", Role.CADRE),
    ("综治办", Role.GOVERNANCE_OFFICE), ("综治", Role.GOVERNANCE_OFFICE),
    ("司法所", Role.JUDICIAL_OFFICE), ("信访", Role.PETITION_OFFICE),
    ("派出所", Role.POLICE_LIAISON), ("民警", Role.POLICE_LIAISON),
    ("镇领导", Role.TOWN_LEADERSHIP), ("镇长", Role.TOWN_LEADERSHIP),
    ("书记", Role.TOWN_LEADERSHIP),
]
SUPPORTED_SCOPES = {"town", "large_grid", "small_grid", "committee", "household"}


def parse_role(value) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    for role in Role:
        if text in (str(role.label), role.value):
            break
    else:
        role = next((r for word, r in ROLE_WORDS if word in text), None)
    if role is None or ROLE_SCOPE_FIELD[role] not in SUPPORTED_SCOPES:
        raise ValueError(_("无法导入的角色“%(value)s”（网格长、网格员、信息员、调委会主任、调解员、"
                           "综治办、司法所、信访办、派出所联络员、镇领导、包片领导、包村领导、包户干部）")
                         % {"value": text})
    return role.value


def parse_elder_kind(value) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    for kind in FiveElderKind:
        if str(kind.label) in text or str(kind.label)[1:] in text:
            return kind.value
    raise ValueError(_("无法识别的“五老”类别“%(value)s”") % {"value": text})


@dataclass
class RosterRow:
    row_number: int
    original: tuple
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    present: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class RosterIndex:
    """The town's grids by name, and the numbers new ones will get, planned while checking."""

    def __init__(self, town):
        self.town = town
        self.large = {normalise(g.name): g.number for g in LargeGrid.objects.filter(town=town)}
        self.small = {(normalise(g.large_grid.name), normalise(g.name)): g.number
                      for g in SmallGrid.objects.filter(large_grid__town=town)
                      .select_related("large_grid")}
        self.people = {(p.name, p.phone) for p in Staff.objects.filter(town=town)}

    def large_number(self, name: str, number) -> int:
        key = normalise(name)
        if key not in self.large:
            taken = set(self.large.values())
            self.large[key] = number if number and number not in taken else max(taken, default=0) + 1
        return self.large[key]

    def small_number(self, large_name: str, name: str, number) -> int:
        key = (normalise(large_name), normalise(name))
        if key not in self.small:
            taken = {n for (lg, _s), n in self.small.items() if lg == key[0]}
            self.small[key] = number if number and number not in taken else max(taken, default=0) + 1
        return self.small[key]


def read_row(index: RosterIndex, mapping: list[str], row_number: int, row: tuple) -> RosterRow:
    result = RosterRow(row_number=row_number, original=row)
    cells = _pick(mapping, row)
    errors = result.errors

    attempt = values.attempting(errors)

    large_name = cell_text(cells.get("large_grid"))
    small_name = cell_text(cells.get("small_grid"))
    name = cell_text(cells.get("name"))
    role = attempt(parse_role, cells.get("role"))
    starts_on = attempt(values.parse_date, cells.get("starts_on"))
    ends_on = attempt(values.parse_date, cells.get("ends_on"))
    elder_kind = attempt(parse_elder_kind, cells.get("elder_kind"))
    large_no = attempt(values.parse_int, cells.get("large_grid_number"))
    small_no = attempt(values.parse_int, cells.get("small_grid_number"))
    phone = cell_text(cells.get("phone"))
    if phone and not MOBILE_RE.match(phone) and not phone.replace("-", "").isdigit():
        errors.append(_("联系电话“%(value)s”格式不正确") % {"value": phone})
    gender = {"男": Staff.Gender.MALE, "女": Staff.Gender.FEMALE}.get(
        cell_text(cells.get("gender")), "")
    if small_name and not large_name:
        errors.append(_("小网格必须写明所属大网格（村）"))
    if name and not role:
        errors.append(_("请填写角色"))
    if role and not name:
        errors.append(_("请填写姓名"))
    scope = ROLE_SCOPE_FIELD[Role(role)] if role else None
    if scope == "large_grid" and not large_name:
        errors.append(_("该角色必须写明大网格（村）"))
    if scope == "small_grid" and not small_name:
        errors.append(_("该角色必须写明小网格"))
    household = cell_text(cells.get("household"))
    if scope == "household" and not (small_name and household):
        errors.append(_("包户干部必须写明小网格和所包户的户主"))
    if elder_kind and role != Role.MEDIATOR:
        errors.append(_("只有调解员可以标记为“五老”调解员"))
    if starts_on and ends_on and ends_on < starts_on:
        errors.append(_("终止日期不能早于起始日期"))
    if not (large_name or name):
        errors.append(_("请填写大网格或姓名"))
    if errors:
        return result
    committee_text = cell_text(cells.get("committee"))
    town_committee = (role in (Role.COMMITTEE_CHAIR, Role.MEDIATOR)
                      and (not large_name or "镇" in committee_text))
    kind_text = cell_text(cells.get("large_grid_kind"))
    result.data = {
        "large_grid": {"name": large_name, "number": index.large_number(large_name, large_no),
                       "kind": LargeGrid.Kind.COMMUNITY if "社区" in (kind_text + large_name)
                       else LargeGrid.Kind.VILLAGE} if large_name else None,
        "small_grid": {"name": small_name,
                       "number": index.small_number(large_name, small_name, small_no),
                       "description": cell_text(cells.get("small_grid_description"))}
        if small_name else None,
        "person": {"name": name, "phone": phone, "gender": gender,
                   "title": cell_text(cells.get("title"))} if name else None,
        "household": household if scope == "household" else "",
        "role": role, "town_committee": town_committee, "committee_name": committee_text,
        "is_five_elders": bool(elder_kind) or "五老" in cell_text(cells.get("role")),
        "elder_kind": elder_kind or "", "starts_on": starts_on or datetime.date(2000, 1, 1)
        if ends_on else starts_on, "ends_on": ends_on,
    }
    if result.data["is_five_elders"] and not result.data["elder_kind"]:
        result.data["is_five_elders"] = False
    return result


def commit_row(town, row: RosterRow) -> dict:
    """Write one checked row through the grid services. Returns what it added (ids of the
    grids, committee, person and post it created, and ``ended``: [post, its former end date]
    for an end date it wrote): empty when the row was all there already."""
    from grid import services

    data, made = row.data, {}
    large = small = None
    if data["large_grid"]:
        large = LargeGrid.objects.filter(town=town, number=data["large_grid"]["number"]).first()
        if large is None:
            large = services.large_grid_ensure(town=town, **data["large_grid"])
            made["large_grid"] = large.pk
    if data["small_grid"]:
        small = SmallGrid.objects.filter(large_grid=large,
                                         number=data["small_grid"]["number"]).first()
        if small is None:
            small = services.small_grid_ensure(large_grid=large, **data["small_grid"])
            made["small_grid"] = small.pk
    if not data["person"]:
        return made
    before = set(Staff.objects.filter(town=town).values_list("pk", flat=True))
    person = services.staff_ensure(town=town, **data["person"])
    if person.pk not in before:
        made["staff"] = person.pk
    role = Role(data["role"])
    scope_field = ROLE_SCOPE_FIELD[role]
    if scope_field == "committee":
        committee_large = None if data["town_committee"] else large
        exists = MediationCommittee.objects.filter(
            **({"large_grid": committee_large} if committee_large
               else {"town": town, "level": MediationCommittee.Level.TOWN})).exists()
        scope_object = services.committee_ensure(
            town=town, large_grid=committee_large,
            name=data["committee_name"] if data["committee_name"] else "")
        if not exists:
            made["committee"] = scope_object.pk
    elif scope_field == "household":
        exists = Household.objects.filter(small_grid=small, head_name=data["household"]).exists()
        scope_object = services.household_ensure(small_grid=small, head_name=data["household"])
        if not exists:
            made["household"] = scope_object.pk
    else:
        scope_object = {"town": town, "large_grid": large, "small_grid": small}[scope_field]
    known = set(person.assignments.values_list("pk", flat=True))
    assignment = services.role_assign(
        staff=person, role=role, scope_object=scope_object, starts_on=data["starts_on"],
        is_five_elders=data["is_five_elders"], elder_kind=data["elder_kind"])
    if assignment.pk not in known:
        made["assignment"] = assignment.pk
    if data["ends_on"] and assignment.ends_on != data["ends_on"]:
        if "assignment" not in made:
            made["ended"] = [assignment.pk,
                             assignment.ends_on.isoformat() if assignment.ends_on else None]
        services.role_end(assignment=assignment, ends_on=data["ends_on"])
    return made


# What a roster import creates, by the key ``commit_row`` records it under.
CREATED_MODELS = {"large_grid": LargeGrid, "small_grid": SmallGrid,
                  "committee": MediationCommittee, "household": Household, "staff": Staff,
                  "assignment": RoleAssignment}


def _references(model, ids: set[int]):
    """Every (model, field, queryset) of rows that point at the given rows of ``model``."""
    for rel in model._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one
                                                      or rel.many_to_many):
            yield rel.related_model, rel.related_model._default_manager.filter(
                **{f"{rel.field.name}__in": ids})


def used_since(batch) -> list[str]:
    """What stops the roster import from being undone: anything it created that something
    else points at now (a case, a report, a post it did not create, a login), or a person
    holding one of its posts who has logged in since."""
    created: dict = {key: set() for key in CREATED_MODELS}
    for made in batch.rows.values_list("created", flat=True):
        for key in CREATED_MODELS:
            if made.get(key):
                created[key].add(made[key])
    own = {CREATED_MODELS[key]: ids for key, ids in created.items()}
    found = []
    for key, ids in created.items():
        if not ids:
            continue
        for related, qs in _references(CREATED_MODELS[key], ids):
            mine = own.get(related)
            if mine is not None:
                qs = qs.exclude(pk__in=mine)
            if qs.exists():
                found.append(str(related._meta.verbose_name))
    if Staff.objects.filter(pk__in=created["staff"], user__isnull=False).exists():
        found.append(str(_("登录账号")))
    if RoleAssignment.objects.filter(pk__in=created["assignment"],
                                     staff__user__last_login__gt=batch.committed_at).exists():
        found.append(str(_("导入后登录过的任职人员")))
    return sorted(set(found))


def undo(batch, *, note: str) -> None:
    """Take a roster import back: its posts voided, the end dates it wrote put back. Raises
    ``ValidationError`` while anything it created has been used since (``used_since``)."""
    from django.core.exceptions import ValidationError

    from grid import services

    used = used_since(batch)
    if used:
        raise ValidationError(_("导入的组织架构已被使用（%(what)s），不能整体撤销。")
                              % {"what": "、".join(used)})
    for made in batch.rows.order_by("-row_number").values_list("created", flat=True):
        if made.get("assignment"):
            services.role_void(assignment=RoleAssignment.objects.get(pk=made["assignment"]),
                               reason=note)
        if made.get("ended"):
            pk, ends_on = made["ended"]
            services.role_end_restore(
                assignment=RoleAssignment.objects.get(pk=pk),
                ends_on=datetime.date.fromisoformat(ends_on) if ends_on else None)

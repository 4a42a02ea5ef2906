"""Registering a petition, with its proxy appointment and the computed flags."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

from casework.models import note_fields
from casework.workflow import record_event
from core.stored_text import choice_label, joined, stored
from grid.models import Role, Staff
from grid.scope import scope_for_user
from grid.selectors import role_holder
from grid.services import town_sequence_next
from inbox.notifications import notify

from .. import deadlines, permissions
from ..models import (
    DEFAULT_SKIP_LEVELS,
    GROUP_SIZE,
    CountyPetitionSettings,
    HigherLevelVisit,
    Petition,
    Petitioner,
    PetitionEvent,
    PetitionForm,
    ProxyAppointment,
)
from ..states import MAX_REPRESENTATIVES

PETITION_FIELDS = ("form", "kind", "subject", "content", "received_on", "people_count",
                   "in_litigation", "administrative_matter", "assigned_by_higher",
                   "national_number")
PERSON_FIELDS = ("name", "gender", "ethnicity", "age", "occupation", "address", "phone",
                 "id_number", "is_representative")


def petition_number(*, town, year: int, serial: int) -> str:
    """e.g. 黄寨信〔2026〕7号."""
    return f"{town.short_name}信〔{year}〕{serial}号"


def _validate_petitioners(rows: list[dict], people_count: int, form: str) -> list[Petitioner]:
    """The petitioners as rows to save. Several people who come in person (走访) on a common
    matter name representatives, at most five (信访工作条例 第二十条); a letter, a call, a fax
    or an online petition signed by more is accepted as it is."""
    if not rows:
        raise ValidationError({"petitioners": _("至少登记一名信访人。")})
    petitioners, errors = [], {}
    for index, data in enumerate(rows):
        person = Petitioner(**{k: v for k, v in data.items() if k in PERSON_FIELDS
                               and v is not None})
        # The rows are saved with bulk_create, which skips PersonDetails.save() and its
        # upper-casing of the check character X.
        person.id_number = (person.id_number or "").upper()
        try:
            person.full_clean(exclude=["petition"])
        except ValidationError as exc:
            # Flat keys ("petitioners[0].phone"), as for dispute parties: Django's
            # ValidationError does not nest a dict of errors inside a dict.
            for field, messages in exc.message_dict.items():
                errors[f"petitioners[{index}].{field}"] = messages
        petitioners.append(person)
    if errors:
        raise ValidationError(errors)
    if people_count >= GROUP_SIZE and form == PetitionForm.VISIT:
        representatives = [p for p in petitioners if p.is_representative]
        if len(representatives) > MAX_REPRESENTATIVES:
            raise ValidationError({"petitioners": _(
                "多人采用走访形式提出共同的信访事项的，应当推选代表，代表人数不超过5人；"
                "本次登记了 %(n)s 名代表。") % {"n": len(representatives)}})
        if not representatives:
            raise ValidationError({"petitioners": _("集体访须推选代表（不超过5人），请标记代表。")})
    if len(petitioners) > people_count:
        raise ValidationError({"people_count": _("信访人数不能少于登记的信访人数。")})
    return petitioners


def find_earlier_petition(*, town, petitioners: list[Petitioner], subject: str,
                          exclude_pk=None) -> Petition | None:
    """The earlier petition by the same person on the same matter (重复访): same resident ID,
    or same name and phone, with a subject that shares its first words."""
    person_q = Q()
    for p in petitioners:
        if p.id_number:
            person_q |= Q(petitioners__id_number=p.id_number)
        if p.phone:
            person_q |= Q(petitioners__name=p.name, petitioners__phone=p.phone)
    if not person_q:
        return None
    key = subject.strip()[:6]
    qs = Petition.objects.filter(town=town).counted().filter(person_q)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if key:
        qs = qs.filter(Q(subject__icontains=key) | Q(content__icontains=key))
    return qs.order_by("-received_on", "-id").first()


def default_proxy(small_grid) -> Staff | None:
    """The small grid's grid member: the proxy agent unless someone else is named."""
    return role_holder(role=Role.GRID_MEMBER, small_grid_id=small_grid.pk)


@transaction.atomic
def petition_create(*, by, small_grid, petitioners: list[dict], proxy_agent=None,
                    source_dispute=None, **fields) -> Petition:
    """Register a petition and appoint its proxy agent (代办员).

    Raises ``PermissionDenied`` outside the user's scope and ``ValidationError`` on bad input
    (including more than 5 representatives of a group petition); nothing is saved then.
    """
    if not scope_for_user(by).covers_small_grid(small_grid.pk):
        raise PermissionDenied(_("您不能在该网格登记信访事项。"))
    unknown = set(fields) - set(PETITION_FIELDS)
    if unknown:
        raise ValidationError({name: _("未知字段。") for name in unknown})
    town = small_grid.large_grid.town
    petition = Petition(town=town, small_grid=small_grid, created_by=by,
                        source_dispute=source_dispute, **fields)
    petition.received_on = petition.received_on or timezone.localdate()
    if petition.received_on > timezone.localdate():
        raise ValidationError({"received_on": _("收到日期不能晚于今天。")})
    rows = _validate_petitioners(petitioners, petition.people_count, petition.form)
    petition.full_clean(exclude=["year", "serial", "number", "created_by", "state"])
    petition.year = petition.received_on.year
    petition.serial = town_sequence_next(town=town, kind="petition", year=petition.year)
    petition.number = petition_number(town=town, year=petition.year, serial=petition.serial)
    petition.accept_due = deadlines.accept_due(petition.received_on)
    if petition.assigned_by_higher:
        petition.objection_due = deadlines.objection_due(petition.received_on)
    petition.proxy_agent = proxy_agent or default_proxy(small_grid)
    petition.handler = petition.proxy_agent
    petition.repeat_of = find_earlier_petition(town=town, petitioners=rows,
                                               subject=petition.subject)
    petition.save()
    for row in rows:
        row.petition = petition
    Petitioner.objects.bulk_create(rows)
    if petition.proxy_agent:
        ProxyAppointment.objects.create(petition=petition, agent=petition.proxy_agent,
                                        appointed_by=by)
    note = stored(pgettext_lazy("history", "登记信访事项"))
    if petition.repeat_of:
        note = joined(note, stored(gettext_noop("（重复访，前次：%(number)s）"),
                                   number=petition.repeat_of.number))
    PetitionEvent.objects.create(petition=petition, actor=by, action=PetitionEvent.Action.CREATE,
                                 to_state=petition.state, handler=petition.handler,
                                 **note_fields(note))
    handler = petition.handler
    if handler and handler.user_id and handler.user_id != by.pk:
        notify(recipients=[handler.user],
               title=stored(gettext_noop("新信访事项由您代办：%(number)s"), number=petition.number),
               body=petition.subject, url=petition.get_absolute_url(), kind="handover")
    from ..signals import petition_registered

    transaction.on_commit(lambda: petition_registered.send(sender=Petition, petition=petition))
    return petition


@transaction.atomic
def petition_record_higher_visit(*, petition, by, level: str, visited_on: datetime.date,
                                 note: str = "") -> HigherLevelVisit:
    """Record that the petitioner took the matter above the town. To a level the county
    counts as skip-level (``skip_levels_for``: city, province, national by default) while it
    was open here, the petition becomes skip-level (越级访) and supervision is told
    (``petition_went_above``); to the county, the town's lawful next level (信访工作条例
    第二十条), it is recorded as a repeat to a higher level during handling (第十九条)."""
    if not permissions.can_record(petition, by):
        raise PermissionDenied(_("您无权登记越级上访情况。"))
    if level not in HigherLevelVisit.Level.values:
        raise ValidationError({"level": _("请选择层级。")})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("日期不能晚于今天。")})
    skip_level = level in skip_levels_for(county_id=petition.town.county_id)
    visit = HigherLevelVisit.objects.create(petition=petition, level=level,
                                            visited_on=visited_on, note=note, recorded_by=by,
                                            skip_level=skip_level)
    kind = stored(gettext_noop("越级访") if skip_level else gettext_noop("向上级机关重复信访"))
    record_event(petition, by=by, action=PetitionEvent.Action.HIGHER_VISIT,
                 note=joined(choice_label(visit, "level"), visited_on, kind, note, sep=" "))
    if not skip_level:
        return visit
    from ..signals import petition_went_above

    transaction.on_commit(lambda: petition_went_above.send(
        sender=type(petition), petition=petition, visit=visit))
    return visit


def skip_levels_for(*, county_id: int) -> set[str]:
    """The levels the county counts as skip-level (its ``CountyPetitionSettings``, else the
    default: city, province, national)."""
    settings = CountyPetitionSettings.objects.filter(county_id=county_id).first()
    levels = settings.skip_levels if settings else DEFAULT_SKIP_LEVELS
    return {str(level) for level in levels}


@transaction.atomic
def county_skip_levels_set(*, county, levels, by) -> CountyPetitionSettings:
    """Set which levels above the county's towns count as skip-level (越级访). Only an
    administrator or a county user of that county may; visits recorded earlier keep how
    they were counted."""
    scope = scope_for_user(by)
    if not (scope.is_global or scope.holds(Role.COUNTY_USER, county.pk)):
        raise PermissionDenied(_("只有本县县级用户可以修改越级访层级设置。"))
    levels = [str(level) for level in levels or []]
    unknown = set(levels) - set(HigherLevelVisit.Level.values)
    if unknown:
        raise ValidationError({"skip_levels": _("未知层级：%(levels)s") % {
            "levels": "、".join(sorted(unknown))}})
    settings, _created = CountyPetitionSettings.objects.update_or_create(
        county=county, defaults={"skip_levels": levels})
    return settings

"""Writes of legal aid, consultations and publicity. Views, admin and the demo call these.

Every transition of a matter runs through ``casework.workflow.run_transition`` (lock, state
check, permission, history row in the same transaction, notification of the new handler)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import TransitionNotAllowed

from casework.workflow import StaleState, record_event, require_text, run_transition
from core.priority import PriorityGroup
from core.stored_text import joined, stored
from disputes.permissions import can_act_on_case
from grid.models import ServiceUnit
from grid.selectors import staff_for_user
from grid.services import town_sequence_next

from . import deadlines, permissions
from .models import Consultation, LegalAidEvent, LegalAidMatter, PublicityEvent
from .rules import hardship_refusal
from .states import Exemption, HardshipCheck, ProviderKind, TerminationGround

APPLICANT_FIELDS = ("name", "gender", "ethnicity", "age", "occupation", "address", "phone",
                    "id_number")
MATTER_FIELDS = ("applicant_group", "priority_reason", "matter_kind", "matter", "applied_on")


def legal_aid_number(*, town, year: int, serial: int) -> str:
    """E.g. 黄寨法援〔2026〕3号."""
    return f"{town.short_name}法援〔{year}〕{serial}号"


@transaction.atomic
def legal_aid_matter_create(*, by, small_grid, dispute=None, petition=None,
                            unit: ServiceUnit | None = None, **fields) -> LegalAidMatter:
    """Register a legal-aid application in the applicant's town, linked to the dispute or
    petition it arose from. Raises ``PermissionDenied`` for someone who may not register
    here and ``ValidationError`` on bad input."""
    town = small_grid.large_grid.town
    unknown = set(fields) - set(APPLICANT_FIELDS) - set(MATTER_FIELDS)
    if unknown:
        raise ValidationError({name: _("未知字段。") for name in unknown})
    allowed = permissions.can_register(by, town_id=town.pk,
                                       unit_ids=[unit.pk] if unit else ())
    if dispute is not None:
        allowed = allowed or can_act_on_case(dispute, by)
    if not allowed:
        raise PermissionDenied(_("您不能在该镇登记法律援助申请。"))
    for linked in (dispute, petition, unit):
        if linked is not None and linked.town_id != town.pk:
            raise ValidationError(_("关联的案件或承办单位须属本镇。"))
    if fields.get("applicant_group") and not (fields.get("priority_reason") or "").strip():
        raise ValidationError({"priority_reason": _("请填写优先服务的原因。")})
    applied_on = fields.get("applied_on") or timezone.localdate()
    if applied_on > timezone.localdate():
        raise ValidationError({"applied_on": _("申请日期不能晚于今天。")})
    matter = LegalAidMatter(town=town, small_grid=small_grid, dispute=dispute, petition=petition,
                            unit=unit, created_by=by, handler=staff_for_user(user=by), **fields)
    matter.id_number = (matter.id_number or "").upper()
    # Assistance recipients are exempt from the check (第四十二条第二项): said at once.
    if matter.applicant_group == PriorityGroup.ASSISTANCE_RECIPIENT:
        matter.hardship, matter.exemption = HardshipCheck.EXEMPT, Exemption.ASSISTANCE
    matter.full_clean(exclude=["year", "serial", "number", "created_by", "state"])
    matter.year = applied_on.year
    matter.serial = town_sequence_next(town=town, kind="legal_aid", year=matter.year)
    matter.number = legal_aid_number(town=town, year=matter.year, serial=matter.serial)
    matter.save()
    LegalAidEvent.objects.create(matter=matter, actor=by, action=LegalAidEvent.Action.CREATE,
                                 from_state="", to_state=matter.state, handler=matter.handler,
                                 note=matter.matter[:500])
    return matter


def legal_aid_check_hardship(*, matter: LegalAidMatter, by, hardship: str, exemption: str = "",
                             note: str = "") -> LegalAidMatter:
    """Record the hardship check (第四十一条) or the exemption (第三十二条、第四十二条)."""
    if hardship not in HardshipCheck.values or hardship == HardshipCheck.PENDING:
        raise ValidationError({"hardship": _("请选择核查结果。")})
    if hardship == HardshipCheck.EXEMPT and exemption not in Exemption.values:
        raise ValidationError({"exemption": _("请选择免予核查的依据。")})
    with transaction.atomic():
        locked = LegalAidMatter.objects.select_for_update().get(pk=matter.pk)
        if locked.state != matter.state:
            raise StaleState()
        if not permissions.can_check_hardship(locked, by):
            if locked.state != "applied":
                raise TransitionNotAllowed(_("只有待转交的申请可以核查经济困难状况。"))
            raise PermissionDenied(_("您无权执行此操作。"))
        locked.hardship = hardship
        locked.exemption = exemption if hardship == HardshipCheck.EXEMPT else ""
        locked.hardship_note = note.strip()[:300]
        locked.save(update_fields=["hardship", "exemption", "hardship_note", "updated_at"])
        label = stored(HardshipCheck(hardship).label)
        if locked.exemption:
            label = stored(gettext_noop("%(check)s：%(exemption)s"), check=label,
                           exemption=Exemption(locked.exemption).label)
        record_event(locked, by=by, action=LegalAidEvent.Action.CHECK_HARDSHIP,
                     note=joined(label, locked.hardship_note, sep=" "))
    matter.refresh_from_db()
    return locked


def legal_aid_transfer(*, matter: LegalAidMatter, by, note: str = "") -> LegalAidMatter:
    """Pass the application to the county legal-aid centre, which decides within 7 days
    (第四十三条): only once hardship is checked or an exemption named."""
    refusal = hardship_refusal(hardship=matter.hardship, exemption=matter.exemption)
    if refusal:
        raise TransitionNotAllowed(refusal)

    def refresh(m):
        m.decision_due = deadlines.decision_due(transferred_on=m.transferred_on)

    return run_transition(instance=matter, by=by, name="transfer",
                          note=note or stored(gettext_noop("转交县法律援助中心审查")), refresh=refresh)


def _decided_on(matter, decided_on: datetime.date) -> None:
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("决定日期不能晚于今天。")})
    if matter.transferred_on and decided_on < matter.transferred_on:
        raise ValidationError({"decided_on": _("决定日期不能早于转交日期。")})


def legal_aid_grant(*, matter: LegalAidMatter, by, decided_on: datetime.date,
                    decision_number: str = "", note: str = "") -> LegalAidMatter:
    """The county centre granted aid; a provider is due within 3 days (第四十三条)."""
    _decided_on(matter, decided_on)

    def prepare(m):
        m.decided_on, m.decision_number = decided_on, decision_number.strip()

    def refresh(m):
        m.assignment_due = deadlines.assignment_due(granted_on=m.decided_on)

    return run_transition(instance=matter, by=by, name="grant", prepare=prepare,
                          refresh=refresh,
                          note=f"{decision_number} {note}".strip()
                          or stored(gettext_noop("准予法律援助")))


def legal_aid_refuse(*, matter: LegalAidMatter, by, decided_on: datetime.date, reason: str
                     ) -> LegalAidMatter:
    """The county centre refused aid; the applicant is told in writing with the reasons
    (第四十三条) and may object to the justice bureau (第四十九条)."""
    reason = require_text(reason, "reason", _("请填写不予法律援助的理由。"))
    _decided_on(matter, decided_on)

    def prepare(m):
        m.decided_on, m.refusal_reason = decided_on, reason

    return run_transition(instance=matter, by=by, name="refuse", prepare=prepare, note=reason)


def legal_aid_assign(*, matter: LegalAidMatter, by, provider_kind: str,
                     unit: ServiceUnit | None = None, provider_name: str = "",
                     note: str = "") -> LegalAidMatter:
    """Assign the provider: the town's legal-service office (whose staff then see and
    conclude the matter) or a named lawyer."""
    if provider_kind == ProviderKind.LEGAL_SERVICE_OFFICE:
        if (unit is None or unit.town_id != matter.town_id
                or unit.kind != ServiceUnit.Kind.LEGAL_SERVICE_OFFICE):
            raise ValidationError({"unit": _("请选择本镇的法律服务所。")})
        name = provider_name.strip() or unit.name
    elif provider_kind == ProviderKind.LAWYER:
        name = require_text(provider_name, "provider_name", _("请填写承办律师姓名及律师事务所。"))
    else:
        raise ValidationError({"provider_kind": _("请选择承办人类型。")})

    def prepare(m):
        m.provider_kind, m.provider_name = provider_kind, name
        if unit is not None:
            m.unit = unit

    return run_transition(instance=matter, by=by, name="assign", prepare=prepare,
                          note=f"{name} {note}".strip())


def legal_aid_conclude(*, matter: LegalAidMatter, by, outcome: str) -> LegalAidMatter:
    outcome = require_text(outcome, "outcome", _("请填写办理结果。"))

    def prepare(m):
        m.outcome = outcome

    return run_transition(instance=matter, by=by, name="conclude", prepare=prepare, note=outcome)


def legal_aid_terminate(*, matter: LegalAidMatter, by, ground: str, note: str
                        ) -> LegalAidMatter:
    """End the aid for one of the grounds of 第四十八条."""
    if ground not in TerminationGround.values:
        raise ValidationError({"ground": _("请选择终止法律援助的原因。")})
    note = require_text(note, "note", _("请填写情况说明。"))

    def prepare(m):
        m.termination_ground, m.ended_reason = ground, note

    return run_transition(instance=matter, by=by, name="terminate", prepare=prepare,
                          note=stored(gettext_noop("%(reason)s：%(note)s"),
                                      reason=TerminationGround(ground).label, note=note))


def legal_aid_void(*, matter: LegalAidMatter, by, reason: str) -> LegalAidMatter:
    reason = require_text(reason, "reason", _("请填写作废原因。"))

    def prepare(m):
        m.ended_reason = reason

    return run_transition(instance=matter, by=by, name="void", prepare=prepare, note=reason)


# --- Consultations and publicity -------------------------------------------------------------

def _check_place(*, by, town, large_grid, unit):
    if large_grid is not None and large_grid.town_id != town.pk:
        raise ValidationError({"large_grid": _("请选择本镇的村（社区）。")})
    if unit is not None and unit.town_id != town.pk:
        raise ValidationError({"unit": _("请选择本镇的服务单位。")})
    if not permissions.can_record_in_town(by, town_id=town.pk,
                                          large_grid_id=getattr(large_grid, "pk", None),
                                          unit_id=getattr(unit, "pk", None)):
        raise PermissionDenied(_("您不能在该村（社区）或单位登记。"))


@transaction.atomic
def consultation_record(*, by, town, large_grid=None, unit=None, consulted_on=None,
                        asker: str, asker_group: str = "", topic: str, question: str,
                        advice: str, advised_by, referred_onward: bool = False,
                        referred_to: str = "") -> Consultation:
    """Record a legal consultation; one referred onward names where to."""
    _check_place(by=by, town=town, large_grid=large_grid, unit=unit)
    if advised_by is None or advised_by.town_id != town.pk:
        raise ValidationError({"advised_by": _("解答人须为本镇工作人员。")})
    if referred_onward and not referred_to.strip():
        raise ValidationError({"referred_to": _("请填写转介去向。")})
    row = Consultation(town=town, large_grid=large_grid, unit=unit,
                       consulted_on=consulted_on or timezone.localdate(), asker=asker,
                       asker_group=asker_group, topic=topic, question=question, advice=advice,
                       advised_by=advised_by, referred_onward=referred_onward,
                       referred_to=referred_to.strip() if referred_onward else "",
                       created_by=by)
    if row.consulted_on > timezone.localdate():
        raise ValidationError({"consulted_on": _("咨询日期不能晚于今天。")})
    row.full_clean(exclude=["created_by"])
    row.save()
    return row


@transaction.atomic
def publicity_record(*, by, town, large_grid=None, unit=None, held_on=None, place: str,
                     topic: str, audience: int, staff) -> PublicityEvent:
    """Record a legal publicity event with the staff who held it (of the town)."""
    _check_place(by=by, town=town, large_grid=large_grid, unit=unit)
    staff = list(staff)
    if not staff or any(s.town_id != town.pk for s in staff):
        raise ValidationError({"staff": _("请选择本镇参与的工作人员。")})
    row = PublicityEvent(town=town, large_grid=large_grid, unit=unit,
                         held_on=held_on or timezone.localdate(), place=place, topic=topic,
                         audience=audience, created_by=by)
    if row.held_on > timezone.localdate():
        raise ValidationError({"held_on": _("活动日期不能晚于今天。")})
    row.full_clean(exclude=["created_by"])
    row.save()
    row.staff.set(staff)
    return row

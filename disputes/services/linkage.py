"""The work beside the ladder that does not move the case's state: handing a case to the
legal-service office or the five-elders studio, priority service for a party, and referrals
that come back (the receiving unit's receipt and result; the result of an entrusted or
handed-over case reported back to its sender). Each locks the case, checks its permission
function and writes its history row in the same transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import TransitionNotAllowed

from casework.workflow import record_event, require_text
from core.priority import PriorityGroup
from core.stored_text import joined, stored
from grid.models import Role, ServiceUnit
from grid.selectors import holder_users, role_holders
from inbox.notifications import notify

from .. import deadlines, permissions
from ..models import Dispute, DisputeEvent, DisputeReferral, Party
from ..states import INCOMING_SOURCES, DisputeState, ReferralTarget
from .lawful import _locked

ENDED_STATES = (DisputeState.RESOLVED, DisputeState.CLOSED, DisputeState.TERMINATED,
                DisputeState.REFERRED, DisputeState.WITHDRAWN)


def dispute_assign_unit(*, dispute: Dispute, by, unit: ServiceUnit | None, note: str = ""
                        ) -> Dispute:
    """Hand the case to a service unit of its town (or take it back with ``unit=None``); the
    unit's staff then see it and mediate it. Its staff are told in the inbox."""
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_assign_unit(d, by))
        if unit is not None and unit.town_id != locked.town_id:
            raise ValidationError({"unit": _("请选择本镇的服务单位。")})
        locked.unit = unit
        locked.save(update_fields=["unit", "updated_at"])
        label = unit.name if unit else stored(gettext_noop("收回，不再由服务单位办理"))
        record_event(locked, by=by, action=DisputeEvent.Action.ASSIGN_UNIT,
                     note=joined(label, note.strip(), sep=" "))
        if unit is not None:
            staff = role_holders(role=Role.UNIT_STAFF, unit_id=unit.pk)
            notify(recipients=list(holder_users(staff)),
                   title=stored(gettext_noop("纠纷交由%(unit)s办理：%(number)s"),
                                unit=unit.name, number=locked.number),
                   body=note[:500], url=locked.get_absolute_url())
    dispute.refresh_from_db()
    return locked


def dispute_mark_priority(*, dispute: Dispute, by, party: Party, group: str, reason: str
                          ) -> Party:
    """Mark a party as one served first (弱势群体、贫困户、应援对象), with the reason; an empty
    ``group`` takes the mark off. The case's ``priority`` follows its parties."""
    if group and group not in PriorityGroup.values:
        raise ValidationError({"group": _("请选择优先服务类别。")})
    if group:
        reason = require_text(reason, "reason", _("请填写优先服务的原因。"))
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_mark_priority(d, by),
                         open_only=False)
        if party.dispute_id != locked.pk:
            raise ValidationError({"party": _("请选择本案当事人。")})
        party.priority_group, party.priority_reason = group, (reason or "").strip() if group else ""
        party.save(update_fields=["priority_group", "priority_reason"])
        locked.priority = locked.parties.exclude(priority_group="").exists()
        locked.save(update_fields=["priority", "updated_at"])
        # The reason stays on the party (shown to those who may see personal data): the
        # history, read by everyone on the case, names only the group.
        record_event(locked, by=by, action=DisputeEvent.Action.MARK_PRIORITY,
                     note=stored(PriorityGroup(group).label) if group
                     else stored(gettext_noop("取消优先服务标记")))
    dispute.refresh_from_db()
    return party


def referral_open(*, dispute: Dispute, by, target: str, receiving_unit: str = ""
                  ) -> DisputeReferral:
    """The referral's record, written by ``dispute_refer`` in its transaction: the liaison of
    the receiving unit where the organisation has one is named and told; the receipt and the
    result are due by the target's deadlines."""
    now = timezone.now()
    role = permissions.REFERRAL_LIAISON_ROLES.get(target)
    holders = list(role_holders(role=role, town_id=dispute.town_id)) if role else []
    liaison = holders[0].staff if holders else None
    referral = DisputeReferral.objects.create(
        dispute=dispute, target=target, receiving_unit=receiving_unit.strip()
        or str(ReferralTarget(target).label), liaison=liaison, referred_at=now, referred_by=by,
        receipt_due=deadlines.referral_receipt_due(target=target, referred_at=now),
        result_due=deadlines.referral_result_due(target=target, referred_at=now))
    if liaison is not None and liaison.user_id:
        notify(recipients=[liaison.user],
               title=stored(gettext_noop("移交案件待签收：%(number)s"), number=dispute.number),
               body=stored(gettext_noop("请于 %(due)s 前签收，%(result)s 前反馈办理结果。"),
                           due=referral.receipt_due,
                           result=timezone.localtime(referral.result_due).date()),
               url=dispute.get_absolute_url())
    return referral


def _pending_referral(locked: Dispute, *, receipt: bool) -> DisputeReferral:
    qs = DisputeReferral.objects.select_for_update().filter(dispute=locked)
    referral = (qs.awaiting_receipt() if receipt else qs.awaiting_result()).order_by(
        "referred_at", "id").first()
    if referral is None:
        raise TransitionNotAllowed(_("没有待签收的移交。") if receipt
                                   else _("没有待反馈结果的移交。"))
    return referral


def dispute_acknowledge_referral(*, dispute: Dispute, by, note: str = "") -> DisputeReferral:
    """The receiving unit acknowledges the case's open referral (签收)."""
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_track_referral(d, by),
                         open_only=False, states=[DisputeState.REFERRED])
        referral = _pending_referral(locked, receipt=True)
        referral.acknowledged_at = timezone.now()
        referral.acknowledged_by = by
        referral.receipt_note = note.strip()[:300]
        referral.save(update_fields=["acknowledged_at", "acknowledged_by", "receipt_note"])
        record_event(locked, by=by, action=DisputeEvent.Action.ACKNOWLEDGE_REFERRAL,
                     note=f"{referral.receiving_unit} {note}".strip())
    dispute.refresh_from_db()
    return referral


def dispute_record_referral_result(*, dispute: Dispute, by, result: str) -> DisputeReferral:
    """The receiving unit's result of the referral; a result without a receipt counts as
    the receipt too."""
    result = require_text(result, "result", _("请填写接收单位的办理结果。"))
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_track_referral(d, by),
                         open_only=False, states=[DisputeState.REFERRED])
        referral = _pending_referral(locked, receipt=False)
        now = timezone.now()
        if referral.acknowledged_at is None:
            referral.acknowledged_at, referral.acknowledged_by = now, by
        referral.result, referral.result_at, referral.result_by = result, now, by
        referral.save(update_fields=["acknowledged_at", "acknowledged_by", "result",
                                     "result_at", "result_by"])
        record_event(locked, by=by, action=DisputeEvent.Action.REFERRAL_RESULT,
                     note=f"{referral.receiving_unit}：{result}"[:1000])
    dispute.refresh_from_db()
    return referral


def dispute_report_back(*, dispute: Dispute, by, note: str) -> Dispute:
    """Report the result of a case entrusted by a court or handed over by the police back to
    the sender (its case number kept in ``sender_case_number``), once the case has ended."""
    note = require_text(note, "note", _("请填写向来文单位反馈的内容。"))
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_report_back(d, by),
                         open_only=False, states=list(ENDED_STATES))
        if locked.source not in INCOMING_SOURCES:
            raise TransitionNotAllowed(_("只有法院委托或公安移交的案件需要反馈结果。"))
        if locked.reported_back_at is not None:
            raise TransitionNotAllowed(_("已向来文单位反馈过结果。"))
        locked.reported_back_at, locked.report_back_note = timezone.now(), note
        locked.save(update_fields=["reported_back_at", "report_back_note", "updated_at"])
        record_event(locked, by=by, action=DisputeEvent.Action.REPORT_BACK,
                     note=f"{locked.sender_case_number} {note}".strip()[:1000])
    dispute.refresh_from_db()
    return locked

"""What people's mediation asks beside the ladder, none of which moves the case's state:
the respondent's consent, the parties' rights notice, a new mediator, the whole-case clock,
reports to the police and judicial confirmation. Each locks the case, checks its permission
function, writes the change and its history row in one transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import TransitionNotAllowed

from casework.workflow import StaleState, record_event, require_text
from core.stored_text import joined, stored
from grid.models import Role
from grid.selectors import holder_users, role_holders, staff_for_user
from inbox.notifications import notify

from .. import permissions
from ..models import (
    Dispute,
    DisputeEvent,
    JudicialConfirmation,
    MediationAgreement,
    PoliceReport,
)
from ..states import ConfirmationResult, DisputeState, RespondentConsent, RightsNoticeMethod
from .routing import eligible_mediators


def _locked(dispute: Dispute, *, allowed, open_only: bool = True, states=None) -> Dispute:
    """The case re-read under lock: 409 if it changed, is no longer open or is not in one of
    ``states``; 403 if ``allowed`` refuses the user (called with the user bound)."""
    locked = Dispute.objects.select_for_update(of=("self",)).select_related(
        "small_grid").get(pk=dispute.pk)
    if locked.state != dispute.state:
        raise StaleState()
    if (open_only and not locked.is_open) or (states is not None and locked.state not in states):
        raise TransitionNotAllowed(_("当前状态为“%(state)s”，不能进行此操作。")
                                   % {"state": locked.get_state_display()})
    if not allowed(locked):
        raise PermissionDenied(_("您无权执行此操作。"))
    return locked


def dispute_record_consent(*, dispute: Dispute, by, consent: str, note: str = "") -> Dispute:
    """Record whether the respondent agreed to mediation (人民调解法 第十七条). A refusal stops
    the ladder: the case is then terminated or referred."""
    if consent not in RespondentConsent.values:
        raise ValidationError({"consent": _("请选择对方当事人的意愿。")})
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_record_consent(d, by))
        locked.respondent_consent = consent
        locked.save(update_fields=["respondent_consent", "updated_at"])
        record_event(locked, by=by, action=DisputeEvent.Action.RECORD_CONSENT,
                     note=joined(RespondentConsent(consent).label, note.strip(), sep=" "))
    dispute.refresh_from_db()
    return locked


def dispute_notify_rights(*, dispute: Dispute, by, notified_on: datetime.date, method: str,
                          note: str = "") -> Dispute:
    """Record how and when the parties were told their rights and duties (若干规定 第三十条);
    a written agreement cannot be recorded before it."""
    if method not in RightsNoticeMethod.values:
        raise ValidationError({"method": _("请选择告知方式。")})
    if notified_on > timezone.localdate():
        raise ValidationError({"notified_on": _("告知日期不能晚于今天。")})
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_notify_rights(d, by))
        if notified_on < timezone.localtime(locked.found_at).date():
            raise ValidationError({"notified_on": _("告知日期不能早于受理日期。")})
        locked.rights_notified_on = notified_on
        locked.rights_notice_method = method
        locked.save(update_fields=["rights_notified_on", "rights_notice_method", "updated_at"])
        label = RightsNoticeMethod(method).label
        record_event(locked, by=by, action=DisputeEvent.Action.NOTIFY_RIGHTS,
                     note=joined(notified_on, label, note.strip(), sep=" "))
    dispute.refresh_from_db()
    return locked


def dispute_reassign(*, dispute: Dispute, by, mediator, note: str) -> Dispute:
    """A party asks for a named mediator or for another one (人民调解法 第十九条、第二十三条):
    at the mediator tier, the chair gives the case to ``mediator``, one of its village or
    town committee's mediators, with a history row; the new handler is notified."""
    note = require_text(note, "note", _("请说明更换调解员的原因（当事人的要求）。"))
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_reassign(d, by),
                         states=[DisputeState.MEDIATOR])
        if mediator is None or not eligible_mediators(dispute=locked).filter(
                pk=mediator.pk).exists():
            raise ValidationError({"mediator": _("所选调解员不是本村或本镇调委会的调解员。")})
        if mediator.pk == locked.handler_id:
            raise ValidationError({"mediator": _("所选调解员已是本案承办人。")})
        previous = locked.handler
        locked.handler = mediator
        locked.save(update_fields=["handler", "updated_at"])
        record_event(locked, by=by, action=DisputeEvent.Action.REASSIGN,
                     note=stored(gettext_noop("%(old)s → %(new)s：%(note)s"),
                                 old=previous or "—", new=mediator, note=note))
        if mediator.user_id and mediator.user_id != by.pk:
            notify(recipients=[mediator.user],
                   title=stored(gettext_noop("纠纷转至您处理：%(number)s"), number=locked.number),
                   body=note[:500], url=locked.get_absolute_url())
    dispute.refresh_from_db()
    return locked


def dispute_extend_mediation(*, dispute: Dispute, by, until: datetime.date,
                             note: str) -> Dispute:
    """The parties agree to continue past ``mediation_due`` (若干规定 第三十三条): the new date
    and the note of their agreement go into the history."""
    note = require_text(note, "note", _("请说明当事人同意延长调解的情况。"))
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_extend_mediation(d, by))
        if until <= max(locked.mediation_due or until, timezone.localdate()):
            raise ValidationError({"until": _("新的调解期限须晚于今天和原期限。")})
        previous = locked.mediation_due
        locked.mediation_due = until
        locked.save(update_fields=["mediation_due", "updated_at"])
        record_event(locked, by=by, action=DisputeEvent.Action.EXTEND_MEDIATION,
                     note=stored(gettext_noop("调解期限 %(old)s → %(new)s：%(note)s"),
                                 old=previous or "—", new=until, note=note))
    dispute.refresh_from_db()
    return locked


def dispute_report_police(*, dispute: Dispute, by, note: str) -> PoliceReport:
    """Report civil-to-criminal risk to the police station and go on mediating (人民调解法
    第二十五条: report and take steps to prevent it). The town's police liaison is notified in
    the inbox and acknowledges it on the case. Referring (``refer`` to the police) stays for
    when the police take the matter over."""
    note = require_text(note, "note", _("请填写报告内容及已采取的预防措施。"))
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_report_police(d, by))
        if not locked.risk_civil_to_criminal:
            raise TransitionNotAllowed(_("只有标记了民转刑风险的纠纷才能报告派出所。"))
        report = PoliceReport.objects.create(dispute=locked, reported_by=by, note=note)
        record_event(locked, by=by, action=DisputeEvent.Action.REPORT_POLICE, note=note[:500])
        liaisons = holder_users(role_holders(role=Role.POLICE_LIAISON, town_id=locked.town_id))
        notify(recipients=list(liaisons),
               title=stored(gettext_noop("民转刑风险报告：%(number)s"), number=locked.number),
               body=note[:500], url=locked.get_absolute_url())
    dispute.refresh_from_db()
    return report


def dispute_acknowledge_police(*, dispute: Dispute, by, note: str = "") -> PoliceReport:
    """The police liaison acknowledges the case's earliest unacknowledged report."""
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_acknowledge_police(d, by),
                         open_only=False)
        report = (PoliceReport.objects.select_for_update().filter(
            dispute=locked, acknowledged_at__isnull=True).order_by("reported_at", "id").first())
        if report is None:
            raise TransitionNotAllowed(_("没有待签收的民转刑风险报告。"))
        report.acknowledged_at = timezone.now()
        report.acknowledged_by = staff_for_user(user=by)
        report.acknowledgement = note.strip()
        report.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
        record_event(locked, by=by, action=DisputeEvent.Action.ACKNOWLEDGE_POLICE,
                     note=note.strip() or stored(gettext_noop("派出所已签收")))
    dispute.refresh_from_db()
    return report


def dispute_record_confirmation(*, dispute: Dispute, by, applied_on: datetime.date, court: str,
                                case_number: str = "", result: str = ConfirmationResult.PENDING,
                                decided_on: datetime.date | None = None
                                ) -> JudicialConfirmation:
    """Record the parties' application for judicial confirmation and the court's ruling
    (民事诉讼法 第二百零五条、第二百零六条). Only for written agreements not about marriage,
    adoption or personal status (法释〔2011〕5号 第四条)."""
    from .. import deadlines

    court = require_text(court, "court", _("请填写受理法院。"))
    if result not in ConfirmationResult.values:
        raise ValidationError({"result": _("请选择司法确认结果。")})
    with transaction.atomic():
        locked = _locked(dispute, allowed=lambda d: permissions.can_record_confirmation(d, by),
                         open_only=False)
        agreement = MediationAgreement.objects.filter(dispute=locked).first()
        if agreement is None or not agreement.confirmable:
            raise TransitionNotAllowed(_(
                "只有不涉及婚姻、收养或身份关系的书面调解协议可以申请司法确认。"))
        errors = {}
        today = timezone.localdate()
        until = deadlines.judicial_confirmation_until(agreement.signed_on)
        if applied_on > today:
            errors["applied_on"] = _("申请日期不能晚于今天。")
        elif applied_on < agreement.signed_on or applied_on > until:
            errors["applied_on"] = _("须在协议生效之日起三十日内（至 %(d)s）申请。") % {"d": until}
        if result != ConfirmationResult.PENDING:
            if decided_on is None:
                errors["decided_on"] = _("请填写裁定日期。")
            elif decided_on < applied_on or decided_on > today:
                errors["decided_on"] = _("裁定日期须在申请日期之后、今天之前。")
            if not case_number.strip():
                errors["case_number"] = _("请填写法院案号（调确字）。")
        if errors:
            raise ValidationError(errors)
        confirmation, _created = JudicialConfirmation.objects.update_or_create(
            agreement=agreement, defaults={
                "applied_on": applied_on, "court": court, "case_number": case_number.strip(),
                "result": result, "decided_on": decided_on if result != "pending" else None,
                "recorded_by": by})
        record_event(locked, by=by, action=DisputeEvent.Action.JUDICIAL_CONFIRMATION,
                     note=joined(court, case_number, ConfirmationResult(result).label,
                                 sep=" "))
    dispute.refresh_from_db()
    return confirmation

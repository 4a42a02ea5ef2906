"""The ladder's transitions as services: lock, check, move, record, notify.

Each service re-reads the case with ``select_for_update``; if its state is no longer the one
the caller saw, it raises ``DisputeConflict`` (two people escalating at once: one wins).
Then: not allowed from this state → ``TransitionNotAllowed`` (409), allowed but not to this
user → ``PermissionDenied`` (403), bad input → ``ValidationError`` (400).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import TransitionNotAllowed

from casework.workflow import StaleState, record_event, require_text, run_transition
from core.stored_text import joined, stored
from grid.selectors import leadership_users, staff_for_user, staff_of_town
from inbox.notifications import notify

from .. import deadlines, permissions, signals
from ..models import (
    TIERS,
    AvertedRisk,
    Dispute,
    DisputeAvertedRisk,
    DisputeEvent,
    DisputeState,
    FollowUpVisit,
    MediationAgreement,
    ReferralTarget,
)
from .linkage import referral_open
from .routing import handler_for, signing_committee

# Message ids, stored in the history (core.stored_text) and read in the reader's language.
ROUTES_NOTICE = gettext_noop("调解不成的，已告知当事人可依法通过仲裁、行政、诉讼等途径解决。")
# 人民调解法 第三十二条: a party may sue over the performance or content of the agreement.
COURT_ROUTE_NOTICE = gettext_noop(
    "已告知当事人：就调解协议的履行或者内容发生争议的，可以向人民法院提起诉讼。")


# The conflict raised when two people act on the same case at once.
DisputeConflict = StaleState


def _run(*, dispute: Dispute, by, name: str, note: str, prepare=None, next_handler=None,
         after=None) -> Dispute:
    """The shared transition runner (casework.workflow) with the dispute's deadline and message."""

    def refresh(d):
        if d.state in TIERS:
            d.tier_due_at = deadlines.tier_due_at(town_id=d.town_id, state=d.state,
                                                  started_at=d.tier_started_at)

    return run_transition(
        instance=dispute, by=by, name=name, note=note, prepare=prepare,
        next_handler=next_handler, after=after, refresh=refresh,
        notify_title=lambda d: stored(gettext_noop("纠纷转至您处理：%(number)s"),
                                      number=d.number))


def _of_town(staff, town_id: int) -> bool:
    return staff_of_town(town_id=town_id).filter(pk=staff.pk).exists()


def _refuse_if_respondent_refused(dispute: Dispute):
    """A case whose respondent refused mediation does not climb (人民调解法 第十七条): 409 with
    what to do instead."""
    if dispute.respondent_refused:
        raise TransitionNotAllowed(_("对方当事人拒绝调解，不能上交上一级；请终止调解或移交有关单位。"))


def dispute_escalate(*, dispute: Dispute, by, note: str, mediator=None) -> Dispute:
    """Tier k → k+1 with a note of what was tried; the next handler comes from the
    organisation (at the mediator tier: ``mediator`` if given, else the least loaded)."""
    note = require_text(note, "note", _("请说明已采取的调解措施。"))
    _refuse_if_respondent_refused(dispute)
    if mediator is not None and dispute.state != DisputeState.GRID_MEMBER:
        raise ValidationError({"mediator": _("只有上交调解员时才能指定调解员。")})
    return _run(dispute=dispute, by=by, name="escalate", note=note,
                next_handler=lambda d: handler_for(dispute=d, state=d.state,
                                                   chosen_mediator=mediator))


def dispute_escalate_urgent(*, dispute: Dispute, by, justification: str) -> Dispute:
    """Any tier → the chair at once (red risk or a risk flag); leadership is notified."""
    justification = require_text(justification, "justification", _("请说明紧急上报的理由。"))
    _refuse_if_respondent_refused(dispute)
    if not permissions.is_urgent_case(dispute):
        raise TransitionNotAllowed(_("只有红色风险或有风险标记的纠纷才能紧急上报。"))

    def after(d):
        notify(recipients=leadership_users(town_id=d.town_id),
               title=stored(gettext_noop("紧急纠纷上报：%(number)s"), number=d.number),
               body=justification[:500], url=d.get_absolute_url(), kind="urgent")
        signals.dispute_escalated_urgent.send(sender=Dispute, dispute=d, by=by,
                                              justification=justification)

    return _run(dispute=dispute, by=by, name="escalate_urgent", note=justification,
                next_handler=lambda d: handler_for(dispute=d, state=d.state), after=after)


AGREEMENT_FIELDS = ("kind", "facts", "points_in_dispute", "terms", "responsibilities",
                    "performance_method", "performance_place", "performance_deadline",
                    "signed_on", "mediator", "concerns_personal_status",
                    "confirmation_requested")


def _validate_agreement(agreement: dict | None, *, written_required: bool) -> dict | None:
    if not agreement or not agreement.get("kind"):
        if written_required:
            raise ValidationError({"agreement": _(
                "协议涉及当事人权利义务或当事人要求的，应当制作书面调解协议。")})
        return None
    data = {k: v for k, v in agreement.items() if k in AGREEMENT_FIELDS}
    errors = {}
    kind = data["kind"]
    if kind not in MediationAgreement.Kind.values:
        errors["agreement.kind"] = _("协议形式无效。")
    if written_required and kind != MediationAgreement.Kind.WRITTEN:
        errors["agreement.kind"] = _("协议涉及当事人权利义务或当事人要求的，应当制作书面调解协议。")
    if not (data.get("terms") or "").strip():
        errors["agreement.terms"] = _("请填写协议内容。")
    if not data.get("signed_on"):
        errors["agreement.signed_on"] = _("请填写签订日期。")
    elif data["signed_on"] > timezone.localdate():
        errors["agreement.signed_on"] = _("签订日期不能晚于今天。")
    if kind == MediationAgreement.Kind.WRITTEN:
        for field, message in [
            ("facts", _("书面协议须写明纠纷主要事实。")),
            ("points_in_dispute", _("书面协议须写明争议事项。")),
            ("performance_method", _("书面协议须写明履行方式。")),
            ("performance_deadline", _("书面协议须写明履行期限。")),
            # 人民调解法 第二十九条（二）; 若干规定 第三十五条.
            ("responsibilities", _("书面协议须写明各方当事人的责任。")),
        ]:
            if not data.get(field):
                errors[f"agreement.{field}"] = message
    if kind == MediationAgreement.Kind.ORAL:
        # A court confirms written agreements only (法释〔2011〕5号 第四条).
        data["confirmation_requested"] = False
    if data.get("concerns_personal_status") and data.get("confirmation_requested"):
        errors["agreement.confirmation_requested"] = _(
            "涉及婚姻、收养或身份关系的协议，人民法院不予司法确认。")
    if errors:
        raise ValidationError(errors)
    return data


def _signer_and_committee(dispute: Dispute, data: dict):
    """The people's mediator who signs and the committee that seals (人民调解法 第十三条、
    第二十九条): the one named, else the case's handler, who must hold a mediator or chair
    role on the case's village committee or the town committee."""
    signer = data.get("mediator") or dispute.handler
    committee = signing_committee(dispute=dispute, staff=signer) if signer else None
    if committee is None:
        raise ValidationError({"agreement.mediator": _(
            "书面调解协议须由本村或本镇人民调解委员会的人民调解员签名：%(name)s 不是调委会的"
            "调解员或主任，请指定签名的调解员。") % {"name": signer or _("（未指定）")}})
    return signer, committee


def dispute_resolve(*, dispute: Dispute, by, outcome: str, agreement: dict | None = None,
                    written_required: bool = False,
                    averted: dict[str, int] | None = None) -> Dispute:
    """Any tier → resolved, with the outcome and the agreement.

    ``written_required``: rights and obligations are settled, or a party asks for a written
    agreement; then a written agreement (人民调解协议书) with all its parts is required.
    ``averted``: the risks the mediation averted (``AvertedRisk``) → the people involved, the
    statistics report's prevention figures; a case resolved again replaces them.
    """
    outcome = require_text(outcome, "outcome", _("请填写调解结果。"))
    averted = averted or {}
    if any(kind not in AvertedRisk.values or not isinstance(people, int) or people < 1
           for kind, people in averted.items()):
        raise ValidationError({"averted": _("防止的风险须注明涉及人数（至少 1 人）。")})
    data = _validate_agreement(agreement, written_required=written_required)
    mediator = (data or {}).get("mediator")
    if mediator is not None and not _of_town(mediator, dispute.town_id):
        raise ValidationError({"agreement.mediator": _("签字的调解员须为本镇工作人员。")})
    if data is not None and data["kind"] == MediationAgreement.Kind.WRITTEN:
        # The parties are told their rights and duties before mediation (若干规定 第三十条).
        if dispute.rights_notified_on is None:
            raise ValidationError({"agreement": _(
                "登记书面调解协议前，须先告知当事人权利义务（若干规定第三十条）。")})
        data["mediator"], data["committee"] = _signer_and_committee(dispute, data)

    def after(d):
        if data is not None:
            # The mediator who signs is the handler who resolved it, unless named.
            data.setdefault("mediator", None)
            data["mediator"] = data["mediator"] or d.handler
            if "committee" not in data and data["mediator"] is not None:
                data["committee"] = signing_committee(dispute=d, staff=data["mediator"])
            agreement, _created = MediationAgreement.objects.update_or_create(dispute=d,
                                                                              defaults=data)
        else:
            agreement = MediationAgreement.objects.filter(dispute=d).first()
        DisputeAvertedRisk.objects.filter(dispute=d).delete()
        DisputeAvertedRisk.objects.bulk_create(
            DisputeAvertedRisk(dispute=d, kind=kind, people=people)
            for kind, people in averted.items())
        signals.dispute_resolved.send(sender=Dispute, dispute=d, by=by, outcome=outcome,
                                      agreement=agreement)

    def prepare(d):
        d.outcome = outcome

    return _run(dispute=dispute, by=by, name="resolve", note=outcome, prepare=prepare,
                after=after)


def dispute_refer(*, dispute: Dispute, by, target: str, note: str, receiving_unit: str = ""
                  ) -> Dispute:
    """The chair refers to a unit; any tier refers to the police on civil-to-criminal risk.
    The parties are told of arbitration, administrative and court routes. The referral's
    record asks the receiving unit for a receipt and a result (``linkage.referral_open``)."""
    note = require_text(note, "note", _("请填写移交说明。"))
    if target not in ReferralTarget.values:
        raise ValidationError({"target": _("请选择移交单位。")})
    refusal = permissions.referral_refusal(dispute, target)
    if refusal:
        raise TransitionNotAllowed(refusal)

    def prepare(d):
        d.referred_to = target

    def after(d):
        referral_open(dispute=d, by=by, target=target, receiving_unit=receiving_unit)
        signals.dispute_referred.send(sender=Dispute, dispute=d, by=by, target=target, note=note)

    return _run(dispute=dispute, by=by, name="refer",
                note=joined(note, stored(ROUTES_NOTICE), sep="\n"),
                prepare=prepare, after=after)


def dispute_followup(*, dispute: Dispute, by, visited_on: datetime.date, agreement_kept: bool,
                     visitor=None, note: str = "") -> FollowUpVisit:
    """Record a follow-up visit (回访) on a resolved case. The visitor is the acting user's
    staff row unless another member of the town's staff is named."""
    if visitor is None:
        visitor = staff_for_user(user=by)
        if visitor is None:
            raise ValidationError({"visitor": _("您的账号未关联工作人员，请指定回访人。")})
    with transaction.atomic():
        locked = Dispute.objects.select_for_update(of=("self",)).select_related(
            "small_grid").get(pk=dispute.pk)
        if locked.state != DisputeState.RESOLVED:
            raise TransitionNotAllowed(_("只有已化解的纠纷才能登记回访。"))
        if not permissions.can_follow_up(locked, by):
            raise PermissionDenied(_("您无权为该案件登记回访。"))
        if visitor is None or not _of_town(visitor, locked.town_id):
            raise ValidationError({"visitor": _("回访人须为本镇工作人员。")})
        if visited_on > timezone.localdate():
            raise ValidationError({"visited_on": _("回访日期不能晚于今天。")})
        if locked.resolved_at and visited_on < timezone.localtime(locked.resolved_at).date():
            raise ValidationError({"visited_on": _("回访日期不能早于化解日期。")})
        visit = FollowUpVisit.objects.create(dispute=locked, visited_on=visited_on,
                                             visitor=visitor, agreement_kept=agreement_kept,
                                             note=note, recorded_by=by)
        locked.last_followup_kept = agreement_kept
        locked.save(update_fields=["last_followup_kept", "updated_at"])
        record_event(locked, by=by, action=DisputeEvent.Action.FOLLOWUP,
                     note=stored(gettext_noop("回访：协议已履行。%(note)s"), note=note)
                     if agreement_kept else
                     stored(gettext_noop("回访：协议未履行。%(notice)s%(note)s"),
                            notice=stored(COURT_ROUTE_NOTICE), note=note))
    dispute.refresh_from_db()
    return visit


def dispute_terminate(*, dispute: Dispute, by, reason: str, note: str) -> Dispute:
    """Any tier → terminated (终止调解): a party refused mediation (人民调解法 第十七条), asked
    to end it (第二十三条), or it failed (第二十六条). The parties are told of arbitration,
    administrative and court routes; the notice prints as 终止调解告知书."""
    from ..states import TerminationReason

    note = require_text(note, "note", _("请填写终止调解的情况说明。"))
    if reason not in TerminationReason.values:
        raise ValidationError({"reason": _("请选择终止调解的原因。")})

    def prepare(d):
        d.termination_reason = reason
        d.ended_reason = note

    label = TerminationReason(reason).label
    return _run(dispute=dispute, by=by, name="terminate",
                note=joined(stored(gettext_noop("%(reason)s：%(note)s"), reason=label, note=note),
                            stored(ROUTES_NOTICE), sep="\n"), prepare=prepare)


def dispute_close(*, dispute: Dispute, by, note: str = "") -> Dispute:
    """Resolved → closed, after a follow-up found the agreement kept."""
    return _run(dispute=dispute, by=by, name="close",
                note=note or stored(gettext_noop("回访协议已履行，结案。")))


def dispute_reopen(*, dispute: Dispute, by, note: str, mediator=None) -> Dispute:
    """Resolved → mediator, when a follow-up found the agreement broken."""
    note = require_text(note, "note", _("请说明重新调解的原因。"))
    return _run(dispute=dispute, by=by, name="reopen", note=note,
                next_handler=lambda d: handler_for(dispute=d, state=d.state,
                                                   chosen_mediator=mediator))


def dispute_withdraw(*, dispute: Dispute, by, reason: str) -> Dispute:
    """The applicant withdraws."""
    reason = require_text(reason, "reason", _("请填写撤回原因。"))

    def prepare(d):
        d.ended_reason = reason

    return _run(dispute=dispute, by=by, name="withdraw", note=reason, prepare=prepare)


def dispute_void(*, dispute: Dispute, by, reason: str) -> Dispute:
    """Entered in error: town leadership or an administrator, with a reason. Never deleted."""
    reason = require_text(reason, "reason", _("作废必须填写原因。"))

    def prepare(d):
        d.ended_reason = reason

    return _run(dispute=dispute, by=by, name="void", note=reason, prepare=prepare)


# The API's and the pages' action name → the service and the names of its inputs.

"""Everything a user can do to a dispute, declared once (see ``casework.actions``): the page
buttons and forms, the API's ``POST /api/v1/disputes/{id}/<action>/``, the admin buttons and
``available_actions`` all come from this list, in this order."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.actions import Action, ActionSet, Note

from . import permissions, services
from .api import serializers as s
from .forms import (
    AssignUnitForm,
    ConfirmationForm,
    EscalateForm,
    ExtendMediationForm,
    FollowUpForm,
    MarkPriorityForm,
    NotifyRightsForm,
    ReassignForm,
    RecordConsentForm,
    ReferForm,
    ReferralResultForm,
    ResolveAdminForm,
    ResolveForm,
    TerminateForm,
)
from .states import INCOMING_SOURCES, DisputeState


def _refer_offered(dispute, user) -> bool:
    """The referral target is chosen in the form: offer it where some target fits (from the
    chair to any unit; from any tier to the police on civil-to-criminal risk)."""
    from django_fsm import can_proceed

    from casework.workflow import user_may

    return (can_proceed(dispute.refer, check_conditions=False)
            and (dispute.state == DisputeState.CHAIR or dispute.risk_civil_to_criminal
                 or dispute.respondent_refused)
            and user_may(dispute, "refer", user))


def _report_police_offered(dispute, user) -> bool:
    return dispute.risk_civil_to_criminal and permissions.can_report_police(dispute, user)


def _acknowledge_police_offered(dispute, user) -> bool:
    """Offered to the police liaison while a report waits (the page's list is prefetched)."""
    return (any(r.acknowledged_at is None for r in dispute.police_reports.all())
            and permissions.can_acknowledge_police(dispute, user))


def _confirmation_offered(dispute, user) -> bool:
    """Written agreements not about personal status (法释〔2011〕5号 第四条)."""
    agreement = getattr(dispute, "agreement", None)
    return (dispute.state in (DisputeState.RESOLVED, DisputeState.CLOSED)
            and agreement is not None and agreement.confirmable
            and permissions.can_record_confirmation(dispute, user))


def _followup_offered(dispute, user) -> bool:
    """Not a transition: offered on resolved cases to those who may follow up."""
    return dispute.state == DisputeState.RESOLVED and permissions.can_follow_up(dispute, user)


def _acknowledge_referral_offered(dispute, user) -> bool:
    """Offered while the latest referral waits for its receipt (the page's list is
    prefetched)."""
    return (dispute.state == DisputeState.REFERRED
            and any(r.acknowledged_at is None and r.result_at is None
                    for r in dispute.referrals.all())
            and permissions.can_track_referral(dispute, user))


def _referral_result_offered(dispute, user) -> bool:
    return (dispute.state == DisputeState.REFERRED
            and any(r.result_at is None for r in dispute.referrals.all())
            and permissions.can_track_referral(dispute, user))


def _mark_priority_offered(dispute, user) -> bool:
    """Offered while the case is open (the queues order by it); the service also lets a
    handler correct an ended case's mark."""
    return dispute.is_open and permissions.can_mark_priority(dispute, user)


def _report_back_offered(dispute, user) -> bool:
    """A case entrusted by a court or handed over by the police, once it has ended."""
    from .services.linkage import ENDED_STATES

    return (dispute.source in INCOMING_SOURCES and dispute.reported_back_at is None
            and dispute.state in ENDED_STATES and permissions.can_report_back(dispute, user))


ACTIONS = ActionSet(
    Action("escalate", _("上交上一级调解"), services.dispute_escalate,
           note=Note("note", _("已采取的调解措施"), required=True, rows=3),
           form=EscalateForm, form_context=True, serializer=s.EscalateInputSerializer,
           summary="Escalate one tier"),
    Action("escalate_urgent", _("紧急上报镇调委会主任"), services.dispute_escalate_urgent,
           note=Note("justification", _("紧急上报理由"), required=True, rows=3),
           summary="Escalate to the chair at once (red risk or a risk flag)"),
    Action("resolve", _("调解成功，办结"), services.dispute_resolve,
           note=Note("outcome", _("调解结果"), required=True, rows=3),
           form=ResolveForm, form_context=True, serializer=s.ResolveInputSerializer,
           admin=ResolveAdminForm, summary="Resolve"),
    Action("terminate", _("终止调解"), services.dispute_terminate,
           note=Note("note", _("情况说明"), required=True, rows=3),
           form=TerminateForm, serializer=s.TerminateInputSerializer,
           summary="Terminate mediation (a party refused, asked to end, or it failed)"),
    Action("record_consent", _("登记对方当事人意愿"), services.dispute_record_consent,
           form=RecordConsentForm, serializer=s.RecordConsentInputSerializer,
           offered=permissions.can_record_consent, admin=False,
           summary="Record whether the respondent agreed to mediation"),
    Action("notify_rights", _("登记权利义务告知"), services.dispute_notify_rights,
           form=NotifyRightsForm, serializer=s.NotifyRightsInputSerializer,
           offered=permissions.can_notify_rights, admin=False,
           summary="Record how and when the parties were told their rights and duties"),
    Action("reassign", _("更换调解员（指定或回避）"), services.dispute_reassign,
           form=ReassignForm, form_context=True, serializer=s.ReassignInputSerializer,
           offered=permissions.can_reassign, admin=False,
           summary="Reassign to another mediator at a party's request (chair)"),
    Action("extend_mediation", _("延长调解期限（当事人同意）"), services.dispute_extend_mediation,
           form=ExtendMediationForm, serializer=s.ExtendMediationInputSerializer,
           offered=permissions.can_extend_mediation, admin=False,
           summary="Extend the whole-case mediation period with the parties' agreement"),
    Action("report_police", _("报告派出所（民转刑风险，继续调解）"),
           services.dispute_report_police,
           note=Note("note", _("报告内容及已采取的预防措施"), required=True, rows=3),
           offered=_report_police_offered, admin=False,
           summary="Report civil-to-criminal risk to the police and go on mediating"),
    Action("acknowledge_police", _("派出所签收报告"), services.dispute_acknowledge_police,
           note=Note("note", _("签收意见")), offered=_acknowledge_police_offered, admin=False,
           summary="The police liaison acknowledges a report"),
    Action("refer", _("移交"), services.dispute_refer,
           note=Note("note", _("移交说明"), required=True, rows=3),
           form=ReferForm, serializer=s.ReferInputSerializer, offered=_refer_offered,
           summary="Refer to another unit"),
    Action("acknowledge_referral", _("接收单位签收"), services.dispute_acknowledge_referral,
           note=Note("note", _("签收说明")), offered=_acknowledge_referral_offered, admin=False,
           summary="The receiving unit acknowledges the referral"),
    Action("record_referral_result", _("登记接收单位办理结果"),
           services.dispute_record_referral_result, form=ReferralResultForm,
           serializer=s.ReferralResultInputSerializer, offered=_referral_result_offered,
           admin=False, summary="Record the receiving unit's result of the referral"),
    Action("report_back", _("向来文单位反馈结果"), services.dispute_report_back,
           note=Note("note", _("反馈内容"), required=True, rows=3),
           offered=_report_back_offered, admin=False,
           summary="Report the result back to the court or the police that sent the case"),
    Action("assign_unit", _("交法律服务所或“五老”工作室办理"), services.dispute_assign_unit,
           form=AssignUnitForm, form_context=True, serializer=s.AssignUnitInputSerializer,
           offered=permissions.can_assign_unit, admin=False,
           summary="Assign to the legal-service office or the five-elders studio"),
    Action("mark_priority", _("标记优先服务对象"), services.dispute_mark_priority,
           form=MarkPriorityForm, form_context=True, serializer=s.MarkPriorityInputSerializer,
           offered=_mark_priority_offered, admin=False,
           summary="Mark a party for priority service (vulnerable, poor, assisted)"),
    Action("followup", _("登记回访"), services.dispute_followup, form=FollowUpForm,
           serializer=s.FollowUpInputSerializer, offered=_followup_offered, admin=False,
           summary="Record a follow-up visit"),
    Action("record_confirmation", _("登记司法确认"), services.dispute_record_confirmation,
           form=ConfirmationForm, serializer=s.ConfirmationInputSerializer,
           offered=_confirmation_offered, admin=False,
           summary="Record the application for judicial confirmation and its result"),
    Action("close", _("结案"), services.dispute_close,
           note=Note("note", _("结案说明")), summary="Close"),
    Action("reopen", _("协议未履行，重新调解"), services.dispute_reopen,
           note=Note("note", _("重新调解原因"), required=True), summary="Reopen"),
    Action("withdraw", _("当事人撤回"), services.dispute_withdraw,
           note=Note("reason", _("原因"), required=True), summary="Withdraw"),
    Action("void", _("作废（误登记）"), services.dispute_void,
           note=Note("reason", _("原因"), required=True), summary="Void (reason required)"),
    subject="dispute",
    url_name="disputes:action",
    conflict_message=_("该案件当前状态为“%(state)s”，已不是您看到的状态。"),
    stale_message=_("该案件刚被他人处理，当前状态已变化，请查看后再操作。"),
)

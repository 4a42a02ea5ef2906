"""Everything a user can do to a dispute, declared once (see ``casework.actions``): the page
buttons and forms, the API's ``POST /api/v1/disputes/{id}/<action>/``, the admin buttons and
``available_actions`` all come from this list, in this order."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.actions import Action, ActionSet, Note

from . import permissions, services
from .api import serializers as s
from .forms import EscalateForm, FollowUpForm, ReferForm, ResolveForm
from .states import DisputeState


def _refer_offered(dispute, user) -> bool:
    """The referral target is chosen in the form: offer it where some target fits (from the
    chair to any unit; from any tier to the police on civil-to-criminal risk)."""
    from django_fsm import can_proceed

    from casework.workflow import user_may

    return (can_proceed(dispute.refer, check_conditions=False)
            and (dispute.state == DisputeState.CHAIR or dispute.risk_civil_to_criminal)
            and user_may(dispute, "refer", user))


def _followup_offered(dispute, user) -> bool:
    """Not a transition: offered on resolved cases to those who may follow up."""
    return dispute.state == DisputeState.RESOLVED and permissions.can_follow_up(dispute, user)


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
           form=ResolveForm, serializer=s.ResolveInputSerializer, summary="Resolve"),
    Action("refer", _("移交"), services.dispute_refer,
           note=Note("note", _("移交说明"), required=True, rows=3),
           form=ReferForm, serializer=s.ReferInputSerializer, offered=_refer_offered,
           summary="Refer to another unit"),
    Action("followup", _("登记回访"), services.dispute_followup, form=FollowUpForm,
           serializer=s.FollowUpInputSerializer, offered=_followup_offered, admin=False,
           summary="Record a follow-up visit"),
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

"""Everything a user can do to a petition, declared once (see ``casework.actions``): the
page buttons and forms, the API's ``POST /api/v1/petitions/{id}/<action>/``, the admin
buttons and ``available_actions`` all come from this list, in this order."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from casework.actions import Action, ActionSet, Note
from casework.workflow import user_may

from . import forms as f
from . import permissions, services
from .api import serializers as s
from .states import OPEN_STATES, PetitionKind, PetitionState


def _escalate_offered(petition, user) -> bool:
    """Whoever may name the county coordinator can do so in the escalate step itself; for
    anyone else, escalating to the county waits until the coordinator is named."""
    check = not permissions.can_assign_coordinator(petition, user)
    return can_proceed(petition.escalate, check_conditions=check) and user_may(
        petition, "escalate", user)


def _close_offered(petition, user) -> bool:
    """The petitioner's satisfaction is stated in the close step itself, so closing a replied
    petition is offered within the review window too; never while a review is pending."""
    if petition.state == PetitionState.REPLIED:
        if _pending_review(petition):
            return False
        return can_proceed(petition.close, check_conditions=False) and user_may(
            petition, "close", user)
    return can_proceed(petition.close) and user_may(petition, "close", user)


def _assign_coordinator_offered(petition, user) -> bool:
    return (petition.is_handling and petition.state == PetitionState.TOWN
            and permissions.can_assign_coordinator(petition, user))


def _extension_open(petition) -> bool:
    """A claim in handling, not yet extended (第三十四条). Still offered once the due date has
    passed, so that the page answers with the reason it is refused."""
    return petition.is_handling and petition.is_claim and not petition.extension_days


def _request_extension_offered(petition, user) -> bool:
    return (_extension_open(petition) and not petition.extension_pending
            and permissions.can_request_extension(petition, user))


def _decide_extension_offered(petition, user) -> bool:
    return (petition.is_handling and petition.extension_pending
            and permissions.can_approve_extension(petition, user))


def _deliver_offered(petition, user) -> bool:
    return petition.is_undelivered and permissions.can_deliver(petition, user)


def _evaluate_offered(petition, user) -> bool:
    return (petition.replied_on is not None and not petition.evaluation
            and permissions.can_evaluate(petition, user))


def _recuse_offered(petition, user) -> bool:
    return petition.state in OPEN_STATES and permissions.can_recuse(petition, user)


def _hearing_offered(petition, user) -> bool:
    return (petition.state == PetitionState.REPLIED and permissions.can_review(petition, user)
            and petition.reviews.pending().filter(kind="re_review").exists())


def _national_number_offered(petition, user) -> bool:
    return (not petition.national_number
            and permissions.can_set_national_number(petition, user))


def _pending_review(petition) -> bool:
    return petition.reviews.pending().exists()


def _review_answer_offered(petition, user) -> bool:
    return (petition.state == PetitionState.REPLIED and permissions.can_review(petition, user)
            and _pending_review(petition))


def _review_offered(petition, user) -> bool:
    return (petition.state == PetitionState.REPLIED and petition.is_claim
            and permissions.can_review(petition, user)
            and petition.reviews.count() < 2 and not _pending_review(petition))


def _dock_offered(petition, user) -> bool:
    return (petition.kind == PetitionKind.CLAIM and petition.is_handling
            and petition.docked_dispute_id is None and permissions.can_dock(petition, user))


def _reply_initial(petition) -> dict:
    return {"request": petition.content[:500], "decision": petition.reply_draft}


ACTIONS = ActionSet(
    Action("accept", _("受理"), services.petition_accept, note=Note("note", _("说明")),
           summary="Accept"),
    Action("decline", _("不予受理"), services.petition_decline, form=f.DeclineForm,
           serializer=s.DeclineInput, summary="Decline"),
    Action("guide", _("导访"), services.petition_guide, form=f.GuideForm,
           serializer=s.GuideInput, summary="Guide"),
    Action("escalate", _("上交"), services.petition_escalate,
           note=Note("note", _("上交原因"), required=True), form=f.EscalateForm,
           form_context=True, offered=_escalate_offered, summary="Escalate"),
    Action("reply", _("答复（处理意见书）"), services.petition_reply, form=f.ReplyForm,
           initial=_reply_initial, serializer=s.ReplyInput,
           summary="Reply with the handling opinion"),
    Action("close", _("办结"), services.petition_close, form=f.CloseForm,
           serializer=s.CloseInput, offered=_close_offered, summary="Close"),
    Action("withdraw", _("信访人撤回"), services.petition_withdraw,
           note=Note("reason", _("撤回情况"), required=True), summary="Withdraw"),
    Action("void", _("作废（误登记）"), services.petition_void,
           note=Note("reason", _("原因"), required=True), summary="Void (reason required)"),
    Action("assign_coordinator", _("指定镇级专人"), services.petition_assign_coordinator,
           form=f.AssignCoordinatorForm, form_context=True,
           serializer=s.AssignCoordinatorInput, offered=_assign_coordinator_offered,
           admin=False, summary="Assign the town coordinator"),
    Action("request_extension", _("申请延期"), services.petition_request_extension,
           form=f.RequestExtensionForm, serializer=s.RequestExtensionInput,
           offered=_request_extension_offered, admin=False,
           summary="Request an extension (≤30 days) from the town leadership"),
    Action("approve_extension", _("批准延期（镇领导）"), services.petition_approve_extension,
           note=Note("note", _("审批意见")), offered=_decide_extension_offered, admin=False,
           summary="Approve the pending extension (town leadership)"),
    Action("refuse_extension", _("不予延期（镇领导）"), services.petition_refuse_extension,
           note=Note("reason", _("不予延期的理由"), required=True),
           offered=_decide_extension_offered, admin=False,
           summary="Refuse the pending extension (town leadership)"),
    Action("transfer_discipline", _("移送纪检监察机关"), services.petition_transfer_discipline,
           form=f.TransferDisciplineForm, serializer=s.TransferDisciplineInput,
           summary="Transfer an accusation to the discipline-inspection organ"),
    Action("deliver", _("登记答复送达"), services.petition_deliver, form=f.DeliverForm,
           serializer=s.DeliverInput, offered=_deliver_offered, admin=False,
           summary="Record the delivery of the written reply"),
    Action("evaluate", _("登记信访人评价"), services.petition_evaluate, form=f.EvaluateForm,
           serializer=s.EvaluateInput, offered=_evaluate_offered, admin=False,
           summary="Record the petitioner's evaluation"),
    Action("review_answer", _("登记复查（复核）意见"), services.petition_review_record,
           form=f.ReviewAnswerForm, offered=_review_answer_offered, api=False, admin=False),
    Action("review", _("登记复查（复核）申请"), services.petition_review_record,
           form=f.ReviewForm, serializer=s.ReviewInput, offered=_review_offered, admin=False,
           summary="Record a review request or its answer"),
    Action("hearing", _("登记复核听证"), services.petition_hold_hearing, form=f.HearingForm,
           serializer=s.HearingInput, offered=_hearing_offered, admin=False,
           summary="Record a re-review hearing"),
    Action("dock", _("访调对接：转入人民调解"), services.petition_dock_to_dispute,
           form=f.DockForm, serializer=s.DockInput, offered=_dock_offered, admin=False,
           summary="Dock to mediation"),
    Action("recuse", _("登记回避"), services.petition_recuse, form=f.RecuseForm,
           form_context=True, serializer=s.RecuseInput, offered=_recuse_offered, admin=False,
           summary="Record a recusal and reassign"),
    Action("national_number", _("登记国家信访信息系统编号"),
           services.petition_set_national_number, form=f.NationalNumberForm,
           serializer=s.NationalNumberInput, offered=_national_number_offered, admin=False,
           summary="Record the number in the national petition information system"),
    subject="petition",
    url_name="petitions:action",
    conflict_message=_("该事项当前状态为“%(state)s”，已不是您看到的状态。"),
    stale_message=_("该事项刚被他人处理，当前状态已变化，请查看后再操作。"),
)

"""The handling rules of the 2022 信访工作条例 beyond the state moves: the extension asked for
and approved (第三十四条), the transfer of accusations to the discipline-inspection organ
(第二十二条), the delivery of the written reply (第三十五条), recusal (第二十八条), the
re-review hearing (第三十六条), the matter's number in the national system and the
petitioner's evaluation (第二十一条)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import TransitionNotAllowed

from casework.querycode import unique_query_code
from casework.workflow import record_event, require_text
from core.stored_text import choice_label, joined, stored
from grid.models import Staff
from grid.selectors import leadership_users, staff_for_user, staff_of_town
from inbox.notifications import notify

from .. import deadlines, permissions
from ..models import (
    DeliveryMethod,
    Evaluation,
    ExtensionStatus,
    Petition,
    PetitionEvent,
    PetitionRecusal,
    PetitionReview,
    PetitionState,
    ProxyAppointment,
    ReviewHearing,
)
from .workflow import PetitionConflict, _end_proxy, _lock, _run


def assign_query_code(petition: Petition) -> None:
    """Give an accepted petition its query code (not saved here), one not yet taken."""
    if not petition.query_code:
        petition.query_code = unique_query_code()


# --- Extension (第三十四条) ---------------------------------------------------------------

def _extension_still_possible(petition: Petition) -> None:
    """The shared refusals of a request and of an approval: only a claim in handling, once,
    and never once the reply due date has passed (a ValidationError: 400 with the reason)."""
    if not petition.is_handling:
        raise TransitionNotAllowed(_("只有办理中的信访事项可以延期。"))
    if not petition.is_claim:
        raise TransitionNotAllowed(_("只有申诉求决类事项适用办理期限及其延长（信访工作条例第三十四条）。"))
    if petition.extension_days:
        raise TransitionNotAllowed(_("办理期限只能延长一次。"))
    today = timezone.localdate()
    if not deadlines.extension_allowed_on(petition.reply_due, today):
        raise ValidationError({"days": _(
            "办理期限已于 %(due)s 届满，不能再延期：延期只能在办理期限内提出并批准。") % {
            "due": petition.reply_due}})


@transaction.atomic
def petition_request_extension(*, petition: Petition, by, days: int, reason: str) -> Petition:
    """The handler or the petition office asks the town leadership to extend the reply limit
    by at most 30 days, with a reason; the limit does not move until approved. Raises
    ``PermissionDenied``, ``TransitionNotAllowed`` (not in handling, not a claim, already
    extended or a request pending) and ``ValidationError`` (the due date has passed, days,
    reason). Notifies the town leadership."""
    locked = _lock(petition)
    if not locked.is_handling:
        raise TransitionNotAllowed(_("只有办理中的信访事项可以延期。"))
    if not permissions.can_request_extension(locked, by):
        raise PermissionDenied(_("只有承办人或信访办可以申请延期。"))
    _extension_still_possible(locked)
    if locked.extension_pending:
        raise TransitionNotAllowed(_("已有待审批的延期申请。"))
    reason = require_text(reason, "reason", _("请填写延期理由。"))
    if not 1 <= int(days) <= deadlines.MAX_EXTENSION_DAYS:
        raise ValidationError({"days": _("延长期限不得超过30日。")})
    locked.extension_status = ExtensionStatus.REQUESTED
    locked.extension_requested_days = int(days)
    locked.extension_requested_reason = reason
    locked.extension_requested_by = by
    locked.extension_requested_on = timezone.localdate()
    locked.extension_refusal = ""
    locked.save(update_fields=["extension_status", "extension_requested_days",
                               "extension_requested_reason", "extension_requested_by",
                               "extension_requested_on", "extension_refusal", "updated_at"])
    record_event(locked, by=by, action=PetitionEvent.Action.REQUEST_EXTENSION,
                 note=stored(gettext_noop("申请延期 %(days)s 日：%(reason)s"), days=days,
                             reason=reason))
    recipients = [u for u in leadership_users(town_id=locked.town_id) if u.pk != by.pk]
    if recipients:
        notify(recipients=recipients,
               title=stored(gettext_noop("信访事项延期待审批：%(number)s"), number=locked.number),
               body=reason[:500], url=locked.get_absolute_url())
    petition.refresh_from_db()
    return locked


@transaction.atomic
def petition_approve_extension(*, petition: Petition, by, note: str = "") -> Petition:
    """The town leadership approves the pending request: the reply due date moves by the days
    asked for, once; the extension notice (延期告知书) then prints. Refused with a 400 once
    the due date has passed."""
    locked = _lock(petition)
    if not permissions.can_approve_extension(locked, by):
        raise PermissionDenied(_("延期须经镇领导（本机关负责人）批准。"))
    if not locked.extension_pending:
        raise TransitionNotAllowed(_("没有待审批的延期申请。"))
    _extension_still_possible(locked)
    locked.extension_status = ExtensionStatus.APPROVED
    locked.extension_days = locked.extension_requested_days
    locked.extension_reason = locked.extension_requested_reason
    locked.extension_approver = staff_for_user(user=by)
    locked.reply_due = deadlines.reply_due(locked.accepted_on, locked.extension_days,
                                           kind=locked.kind)
    locked.save(update_fields=["extension_status", "extension_days", "extension_reason",
                               "extension_approver", "reply_due", "updated_at"])
    record_event(locked, by=by, action=PetitionEvent.Action.APPROVE_EXTENSION,
                 note=stored(gettext_noop("批准延期 %(days)s 日至 %(due)s。%(note)s"),
                             days=locked.extension_days, due=locked.reply_due, note=note))
    _notify_requester(locked, by, gettext_noop("延期已批准：%(number)s"))
    petition.refresh_from_db()
    return locked


@transaction.atomic
def petition_refuse_extension(*, petition: Petition, by, reason: str) -> Petition:
    """The town leadership refuses the pending request, with a reason; the due date stays."""
    locked = _lock(petition)
    if not permissions.can_approve_extension(locked, by):
        raise PermissionDenied(_("延期须经镇领导（本机关负责人）审批。"))
    if not locked.extension_pending:
        raise TransitionNotAllowed(_("没有待审批的延期申请。"))
    reason = require_text(reason, "reason", _("请填写不予延期的理由。"))
    locked.extension_status = ExtensionStatus.REFUSED
    locked.extension_refusal = reason
    locked.save(update_fields=["extension_status", "extension_refusal", "updated_at"])
    record_event(locked, by=by, action=PetitionEvent.Action.REFUSE_EXTENSION, note=reason)
    _notify_requester(locked, by, gettext_noop("延期未获批准：%(number)s"))
    petition.refresh_from_db()
    return locked


def _notify_requester(petition, by, title: str):
    """Tell who asked for the extension; ``title`` is a message id with ``%(number)s``."""
    requester = petition.extension_requested_by
    if requester is not None and requester.pk != by.pk:
        notify(recipients=[requester], title=stored(title, number=petition.number),
               body=petition.extension_refusal or petition.extension_reason,
               url=petition.get_absolute_url())


# --- Accusations to the discipline-inspection organ (第二十二条、第三十条) --------------

def petition_transfer_discipline(*, petition: Petition, by, organ: str,
                                 transferred_on: datetime.date | None = None,
                                 note: str = "") -> Petition:
    """Transfer an accusation about the conduct of public officials to the discipline-
    inspection organ: the petition leaves the town's handling (the proxy ends) and the
    petitioner's identity stays hidden as before (第三十条)."""
    organ = require_text(organ, "organ", _("请填写移送的纪检监察机关。"))
    day = transferred_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"transferred_on": _("移送日期不能晚于今天。")})

    def prepare(p):
        if not permissions.is_accusation(p):
            raise TransitionNotAllowed(_("只有检举控告类事项可以移送纪检监察机关。"))
        p.discipline_organ, p.transferred_on = organ, day

    def after(p):
        _end_proxy(p, reason=gettext_noop("已移送纪检监察机关"))

    return _run(petition=petition, by=by, name="transfer_discipline",
                note=stored(gettext_noop("移送%(organ)s %(note)s"), organ=organ, note=note),
                prepare=prepare, next_handler=lambda p: None, after=after)


# --- Delivery of the written reply (第三十五条) ---------------------------------------------

@transaction.atomic
def petition_deliver(*, petition: Petition, by, delivered_on: datetime.date,
                     method: str) -> Petition:
    """Record when and how the written reply reached the petitioner: the 30 days to request
    a review count from then."""
    locked = _lock(petition)
    if not permissions.can_deliver(locked, by):
        raise PermissionDenied(_("您无权登记答复送达。"))
    if locked.replied_on is None:
        raise TransitionNotAllowed(_("尚未答复，不能登记送达。"))
    if locked.delivered_on is not None:
        raise TransitionNotAllowed(_("答复送达已登记。"))
    if method not in DeliveryMethod.values:
        raise ValidationError({"method": _("请选择送达方式。")})
    if delivered_on < locked.replied_on or delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("送达日期应在答复日期与今天之间。")})
    locked.delivered_on, locked.delivery_method = delivered_on, method
    locked.save(update_fields=["delivered_on", "delivery_method", "updated_at"])
    record_event(locked, by=by, action=PetitionEvent.Action.DELIVER,
                 note=joined(choice_label(locked, "delivery_method"), delivered_on, sep=" "))
    petition.refresh_from_db()
    return locked


# --- Recusal (第二十八条) ----------------------------------------------------------------

def recused_staff_ids(petition: Petition) -> set[int]:
    return set(petition.recusals.values_list("staff_id", flat=True))


@transaction.atomic
def petition_recuse(*, petition: Petition, by, reason: str, staff: Staff | None = None,
                    replacement: Staff | None = None) -> PetitionRecusal:
    """A staff member with a direct interest in the matter or the petitioner withdraws from
    it. Without ``staff``, the acting user's own staff row; naming someone else is for the
    petition office or town leadership. If they handle the matter or are its proxy (or its
    coordinator), ``replacement`` (a staff member of the town, not recused) takes over, with
    a history row; the recused person may not hold the matter again."""
    locked = _lock(petition)
    if locked.state not in (PetitionState.REGISTERED, PetitionState.GRID, PetitionState.TOWN,
                            PetitionState.COUNTY, PetitionState.REPLIED):
        raise TransitionNotAllowed(_("该事项已办结，无需回避。"))
    own = staff_for_user(user=by)
    staff = staff or own
    if staff is None:
        raise ValidationError({"staff": _("请选择回避人员。")})
    if not permissions.can_recuse(locked, by) or (
            (own is None or staff.pk != own.pk) and not permissions.is_office(by, locked)):
        raise PermissionDenied(_("只能登记本人回避；他人回避由信访办或镇领导登记。"))
    reason = require_text(reason, "reason", _("请填写回避事由（与信访事项或信访人有直接利害关系）。"))
    if not staff_of_town(town_id=locked.town_id).filter(pk=staff.pk).exists():
        raise ValidationError({"staff": _("回避人员须为本镇工作人员。")})
    holds = staff.pk in (locked.handler_id, locked.proxy_agent_id, locked.coordinator_id)
    if holds:
        if replacement is None:
            raise ValidationError({"replacement": _("回避人员正在承办或代办本事项，请指定改由谁办理。")})
        if replacement.pk == staff.pk or replacement.pk in recused_staff_ids(locked):
            raise ValidationError({"replacement": _("改由的人员也须回避。")})
        if not staff_of_town(town_id=locked.town_id).filter(pk=replacement.pk).exists():
            raise ValidationError({"replacement": _("改由的人员须为本镇工作人员。")})
    try:
        with transaction.atomic():
            recusal = PetitionRecusal.objects.create(
                petition=locked, staff=staff, reason=reason,
                replaced_by=replacement if holds else None, recorded_by=by)
    except IntegrityError as exc:
        raise ValidationError({"staff": _("该人员已登记回避。")}) from exc
    fields = []
    if locked.handler_id == staff.pk:
        locked.handler = replacement
        fields.append("handler")
    if locked.coordinator_id == staff.pk:
        locked.coordinator = replacement
        fields.append("coordinator")
    if locked.proxy_agent_id == staff.pk:
        locked.proxy_agent = replacement
        fields.append("proxy_agent")
        _end_proxy(locked, reason=gettext_noop("代办员回避"))
        ProxyAppointment.objects.create(petition=locked, agent=replacement, appointed_by=by)
    if fields:
        locked.save(update_fields=[*fields, "updated_at"])
    note = stored(gettext_noop("%(staff)s回避：%(reason)s"), staff=staff.name, reason=reason)
    if holds:
        note = joined(note, stored(gettext_noop("；改由%(name)s办理"), name=replacement.name))
    record_event(locked, by=by, action=PetitionEvent.Action.RECUSE, note=note)
    if holds and replacement.user_id and replacement.user_id != by.pk:
        notify(recipients=[replacement.user],
               title=stored(gettext_noop("信访事项转至您处理：%(number)s"), number=locked.number),
               body=note, url=locked.get_absolute_url())
    petition.refresh_from_db()
    return recusal


# --- Re-review hearing (第三十六条) --------------------------------------------------------

@transaction.atomic
def petition_hold_hearing(*, petition: Petition, by, held_on: datetime.date, place: str,
                          participants: str, record: str, days: int = 1) -> ReviewHearing:
    """The re-review body holds a hearing: recorded with date, place, participants and the
    record; its ``days`` are added to the re-review's answer due date."""
    locked = _lock(petition)
    if not permissions.can_review(locked, by):
        raise PermissionDenied(_("只有信访办或镇领导可以登记复核听证。"))
    review = locked.reviews.pending().filter(kind=PetitionReview.Kind.RE_REVIEW).first()
    if review is None:
        raise TransitionNotAllowed(_("只有待答复的复核可以举行听证。"))
    values = {
        "place": require_text(place, "place", _("请填写听证地点。")),
        "participants": require_text(participants, "participants", _("请填写参加人员。")),
        "record": require_text(record, "record", _("请填写听证记录。")),
    }
    if not 1 <= int(days) <= 30:
        raise ValidationError({"days": _("听证所需天数应在1至30日之间。")})
    if held_on < review.requested_on or held_on > timezone.localdate():
        raise ValidationError({"held_on": _("听证日期应在复核申请日期与今天之间。")})
    hearing = ReviewHearing.objects.create(review=review, held_on=held_on, days=int(days),
                                           recorded_by=by, **values)
    total = sum(review.hearings.values_list("days", flat=True))
    review.due_on = deadlines.review_answer_due(review.requested_on, hearing_days=total)
    review.save(update_fields=["due_on"])
    record_event(locked, by=by, action=PetitionEvent.Action.HEARING,
                 note=stored(gettext_noop("%(day)s 于%(place)s举行复核听证（%(days)s 日不计入复核期限，"
                                          "答复期限顺延至 %(due)s）"),
                             day=held_on, place=values["place"], days=days, due=review.due_on))
    petition.refresh_from_db()
    return hearing


# --- The national number and the petitioner's evaluation (第二十一条) ---------------------

@transaction.atomic
def petition_set_national_number(*, petition: Petition, by, national_number: str) -> Petition:
    """Record the matter's number in the national petition information system."""
    locked = _lock(petition)
    if not permissions.can_set_national_number(locked, by):
        raise PermissionDenied(_("只有信访办或镇领导可以登记国家信访信息系统编号。"))
    number = require_text(national_number, "national_number",
                          _("请填写国家信访信息系统编号。"))[:40]
    locked.national_number = number
    locked.save(update_fields=["national_number", "updated_at"])
    record_event(locked, by=by, action=PetitionEvent.Action.NATIONAL_NUMBER, note=number)
    petition.refresh_from_db()
    return locked


@transaction.atomic
def petition_evaluate(*, petition: Petition, by, evaluation: str, comment: str = "") -> Petition:
    """The petitioner's evaluation of the handling (satisfied / basically satisfied /
    dissatisfied, with a comment), once, after the reply. Staff record it on the
    petitioner's behalf (``by``, with a history row); the public query page calls this same
    service with ``by=None`` once the code and the petitioner's phone matched (its look-up
    log keeps the address and the time)."""
    locked = _lock(petition)
    if by is not None and not permissions.can_evaluate(locked, by):
        raise PermissionDenied(_("您无权登记信访人评价。"))
    if locked.replied_on is None:
        raise TransitionNotAllowed(_("答复后方可评价。"))
    if locked.evaluation:
        raise TransitionNotAllowed(_("信访人已评价，每件事项只能评价一次。"))
    if evaluation not in Evaluation.values:
        raise ValidationError({"evaluation": _("请选择评价。")})
    locked.evaluation = evaluation
    locked.evaluation_comment = (comment or "").strip()
    locked.evaluated_on = timezone.localdate()
    locked.save(update_fields=["evaluation", "evaluation_comment", "evaluated_on",
                               "updated_at"])
    if by is not None:
        record_event(locked, by=by, action=PetitionEvent.Action.EVALUATE,
                     note=joined(choice_label(locked, "evaluation"),
                                 locked.evaluation_comment[:480], sep=" "))
    petition.refresh_from_db()
    return locked


__all__ = [
    "PetitionConflict",
    "assign_query_code",
    "petition_approve_extension",
    "petition_deliver",
    "petition_evaluate",
    "petition_hold_hearing",
    "petition_recuse",
    "petition_refuse_extension",
    "petition_request_extension",
    "petition_set_national_number",
    "petition_transfer_discipline",
    "recused_staff_ids",
]

"""The petition workflow as services, on the shared transition runner (casework.workflow)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import TransitionNotAllowed

from casework.workflow import StaleState, record_event, require_text, run_transition
from core.stored_text import choice_label, stored
from grid.models import Role, Staff
from grid.selectors import role_holder, town_cadres
from inbox.notifications import notify

from .. import deadlines, permissions
from ..models import (
    CloseReason,
    Petition,
    PetitionEvent,
    PetitionReview,
    PetitionState,
    ReplyResult,
    ThreeInPlaceCategory,
)

PetitionConflict = StaleState


def _run(*, petition: Petition, by, name: str, note: str, next_handler=None,
         **kwargs) -> Petition:
    """The shared runner, with one rule of its own: a staff member who recused themselves
    (信访工作条例 第二十八条) never becomes the handler; the petition office takes the matter
    instead."""

    def handler_not_recused(p):
        staff = next_handler(p)
        if staff is not None and p.recusals.filter(staff=staff).exists():
            return role_holder(role=Role.PETITION_OFFICE, town_id=p.town_id)
        return staff

    return run_transition(
        instance=petition, by=by, name=name, note=note,
        next_handler=handler_not_recused if next_handler else None,
        notify_title=lambda p: stored(gettext_noop("信访事项转至您处理：%(number)s"),
                                      number=p.number),
        **kwargs)


def _lock(petition: Petition) -> Petition:
    locked = Petition.objects.select_for_update(of=("self",)).get(pk=petition.pk)
    if locked.state != petition.state:
        raise PetitionConflict()
    return locked


def petition_accept(*, petition: Petition, by, note: str = "") -> Petition:
    """Registered → handled at the grid by the proxy agent; for a claim the 60-day clock
    starts (信访工作条例 第三十四条). The matter gets its query code (第二十一条), printed on
    its notices. A repeat of a matter whose re-review has answered is refused
    (``TransitionNotAllowed``, 第三十六条)."""

    def prepare(p):
        # Say why, rather than the runner's generic "conditions not met".
        if not permissions.not_barred_after_re_review(p):
            raise TransitionNotAllowed(_("复核意见为终结意见，同一事项不再受理。"))

    def refresh(p):
        from .handling import assign_query_code

        p.reply_due = deadlines.reply_due(p.accepted_on, p.extension_days, kind=p.kind)
        assign_query_code(p)

    return _run(petition=petition, by=by, name="accept",
                note=note or stored(gettext_noop("依法受理，告知信访人。")),
                prepare=prepare, next_handler=lambda p: p.proxy_agent or p.handler,
                refresh=refresh)


def petition_decline(*, petition: Petition, by, reason: str, proper_channel: str) -> Petition:
    """Not accepted: the written notice states the reason and the right channel (e.g. a court
    for a matter in litigation)."""
    reason = require_text(reason, "reason", _("请填写不予受理的理由。"))
    proper_channel = require_text(proper_channel, "proper_channel",
                                  _("请告知信访人应当通过的途径。"))

    def prepare(p):
        p.decline_reason, p.proper_channel = reason, proper_channel

    return _run(petition=petition, by=by, name="decline", note=reason, prepare=prepare)


def petition_guide(*, petition: Petition, by, guided_to: str) -> Petition:
    """导访: record where the petitioner was guided, and close the matter as guided."""
    guided_to = require_text(guided_to, "guided_to", _("请填写导访去向。"))

    def prepare(p):
        p.guided_to = guided_to

    def after(p):
        _end_proxy(p, reason=gettext_noop("已导访"))

    return _run(petition=petition, by=by, name="guide", note=guided_to, prepare=prepare,
                after=after)


def _grid_leader(petition):
    return role_holder(role=Role.GRID_LEADER, large_grid_id=petition.small_grid.large_grid_id)


def petition_escalate(*, petition: Petition, by, note: str, coordinator: Staff | None = None,
                      county_department: str = "") -> Petition:
    """grid → town (the grid leader coordinates) → county (the named town coordinator works
    with the county department). The coordinator and the department may be named in the same
    step (both or neither), as ``petition_assign_coordinator`` does, in one transaction."""
    note = require_text(note, "note", _("请说明上交的原因。"))
    if coordinator or county_department:
        if not (coordinator and county_department):
            raise ValidationError({"county_department": _("请同时指定镇级专人和县直部门。")})
        with transaction.atomic():
            petition = petition_assign_coordinator(petition=petition, by=by,
                                                   coordinator=coordinator,
                                                   county_department=county_department)
            return petition_escalate(petition=petition, by=by, note=note)

    def prepare(p):
        # Checked on the locked row, after the permission: someone who may not escalate is
        # told so (403), not that a coordinator is missing (409).
        if p.state == PetitionState.TOWN and not permissions.has_coordinator(p):
            raise TransitionNotAllowed(_("涉及县直部门的事项须先指定镇级专人和县直部门。"))

    def next_handler(p):
        return _grid_leader(p) if p.state == PetitionState.TOWN else p.coordinator

    return _run(petition=petition, by=by, name="escalate", note=note, prepare=prepare,
                next_handler=next_handler)


@transaction.atomic
def petition_assign_coordinator(*, petition: Petition, by, coordinator: Staff,
                                county_department: str) -> Petition:
    """Name the town staff member who coordinates with the county department."""
    locked = _lock(petition)
    if not permissions.can_assign_coordinator(locked, by):
        raise PermissionDenied(_("只有信访办或镇领导可以指定镇级专人。"))
    if locked.state not in (PetitionState.GRID, PetitionState.TOWN):
        raise TransitionNotAllowed(_("当前状态下不能指定镇级专人。"))
    county_department = require_text(county_department, "county_department",
                                     _("请填写涉及的县直部门。"))
    if not town_cadres(town_id=locked.town_id).filter(pk=coordinator.pk).exists():
        raise ValidationError({"coordinator": _("镇级专人须为本镇干部。")})
    if locked.recusals.filter(staff=coordinator).exists():
        raise ValidationError({"coordinator": _("该人员已回避本事项（信访工作条例第二十八条）。")})
    locked.coordinator, locked.county_department = coordinator, county_department
    locked.save(update_fields=["coordinator", "county_department", "updated_at"])
    record_event(locked, by=by, action=PetitionEvent.Action.ASSIGN_COORDINATOR,
                 note=f"{coordinator.name} · {county_department}")
    if coordinator.user_id and coordinator.user_id != by.pk:
        notify(recipients=[coordinator.user],
               title=stored(gettext_noop("您被指定为信访事项镇级专人：%(number)s"),
                            number=locked.number),
               body=county_department, url=locked.get_absolute_url())
    petition.refresh_from_db()
    return locked


REPLY_FIELDS = ("reply_request", "reply_facts", "reply_decision", "reply_basis", "reply_result",
                "reply_category")


def petition_reply(*, petition: Petition, by, request: str, facts: str, decision: str,
                   basis: str, result: str, category: str) -> Petition:
    """The handling opinion (处理意见书, 信访工作条例 第三十二条): the request, facts and reasons,
    the decision and its basis, the result and the "三到位一处理" category (第二十八条). A
    claim is then replied and waits for the review window; a suggestion is answered and
    closed (第二十九条)."""
    values = {
        "reply_request": require_text(request, "request", _("请概括信访请求。")),
        "reply_facts": require_text(facts, "facts", _("请写明查明的事实和理由。")),
        "reply_decision": require_text(decision, "decision", _("请写明处理意见。")),
        "reply_basis": require_text(basis, "basis", _("请写明处理依据。")),
    }
    if result not in ReplyResult.values:
        raise ValidationError({"result": _("请选择处理结果。")})
    if category not in ThreeInPlaceCategory.values:
        raise ValidationError({"category": _("请选择“三到位一处理”类别。")})
    values.update(reply_result=result, reply_category=category)

    def prepare(p):
        for key, value in values.items():
            setattr(p, key, value)

    def after(p):
        if p.state == PetitionState.CLOSED:
            _end_proxy(p, reason=gettext_noop("已答复办结"))

    return _run(petition=petition, by=by, name="reply", note=values["reply_decision"][:500],
                prepare=prepare, after=after)


@transaction.atomic
def petition_reply_draft_save(*, petition: Petition, by, draft: str, note: str | dict = ""
                              ) -> Petition:
    """Save the reply draft (答复草稿) the handler's reply starts from, with a history row in
    the same transaction. The draft replies nothing: the petition stays where it is."""
    locked = Petition.objects.select_for_update(of=("self",)).get(pk=petition.pk)
    locked.reply_draft = draft
    locked.save(update_fields=["reply_draft", "updated_at"])
    record_event(locked, by=by, action=PetitionEvent.Action.REPLY_DRAFT,
                 note=note or stored(gettext_noop("起草答复")))
    petition.refresh_from_db()
    return locked


def petition_close(*, petition: Petition, by, satisfied: bool | None = None,
                   note: str = "") -> Petition:
    """Close a replied petition: the petitioner is satisfied, or the 30-day window for a
    review request (from the delivery of the reply, 信访工作条例 第三十五条) has passed, or the
    re-review has answered (第三十六条); never with a review pending."""

    def prepare(p):
        if satisfied is not None:
            p.satisfied = satisfied
        reviews = list(p.reviews.all())
        if p.satisfied:
            p.close_reason = CloseReason.SATISFIED
        elif not p.is_claim:
            p.close_reason = CloseReason.ANSWERED
        elif any(r.kind == PetitionReview.Kind.RE_REVIEW for r in reviews):
            p.close_reason = CloseReason.REVIEW_FINAL
        else:
            p.close_reason = CloseReason.REVIEW_WINDOW_PASSED

    def after(p):
        _end_proxy(p, reason=gettext_noop("已办结"))

    try:
        return _run(petition=petition, by=by, name="close", note=note or stored(gettext_noop("办结")),
                    prepare=prepare, after=after)
    except TransitionNotAllowed as exc:
        if petition.state == PetitionState.REPLIED:
            raise TransitionNotAllowed(_(
                "信访人未表示满意，且复查申请期限（收到书面答复之日起30日）尚未届满、答复尚未送达"
                "或复查复核尚未答复，暂不能办结。")) from exc
        raise


def petition_withdraw(*, petition: Petition, by, reason: str) -> Petition:
    """The petitioner withdraws: the matter closes and the proxy's requests end."""
    reason = require_text(reason, "reason", _("请填写撤回情况。"))

    def after(p):
        _end_proxy(p, reason=gettext_noop("信访人撤回"))

    return _run(petition=petition, by=by, name="withdraw", note=reason, after=after)


def petition_void(*, petition: Petition, by, reason: str) -> Petition:
    """Entered in error: town leadership or an administrator (or the governance office for an
    untouched import), with a reason. Never deleted; the proxy's requests end."""
    reason = require_text(reason, "reason", _("作废必须填写原因。"))

    def after(p):
        _end_proxy(p, reason=gettext_noop("作废"))

    return _run(petition=petition, by=by, name="void", note=reason, after=after)


def _end_proxy(petition, *, reason: str) -> None:
    """End the proxy in force; ``reason`` is a message id, kept as such and shown in the
    reader's language (``stored_label``)."""
    petition.proxies.filter(ended_at__isnull=True).update(ended_at=timezone.now(),
                                                          end_reason=reason)


@transaction.atomic
def petition_review_request(*, petition: Petition, by, requested_on: datetime.date,
                            reviewing_body: str) -> PetitionReview:
    """Record a request for review (复查, 信访工作条例 第三十五条), or for re-review (复核, 第三十六条)
    of an answered review, each with its own 30-day answer deadline. Only a claim has them;
    the request window counts from the delivery of the written reply."""
    locked = _lock(petition)
    if locked.state != PetitionState.REPLIED:
        raise TransitionNotAllowed(_("只有已答复的信访事项可以申请复查或复核。"))
    if not locked.is_claim:
        raise TransitionNotAllowed(_("只有申诉求决类事项可以申请复查复核（信访工作条例第三十五条）。"))
    if not permissions.can_review(locked, by):
        raise PermissionDenied(_("只有信访办或镇领导可以登记复查复核。"))
    reviewing_body = require_text(reviewing_body, "reviewing_body",
                                  _("请填写复查（复核）机关。"))
    reviews = list(locked.reviews.all())
    if any(r.answered_on is None for r in reviews):
        raise TransitionNotAllowed(_("已有尚未答复的复查（复核）申请。"))
    if len(reviews) >= 2:
        raise TransitionNotAllowed(_("复核意见为终结意见，同一事项不再受理。"))
    kind = PetitionReview.Kind.REVIEW if not reviews else PetitionReview.Kind.RE_REVIEW
    last_answer = reviews[-1].answered_on if reviews else locked.delivered_on
    until = deadlines.review_request_until(last_answer)
    if requested_on > timezone.localdate():
        raise ValidationError({"requested_on": _("申请日期不能晚于今天。")})
    if until and requested_on > until:
        raise ValidationError({"requested_on": _(
            "已超过申请期限（应于 %(until)s 前提出）。") % {"until": until}})
    review = PetitionReview.objects.create(
        petition=locked, kind=kind, requested_on=requested_on,
        due_on=deadlines.review_answer_due(requested_on), reviewing_body=reviewing_body,
        recorded_by=by)
    record_event(locked, by=by, action=PetitionEvent.Action.REVIEW,
                 note=stored(gettext_noop("%(kind)s申请，答复期限 %(due)s"),
                             kind=choice_label(review, "kind"), due=review.due_on))
    petition.refresh_from_db()
    return review


@transaction.atomic
def petition_review_answer(*, petition: Petition, by, answered_on: datetime.date, opinion: str,
                           upheld: bool) -> PetitionReview:
    """Record the answer to the pending review or re-review."""
    locked = _lock(petition)
    if not permissions.can_review(locked, by):
        raise PermissionDenied(_("只有信访办或镇领导可以登记复查复核。"))
    review = locked.reviews.pending().first()
    if review is None:
        raise TransitionNotAllowed(_("没有待答复的复查（复核）申请。"))
    opinion = require_text(opinion, "opinion", _("请填写复查（复核）意见。"))
    if answered_on < review.requested_on or answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("答复日期应在申请日期与今天之间。")})
    review.answered_on, review.opinion, review.upheld = answered_on, opinion, upheld
    review.save(update_fields=["answered_on", "opinion", "upheld"])
    record_event(locked, by=by, action=PetitionEvent.Action.REVIEW,
                 note=stored(gettext_noop("%(kind)s意见：%(opinion)s"),
                             kind=choice_label(review, "kind"), opinion=opinion[:300]))
    petition.refresh_from_db()
    return review


def petition_review_record(*, petition: Petition, by, requested_on: datetime.date | None = None,
                           reviewing_body: str = "", answered_on: datetime.date | None = None,
                           opinion: str = "", upheld: bool = True) -> PetitionReview:
    """A review (复查) or re-review (复核) step in one call: with ``answered_on``, the answer to
    the pending request (``petition_review_answer``); without it, a new request
    (``petition_review_request``)."""
    if answered_on:
        return petition_review_answer(petition=petition, by=by, answered_on=answered_on,
                                      opinion=opinion, upheld=upheld)
    if requested_on is None:
        raise ValidationError({"requested_on": _("登记申请须填写申请日期和复查（复核）机关。")})
    return petition_review_request(petition=petition, by=by, requested_on=requested_on,
                                   reviewing_body=reviewing_body)

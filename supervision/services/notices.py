"""Issuing and working supervision and early-warning notices (督办件、预警通知)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import TransitionNotAllowed

from casework.workflow import record_event, require_text, run_transition
from core.stored_text import stored
from disputes.states import RiskLevel
from grid.models import Staff
from grid.selectors import leader_in_charge_candidates, staff_for_user, staff_of_town
from grid.services import town_sequence_next
from inbox.notifications import notify

from .. import deadlines, permissions
from ..models import (
    NoticeEvent,
    NoticeKind,
    NoticeReport,
    NoticeState,
    SupervisionNotice,
    TargetOffice,
    Urgency,
)

NUMBER_WORD = {NoticeKind.SUPERVISION: "督", NoticeKind.EARLY_WARNING: "预警"}


def notice_number(*, town, kind: str, year: int, serial: int) -> str:
    """e.g. 黄寨督〔2026〕3号, 黄寨预警〔2026〕1号."""
    return f"{town.short_name}{NUMBER_WORD[kind]}〔{year}〕{serial}号"


@transaction.atomic
def notice_issue(*, by, town, kind: str, title: str, situation: str, leader_in_charge: Staff | None,
                 measures: str, responsible: Staff | None, urgency: str = Urgency.ORDINARY,
                 deadline: datetime.datetime | None = None, target_large_grids=(),
                 target_offices=(), dispute=None, petition=None, instability_report=None,
                 assessment=None) -> SupervisionNotice:
    """Issue a notice with the four fixes (四定), all required (docs/domain.md, "反馈协调督办").

    The deadline defaults by urgency; an urgent deadline must fall within 1–5 days.
    Notifies the responsible person and the leader in charge.
    """
    if not permissions.can_issue(by, town.pk):
        raise PermissionDenied(_("只有镇党委、政府领导可以下发督办件。"))
    now = timezone.now()
    errors = {}
    if kind not in NoticeKind.values:
        errors["kind"] = _("请选择督办件或预警通知。")
    if not (title or "").strip():
        errors["title"] = _("请填写事由。")
    if not (situation or "").strip():
        errors["situation"] = _("请填写基本情况。")
    if leader_in_charge is None:
        errors["leader_in_charge"] = _("四定：必须确定包抓领导。")
    if not (measures or "").strip():
        errors["measures"] = _("四定：必须确定工作措施。")
    if responsible is None:
        errors["responsible"] = _("四定：必须确定责任人。")
    if urgency not in deadlines.DEFAULT_DAYS:
        errors["urgency"] = _("请选择紧急程度。")
    elif deadline is None:
        deadline = deadlines.default_deadline(urgency, now)
    if deadline is not None:
        if deadline <= now:
            errors["deadline"] = _("四定：办结时限必须晚于现在。")
        elif urgency == Urgency.URGENT and not deadlines.urgent_deadline_ok(deadline, now):
            errors["deadline"] = _("紧急督办件的时限应为1至5天。")
    large_grids = list(target_large_grids)
    offices = list(target_offices)
    if any(lg.town_id != town.pk for lg in large_grids):
        errors["target_large_grids"] = _("责任村须属于本镇。")
    if any(o not in TargetOffice.values for o in offices):
        errors["target_offices"] = _("责任单位无效。")
    if not large_grids and not offices:
        errors["target_large_grids"] = _("请至少选择一个责任村或责任单位。")
    town_staff = staff_of_town(town_id=town.pk)
    for person, field in ((leader_in_charge, "leader_in_charge"), (responsible, "responsible")):
        if person is not None and not town_staff.filter(pk=person.pk).exists():
            errors[field] = _("须为本镇人员。")
    if (leader_in_charge is not None and "leader_in_charge" not in errors
            and not leader_in_charge_candidates(town_id=town.pk).filter(
                pk=leader_in_charge.pk).exists()):
        errors["leader_in_charge"] = _("包抓领导须为镇领导或包片、包村领导。")
    # The API takes subjects by id from any town; a notice speaks only of this town's matters.
    for subject, field in ((dispute, "dispute"), (petition, "petition"),
                           (instability_report, "instability_report"),
                           (assessment, "assessment")):
        if subject is not None and subject.town_id != town.pk:
            errors[field] = _("未找到，或不在您的管辖范围内。")
    if errors:
        raise ValidationError(errors)
    year = timezone.localtime(now).year
    serial = town_sequence_next(town=town, kind=f"notice_{kind}", year=year)
    issuer = staff_for_user(user=by)
    notice = SupervisionNotice.objects.create(
        town=town, kind=kind, year=year, serial=serial,
        number=notice_number(town=town, kind=kind, year=year, serial=serial), title=title.strip(),
        situation=situation.strip(), dispute=dispute, petition=petition,
        instability_report=instability_report,
        assessment=assessment, target_offices=offices, urgency=urgency,
        leader_in_charge=leader_in_charge, measures=measures.strip(), responsible=responsible,
        deadline=deadline, handler=responsible, issuer=issuer, created_by=by)
    notice.target_large_grids.set(large_grids)
    notice.events.create(actor=by, action=NoticeEvent.Action.ISSUE, from_state="",
                         to_state=notice.state,
                         handler=responsible, note=measures.strip()[:500])
    recipients = [p.user for p in (responsible, leader_in_charge) if p.user_id]
    notify(recipients=[u for u in recipients if u.pk != by.pk],
           title=stored(gettext_noop("%(kind)s：%(number)s %(title)s"),
                        kind=NoticeKind(notice.kind).label, number=notice.number,
                        title=notice.title),
           body=stored(gettext_noop("办结时限：%(deadline)s"), deadline=deadline),
           url=notice.get_absolute_url())
    return notice


def _run(*, notice, by, name, note, **kwargs):
    return run_transition(
        instance=notice, by=by, name=name, note=note,
        notify_title=lambda n: stored(gettext_noop("督办件待您办理：%(number)s"), number=n.number),
        **kwargs)


def notice_acknowledge(*, notice: SupervisionNotice, by, note: str = "") -> SupervisionNotice:
    """签收."""
    return _run(notice=notice, by=by, name="acknowledge",
                note=note or stored(gettext_noop("已签收")))


@transaction.atomic
def notice_progress(*, notice: SupervisionNotice, by, note: str):
    """A progress note from the responsible person."""
    locked = SupervisionNotice.objects.select_for_update(of=("self",)).get(pk=notice.pk)
    if locked.state not in (NoticeState.ACKNOWLEDGED, NoticeState.RETURNED):
        raise TransitionNotAllowed(_("签收后、报告结果前才能登记进展。"))
    if not permissions.can_handle(locked, by):
        raise PermissionDenied(_("只有责任人可以登记进展。"))
    note = require_text(note, "note", _("请填写工作进展。"))
    return record_event(locked, by=by, action=NoticeEvent.Action.PROGRESS, note=note)


def notice_report(*, notice: SupervisionNotice, by, result: str, completed: bool = True,
                  shortfall: str = "") -> SupervisionNotice:
    """Report the result (one matter per report). When the matter is not done, or the report
    comes after the deadline, it must say how far it got and why."""
    result = require_text(result, "result", _("请填写办理结果。"))
    late = notice.deadline < timezone.now()
    if (not completed or late) and not (shortfall or "").strip():
        raise ValidationError({"shortfall": _("未能按期办结的，须说明进展情况和原因。")})

    def after(n):
        NoticeReport.objects.create(notice=n, result=result, completed=completed,
                                    shortfall=shortfall.strip(), reported_by=by)

    return _run(notice=notice, by=by, name="report", note=result[:500],
                next_handler=lambda n: n.issuer, after=after)


def notice_verify(*, notice: SupervisionNotice, by, facts_checked: bool, problem_solved: bool,
                  measures_lawful: bool, opinion: str) -> SupervisionNotice:
    """The issuer verifies the reported result: facts checked, problem solved, measures
    lawful. Any "no" means the report goes back (``notice_return``) instead."""
    opinion = require_text(opinion, "opinion", _("请填写核验意见。"))
    if not (facts_checked and problem_solved and measures_lawful):
        raise ValidationError({"opinion": _(
            "事实未核实、问题未解决或措施不合法的，不能核验通过，请退回重办。")})

    def after(n):
        n.reports.filter(checked_at__isnull=True).update(
            facts_checked=True, problem_solved=True, measures_lawful=True, check_opinion=opinion,
            checked_at=timezone.now(), accepted=True)
        people = [p.user for p in (n.responsible, n.leader_in_charge) if p and p.user_id]
        notify(recipients=[u for u in people if u.pk != by.pk],
               title=stored(gettext_noop("督办件已核验办结：%(number)s"), number=n.number),
               body=opinion[:300], url=n.get_absolute_url())

    return _run(notice=notice, by=by, name="verify", note=opinion,
                next_handler=lambda n: None, after=after)


def notice_return(*, notice: SupervisionNotice, by, opinion: str,
                  new_deadline: datetime.datetime, facts_checked: bool | None = None,
                  problem_solved: bool | None = None,
                  measures_lawful: bool | None = None) -> SupervisionNotice:
    """Return the report for more work, with a new deadline."""
    opinion = require_text(opinion, "opinion", _("请填写退回意见。"))
    if new_deadline is None or new_deadline <= timezone.now():
        raise ValidationError({"new_deadline": _("退回须确定新的办结时限，且晚于现在。")})

    def prepare(n):
        n.deadline = new_deadline

    def after(n):
        n.reports.filter(checked_at__isnull=True).update(
            facts_checked=facts_checked, problem_solved=problem_solved,
            measures_lawful=measures_lawful, check_opinion=opinion, checked_at=timezone.now(),
            accepted=False, new_deadline=new_deadline)

    return _run(notice=notice, by=by, name="return_for_work", note=opinion, prepare=prepare,
                next_handler=lambda n: n.responsible, after=after)


def notice_defaults(*, dispute=None, petition=None) -> dict:
    """What a notice about this case starts with: its title and situation, the case's large
    grid as target, and "urgent" for a red-risk dispute."""
    if dispute is not None:
        return {"title": dispute.title, "situation": dispute.description,
                "target_large_grids": [dispute.small_grid.large_grid_id],
                "urgency": Urgency.URGENT if dispute.risk_level == RiskLevel.RED
                else Urgency.ORDINARY}
    if petition is not None:
        return {"title": petition.subject, "situation": petition.content,
                "target_large_grids": [petition.small_grid.large_grid_id]}
    return {}

"""Writes of reporting upward: draft, file and correct a statistics report; draft, edit,
issue and read a bulletin. Each runs in one transaction with its history row."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadence.models import MonthlyAnalysis, WeeklySummary
from casework.workflow import record_event, require_text, run_transition
from core.stored_text import stored
from grid.models import LargeGrid, Role, Town
from grid.selectors import role_holders, staff_for_user, town_committee_ids
from inbox.notifications import Message, notify_many

from . import bulletins, permissions
from .figures import statistics_figures
from .models import Bulletin, BulletinRecipient, StatisticsReport
from .periods import Period, parse_period
from .states import BulletinKind, ReportState

# --- The statistics report ------------------------------------------------------------------


def statistics_report_draft(*, town, period: Period, by) -> StatisticsReport:
    """The town's report for a closed ``period``: the version in force if there is one, else a
    new draft with the figures counted now. Raises ``PermissionDenied`` unless ``by`` is the
    town's judicial office (or an administrator), ``ValidationError`` for a period not over."""
    if not permissions.may_prepare(by, town.pk):
        raise PermissionDenied(_("只有本镇司法所可以制作统计报表。"))
    if not period.is_closed():
        raise ValidationError({"period": _("统计期间尚未结束，期满后才能制表。")})
    with transaction.atomic():
        existing = (StatisticsReport.objects.select_for_update()
                    .filter(town=town, period=period.code)
                    .exclude(state=ReportState.SUPERSEDED).first())
        if existing is not None:
            return existing
        report = StatisticsReport.objects.create(
            town=town, period=period.code, period_kind=period.kind, period_start=period.start,
            figures=statistics_figures(town=town, period=period),
            handler=staff_for_user(user=by), prepared_by=by)
        report.events.create(actor=by, action="create", to_state=report.state,
                             handler=report.handler)
    return report


def _count_again(report: StatisticsReport) -> None:
    report.figures = statistics_figures(town=report.town, period=parse_period(report.period))


def statistics_report_file(*, report: StatisticsReport, by, note: str = "") -> StatisticsReport:
    """Draft → filed: the figures are counted once more from the records and then frozen;
    later changes to the cases do not move them."""

    def prepare(locked):
        _count_again(locked)
        locked.handler = staff_for_user(user=by) or locked.handler

    return run_transition(instance=report, by=by, name="file", note=note, prepare=prepare)


def statistics_report_correct(*, report: StatisticsReport, by, reason: str) -> StatisticsReport:
    """A filed report is corrected by a new filed version, counted now, with the reason; the
    corrected one stays, superseded. Returns the new version."""
    reason = require_text(reason, "reason", _("请填写更正原因。"))
    created = {}

    def after(old):
        new = StatisticsReport(
            town=old.town, period=old.period, period_kind=old.period_kind,
            period_start=old.period_start, version=old.version + 1, corrects=old,
            correction_reason=reason, handler=staff_for_user(user=by) or old.handler,
            prepared_by=by, filed_at=timezone.now(),
            # Filed as it is written: a correction is itself the filing of a new version.
            state=ReportState.FILED)
        _count_again(new)
        new.save()
        new.events.create(actor=by, action="correct", from_state="", to_state=new.state,
                          handler=new.handler, note=reason)
        created["new"] = new

    run_transition(instance=report, by=by, name="correct", note=reason, after=after)
    return created["new"]


# --- Bulletins ------------------------------------------------------------------------------


def bulletin_draft(*, source: WeeklySummary | MonthlyAnalysis, by=None) -> Bulletin:
    """The draft bulletin of a weekly summary or a monthly analysis, once: a second call
    returns the bulletin already made (issued or not)."""
    kind = BulletinKind.WEEKLY if isinstance(source, WeeklySummary) else BulletinKind.MONTHLY
    if by is not None and not permissions.may_lead(by, source.town_id):
        raise PermissionDenied(_("只有镇党委、政府领导可以起草情况通报。"))
    start = source.week_start if kind == BulletinKind.WEEKLY else source.month
    existing = Bulletin.objects.filter(town_id=source.town_id, kind=kind,
                                       period_start=start).first()
    if existing is not None:
        return existing
    figures = bulletins.bulletin_figures(source=source)
    end = datetime.date.fromisoformat(figures["period_end"])
    title = bulletins.bulletin_title(town=source.town, kind=kind, start=start, end=end)
    body = render_to_string("reporting/bulletin_body.txt", {"f": figures, "kind": kind})
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                town_id=source.town_id, kind=kind, period_start=start, period_end=end,
                title=title, body=body, figures=figures)
            if by is not None:
                bulletin.events.create(actor=by, action="create", to_state=bulletin.state)
    except IntegrityError:
        # Made at the same moment by the sweep or another page.
        return Bulletin.objects.get(town_id=source.town_id, kind=kind, period_start=start)
    return bulletin


def bulletin_draft_sweep(kind: str) -> int:
    """Draft the bulletin of each town's latest weekly summary or monthly analysis that has
    none yet; the same result if run twice. Returns how many were drafted."""
    model = WeeklySummary if kind == BulletinKind.WEEKLY else MonthlyAnalysis
    order = "-week_start" if kind == BulletinKind.WEEKLY else "-month"
    made = 0
    for town in Town.objects.order_by("id"):
        source = model.objects.filter(town=town).order_by(order).select_related("town").first()
        if source is None:
            continue
        before = Bulletin.objects.filter(town=town, kind=kind).count()
        bulletin_draft(source=source)
        made += Bulletin.objects.filter(town=town, kind=kind).count() - before
    return made


def _texts(title: str, body: str) -> tuple[str, str]:
    return (require_text(title, "title", _("请填写标题。"))[:120],
            require_text(body, "body", _("请填写正文。")))


def bulletin_edit(*, bulletin: Bulletin, by, title: str, body: str) -> Bulletin:
    """Leadership edits a draft's title and text."""
    title, body = _texts(title, body)
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if not permissions.can_edit(locked, by):
            raise PermissionDenied(_("只有镇领导可以修改未印发的通报。"))
        locked.title, locked.body = title, body
        locked.save(update_fields=["title", "body"])
        record_event(locked, by=by, action="edit")
    bulletin.refresh_from_db()
    return locked


def bulletin_recipients(*, town_id: int) -> list[tuple]:
    """(user, large grid id or None) for each person a bulletin goes to: each village's grid
    leader and leaders in charge (三包), and the town's units (governance, judicial and
    petition offices, the police liaison, the town committee's chair), each once."""
    villages = role_holders(
        role=[Role.GRID_LEADER, Role.PARTY_COMMITTEE_MEMBER, Role.SECTION_LEADER],
        large_grid_id=LargeGrid.objects.filter(town_id=town_id).values("id"))
    units = role_holders(role=[Role.GOVERNANCE_OFFICE, Role.JUDICIAL_OFFICE,
                               Role.PETITION_OFFICE, Role.POLICE_LIAISON], town_id=town_id)
    chair = role_holders(role=Role.COMMITTEE_CHAIR,
                         committee_id=town_committee_ids(town_id=town_id))
    seen, result = set(), []
    for assignments in (villages.select_related("staff__user"), units.select_related(
            "staff__user"), chair.select_related("staff__user")):
        for a in assignments:
            user = a.staff.user
            if user is None or not user.is_active or user.pk in seen:
                continue
            seen.add(user.pk)
            result.append((user, a.large_grid_id))
    return result


def bulletin_issue(*, bulletin: Bulletin, by, title: str, body: str) -> Bulletin:
    """Draft → issued, with the text as finally edited: sent to the villages and units in
    the inbox; the text is kept unchanged from now on."""
    title, body = _texts(title, body)

    def prepare(locked):
        locked.title, locked.body = title, body
        locked.handler = staff_for_user(user=by)

    def after(locked):
        people = bulletin_recipients(town_id=locked.town_id)
        BulletinRecipient.objects.bulk_create(
            BulletinRecipient(bulletin=locked, user=user, large_grid_id=lg)
            for user, lg in people)
        notify_many([Message(recipients=[user for user, _lg in people],
                             title=stored(gettext_noop("情况通报：%(title)s"),
                                          title=locked.title),
                             body=locked.body[:300], url=locked.get_absolute_url())])

    return run_transition(instance=bulletin, by=by, name="issue", note="", prepare=prepare,
                          after=after)


def bulletin_read(*, bulletin: Bulletin, by, note: str = "") -> Bulletin:
    """A recipient marks an issued bulletin read (once; who and when are kept)."""
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        updated = BulletinRecipient.objects.filter(
            bulletin=locked, user=by, read_at__isnull=True).update(read_at=timezone.now())
        if not updated:
            raise PermissionDenied(_("您不是此通报的接收人，或已阅知。"))
        record_event(locked, by=by, action="read", note=note)
    return locked

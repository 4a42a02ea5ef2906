"""Responsibility tracing (责任倒查): opened by itself when a matter slips (README, "Supervision")."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.stored_text import stored
from disputes.deadlines import tier_days
from disputes.models import ReferralTarget
from grid.models import Role, Staff
from grid.selectors import leadership_users, role_holder
from inbox.notifications import notify

from .. import permissions
from ..models import ResponsibilityTrace


def holders_timeline(events, *, until: datetime.datetime | None = None) -> list[dict]:
    """Who held the matter at each step and for how long, from its history rows: a new step
    starts whenever the state or the handler changes."""
    until = until or timezone.now()
    steps: list[dict] = []
    for event in events:
        holder = event.handler.name if event.handler_id else ""
        if steps and steps[-1]["state"] == event.to_state and steps[-1]["holder"] == holder:
            continue
        if steps:
            steps[-1]["end"] = event.created_at
        steps.append({"state": event.to_state, "state_label": str(event.get_to_state_display()),
                      "holder": holder, "holder_id": event.handler_id,
                      "start": event.created_at, "end": None})
    for step in steps:
        end = step["end"] or until
        step["hours"] = round((end - step["start"]).total_seconds() / 3600, 1)
        step["start"] = timezone.localtime(step["start"]).strftime("%Y-%m-%d %H:%M")
        step["end"] = timezone.localtime(step["end"]).strftime("%Y-%m-%d %H:%M") if step[
            "end"] else ""
    return steps


def _leader_of(large_grid_id: int) -> Staff | None:
    """The large grid's Party committee member (包片), the leader a trace names."""
    return role_holder(role=Role.PARTY_COMMITTEE_MEMBER, large_grid_id=large_grid_id)


def _open(*, town, trigger, responsible, leader, timeline, **subject) -> ResponsibilityTrace | None:
    """Open the trace once: the unique constraint makes a second opening a no-op."""
    try:
        with transaction.atomic():
            trace = ResponsibilityTrace.objects.create(
                town=town, trigger=trigger, responsible=responsible, leader=leader,
                timeline=timeline, **subject)
    except IntegrityError:
        return None
    notify(recipients=leadership_users(town_id=town.pk),
           title=stored(gettext_noop("启动责任倒查：%(subject)s"), subject=trace.subject_label),
           body=stored(ResponsibilityTrace.Trigger(trace.trigger).label),
           url=trace.get_absolute_url())
    return trace


def trace_overdue_notice(notice) -> ResponsibilityTrace | None:
    """A notice passed its deadline without a verified result; None when its trace is open."""
    opened = trace_overdue_notices([notice])
    return opened[0] if opened else None


def trace_overdue_notices(notices) -> list[ResponsibilityTrace]:
    """``trace_overdue_notice`` for many notices at once (the deadline sweep): their history
    in one query, the traces in one insert (one already open is left as it is), the
    leadership of each town once, and the notifications in one insert."""
    from collections import defaultdict

    from inbox.notifications import Message, notify_many

    from ..models import NoticeEvent

    notices = {n.pk: n for n in notices}
    if not notices:
        return []
    trigger = ResponsibilityTrace.Trigger.NOTICE_OVERDUE
    already = set(ResponsibilityTrace.objects.filter(trigger=trigger, notice_id__in=notices)
                  .values_list("notice_id", flat=True))
    events = defaultdict(list)
    for event in (NoticeEvent.objects.filter(notice_id__in=set(notices) - already)
                  .select_related("handler").order_by("notice_id", "created_at", "id")):
        events[event.notice_id].append(event)
    ResponsibilityTrace.objects.bulk_create([
        ResponsibilityTrace(town_id=n.town_id, trigger=trigger, notice=n,
                            responsible_id=n.responsible_id, leader_id=n.leader_in_charge_id,
                            timeline=holders_timeline(events[pk]))
        for pk, n in notices.items() if pk not in already], ignore_conflicts=True)
    opened = list(ResponsibilityTrace.objects.filter(
        trigger=trigger, notice_id__in=set(notices) - already).select_related("notice"))
    leadership = {town_id: leadership_users(town_id=town_id)
                  for town_id in {t.town_id for t in opened}}
    notify_many([Message(
        recipients=list(leadership[trace.town_id]),
        title=stored(gettext_noop("启动责任倒查：%(subject)s"), subject=trace.subject_label),
        body=stored(ResponsibilityTrace.Trigger(trace.trigger).label),
        url=trace.get_absolute_url()) for trace in opened])
    return opened


def overdue_tier(dispute) -> dict | None:
    """The first tier at which the case stayed past that tier's deadline, from its history."""
    steps = holders_timeline(dispute.events.select_related("handler").order_by("created_at", "id"),
                             until=dispute.referred_at or timezone.now())
    for step in steps:
        days = tier_days(town_id=dispute.town_id, state=step["state"])
        if days is not None and step["hours"] > days * 24:
            return step
    return None


def trace_referred_to_police(dispute) -> ResponsibilityTrace | None:
    """Referred to the police for civil-to-criminal risk after having been open past a tier
    deadline."""
    step = overdue_tier(dispute)
    if step is None:
        return None
    responsible = Staff.objects.filter(pk=step["holder_id"]).first() if step["holder_id"] else None
    steps = holders_timeline(dispute.events.select_related("handler").order_by("created_at", "id"),
                             until=dispute.referred_at)
    return _open(town=dispute.town, trigger=ResponsibilityTrace.Trigger.CIVIL_TO_CRIMINAL,
                 dispute=dispute, responsible=responsible,
                 leader=_leader_of(dispute.small_grid.large_grid_id), timeline=steps)


def trace_dispute_referred(*, dispute, target: str) -> ResponsibilityTrace | None:
    """A referral decides a trace only when it goes to the police for civil-to-criminal risk
    (民转刑); the case is then traced if it had been kept past a tier deadline."""
    if target != ReferralTarget.POLICE or not dispute.risk_civil_to_criminal:
        return None
    return trace_referred_to_police(dispute)


def trace_petition_went_above(*, petition, visit) -> ResponsibilityTrace | None:
    """The petitioner took a matter the town held above it (越级访, ``visit``): traced once."""
    return trace_petition(petition, ResponsibilityTrace.Trigger.SKIP_LEVEL_PETITION)


def trace_petition_registered(*, petition) -> ResponsibilityTrace | None:
    """A group petition (集体访) on a matter the town already held (a repeat of an earlier
    petition, or referred from one of its disputes) is traced; any other is not."""
    if not (petition.is_group and (petition.repeat_of_id or petition.source_dispute_id)):
        return None
    return trace_petition(petition, ResponsibilityTrace.Trigger.GROUP_PETITION)


def trace_petition(petition, trigger) -> ResponsibilityTrace | None:
    """A skip-level or group petition from a matter the town already held."""
    steps = holders_timeline(petition.events.select_related("handler").order_by("created_at", "id"))
    return _open(town=petition.town, trigger=trigger, petition=petition,
                 responsible=petition.proxy_agent or petition.handler,
                 leader=_leader_of(petition.small_grid.large_grid_id), timeline=steps)


@transaction.atomic
def trace_conclude(*, trace: ResponsibilityTrace, by, finding: str,
                   action_taken: str) -> ResponsibilityTrace:
    """Leadership records the finding and the action taken."""
    if not permissions.can_see_traces(by, trace.town_id):
        raise PermissionDenied(_("只有镇领导可以登记倒查结论。"))
    errors = {}
    if not (finding or "").strip():
        errors["finding"] = _("请填写倒查结论。")
    if not (action_taken or "").strip():
        errors["action_taken"] = _("请填写处理措施。")
    if errors:
        raise ValidationError(errors)
    trace.finding, trace.action_taken = finding.strip(), action_taken.strip()
    trace.concluded_by, trace.concluded_at = by, timezone.now()
    trace.save(update_fields=["finding", "action_taken", "concluded_by", "concluded_at"])
    return trace



"""Deadline alerts: one sweep finds what is near or past its deadline and alerts at T−3
days, T−1 day and at overdue — each alert exactly once per item, deadline and threshold,
however often the sweep runs and however many workers run it at once (the
``supervision_alert_once`` unique constraint decides, not the scheduler).

Beside the tier, petition and notice deadlines: a dispute's whole-case ``mediation_due``
(若干规定 第三十三条), like a tier's; the judicial-confirmation window at T−3 and T−1 only,
when the parties asked for it and nothing is recorded (人民调解法 第三十三条); and a
reminder to follow up once an agreement's performance date has passed without a visit
(若干规定 第三十八条), at overdue only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from disputes.deadlines import JUDICIAL_CONFIRMATION_DAYS, judicial_confirmation_until
from disputes.models import Dispute, MediationAgreement
from disputes.services.routing import handler_for
from disputes.states import DisputeState, next_tier
from grid.models import Role
from grid.selectors import (
    holder_users,
    leaders_in_charge_users,
    role_holder,
    role_holders,
    town_committee_ids,
)
from inbox.notifications import notify
from petitions.models import Petition, PetitionQuerySet, PetitionReview

from ..models import DeadlineAlert, SupervisionNotice
from .tracing import trace_overdue_notice

HORIZON = datetime.timedelta(days=3)
# The thresholds each kind alerts at (all three unless listed).
LEVELS = {
    DeadlineAlert.ItemKind.DISPUTE_CONFIRMATION: {DeadlineAlert.Threshold.T_MINUS_3,
                                                  DeadlineAlert.Threshold.T_MINUS_1},
    DeadlineAlert.ItemKind.DISPUTE_FOLLOWUP: {DeadlineAlert.Threshold.OVERDUE},
}
# The longest the confirmation window can run past 30 days: the Spring Festival holiday.
CONFIRMATION_LOOKBACK = datetime.timedelta(days=JUDICIAL_CONFIRMATION_DAYS + 12)


@dataclass
class Item:
    kind: str
    obj: object
    due: datetime.datetime
    label: str
    url: str
    town_id: int
    large_grid_id: int | None


def end_of_day(day: datetime.date) -> datetime.datetime:
    """A date deadline lasts to the end of that day, Asia/Shanghai."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def threshold(now: datetime.datetime, due: datetime.datetime) -> str | None:
    if now > due:
        return DeadlineAlert.Threshold.OVERDUE
    if due - now <= datetime.timedelta(days=1):
        return DeadlineAlert.Threshold.T_MINUS_1
    if due - now <= HORIZON:
        return DeadlineAlert.Threshold.T_MINUS_3
    return None


def _items(now: datetime.datetime) -> list[Item]:
    today = timezone.localdate(now)
    horizon_day = today + HORIZON
    # Date deadlines are kept on their day: due by the horizon's day is due before the next.
    after_horizon = horizon_day + datetime.timedelta(days=1)
    items: list[Item] = []
    for d in (Dispute.objects.open().filter(tier_due_at__lte=now + HORIZON)
              .select_related("small_grid", "handler__user")):
        items.append(Item(DeadlineAlert.ItemKind.DISPUTE_TIER, d, d.tier_due_at,
                          f"{d.number} {d.get_state_display()}", d.get_absolute_url(), d.town_id,
                          d.small_grid.large_grid_id))
    for d in (Dispute.objects.open().filter(mediation_due__lt=after_horizon)
              .select_related("small_grid", "handler__user")):
        items.append(Item(DeadlineAlert.ItemKind.DISPUTE_MEDIATION, d, end_of_day(d.mediation_due),
                          f"{d.number} {_('调解期限')}", d.get_absolute_url(), d.town_id,
                          d.small_grid.large_grid_id))
    agreements = MediationAgreement.objects.select_related(
        "dispute", "dispute__small_grid", "dispute__handler__user", "mediator__user")
    for a in agreements.filter(
            kind=MediationAgreement.Kind.WRITTEN, concerns_personal_status=False,
            confirmation_requested=True, confirmation__isnull=True,
            dispute__state__in=[DisputeState.RESOLVED, DisputeState.CLOSED],
            signed_on__gte=today - CONFIRMATION_LOOKBACK):
        until = judicial_confirmation_until(a.signed_on)
        if until < after_horizon:
            d = a.dispute
            items.append(Item(DeadlineAlert.ItemKind.DISPUTE_CONFIRMATION, a, end_of_day(until),
                              f"{d.number} {_('司法确认申请期限')}", d.get_absolute_url(),
                              d.town_id, d.small_grid.large_grid_id))
    for a in agreements.filter(dispute__state=DisputeState.RESOLVED,
                               performance_deadline__lt=today).exclude(
            dispute__followups__visited_on__gte=F("performance_deadline")):
        d = a.dispute
        items.append(Item(DeadlineAlert.ItemKind.DISPUTE_FOLLOWUP, a,
                          end_of_day(a.performance_deadline),
                          f"{d.number} {_('协议履行期限已过，请回访')}", d.get_absolute_url(),
                          d.town_id, d.small_grid.large_grid_id))
    for p in (Petition.objects.filter(PetitionQuerySet.accept_due_before_q(after_horizon))
              .select_related("small_grid", "handler__user")):
        items.append(Item(DeadlineAlert.ItemKind.PETITION_ACCEPT, p, end_of_day(p.accept_due),
                          f"{p.number} {_('受理告知')}", p.get_absolute_url(), p.town_id,
                          p.small_grid.large_grid_id))
    for p in (Petition.objects.filter(PetitionQuerySet.reply_due_before_q(after_horizon))
              .select_related("small_grid", "handler__user")):
        items.append(Item(DeadlineAlert.ItemKind.PETITION_REPLY, p, end_of_day(p.reply_due),
                          f"{p.number} {_('办理答复')}", p.get_absolute_url(), p.town_id,
                          p.small_grid.large_grid_id))
    for r in (PetitionReview.objects.pending().filter(due_on__lt=after_horizon)
              .select_related("petition", "petition__small_grid", "petition__handler__user")):
        p = r.petition
        items.append(Item(DeadlineAlert.ItemKind.PETITION_REVIEW, r, end_of_day(r.due_on),
                          f"{p.number} {r.get_kind_display()}", p.get_absolute_url(), p.town_id,
                          p.small_grid.large_grid_id))
    for n in (SupervisionNotice.objects.open().filter(deadline__lte=now + HORIZON)
              .select_related("handler__user", "responsible__user", "issuer__user",
                              "leader_in_charge__user")):
        items.append(Item(DeadlineAlert.ItemKind.NOTICE, n, n.deadline, f"{n.number} {n.title}",
                          n.get_absolute_url(), n.town_id, None))
    return items


def _users(staff_list) -> list:
    return [s.user for s in staff_list if s is not None and s.user_id]


def _leaders_in_charge(large_grid_id) -> list:
    """三包: the Party committee member (包片) and section-level leader (包村) of the grid."""
    if large_grid_id is None:
        return []
    return list(leaders_in_charge_users(large_grid_id=large_grid_id))


def _town_role_users(town_id, role) -> list:
    return list(holder_users(role_holders(role=role, town_id=town_id)))


def recipients(item: Item, level: str) -> list:
    """T−3 and T−1 go to the handler; overdue also to the next tier or the issuer, and to
    the leader in charge from the 三包 assignments."""
    obj = item.obj
    if item.kind == DeadlineAlert.ItemKind.NOTICE:
        users = _users([obj.handler or obj.responsible])
        if level == DeadlineAlert.Threshold.OVERDUE:
            users += _users([obj.responsible, obj.issuer, obj.leader_in_charge])
            for large_grid in obj.target_large_grids.all():
                users += _leaders_in_charge(large_grid.pk)
        return users
    if item.kind in (DeadlineAlert.ItemKind.DISPUTE_CONFIRMATION,
                     DeadlineAlert.ItemKind.DISPUTE_FOLLOWUP):
        # The mediator who signed, and the case's handler.
        return _users([obj.mediator, obj.dispute.handler])
    if item.kind == DeadlineAlert.ItemKind.DISPUTE_MEDIATION:
        users = _users([obj.handler])
        if level == DeadlineAlert.Threshold.OVERDUE:
            users += _users([role_holder(role=Role.COMMITTEE_CHAIR,
                                         committee_id=town_committee_ids(town_id=item.town_id))])
            users += _leaders_in_charge(item.large_grid_id)
        return users
    petition = obj.petition if item.kind == DeadlineAlert.ItemKind.PETITION_REVIEW else None
    handler = (petition or obj).handler
    users = _users([handler])
    if level != DeadlineAlert.Threshold.OVERDUE:
        if item.kind == DeadlineAlert.ItemKind.PETITION_REVIEW:
            users += _town_role_users(item.town_id, Role.PETITION_OFFICE)
        return users
    if item.kind == DeadlineAlert.ItemKind.DISPUTE_TIER:
        next_state = next_tier(obj.state)
        if next_state:
            users += _users([handler_for(dispute=obj, state=next_state)])
        else:
            users += _town_role_users(item.town_id, Role.TOWN_LEADERSHIP)
    else:
        users += _town_role_users(item.town_id, Role.PETITION_OFFICE)
    return users + _leaders_in_charge(item.large_grid_id)


MESSAGES = {
    DeadlineAlert.Threshold.T_MINUS_3: _("3天内到期"),
    DeadlineAlert.Threshold.T_MINUS_1: _("1天内到期"),
    DeadlineAlert.Threshold.OVERDUE: _("已超期"),
}


def deadline_alerts_sweep(*, now: datetime.datetime | None = None) -> int:
    """Send the alerts that are due now; returns how many were sent (0 on a repeat run)."""
    now = now or timezone.now()
    sent = 0
    items = _items(now)
    # Skip what was already sent, in one query; the unique constraint still decides races.
    already = set(DeadlineAlert.objects.filter(
        item_id__in={item.obj.pk for item in items}, due_at__lte=now + HORIZON)
        .values_list("item_kind", "item_id", "due_at", "threshold"))
    for item in items:
        level = threshold(now, item.due)
        if level is not None and level not in LEVELS.get(item.kind, {level}):
            level = None
        if level is None or (item.kind, item.obj.pk, item.due, level) in already:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    alert = DeadlineAlert.objects.create(item_kind=item.kind, item_id=item.obj.pk,
                                                         due_at=item.due, threshold=level)
            except IntegrityError:
                continue  # already sent, by an earlier run or another worker
            users = {u.pk: u for u in recipients(item, level)}
            rows = notify(recipients=users.values(),
                          title=f"{MESSAGES[level]}：{item.label}",
                          body=_("期限：%(due)s") % {
                              "due": timezone.localtime(item.due).strftime("%Y-%m-%d %H:%M")},
                          url=item.url)
            DeadlineAlert.objects.filter(pk=alert.pk).update(recipients=len(rows))
            if (item.kind == DeadlineAlert.ItemKind.NOTICE
                    and level == DeadlineAlert.Threshold.OVERDUE):
                trace_overdue_notice(item.obj)
            sent += 1
    return sent



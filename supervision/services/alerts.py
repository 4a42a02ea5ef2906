"""Deadline alerts: one sweep finds what is near or past its deadline and alerts at T−3
days, T−1 day and at overdue — each alert exactly once per item, deadline and threshold,
however often the sweep runs and however many workers run it at once (the
``supervision_alert_once`` unique constraint decides, not the scheduler).

Beside the tier, petition and notice deadlines: a dispute's whole-case ``mediation_due``
(若干规定 第三十三条), like a tier's; the judicial-confirmation window at T−3 and T−1 only,
when the parties asked for it and nothing is recorded (人民调解法 第三十三条); and a
reminder to follow up once an agreement's performance date has passed without a visit
(若干规定 第三十八条), at overdue only. A referral's receipt and result missing at the
receiving unit's deadline (``disputes.deadlines.referral_*_due``) alert once, at overdue; a
legal-aid matter's decision and assignment (法律援助法 第四十三条) like a tier's."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Value, When
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.stored_text import choice_label, joined, stored
from disputes.deadlines import JUDICIAL_CONFIRMATION_DAYS, judicial_confirmation_until
from disputes.models import Dispute, DisputeReferral, MediationAgreement
from disputes.services.routing import handlers_for_many
from disputes.states import DisputeState, next_tier
from grid.models import LEADER_IN_CHARGE_ROLES, MediationCommittee, Role
from grid.selectors import role_holders
from inbox.notifications import Message, notify_many
from legalaid.models import LegalAidMatter
from legalaid.states import LegalAidState
from petitions.models import Petition, PetitionQuerySet, PetitionReview

from ..models import DeadlineAlert, SupervisionNotice
from .tracing import trace_overdue_notices

HORIZON = datetime.timedelta(days=3)
# The thresholds each kind alerts at (all three unless listed).
LEVELS = {
    DeadlineAlert.ItemKind.DISPUTE_CONFIRMATION: {DeadlineAlert.Threshold.T_MINUS_3,
                                                  DeadlineAlert.Threshold.T_MINUS_1},
    DeadlineAlert.ItemKind.DISPUTE_FOLLOWUP: {DeadlineAlert.Threshold.OVERDUE},
    DeadlineAlert.ItemKind.REFERRAL_RECEIPT: {DeadlineAlert.Threshold.OVERDUE},
    DeadlineAlert.ItemKind.REFERRAL_RESULT: {DeadlineAlert.Threshold.OVERDUE},
}
REFERRAL_KINDS = (DeadlineAlert.ItemKind.REFERRAL_RECEIPT, DeadlineAlert.ItemKind.REFERRAL_RESULT)
LEGAL_AID_KINDS = (DeadlineAlert.ItemKind.LEGAL_AID_DECISION,
                   DeadlineAlert.ItemKind.LEGAL_AID_ASSIGN)
# The longest the confirmation window can run past 30 days: the Spring Festival holiday.
CONFIRMATION_LOOKBACK = datetime.timedelta(days=JUDICIAL_CONFIRMATION_DAYS + 12)


@dataclass
class Item:
    kind: str
    obj: object
    due: datetime.datetime
    label: str | dict  # a stored text (core.stored_text)
    url: str
    town_id: int
    large_grid_id: int | None


def _label(number: str, what, **params) -> dict:
    """An item's label: its number and what is due (a message id or a lazy label)."""
    return joined(number, stored(what, **params), sep=" ")


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


def _not_yet_alerted(qs, kind: str, due_field: str, now: datetime.datetime):
    """Leave out, in the query, the items whose alert for their current threshold was sent:
    a repeat run reads only what is new, not every item near its deadline. The threshold is
    ``threshold()``'s rule written as SQL."""
    level = Case(
        When(**{f"{due_field}__lt": now}, then=Value(DeadlineAlert.Threshold.OVERDUE)),
        When(**{f"{due_field}__lte": now + datetime.timedelta(days=1)},
             then=Value(DeadlineAlert.Threshold.T_MINUS_1)),
        default=Value(DeadlineAlert.Threshold.T_MINUS_3), output_field=CharField())
    sent = DeadlineAlert.objects.filter(item_kind=kind, item_id=OuterRef("pk"),
                                        due_at=OuterRef(due_field),
                                        threshold=OuterRef("alert_level"))
    return qs.annotate(alert_level=level).filter(~Exists(sent))


def _items(now: datetime.datetime) -> list[Item]:
    today = timezone.localdate(now)
    horizon_day = today + HORIZON
    # Date deadlines are kept on their day: due by the horizon's day is due before the next.
    after_horizon = horizon_day + datetime.timedelta(days=1)
    items: list[Item] = []
    for d in (_not_yet_alerted(Dispute.objects.open().filter(tier_due_at__lte=now + HORIZON),
                               DeadlineAlert.ItemKind.DISPUTE_TIER, "tier_due_at", now)
              .select_related("small_grid", "handler__user")):
        items.append(Item(DeadlineAlert.ItemKind.DISPUTE_TIER, d, d.tier_due_at,
                          _label(d.number, choice_label(d, "state")),
                          d.get_absolute_url(), d.town_id,
                          d.small_grid.large_grid_id))
    for d in (Dispute.objects.open().filter(mediation_due__lt=after_horizon)
              .select_related("small_grid", "handler__user")):
        items.append(Item(DeadlineAlert.ItemKind.DISPUTE_MEDIATION, d, end_of_day(d.mediation_due),
                          _label(d.number, gettext_noop("调解期限")), d.get_absolute_url(), d.town_id,
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
                              _label(d.number, gettext_noop("司法确认申请期限")), d.get_absolute_url(),
                              d.town_id, d.small_grid.large_grid_id))
    for a in agreements.filter(dispute__state=DisputeState.RESOLVED,
                               performance_deadline__lt=today).exclude(
            dispute__followups__visited_on__gte=F("performance_deadline")):
        d = a.dispute
        items.append(Item(DeadlineAlert.ItemKind.DISPUTE_FOLLOWUP, a,
                          end_of_day(a.performance_deadline),
                          _label(d.number, gettext_noop("协议履行期限已过，请回访")), d.get_absolute_url(),
                          d.town_id, d.small_grid.large_grid_id))
    for p in (Petition.objects.filter(PetitionQuerySet.accept_due_before_q(after_horizon))
              .select_related("small_grid", "handler__user")):
        items.append(Item(DeadlineAlert.ItemKind.PETITION_ACCEPT, p, end_of_day(p.accept_due),
                          _label(p.number, gettext_noop("受理告知")), p.get_absolute_url(), p.town_id,
                          p.small_grid.large_grid_id))
    for p in (Petition.objects.filter(PetitionQuerySet.reply_due_before_q(after_horizon))
              .select_related("small_grid", "handler__user")):
        items.append(Item(DeadlineAlert.ItemKind.PETITION_REPLY, p, end_of_day(p.reply_due),
                          _label(p.number, gettext_noop("办理答复")), p.get_absolute_url(), p.town_id,
                          p.small_grid.large_grid_id))
    for r in (PetitionReview.objects.pending().filter(due_on__lt=after_horizon)
              .select_related("petition", "petition__small_grid", "petition__handler__user")):
        p = r.petition
        items.append(Item(DeadlineAlert.ItemKind.PETITION_REVIEW, r, end_of_day(r.due_on),
                          _label(p.number, choice_label(r, "kind")),
                          p.get_absolute_url(), p.town_id,
                          p.small_grid.large_grid_id))
    for n in (_not_yet_alerted(SupervisionNotice.objects.open().filter(deadline__lte=now + HORIZON),
                               DeadlineAlert.ItemKind.NOTICE, "deadline", now)
              .select_related("handler__user", "responsible__user", "issuer__user",
                              "leader_in_charge__user").prefetch_related("target_large_grids")):
        items.append(Item(DeadlineAlert.ItemKind.NOTICE, n, n.deadline, f"{n.number} {n.title}",
                          n.get_absolute_url(), n.town_id, None))
    return items + _linkage_items(now, after_horizon)


def _linkage_items(now: datetime.datetime, after_horizon: datetime.date) -> list[Item]:
    """Referrals past their receipt or result deadline (overdue only, so only those past
    it are read) and legal-aid matters near their decision or assignment deadline."""
    items = []
    referrals = DisputeReferral.objects.select_related(
        "dispute", "dispute__small_grid", "liaison__user", "referred_by")
    for r in _not_yet_alerted(referrals.awaiting_receipt().filter(receipt_due__lt=now),
                              DeadlineAlert.ItemKind.REFERRAL_RECEIPT, "receipt_due", now):
        d = r.dispute
        items.append(Item(DeadlineAlert.ItemKind.REFERRAL_RECEIPT, r, r.receipt_due,
                          _label(d.number, gettext_noop("移交未签收：%(unit)s"),
                                 unit=r.receiving_unit),
                          d.get_absolute_url(), d.town_id, d.small_grid.large_grid_id))
    for r in _not_yet_alerted(referrals.awaiting_result().filter(result_due__lt=now),
                              DeadlineAlert.ItemKind.REFERRAL_RESULT, "result_due", now):
        d = r.dispute
        items.append(Item(DeadlineAlert.ItemKind.REFERRAL_RESULT, r, r.result_due,
                          _label(d.number, gettext_noop("移交未反馈办理结果：%(unit)s"),
                                 unit=r.receiving_unit),
                          d.get_absolute_url(), d.town_id, d.small_grid.large_grid_id))
    matters = LegalAidMatter.objects.select_related("small_grid", "handler__user")
    for m in matters.filter(state=LegalAidState.TRANSFERRED, decision_due__lt=after_horizon):
        items.append(Item(DeadlineAlert.ItemKind.LEGAL_AID_DECISION, m, end_of_day(m.decision_due),
                          _label(m.number, gettext_noop("法律援助审查决定")),
                          m.get_absolute_url(), m.town_id,
                          m.small_grid.large_grid_id))
    for m in matters.filter(state=LegalAidState.GRANTED, assignment_due__lt=after_horizon):
        items.append(Item(DeadlineAlert.ItemKind.LEGAL_AID_ASSIGN, m, end_of_day(m.assignment_due),
                          _label(m.number, gettext_noop("法律援助指派承办")),
                          m.get_absolute_url(), m.town_id,
                          m.small_grid.large_grid_id))
    return items


def _users(staff_list) -> list:
    return [s.user for s in staff_list if s is not None and s.user_id]


class Recipients:
    """Who is alerted for a set of items, looked up for all of them at once: the next tier's
    handler of each overdue case, the town posts (leadership, petition office, the town
    committee's chair) and the leaders in charge of each large grid, in a fixed number of queries whatever the items."""

    def __init__(self, due: list[tuple[Item, str]]):
        overdue_cases = [item.obj for item, level in due
                         if item.kind == DeadlineAlert.ItemKind.DISPUTE_TIER
                         and level == DeadlineAlert.Threshold.OVERDUE]
        self.next_handler = handlers_for_many(disputes=overdue_cases,
                                              state_of=lambda d: next_tier(d.state))
        town_ids = {item.town_id for item, _level in due}
        self.town_users: dict = defaultdict(list)
        for a in role_holders(role=[Role.TOWN_LEADERSHIP, Role.PETITION_OFFICE,
                                    Role.GOVERNANCE_OFFICE, Role.JUDICIAL_OFFICE],
                              town_id=town_ids).select_related("staff__user"):
            if a.staff.user_id:
                self.town_users[a.town_id, a.role].append(a.staff.user)
        large_grid_ids = {item.large_grid_id for item, _level in due if item.large_grid_id}
        for item, _level in due:
            if item.kind == DeadlineAlert.ItemKind.NOTICE:
                large_grid_ids |= {g.pk for g in item.obj.target_large_grids.all()}
        self.town_chair: dict = {}
        town_committees = MediationCommittee.objects.filter(
            town_id__in=town_ids, level=MediationCommittee.Level.TOWN).values("id")
        for a in role_holders(role=Role.COMMITTEE_CHAIR, committee_id=town_committees
                              ).select_related("staff__user", "committee"):
            if a.staff.user_id:
                self.town_chair.setdefault(a.committee.town_id, a.staff.user)
        self.in_charge: dict = defaultdict(list)
        for a in role_holders(role=LEADER_IN_CHARGE_ROLES, large_grid_id=large_grid_ids
                              ).select_related("staff__user"):
            if a.staff.user_id:
                self.in_charge[a.large_grid_id].append(a.staff.user)

    def leaders_in_charge(self, large_grid_id) -> list:
        """三包: the Party committee member (包片) and section-level leader (包村) of the grid."""
        return list(self.in_charge.get(large_grid_id, [])) if large_grid_id else []

    def chair(self, town_id) -> list:
        """The town committee's chair (the fourth line)."""
        user = self.town_chair.get(town_id)
        return [user] if user else []

    def town_role_users(self, town_id, role) -> list:
        return list(self.town_users.get((town_id, role), []))


def recipients(item: Item, level: str, book: Recipients | None = None) -> list:
    """T−3 and T−1 go to the handler; overdue also to the next tier or the issuer, and to
    the leader in charge from the 三包 assignments."""
    book = book or Recipients([(item, level)])
    obj = item.obj
    if item.kind in REFERRAL_KINDS:
        # The receiving unit's liaison, who referred it, and the governance office that
        # coordinates the docking model (docs/domain.md, "Docking mediation").
        return (_users([obj.liaison]) + [obj.referred_by]
                + book.town_role_users(item.town_id, Role.GOVERNANCE_OFFICE))
    if item.kind in LEGAL_AID_KINDS:
        return _users([obj.handler]) + book.town_role_users(item.town_id, Role.JUDICIAL_OFFICE)
    if item.kind == DeadlineAlert.ItemKind.NOTICE:
        users = _users([obj.handler or obj.responsible])
        if level == DeadlineAlert.Threshold.OVERDUE:
            users += _users([obj.responsible, obj.issuer, obj.leader_in_charge])
            for large_grid in obj.target_large_grids.all():
                users += book.leaders_in_charge(large_grid.pk)
        return users
    if item.kind in (DeadlineAlert.ItemKind.DISPUTE_CONFIRMATION,
                     DeadlineAlert.ItemKind.DISPUTE_FOLLOWUP):
        # The mediator who signed, and the case's handler.
        return _users([obj.mediator, obj.dispute.handler])
    if item.kind == DeadlineAlert.ItemKind.DISPUTE_MEDIATION:
        users = _users([obj.handler])
        if level == DeadlineAlert.Threshold.OVERDUE:
            users += book.chair(item.town_id)
            users += book.leaders_in_charge(item.large_grid_id)
        return users
    petition = obj.petition if item.kind == DeadlineAlert.ItemKind.PETITION_REVIEW else None
    handler = (petition or obj).handler
    users = _users([handler])
    if level != DeadlineAlert.Threshold.OVERDUE:
        if item.kind == DeadlineAlert.ItemKind.PETITION_REVIEW:
            users += book.town_role_users(item.town_id, Role.PETITION_OFFICE)
        return users
    if item.kind == DeadlineAlert.ItemKind.DISPUTE_TIER:
        if next_tier(obj.state):
            users += _users([book.next_handler.get(obj.pk)])
        else:
            users += book.town_role_users(item.town_id, Role.TOWN_LEADERSHIP)
    else:
        users += book.town_role_users(item.town_id, Role.PETITION_OFFICE)
    return users + book.leaders_in_charge(item.large_grid_id)


# The alerts' words per threshold: message ids, stored in the notification and read in the
# reader's language (core.stored_text).
MESSAGES = {
    DeadlineAlert.Threshold.T_MINUS_3: gettext_noop("3天内到期"),
    DeadlineAlert.Threshold.T_MINUS_1: gettext_noop("1天内到期"),
    DeadlineAlert.Threshold.OVERDUE: gettext_noop("已超期"),
}


def deadline_alerts_sweep(*, now: datetime.datetime | None = None) -> int:
    """Send the alerts that are due now; returns how many were sent (0 on a repeat run).

    Set-based: the items (one query per kind), the alerts already sent, the recipients of all
    of them, then one insert of the alerts (``ON CONFLICT DO NOTHING``: the unique constraint
    decides races with another worker, and only the rows this run inserted are notified) and
    one insert of the notifications. An overdue notice also opens its responsibility trace."""
    now = now or timezone.now()
    items = _items(now)
    # Skip what was already sent, in one query; the unique constraint still decides races.
    already = set(DeadlineAlert.objects.filter(
        item_id__in={item.obj.pk for item in items}, due_at__lte=now + HORIZON)
        .values_list("item_kind", "item_id", "due_at", "threshold"))
    due = []
    for item in items:
        level = threshold(now, item.due)
        if level is not None and level not in LEVELS.get(item.kind, {level}):
            level = None
        if level is not None and (item.kind, item.obj.pk, item.due, level) not in already:
            due.append((item, level))
    if not due:
        return 0
    book = Recipients(due)
    planned = {}
    for item, level in due:
        users = {u.pk: u for u in recipients(item, level, book) if u.is_active}
        planned[item.kind, item.obj.pk, item.due, level] = (item, users)
    with transaction.atomic():
        sent = _insert_alerts(planned)
        messages = []
        for key in sent:
            item, users = planned[key]
            level = key[3]
            messages.append(Message(
                recipients=list(users.values()),
                title=stored(gettext_noop("%(threshold)s：%(item)s"),
                             threshold=stored(MESSAGES[level]), item=item.label),
                body=stored(gettext_noop("期限：%(due)s"), due=item.due),
                url=item.url,
                # An overdue item may reach a phone in the quiet hours; the warnings wait.
                kind="urgent" if level == DeadlineAlert.Threshold.OVERDUE else "alert"))
        notify_many(messages)
        trace_overdue_notices([
            planned[key][0].obj for key in sent
            if planned[key][0].kind == DeadlineAlert.ItemKind.NOTICE
            and key[3] == DeadlineAlert.Threshold.OVERDUE])
    return len(sent)


def _insert_alerts(planned: dict) -> list[tuple]:
    """Insert the planned alerts, skipping any another run inserted meanwhile; the keys of
    those this run inserted."""
    table = DeadlineAlert._meta.db_table
    rows = [(kind, pk, due, level, len(users), timezone.now())
            for (kind, pk, due, level), (_item, users) in planned.items()]
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (item_kind, item_id, due_at, threshold, recipients, sent_at)"
            f" VALUES {placeholders} ON CONFLICT (item_kind, item_id, due_at, threshold)"
            f" DO NOTHING RETURNING item_kind, item_id, due_at, threshold",
            [value for row in rows for value in row])
        inserted = cursor.fetchall()
    field = DeadlineAlert._meta.get_field("due_at")
    keys = []
    for kind, pk, due, level in inserted:
        # SQLite returns the stamp as text; PostgreSQL as an aware datetime.
        due = field.to_python(due)
        if timezone.is_naive(due):
            due = timezone.make_aware(due, datetime.UTC)
        keys.append((kind, pk, due, level))
    return keys

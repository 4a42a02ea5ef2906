"""What the people concerned are told by SMS, and when.

- Staff: hand-overs and deadline alerts (the inbox's ``sms`` channel, registered in
  ``OutreachConfig.ready``), when they have a mobile number that has not opted out.
- The parties to a dispute: mediation accepted, a session's date and place, the agreement or
  the termination, the judicial-confirmation reminder (人民调解法 第三十三条).
- Petitioners: accepted, extended, replied (信访工作条例 第二十一条).

Each message is written in the transaction of the change (a history row, a session) and
sent on the worker; a message's ``dedupe_key`` keeps a cause from texting anyone twice.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from disputes.deadlines import JUDICIAL_CONFIRMATION_DAYS, judicial_confirmation_until
from disputes.models import Dispute, DisputeEvent, MediationAgreement
from grid.models import Staff
from inbox.models import Notification
from petitions.models import PetitionEvent

from ..states import SmsRecipientKind
from .sms import phone_key, sms_queue

STAFF_TEMPLATES = {
    Notification.Kind.HANDOVER: "staff_handover",
    Notification.Kind.ALERT: "staff_alert",
    Notification.Kind.URGENT: "staff_urgent",
}

DISPUTE_TEMPLATES = {
    DisputeEvent.Action.CREATE: "dispute_accepted",
    DisputeEvent.Action.RESOLVE: "dispute_resolved",
    DisputeEvent.Action.TERMINATE: "dispute_terminated",
}

PETITION_TEMPLATES = {
    PetitionEvent.Action.ACCEPT: "petition_accepted",
    PetitionEvent.Action.APPROVE_EXTENSION: "petition_extended",
    PetitionEvent.Action.EXTEND: "petition_extended",
    PetitionEvent.Action.REPLY: "petition_replied",
}

# The reminder goes this many days before the judicial-confirmation window closes.
CONFIRMATION_REMINDER_DAYS = 3


# --- Staff ---------------------------------------------------------------------------

def staff_sms_wants(notification) -> bool:
    """The ``sms`` channel carries hand-overs and alerts only (no query here: the number is
    looked up when the outbox delivers)."""
    return notification.kind in STAFF_TEMPLATES


def staff_sms_send(notification) -> None:
    """The outbox's delivery by the ``sms`` channel: queue the text message for the
    recipient's mobile (nothing when they have none)."""
    staff = (Staff.objects.select_related("town").filter(user_id=notification.recipient_id)
             .first())
    if staff is None or not staff.phone:
        return
    sms_queue(phone=staff.phone, template=STAFF_TEMPLATES[notification.kind],
              params={"title": notification.title}, town=staff.town,
              recipient_kind=SmsRecipientKind.STAFF, notification=notification,
              dedupe_key=f"notification:{notification.pk}")


# --- The parties to a dispute ----------------------------------------------------------

def _dispute_params(dispute: Dispute) -> dict:
    return {"number": dispute.number, "code": dispute.query_code or ""}


def _text_parties(dispute: Dispute, template: str, params: dict, cause: str) -> int:
    sent = 0
    for party in dispute.parties.all():
        if sms_queue(phone=party.phone, template=template, params=params, town=dispute.town,
                     small_grid=dispute.small_grid, dispute=dispute,
                     recipient_kind=SmsRecipientKind.PARTY,
                     dedupe_key=f"dispute:{dispute.pk}:{cause}:{phone_key(party.phone)}"):
            sent += 1
    return sent


def dispute_event_texts(event: DisputeEvent) -> int:
    """The parties' message for a history row, if its action is one they are told of."""
    template = DISPUTE_TEMPLATES.get(event.action)
    if template is None:
        return 0
    dispute = Dispute.objects.select_related("town").get(pk=event.dispute_id)
    # One "accepted" per case and number, whether it came from intake or an application.
    cause = "accepted" if event.action == DisputeEvent.Action.CREATE else f"e{event.pk}"
    return _text_parties(dispute, template, _dispute_params(dispute), cause)


def dispute_session_texts(session) -> int:
    """A session arranged ahead (its time is still to come): its date and place."""
    if session.held_at <= timezone.now():
        return 0
    dispute = Dispute.objects.select_related("town").get(pk=session.dispute_id)
    place = session.place or (session.room.name if session.room_id else "") or dispute.town.name
    when = timezone.localtime(session.held_at).strftime("%-m月%-d日%H:%M")
    return _text_parties(dispute, "dispute_session",
                         {**_dispute_params(dispute), "time": when, "place": place},
                         f"session{session.pk}")


def confirmation_reminders(*, today: datetime.date | None = None) -> int:
    """The parties who asked for judicial confirmation and have not applied are reminded
    ``CONFIRMATION_REMINDER_DAYS`` days before the window closes (人民调解法 第三十三条:
    30 days from the agreement's taking effect). Gives the same result if run twice."""
    today = today or timezone.localdate()
    earliest = today - datetime.timedelta(days=JUDICIAL_CONFIRMATION_DAYS + 40)
    agreements = (MediationAgreement.objects
                  .filter(kind=MediationAgreement.Kind.WRITTEN, concerns_personal_status=False,
                          confirmation_requested=True, confirmation__isnull=True,
                          signed_on__gte=earliest)
                  .select_related("dispute__town", "dispute__small_grid"))
    sent = 0
    for agreement in agreements:
        until = judicial_confirmation_until(agreement.signed_on)
        if until is None or until - today != datetime.timedelta(days=CONFIRMATION_REMINDER_DAYS):
            continue
        dispute = agreement.dispute
        sent += _text_parties(dispute, "dispute_confirmation",
                              {"number": dispute.number, "date": f"{until:%-m月%-d日}"},
                              "confirmation")
    return sent


# --- Petitioners -----------------------------------------------------------------------

def petition_event_texts(event: PetitionEvent) -> int:
    template = PETITION_TEMPLATES.get(event.action)
    if template is None:
        return 0
    petition = event.petition
    params = {"number": petition.number, "code": petition.query_code or "",
              "date": f"{petition.reply_due:%Y年%-m月%-d日}" if petition.reply_due else ""}
    sent = 0
    for person in petition.petitioners.all():
        if sms_queue(phone=person.phone, template=template, params=params, town=petition.town,
                     small_grid=petition.small_grid, petition=petition,
                     recipient_kind=SmsRecipientKind.PETITIONER,
                     dedupe_key=f"petition:{petition.pk}:e{event.pk}:{phone_key(person.phone)}"):
            sent += 1
    return sent

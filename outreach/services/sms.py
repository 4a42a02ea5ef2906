"""Text messages: queued in the transaction of the change that causes them, sent on the
worker through ``inbox.sms.gateway()``, each once.

- Quiet hours (``SMS_QUIET_START``–``SMS_QUIET_END``, 22:00–07:00 Asia/Shanghai): a message
  that is not urgent waits until they end; urgent alerts and verification codes go at once.
- Opt-out: a number in ``SmsOptOut`` gets nothing; its messages are marked so, not sent.
- Retries: a failed send is tried again after ``SMS_RETRY_DELAY`` seconds, doubled after each
  failure (at most an hour), and marked failed after ``SMS_MAX_ATTEMPTS``. Nothing here runs
  in the request that caused the message, so a gateway that is down never holds up a
  transition.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.crypto import keyed_hash
from core.validators import MOBILE_RE
from inbox.sms import SmsError, gateway

from ..models import SmsMessage, SmsOptOut
from ..states import SmsStatus
from ..texts import TEMPLATES, render

logger = logging.getLogger(__name__)

MAX_DELAY = 3600


def sign_name(town) -> str:
    """The town's signature at the head of each message (【黄寨镇】)."""
    return town.name if town is not None else str(settings.SMS_DEFAULT_SIGN)


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failure."""
    return min(settings.SMS_RETRY_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)


def in_quiet_hours(at: datetime.datetime) -> bool:
    hour = timezone.localtime(at).hour
    start, end = settings.SMS_QUIET_START, settings.SMS_QUIET_END
    return (hour >= start or hour < end) if start > end else start <= hour < end


def quiet_hours_end(at: datetime.datetime) -> datetime.datetime:
    """The first moment after ``at`` outside the quiet hours (``at`` itself if outside)."""
    local = timezone.localtime(at)
    if not in_quiet_hours(local):
        return at
    end = local.replace(hour=settings.SMS_QUIET_END, minute=0, second=0, microsecond=0)
    if end <= local:
        end += datetime.timedelta(days=1)
    return end


def is_opted_out(phone: str) -> bool:
    return SmsOptOut.objects.filter(phone_hash=keyed_hash(phone)).exists()


def sms_opt_out(*, phone: str, source: str = "") -> SmsOptOut:
    """Stop all text messages to ``phone`` (退订); the messages still waiting are not sent."""
    row, _created = SmsOptOut.objects.get_or_create(phone_hash=keyed_hash(phone),
                                                    defaults={"source": source[:40]})
    return row


def sms_opt_in(*, phone: str) -> None:
    SmsOptOut.objects.filter(phone_hash=keyed_hash(phone)).delete()


def sms_queue(*, phone: str, template: str, params: dict, town, recipient_kind: str,
              small_grid=None, dispute=None, petition=None, application=None,
              notification=None, dedupe_key: str | None = None) -> SmsMessage | None:
    """Write one message to ``phone`` and hand it to the worker after the commit. Nothing is
    written for a number that is not a mobile, or when ``dedupe_key`` was used already.
    The text is rendered now, shortened to one segment (``outreach.texts``)."""
    phone = (phone or "").strip()
    if not MOBILE_RE.match(phone):
        return None
    text, used = render(template, {"sign": sign_name(town), **params})
    row = SmsMessage(phone=phone, template=template, params=used, text=text,
                     urgent=TEMPLATES[template].urgent, town=town, small_grid=small_grid,
                     recipient_kind=recipient_kind, dispute=dispute, petition=petition,
                     application=application, notification=notification,
                     dedupe_key=dedupe_key)
    if dedupe_key and SmsMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # the same cause queued it meanwhile
        return None
    transaction.on_commit(lambda: sms_enqueue([row.pk]))
    return row


def sms_enqueue(ids: list[int]) -> bool:
    """Hand messages to the worker; never waits on the broker, never raises (the sweep sends
    what was not handed over)."""
    from ..tasks import sms_deliver as sms_deliver_task

    try:
        sms_deliver_task.apply_async(args=[ids], retry=False)
    except Exception as exc:  # the sweep sends what is left
        logger.warning("sms: broker unavailable, %d message(s) left for the sweep (%s)",
                       len(ids), exc)
        return False
    return True


def sms_deliver(*, ids: list[int] | None = None, at=None, limit: int = 500) -> list[int]:
    """Send waiting messages: ``ids`` (the task) or every message due at ``at`` (the sweep).
    Returns the ids that failed now and will be tried again."""
    at = at or timezone.now()
    pending = SmsMessage.objects.pending()
    candidates = pending.filter(pk__in=ids) if ids is not None else pending.due(at=at)
    retry = []
    transport = None
    for pk in list(candidates.order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            row = (SmsMessage.objects.pending().select_for_update(skip_locked=True)
                   .filter(pk=pk).first())
            if row is None:  # sent meanwhile, or held by another worker right now
                continue
            now = timezone.now()
            if is_opted_out(row.phone):
                row.status = SmsStatus.OPTED_OUT
                row.save(update_fields=["status"])
                continue
            if not row.urgent and in_quiet_hours(now):
                row.next_attempt_at = quiet_hours_end(now)
                row.save(update_fields=["next_attempt_at"])
                continue
            transport = transport or gateway()
            try:
                receipt = transport.send(phone=row.phone, sign_name=sign_name(row.town),
                                         template_id=row.template, params=row.params,
                                         text=row.text)
            except SmsError as exc:
                row.attempts += 1
                row.last_error = f"{exc}"[:300]
                if row.attempts >= settings.SMS_MAX_ATTEMPTS:
                    row.status = SmsStatus.FAILED
                else:
                    row.next_attempt_at = now + datetime.timedelta(
                        seconds=retry_delay(row.attempts))
                    retry.append(row.pk)
                row.save(update_fields=["attempts", "last_error", "status",
                                        "next_attempt_at"])
                logger.warning("sms %s failed (%s)", row.pk, exc)
            else:
                row.status = (SmsStatus.DELIVERED if receipt.status == "delivered"
                              else SmsStatus.SENT)
                row.gateway_id = receipt.message_id
                row.sent_at = now
                row.save(update_fields=["status", "gateway_id", "sent_at"])
    return retry


def sms_refresh_status(*, limit: int = 200) -> int:
    """Ask the gateway what became of the messages it accepted (per-message status);
    returns how many changed."""
    changed = 0
    transport = None
    for row in SmsMessage.objects.filter(status=SmsStatus.SENT).order_by("sent_at")[:limit]:
        transport = transport or gateway()
        try:
            status = transport.status(row.gateway_id)
        except SmsError:
            continue
        new = {"delivered": SmsStatus.DELIVERED, "failed": SmsStatus.FAILED}.get(status)
        if new:
            SmsMessage.objects.filter(pk=row.pk, status=SmsStatus.SENT).update(status=new)
            changed += 1
    return changed


def phone_key(phone: str) -> str:
    """The keyed hash of a number, for dedupe keys (never the number itself)."""
    return keyed_hash(phone)[:16]

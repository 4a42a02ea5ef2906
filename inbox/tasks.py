"""Inbox tasks: sending notifications by e-mail."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from .models import Notification


@shared_task(name="inbox.tasks.notification_email_send", autoretry_for=(OSError,),
             retry_backoff=True, max_retries=5)
def notification_email_send(notification_ids: list[int]) -> int:
    """E-mail these notifications to recipients with an address; returns how many were sent."""
    sent = 0
    for note in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
        if not note.recipient.email:
            continue
        body = note.body
        if note.url:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{note.url}"
        sent += send_mail(note.title, body, settings.DEFAULT_FROM_EMAIL, [note.recipient.email])
    return sent

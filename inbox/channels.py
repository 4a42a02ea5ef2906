"""Notification channels beyond the in-app inbox. E-mail goes through Django's mail settings
(the console in the embedded default); an SMS gateway would be one more channel here,
registered the same way in ``InboxConfig.ready``. Each channel says which notifications it
carries (``wants``) and sends one (``send``, raising on failure); the outbox
(``inbox.outbox``) does the rest: rows in the caller's transaction, retries, once only."""

from django.conf import settings
from django.core.mail import send_mail


def email_wants(notification) -> bool:
    """E-mail only recipients who have an address."""
    return bool(notification.recipient.email)


def email_send(notification) -> None:
    """Send one notification by e-mail; raises when the mail server refuses or is away."""
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
    send_mail(notification.title, body, settings.DEFAULT_FROM_EMAIL,
              [notification.recipient.email], fail_silently=False)

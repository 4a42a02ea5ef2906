"""Notification channels beyond the in-app inbox. E-mail goes through Django's mail settings
(the console in the embedded default); an SMS gateway would be one more channel here,
registered the same way in ``InboxConfig.ready``. Each channel says which notifications it
carries (``wants``) and sends one (``send``, raising on failure); the outbox
(``inbox.outbox``) does the rest: rows in the caller's transaction, retries, once only."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation


def email_wants(notification) -> bool:
    """E-mail only recipients who have an address."""
    return bool(notification.recipient.email)


def email_send(notification) -> None:
    """Send one notification by e-mail, in the recipient's language; raises when the mail
    server refuses or is away."""
    with translation.override(recipient_language(notification.recipient)):
        title, body = notification.title_display, notification.body_display
    if notification.url:
        body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}"
    send_mail(title, body, settings.DEFAULT_FROM_EMAIL,
              [notification.recipient.email], fail_silently=False)


def recipient_language(user) -> str:
    """The language a message leaving the system is written in: the user's own where the user
    model keeps one (``language``), else the project's (Chinese); the language chosen in the
    header lives in a browser cookie, which a worker cannot see."""
    chosen = getattr(user, "language", "")
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE

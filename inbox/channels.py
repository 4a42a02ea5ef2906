"""Notification channels beyond the in-app inbox. E-mail goes through Django's mail settings
(the console in the embedded default); an SMS gateway would be one more function here,
registered the same way."""

from django.db import transaction


def email_channel(notifications) -> None:
    """Queue an e-mail for each notification whose recipient has an address."""
    from .tasks import notification_email_send

    ids = [n.pk for n in notifications]
    if ids:
        transaction.on_commit(lambda: notification_email_send.delay(ids))

"""Sending notifications: one small interface, so that other channels (SMS) can be added.

``notify(recipients=..., title=..., body=..., url=...)`` writes one in-app message per
recipient in the caller's transaction. Later channels register with ``register_channel``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from .models import Notification

_channels: list[Callable] = []


def register_channel(send: Callable) -> None:
    """``send(notifications)`` is called with the saved in-app rows, in the caller's
    transaction; a channel that leaves the system defers its work with ``on_commit``."""
    if send not in _channels:
        _channels.append(send)


def notify(*, recipients: Iterable, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Write an in-app notification for each distinct active user in ``recipients``."""
    User = get_user_model()
    users = {u.pk: u for u in recipients if isinstance(u, User) and u.is_active}
    rows = Notification.objects.bulk_create(
        [Notification(recipient_id=pk, title=title[:200], body=body, url=url) for pk in users])
    for send in _channels:
        if rows:
            send(rows)
    return rows


@dataclass
class Message:
    """One message to several recipients, for ``notify_many``."""

    recipients: list
    title: str
    body: str = ""
    url: str = ""


def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """``notify`` for many messages at once: one insert for all their rows, and each channel
    called once with all of them (a sweep's alerts cost the same queries for one or many)."""
    User = get_user_model()
    rows = []
    for m in messages:
        users = {u.pk for u in m.recipients if isinstance(u, User) and u.is_active}
        rows += [Notification(recipient_id=pk, title=m.title[:200], body=m.body, url=m.url)
                 for pk in users]
    rows = Notification.objects.bulk_create(rows)
    for send in _channels:
        if rows:
            send(rows)
    return rows


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

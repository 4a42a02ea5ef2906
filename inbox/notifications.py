"""Sending notifications: one small interface, so that other channels (SMS) can be added.

``notify(recipients=..., title=..., body=..., url=...)`` writes one in-app message per
recipient and, for each channel that wants it, one outbox row (``inbox.outbox``), all in the
caller's transaction; delivery happens after the commit, on the worker.

A title or body the system writes is a stored text (``core.stored_text.stored``), shown in
each reader's language; a plain string (typed by a user) stays as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection

from core.stored_text import split

from .models import Notification, OutboxMessage


@dataclass(frozen=True)
class Channel:
    name: str
    wants: Callable  # wants(notification) -> bool
    send: Callable  # send(notification) -> None, raises on failure


_channels: dict[str, Channel] = {}


def register_channel(name: str, *, wants: Callable, send: Callable) -> None:
    """Add a channel that carries notifications out of the system (e-mail, SMS)."""
    _channels[name] = Channel(name=name, wants=wants, send=send)


def channel(name: str) -> Channel | None:
    return _channels.get(name)


def notify(*, recipients: Iterable, title: str | dict, body: str | dict = "", url: str = "",
           kind: str = "") -> list[Notification]:
    """Write an in-app notification for each distinct active user in ``recipients``, and an
    outbox row per channel that wants it; the rows are handed to the worker after commit.
    ``kind`` (``Notification.Kind``) tells the channels what it is (a hand-over, an alert)."""
    return notify_many([Message(recipients=list(recipients), title=title, body=body, url=url,
                                kind=kind)])


@dataclass
class Message:
    """One message to several recipients, for ``notify_many``."""

    recipients: list
    title: str | dict  # a stored text (core.stored_text) or a plain string typed by a user
    body: str | dict = ""
    url: str = ""
    kind: str = ""


def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """``notify`` for many messages at once: one insert of the in-app rows and one of the
    outbox rows for all of them (a sweep's alerts cost the same queries for one or many)."""
    from .outbox import outbox_enqueue_on_commit

    User = get_user_model()
    rows = []
    for m in messages:
        users = {u.pk: u for u in m.recipients if isinstance(u, User) and u.is_active}
        title, title_text = split(m.title, limit=200)
        body, body_text = split(m.body)
        rows += [Notification(recipient=user, title=title, title_text=title_text, body=body,
                              body_text=body_text, url=m.url, kind=m.kind)
                 for user in users.values()]
    rows = Notification.objects.bulk_create(rows)
    outgoing = OutboxMessage.objects.bulk_create(
        [OutboxMessage(notification=row, channel=c.name)
         for row in rows for c in _channels.values() if c.wants(row)])
    if outgoing:
        outbox_enqueue_on_commit([m.pk for m in outgoing])
    return rows


# The header's badge counts unread messages up to this many and then shows "99+": a leader
# with thousands unread costs the same small count on every page as one with three.
UNREAD_SHOWN = 99


def unread_count(user, *, up_to: int = UNREAD_SHOWN + 1) -> int:
    """The user's unread messages, counted up to ``up_to``: the count of
    ``Notification.objects.filter(recipient=user, read_at__isnull=True)[:up_to]``, written
    as one fixed statement because every page runs it (the ORM took 0.8 ms a page to build
    and run it, the statement 0.3 ms; ``tests/inbox/test_unread_count.py`` compares the two)."""
    if not user.is_authenticated:
        return 0
    meta, quote = Notification._meta, connection.ops.quote_name
    table = quote(meta.db_table)
    recipient, read_at = (quote(meta.get_field(name).column) for name in ("recipient", "read_at"))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {recipient} = %s"
                       f" AND {read_at} IS NULL LIMIT %s) unread", [user.pk, up_to])
        return cursor.fetchone()[0]


def unread_badge(user) -> str:
    """The header's badge: "" for none, the number up to ``UNREAD_SHOWN``, then "99+"."""
    count = unread_count(user)
    return "" if not count else f"{UNREAD_SHOWN}+" if count > UNREAD_SHOWN else str(count)

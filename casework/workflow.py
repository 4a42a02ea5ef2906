"""Running a django-fsm transition as a service, the same way for every case model.

Disputes, petitions and supervision notices share the guarantees: the row is locked and
re-read; a stale state is a conflict (two people acting at once: one wins); a transition not
allowed from the current state, or whose conditions fail, is ``TransitionNotAllowed`` (409);
a user without the transition's permission gets ``PermissionDenied`` (403); the history row
is written in the same transaction; the new handler is notified.

The model must have a ``state`` FSMField, a ``handler`` FK to ``grid.Staff`` (nullable), a
``get_absolute_url()`` and an ``events`` relation whose model has ``actor``, ``action``,
``from_state``, ``to_state``, ``handler`` and ``note``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from core.stored_text import choice_label, joined, stored
from inbox.notifications import notify

from .models import note_fields


class StaleState(ConcurrentTransition):
    """The record changed since the caller read it."""

    def __init__(self, message: str | None = None):
        super().__init__(message or _("该事项刚被他人处理，当前状态已变化，请刷新后重试。"))


def user_may(instance, name: str, user) -> bool:
    """The transition's own permission function for the current state, without its
    conditions (django-fsm's ``has_transition_perm`` checks both; a failed condition is a
    409, not a 403)."""
    meta = getattr(instance, name)._django_fsm
    return meta.has_transition_perm(instance, instance.state, user)


def require_text(value: str | None, field: str, message: str) -> str:
    if not (value or "").strip():
        raise ValidationError({field: message})
    return value.strip()


def run_transition(
    *,
    instance,
    by,
    name: str,
    note: str | dict,
    prepare: Callable | None = None,
    next_handler: Callable | None = None,
    after: Callable | None = None,
    refresh: Callable | None = None,
    notify_title: Callable | None = None,
):
    """Lock, check, transition, save, record, notify. Returns the saved, locked instance.

    ``prepare(locked)`` sets inputs the conditions read; ``next_handler(locked)`` returns the
    new handler; ``refresh(locked)`` recomputes deadlines; ``after(locked)`` writes related
    rows in the same transaction; ``notify_title(locked)`` is the new handler's message (a
    stored text, ``core.stored_text``). ``note`` is what the user typed, or a stored text
    where the system writes it (shown in the reader's language).
    """
    model = type(instance)
    with transaction.atomic():
        locked = model.objects.select_for_update(of=("self",)).get(pk=instance.pk)
        if locked.state != instance.state:
            raise StaleState()
        method = getattr(locked, name)
        if not can_proceed(method, check_conditions=False):
            raise TransitionNotAllowed(
                _("当前状态为“%(state)s”，不能进行此操作。")
                % {"state": locked.get_state_display()}, object=locked, method=method)
        if not user_may(locked, name, by):
            raise PermissionDenied(_("您无权执行此操作。"))
        if prepare:
            prepare(locked)
        if not can_proceed(method):
            raise TransitionNotAllowed(_("不满足此操作的条件。"), object=locked, method=method)
        from_state = locked.state
        previous_handler_id = locked.handler_id
        method()
        if next_handler is not None:
            locked.handler = next_handler(locked)
        if refresh:
            refresh(locked)
        locked.save()
        locked.events.create(actor=by, action=name, from_state=from_state, to_state=locked.state,
                             handler=locked.handler, **note_fields(note))
        if after:
            after(locked)
        handler = locked.handler
        if (handler is not None and handler.user_id and handler.user_id != by.pk
                and handler.pk != previous_handler_id):
            title = notify_title(locked) if notify_title else stored(
                gettext_noop("新事项转至您处理"))
            notify(recipients=[handler.user], title=title,
                   body=joined(choice_label(locked, "state"),
                               note[:500] if isinstance(note, str) else note, sep=" · "),
                   url=locked.get_absolute_url(), kind="handover")
    instance.refresh_from_db()
    return locked


def record_event(instance, *, by, action: str, note: str | dict = ""):
    """A history row for something that does not change the state (a session, a file); the
    note is typed by the user or a stored text (``core.stored_text``)."""
    return instance.events.create(actor=by, action=action, from_state=instance.state,
                                  to_state=instance.state, handler=instance.handler,
                                  **note_fields(note))

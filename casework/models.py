"""The history row every case model shares (abstract: each case app has its own table)."""

import functools

import django_fsm
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.stored_text import shown, split


class CaseEvent(models.Model):
    """One row of a case's history (disputes, petitions, notices): who did what, when, from
    which state to which, who holds it now, and why. Subclasses add the FK to their case
    (``related_name="events"``) and give ``action`` and the states their choices."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))
    handler = models.ForeignKey("grid.Staff", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("承办人"))
    note = models.TextField(_("说明"), blank=True)
    # A note written by the system, as message ids and parameters (core.stored_text), shown
    # in the reader's language; ``note`` keeps its Chinese text. Empty for a note typed by a
    # user and for rows written before.
    note_text = models.JSONField(_("说明（多语言）"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    @property
    def note_display(self) -> str:
        """The note in the active language."""
        return shown(self.note_text, self.note)


def note_fields(note) -> dict:
    """The ``note`` and ``note_text`` columns of a history row for a note that is a plain
    string (typed by a user: kept as typed) or a stored text (written by the system)."""
    plain, text = split(note)
    return {"note": plain, "note_text": text}


class ConcurrentTransitionMixin(django_fsm.ConcurrentTransitionMixin):
    """django-fsm's guard against concurrent transitions (a save updates the row only if its
    state is still the one read), with its list of state fields found once per model rather
    than by testing every field of every row loaded: a ledger export loads tens of
    thousands of cases, and that test was a tenth of its time."""

    class Meta:
        abstract = True

    @property
    def state_fields(self):
        return _state_fields(type(self))


@functools.cache
def _state_fields(model) -> tuple:
    return tuple(f for f in model._meta.fields if isinstance(f, django_fsm.FSMFieldMixin))

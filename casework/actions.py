"""A case app's actions, declared once.

Each case app (disputes, petitions, supervision notices) lists what a user can do to a case
in one ``ActionSet`` of ``Action`` entries: name, label, the service that does it, the note
it takes, its page form and API input, and when it is offered. Everything else is derived
from that list:

- the page: the folded forms on the case page and the POST handler behind them
  (``casework.views.action_page``);
- the API: one ``POST …/{id}/<action>/`` route per entry with its OpenAPI description
  (``casework.api.action_routes``);
- the admin: the transition buttons and their forms (``casework.admin.CaseActionsAdmin``);
- ``available_actions``: what this user may do now, for the page buttons and the API alike.

Who may act is not decided here: a transition's permission is the function named in its
``@transition(permission=...)``, and an action that is not a transition names its own
``offered`` predicate, built from the app's permission functions. The service checks the
same function again, so a page or a request that skips the buttons meets the same refusal.

Adding a transition is the model's method, its service and one ``Action`` here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from .workflow import user_may


@dataclass(frozen=True)
class Note:
    """The free text an action takes: the service's keyword for it, its label, whether it is
    required. The API and the admin call it ``note`` whatever the service calls it."""

    field: str = "note"
    label: Any = _("说明")
    required: bool = False
    rows: int = 2


class StateForm(forms.Form):
    """The state the user saw travels with every action, so a stale page gets a conflict."""

    seen_state = forms.CharField(widget=forms.HiddenInput)

    def service_kwargs(self) -> dict:
        """The service's keyword arguments from the cleaned form; forms whose fields do not
        map one to one (a nested agreement, a list of respondents) override this."""
        return {k: v for k, v in self.cleaned_data.items() if k != "seen_state"}


def note_form(note: Note, *, base: type[forms.Form] = StateForm, name: str | None = None,
              field_name: str | None = None) -> type[forms.Form]:
    """A form with the note alone (on top of ``base``)."""
    field = forms.CharField(label=note.label, required=note.required,
                            widget=forms.Textarea(attrs={"rows": note.rows}))
    return type(name or "NoteForm", (base,), {field_name or note.field: field})


class AdminNoteForm(forms.Form):
    """Admin forms carry no ``seen_state``: django-fsm's admin re-reads the row itself."""


@dataclass(frozen=True)
class Action:
    """One thing a user can do to a case.

    ``service`` is called as ``service(<subject>=case, by=user, **inputs)``. ``offered(case,
    user)`` decides whether the page and the API offer it; without it the action is the
    model's transition of the same name, offered when django-fsm can proceed from the current
    state (conditions included unless ``check_conditions`` is false) and its permission
    function allows the user.
    """

    name: str
    label: Any
    service: Callable[..., Any]
    note: Note | None = None
    form: type[forms.Form] | None = None
    form_context: bool = False
    initial: Callable[[Any], dict] | None = None
    serializer: type | None = None
    summary: str = ""
    api: bool = True
    api_name: str | None = None
    admin: bool | type[forms.Form] = True
    offered: Callable[[Any, Any], bool] | None = None
    check_conditions: bool = True

    # --- the page ----------------------------------------------------------------------

    @property
    def form_class(self) -> type[forms.Form]:
        if self.form is not None:
            return self.form
        if self.note is None:
            return StateForm
        return _cached(("form", id(self)), lambda: note_form(
            self.note, name=f"{_camel(self.name)}Form"))

    def bind_form(self, case, user, data=None, *, subject: str):
        kwargs = {subject: case, "user": user} if self.form_context else {}
        auto_id = f"id_{self.name}_%s"
        if data is not None:
            return self.form_class(data, auto_id=auto_id, **kwargs)
        initial = {"seen_state": case.state, **(self.initial(case) if self.initial else {})}
        return self.form_class(initial=initial, auto_id=auto_id, **kwargs)

    # --- the API -----------------------------------------------------------------------

    @property
    def route(self) -> str:
        return self.api_name or self.name

    @property
    def serializer_class(self):
        if self.serializer is not None:
            return self.serializer
        from .api import NoteInput, RequiredNoteInput

        if self.note is None:
            from .api import ExpectedStateInput

            return ExpectedStateInput
        return RequiredNoteInput if self.note.required else NoteInput

    def inputs_from_note_named(self, data: dict) -> dict:
        """API and admin inputs call the free text ``note``: give it the service's name."""
        data = {k: v for k, v in data.items() if k != "expected_state"}
        if self.note is not None and self.note.field != "note" and "note" in data:
            data[self.note.field] = data.pop("note")
        return data

    # --- the admin ---------------------------------------------------------------------

    @property
    def admin_form(self) -> type[forms.Form] | None:
        """The admin's form: the one declared, else the note alone for an action whose page
        form is the note, else the page form without ``seen_state`` when it needs no case to
        be built, else the note alone (the service's other inputs keep their defaults)."""
        if self.admin is False:
            return None
        if isinstance(self.admin, type):
            return self.admin
        if self.form is not None and not self.form_context:
            return _cached(("admin", id(self)), lambda: type(
                f"{_camel(self.name)}AdminForm", (self.form,), {"seen_state": None}))
        note = self.note or Note()
        return _cached(("admin", id(self)), lambda: note_form(
            note, base=AdminNoteForm, name=f"{_camel(self.name)}AdminForm", field_name="note"))

    def admin_inputs(self, form_data: dict) -> dict:
        """The service's inputs from the admin form's cleaned data (django-fsm's admin hands
        over the cleaned data, not the form)."""
        form_class = self.admin_form
        if form_class is None or issubclass(form_class, AdminNoteForm):
            return self.inputs_from_note_named(form_data)
        form = form_class()
        form.cleaned_data = form_data
        return form.service_kwargs()

    # --- offered now -------------------------------------------------------------------

    def is_offered(self, case, user) -> bool:
        if self.offered is not None:
            return bool(self.offered(case, user))
        method = getattr(case, self.name)
        return (can_proceed(method, check_conditions=self.check_conditions)
                and user_may(case, self.name, user))


class ActionSet:
    """A case app's actions in the order the page shows them.

    ``subject`` is the services' keyword for the case (``dispute``, ``petition``,
    ``notice``); ``url_name`` the page's POST route (``<pk>``, ``<action>``);
    ``conflict_message`` the 409 of a stale ``expected_state`` (``%(state)s``).
    """

    def __init__(self, *actions: Action, subject: str, url_name: str,
                 conflict_message, stale_message):
        self._actions = {a.name: a for a in actions}
        self.subject = subject
        self.url_name = url_name
        self.conflict_message = conflict_message
        self.stale_message = stale_message

    def __iter__(self) -> Iterator[Action]:
        return iter(self._actions.values())

    def __contains__(self, name: str) -> bool:
        return name in self._actions

    def get(self, name: str) -> Action | None:
        return self._actions.get(name)

    def available(self, case, user) -> list[str]:
        """The names of the actions ``user`` may take on ``case`` now."""
        return [a.name for a in self if a.is_offered(case, user)]

    def run(self, action: Action, *, case, by, inputs: dict):
        return action.service(**{self.subject: case}, by=by, **inputs)


_forms_cache: dict = {}


def _cached(key, make):
    if key not in _forms_cache:
        _forms_cache[key] = make()
    return _forms_cache[key]


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))

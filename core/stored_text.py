"""Texts the system writes into rows (notifications, history notes) kept as their message id
and parameters, so that each reader sees them in the reader's language.

``stored(gettext_noop("新纠纷待您调解：%(number)s"), number=d.number)`` gives a JSON-able
value ``{"msgid": …, "params": {…}}``; ``joined(note, stored(NOTICE), sep="\\n")`` one made
of parts (what a user typed stays as typed). A parameter may itself be a stored text, or a lazy
label (a choice's ``label``, ``gettext_lazy``), which is kept as its message id so it
translates too. ``render(value)`` gives the text in the active language; ``render_source``
in the project's own language (Chinese), for the plain columns kept beside the stored value
(the admin, the search, the parties' SMS, rows written before). A call site wraps its
message id in ``gettext_noop`` so that makemessages collects it.

Rendering never fails: a message id the catalogue lacks is shown as it is, and a parameter
that is missing or does not fit the translation falls back to the message id itself.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise


def stored(msgid: str | Promise, **params) -> dict:
    """A text to render later: the Chinese message id (or a lazy label, e.g. a choice's
    ``label``) and its parameters."""
    label = _lazy_label(msgid) if isinstance(msgid, Promise) else str(msgid)
    value: dict[str, Any] = dict(label) if isinstance(label, dict) else {"msgid": label}
    if params:
        value["params"] = {name: _param(p) for name, p in params.items()}
    return value


def joined(*parts, sep: str = "") -> dict:
    """Parts rendered one after the other (plain strings stay as they are); empty parts and
    their separators are left out."""
    return {"parts": [_param(p) for p in parts if p not in (None, "")], "sep": sep}


def _param(value):
    if isinstance(value, Promise):
        return _lazy_label(value)
    if isinstance(value, dict) or value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _lazy_label(value: Promise):
    """A ``gettext_lazy`` / ``pgettext_lazy`` proxy as its message id (its arguments);
    anything else lazy as its text in the project's language."""
    args = getattr(value, "_args", None)
    if isinstance(args, tuple) and all(isinstance(a, str) for a in args):
        if len(args) == 1:
            return {"msgid": args[0]}
        if len(args) == 2:
            return {"msgid": args[1], "context": args[0]}
    with translation.override(settings.LANGUAGE_CODE):
        return str(value)


def choice_label(instance, field: str):
    """The label of a choice field's value, lazy (a stored text keeps it as its message id);
    the value itself when it is not one of the choices."""
    value = getattr(instance, field)
    return dict(instance._meta.get_field(field).flatchoices).get(value, value)


def is_stored(value) -> bool:
    """A value made by ``stored`` or ``joined``."""
    return isinstance(value, dict) and ("msgid" in value or "parts" in value)


def render(value) -> str:
    """The text in the active language ("" for nothing)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return str(value)
    if "parts" in value:
        parts = value.get("parts") or []
        return str(value.get("sep") or "").join(render(p) for p in parts)
    msgid = value.get("msgid")
    if not isinstance(msgid, str):
        return ""
    context = value.get("context")
    text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    params = value.get("params")
    if not isinstance(params, dict) or not params:
        return text
    rendered = {name: render(p) for name, p in params.items()}
    for template in (text, msgid):
        try:
            return template % rendered
        except (KeyError, TypeError, ValueError):
            continue
    return msgid


def shown(value, plain: str) -> str:
    """What a row shows: its stored text in the active language, or its plain text (typed by
    a user, or written before stored texts) as it is."""
    return render(value) if value else plain


def render_source(value) -> str:
    """The text in the project's own language (Simplified Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render(value)


def split(value, *, limit: int | None = None) -> tuple[str, dict | None]:
    """A caller's text as the two columns kept: the plain text in the project's language (cut
    to ``limit``) and the stored value (``None`` for a plain string, kept as typed)."""
    if isinstance(value, Promise):
        value = _lazy_label(value)
    if is_stored(value):
        plain = render_source(value)
        return (plain[:limit] if limit else plain), value
    plain = "" if value is None else str(value)
    return (plain[:limit] if limit else plain), None

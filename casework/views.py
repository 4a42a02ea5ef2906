"""The page side of case actions, the same for every case model."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.forms import apply_form_errors
from core.idempotency import page_once

from .actions import ActionSet


def action_forms(actions: ActionSet, case, user, bound: dict | None = None) -> list[dict]:
    """One folded entry per action the user may take now, for ``core/_actions.html``.

    The page shows only the actions' names: a form is built and rendered when it is opened
    (``static/js/actions.js`` fetches it from the action's address; without script the link
    opens it on a page of its own), so a case page costs the same whatever the number of
    actions and pickers. A form that came back with errors (``bound``) is shown open, with
    them."""
    bound = bound or {}
    return [{
        "name": name,
        "label": actions.get(name).label,
        "form": bound.get(name),
        "open": name in bound,
        "url": reverse(actions.url_name, args=[case.pk, name]),
    } for name in actions.available(case, user)]


def action_form_page(request, *, actions: ActionSet, case, name: str):
    """GET of an action's address: its empty form, as the fragment ``actions.js`` puts into
    the case page (``?fragment=1``) or as a page of its own. Only for an action the user may
    take now; any other is missing, like a case outside the user's scope."""
    action = actions.get(name)
    if action is None or name not in actions.available(case, request.user):
        raise Http404
    return form_fragment_or_page(request, case=case, name=name, label=action.label,
                                 url=reverse(actions.url_name, args=[case.pk, name]),
                                 form=action.bind_form(case, request.user,
                                                       subject=actions.subject))


def form_fragment_or_page(request, *, case, name, label, url, form, submit=None):
    """An empty form posting to ``url``: the fragment a case page's folded entry fetches
    (``?fragment=1``), or a page of its own (the entry's link, without script)."""
    context = {"case": case,
               "item": {"name": name, "label": label, "url": url, "form": form,
                        "submit": submit}}
    if request.GET.get("fragment"):
        return render(request, "core/_action_form.html", context)
    return render(request, "core/action_form_page.html", context)


def action_page(request, *, actions: ActionSet, case, name: str, rerender):
    """The handler of one action's address. GET: its empty form (``action_form_page``).
    POST: bind its form, then as ``action_response``; ``rerender`` renders the case page with
    ``{name: form}`` open and returns it with status 400. Runs once per form token: a double
    tap or a resubmission records one follow-up, one move."""
    if request.method == "GET":
        return action_form_page(request, actions=actions, case=case, name=name)
    action = actions.get(name)
    if action is None:
        raise Http404
    form = action.bind_form(case, request.user, request.POST, subject=actions.subject)
    return page_once(request, kind=f"{case._meta.label_lower}:{case.pk}:{name}",
                     perform=lambda: action_response(
        request, obj=case, form=form, label=action.label,
        perform=lambda _data: actions.run(action, case=case, by=request.user,
                                          inputs=form.service_kwargs()),
        rerender=lambda form: rerender({name: form}),
        stale_message=actions.stale_message))


def action_response(request, *, obj, form, perform, label, rerender, stale_message):
    """Refuse a stale page (the state the user saw travels in ``seen_state``), run
    ``perform(cleaned_data)``, and answer with a message and a redirect to the case, or the
    form again with its errors."""
    if form.is_valid():
        if form.cleaned_data["seen_state"] != obj.state:
            messages.error(request, stale_message)
            return redirect(obj)
        try:
            perform(form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except (PermissionDenied, TransitionNotAllowed, ConcurrentTransition) as exc:
            messages.error(request, str(exc) or _("当前状态下不能进行此操作。"))
            return redirect(obj)
        else:
            messages.success(request, _("已完成：%(action)s。") % {"action": label})
            return redirect(obj)
    return rerender(form)

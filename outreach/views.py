"""Staff pages of outreach: the grid member's queue of applications for mediation and one
application with its actions (accept / decline)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from casework.views import action_forms, action_page
from core.masking import mask_name, mask_phone

from . import selectors
from .actions import ACTIONS
from .models import Application


def _get(request, pk) -> Application:
    try:
        return selectors.application_get_for_user(user=request.user, pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


@login_required
def application_list(request):
    waiting = list(selectors.application_queue_for_user(user=request.user)[:200])
    decided = list(selectors.application_list_for_user(user=request.user)
                   .exclude(state="submitted")[:50])
    for a in (*waiting, *decided):
        a.masked_name, a.masked_phone = mask_name(a.name), mask_phone(a.phone)
    return render(request, "outreach/application_list.html",
                  {"waiting": waiting, "decided": decided})


def _context(request, application, forms=None):
    return {
        "application": application,
        "masked_name": mask_name(application.name),
        "masked_phone": mask_phone(application.phone),
        "masked_other": mask_name(application.other_party),
        "events": application.events.all(),
        "action_forms": action_forms(ACTIONS, application, request.user, bound=forms or {}),
    }


@login_required
def application_detail(request, pk):
    application = _get(request, pk)
    return render(request, "outreach/application_detail.html", _context(request, application))


@login_required
@require_http_methods(["GET", "POST"])
def application_action(request, pk, action):
    application = _get(request, pk)
    return action_page(
        request, actions=ACTIONS, case=application, name=action,
        rerender=lambda forms: render(request, "outreach/application_detail.html",
                                      _context(request, application, forms=forms),
                                      status=400))

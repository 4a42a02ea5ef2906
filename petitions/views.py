"""Petition pages: register, my proxy petitions, detail with its actions, ledger, prints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.registry import detail_links_for
from core.views import action_response, apply_form_errors

from . import deadlines, exports, permissions, selectors, services
from .forms import (
    ACTION_FORMS,
    ACTION_LABELS,
    NEEDS_CONTEXT,
    HigherVisitForm,
    PetitionerFormSet,
    PetitionLedgerFilterForm,
    PetitionRegisterForm,
)
from .models import Petition


def _get(request, pk) -> Petition:
    try:
        return selectors.petition_get_for_user(user=request.user, pk=pk)
    except Petition.DoesNotExist as exc:
        raise Http404 from exc


def _form(action, petition, user, data=None):
    kwargs = {"petition": petition, "user": user} if action in NEEDS_CONTEXT else {}
    if data is None:
        initial = {"seen_state": petition.state}
        if action == "reply":
            initial.update(request=petition.content[:500], decision=petition.reply_draft)
        return ACTION_FORMS[action](initial=initial, **kwargs)
    return ACTION_FORMS[action](data, **kwargs)


@login_required
def petition_register(request):
    form = PetitionRegisterForm(request.POST or None, user=request.user)
    people = PetitionerFormSet(request.POST or None, prefix="petitioners")
    if request.method == "POST" and form.is_valid() and people.is_valid():
        data = dict(form.cleaned_data)
        small_grid = data.pop("small_grid")
        rows = [f.cleaned_data for f in people.forms if f.cleaned_data]
        try:
            petition = services.petition_create(by=request.user, small_grid=small_grid,
                                                petitioners=rows, **data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("small_grid", str(exc))
        else:
            messages.success(request, _("已登记信访事项 %(number)s。") % {"number": petition.number})
            return redirect(petition)
    return render(request, "petitions/petition_form.html", {"form": form, "people": people})


@login_required
def petition_mine(request):
    queue = selectors.petition_queue_for_user(user=request.user)
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    return render(request, "petitions/petition_queue.html", {"page": page})


def _context(request, petition, forms=None):
    user = request.user
    forms = forms or {}
    actions = permissions.available_actions(petition, user)
    action_forms = [{"name": a, "label": ACTION_LABELS[a], "open": a in forms,
                     "url": reverse("petitions:action", args=[petition.pk, a]),
                     "form": forms.get(a) or _form(a, petition, user)} for a in actions]
    can_see = permissions.can_see_identity(petition, user)
    return {
        "extra_links": detail_links_for(request, petition),
        "petition": petition,
        "petitioners": petition.petitioners.all() if can_see else None,
        "events": selectors.petition_history(petition=petition),
        "reviews": petition.reviews.all(),
        "proxies": petition.proxies.select_related("agent", "appointed_by"),
        "higher_visits": petition.higher_visits.all(),
        "action_forms": action_forms,
        "higher_visit_form": (forms.get("higher_visit") or HigherVisitForm())
        if permissions.can_record(petition, user) and petition.state != "closed" else None,
        "review_until": deadlines.review_request_until(petition.replied_on),
        "dock_refusal": None,
    }


@login_required
def petition_detail(request, pk):
    petition = _get(request, pk)
    return render(request, "petitions/petition_detail.html", _context(request, petition))


def _perform(action, *, petition, by, data):
    if action == "accept":
        return services.petition_accept(petition=petition, by=by, note=data["note"])
    if action == "decline":
        return services.petition_decline(petition=petition, by=by, reason=data["reason"],
                                         proper_channel=data["proper_channel"])
    if action == "guide":
        return services.petition_guide(petition=petition, by=by, guided_to=data["guided_to"])
    if action == "escalate":
        if data.get("coordinator") or data.get("county_department"):
            if not (data.get("coordinator") and data.get("county_department")):
                raise ValidationError({"county_department": _("请同时指定镇级专人和县直部门。")})
            petition = services.petition_assign_coordinator(
                petition=petition, by=by, coordinator=data["coordinator"],
                county_department=data["county_department"])
        return services.petition_escalate(petition=petition, by=by, note=data["note"])
    if action == "assign_coordinator":
        return services.petition_assign_coordinator(
            petition=petition, by=by, coordinator=data["coordinator"],
            county_department=data["county_department"])
    if action == "extend":
        return services.petition_extend(petition=petition, by=by, days=data["days"],
                                        reason=data["reason"])
    if action == "reply":
        return services.petition_reply(petition=petition, by=by, request=data["request"],
                                       facts=data["facts"], decision=data["decision"],
                                       basis=data["basis"], result=data["result"],
                                       category=data["category"])
    if action == "close":
        return services.petition_close(petition=petition, by=by, satisfied=data["satisfied"],
                                       note=data["note"])
    if action == "withdraw":
        return services.petition_withdraw(petition=petition, by=by, reason=data["reason"])
    if action == "review":
        return services.petition_review_request(petition=petition, by=by,
                                                requested_on=data["requested_on"],
                                                reviewing_body=data["reviewing_body"])
    if action == "review_answer":
        return services.petition_review_answer(petition=petition, by=by,
                                               answered_on=data["answered_on"],
                                               opinion=data["opinion"], upheld=data["upheld"])
    if action == "dock":
        respondents = ([{"name": data["respondent_name"], "phone": data["respondent_phone"]}]
                       if data.get("respondent_name") else [])
        return services.petition_dock_to_dispute(petition=petition, by=by,
                                                 parties_agree=data["parties_agree"],
                                                 respondents=respondents,
                                                 category=data["category"])
    raise Http404


@login_required
@require_POST
def petition_action(request, pk, action):
    petition = _get(request, pk)
    if action not in ACTION_FORMS:
        raise Http404
    form = _form(action, petition, request.user, data=request.POST)
    return action_response(
        request, obj=petition, form=form, label=ACTION_LABELS[action],
        perform=lambda data: _perform(action, petition=petition, by=request.user, data=data),
        rerender=lambda form: render(request, "petitions/petition_detail.html",
                                     _context(request, petition, forms={action: form}),
                                     status=400),
        stale_message=_("该事项刚被他人处理，当前状态已变化，请查看后再操作。"))


@login_required
@require_POST
def petition_higher_visit(request, pk):
    petition = _get(request, pk)
    form = HigherVisitForm(request.POST)
    if form.is_valid():
        try:
            services.petition_record_higher_visit(petition=petition, by=request.user,
                                                  **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(petition)
        else:
            messages.success(request, _("已登记越级上访情况。"))
            return redirect(petition)
    return render(request, "petitions/petition_detail.html",
                  _context(request, petition, forms={"higher_visit": form}), status=400)


PRINTS = {
    "notice": "petitions/petition_notice_print.html",
    "opinion": "petitions/petition_opinion_print.html",
    "extension": "petitions/petition_extension_print.html",
}


@login_required
def petition_print(request, pk, document):
    petition = _get(request, pk)
    if document not in PRINTS:
        raise Http404
    if document == "notice" and not petition.has_notice:
        raise Http404
    if document == "opinion" and not petition.replied_on:
        raise Http404
    if document == "extension" and not petition.extension_days:
        raise Http404
    can_see = permissions.can_see_identity(petition, request.user)
    return render(request, PRINTS[document], {
        "petition": petition, "petitioners": petition.petitioners.all() if can_see else None,
        "addressee": exports.petitioners_display(petition, masked=False) if can_see else
        exports.CONFIDENTIAL,
        "today": timezone.localdate(),
        "review_until": deadlines.review_request_until(petition.replied_on),
    })


def _ledger(request):
    form = PetitionLedgerFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.petition_list_for_user(user=request.user, filters=filters)


@login_required
def petition_ledger(request):
    form, qs = _ledger(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "petitions/petition_ledger.html", {
        "form": form, "page": page, "headers": exports.LEDGER_HEADERS,
        "rows": exports.ledger_rows(page.object_list, start=page.start_index()),
        "query": query.urlencode(),
    })


@login_required
def petition_ledger_export(request):
    _form, qs = _ledger(request)
    response = HttpResponse(
        exports.ledger_xlsx(qs),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        f'attachment; filename="petition-ledger-{timezone.localdate():%Y%m%d}.xlsx"')
    return response


@login_required
def petition_ledger_print(request):
    _form, qs = _ledger(request)
    return render(request, "petitions/petition_ledger_print.html", {
        "headers": exports.LEDGER_HEADERS, "rows": exports.ledger_rows(qs[:2000]),
        "printed_at": timezone.localtime(),
    })

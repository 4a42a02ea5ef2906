"""Petition pages: register, my proxy petitions, detail with its actions, ledger, prints."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.personal_data import (
    personal_data_access_record,
    personal_data_context,
    reveal_request,
)
from casework.views import action_forms, action_page
from core.counts import page_of
from core.export_jobs import export_in_request_up_to, export_job_start
from core.forms import apply_form_errors
from core.idempotency import once_per_token
from core.printing import print_columns
from core.registry import detail_links_for

from . import deadlines, exports, permissions, selectors, services
from .actions import ACTIONS
from .forms import (
    HigherVisitForm,
    PetitionerFormSet,
    PetitionLedgerFilterForm,
    PetitionRegisterForm,
)
from .models import Petition
from .states import PetitionState


def _get(request, pk) -> Petition:
    try:
        return selectors.petition_get_for_user(user=request.user, pk=pk)
    except Petition.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@once_per_token
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
    page = page_of(queue, 50, request.GET.get("page"))
    return render(request, "petitions/petition_queue.html", {"page": page})


def _context(request, petition, forms=None, revealed=False, reveal_form=None):
    user = request.user
    forms = forms or {}
    may_reveal = permissions.can_see_personal_data(petition, user)
    can_see = permissions.can_see_identity(petition, user)
    return {
        "extra_links": detail_links_for(request, petition),
        "petition": petition,
        "petitioners": petition.petitioners.all() if can_see else None,
        "events": selectors.petition_history(petition=petition),
        "reviews": petition.reviews.prefetch_related("hearings"),
        "recusals": petition.recusals.select_related("staff", "replaced_by"),
        "proxies": petition.proxies.select_related("agent", "appointed_by"),
        "higher_visits": petition.higher_visits.all(),
        "action_forms": action_forms(ACTIONS, petition, user, bound=forms),
        "higher_visit_form": (forms.get("higher_visit") or HigherVisitForm())
        if permissions.can_record(petition, user) and petition.state != PetitionState.CLOSED else None,
        "review_until": deadlines.review_request_until(petition.delivered_on),
        "dock_refusal": None,
        "reveal_url": reverse("petitions:personal_data", args=[petition.pk]),
        **personal_data_context(case=petition, may_reveal=may_reveal, revealed=revealed,
                                form=reveal_form),
    }


@login_required
def petition_detail(request, pk):
    petition = _get(request, pk)
    return render(request, "petitions/petition_detail.html", _context(request, petition))


@login_required
@require_POST
def petition_personal_data(request, pk):
    """The petitioners' full phones and ID numbers, once the reason is given (and recorded)."""
    petition = _get(request, pk)
    revealed, form = reveal_request(
        request, case=petition,
        may_reveal=permissions.can_see_personal_data(petition, request.user))
    return render(request, "petitions/petition_detail.html",
                  _context(request, petition, revealed=revealed, reveal_form=form),
                  status=200 if revealed else 400)


@login_required
@require_http_methods(["GET", "POST"])
def petition_action(request, pk, action):
    petition = _get(request, pk)
    return action_page(
        request, actions=ACTIONS, case=petition, name=action,
        rerender=lambda forms: render(request, "petitions/petition_detail.html",
                                      _context(request, petition, forms=forms), status=400))


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
        "review_until": deadlines.review_request_until(petition.delivered_on),
    })


LEDGER_PAGE = 50


def _ledger(request):
    form = PetitionLedgerFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return (form, selectors.petition_ledger_for_user(user=request.user, filters=filters),
            exports.LEDGER_SORTS.parse(request.GET.get("sort")), filters)


@login_required
def petition_ledger(request):
    form, qs, sort, filters = _ledger(request)
    count = selectors.petition_ledger_count(user=request.user, filters=filters)
    page = exports.LEDGER_SORTS.paginator(qs, sort, per_page=LEDGER_PAGE, count=count).page(
        number=request.GET.get("page"), after=request.GET.get("after"),
        before=request.GET.get("before"))
    return render(request, "petitions/petition_ledger.html", {
        "form": form, "page": page, "headers": exports.LEDGER_HEADERS,
        "rows": exports.ledger_rows(page.object_list, start=page.start),
        **exports.LEDGER_SORTS.page_context(request, sort, exports.LEDGER_HEADERS),
    })


@login_required
def petition_ledger_export(request):
    _form, qs, sort, filters = _ledger(request)
    personal_data_access_record(by=request.user, kind="export", reason=_("导出信访台账"),
                                record_type="petitions.petition",
                                record_label=request.GET.urlencode() or _("全部"))
    rows = selectors.petition_ledger_count(user=request.user, filters=filters).value
    if rows > export_in_request_up_to():
        # Written on the worker; the job's page shows the progress and then the file.
        job = export_job_start(user=request.user, kind="petitions.ledger",
                               query=request.GET.urlencode(), total=rows)
        return redirect("export_job", pk=job.pk)
    # Streamed from a temporary file: memory stays flat whatever the rows.
    return FileResponse(
        exports.ledger_xlsx_file(exports.LEDGER_SORTS.order(qs, sort)), as_attachment=True,
        filename=f"petition-ledger-{timezone.localdate():%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
def petition_ledger_print(request):
    _form, qs, sort, _filters = _ledger(request)
    qs = exports.LEDGER_SORTS.order(qs, sort)
    return render(request, "petitions/petition_ledger_print.html", {
        "headers": exports.LEDGER_HEADERS, "rows": exports.ledger_rows(qs[:2000]),
        "columns": print_columns(exports.LEDGER_HEADERS, exports.COLUMN_WIDTHS),
        "printed_at": timezone.localtime(),
    })

"""Legal-aid pages: the matters' ledger, registration (also from a dispute or a petition),
the matter with its actions; the consultation and publicity ledgers; the units' figures."""

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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from casework.personal_data import personal_data_access_record
from casework.views import action_forms, action_page
from core.forms import apply_form_errors
from core.idempotency import once_per_token
from disputes.models import Dispute
from disputes.selectors import dispute_get_for_user
from petitions.models import Petition
from petitions.selectors import petition_get_for_user

from . import exports, permissions, selectors, services
from .actions import ACTIONS
from .forms import ConsultationForm, LegalAidMatterForm, MatterFilterForm, PublicityEventForm
from .models import LegalAidMatter

PAGE = 50
PRINT_LIMIT = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"')
    return response


def _matters(request):
    form = MatterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # A ledger row names only its grid and the case it is linked to: join just those.
    return form, (selectors.matter_list_for_user(user=request.user, filters=filters)
                  .select_related(None).select_related("small_grid__large_grid", "dispute",
                                                       "petition").prefetch_related(None))


@login_required
def matter_ledger(request):
    form, qs = _matters(request)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    start = (page.number - 1) * PAGE + 1
    return render(request, "legalaid/legalaidmatter_ledger.html", {
        "form": form, "page": page, "headers": exports.MATTER_HEADERS,
        "rows": exports.matter_rows(page.object_list, start=start),
        "query": request.GET.urlencode(),
    })


@login_required
def matter_export(request):
    _form, qs = _matters(request)
    personal_data_access_record(by=request.user, kind="export", reason=_("导出法律援助台账"),
                                record_type="legalaid.legalaidmatter",
                                record_label=request.GET.urlencode() or _("全部"))
    return _xlsx(exports.matters_xlsx(qs), "legal-aid-ledger")


def _print(request, *, title, headers, rows):
    return render(request, "legalaid/ledger_print.html", {
        "title": title, "headers": headers, "rows": rows[:PRINT_LIMIT],
        "truncated": len(rows) > PRINT_LIMIT, "limit": PRINT_LIMIT,
        "printed_at": timezone.localtime()})


@login_required
def matter_print(request):
    _form, qs = _matters(request)
    rows = [r["cells"] for r in exports.matter_rows(qs[:PRINT_LIMIT + 1])]
    return _print(request, title=_("法律援助台账"), headers=exports.MATTER_HEADERS, rows=rows)


def _subject(request) -> dict:
    """A matter opened from a dispute (?dispute=) or a petition (?petition=) in scope."""
    subject = {}
    try:
        if request.GET.get("dispute"):
            subject["dispute"] = dispute_get_for_user(user=request.user,
                                                      pk=int(request.GET["dispute"]))
        if request.GET.get("petition"):
            subject["petition"] = petition_get_for_user(user=request.user,
                                                        pk=int(request.GET["petition"]))
    except (ValueError, Dispute.DoesNotExist, Petition.DoesNotExist) as exc:
        raise Http404 from exc
    return subject


def _initial(subject) -> dict:
    """The applicant and the grid from the dispute's applicant or the petitioner."""
    case = subject.get("dispute") or subject.get("petition")
    if case is None:
        return {}
    people = case.parties.all() if "dispute" in subject else case.petitioners.all()
    person = people.first()
    initial = {"small_grid": case.small_grid_id,
               "matter": f"{case.number} {getattr(case, 'title', '')}".strip()}
    if person is not None:
        initial.update(name=person.name, gender=person.gender, age=person.age,
                       address=person.address,
                       applicant_group=getattr(person, "priority_group", ""),
                       priority_reason=getattr(person, "priority_reason", ""))
    return initial


@login_required
@once_per_token
def matter_new(request):
    subject = _subject(request)
    case = subject.get("dispute") or subject.get("petition")
    form = LegalAidMatterForm(request.POST or None, user=request.user,
                              town_id=case.town_id if case else None,
                              initial=_initial(subject))
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.legal_aid_matter_create(by=request.user, **subject,
                                                      **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记法律援助申请 %(number)s。") % {
                "number": matter.number})
            return redirect(matter)
    return render(request, "legalaid/legalaidmatter_form.html",
                  {"form": form, "subject": case})


def _get(request, pk) -> LegalAidMatter:
    try:
        return selectors.matter_get_for_user(user=request.user, pk=pk)
    except LegalAidMatter.DoesNotExist as exc:
        raise Http404 from exc


def _context(request, matter, forms=None):
    return {
        "matter": matter,
        "events": matter.events.select_related("actor", "handler"),
        "action_forms": action_forms(ACTIONS, matter, request.user, bound=forms or {}),
        "may_see": permissions.can_see_personal_data(matter, request.user),
    }


@login_required
def matter_detail(request, pk):
    matter = _get(request, pk)
    return render(request, "legalaid/legalaidmatter_detail.html", _context(request, matter))


@login_required
@require_http_methods(["GET", "POST"])
def matter_action(request, pk, action):
    matter = _get(request, pk)
    return action_page(
        request, actions=ACTIONS, case=matter, name=action,
        rerender=lambda forms: render(request, "legalaid/legalaidmatter_detail.html",
                                      _context(request, matter, forms=forms), status=400))


# --- Consultations and publicity ----------------------------------------------------------

# Module-level labels are lazy: each request shows them in its own language.
LEDGERS = {
    "consultation": {
        "title": gettext_lazy("法律咨询台账"), "headers": exports.CONSULTATION_HEADERS,
        "rows": exports.consultation_rows, "xlsx": exports.consultations_xlsx,
        "select": selectors.consultation_list_for_user, "form": ConsultationForm,
        "service": services.consultation_record, "file": "consultation-ledger",
        "new": "legalaid:consultation_new", "list": "legalaid:consultations",
        "saved": gettext_lazy("已登记法律咨询。"),
    },
    "publicity": {
        "title": gettext_lazy("法治宣传台账"), "headers": exports.PUBLICITY_HEADERS,
        "rows": exports.publicity_rows, "xlsx": exports.publicity_xlsx,
        "select": selectors.publicity_list_for_user, "form": PublicityEventForm,
        "service": services.publicity_record, "file": "publicity-ledger",
        "new": "legalaid:publicity_new", "list": "legalaid:publicity",
        "saved": gettext_lazy("已登记法治宣传活动。"),
    },
}


def _record_ledger(request, kind: str):
    spec = LEDGERS[kind]
    qs = spec["select"](user=request.user)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        if kind == "consultation":
            personal_data_access_record(by=request.user, kind="export",
                                        reason=_("导出法律咨询台账"),
                                        record_type="legalaid.consultation",
                                        record_label=_("全部"))
        return _xlsx(spec["xlsx"](qs), spec["file"])
    if fmt == "print":
        return _print(request, title=spec["title"], headers=spec["headers"],
                      rows=spec["rows"](qs[:PRINT_LIMIT + 1]))
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "legalaid/record_ledger.html", {
        "title": spec["title"], "headers": spec["headers"], "page": page, "kind": kind,
        "rows": spec["rows"](page.object_list, start=(page.number - 1) * PAGE + 1),
        "new_url": reverse(spec["new"]),
        "can_record": selectors.recording_town_for_user(user=request.user) is not None,
    })


def _record_new(request, kind: str):
    spec = LEDGERS[kind]
    town = selectors.recording_town_for_user(user=request.user)
    if town is None:
        raise PermissionDenied(_("您的账号未关联本镇工作人员。"))
    form = spec["form"](request.POST or None, town=town, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            spec["service"](by=request.user, town=town, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, spec["saved"])
            return redirect(spec["list"])
    return render(request, "legalaid/record_form.html", {"form": form, "title": spec["title"]})


@login_required
def consultation_ledger(request):
    return _record_ledger(request, "consultation")


@login_required
@once_per_token
def consultation_new(request):
    return _record_new(request, "consultation")


@login_required
def publicity_ledger(request):
    return _record_ledger(request, "publicity")


@login_required
@once_per_token
def publicity_new(request):
    return _record_new(request, "publicity")


@login_required
def unit_figures(request):
    """Per unit: cases, resolved, days; legal aid, consultations and publicity."""
    return render(request, "legalaid/serviceunit_figures.html", {
        "rows": selectors.unit_figures(units=selectors.units_for_user(user=request.user))})

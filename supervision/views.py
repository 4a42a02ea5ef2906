"""Supervision pages: assess, issue, the notice ledger, my notices, tracing records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework.views import action_forms, action_page
from core.export_jobs import export_in_request_up_to, export_job_start
from core.forms import apply_form_errors
from core.idempotency import once_per_token
from disputes.models import Dispute
from disputes.selectors import dispute_get_for_user
from grid.models import Town
from grid.scope import scope_for_user
from petitions.models import Petition
from petitions.selectors import petition_get_for_user

from . import exports, selectors, services
from .actions import ACTIONS
from .forms import (
    AssessmentForm,
    InstabilityReportForm,
    NoticeFilterForm,
    NoticeIssueForm,
    TraceConcludeForm,
)
from .models import SupervisionNotice


def _lead_town(user) -> Town:
    """The town this user leads (for issuing and assessing); 403 when none."""
    town = selectors.lead_town_for_user(user=user)
    if town is None:
        raise PermissionDenied(_("只有镇党委、政府领导可以进行此操作。"))
    return town


def _subject_from_query(request):
    """A notice or an assessment about a dispute (?dispute=) or a petition (?petition=)."""
    subject = {}
    try:
        if request.GET.get("dispute"):
            subject["dispute"] = dispute_get_for_user(user=request.user,
                                                      pk=int(request.GET["dispute"]))
        if request.GET.get("petition"):
            subject["petition"] = petition_get_for_user(user=request.user,
                                                        pk=int(request.GET["petition"]))
    except (ValueError, Dispute.DoesNotExist, Petition.DoesNotExist) as exc:
        raise Http404 from exc  # out of scope answers 404, like a missing case
    return subject


@login_required
@once_per_token
def notice_issue(request):
    town = _lead_town(request.user)
    subject = _subject_from_query(request)
    assessment = None
    if request.GET.get("assessment"):
        assessment = get_object_or_404(selectors.assessment_list_for_user(user=request.user),
                                       pk=request.GET["assessment"])
        subject = {k: v for k, v in (("dispute", assessment.dispute),
                                     ("petition", assessment.petition),
                                     ("instability_report", assessment.report))
                   if v is not None}
    initial = services.notice_defaults(dispute=subject.get("dispute"),
                                       petition=subject.get("petition"))
    form = NoticeIssueForm(request.POST or None, user=request.user, town=town, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_issue(by=request.user, town=town, assessment=assessment,
                                           **subject, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("已下发 %(number)s。") % {"number": notice.number})
            return redirect(notice)
    return render(request, "supervision/supervisionnotice_form.html",
                  {"form": form, "subject": subject, "town": town})


LEDGER_PAGE = 50


@login_required
def notice_ledger(request):
    form = NoticeFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.notice_ledger_for_user(user=request.user, filters=filters)
    sort = exports.LEDGER_SORTS.parse(request.GET.get("sort"))
    count = selectors.notice_ledger_count(user=request.user, filters=filters)
    if request.GET.get("format") == "xlsx":
        if count.value > export_in_request_up_to():
            # Written on the worker; the job's page shows the progress and then the file.
            # The job keeps the ledger's query (its filters and order), not the format:
            # "export again" leads back to the ledger.
            query = request.GET.copy()
            query.pop("format", None)
            job = export_job_start(user=request.user, kind="supervision.ledger",
                                   query=query.urlencode(), total=count.value)
            return redirect("export_job", pk=job.pk)
        # Streamed from a temporary file: memory stays flat whatever the rows.
        return FileResponse(
            exports.ledger_xlsx_file(exports.LEDGER_SORTS.order(qs, sort)), as_attachment=True,
            filename=f"notice-ledger-{timezone.localdate():%Y%m%d}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    page = exports.LEDGER_SORTS.paginator(qs, sort, per_page=LEDGER_PAGE, count=count).page(
        number=request.GET.get("page"), after=request.GET.get("after"),
        before=request.GET.get("before"))
    return render(request, "supervision/supervisionnotice_ledger.html", {
        "form": form, "page": page, "headers": exports.LEDGER_HEADERS,
        "rows": exports.ledger_rows(page.object_list, start=page.start),
        **exports.LEDGER_SORTS.page_context(request, sort, exports.LEDGER_HEADERS),
        "can_issue": bool(scope_for_user(request.user).held.get("town_leadership"))
        or request.user.is_superuser,
    })


@login_required
def notice_mine(request):
    return render(request, "supervision/supervisionnotice_queue.html", {
        "notices": selectors.notice_queue_for_user(user=request.user).select_related(
            "leader_in_charge", "responsible"),
        "pending": selectors.pending_assessments_for_user(user=request.user),
    })


def _get(request, pk) -> SupervisionNotice:
    try:
        return selectors.notice_get_for_user(user=request.user, pk=pk)
    except SupervisionNotice.DoesNotExist as exc:
        raise Http404 from exc


def _context(request, notice, forms=None):
    forms = forms or {}
    return {
        "notice": notice,
        "events": notice.events.select_related("actor", "handler"),
        "reports": notice.reports.select_related("reported_by"),
        "action_forms": action_forms(ACTIONS, notice, request.user, bound=forms),
        "offices": [exports.OFFICES.get(o, o) for o in notice.target_offices],
    }


@login_required
def notice_detail(request, pk):
    notice = _get(request, pk)
    return render(request, "supervision/supervisionnotice_detail.html", _context(request, notice))


@login_required
def notice_print(request, pk):
    notice = _get(request, pk)
    return render(request, "supervision/supervisionnotice_print.html", _context(request, notice))


@login_required
@require_http_methods(["GET", "POST"])
def notice_action(request, pk, action):
    notice = _get(request, pk)
    return action_page(
        request, actions=ACTIONS, case=notice, name=action,
        rerender=lambda forms: render(request, "supervision/supervisionnotice_detail.html",
                                      _context(request, notice, forms=forms), status=400))


@login_required
def assessment_list(request):
    town = _lead_town(request.user)
    return render(request, "supervision/riskassessment_list.html", {
        "town": town,
        "assessments": selectors.assessment_list_for_user(user=request.user)[:200],
    })


@login_required
@once_per_token
def assessment_new(request):
    """Assess a dispute or petition directly (?dispute= / ?petition=)."""
    town = _lead_town(request.user)
    subject = _subject_from_query(request)
    if not subject:
        raise Http404
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(by=request.user, town=town, **subject,
                                                    **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            return _after_assessment(request, assessment)
    return render(request, "supervision/riskassessment_form.html",
                  {"form": form, "subject": subject, "assessment": None})


@login_required
@once_per_token
def assessment_detail(request, pk):
    assessment = get_object_or_404(selectors.assessment_list_for_user(user=request.user), pk=pk)
    form = AssessmentForm(request.POST or None) if assessment.is_pending else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            assessment = services.assessment_record(by=request.user, assessment=assessment,
                                                    **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            return _after_assessment(request, assessment)
    return render(request, "supervision/riskassessment_form.html",
                  {"form": form, "assessment": assessment, "subject": {}})


def _after_assessment(request, assessment):
    messages.success(request, _("评估已登记：%(level)s。") % {
        "level": assessment.get_level_display()})
    if assessment.proposes_notice:
        messages.warning(request, _("红色风险：建议下发督办件或预警通知。"))
        return redirect(f"{reverse('supervision:notice_issue')}?assessment={assessment.pk}")
    return redirect("supervision:assessments")


@login_required
@once_per_token
def instability_report(request):
    form = InstabilityReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.instability_report_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("small_grid", str(exc))
        else:
            messages.success(request, _("不稳定信息已报告，等待镇领导评估。"))
            return redirect("home")
    return render(request, "supervision/instabilityreport_form.html", {"form": form})


@login_required
def trace_list(request):
    traces = selectors.trace_list_for_user(user=request.user)
    if not (request.user.is_superuser or scope_for_user(request.user).held.get(
            "town_leadership")):
        raise Http404
    return render(request, "supervision/responsibilitytrace_list.html", {"traces": traces})


@login_required
def trace_detail(request, pk):
    trace = get_object_or_404(selectors.trace_list_for_user(user=request.user), pk=pk)
    form = TraceConcludeForm(request.POST or None, initial={
        "finding": trace.finding, "action_taken": trace.action_taken})
    if request.method == "POST" and form.is_valid():
        try:
            services.trace_conclude(trace=trace, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("倒查结论已登记。"))
            return redirect(trace)
    return render(request, "supervision/responsibilitytrace_detail.html",
                  {"trace": trace, "form": form})

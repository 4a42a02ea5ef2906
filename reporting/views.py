"""Pages of reporting upward: the statistics reports (draft, file, correct, print, .xlsx),
the county roll-up, and the bulletins (draft, edit, issue, read, print)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cadence.selectors import monthly_analyses_for_user, weekly_summaries_for_user
from casework.views import action_forms, action_page
from core.forms import apply_form_errors
from core.idempotency import once_per_token

from . import exports, permissions, selectors, services
from .actions import BULLETIN_ACTIONS, REPORT_ACTIONS
from .figures import COLUMNS, statistics_figures
from .forms import ReportDraftForm
from .models import Bulletin, StatisticsReport
from .periods import parse_period, previous_month

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _preparable_towns(user):
    return [t for t in selectors.report_towns(user=user) if permissions.may_prepare(user, t.pk)]


@login_required
def index(request):
    towns = _preparable_towns(request.user)
    form = ReportDraftForm(towns=selectors.report_towns(user=request.user).filter(
        pk__in=[t.pk for t in towns]), initial={
            "period": previous_month().code, "town": towns[0].pk if len(towns) == 1 else None})
    return render(request, "reporting/statisticsreport_list.html", {
        "reports": selectors.report_list_for_user(user=request.user)[:100],
        "form": form if towns else None,
        "county": permissions.is_county_user(request.user),
    })


@login_required
@require_POST
@once_per_token
def report_draft(request):
    towns = _preparable_towns(request.user)
    form = ReportDraftForm(request.POST, towns=selectors.report_towns(user=request.user).filter(
        pk__in=[t.pk for t in towns]))
    if form.is_valid():
        try:
            report = services.statistics_report_draft(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            return redirect(report)
    return render(request, "reporting/statisticsreport_list.html", {
        "reports": selectors.report_list_for_user(user=request.user)[:100], "form": form,
        "county": permissions.is_county_user(request.user)}, status=400)


def _report(request, pk) -> StatisticsReport:
    try:
        return selectors.report_get_for_user(user=request.user, pk=pk)
    except StatisticsReport.DoesNotExist as exc:
        raise Http404 from exc


def _report_context(request, report, forms=None):
    # A draft shows the figures as they stand now; a filed report the figures it was filed with.
    figures = (statistics_figures(town=report.town, period=parse_period(report.period))
               if not report.is_frozen else report.figures)
    return {"report": report, "figures": figures, "period": parse_period(report.period),
            "columns": COLUMNS, "rows": exports.table_rows(figures),
            "events": report.events.select_related("actor"),
            "versions": StatisticsReport.objects.filter(
                town=report.town, period=report.period).order_by("version"),
            "action_forms": action_forms(REPORT_ACTIONS, report, request.user,
                                         bound=forms or {})}


@login_required
def report_detail(request, pk):
    report = _report(request, pk)
    return render(request, "reporting/statisticsreport_detail.html",
                  _report_context(request, report))


@login_required
def report_xlsx(request, pk):
    report = _report(request, pk)
    if not report.is_frozen:
        report.figures = statistics_figures(town=report.town, period=parse_period(report.period))
    return _xlsx(exports.report_xlsx(report),
                 f"mediation-statistics-{report.town.code}-{report.period}-v{report.version}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def report_action(request, pk, action):
    report = _report(request, pk)
    return action_page(
        request, actions=REPORT_ACTIONS, case=report, name=action,
        rerender=lambda forms: render(request, "reporting/statisticsreport_detail.html",
                                      _report_context(request, report, forms), status=400))


@login_required
def county(request):
    try:
        period = parse_period(request.GET.get("period") or previous_month().code)
    except ValueError as exc:
        raise Http404 from exc
    rollup = selectors.county_rollup(user=request.user, period=period)
    if not rollup["towns"]:
        raise Http404
    if request.GET.get("format") == "xlsx":
        county_name = rollup["towns"][0].county.name
        preparer = request.user.get_full_name() or request.user.get_username()
        return _xlsx(exports.county_xlsx(rollup, county_name=county_name, preparer=preparer),
                     f"county-mediation-statistics-{period.code}.xlsx")
    return render(request, "reporting/county_rollup.html", {
        **rollup, "columns": COLUMNS,
        "town_rows": [(r["town"], r["report"], [exports.cell(r["total"].get(k))
                                                for k, _l in COLUMNS])
                      for r in rollup["rows"]],
        "total_row": [exports.cell(rollup["total"].get(k)) for k, _l in COLUMNS]})


# --- Bulletins ------------------------------------------------------------------------------

def _lead_towns(user) -> list[int]:
    return [t.pk for t in selectors.report_towns(user=user) if permissions.may_lead(user, t.pk)]


@login_required
def bulletin_list(request):
    lead = _lead_towns(request.user)
    sources = []
    if lead:
        sources += [("weekly", s) for s in weekly_summaries_for_user(user=request.user)
                    .filter(town_id__in=lead).order_by("-week_start")[:4]]
        sources += [("monthly", s) for s in monthly_analyses_for_user(user=request.user)
                    .filter(town_id__in=lead).order_by("-month")[:3]]
    return render(request, "reporting/bulletin_list.html", {
        "bulletins": selectors.bulletin_list_for_user(user=request.user)[:100],
        "sources": sources})


@login_required
@require_POST
@once_per_token
def bulletin_draft(request):
    kind, _sep, pk = request.POST.get("source", "").partition(":")
    selector = {"weekly": weekly_summaries_for_user,
                "monthly": monthly_analyses_for_user}.get(kind)
    if selector is None or not pk.isdigit():
        raise Http404
    source = selector(user=request.user).filter(pk=int(pk)).first()
    if source is None:
        raise Http404
    try:
        bulletin = services.bulletin_draft(source=source, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("reporting:bulletins")
    messages.success(request, _("通报稿已起草。"))
    return redirect(bulletin)


def _bulletin(request, pk) -> Bulletin:
    try:
        return selectors.bulletin_get_for_user(user=request.user, pk=pk)
    except Bulletin.DoesNotExist as exc:
        raise Http404 from exc


def _bulletin_context(request, bulletin, forms=None):
    recipients = list(bulletin.recipients.all())
    return {"bulletin": bulletin, "recipients": recipients,
            "read": sum(1 for r in recipients if r.read_at),
            "events": bulletin.events.select_related("actor"),
            "action_forms": action_forms(BULLETIN_ACTIONS, bulletin, request.user,
                                         bound=forms or {})}


@login_required
def bulletin_detail(request, pk):
    bulletin = _bulletin(request, pk)
    return render(request, "reporting/bulletin_detail.html",
                  _bulletin_context(request, bulletin))


@login_required
@require_http_methods(["GET", "POST"])
def bulletin_action(request, pk, action):
    bulletin = _bulletin(request, pk)
    return action_page(
        request, actions=BULLETIN_ACTIONS, case=bulletin, name=action,
        rerender=lambda forms: render(request, "reporting/bulletin_detail.html",
                                      _bulletin_context(request, bulletin, forms), status=400))

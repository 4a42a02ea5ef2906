"""Pages of the three ones: the screening form, the daily record, the weekly summary (with
.xlsx and print) and the monthly analysis (with the judgement and print)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import apply_form_errors
from core.idempotency import once_per_token
from supervision.permissions import is_leadership

from . import figures, selectors, services
from .forms import JudgementForm, ScreeningReportForm
from .models import DailyScreeningReport


@login_required
@once_per_token
def screening(request):
    form = ScreeningReportForm(request.POST or None, user=request.user)
    today = timezone.localdate()
    if request.method == "GET" and form.fields["small_grid"].initial:
        existing = DailyScreeningReport.objects.filter(
            small_grid=form.fields["small_grid"].initial, date=today).first()
        if existing:
            form = ScreeningReportForm(user=request.user, initial={
                "small_grid": existing.small_grid, "areas": existing.areas,
                "nothing_found": existing.nothing_found, "findings": existing.findings,
                "disputes": list(existing.disputes.values_list("pk", flat=True))})
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_report_save(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("small_grid", str(exc))
        else:
            messages.success(request, _("今日排查报告已提交。"))
            return redirect("cadence:screening")
    reports = selectors.screening_reports_for_user(user=request.user).order_by(
        "-date", "small_grid_id")[:30]
    return render(request, "cadence/dailyscreeningreport_form.html",
                  {"form": form, "reports": reports, "today": today})


def _town(request, town_id):
    town = selectors.covered_towns(user=request.user).filter(pk=town_id).first()
    if town is None:
        raise Http404
    return town


@login_required
def daily(request, town_id, day):
    town = _town(request, town_id)
    try:
        day = datetime.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    record = town.daily_records.filter(date=day).first()
    data = record.figures if record else figures.daily_figures(town=town, day=day)
    return render(request, "cadence/dailyrecord_detail.html",
                  {"town": town, "day": day, "record": record, "figures": data,
                   "previous": day - datetime.timedelta(days=1),
                   "next": day + datetime.timedelta(days=1) if day < timezone.localdate()
                   else None})


@login_required
def daily_today(request):
    town = selectors.covered_towns(user=request.user).first()
    if town is None:
        raise Http404
    return redirect("cadence:daily", town.pk, timezone.localdate().isoformat())


@login_required
def report_index(request):
    return render(request, "cadence/report_index.html", {
        "towns": selectors.covered_towns(user=request.user),
        "weekly": selectors.weekly_summaries_for_user(user=request.user)[:20],
        "monthly": selectors.monthly_analyses_for_user(user=request.user)[:24],
        "today": timezone.localdate(),
    })


@login_required
def weekly(request, pk):
    summary = get_object_or_404(selectors.weekly_summaries_for_user(user=request.user), pk=pk)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            weekly_xlsx(summary),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = (
            f'attachment; filename="weekly-{summary.week_start:%Y%m%d}.xlsx"')
        return response
    return render(request, "cadence/weeklysummary_detail.html",
                  {"summary": summary, "f": summary.figures,
                   "print": request.GET.get("print") == "1"})


def weekly_xlsx(summary) -> bytes:
    from core.xlsx import add_sheet, streaming_workbook, workbook_bytes

    f = summary.figures
    wb = streaming_workbook()
    add_sheet(wb, _("本周概况"), [_("周一调度汇总"), f"{f['week_start']} — {f['week_end']}"],
              [[label, f.get(key, 0)] for label, key in ((_("新增纠纷"), "new"), (_("化解"), "resolved"),
                                                  (_("移交"), "referred"),
                                                  (_("终止调解"), "terminated"),
                                                  (_("在办"), "pending"))],
              first=True)
    sheets = [
        (_("在办（按大网格）"), [_("大网格"), _("件数")],
         [[r["large_grid"], r["n"]] for r in f["pending_by_grid"]]),
        (_("在办（按类型）"), [_("纠纷类型"), _("件数")],
         [[_(r["label"]), r["n"]] for r in f["pending_by_type"]]),
        (_("在办（按层级）"), [_("层级"), _("件数")],
         [[_(r["label"]), r["n"]] for r in f["pending_by_tier"]]),
        (_("超期事项"), [_("案号"), _("纠纷名称"), _("层级"), _("承办人"), _("期限")],
         [[r["number"], r["title"], _(r["tier"]) if r["tier"] else "", r["handler_name"] or "", r["due"]]
          for r in f["overdue"]]),
        (_("未办结督办件"), [_("编号"), _("事由"), _("责任人"), _("时限")],
         [[r["number"], r["title"], r["responsible_name"], r["due"]] for r in f["open_notices"]]),
        (_("到期信访事项"), [_("信访编号"), _("信访事项"), _("承办人"), _("期限")],
         [[r["number"], r["subject"], r["handler_name"] or "", r["due"]]
          for r in f["petitions_due"]]),
        (_("排查报告情况"), [_("大网格"), _("应报"), _("已报"), _("报告率%")],
         [[r["name"], r["expected"], r["reports"], r["rate"]] for r in f["screening"]]),
    ]
    for title, headers, rows in sheets:
        add_sheet(wb, title, headers, rows)
    return workbook_bytes(wb)


@login_required
def monthly(request, pk):
    analysis = get_object_or_404(selectors.monthly_analyses_for_user(user=request.user), pk=pk)
    can_judge = is_leadership(request.user, analysis.town_id)
    form = None
    if can_judge:
        form = JudgementForm(request.POST or None, initial={
            "judgement": analysis.judgement, "decisions": analysis.decisions})
        if request.method == "POST" and form.is_valid():
            try:
                services.monthly_judgement_save(analysis=analysis, by=request.user,
                                                **form.cleaned_data)
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("研判意见已保存。"))
                return redirect(analysis)
    elif request.method == "POST":
        raise PermissionDenied(_("只有镇党委、政府领导可以填写研判意见。"))
    return render(request, "cadence/monthlyanalysis_detail.html", {
        "analysis": analysis, "f": analysis.figures, "form": form,
        "chart_trend": selectors.trend_chart(analysis.figures.get("trend", [])),
        "print": request.GET.get("print") == "1"})

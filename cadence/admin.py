"""Django admin for the three ones: scoped, read-mostly, nothing deleted."""

from django.contrib import admin

from casework.admin import ReadOnlyAdmin
from grid import scope as scope_rule
from grid.admin import ScopedAdmin

from .models import DailyRecord, DailyScreeningReport, MonthlyAnalysis, WeeklySummary


class ReadOnlyStored(ReadOnlyAdmin):
    """Stored sweep figures are written by the sweeps only."""

    def scope_queryset(self, request, qs):
        return scope_rule.filter_full_towns(qs, request.user, path="town_id")


@admin.register(DailyScreeningReport)
class DailyScreeningReportAdmin(ScopedAdmin):
    list_display = ["date", "small_grid", "reporter", "nothing_found", "updated_at"]
    list_filter = ["nothing_found", "date", "small_grid__large_grid"]
    search_fields = ["findings", "small_grid__name", "reporter__name"]
    list_select_related = ["small_grid", "reporter"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def scope_queryset(self, request, qs):
        return scope_rule.filter_small_grids(qs, request.user, path="small_grid_id")


@admin.register(DailyRecord)
class DailyRecordAdmin(ReadOnlyStored):
    list_display = ["town", "date", "reminders_sent_at", "computed_at"]
    list_filter = ["town"]
    date_hierarchy = "date"


@admin.register(WeeklySummary)
class WeeklySummaryAdmin(ReadOnlyStored):
    list_display = ["town", "week_start", "computed_at"]
    list_filter = ["town"]


@admin.register(MonthlyAnalysis)
class MonthlyAnalysisAdmin(ReadOnlyStored):
    list_display = ["town", "month", "judged_by", "judged_at", "computed_at"]
    list_filter = ["town"]
    search_fields = ["judgement", "decisions"]

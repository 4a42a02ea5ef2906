"""Django admin for supervision: scoped, nothing deleted; tracing records for leadership."""

from django.contrib import admin

from casework.admin import CaseActionsAdmin, ReadOnlyAdmin, ReadOnlyInline
from grid import scope as scope_rule
from grid.admin import ScopedStackedInline

from .actions import ACTIONS
from .models import (
    DeadlineAlert,
    InstabilityReport,
    NoticeEvent,
    NoticeReport,
    ResponsibilityTrace,
    RiskAssessment,
    SupervisionNotice,
)
from .selectors import assessment_list_for_user, notice_list_for_user, trace_list_for_user

# Assessments, informants' reports and traces are written by their services (checks,
# notifications, history) from the pages and the API; the admin only shows them.
ReadOnly = ReadOnlyAdmin


class EventInline(ReadOnlyInline):
    model = NoticeEvent
    fields = ["created_at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields


class ReportInline(ScopedStackedInline):
    model = NoticeReport
    readonly_fields = ["result", "completed", "shortfall", "reported_by", "reported_at",
                       "facts_checked", "problem_solved", "measures_lawful", "check_opinion",
                       "checked_at", "accepted", "new_deadline"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(CaseActionsAdmin):
    case_actions = ACTIONS
    list_display = ["number", "kind", "title", "leader_in_charge", "responsible", "deadline",
                    "state"]
    list_filter = ["kind", "state", "urgency", "town"]
    search_fields = ["number", "title", "measures"]
    inlines = [ReportInline, EventInline]

    def scope_queryset(self, request, qs):
        return notice_list_for_user(user=request.user)


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnly):
    list_display = ["__str__", "level", "assessor", "assessed_at", "created_at"]
    list_filter = ["level", "town"]

    def scope_queryset(self, request, qs):
        # Leadership's own, as on the pages: not the petition office, not another town.
        return assessment_list_for_user(user=request.user)


@admin.register(InstabilityReport)
class InstabilityReportAdmin(ReadOnly):
    list_display = ["__str__", "small_grid", "reported_by", "reported_at"]
    search_fields = ["content"]

    def scope_queryset(self, request, qs):
        return scope_rule.filter_small_grids(qs, request.user, path="small_grid_id")


@admin.register(ResponsibilityTrace)
class ResponsibilityTraceAdmin(ReadOnly):
    list_display = ["__str__", "trigger", "responsible", "leader", "opened_at", "concluded_at"]
    list_filter = ["trigger", "town"]
    readonly_fields = ["town", "trigger", "notice", "dispute", "petition", "timeline",
                       "responsible", "leader", "opened_at"]

    def scope_queryset(self, request, qs):
        return trace_list_for_user(user=request.user)


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(ReadOnlyAdmin):
    list_display = ["item_kind", "item_id", "threshold", "due_at", "sent_at", "recipients"]
    list_filter = ["item_kind", "threshold"]

    def scope_queryset(self, request, qs):
        # The sweeps' bookkeeping: administrators only.
        return qs if request.user.is_superuser else qs.none()

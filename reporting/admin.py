"""Django admin for reporting upward: scoped, read-only (the services write), nothing deleted."""

from django.contrib import admin

from casework.admin import ReadOnlyAdmin, ReadOnlyInline
from grid import scope as scope_rule

from . import selectors
from .models import Bulletin, BulletinRecipient, StatisticsReport, StatisticsReportEvent


class ReportEventInline(ReadOnlyInline):
    model = StatisticsReportEvent
    fields = ["created_at", "actor", "action", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(StatisticsReport)
class StatisticsReportAdmin(ReadOnlyAdmin):
    list_display = ["town", "period", "version", "state", "handler", "filed_at"]
    list_filter = ["state", "period_kind", "town"]
    search_fields = ["period", "town__name"]
    list_select_related = ["town", "handler"]
    exclude = ["figures"]
    inlines = [ReportEventInline]

    def scope_queryset(self, request, qs):
        return scope_rule.filter_full_towns(qs, request.user, path="town_id")


class RecipientInline(ReadOnlyInline):
    model = BulletinRecipient
    fields = ["user", "large_grid", "read_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["title", "town", "kind", "period_start", "state", "issued_at"]
    list_filter = ["state", "kind", "town"]
    search_fields = ["title", "body"]
    list_select_related = ["town"]
    exclude = ["figures"]
    inlines = [RecipientInline]

    def scope_queryset(self, request, qs):
        return qs.filter(pk__in=selectors.bulletin_list_for_user(user=request.user).values("pk"))

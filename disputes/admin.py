"""Django admin for disputes: scoped lists, history inline, transition buttons that go through
the same services as the pages and the API. Nothing can be deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework.admin import CaseActionsAdmin, ReadOnlyInline
from grid import scope as scope_rule

from .actions import ACTIONS
from .models import (
    Attachment,
    Dispute,
    DisputeEvent,
    FollowUpVisit,
    MediationAgreement,
    MediationSession,
    Party,
    TownDisputeSettings,
)


class PartyInline(ReadOnlyInline):
    model = Party
    fields = ["name", "role", "gender", "age", "address"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = DisputeEvent
    fields = ["created_at", "actor", "action", "from_state", "to_state", "handler", "note"]
    readonly_fields = fields
    verbose_name_plural = _("办理过程")


class SessionInline(ReadOnlyInline):
    model = MediationSession
    fields = ["held_at", "room", "place", "record", "agreed"]
    readonly_fields = fields


class FollowUpInline(ReadOnlyInline):
    model = FollowUpVisit
    fields = ["visited_on", "visitor", "agreement_kept", "note"]
    readonly_fields = fields


class ScopedDisputeChildAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return scope_rule.filter_small_grids(super().get_queryset(request), request.user,
                                             path="dispute__small_grid_id")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(CaseActionsAdmin):
    case_actions = ACTIONS
    list_display = ["number", "title", "small_grid", "category", "risk_level", "state",
                    "handler", "tier_due_at", "found_at"]
    list_filter = ["state", "category", "risk_level", "legal_aid", "town",
                   "small_grid__large_grid"]
    search_fields = ["number", "title", "description", "parties__name"]
    list_select_related = ["small_grid", "handler"]
    date_hierarchy = "found_at"
    inlines = [PartyInline, SessionInline, FollowUpInline, EventInline]

    def get_queryset(self, request):
        return scope_rule.filter_small_grids(super().get_queryset(request), request.user,
                                             path="small_grid_id")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "small_grid":
            kwargs["queryset"] = scope_rule.filter_small_grids(
                db_field.related_model.objects.select_related("large_grid"), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DisputeEvent)
class DisputeEventAdmin(ScopedDisputeChildAdmin):
    list_display = ["dispute", "action", "from_state", "to_state", "actor", "created_at"]
    list_filter = ["action", "to_state"]
    search_fields = ["dispute__number", "note"]
    list_select_related = ["dispute", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MediationAgreement)
class MediationAgreementAdmin(ScopedDisputeChildAdmin):
    list_display = ["dispute", "kind", "signed_on", "performance_deadline"]
    list_filter = ["kind"]
    search_fields = ["dispute__number", "terms"]
    list_select_related = ["dispute"]


@admin.register(Attachment)
class AttachmentAdmin(ScopedDisputeChildAdmin):
    list_display = ["original_name", "dispute", "kind", "size", "uploaded_at"]
    list_filter = ["kind"]
    search_fields = ["original_name", "dispute__number"]
    list_select_related = ["dispute"]


@admin.register(TownDisputeSettings)
class TownDisputeSettingsAdmin(admin.ModelAdmin):
    list_display = ["town", "grid_member_days", "mediator_days", "grid_leader_days",
                    "chair_days"]

    def get_queryset(self, request):
        return scope_rule.filter_full_towns(super().get_queryset(request), request.user,
                                            path="town_id")

    def has_delete_permission(self, request, obj=None):
        return False

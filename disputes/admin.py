"""Django admin for disputes: scoped lists, history inline, transition buttons that go through
the same services as the pages and the API. Nothing can be deleted."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casework.admin import CaseActionsAdmin, ReadOnlyAdmin, ReadOnlyInline
from grid import scope as scope_rule
from grid.admin import ScopedAdmin

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


class ScopedDisputeChildAdmin(ReadOnlyAdmin):
    """A dispute's records (history, agreements, attachments): written by the services with
    their checks and history rows, only shown here."""

    def scope_queryset(self, request, qs):
        return scope_rule.filter_small_grids(qs, request.user, path="dispute__small_grid_id")


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

    def scope_queryset(self, request, qs):
        return scope_rule.filter_small_grids(qs, request.user, path="small_grid_id")


@admin.register(DisputeEvent)
class DisputeEventAdmin(ScopedDisputeChildAdmin):
    list_display = ["dispute", "action", "from_state", "to_state", "actor", "created_at"]
    list_filter = ["action", "to_state"]
    search_fields = ["dispute__number", "note"]
    list_select_related = ["dispute", "actor"]


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
class TownDisputeSettingsAdmin(ScopedAdmin):
    list_display = ["town", "grid_member_days", "mediator_days", "grid_leader_days",
                    "chair_days"]

    def scope_queryset(self, request, qs):
        return scope_rule.filter_full_towns(qs, request.user, path="town_id")

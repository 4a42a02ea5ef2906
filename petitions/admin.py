"""Django admin for petitions: scoped and read-only but for the transition buttons, which run
the same services as the pages and the API (deadlines, rules, history); never deleted."""

from django.contrib import admin

from casework.admin import CaseActionsAdmin, ReadOnlyInline
from core.admin import ScopedAdminBase
from grid import scope as scope_rule

from . import permissions
from .actions import ACTIONS
from .models import (
    CountyPetitionSettings,
    HigherLevelVisit,
    Petition,
    Petitioner,
    PetitionEvent,
    PetitionRecusal,
    PetitionReview,
)


class PetitionerInline(ReadOnlyInline):
    """Who petitioned: not shown at all (no row, no name) to those who may not know who
    filed an accusation (petitions.permissions.can_see_identity)."""

    model = Petitioner
    fields = ["name", "is_representative", "gender", "phone", "id_number"]
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        if obj is not None and not permissions.can_see_identity(obj, request.user):
            return False
        return super().has_view_permission(request, obj)


class EventInline(ReadOnlyInline):
    model = PetitionEvent
    fields = ["created_at", "actor", "action", "from_state", "to_state", "handler", "note"]
    readonly_fields = fields


class ReviewInline(ReadOnlyInline):
    model = PetitionReview
    fields = ["kind", "requested_on", "due_on", "answered_on", "opinion", "upheld"]
    readonly_fields = fields


class VisitInline(ReadOnlyInline):
    model = HigherLevelVisit
    fields = ["level", "visited_on", "skip_level", "note"]
    readonly_fields = fields


class RecusalInline(ReadOnlyInline):
    model = PetitionRecusal
    fields = ["staff", "reason", "replaced_by", "recorded_at"]
    readonly_fields = fields


@admin.register(Petition)
class PetitionAdmin(CaseActionsAdmin):
    case_actions = ACTIONS
    list_display = ["number", "subject", "kind", "form", "state", "small_grid", "received_on",
                    "accept_due", "reply_due"]
    list_filter = ["state", "kind", "form", "town"]
    search_fields = ["number", "subject", "national_number", "query_code"]
    list_select_related = ["small_grid"]
    date_hierarchy = "received_on"
    inlines = [PetitionerInline, ReviewInline, VisitInline, RecusalInline, EventInline]

    def scope_queryset(self, request, qs):
        return scope_rule.filter_small_grids(qs, request.user, path="small_grid_id")



@admin.register(CountyPetitionSettings)
class CountyPetitionSettingsAdmin(ScopedAdminBase):
    """The county's setting of which levels count as skip-level (越级访); saved through
    ``services.county_skip_levels_set``."""

    list_display = ["county", "skip_levels"]

    def scope_queryset(self, request, qs):
        return scope_rule.filter_towns(qs, request.user, path="county__towns").distinct()

    def save_model(self, request, obj, form, change):
        from .services import county_skip_levels_set

        saved = county_skip_levels_set(county=obj.county, levels=obj.skip_levels, by=request.user)
        obj.pk = saved.pk

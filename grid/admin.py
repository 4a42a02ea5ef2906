"""Django admin for the organisation. Every list and every choice goes through the scope rule;
nothing is deleted (an assignment is ended with a date instead)."""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdminBase

from . import scope as scope_rule
from .models import (
    County,
    GovernanceCentre,
    Household,
    LargeGrid,
    MediationCommittee,
    OrganisationSnapshot,
    RoleAssignment,
    Room,
    ServiceUnit,
    ServiceWindow,
    SmallGrid,
    Staff,
    Town,
    WorkingGroup,
)

# How to narrow each model's queryset to a user's scope.
SCOPE_FILTERS = {
    County: lambda qs, user: scope_rule.filter_towns(qs, user, path="towns").distinct(),
    Town: lambda qs, user: scope_rule.filter_towns(qs, user),
    LargeGrid: lambda qs, user: scope_rule.filter_large_grids(qs, user),
    SmallGrid: lambda qs, user: scope_rule.filter_small_grids(qs, user),
    Household: lambda qs, user: scope_rule.filter_small_grids(qs, user, path="small_grid_id"),
    MediationCommittee: lambda qs, user: scope_rule.filter_committees(qs, user),
    GovernanceCentre: lambda qs, user: scope_rule.filter_centres(qs, user),
    ServiceWindow: lambda qs, user: scope_rule.filter_centres(qs, user, prefix="centre__"),
    Room: lambda qs, user: scope_rule.filter_centres(qs, user, prefix="centre__"),
    Staff: lambda qs, user: scope_rule.filter_staff(qs, user),
    RoleAssignment: lambda qs, user: scope_rule.filter_assignments(qs, user),
    WorkingGroup: lambda qs, user: scope_rule.filter_towns(qs, user, path="town_id"),
    ServiceUnit: lambda qs, user: scope_rule.filter_units(qs, user),
    OrganisationSnapshot: lambda qs, user: scope_rule.filter_full_towns(qs, user, path="town_id"),
}


def scoped_choices(model, user):
    """The rows of ``model`` a user may pick in a form, by the scope rule; None when the scope
    rule does not narrow that model (choices such as a state or a kind)."""
    narrow = SCOPE_FILTERS.get(model)
    if narrow is not None:
        return narrow(model._default_manager.all(), user)
    if model is get_user_model():
        # Accounts: an administrator picks any; others only the accounts of staff in scope.
        if user.is_superuser:
            return model._default_manager.all()
        staff = scope_rule.filter_staff(Staff.objects.all(), user)
        return model._default_manager.filter(staff__in=staff)
    return None


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices narrowed to the user's scope, in model admins and
    inlines alike."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    """An inline of a scoped admin: its rows belong to the (scoped) parent, its choices are
    scoped, nothing is deleted."""

    extra = 0
    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedStackedInline(ScopedChoicesMixin, admin.StackedInline):
    extra = 0
    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdmin(ScopedChoicesMixin, ScopedAdminBase):
    """The one base of every admin of the project: the list, the detail pages, the search,
    the links of ``/admin/r/`` (config.urls), the list filters and every choice go through the
    scope rule, so an object outside the scope is not found, as on the pages; no deletion.

    ``scope_queryset(request, qs)`` narrows the queryset; by default through
    ``SCOPE_FILTERS``, else each admin says how (usually with a selector of its app).
    """

    def scope_queryset(self, request, qs):
        narrow = SCOPE_FILTERS.get(self.model)
        if narrow is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} must say how its rows are scoped (scope_queryset).")
        return narrow(qs, request.user)

    def get_list_filter(self, request):
        # A plain related-field filter offers every row of the related table (all large
        # grids of all towns); offer only those related to rows the user may see.
        return [self._scoped_list_filter(item) for item in super().get_list_filter(request)]

    def _scoped_list_filter(self, item):
        if isinstance(item, str) and get_fields_from_path(self.model, item)[-1].is_relation:
            return (item, admin.RelatedOnlyFieldListFilter)
        return item


@admin.register(County)
class CountyAdmin(ScopedAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Town)
class TownAdmin(ScopedAdmin):
    list_display = ["name", "short_name", "code", "county"]
    list_filter = ["county"]
    search_fields = ["name", "code"]


class SmallGridInline(ScopedInline):
    model = SmallGrid
    fields = ["number", "name", "description"]


@admin.register(LargeGrid)
class LargeGridAdmin(ScopedAdmin):
    list_display = ["number", "name", "kind", "town"]
    list_filter = ["town", "kind"]
    search_fields = ["name"]
    inlines = [SmallGridInline]


@admin.register(SmallGrid)
class SmallGridAdmin(ScopedAdmin):
    list_display = ["name", "number", "large_grid"]
    list_filter = ["large_grid__town", "large_grid"]
    search_fields = ["name", "description", "large_grid__name"]
    list_select_related = ["large_grid"]


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    list_display = ["head_name", "small_grid", "address", "members"]
    list_filter = ["small_grid__large_grid"]
    search_fields = ["head_name", "address"]
    list_select_related = ["small_grid"]


@admin.register(MediationCommittee)
class MediationCommitteeAdmin(ScopedAdmin):
    list_display = ["name", "level", "town", "large_grid"]
    list_filter = ["town", "level"]
    search_fields = ["name"]


class ServiceWindowInline(ScopedInline):
    model = ServiceWindow


class RoomInline(ScopedInline):
    model = Room


@admin.register(GovernanceCentre)
class GovernanceCentreAdmin(ScopedAdmin):
    list_display = ["name", "town", "large_grid", "office_rooms", "floor_area"]
    list_filter = ["town"]
    search_fields = ["name", "address"]
    inlines = [ServiceWindowInline, RoomInline]


@admin.register(ServiceWindow)
class ServiceWindowAdmin(ScopedAdmin):
    list_display = ["number", "name", "centre"]
    list_filter = ["centre"]
    search_fields = ["name", "services"]


@admin.register(ServiceUnit)
class ServiceUnitAdmin(ScopedAdmin):
    list_display = ["name", "kind", "town", "room"]
    list_filter = ["kind", "town"]
    search_fields = ["name"]


@admin.register(Room)
class RoomAdmin(ScopedAdmin):
    list_display = ["name", "kind", "centre"]
    list_filter = ["kind", "centre"]
    search_fields = ["name", "purpose"]


class RoleAssignmentInline(ScopedInline):
    model = RoleAssignment
    fields = ["role", "county", "town", "committee", "large_grid", "small_grid", "household",
              "is_five_elders", "elder_kind", "starts_on", "ends_on", "note"]
    autocomplete_fields = ["committee", "large_grid", "small_grid", "household"]


@admin.register(Staff)
class StaffAdmin(ScopedAdmin):
    list_display = ["name", "title", "town", "gender", "user"]
    list_filter = ["town", "assignments__role", "gender"]
    # The phone is encrypted (core.fields): not searchable by part.
    search_fields = ["name", "title", "user__username"]
    list_select_related = ["town", "user"]
    autocomplete_fields = ["user"]
    inlines = [RoleAssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


class ActiveFilter(admin.SimpleListFilter):
    title = _("是否在任")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("在任")), ("no", _("已离任"))]

    def queryset(self, request, queryset):
        active_ids = RoleAssignment.objects.active().values("id")
        if self.value() == "yes":
            return queryset.filter(id__in=active_ids)
        if self.value() == "no":
            return queryset.exclude(id__in=active_ids)
        return queryset


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    list_display = ["staff", "role", "scope_display", "is_five_elders", "elder_kind",
                    "starts_on", "ends_on"]
    list_filter = [ActiveFilter, "role", "is_five_elders", "elder_kind"]
    search_fields = ["staff__name", "note"]
    list_select_related = ["staff", "county", "town", "committee", "large_grid", "small_grid",
                           "household"]
    autocomplete_fields = ["staff", "committee", "large_grid", "small_grid", "household"]
    date_hierarchy = "starts_on"

    @admin.display(description=_("范围"))
    def scope_display(self, obj):
        return obj.scope_object


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ScopedAdmin):
    list_display = ["name", "kind", "town", "head"]
    list_filter = ["town", "kind"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(OrganisationSnapshot)
class OrganisationSnapshotAdmin(ScopedAdmin):
    list_display = ["town", "taken_on", "updated_at"]
    list_filter = ["town"]
    date_hierarchy = "taken_on"
    readonly_fields = ["town", "taken_on", "figures", "updated_at"]

    def has_add_permission(self, request):
        return False

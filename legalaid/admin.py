from django.contrib import admin

from casework.admin import ReadOnlyAdmin

from . import selectors
from .models import Consultation, LegalAidMatter, PublicityEvent


@admin.register(LegalAidMatter)
class LegalAidMatterAdmin(ReadOnlyAdmin):
    """Read-only: matters change through their actions on the page (history kept)."""

    list_display = ["number", "matter_kind", "state", "applied_on", "unit"]
    list_filter = ["state", "matter_kind", "unit"]
    search_fields = ["number"]
    exclude = ["phone", "phone_hash", "id_number", "id_number_hash"]

    def scope_queryset(self, request, qs):
        return qs.filter(pk__in=selectors.matter_list_for_user(user=request.user).values("pk"))


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["consulted_on", "topic", "large_grid", "unit", "referred_onward"]
    list_filter = ["topic", "referred_onward", "unit"]

    def scope_queryset(self, request, qs):
        return qs.filter(pk__in=selectors.consultation_list_for_user(user=request.user)
                         .values("pk"))


@admin.register(PublicityEvent)
class PublicityEventAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "topic", "place", "audience", "large_grid", "unit"]
    list_filter = ["unit"]

    def scope_queryset(self, request, qs):
        return qs.filter(pk__in=selectors.publicity_list_for_user(user=request.user)
                         .values("pk"))


from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdminBase, SuperuserOnly

from .models import Notification, OutboxMessage


@admin.register(Notification)
class NotificationAdmin(ScopedAdminBase):
    """Administrators see every message; others only their own."""

    list_display = ["title", "recipient", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "body", "recipient__username"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = ["recipient", "title", "body", "url", "created_at", "read_at"]

    def scope_queryset(self, request, qs):
        return qs if request.user.is_superuser else qs.filter(recipient=request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _Waiting(admin.SimpleListFilter):
    title = _("送达")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("yes", _("未送达")), ("no", _("已送达"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(delivered_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(delivered_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SuperuserOnly, admin.ModelAdmin):
    """Superusers see what is waiting or failing; the worker and its sweep deliver it."""

    list_display = ["notification", "channel", "created_at", "attempts", "next_attempt_at",
                    "delivered_at", "last_error"]
    list_filter = [_Waiting, "channel"]
    list_select_related = ["notification"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

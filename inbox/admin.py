from django.contrib import admin

from core.admin import ScopedAdminBase

from .models import Notification


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

"""The admin's ground rules, for every app: each model admin derives from ``ScopedAdminBase``
(grid.admin.ScopedAdmin adds the scope rule to it), accounts and API tokens are for
administrators only, and ``/admin/r/`` (the "view on site" links) finds only what the user's
admin may list, so a missing object and one outside the scope both answer 404."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404


class ScopedAdminBase(admin.ModelAdmin):
    """Rows narrowed by ``scope_queryset(request, qs)``; nothing deleted."""

    def scope_queryset(self, request, qs):
        """Each subclass narrows through the scope rule; one that forgets shows nothing."""
        return qs.none()

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def has_delete_permission(self, request, obj=None):
        return False


class SuperuserOnly:
    """Administrators only: town staff with admin access see neither accounts nor tokens
    (a token is a password)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request, *args):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


def _administrators_only(site) -> None:
    """Every admin registered before ours (accounts, groups, API tokens, django-axes' login
    records: the apps listed before ``core`` in INSTALLED_APPS) becomes administrators-only.
    Deleting a token there revokes it."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, SuperuserOnly):
            continue
        cls = type(model_admin)
        site.unregister(model)
        site.register(model, type(f"SuperuserOnly{cls.__name__}", (SuperuserOnly, cls), {}))


_administrators_only(admin.site)


def view_on_site(request, content_type_id, object_id):
    """``/admin/r/<type>/<id>/``: Django's redirect, but only to an object that the user's
    admin of that model lists; else 404, as for a missing object."""
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
    except ContentType.DoesNotExist as exc:
        raise Http404 from exc
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    try:
        found = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    if not found:
        raise Http404
    return shortcut(request, content_type_id, object_id)

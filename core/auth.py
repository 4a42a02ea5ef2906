"""The authentication backend: Django's ``ModelBackend`` (username and password, permissions),
with the request's user read by one fixed statement (``core.rows.instance_by_pk``) instead of
a query built and compiled on every request, and a user's permissions (their own and their
groups') read by one fixed statement instead of Django's two built queries, the first time a
request asks (``user.has_perm``: the case page asks whether the user may void the case)."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from .rows import instance_by_pk

_statements: dict[str, str] = {}


def _permissions_statement() -> str:
    """Django's ``get_user_permissions`` and ``get_group_permissions`` in one statement (the
    same permissions, as app label and codename), written once per kind of database."""
    if connection.vendor not in _statements:
        quote = connection.ops.quote_name
        user = get_user_model()._meta
        own = user.get_field("user_permissions").remote_field.through._meta
        groups = user.get_field("groups").remote_field.through._meta
        granted = user.get_field("groups").related_model._meta.get_field(
            "permissions").remote_field.through._meta

        def col(meta, name):
            return quote(meta.get_field(name).column)

        permission, content_type = Permission._meta, ContentType._meta
        _statements[connection.vendor] = (
            f"SELECT ct.{col(content_type, 'app_label')}, p.{col(permission, 'codename')}"
            f" FROM {quote(permission.db_table)} p"
            f" JOIN {quote(content_type.db_table)} ct"
            f" ON ct.{col(content_type, 'id')} = p.{col(permission, 'content_type')}"
            f" WHERE p.{col(permission, 'id')} IN ("
            f"SELECT o.{col(own, 'permission')} FROM {quote(own.db_table)} o"
            f" WHERE o.{col(own, user.model_name)} = %s"
            f" UNION SELECT g.{col(granted, 'permission')} FROM {quote(granted.db_table)} g"
            f" JOIN {quote(groups.db_table)} m ON m.{col(groups, 'group')} = g.{col(granted, 'group')}"
            f" WHERE m.{col(groups, user.model_name)} = %s)")
    return _statements[connection.vendor]


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        user = instance_by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """As Django's (kept for the request on ``_perm_cache``); a superuser's, every
        permission, through Django's own query."""
        if (not user_obj.is_active or user_obj.is_anonymous or obj is not None
                or user_obj.is_superuser or hasattr(user_obj, "_perm_cache")):
            return super().get_all_permissions(user_obj, obj=obj)
        with connection.cursor() as cursor:
            cursor.execute(_permissions_statement(), [user_obj.pk, user_obj.pk])
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in cursor.fetchall()}
        return user_obj._perm_cache

"""The authentication backend: Django's ``ModelBackend`` (username and password, permissions),
with the request's user read by one fixed statement (``core.rows.instance_by_pk``) instead of
a query built and compiled on every request."""

from __future__ import annotations

from django.contrib.auth import backends, get_user_model

from .rows import instance_by_pk


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        user = instance_by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

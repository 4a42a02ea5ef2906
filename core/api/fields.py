"""Incoming ids resolved through the requesting user's scope.

An id that does not exist and one outside the user's scope get the same answer, so that the
API tells nobody which ids exist elsewhere (the pages' rule: missing and out-of-scope look
the same). The serializer's context must carry the request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

NOT_FOUND = _("未找到，或不在您的管辖范围内。")


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """``scoped(user=…)`` (a selector) gives the queryset an id is looked up in; ``queryset`` only names the
    model (for the schema)."""

    default_error_messages = {
        "does_not_exist": NOT_FOUND,
        "incorrect_type": NOT_FOUND,
    }

    def __init__(self, *, scoped: Callable[..., QuerySet], **kwargs):
        self.scoped = scoped
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.queryset.none()
        return self.scoped(user=user)

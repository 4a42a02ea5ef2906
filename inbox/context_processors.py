"""The header's unread badge, computed only when a template shows it."""

from django.utils.functional import SimpleLazyObject

from .notifications import unread_badge


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"UNREAD_BADGE": ""}
    return {"UNREAD_BADGE": SimpleLazyObject(lambda: unread_badge(user))}

"""The header's unread count, computed only when a template shows it."""

from django.utils.functional import SimpleLazyObject

from .notifications import unread_count


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"UNREAD_COUNT": 0}
    return {"UNREAD_COUNT": SimpleLazyObject(lambda: unread_count(user))}

"""Page chrome shared by every template: the site title, navigation and unread count."""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .notifications import unread_count
from .registry import nav_items


def navigation(request):
    items = []
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    if authenticated:
        path = request.path
        for item in nav_items():
            if item.visible(user):
                url = reverse(item.url_name)
                items.append({"label": item.label, "url": url,
                              "active": path.startswith(url) and url != "/"})
    return {
        "SITE_TITLE": settings.SITE_TITLE,
        "NAV_ITEMS": items,
        "UNREAD_COUNT": SimpleLazyObject(lambda: unread_count(user)) if authenticated else 0,
    }

"""Page chrome shared by every template: the site title and the navigation."""

from django.conf import settings
from django.urls import reverse

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
    }

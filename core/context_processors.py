"""Page chrome shared by every template: the site title, the navigation (the menu) and the
phone's bottom bar of the user's main jobs (``core.registry.main_jobs``).

``CHROME_KEY`` names everything the cached parts of ``base.html`` show besides the language
and the unread badge: those parts are rendered once per key and process (the "fragments"
cache, README "Architecture"), so whatever they show must be in the key."""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, reverse

from .registry import main_job_keys, nav_items


@lru_cache(maxsize=256)
def _nav_url(prefix: str, url_name: str) -> str:
    # A menu entry's address takes no argument: reversed once per script prefix, not on
    # every page.
    return reverse(url_name)

MAIN_JOBS_SHOWN = 3  # the bottom bar: these, the inbox and the menu (five targets at most)


def navigation(request):
    items = []
    main = []
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    if authenticated:
        path = request.path
        for item in nav_items():
            if item.visible(user):
                url = _nav_url(get_script_prefix(), item.url_name)
                items.append({"key": item.key, "label": item.label, "url": url,
                              "active": path.startswith(url) and url != "/"})
        by_key = {item["key"]: item for item in items}
        main = [by_key[key] for key in main_job_keys(user) if key in by_key][:MAIN_JOBS_SHOWN]
    return {
        "CHROME_KEY": (settings.SITE_TITLE, get_script_prefix(), authenticated,
                       tuple((item["key"], item["active"]) for item in items),
                       tuple(item["key"] for item in main)),
        "SITE_TITLE": settings.SITE_TITLE,
        "NAV_ITEMS": items,
        "MAIN_JOBS": main,
    }

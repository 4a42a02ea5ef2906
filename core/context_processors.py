"""Page chrome shared by every template: the user's scope headline and the site title."""

from django.conf import settings


def navigation(request):
    return {"SITE_TITLE": settings.SITE_TITLE}

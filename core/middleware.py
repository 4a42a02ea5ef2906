"""Language (Simplified Chinese unless the user chose otherwise with the header switch), the
idle session timeout, the size of a request, a database outage answered in plain words, and
the project's 404 page also with DEBUG on."""

import logging
import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404
from django.utils import translation

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware:
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language: township
    phones and PCs are often set to English, while the product speaks Chinese first. The
    language switch (``set_language``) stores the choice in the language cookie."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class IdleSessionTimeoutMiddleware:
    """Logs out a session idle for more than ``SESSION_IDLE_TIMEOUT`` seconds.

    The time of the last request is kept in the session, written at most once a minute so
    that a page's many requests do not each write the session. The absolute lifetime is
    Django's ``SESSION_COOKIE_AGE``, counted from the login (the session is not extended by
    activity: ``SESSION_SAVE_EVERY_REQUEST`` stays off and the expiry is set at login).
    """

    KEY = "_last_seen"
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            elif last_seen is None or now - last_seen >= self.WRITE_EVERY:
                request.session[self.KEY] = now
        return self.get_response(request)


def session_lifetime_fix(sender, request, user, **kwargs):
    """At login, start the idle clock and fix the session's end to ``SESSION_COOKIE_AGE`` from now: the idle-timeout
    bookkeeping saves the session now and then, which would otherwise push its end on."""
    from datetime import timedelta

    from django.utils import timezone

    if hasattr(request, "session"):
        request.session.set_expiry(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE))
        request.session[IdleSessionTimeoutMiddleware.KEY] = int(time.time())


class RequestSizeLimitMiddleware:
    """Refuses (413) a request whose body is larger than ``MAX_REQUEST_MB`` in all, whatever
    the number of files in it (each file is also held to ``MAX_UPLOAD_MB`` by
    core.uploads). Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out of its count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_MB * 1024 * 1024
        if length > limit:
            return self.too_large(request, limit)
        return self.get_response(request)

    def too_large(self, request, limit):
        from django.http import HttpResponse, JsonResponse
        from django.utils.translation import gettext as _

        message = _("提交的内容过大：一次最多 %(mb)s MB。") % {"mb": limit // (1024 * 1024)}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=413)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class DatabaseUnavailableMiddleware:
    """A database error (the connection cut, a server restarting) answers 503 with a plain
    Chinese message instead of a bare 500: what to do, and that retrying the same form is
    safe (its token makes a second submission give the first one's result). The page is
    rendered without the database: no header, inbox count or navigation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import DatabaseError, IntegrityError

        if not isinstance(exception, DatabaseError) or isinstance(exception, IntegrityError):
            return None
        logger.exception("database unavailable on %s", request.path)
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse({"detail": translation.gettext(
                "数据库暂时不可用，请稍后重试；带同一 Idempotency-Key 重试不会重复创建。")},
                status=503, headers={"Retry-After": "30"})
        from django.http import HttpResponse
        from django.template.loader import render_to_string

        # Without the request: the context processors would ask the database again.
        return HttpResponse(render_to_string("503_database.html"), status=503,
                            headers={"Retry-After": "30"})


class ProjectNotFoundPageMiddleware:
    """With DEBUG on (``make run``'s demo), a missing page, or one outside the user's scope,
    shows the project's 404 page as in production, not Django's technical page listing the
    URL patterns. (A 403 already uses the project's page under DEBUG.) API answers keep their
    JSON. ``DEBUG_TECHNICAL_404=1`` brings Django's page back for development."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _applies(self, request) -> bool:
        return (settings.DEBUG and not settings.DEBUG_TECHNICAL_404
                and not request.path.startswith("/api/"))

    def __call__(self, request):
        response = self.get_response(request)
        # No URL matched: the resolver's 404 was turned into the technical page already.
        if (response.status_code == 404 and getattr(request, "resolver_match", None) is None
                and self._applies(request)):
            from django.views.defaults import page_not_found

            return page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and self._applies(request):
            from django.views.defaults import page_not_found

            return page_not_found(request, exception)
        return None

"""Language: Simplified Chinese unless the user chose otherwise with the header switch; a
database outage answered in plain words."""

import logging

from django.conf import settings
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

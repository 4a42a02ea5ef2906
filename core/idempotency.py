"""Creates that happen once per client token (幂等提交).

A page form carries a hidden token made when the form is rendered (``{% idempotency_field %}``);
an API client sends an ``Idempotency-Key`` header. The first request with a token claims an
``IdempotencyKey`` row in the same transaction as the create and remembers its answer: the
page's redirect, the API's status and body. The same token again (a double tap, Back and
submit, a retry after a lost response) gets that answer and creates nothing. Two requests at
the same moment meet at the unique constraint: on PostgreSQL the second waits for the first
to commit, then gets its answer.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from .models import IdempotencyKey

TOKEN_FIELD = "idempotency_token"
HEADER = "Idempotency-Key"
MAX_LENGTH = 64
KIND_LENGTH = 120

API_PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="客户端生成的唯一令牌（如 UUID）：同一令牌再次提交时返回第一次的状态和内容，不会重复创建。"
                " / A client-made unique token (a UUID): the same token again returns the first"
                " status and body and creates nothing.")


class _Discard(Exception):
    """The create did not happen (the form had errors): forget the claim."""

    def __init__(self, response):
        self.response = response


def _clean(token) -> str:
    return (token or "").strip()[:MAX_LENGTH]


def page_token(request) -> str:
    return _clean(request.POST.get(TOKEN_FIELD))


def api_token(request) -> str:
    return _clean(request.headers.get(HEADER))


def _answered(*, user, kind, token) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(user=user, kind=kind, token=token,
                                         response_status__isnull=False).first()


def run_once(*, user, kind: str, token: str, perform: Callable, remember: Callable,
             replay: Callable):
    """Call ``perform()`` at most once per ``(user, kind, token)``.

    ``remember(response, key)`` fills the key from a successful answer and returns True, or
    returns False when nothing was created (the claim is then rolled back with the rest);
    ``replay(key)`` rebuilds the first answer. Without a token, ``perform()`` just runs.
    """
    if not token:
        return perform()
    done = _answered(user=user, kind=kind, token=token)
    if done is not None:
        return replay(done)
    try:
        with transaction.atomic():
            key = IdempotencyKey.objects.create(user=user, kind=kind, token=token)
            response = perform()
            if not remember(response, key):
                raise _Discard(response)
            key.save(update_fields=["response_status", "location", "response_body"])
    except _Discard as discarded:
        return discarded.response
    except IntegrityError:
        # Another request with this token committed first (or the create itself broke a
        # constraint: then there is no answer to give, and the error stands).
        done = _answered(user=user, kind=kind, token=token)
        if done is None:
            raise
        return replay(done)
    return response


def page_once(request, *, kind: str, perform: Callable):
    """A page's POST that creates: ``perform()`` returns a redirect on success (remembered),
    or the form again with its errors (nothing remembered)."""

    def remember(response, key):
        if response.status_code not in (301, 302, 303):
            return False
        key.response_status = 302
        key.location = response["Location"][:300]
        return True

    def replay(key):
        messages.info(request, _("这份表单已经提交过，以下是第一次提交的结果，未重复登记。"))
        return redirect(key.location)

    return run_once(user=request.user, kind=kind, token=page_token(request), perform=perform,
                    remember=remember, replay=replay)


def api_once(request, *, kind: str, perform: Callable):
    """An API create: ``perform()`` returns a DRF ``Response``; a 2xx answer is remembered
    and the same ``Idempotency-Key`` gets the same status and body again."""
    from rest_framework.response import Response

    def remember(response, key):
        if not 200 <= response.status_code < 300:
            return False
        key.response_status = response.status_code
        key.response_body = response.data
        return True

    def replay(key):
        return Response(key.response_body, status=key.response_status,
                        headers={"Idempotent-Replayed": "true"})

    return run_once(user=request.user, kind=f"api:{kind}", token=api_token(request),
                    perform=perform, remember=remember, replay=replay)


def _kind(name: str, kwargs) -> str:
    args = ",".join(f"{k}={v}" for k, v in sorted(kwargs.items()))
    return f"{name}:{args}"[:KIND_LENGTH]


def once_per_token(view):
    """A page view whose POST creates: run it once per form token (the view and its URL
    arguments name the operation). The view answers a redirect on success."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        return page_once(request, kind=_kind(f"{view.__module__}.{view.__name__}", kwargs),
                         perform=lambda: view(request, *args, **kwargs))

    return wrapper


def api_once_per_token(method):
    """A DRF view method that creates: run it once per ``Idempotency-Key``."""

    @wraps(method)
    def wrapper(self, request, *args, **kwargs):
        name = f"{type(self).__module__}.{type(self).__name__}.{method.__name__}"
        return api_once(request, kind=_kind(name, kwargs),
                        perform=lambda: method(self, request, *args, **kwargs))

    return extend_schema(parameters=[API_PARAMETER])(wrapper)


KEEP_DAYS = 30


def idempotency_keys_purge(*, at=None) -> int:
    """Forget tokens older than ``KEEP_DAYS``: no client retries a form a month later.
    Returns how many were removed; gives the same result if run twice."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = (at or timezone.now()) - timedelta(days=KEEP_DAYS)
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted

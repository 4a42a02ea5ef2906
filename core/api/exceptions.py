"""The API's one error contract: JSON with a readable, translated ``detail``.

``ValidationError`` → 400 with field errors, ``PermissionDenied`` → 403,
``TransitionNotAllowed`` / ``ConcurrentTransition`` → 409, out of scope → 404,
missing or bad credentials → 401.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail=None, code=None):
        super().__init__(detail or _("当前状态下不能进行此操作。"), code)


class LockedOut(exceptions.APIException):
    """Too many failed logins for the account or from the address (django-axes)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, detail=None, code=None):
        super().__init__(detail or _("登录失败次数过多，账号或地址已被暂时锁定，请稍后再试。"), code)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"detail": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or _("您没有执行此操作的权限。"))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到，或不在您的管辖范围内。"))
    elif isinstance(exc, ConcurrentTransition):
        exc = Conflict(_("该案件刚被他人处理，请刷新后重试。"))
    elif isinstance(exc, TransitionNotAllowed):
        # The services say why (the current state, or the unmet condition such as "red risk
        # or a risk flag"); the pages show the same message.
        exc = Conflict(str(exc) or _("当前状态下不能进行此操作。"))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        response.data = {"detail": _("提交的数据有误，请检查。"), "errors": response.data}
    elif isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("提交的数据有误，请检查。"), "errors": {"detail": response.data}}
    return Response(response.data, status=response.status_code, headers=response.headers)

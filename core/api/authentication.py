"""API tokens that expire: ``Authorization: Token …`` is refused ``API_TOKEN_TTL`` seconds
after the token was issued (the token is then deleted, so the next login issues a new one).
A token is revoked by ``DELETE /api/v1/auth/token/`` or by an administrator deleting it."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_expired(token, *, at=None) -> bool:
    at = at or timezone.now()
    return token_expires_at(token) <= at


def token_expires_at(token):
    return token.created + timedelta(seconds=settings.API_TOKEN_TTL)


def token_issue(user):
    """The user's token: the current one while it is valid, else a new one."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.filter(user=user).first()
    if token is not None and token_expired(token):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新登录。"))
        return user, token

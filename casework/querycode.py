"""The query code (查询码) of a dispute or a petition and its QR code (信访工作条例 第二十一条:
the petitioner queries and evaluates the handling of the matter; the parties to a dispute the
same, README "What it does").

A code is 8 characters from an alphabet without the look-alikes 0/O and 1/I, so it can be
read out over the phone and typed from a printed notice. The QR code on the notices encodes
``<SITE_URL>/q/?code=<CODE>`` and is drawn as inline SVG: no file, no CDN.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8


# The models that hold a ``query_code`` column (registered in their ``AppConfig.ready``): a
# new code is free in all of them, so ``/q/`` finds one case whichever kind it is.
_holders: list = []


def register_holder(model) -> None:
    if model not in _holders:
        _holders.append(model)


def holders() -> list:
    """The models whose ``query_code`` a new code must not repeat."""
    return list(_holders)


def new_query_code() -> str:
    """A random code (40 bits); the caller checks it is not taken (a unique column)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def unique_query_code() -> str:
    """A code taken by no dispute and no petition (each ``query_code`` is also unique)."""
    for _attempt in range(20):
        code = new_query_code()
        if not any(model.objects.filter(query_code=code).exists() for model in _holders):
            return code
    raise RuntimeError("no free query code")  # 32**8 codes: practically unreachable


def normalise(code: str) -> str:
    """What the petitioner typed, as stored: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -")


def query_url(code: str) -> str:
    """The public query page's address for ``code``."""
    return f"{settings.SITE_URL.rstrip('/')}/q/?{urlencode({'code': code})}"


def qr_code(code: str) -> segno.QRCode:
    return segno.make_qr(query_url(code), error="m")


def qr_svg(code: str, *, scale: int = 3) -> SafeString:
    """The QR code of ``query_url(code)`` as an inline ``<svg>`` element."""
    svg = qr_code(code).svg_inline(scale=scale, border=2, title=code)
    return mark_safe(svg)  # noqa: S308 — segno's own markup; the code is from ALPHABET

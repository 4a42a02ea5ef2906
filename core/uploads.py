"""Checking uploaded files: allowed types by extension *and* content, and a size limit."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# extension → (kind, accepted leading bytes)
ALLOWED = {
    ".jpg": ("photo", (b"\xff\xd8\xff",)),
    ".jpeg": ("photo", (b"\xff\xd8\xff",)),
    ".png": ("photo", (b"\x89PNG\r\n\x1a\n",)),
    ".pdf": ("document", (b"%PDF",)),
    ".docx": ("document", (b"PK\x03\x04",)),
    ".xlsx": ("document", (b"PK\x03\x04",)),
    ".doc": ("document", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("document", (b"\xd0\xcf\x11\xe0",)),
}


def max_upload_bytes() -> int:
    return getattr(settings, "MAX_UPLOAD_MB", 10) * 1024 * 1024


def validate_upload(upload) -> str:
    """Return the kind ("photo" or "document") of an acceptable upload; raise otherwise."""
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in ALLOWED:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”。可上传照片（jpg、png）或文档（pdf、doc、docx、xls、xlsx）。")
            % {"ext": ext or "?"}, code="file_type")
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(_("文件过大：最大 %(mb)s MB。") % {"mb": limit // (1024 * 1024)},
                              code="file_size")
    if upload.size == 0:
        raise ValidationError(_("文件为空。"), code="file_empty")
    kind, signatures = ALLOWED[ext]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(_("文件内容与扩展名“%(ext)s”不符。") % {"ext": ext},
                              code="file_content")
    return kind

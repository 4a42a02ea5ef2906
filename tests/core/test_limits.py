"""The total size of one request, and refusals logged without a traceback."""

from __future__ import annotations

import logging
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.logging import ForbiddenWithoutTraceback

pytestmark = pytest.mark.django_db


def _pdf(name, size):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def test_several_files_over_the_total_are_refused_with_413(client_as, settings):
    settings.MAX_REQUEST_MB = 1
    client = client_as("gm01")
    files = [_pdf(f"f{i}.pdf", 400 * 1024) for i in range(3)]  # each under, together over
    response = client.post("/disputes/new/", {"title": "x", "attachments": files})
    assert response.status_code == 413
    assert "过大" in response.content.decode()


def test_the_api_answers_413_in_json(api_as, settings):
    settings.MAX_REQUEST_MB = 1
    response = api_as("gm01").post("/api/v1/disputes/", {"description": "x" * (1024 * 1024 + 1)},
                                   format="json")
    assert response.status_code == 413
    assert "过大" in response.json()["detail"]


def test_a_request_under_the_total_passes(client_as):
    assert client_as("gm01").get("/disputes/").status_code == 200


def _record(status_code):
    try:
        raise PermissionError("no")
    except PermissionError:
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                                   "Forbidden (Permission denied): %s", ("/x/",), sys.exc_info())
    record.status_code = status_code
    return record


def test_a_403_is_logged_without_its_traceback():
    record = _record(403)
    assert ForbiddenWithoutTraceback().filter(record)
    assert record.exc_info is None
    assert "Traceback" not in logging.Formatter().format(record)


def test_other_errors_keep_their_traceback():
    record = _record(500)
    ForbiddenWithoutTraceback().filter(record)
    assert "Traceback" in logging.Formatter().format(record)


def test_the_console_handler_carries_the_filter():
    handlers = logging.getLogger().handlers
    assert any(isinstance(f, ForbiddenWithoutTraceback) for h in handlers for f in h.filters)

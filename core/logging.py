"""Logging filters."""

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """A refused request (403) is an expected outcome, not an error: log its line, not the
    traceback of the PermissionDenied that produced it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True

"""Writes to disputes. Views, API, admin and commands call these, never the models directly."""

from .historical import dispute_import_historical, parse_number
from .intake import dispute_create, dispute_number
from .ladder import (
    DisputeConflict,
    dispute_close,
    dispute_escalate,
    dispute_escalate_urgent,
    dispute_followup,
    dispute_refer,
    dispute_reopen,
    dispute_resolve,
    dispute_void,
    dispute_withdraw,
)
from .records import dispute_attachment_add, dispute_attachments_add, dispute_session_add
from .routing import eligible_mediators, handler_for

__all__ = [
    "DisputeConflict",
    "dispute_attachment_add",
    "dispute_attachments_add",
    "dispute_close",
    "dispute_create",
    "dispute_escalate",
    "dispute_escalate_urgent",
    "dispute_followup",
    "dispute_import_historical",
    "dispute_number",
    "dispute_refer",
    "dispute_reopen",
    "dispute_resolve",
    "dispute_session_add",
    "dispute_void",
    "dispute_withdraw",
    "eligible_mediators",
    "handler_for",
    "parse_number",
]

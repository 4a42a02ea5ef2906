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
    dispute_terminate,
    dispute_void,
    dispute_withdraw,
)
from .lawful import (
    dispute_acknowledge_police,
    dispute_extend_mediation,
    dispute_notify_rights,
    dispute_reassign,
    dispute_record_confirmation,
    dispute_record_consent,
    dispute_report_police,
)
from .linkage import (
    dispute_acknowledge_referral,
    dispute_assign_unit,
    dispute_mark_priority,
    dispute_record_referral_result,
    dispute_report_back,
)
from .records import (
    dispute_attachment_add,
    dispute_attachments_add,
    dispute_evaluate,
    dispute_session_add,
)
from .routing import eligible_mediators, handler_for, signing_committee

__all__ = [
    "dispute_acknowledge_referral",
    "dispute_assign_unit",
    "dispute_mark_priority",
    "dispute_record_referral_result",
    "dispute_report_back",
    "dispute_acknowledge_police",
    "dispute_extend_mediation",
    "dispute_notify_rights",
    "dispute_reassign",
    "dispute_record_confirmation",
    "dispute_record_consent",
    "dispute_report_police",
    "dispute_terminate",
    "DisputeConflict",
    "dispute_attachment_add",
    "dispute_attachments_add",
    "dispute_close",
    "dispute_create",
    "dispute_escalate",
    "dispute_escalate_urgent",
    "dispute_evaluate",
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
    "signing_committee",
]

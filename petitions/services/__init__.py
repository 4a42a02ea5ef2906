"""Writes to petitions. Views, API, admin and commands call these, never the models directly."""

from .docking import (
    petition_create_from_referral,
    petition_dock_to_dispute,
    petition_reply_draft_from_dispute,
)
from .historical import petition_import_historical
from .intake import petition_create, petition_number, petition_record_higher_visit
from .workflow import (
    PetitionConflict,
    petition_accept,
    petition_assign_coordinator,
    petition_close,
    petition_decline,
    petition_escalate,
    petition_extend,
    petition_guide,
    petition_reply,
    petition_reply_draft_save,
    petition_review_answer,
    petition_review_record,
    petition_review_request,
    petition_withdraw,
)

__all__ = [
    "PetitionConflict",
    "petition_accept",
    "petition_assign_coordinator",
    "petition_close",
    "petition_create",
    "petition_import_historical",
    "petition_create_from_referral",
    "petition_decline",
    "petition_dock_to_dispute",
    "petition_escalate",
    "petition_extend",
    "petition_guide",
    "petition_number",
    "petition_record_higher_visit",
    "petition_reply",
    "petition_reply_draft_from_dispute",
    "petition_reply_draft_save",
    "petition_review_answer",
    "petition_review_record",
    "petition_review_request",
    "petition_withdraw",
]

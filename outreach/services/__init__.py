"""Writes of the outreach app (README, "What it does": outreach)."""

from .applications import (
    DEFAULT_OTHER_ROUTES,
    application_accept,
    application_decline,
    application_submit,
    apply_check_code,
    apply_send_code,
)
from .notices import (
    confirmation_reminders,
    dispute_event_texts,
    dispute_session_texts,
    petition_event_texts,
    staff_sms_send,
    staff_sms_wants,
)
from .sms import (
    in_quiet_hours,
    is_opted_out,
    quiet_hours_end,
    sms_deliver,
    sms_enqueue,
    sms_opt_in,
    sms_opt_out,
    sms_queue,
    sms_refresh_status,
)

__all__ = [
    "DEFAULT_OTHER_ROUTES",
    "application_accept",
    "application_decline",
    "application_submit",
    "apply_check_code",
    "apply_send_code",
    "confirmation_reminders",
    "dispute_event_texts",
    "dispute_session_texts",
    "in_quiet_hours",
    "is_opted_out",
    "petition_event_texts",
    "quiet_hours_end",
    "sms_deliver",
    "sms_enqueue",
    "sms_opt_in",
    "sms_opt_out",
    "sms_queue",
    "sms_refresh_status",
    "staff_sms_send",
    "staff_sms_wants",
]

"""Writes in supervision. Views, API, tasks and receivers call these."""

from .alerts import deadline_alerts_sweep
from .assessments import assessment_record, assessment_request, instability_report_create
from .notices import (
    notice_acknowledge,
    notice_defaults,
    notice_issue,
    notice_number,
    notice_progress,
    notice_report,
    notice_return,
    notice_verify,
)
from .tracing import (
    holders_timeline,
    trace_conclude,
    trace_dispute_referred,
    trace_overdue_notice,
    trace_petition,
    trace_petition_registered,
    trace_petition_went_above,
    trace_referred_to_police,
)

__all__ = [
    "assessment_record",
    "assessment_request",
    "deadline_alerts_sweep",
    "holders_timeline",
    "instability_report_create",
    "notice_acknowledge",
    "notice_defaults",
    "notice_issue",
    "notice_number",
    "notice_progress",
    "notice_report",
    "notice_return",
    "notice_verify",
    "trace_conclude",
    "trace_dispute_referred",
    "trace_overdue_notice",
    "trace_petition",
    "trace_petition_registered",
    "trace_petition_went_above",
    "trace_referred_to_police",
]

"""Stability-risk assessment (稳定风险评估) and informants' instability reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.stored_text import split, stored
from disputes.models import RiskLevel
from grid.scope import scope_for_user
from grid.selectors import leadership_users, staff_for_user
from inbox.notifications import notify

from .. import permissions
from ..models import InstabilityReport, RiskAssessment


@transaction.atomic
def instability_report_create(*, by, small_grid, content: str) -> InstabilityReport:
    """An informant's (or anyone's in scope) report of instability with no case yet; it
    waits for leadership's assessment."""
    if not scope_for_user(by).covers_small_grid(small_grid.pk):
        raise PermissionDenied(_("您不能在该网格报告不稳定信息。"))
    if not (content or "").strip():
        raise ValidationError({"content": _("请填写不稳定信息。")})
    report = InstabilityReport.objects.create(town=small_grid.large_grid.town,
                                              small_grid=small_grid, content=content.strip(),
                                              reported_by=by)
    assessment_request(town=report.town, report=report,
                       reason=stored(gettext_noop("信息员报告不稳定信息")))
    return report


@transaction.atomic
def assessment_request(*, town, reason: str | dict, dispute=None, petition=None,
                       report=None) -> RiskAssessment:
    """Queue a subject for assessment (e.g. a dispute escalated urgently); one pending
    request per subject. ``reason`` is typed by a user or a stored text (core.stored_text):
    the request keeps its Chinese text, the leadership's message each reader's language."""
    subject = {"dispute": dispute, "petition": petition, "report": report}
    existing = RiskAssessment.objects.filter(assessed_at__isnull=True, **subject).first()
    if existing is not None:
        return existing
    plain, text = split(reason)
    assessment = RiskAssessment.objects.create(town=town, requested_reason=plain,
                                               requested_reason_text=text, **subject)
    subject_label = (assessment.subject_label if dispute or petition
                     else gettext_lazy("不稳定信息"))
    notify(recipients=leadership_users(town_id=town.pk),
           title=stored(gettext_noop("待评估：%(subject)s"), subject=subject_label),
           body=reason[:300] if isinstance(reason, str) else reason,
           url=assessment.get_absolute_url())
    return assessment


@transaction.atomic
def assessment_record(*, by, level: str, reasons: str, assessment: RiskAssessment | None = None,
                      town=None, dispute=None, petition=None, report=None) -> RiskAssessment:
    """Record an assessment: of a pending request, or of a subject directly."""
    if assessment is None:
        town = town or (dispute or petition or report).town
        assessment = RiskAssessment(town=town, dispute=dispute, petition=petition, report=report)
    else:
        assessment = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        if not assessment.is_pending:
            raise ValidationError({"level": _("该事项已评估。")})
    if not permissions.can_assess(by, assessment.town_id):
        raise PermissionDenied(_("只有镇党委、政府领导可以进行稳定风险评估。"))
    if level not in RiskLevel.values:
        raise ValidationError({"level": _("请选择风险等级。")})
    if not (reasons or "").strip():
        raise ValidationError({"reasons": _("请填写评估意见。")})
    assessment.level, assessment.reasons = level, reasons.strip()
    assessment.assessor = staff_for_user(user=by)
    assessment.assessed_at = timezone.now()
    assessment.save()
    return assessment

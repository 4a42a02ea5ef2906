"""Daily screening reports (一日一排查化解)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grid.scope import scope_for_user
from grid.selectors import staff_for_user

from ..models import DailyScreeningReport, ScreeningArea


@transaction.atomic
def screening_report_save(*, by, small_grid, areas: list[str], nothing_found: bool,
                          findings: str = "", disputes=()) -> DailyScreeningReport:
    """File today's report for ``small_grid``, or change it the same day.

    A zero report (零报告) says nothing was found; otherwise the findings are required. The
    disputes linked must be of the same small grid. Raises ``PermissionDenied`` outside the
    user's scope and ``ValidationError`` on bad input.
    """
    if not scope_for_user(by).covers_small_grid(small_grid.pk):
        raise PermissionDenied(_("您不能为该网格填报排查报告。"))
    errors = {}
    areas = list(dict.fromkeys(areas))
    if not areas:
        errors["areas"] = _("请选择今天排查的内容。")
    elif any(a not in ScreeningArea.values for a in areas):
        errors["areas"] = _("排查内容无效。")
    if nothing_found and (findings or "").strip():
        errors["findings"] = _("零报告不填写发现的问题；如有问题请取消“零报告”。")
    if not nothing_found and not (findings or "").strip():
        errors["findings"] = _("请填写发现的问题，或选择“零报告”。")
    disputes = list(disputes)
    if any(d.small_grid_id != small_grid.pk for d in disputes):
        errors["disputes"] = _("只能关联本网格的纠纷。")
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    reporter = staff_for_user(user=by)
    try:
        with transaction.atomic():
            report, _created = DailyScreeningReport.objects.get_or_create(
                small_grid=small_grid, date=today,
                defaults={"areas": areas, "nothing_found": nothing_found,
                          "findings": findings.strip(), "reporter": reporter, "created_by": by})
    except IntegrityError:  # filed at the same moment from another device
        report = DailyScreeningReport.objects.get(small_grid=small_grid, date=today)
        _created = False
    if not _created:
        report = DailyScreeningReport.objects.select_for_update().get(pk=report.pk)
        report.areas, report.nothing_found = areas, nothing_found
        report.findings = findings.strip()
        report.save(update_fields=["areas", "nothing_found", "findings", "updated_at"])
    report.disputes.set(disputes)
    return report

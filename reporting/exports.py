"""The statistics report as people read it: labelled rows for the page and the API, and the
.xlsx in the layout of the official form (rows = categories, columns = the figures, a total
row; the town, period, preparer and date in the header); the county sheet (one row a town
and a total)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from disputes.models import AvertedRisk, DisputeCategory

from .figures import COLUMNS, column_labels
from .periods import parse_period
from .states import ReportSource

CATEGORY_LABELS = dict(DisputeCategory.choices)


def statistics_payload(figures: dict, *, filed_report: int | None = None) -> dict:
    """The figures with their labels: categories × columns, the total, the sources and the
    prevention figures (the shape of ``GET /api/v1/statistics/mediation/``)."""
    total = figures["total"]
    return {
        "town": figures["town"], "period": figures["period"],
        "period_label": parse_period(figures["period"]).label,
        "start": figures["start"], "end": figures["end"],
        "columns": column_labels(),
        "rows": [{"category": r["category"], "label": str(CATEGORY_LABELS[r["category"]]),
                  "values": {key: r.get(key) for key, _label in COLUMNS}}
                 for r in figures["rows"]],
        "total": {key: total.get(key) for key, _label in COLUMNS},
        "sources": [{"source": s.value, "label": str(s.label),
                     "n": total.get(f"source_{s.value}", 0)} for s in ReportSource],
        "prevention": [{"risk": r.value, "label": str(r.label),
                        "cases": total.get(f"{r.value}_cases", 0),
                        "people": total.get(f"{r.value}_people", 0)} for r in AvertedRisk],
        "filed_report": filed_report,
    }


def table_rows(figures: dict) -> list[list]:
    """The form's body: one row per category and the total row, as cell values."""
    rows = [[CATEGORY_LABELS[r["category"]], *[cell(r.get(key)) for key, _l in COLUMNS]]
            for r in figures["rows"]]
    rows.append([_("合计"), *[cell(figures["total"].get(key)) for key, _l in COLUMNS]])
    return rows


def cell(value):
    return "—" if value is None else value


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _sheet(ws, *, title: str, header_lines: list[str], first_header: str, rows: list[list]):
    width = len(COLUMNS) + 1
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for line in header_lines:
        ws.append([line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row,
                       end_column=width)
    ws.append([first_header, *[str(label) for _key, label in COLUMNS]])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    for row in rows:
        ws.append([str(v) if not isinstance(v, int | float) else v for v in row])
        for cell in ws[ws.max_row]:
            cell.border = BOX
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 16
    for i in range(2, width + 1):
        ws.column_dimensions[get_column_letter(i)].width = 11
    ws.row_dimensions[header_row].height = 60
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)


def _bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_xlsx(report) -> bytes:
    """One report on one sheet in the official form's layout."""
    period = parse_period(report.period)
    wb = Workbook()
    ws = wb.active
    ws.title = report.period
    preparer = report.handler.name if report.handler else report.prepared_by.get_username()
    date = timezone.localtime(report.filed_at or report.created_at).date().isoformat()
    state = report.get_state_display()
    _sheet(ws, title=_("人民调解统计报表"),
           header_lines=[
               _("填报单位：%(town)s司法所　　统计期间：%(period)s（%(start)s至%(end)s）") % {
                   "town": report.town.name, "period": period.label,
                   "start": report.figures["start"], "end": report.figures["end"]},
               _("填报人：%(preparer)s　　填报日期：%(date)s　　版本：第%(version)s版（%(state)s）")
               % {"preparer": preparer, "date": date, "version": report.version,
                  "state": state}],
           first_header=_("纠纷类别"), rows=table_rows(report.figures))
    if report.correction_reason:
        ws.append([_("更正原因：%(reason)s") % {"reason": report.correction_reason}])
    return _bytes(wb)


def county_xlsx(rollup: dict, *, county_name: str, preparer: str) -> bytes:
    """The county sheet: one row a town that filed, the county total; then the towns that
    have not filed."""
    period = rollup["period"]
    wb = Workbook()
    ws = wb.active
    ws.title = period.code
    rows = [[r["town"].name, *[cell(r["total"].get(key)) for key, _l in COLUMNS]]
            for r in rollup["rows"]]
    rows.append([_("全县合计"), *[cell(rollup["total"].get(key)) for key, _l in COLUMNS]])
    _sheet(ws, title=_("%(county)s人民调解统计汇总表") % {"county": county_name},
           header_lines=[_("统计期间：%(period)s　　制表人：%(preparer)s　　制表日期：%(date)s") % {
               "period": period.label, "preparer": preparer,
               "date": timezone.localdate().isoformat()}],
           first_header=_("镇"), rows=rows)
    if rollup["missing"]:
        ws.append([_("未上报：%(towns)s") % {
            "towns": "、".join(t.name for t in rollup["missing"])}])
    return _bytes(wb)

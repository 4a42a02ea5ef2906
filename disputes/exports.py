"""The official ledger (矛盾纠纷摸排台账) as rows, as .xlsx, for print: the same Chinese
headers everywhere, personal data masked."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.masking import mask_name, mask_phone

from .selectors import leaders_in_charge

LEDGER_HEADERS = [
    _("序号"), _("案号"), _("发现日期"), _("网格"), _("当事人"), _("纠纷类型"), _("简要情况"),
    _("风险等级"), _("当前层级/状态"), _("责任人"), _("采取的措施"), _("办理期限"), _("办理结果"),
    _("包抓领导"),
]
COLUMN_WIDTHS = [6, 22, 12, 22, 26, 12, 40, 10, 16, 10, 40, 17, 30, 16]


def _parties(dispute) -> str:
    return "；".join(
        f"{mask_name(p.name)}（{p.get_role_display()}{'，' + mask_phone(p.phone) if p.phone else ''}）"
        for p in dispute.parties.all())


def _result(dispute) -> str:
    if dispute.state in ("resolved", "closed"):
        return dispute.outcome
    if dispute.state == "referred":
        return f"{_('移交')}{dispute.get_referred_to_display()}"
    if dispute.state in ("withdrawn", "voided"):
        return f"{dispute.get_state_display()}：{dispute.ended_reason}"
    return ""


def ledger_rows(disputes, start: int = 1) -> list[dict]:
    """Rows of the ledger for ``disputes`` (a queryset from ``dispute_list_for_user``)."""
    disputes = list(disputes)
    leaders = leaders_in_charge(large_grid_ids={d.small_grid.large_grid_id for d in disputes})
    rows = []
    for index, d in enumerate(disputes, start=start):
        due = timezone.localtime(d.tier_due_at).strftime("%Y-%m-%d %H:%M") if (
            d.tier_due_at and d.is_open) else ""
        rows.append({
            "dispute": d,
            "overdue": getattr(d, "overdue", d.is_overdue),
            "cells": [
                index,
                d.number,
                timezone.localtime(d.found_at).strftime("%Y-%m-%d"),
                f"{d.small_grid.large_grid.name}·{d.small_grid.name}",
                _parties(d),
                d.get_category_display(),
                d.title,
                d.get_risk_level_display(),
                d.get_state_display(),
                d.handler.name if d.handler else "",
                (getattr(d, "latest_measure", "") or "")[:200],
                due,
                _result(d),
                "、".join(leaders.get(d.small_grid.large_grid_id, [])),
            ],
        })
    return rows


def _append_text(ws, cells) -> None:
    """Append a row whose text stays text: openpyxl stores a string starting with "=" as a
    formula, so a title typed as ``=HYPERLINK(...)`` would run in the reader's Excel."""
    ws.append(cells)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def ledger_xlsx(disputes) -> bytes:
    """The ledger as an .xlsx workbook with the same Chinese headers; iterates in chunks so a
    year's ledger stays in fixed queries per 500 rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = str(_("矛盾纠纷摸排台账"))
    ws.append([str(h) for h in LEDGER_HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    chunk, start = [], 1
    for d in disputes.iterator(chunk_size=500):
        chunk.append(d)
        if len(chunk) == 500:
            for row in ledger_rows(chunk, start=start):
                _append_text(ws, row["cells"])
            start += len(chunk)
            chunk = []
    for row in ledger_rows(chunk, start=start):
        _append_text(ws, row["cells"])
    for i, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

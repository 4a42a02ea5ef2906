"""Writing .xlsx exports with openpyxl, the same way for every ledger."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter


def append_text_row(ws, cells) -> None:
    """Append a row whose text stays text: openpyxl stores a string starting with "=" as a
    formula, so a title typed as ``=HYPERLINK(...)`` would run in the reader's Excel."""
    ws.append([c if isinstance(c, int | float) or c is None else str(c) for c in cells])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def add_sheet(wb, title, headers, rows: Iterable, widths=None, first=False):
    """A sheet with bold, frozen Chinese headers and the rows as text-safe cells."""
    ws = wb.active if first else wb.create_sheet()
    ws.title = str(title)[:31]
    append_text_row(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        append_text_row(ws, row)
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    return ws


def workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def ledger_workbook(title, headers, rows: Iterable, widths=None) -> bytes:
    """A one-sheet ledger."""
    wb = Workbook()
    add_sheet(wb, title, headers, rows, widths, first=True)
    return workbook_bytes(wb)

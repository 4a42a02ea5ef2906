"""Writing .xlsx exports, the same way for every ledger.

The ledgers (one sheet, up to a town's years of cases) are written by XlsxWriter in its
constant-memory mode (``ledger_workbook*``): streamed, several times faster than openpyxl's
writer, which was most of a large export's time. The small multi-sheet summaries (the weekly
summary's sheets) use openpyxl's write-only workbook (``streaming_workbook``/``add_sheet``),
whose text rows are made safe the same way. Both set column widths and the frozen header
before the first row, as streaming writers require.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterable

import xlsxwriter
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HEADER_FONT = Font(bold=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)


def streaming_workbook() -> Workbook:
    return Workbook(write_only=True)


def text_row(ws, cells) -> list:
    """A row whose text stays text: openpyxl stores a string starting with "=" as a formula,
    so a title typed as ``=HYPERLINK(...)`` would run in the reader's Excel. Only such cells
    become cell objects; the rest stay plain values (the cheap path of the writer)."""
    row = []
    for c in cells:
        if isinstance(c, int | float) or c is None:
            row.append(c)
            continue
        text = str(c)
        if text.startswith("="):
            cell = WriteOnlyCell(ws, value=text)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(text)
    return row


def append_text_row(ws, cells) -> None:
    """Append ``cells`` to a sheet (streaming or not) as text-safe cells."""
    ws.append(text_row(ws, cells))


def add_sheet(wb, title, headers, rows: Iterable, widths=None, first=False):
    """A sheet with bold, frozen Chinese headers and the rows as text-safe cells, streamed.

    ``first`` is kept for callers of the former in-memory workbook; a streaming workbook has
    no sheet until one is created."""
    ws = wb.create_sheet()
    ws.title = str(title)[:31]
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    header = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=str(h))
        cell.font = HEADER_FONT
        cell.alignment = HEADER_ALIGNMENT
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append(text_row(ws, row))
    return ws


def workbook_save(wb, fileobj) -> None:
    """Write the workbook to an open binary file."""
    wb.save(fileobj)


def workbook_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_ledger(target, title, headers, rows: Iterable, widths=None) -> None:
    """One ledger sheet written by XlsxWriter in its constant-memory mode: each row goes to a
    temporary file as it is written and only the current row is held, so memory does not
    grow with the rows and a row costs the same at row 100,000 as at row 1. Text stays text:
    a string is written as a string even when it starts with "=" (no formula runs in the
    reader's Excel), and is never turned into a link or a number."""
    wb = xlsxwriter.Workbook(target, {
        "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
        "strings_to_numbers": False, "tmpdir": tempfile.gettempdir()})
    ws = wb.add_worksheet(str(title)[:31])
    header_format = wb.add_format({"bold": True, "align": "center", "valign": "vcenter",
                                   "text_wrap": True})
    for i, width in enumerate(widths or []):
        ws.set_column(i, i, width)
    ws.freeze_panes(1, 0)
    for col, h in enumerate(headers):
        ws.write_string(0, col, str(h), header_format)
    write_string, write_number = ws.write_string, ws.write_number
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                write_string(r, col, str(value))
            elif isinstance(value, int | float):
                write_number(r, col, value)
            else:
                write_string(r, col, str(value))
    wb.close()


def ledger_workbook_to(fileobj, title, headers, rows: Iterable, widths=None) -> None:
    """A one-sheet ledger written to ``fileobj``: memory stays flat whatever the rows."""
    # The zip is written to a path or a seekable file; a spooled file keeps a small
    # workbook in memory and moves a large one to disk.
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        _write_ledger(spool, title, headers, rows, widths)
        spool.seek(0)
        shutil.copyfileobj(spool, fileobj)


def ledger_workbook_file(title, headers, rows: Iterable, widths=None):
    """A one-sheet ledger in a temporary file, rewound: for a response that streams it, so
    that neither the rows nor the finished workbook are held in memory."""
    out = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it)
    _write_ledger(out, title, headers, rows, widths)
    out.seek(0)
    return out


def ledger_workbook(title, headers, rows: Iterable, widths=None) -> bytes:
    """A one-sheet ledger as bytes (small exports; large ones use ``ledger_workbook_file``)."""
    buffer = io.BytesIO()
    _write_ledger(buffer, title, headers, rows, widths)
    return buffer.getvalue()

"""Writing .xlsx exports with openpyxl, the same way for every ledger.

Workbooks are write-only (openpyxl's streaming mode): each row goes to a temporary file as it
is appended and is never kept, so memory does not grow with the rows and appending a row costs
the same at row 100,000 as at row 1. Column widths and the frozen header are set before the
first row, as the streaming writer requires.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterable

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


def ledger_workbook_to(fileobj, title, headers, rows: Iterable, widths=None) -> None:
    """A one-sheet ledger written to ``fileobj``: memory stays flat whatever the rows."""
    wb = streaming_workbook()
    add_sheet(wb, title, headers, rows, widths)
    # openpyxl writes the zip to a path or a seekable file; a spooled file keeps a small
    # workbook in memory and moves a large one to disk.
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        wb.save(spool)
        spool.seek(0)
        shutil.copyfileobj(spool, fileobj)


def ledger_workbook_file(title, headers, rows: Iterable, widths=None):
    """A one-sheet ledger in a temporary file, rewound: for a response that streams it, so
    that neither the rows nor the finished workbook are held in memory."""
    wb = streaming_workbook()
    add_sheet(wb, title, headers, rows, widths)
    out = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it)
    wb.save(out)
    out.seek(0)
    return out


def ledger_workbook(title, headers, rows: Iterable, widths=None) -> bytes:
    """A one-sheet ledger as bytes (small exports; large ones use ``ledger_workbook_to``)."""
    wb = streaming_workbook()
    add_sheet(wb, title, headers, rows, widths)
    return workbook_bytes(wb)

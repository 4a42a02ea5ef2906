"""Reading the rows of a town's workbook, streamed, whatever its layout.

.xlsx through openpyxl in read-only mode (rows are streamed, so 50,000 rows stay in bounded
memory); legacy .xls (Excel 97–2003) through xlrd, which reads the whole sheet at once (an .xls
holds 65,536 rows at most); .csv through the csv module (UTF-8, with or without BOM, else
GB18030, as Excel in Chinese writes it).

Registers are laid out by hand: a title row (or several) above the headers, headers merged
over two rows (当事人 over 姓名 | 联系电话), blank and total rows. ``locate_header`` finds the
header row as the one that matches the most known column names, and composes two-row headers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

HEADER_SCAN_ROWS = 15
# Rows after the data: totals and the signatures at the foot of the sheet.
FOOTER_RE = re.compile(r"^(合\s*计|总\s*计|小\s*计|填表人|填报人|审核人|负责人|制表)")


class UnreadableFile(ValueError):
    """The file is not a workbook this import reads."""


def _kind(filename: str) -> str:
    name = filename.lower()
    if name.endswith(".xlsx") or name.endswith(".xlsm"):
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xls"):
        return "xls"
    raise UnreadableFile(_("请上传 .xlsx、.xls 或 .csv 文件。"))


def _open_xls(path):
    import xlrd

    try:
        return xlrd.open_workbook(path, on_demand=True)
    except Exception as exc:  # xlrd raises several kinds on a damaged or foreign file
        raise UnreadableFile(_("无法读取该工作簿：%(error)s") % {"error": exc}) from exc


def _xls_sheet(book, sheet: str | None):
    if sheet and sheet not in book.sheet_names():
        raise UnreadableFile(_("工作簿中没有名为“%(sheet)s”的工作表。") % {"sheet": sheet})
    return book.sheet_by_name(sheet) if sheet else book.sheet_by_index(0)


def _xls_rows(book, ws) -> Iterator[tuple]:
    """The sheet's rows as values, date cells as ``datetime`` as openpyxl gives them."""
    import xlrd

    for index in range(ws.nrows):
        row = []
        for cell in ws.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                except (xlrd.xldate.XLDateError, OverflowError):
                    row.append(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                row.append(None)
            else:
                row.append(cell.value)
        yield tuple(row)


def _open_xlsx(path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds on a damaged or foreign file
        raise UnreadableFile(_("无法读取该工作簿：%(error)s") % {"error": exc}) from exc


def sheet_names(path, filename: str) -> list[str]:
    kind = _kind(filename)
    if kind == "csv":
        return ["CSV"]
    if kind == "xls":
        book = _open_xls(path)
        try:
            return list(book.sheet_names())
        finally:
            book.release_resources()
    wb = _open_xlsx(path)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _csv_text(path) -> io.StringIO:
    with open(path, "rb") as handle:
        raw = handle.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return io.StringIO(raw.decode(encoding), newline="")
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("无法识别 CSV 文件的编码，请另存为 UTF-8。"))


def iter_rows(path, filename: str, sheet: str | None = None) -> Iterator[tuple]:
    """Every row of the sheet as a tuple of cell values, first row first (streamed)."""
    kind = _kind(filename)
    if kind == "csv":
        yield from (tuple(row) for row in csv.reader(_csv_text(path)))
        return
    if kind == "xls":
        book = _open_xls(path)
        try:
            yield from _xls_rows(book, _xls_sheet(book, sheet))
        finally:
            book.release_resources()
        return
    wb = _open_xlsx(path)
    try:
        if sheet and sheet not in wb.sheetnames:
            raise UnreadableFile(_("工作簿中没有名为“%(sheet)s”的工作表。") % {"sheet": sheet})
        ws = wb[sheet] if sheet else wb.worksheets[0]
        yield from ws.iter_rows(values_only=True)
    finally:
        wb.close()


def estimate_rows(path, filename: str, sheet: str | None = None) -> int:
    """Roughly how many rows the sheet has, without reading them: the dimension an .xlsx
    declares, the line count of a .csv."""
    kind = _kind(filename)
    if kind == "csv":
        with open(path, "rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    if kind == "xls":
        book = _open_xls(path)
        try:
            return _xls_sheet(book, sheet if sheet in book.sheet_names() else None).nrows
        finally:
            book.release_resources()
    wb = _open_xlsx(path)
    try:
        ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
        return ws.max_row or 0
    finally:
        wb.close()


def normalise(text) -> str:
    """A header as written, without spaces, line breaks, brackets' width or a trailing colon."""
    if text is None:
        return ""
    text = str(text)
    text = text.replace("（", "(").replace("）", ")").replace("：", ":")
    return re.sub(r"\s+", "", text).rstrip(":")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class Header:
    """Where the data starts and what each column is called."""

    row_number: int  # 1-based number of the (last) header row
    labels: list[str]

    @property
    def first_data_row(self) -> int:
        return self.row_number + 1


def locate_header(rows: list[tuple], match) -> Header | None:
    """The header among the first rows: the row where ``match(label)`` knows the most cells,
    with the row below it folded in when it holds sub-headers under merged cells."""
    best, best_score = None, 1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = sum(1 for value in row if match(normalise(value)))
        if score > best_score:
            best, best_score = index, score
    if best is None:
        return None
    top = [normalise(v) for v in rows[best]]
    below = [normalise(v) for v in rows[best + 1]] if best + 1 < len(rows) else []
    width = max(len(top), len(below))
    top += [""] * (width - len(top))
    below += [""] * (width - len(below))
    # Sub-headers: a row of text only, under blanks of a horizontally merged top cell.
    is_sub = (any(below) and all(not isinstance(v, int | float) for v in rows[best + 1] or ())
              and any(match(v) for v in below)
              and any(b and not t for t, b in zip(top, below, strict=True)))
    if not is_sub:
        return Header(row_number=best + 1, labels=top)
    labels, spanning = [], ""
    for t, b in zip(top, below, strict=True):
        if t:
            spanning = t
        if not b:
            labels.append(t)
            continue
        parent = t or spanning
        combined = parent + b
        labels.append(combined if parent and match(combined) else b)
    return Header(row_number=best + 2, labels=labels)


def is_footer(row: tuple) -> bool:
    texts = [cell_text(v) for v in row if cell_text(v)]
    return bool(texts) and len(texts) <= 3 and bool(FOOTER_RE.match(texts[0]))


def data_rows(path, filename: str, sheet: str | None, header: Header
              ) -> Iterator[tuple[int, tuple]]:
    """``(row number, values)`` of each row under the header that holds data."""
    for number, row in enumerate(iter_rows(path, filename, sheet), start=1):
        if number < header.first_data_row:
            continue
        if not any(cell_text(v) for v in row) or is_footer(row):
            continue
        yield number, row


def head_rows(path, filename: str, sheet: str | None, count: int = HEADER_SCAN_ROWS + 1
              ) -> list[tuple]:
    rows = []
    for row in iter_rows(path, filename, sheet):
        rows.append(row)
        if len(rows) >= count:
            break
    return rows

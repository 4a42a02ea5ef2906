"""Streaming .xlsx: text stays text, headers are frozen and bold, and the writer's cost per row
does not grow with the rows already written."""

import io
import time
import tracemalloc

from openpyxl import load_workbook

from core.xlsx import ledger_workbook, ledger_workbook_to


def _rows(n):
    return ([i, f"黄寨人调〔2026〕{i}号", "=HYPERLINK(\"http://x\")", None, 1.5] for i in range(n))


def test_a_formula_typed_as_text_stays_text_and_headers_are_frozen():
    content = ledger_workbook("台账", ["序号", "案号", "名称", "空", "数"], _rows(3), [6, 22])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "台账"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet["C2"].value == '=HYPERLINK("http://x")'
    assert sheet["C2"].data_type == "s"
    assert sheet["B3"].value == "黄寨人调〔2026〕1号"
    assert sheet.max_row == 4


def _write(n):
    out = io.BytesIO()
    start = time.perf_counter()
    ledger_workbook_to(out, "台账", ["a", "b", "c", "d", "e"], _rows(n))
    return time.perf_counter() - start, out


def test_rows_cost_the_same_whatever_came_before_and_memory_stays_flat():
    _write(200)  # warm up the imports
    small, _ = _write(2_000)
    large, out = _write(20_000)
    # Ten times the rows: about ten times the time (a quadratic writer takes a hundred).
    assert large < small * 30
    tracemalloc.start()
    _write(5_000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # The rows are streamed to a temporary file, not kept: far below the workbook in memory.
    assert peak < 12 * 1024 * 1024
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(values_only=True)) == 20_001


def test_a_link_or_a_number_typed_as_text_stays_as_typed():
    content = ledger_workbook("台账", ["电话", "网址"], [["013800138000", "http://example.cn"]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("013800138000", "s")
    assert sheet["B2"].value == "http://example.cn" and sheet["B2"].hyperlink is None

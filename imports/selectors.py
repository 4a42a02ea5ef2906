"""Reads of the import: the rows of a draft as they will land, the check, the error report,
and the imports a user may see (their towns' only)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.masking import mask_name
from core.xlsx import workbook_bytes
from disputes.states import DisputeCategory, DisputeState
from grid.models import Role

from . import ledger, reader, register, roster
from .models import ImportBatch, ImportedRow, ImportKind, ImportState
from .permissions import importable_towns

PREVIEW_ROWS = 20
LISTED_ERRORS = 50


def batch_list_for_user(*, user) -> QuerySet[ImportBatch]:
    return (ImportBatch.objects.filter(town__in=importable_towns(user))
            .select_related("town", "created_by"))


def batch_get_for_user(*, user, pk: int) -> ImportBatch:
    """The import, or 404 when missing or outside the user's towns (the same answer)."""
    batch = batch_list_for_user(user=user).filter(pk=pk).first()
    if batch is None:
        raise Http404(_("没有找到该导入。"))
    return batch


def known_keys(town) -> set[str]:
    """Content keys of the rows the town's standing imports added."""
    return set(ImportedRow.objects.filter(batch__town=town, batch__state=ImportState.COMMITTED)
               .exclude(content_key="").values_list("content_key", flat=True))


def batch_rows(batch: ImportBatch, *, keys: set[str] | None = None) -> Iterator:
    """Each data row of the draft, checked (``ledger.LedgerRow`` / ``roster.RosterRow``),
    streamed from the file."""
    header = reader.Header(row_number=batch.header_row or 1,
                           labels=[c["label"] for c in batch.mapping])
    mapping = [c["field"] for c in batch.mapping]
    if batch.kind == ImportKind.LEDGER:
        index = ledger.TownIndex(batch.town, known_keys=keys if keys is not None
                                 else known_keys(batch.town))
        read = ledger.read_row
    elif batch.kind == ImportKind.PETITIONS:
        index = register.PetitionIndex(batch.town, known_keys=keys if keys is not None
                                       else known_keys(batch.town))
        read = register.read_row
    else:
        index = roster.RosterIndex(batch.town)
        read = roster.read_row
    for number, values in reader.data_rows(batch.file.path, batch.original_name,
                                           batch.sheet or None, header):
        yield read(index, mapping, number, values)


@dataclass
class Check:
    """What the commit would do: rows new, already there, in error; the first rows as they
    land and the first errors."""

    total: int = 0
    new: int = 0
    present: int = 0
    invalid: int = 0
    preview: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.total > 0 and self.invalid == 0


def import_check(*, batch: ImportBatch, progress=None) -> Check:
    """Check every row; ``progress(rows_done)`` is called now and then."""
    check = Check()
    for row in batch_rows(batch):
        check.total += 1
        if progress is not None and check.total % 500 == 0:
            progress(check.total)
        if not row.ok:
            check.invalid += 1
            if len(check.errors) < LISTED_ERRORS:
                check.errors.append(row)
        elif row.present:
            check.present += 1
        else:
            check.new += 1
        if len(check.preview) < PREVIEW_ROWS:
            check.preview.append(row)
    return check


def _text_cell(ws, text: str):
    """Text that stays text: a cell typed "=..." is not written as a formula."""
    cell = WriteOnlyCell(ws, value=text)
    if text.startswith("="):
        cell.data_type = "s"
    return cell


def import_error_report(*, batch: ImportBatch) -> bytes:
    """The sheet's rows as they were, with their row number and an error column (blank when
    the row is fine, "已存在" when it is there already), streamed into a write-only workbook."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=(batch.sheet or "CSV")[:31])
    labels = [c["label"] for c in batch.mapping]
    ws.append([_("行号"), _("错误"), *labels])
    for row in batch_rows(batch):
        status = ("；".join(row.errors) if row.errors
                  else _("已存在，将跳过") if row.present else "")
        ws.append([row.row_number, _text_cell(ws, status),
                   *[_text_cell(ws, reader.cell_text(v)) for v in row.original]])
    return workbook_bytes(wb)


def check_summary(*, batch: ImportBatch, check: Check) -> dict:
    """The check as plain data, stored on the import (``ImportBatch.summary``)."""

    def shown(row) -> dict:
        item = {"row": row.row_number, "errors": row.errors, "present": row.present}
        if row.ok and batch.kind == ImportKind.LEDGER:
            item.update(landing(row))
        elif row.ok and batch.kind == ImportKind.PETITIONS:
            data = row.data
            item.update({"number": data["number"] or _("（自动编号）"),
                         "found_on": data["received_on"].isoformat(),
                         "grid": data["small_grid"].name, "title": data["subject"],
                         "parties": "、".join(mask_name(p["name"]) for p in data["petitioners"]),
                         "state": str(_("已办结") if data["closed_on"] else _("已答复"))})
        elif row.ok:
            data = row.data
            item.update({"large_grid": (data["large_grid"] or {}).get("name", ""),
                         "small_grid": (data["small_grid"] or {}).get("name", ""),
                         "name": (data["person"] or {}).get("name", ""),
                         "role": str(Role(data["role"]).label) if data["role"] else ""})
        return item

    return {"total": check.total, "new": check.new, "present": check.present,
            "invalid": check.invalid, "ok": check.ok,
            "preview": [shown(r) for r in check.preview],
            "errors": [{"row": r.row_number, "errors": r.errors} for r in check.errors]}


def estimate_rows(*, batch: ImportBatch) -> int:
    return reader.estimate_rows(batch.file.path, batch.original_name, batch.sheet or None)


def landing(row) -> dict:
    """A checked ledger row as the preview shows it."""
    data = row.data
    state = data["state"]
    if state == DisputeState.RESOLVED and data.get("ended_on"):
        state = DisputeState.CLOSED  # as dispute_import_historical lands it
    return {"number": data.get("number") or _("（自动编号）"),
            "found_on": data["found_at"].isoformat(), "grid": data["small_grid"].name, "parties": "、".join(mask_name(p["name"]) for p in data["parties"]),
            "category": str(DisputeCategory(data["category"]).label),
            "state": str(DisputeState(state).label), "title": data["title"]}


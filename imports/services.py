"""Writes of the import: upload, sheet and mapping, commit, undo.

Nothing reaches the town's records before ``import_commit``: the upload keeps the file, the
check reads it (``imports.selectors.import_check``), and the commit writes every row in one
transaction through the services of the apps that own them
(``disputes.services.dispute_import_historical``, ``grid.services``), or none when one fails.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework.workflow import require_text
from core.stored_text import render_source, stored
from disputes.services import dispute_import_historical, dispute_void
from petitions.services import petition_import_historical, petition_void

from . import columns, reader, roster, selectors
from .models import ImportBatch, ImportedRow, ImportKind, ImportState
from .permissions import can_import
from .selectors import batch_rows, known_keys

PROGRESS_EVERY = 200


def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def _detect(batch: ImportBatch) -> None:
    """Find the header of the chosen sheet and guess the mapping from its labels."""
    path = batch.file.path
    head = reader.head_rows(path, batch.original_name, batch.sheet or None)
    header = reader.locate_header(head, columns.matcher(batch.kind))
    if header is None:
        raise ValidationError({"sheet": _("在工作表“%(sheet)s”的前%(n)s行中找不到表头。")
                               % {"sheet": batch.sheet, "n": reader.HEADER_SCAN_ROWS}})
    batch.header_row = header.row_number
    batch.mapping = [{"label": label, "field": key} for label, key in
                     zip(header.labels, columns.guess_mapping(batch.kind, header.labels),
                         strict=True)]


@transaction.atomic
def import_upload(*, by, town, kind: str, upload) -> ImportBatch:
    """Keep an uploaded register as a draft import; choose its sheet when it has one only.

    Raises ``PermissionDenied`` unless ``by`` may import into ``town``, ``ValidationError``
    on a file that is too large or not a workbook.
    """
    if not can_import(by, town.pk):
        raise PermissionDenied(_("只有本镇综治办和系统管理员可以导入。"))
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("未知的导入类型。")})
    limit = settings.IMPORT_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError({"file": _("文件不能超过 %(mb)s MB。") % {"mb": settings.IMPORT_MAX_MB}})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = upload.name.rsplit("/", 1)[-1]
    try:
        reader._kind(name)
    except reader.UnreadableFile as exc:
        raise ValidationError({"file": str(exc)}) from exc
    batch = ImportBatch(town=town, kind=kind, original_name=name, checksum=digest.hexdigest(),
                        created_by=by)
    batch.file.save(name, ContentFile(upload.read()), save=False)
    try:
        sheets = reader.sheet_names(batch.file.path, name)
    except reader.UnreadableFile as exc:
        batch.file.delete(save=False)
        raise ValidationError({"file": str(exc)}) from exc
    batch.save()
    if len(sheets) == 1:
        import_choose_sheet(batch=batch, sheet=sheets[0] if name.lower().endswith(
            (".xlsx", ".xlsm", ".xls")) else "")
    return batch


def _draft(batch: ImportBatch) -> ImportBatch:
    if batch.state != ImportState.DRAFT:
        raise ValidationError(_("该导入已确认，不能再修改。"))
    return batch


@transaction.atomic
def import_choose_sheet(*, batch: ImportBatch, sheet: str) -> ImportBatch:
    _draft(batch)
    batch.sheet = sheet
    _detect(batch)
    batch.summary = {}
    batch.save(update_fields=["sheet", "header_row", "mapping", "summary"])
    return batch


def import_check_run(*, batch: ImportBatch) -> ImportBatch:
    """Check every row of the draft and store the outcome on it (``summary``)."""
    check = selectors.import_check(
        batch=batch, progress=lambda done: cache.set(progress_key(batch.pk), done, 3600))
    batch.summary = selectors.check_summary(batch=batch, check=check)
    batch.rows_total = check.total
    batch.state = ImportState.DRAFT
    batch.save(update_fields=["summary", "rows_total", "state"])
    return batch


def import_check_request(*, batch: ImportBatch) -> ImportBatch:
    """Check the draft now, or on the worker when the sheet has more than
    ``IMPORT_WORKER_ROWS`` rows (state ``checking`` until it is done)."""
    _draft(batch)
    estimate = selectors.estimate_rows(batch=batch)
    if estimate <= settings.IMPORT_WORKER_ROWS:
        return import_check_run(batch=batch)
    from .tasks import import_check_run as import_check_run_task

    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.CHECKING,
                                                       rows_total=estimate)
        transaction.on_commit(lambda: import_check_run_task.delay(batch.pk))
    batch.refresh_from_db()
    return batch


@transaction.atomic
def import_set_mapping(*, batch: ImportBatch, fields: list[str]) -> ImportBatch:
    """Set the field of each column ("" to leave a column out). Raises ``ValidationError``
    when a field is used twice or a required one is missing."""
    _draft(batch)
    known = {f.key: f for f in columns.FIELDS_BY_KIND[batch.kind]}
    if len(fields) != len(batch.mapping):
        raise ValidationError(_("列数与表头不一致。"))
    chosen = [f for f in fields if f]
    errors = [_("未知字段：%(f)s") % {"f": f} for f in chosen if f not in known]
    errors += [_("“%(f)s”对应了多列") % {"f": known[f].label} for f in set(chosen)
               if f in known and chosen.count(f) > 1]
    errors += [_("缺少必需的列：%(f)s") % {"f": f.label} for f in known.values()
               if f.required and f.key not in chosen]
    if errors:
        raise ValidationError(errors)
    batch.mapping = [{"label": col["label"], "field": f} for col, f in
                     zip(batch.mapping, fields, strict=True)]
    batch.summary = {}
    batch.save(update_fields=["mapping", "summary"])
    return batch


def _commit_cases(batch: ImportBatch, by, progress: Callable[[int], None], *, create,
                  field: str) -> None:
    """Land every new row of a register through ``create(row, source_note)`` (a service of
    the case app), record it as ``ImportedRow.<field>``; a refused row stops the whole
    import with its row number (the caller's transaction rolls everything back)."""
    source = _("导入自“%(file)s”工作表“%(sheet)s”第%(row)s行")
    added = skipped = 0
    for done, row in enumerate(batch_rows(batch, keys=known_keys(batch.town)), start=1):
        if not row.ok:
            raise ValidationError(_("第%(row)s行：%(errors)s")
                                  % {"row": row.row_number, "errors": "；".join(row.errors)})
        if row.present:
            skipped += 1
        else:
            note = source % {"file": batch.original_name, "sheet": batch.sheet or "CSV",
                             "row": row.row_number}
            try:
                case = create(row, note)
            except ValidationError as exc:
                raise ValidationError(_("第%(row)s行：%(errors)s") % {
                    "row": row.row_number, "errors": "；".join(exc.messages)}) from exc
            ImportedRow.objects.create(batch=batch, row_number=row.row_number,
                                       content_key=row.key, **{field: case})
            added += 1
        if done % PROGRESS_EVERY == 0:
            progress(done)
    batch.rows_added, batch.rows_skipped = added, skipped


def _commit_ledger(batch: ImportBatch, by, progress: Callable[[int], None]) -> None:
    def create(row, note):
        data = dict(row.data)
        found_at = data.pop("found_at")
        return dispute_import_historical(by=by, found_at=found_at, source_note=note, **data)

    _commit_cases(batch, by, progress, create=create, field="dispute")


def _commit_petitions(batch: ImportBatch, by, progress: Callable[[int], None]) -> None:
    def create(row, note):
        return petition_import_historical(by=by, source_note=note, **row.data)

    _commit_cases(batch, by, progress, create=create, field="petition")


def _commit_roster(batch: ImportBatch, by, progress: Callable[[int], None]) -> None:
    added = skipped = 0
    for done, row in enumerate(batch_rows(batch), start=1):
        if not row.ok:
            raise ValidationError(_("第%(row)s行：%(errors)s")
                                  % {"row": row.row_number, "errors": "；".join(row.errors)})
        made = roster.commit_row(batch.town, row)
        if made:
            ImportedRow.objects.create(batch=batch, row_number=row.row_number, content_key="",
                                       created=made)
            added += 1
        else:
            skipped += 1
        if done % PROGRESS_EVERY == 0:
            progress(done)
    batch.rows_added, batch.rows_skipped = added, skipped


def import_commit(*, batch: ImportBatch, by) -> ImportBatch:
    """Write every row of the import in one transaction, or none.

    Rows already in the town (same number, or same content) are skipped and counted. Raises
    ``PermissionDenied`` or ``ValidationError`` (the first row in error); the import is then
    marked failed with the reason and nothing else is written.
    """
    if not can_import(by, batch.town_id):
        raise PermissionDenied(_("只有本镇综治办和系统管理员可以导入。"))
    if batch.state not in (ImportState.DRAFT, ImportState.RUNNING):
        raise ValidationError(_("该导入已处理。"))
    started = time.monotonic()

    def progress(done: int) -> None:
        cache.set(progress_key(batch.pk), done, 3600)

    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.state not in (ImportState.DRAFT, ImportState.RUNNING):
                raise ValidationError(_("该导入已处理。"))
            if locked.kind == ImportKind.LEDGER:
                _commit_ledger(locked, by, progress)
            elif locked.kind == ImportKind.PETITIONS:
                _commit_petitions(locked, by, progress)
            else:
                _commit_roster(locked, by, progress)
            locked.rows_total = locked.rows_added + locked.rows_skipped
            locked.state = ImportState.COMMITTED
            locked.committed_at = timezone.now()
            locked.error = ""
            locked.save()
    except (ValidationError, PermissionDenied) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.FAILED, error=message)
        batch.refresh_from_db()
        raise
    cache.set(progress_key(batch.pk), locked.rows_total, 3600)
    batch.refresh_from_db()
    batch.seconds = time.monotonic() - started
    return batch


def import_start(*, batch: ImportBatch, by) -> ImportBatch:
    """Commit now, or on the worker when the file has more than ``IMPORT_WORKER_ROWS`` rows
    (the page then follows its progress)."""
    if not can_import(by, batch.town_id):
        raise PermissionDenied(_("只有本镇综治办和系统管理员可以导入。"))
    _draft(batch)
    rows_total = batch.summary.get("total", 0)
    if rows_total <= settings.IMPORT_WORKER_ROWS:
        return import_commit(batch=batch, by=by)
    from .tasks import import_commit as import_commit_task

    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.RUNNING,
                                                       rows_total=rows_total)
        transaction.on_commit(lambda: import_commit_task.delay(batch.pk, by.pk))
    batch.refresh_from_db()
    return batch


def _undo_cases(batch: ImportBatch, by, note: str, *, field: str, void) -> None:
    """Void every case the import added (``ImportedRow.<field>``), through the case app's
    void service; refused while any of them has been worked on since (a history row after
    the import's own, or voided already)."""
    rows = list(batch.rows.select_related(field).annotate(events=Count(f"{field}__events"))
                .order_by("row_number"))
    touched = [r.row_number for r in rows
               if getattr(r, field).state == "voided" or r.events != 1]
    if touched:
        raise ValidationError(_("已有案件在导入后被办理，不能整体撤销（第%(rows)s行）。")
                              % {"rows": "、".join(str(n) for n in touched[:20])})
    for row in rows:
        void(getattr(row, field), note)


def import_undo(*, batch: ImportBatch, by, reason: str) -> ImportBatch:
    """Undo a committed import as a whole, while nothing has been done to what it added since.

    A ledger's cases and a register's petitions are voided with the reason (never deleted),
    through their apps' void services; refused while any of them has a history row after the
    import. A roster's posts are voided (never in force, ``grid.services.role_void``) and the
    end dates it wrote are taken back; refused while anything it created (a grid, committee,
    person or post) has been used by anything else since, or one of its people has logged in
    since. The grids, committees and people it created stay, holding no post (the
    organisation is never deleted), and are listed on the import.
    Raises ``ValidationError`` or ``PermissionDenied``.
    """
    reason = require_text(reason, "reason", _("撤销导入必须填写原因。"))
    if not can_import(by, batch.town_id):
        raise PermissionDenied(_("只有本镇综治办和系统管理员可以撤销导入。"))
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state != ImportState.COMMITTED:
            raise ValidationError(_("只有已导入的台账可以撤销。"))
        # Passed on as the void's reason (typed text for the case services): kept in Chinese
        # whoever undoes the import.
        note = render_source(stored(gettext_noop("撤销导入“%(file)s”：%(reason)s"),
                                    file=locked.original_name, reason=reason))
        if locked.kind == ImportKind.LEDGER:
            _undo_cases(locked, by, note, field="dispute", void=lambda case, text: dispute_void(
                dispute=case, by=by, reason=text))
        elif locked.kind == ImportKind.PETITIONS:
            _undo_cases(locked, by, note, field="petition", void=lambda case, text: petition_void(
                petition=case, by=by, reason=text))
        else:
            roster.undo(locked, note=note)
        locked.state = ImportState.UNDONE
        locked.undone_by, locked.undone_at, locked.undo_reason = by, timezone.now(), reason
        locked.save(update_fields=["state", "undone_by", "undone_at", "undo_reason"])
    batch.refresh_from_db()
    return batch

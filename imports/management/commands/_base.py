"""The shared command line of ``import_ledger`` and ``import_roster``."""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from grid.models import Town
from imports import selectors, services


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--town", type=int, required=True, help="the town's id")
        parser.add_argument("--sheet", default="", help="the sheet (default: the first)")
        parser.add_argument("--user", default="", help="who imports (default: a superuser)")
        parser.add_argument("--commit", action="store_true",
                            help="write the rows (default: a dry run that only checks)")
        parser.add_argument("--report", default="", help="write the error report (.xlsx) here")

    def handle(self, *args, file, town, sheet, user, commit, report, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        town = Town.objects.filter(pk=town).first()
        if town is None:
            raise CommandError("no such town")
        users = get_user_model().objects
        by = (users.filter(username=user) if user else users.filter(is_superuser=True,
                                                                     is_active=True)).first()
        if by is None:
            raise CommandError("no such user (pass --user, or create a superuser)")
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        # A dry run leaves nothing behind: the draft and its stored file go with the rollback.
        with transaction.atomic():
            batch = self._check(by, town, upload, sheet, report)
            if batch is None or not commit:
                transaction.set_rollback(True)
                if batch is not None:
                    batch.file.delete(save=False)
                if batch is None:
                    raise CommandError("rows in error: nothing written")
                self.stdout.write("dry run: nothing written (add --commit)")
                return
        started = time.monotonic()
        try:
            batch = services.import_commit(batch=batch, by=by)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        seconds = max(time.monotonic() - started, 1e-6)
        self.stdout.write(self.style.SUCCESS(
            f"import {batch.pk}: added {batch.rows_added}, skipped {batch.rows_skipped}; "
            f"{batch.rows_total / seconds:.0f} rows/s"))

    def _check(self, by, town, upload, sheet, report):
        """The draft import, checked and reported; None when rows are in error."""
        path_name = upload.name
        try:
            batch = services.import_upload(by=by, town=town, kind=self.kind, upload=upload)
            if sheet or not batch.header_row:
                from imports.reader import sheet_names

                batch = services.import_choose_sheet(
                    batch=batch, sheet=sheet or sheet_names(batch.file.path, path_name)[0])
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        started = time.monotonic()
        check = selectors.import_check(batch=batch)
        seconds = max(time.monotonic() - started, 1e-6)
        self.stdout.write(f"{batch.original_name} [{batch.sheet or 'CSV'}] header row "
                          f"{batch.header_row}: "
                          + ", ".join(f"{c['label']}→{c['field'] or '-'}" for c in batch.mapping))
        self.stdout.write(f"rows {check.total}: new {check.new}, already there {check.present}, "
                          f"in error {check.invalid}; checked {check.total / seconds:.0f} rows/s")
        for row in check.errors:
            self.stdout.write(f"  row {row.row_number}: {'; '.join(row.errors)}")
        if report:
            Path(report).write_bytes(selectors.import_error_report(batch=batch))
            self.stdout.write(f"error report: {report}")
        if check.invalid:
            self.stderr.write(f"{check.invalid} rows in error")
            batch.file.delete(save=False)
            return None
        return batch

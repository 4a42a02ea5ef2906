"""``python manage.py restore FOLDER``: check a backup's checksums, load it into the empty
database of ``DATABASE_URL`` and copy its files into ``MEDIA_ROOT`` (``ops.backup``)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ops.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "从备份恢复到空数据库（先核对校验）。Restore a backup into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by manage.py backup")
        parser.add_argument("--check", action="store_true",
                            help="only verify the checksums; change nothing")

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        try:
            if options["check"]:
                manifest = backup_verify(folder)
                self.stdout.write(f"OK: {len(manifest['files'])} files")
                return
            connections["default"].close()
            restored = backup_restore(folder=folder, db=connections["default"].settings_dict,
                                      media_root=settings.MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"OK: {restored.engine}, {restored.files} files")

"""``python manage.py backup [--to DIR]``: a snapshot of the database and the uploaded files
with a manifest of checksums (``ops.backup``)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from ops.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "备份数据库和附件（带校验清单）。Back up the database and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(settings.VAR_DIR / "backups"),
                            help="where to write the backup folder (default: var/backups/)")

    def handle(self, *args, **options):
        try:
            folder = backup_write(target=Path(options["to"]),
                                  db=connections["default"].settings_dict,
                                  media_root=settings.MEDIA_ROOT)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))

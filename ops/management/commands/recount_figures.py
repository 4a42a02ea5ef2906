"""``python manage.py recount_figures [--check]``: rebuild the figures' summary rows from the
cases, or (``--check``) only compare them with a full count and fail on any difference."""

from django.core.management.base import BaseCommand, CommandError

from disputes import tallies


class Command(BaseCommand):
    help = "按案件重新统计汇总数据，或核对（--check）。Recount the figures' summary rows."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="compare with a full count; exit 1 when they differ")

    def handle(self, *args, check, **options):
        if not check:
            tallies.recount()
        differences = tallies.differences()
        for table, key, kept, counted in differences[:50]:
            self.stdout.write(f"{table} {key}: kept {kept}, counted {counted}")
        if differences:
            raise CommandError(f"{len(differences)} summary rows differ from a full count")
        self.stdout.write("汇总数据与全量统计一致。The summary rows agree with a full count.")

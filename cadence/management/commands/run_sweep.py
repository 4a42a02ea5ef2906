"""``python manage.py run_sweep daily|weekly|monthly [--date YYYY-MM-DD]``."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from cadence.services import run_sweep


class Command(BaseCommand):
    help = "运行“三个一”汇总：daily（每日排查）、weekly（每周调度）、monthly（每月研判）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["daily", "weekly", "monthly"])
        parser.add_argument("--date", help="YYYY-MM-DD（默认今天，Asia/Shanghai）")

    def handle(self, *args, kind, date=None, **options):
        day = None
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from exc
        count = run_sweep(kind, day=day)
        self.stdout.write(self.style.SUCCESS(f"{kind}: {count} town(s)"))

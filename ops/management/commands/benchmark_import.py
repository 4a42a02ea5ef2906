"""``python manage.py benchmark_import [--rows 50000]``: build a ledger of that many rows (in
the layout of a town's own register), check it and commit it into the first town, then roll
everything back. Prints rows per second for each phase and the peak memory of the process.

Reading is streamed (openpyxl read-only), so memory stays bounded whatever the row count.
"""

import datetime
import random
import resource
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from openpyxl import Workbook

HEADERS = ["序号", "发现日期", "所属网格", "当事人", "联系电话", "纠纷类型", "简要情况", "风险等级",
           "化解结果", "办结日期"]
CATEGORIES = ["邻里", "婚姻家庭", "合同", "土地", "劳动争议", "宅基地", "其他"]
OUTCOMES = ["已化解", "已化解", "已化解", "调解中", "移交", "调解不成"]


def build(path: Path, rows: int, grids: list[str]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["矛盾纠纷摸排台账"])
    ws.append(HEADERS)
    rng = random.Random(42)
    start = datetime.date(2016, 1, 1)
    for n in range(1, rows + 1):
        found = start + datetime.timedelta(days=rng.randrange(3000))
        outcome = OUTCOMES[n % len(OUTCOMES)]
        ended = found + datetime.timedelta(days=rng.randrange(1, 30))
        ws.append([n, f"{found.year}.{found.month}.{found.day}", grids[n % len(grids)],
                   f"甲{n}、乙{n}", f"13{n % 10}{n:08d}"[:11], CATEGORIES[n % len(CATEGORIES)],
                   f"第{n}号纠纷", "蓝", outcome, ended if outcome != "调解中" else None])
    wb.save(path)


class Command(BaseCommand):
    help = "导入台账的速度与内存。Rows per second and peak memory of a ledger import."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=50000)
        parser.add_argument("--check-only", action="store_true",
                            help="build and check, without the commit")

    def handle(self, *args, rows, check_only, **options):
        from grid.models import SmallGrid, Town
        from imports import selectors, services

        town = Town.objects.order_by("id").first()
        admin = get_user_model().objects.filter(is_superuser=True).first()
        grids = list(SmallGrid.objects.filter(large_grid__town=town)
                     .values_list("name", flat=True))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ledger.xlsx"
            started = time.monotonic()
            build(path, rows, grids)
            self._line("build workbook", rows, started)
            upload = SimpleUploadedFile(path.name, path.read_bytes())
            with transaction.atomic():
                batch = services.import_upload(by=admin, town=town, kind="ledger", upload=upload)
                started = time.monotonic()
                check = selectors.import_check(batch=batch)
                self._line("check", check.total, started)
                if not check_only:
                    started = time.monotonic()
                    batch = services.import_commit(batch=batch, by=admin)
                    self._line(f"commit ({batch.rows_added} added)", batch.rows_total, started)
                batch.file.delete(save=False)
                transaction.set_rollback(True)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak memory {peak:.0f} MB; rolled back, nothing kept")

    def _line(self, label, rows, started):
        seconds = time.monotonic() - started
        self.stdout.write(f"{label:<28} {rows:>7} rows {seconds:7.1f} s "
                          f"{rows / max(seconds, 1e-6):8.0f} rows/s")

"""``python manage.py benchmark``: time the main lists, exports and sweeps on the current
database (the demo town after ``load_demo``) and print milliseconds and query counts.

Speed targets live here, not in timed tests. ``--repeat N`` takes the median of N runs.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

PAGES = [
    ("home (dashboard)", "/"),
    ("dispute ledger page", "/disputes/"),
    ("dispute ledger xlsx", "/disputes/export.xlsx"),
    ("dispute queue", "/disputes/queue/"),
    ("disputes API, 100 rows", "/api/v1/disputes/?page_size=100"),
    ("petitions ledger", "/petitions/"),
    ("petitions API", "/api/v1/petitions/?page_size=100"),
    ("notice ledger", "/supervision/"),
    ("town page", None),
]


class Command(BaseCommand):
    help = "打印主要页面、导出和汇总的耗时与查询数。Print timings and query counts."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--user", default="leader")

    def handle(self, *args, repeat, user, **options):
        from cadence.services import daily_sweep, monthly_sweep, weekly_sweep
        from grid.models import Town
        from supervision.services import deadline_alerts_sweep

        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=user))
        town = Town.objects.order_by("id").first()
        rows = []
        for label, url in PAGES:
            url = url or f"/org/towns/{town.pk}/"
            rows.append((label, *self._measure(lambda url=url: client.get(url), repeat)))
        for label, call in (
            ("daily sweep (one town)", lambda: daily_sweep(town=town)),
            ("weekly sweep (one town)", lambda: weekly_sweep(town=town)),
            ("monthly sweep (one town)", lambda: monthly_sweep(town=town)),
            ("deadline alerts sweep", deadline_alerts_sweep),
        ):
            rows.append((label, *self._measure(call, repeat)))
        width = max(len(r[0]) for r in rows)
        self.stdout.write(f"{'what':<{width}}  {'median ms':>10}  {'queries':>8}")
        for label, ms, queries in rows:
            self.stdout.write(f"{label:<{width}}  {ms:>10.1f}  {queries:>8}")

    def _measure(self, call, repeat):
        times, queries = [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                result = call()
                times.append((time.perf_counter() - start) * 1000)
            status = getattr(result, "status_code", 200)
            if status >= 400:
                raise SystemExit(f"HTTP {status} from a benchmarked page")
            queries = len(ctx.captured_queries)
        return statistics.median(times), queries

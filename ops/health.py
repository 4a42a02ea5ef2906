"""The checks behind ``/health/`` (django-health-check): database, cache, storage and broker,
the worker's heartbeat, and beat's last run of each periodic entry. The last two read the
database on the request's own thread (``sync_to_async``), like the rest of the site."""

from __future__ import annotations

import dataclasses
import datetime

from asgiref.sync import sync_to_async
from django.db import DatabaseError
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from config.celery import app as celery_app
from core.heartbeat import WORKER, WORKER_START, heartbeats

# The worker writes its heartbeat every minute; three missed in a row mean it is stopped.
WORKER_STALE_AFTER = datetime.timedelta(minutes=3)
# An entry may start a little late (beat's tick, a busy worker) before it counts as missed.
BEAT_GRACE = datetime.timedelta(minutes=10)


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (Redis, or the filesystem of the embedded mode)."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:
            raise ServiceUnavailable("broker unreachable") from exc


@dataclasses.dataclass
class Worker(HealthCheck):
    """The Celery worker wrote its heartbeat less than three minutes ago."""

    async def run(self):
        try:
            beat = (await sync_to_async(heartbeats)()).get(WORKER)
        except DatabaseError as exc:
            raise ServiceUnavailable("database unavailable: heartbeat unknown") from exc
        if beat is None:
            raise ServiceUnavailable("no heartbeat from the worker yet")
        age = timezone.now() - beat.last_at
        if age > WORKER_STALE_AFTER:
            raise ServiceUnavailable(f"worker silent for {int(age.total_seconds() // 60)} min")


def late_entries() -> dict[str, str]:
    """Each periodic entry that should have run by now (with ``BEAT_GRACE``) and has not,
    with the time it last ran. An entry that never ran is measured from the worker's first
    heartbeat, so a fresh installation is not late for last month's analysis, or from the
    worker's last start when later, so an entry a deployment added is not late for a run
    due before it existed."""
    seen = heartbeats()
    start = seen[WORKER].first_at if WORKER in seen else None
    if start is not None and WORKER_START in seen:
        start = max(start, seen[WORKER_START].last_at)
    late = {}
    for name, entry in celery_app.conf.beat_schedule.items():
        last = seen[name].last_at if name in seen else start
        if last is None:
            continue
        # Negative when the next run after ``last`` is already past.
        if entry["schedule"].remaining_estimate(last) < -BEAT_GRACE:
            late[name] = (timezone.localtime(seen[name].last_at).isoformat(timespec="minutes")
                          if name in seen else "never")
    return late


@dataclasses.dataclass
class Beat(HealthCheck):
    """Every periodic entry of the beat schedule ran when it was due."""

    async def run(self):
        try:
            late = await sync_to_async(late_entries)()
        except DatabaseError as exc:
            raise ServiceUnavailable("database unavailable: last runs unknown") from exc
        if late:
            raise ServiceUnavailable(
                "late: " + ", ".join(f"{name} (last {last})" for name, last in late.items()))


WEB = ("health_check.checks.Database", "health_check.checks.Cache",
       "health_check.checks.Storage", Broker)
ALL = (*WEB, Worker, Beat)


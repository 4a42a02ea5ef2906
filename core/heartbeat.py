"""Heartbeats of the background processes, for ``/health/``: the worker writes one every
minute (``core.tasks.worker_heartbeat``), and every task run by an entry of the beat
schedule records that entry's last run when it succeeds."""

from __future__ import annotations

from django.utils import timezone

from .models import Heartbeat

WORKER = "worker"
# When a worker process last started: a deployment restarts it, and an entry the new code
# added has never run; it is measured from then, not from the worker's first heartbeat.
WORKER_START = "worker-start"


def heartbeat_record(*, name: str, at=None) -> None:
    at = at or timezone.now()
    Heartbeat.objects.update_or_create(name=name, defaults={"last_at": at})


def heartbeats() -> dict[str, Heartbeat]:
    return {h.name: h for h in Heartbeat.objects.all()}


def beat_entry_succeeded(sender=None, **kwargs) -> None:
    """``task_success`` receiver: the beat entry (or entries) this task and its arguments
    stand for ran to the end now."""
    schedule = sender.app.conf.beat_schedule or {}
    args = list(sender.request.args or ())
    for name, entry in schedule.items():
        if entry["task"] == sender.name and list(entry.get("args", ())) == args:
            heartbeat_record(name=name)


def worker_started(sender=None, **kwargs) -> None:
    """``worker_ready`` receiver: record when this worker started. Never stops the worker: a
    database that is not there yet only leaves the start unrecorded."""
    import logging

    from django.db import DatabaseError

    try:
        heartbeat_record(name=WORKER_START)
    except DatabaseError:
        logging.getLogger(__name__).warning("worker start not recorded", exc_info=True)

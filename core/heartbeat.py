"""Heartbeats of the background processes, for ``/health/``: the worker writes one every
minute (``core.tasks.worker_heartbeat``), and every task run by an entry of the beat
schedule records that entry's last run when it succeeds."""

from __future__ import annotations

from django.utils import timezone

from .models import Heartbeat

WORKER = "worker"


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

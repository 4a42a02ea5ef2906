"""Core tasks: the worker's heartbeat."""

from celery import shared_task

from .heartbeat import WORKER, heartbeat_record


@shared_task(name="core.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    """The worker is alive and takes tasks from the broker: ``/health/`` reads the time."""
    heartbeat_record(name=WORKER)

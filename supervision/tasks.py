"""Supervision's Celery tasks: ids and plain values in, one service call."""

from celery import shared_task

from . import services


@shared_task(name="supervision.tasks.deadline_alerts_sweep")
def deadline_alerts_sweep() -> int:
    """Alert what is near or past its deadline; safe to run often and concurrently."""
    return services.deadline_alerts_sweep()

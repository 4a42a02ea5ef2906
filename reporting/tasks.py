"""Reporting on Celery beat (schedule in config/celery.py)."""

from celery import shared_task

from . import services


@shared_task(name="reporting.tasks.bulletin_draft_sweep")
def bulletin_draft_sweep(kind: str) -> int:
    """Draft the weekly or monthly bulletin of every town from its latest summary."""
    return services.bulletin_draft_sweep(kind)

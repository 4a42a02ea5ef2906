"""The three sweeps on Celery beat (schedule in config/celery.py)."""

from celery import shared_task

from . import services


@shared_task(name="cadence.tasks.run_sweep")
def run_sweep(kind: str, day: str | None = None) -> int:
    """Run the daily, weekly or monthly sweep for every town; ``day`` is YYYY-MM-DD."""
    import datetime

    return services.run_sweep(kind, day=datetime.date.fromisoformat(day) if day else None)

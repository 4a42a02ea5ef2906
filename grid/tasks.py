"""Celery tasks of the organisation: ids in, one service call, nothing else."""

from celery import shared_task

from . import services
from .models import Town


@shared_task(name="grid.tasks.organisation_snapshot_take")
def organisation_snapshot_take(town_id: int) -> int:
    """Count one town's organisation for today; returns the snapshot id."""
    return services.organisation_snapshot_take(town=Town.objects.get(pk=town_id)).pk


@shared_task(name="grid.tasks.organisation_snapshot_take_all")
def organisation_snapshot_take_all() -> int:
    """Count every town's organisation for today; returns how many towns were counted."""
    count = 0
    for town in Town.objects.all():
        services.organisation_snapshot_take(town=town)
        count += 1
    return count

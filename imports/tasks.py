"""Large imports run on the worker (the page follows their progress)."""

from celery import shared_task


# A register of 50,000 rows takes minutes: longer than the default limits of periodic tasks.
@shared_task(name="imports.tasks.import_commit", soft_time_limit=3600, time_limit=3660)
def import_commit(batch_id: int, user_id: int) -> int:
    """Commit the import; returns the rows added. A failure is recorded on the import."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError

    from . import services
    from .models import ImportBatch

    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        batch = services.import_commit(batch=batch, by=get_user_model().objects.get(pk=user_id))
    except (ValidationError, PermissionDenied):
        return 0
    return batch.rows_added


@shared_task(name="imports.tasks.import_check_run", soft_time_limit=1800, time_limit=1860)
def import_check_run(batch_id: int) -> int:
    """Check a large draft on the worker; returns the rows checked."""
    from . import services
    from .models import ImportBatch

    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        batch = services.import_check_run(batch=batch)
    except Exception:
        # Back to a draft the office can check again, rather than "checking" for ever.
        ImportBatch.objects.filter(pk=batch_id).update(state="draft")
        raise
    return batch.rows_total

"""Core tasks: the worker's heartbeat."""

from celery import shared_task

from .heartbeat import WORKER, heartbeat_record


@shared_task(name="core.tasks.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    """The worker is alive and takes tasks from the broker: ``/health/`` reads the time."""
    heartbeat_record(name=WORKER)


@shared_task(name="core.tasks.idempotency_keys_purge", ignore_result=True)
def idempotency_keys_purge() -> int:
    from .idempotency import idempotency_keys_purge as purge

    return purge()


@shared_task(name="core.tasks.export_files_purge", ignore_result=True)
def export_files_purge() -> int:
    from .export_jobs import export_files_purge as purge

    return purge()


# A county's ledger is a million rows: longer than the default limits allow.
@shared_task(name="core.tasks.export_job_run", ignore_result=True, soft_time_limit=3 * 3600,
             time_limit=3 * 3600 + 60)
def export_job_run(job_id: int) -> None:
    from .export_jobs import export_job_run as run

    run(job_id=job_id)

"""Large exports on the worker: the request records an ``ExportJob`` and returns at once;
``core.tasks.export_job_run`` writes the workbook (streamed, flat memory) and reports its
progress every chunk; the job's page shows a progress bar and then the download link.
After ``EXPORT_RETENTION_DAYS`` the file is deleted (``export_files_purge``, nightly on beat)
and the job marked expired: the row stays as the record of who exported what and when, and
its page says to export again.

An app registers what it exports in ``AppConfig.ready()``
(``core.registry.exporter(kind, build)``); ``build(user, query, progress)`` returns the
rewound temporary file and its name, re-applying the query's filters in the user's scope
on the worker, so that nothing the user may not see is written.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from . import registry
from .models import ExportJob

logger = logging.getLogger(__name__)


def export_in_request_up_to() -> int:
    """Above this many rows an export runs on the worker (``EXPORT_IN_REQUEST_UP_TO``)."""
    return settings.EXPORT_IN_REQUEST_UP_TO


def ledger_export_file(*, user, query: str, form_class, rows_for, sorts, write, name: str,
                       progress=None):
    """A ledger's export, re-applied on the worker: ``query`` (the page's query string)
    validated by the ledger's filter form ``form_class(data, user=user)``, the rows of
    ``rows_for(user=user, filters=...)`` in the scope, in the page's order (``sorts``, a
    ``core.sorting.LedgerSorts``), written by ``write(queryset, progress=progress)`` to a
    rewound temporary file; returns it with its name, ``<name>-<date>.xlsx``."""
    from django.http import QueryDict

    data = QueryDict(query)
    form = form_class(data or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = sorts.order(rows_for(user=user, filters=filters), sorts.parse(data.get("sort")))
    return write(qs, progress=progress), f"{name}-{timezone.localdate():%Y%m%d}.xlsx"


@transaction.atomic
def export_job_start(*, user, kind: str, query: str, total: int) -> ExportJob:
    from .tasks import export_job_run

    job = ExportJob.objects.create(user=user, kind=kind, query=query[:2000], total=total)
    transaction.on_commit(lambda: export_job_run.delay(job.pk))
    return job


def export_job_get(*, user, pk: int) -> ExportJob:
    """The user's own job; ``ExportJob.DoesNotExist`` for anyone else's."""
    return ExportJob.objects.get(user=user, pk=pk)


def export_job_run(*, job_id: int) -> ExportJob:
    """Write the job's file (on the worker). A job already finished is left alone."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.state in (ExportJob.State.DONE, ExportJob.State.FAILED, ExportJob.State.EXPIRED):
        return job
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING)
    build = registry.exporter_for(job.kind)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done)

    try:
        out, filename = build(job.user, job.query, progress)
        with out:
            job.file.save(filename, File(out), save=False)
    except Exception as exc:  # the page says it failed; the log keeps why
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        job.refresh_from_db()
        return job
    job.refresh_from_db(fields=["done", "total"])
    job.filename = filename
    job.state = ExportJob.State.DONE
    job.finished_at = timezone.now()
    job.total = max(job.done, 0) or job.total
    job.save(update_fields=["file", "filename", "state", "finished_at", "total"])
    return job


def export_retention_days() -> int:
    """Days an export's file stays downloadable (``EXPORT_RETENTION_DAYS``)."""
    return settings.EXPORT_RETENTION_DAYS


def export_files_purge(*, at=None) -> int:
    """Delete the files of exports finished more than ``EXPORT_RETENTION_DAYS`` ago and mark
    their jobs expired (kept, with who, what and when). Returns how many expired; gives the
    same result if run twice.

    The file goes first and the row second, so a run that stops between the two leaves a job
    the next run expires (deleting a missing file is nothing); the download treats a done job
    whose file is gone as expired meanwhile."""
    now = at or timezone.now()
    cutoff = now - timedelta(days=export_retention_days())
    expired = 0
    due = (ExportJob.objects.filter(state=ExportJob.State.DONE, finished_at__lt=cutoff)
           .order_by("pk").only("pk", "file"))
    for job in due.iterator(chunk_size=200):
        if job.file.name:
            try:
                job.file.storage.delete(job.file.name)
            except OSError:  # tried again on the next run
                logger.exception("export %s: the file could not be deleted", job.pk)
                continue
        expired += ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.DONE).update(
            state=ExportJob.State.EXPIRED, expired_at=now, file="")
    return expired


def export_job_file_gone(job: ExportJob) -> bool:
    """A finished job whose file is no longer in storage (expired, or being purged)."""
    return job.state == ExportJob.State.EXPIRED or not job.file.name or not (
        job.file.storage.exists(job.file.name))


def export_again_url(job: ExportJob) -> str | None:
    """The list the job exported, with its filters and order, to export it again."""
    from django.urls import reverse

    page = registry.export_page_for(job.kind)
    if not page:
        return None
    return f"{reverse(page)}?{job.query}" if job.query else reverse(page)

"""Helpers for the tests of ledger exports written on the worker."""

from openpyxl import load_workbook


def run_export_job(job):
    """Run ``job`` as the worker does (``core.export_jobs.export_job_run``) and return it
    finished, with the rows of its sheet below the header."""
    from core.export_jobs import export_job_run
    from core.models import ExportJob

    job = export_job_run(job_id=job.pk)
    assert job.state == ExportJob.State.DONE, (job.state, job.error)
    with job.file.open("rb") as f:
        return job, list(load_workbook(f).active.iter_rows(min_row=2, values_only=True))

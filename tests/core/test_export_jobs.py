"""Large ledger exports run on the worker: the request records a job and answers at once;
a real Celery worker writes the workbook in the user's scope with the page's filters and
order, reporting progress; the file is offered to the user who asked and to nobody else.
Small exports still stream in the request."""

import io
import os
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import ExportJob
from disputes.models import Dispute
from tests.conftest import requires_redis
from tests.disputes.factories import demo_small_grid


@pytest.fixture
def celery_on_redis():
    """``config.celery.app`` on Redis, not eager, with a queue of its own; restored after."""
    from config.celery import app

    redis_url = os.environ["REDIS_URL"]
    keys = ["task_always_eager", "broker_url", "result_backend", "task_default_queue"]
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url,
                    task_default_queue=f"test-exports-{uuid.uuid4().hex[:8]}")
    try:
        yield app
    finally:
        app.conf.update(saved)


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


@pytest.mark.django_db
def test_a_small_export_streams_in_the_request(client_as, settings):
    settings.EXPORT_IN_REQUEST_UP_TO = 10_000
    response = client_as("gm01").get(reverse("disputes:ledger_export"))
    assert response.status_code == 200 and response.streaming
    assert not ExportJob.objects.exists()


@requires_redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_written_on_the_worker_for_its_owner_only(
        demo_committed, celery_on_redis, client_as, settings, tmp_path):
    from celery.contrib.testing.worker import start_worker

    settings.EXPORT_IN_REQUEST_UP_TO = 2
    settings.MEDIA_ROOT = str(tmp_path)
    grid = demo_small_grid()
    expected = list(Dispute.objects.filter(small_grid=grid).filter(tier_due_at__isnull=False)
                    .order_by("tier_due_at", "id").values_list("number", flat=True))
    expected += list(Dispute.objects.filter(small_grid=grid, tier_due_at__isnull=True)
                     .order_by("id").values_list("number", flat=True))
    assert len(expected) > 2
    client = client_as("leader")
    with start_worker(celery_on_redis, perform_ping_check=False, pool="solo",
                      queues=[celery_on_redis.conf.task_default_queue], shutdown_timeout=30):
        response = client.get(reverse("disputes:ledger_export"),
                              {"small_grid": grid.pk, "sort": "tier_due_at"})
        assert response.status_code == 302
        job = ExportJob.objects.get()
        assert response["Location"] == reverse("export_job", args=[job.pk])
        page = client.get(response["Location"])
        assert page.status_code == 200
        import time

        for _ in range(120):
            state = client.get(response["Location"], {"format": "json"}).json()
            if state["state"] not in ("queued", "running"):
                break
            time.sleep(0.5)
    assert state["state"] == "done", state
    assert state["done"] == len(expected) and state["download"]
    download = client.get(state["download"])
    rows = _rows(b"".join(download.streaming_content))
    assert [row[1] for row in rows] == expected  # the page's filter and order, every row
    assert 'data-testid="export-download"' in client.get(response["Location"]).content.decode()
    # Nobody else sees the job or its file, not even the town's other leaders.
    for other in ("gm01", "chair"):
        assert client_as(other).get(response["Location"]).status_code == 404
        assert client_as(other).get(state["download"]).status_code == 404


# --- Retention: old files are purged, the jobs stay -------------------------------------------

def _finished_job(username, *, days_ago, content=b"PK\x03\x04 ledger", query="state=closed"):
    """A job the worker finished ``days_ago`` days ago, its file written to storage."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.utils import timezone

    job = ExportJob.objects.create(user=get_user_model().objects.get(username=username),
                                   kind="disputes.ledger", query=query, total=6000, done=6000)
    job.file.save("dispute-ledger.xlsx", ContentFile(content), save=False)
    job.filename = "dispute-ledger-20261124.xlsx"
    job.state = ExportJob.State.DONE
    job.finished_at = timezone.now() - datetime.timedelta(days=days_ago)
    job.save()
    return job


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.mark.django_db
def test_files_older_than_the_retention_are_deleted_and_their_jobs_kept_as_expired(
        media, settings):
    from core.export_jobs import export_files_purge

    settings.EXPORT_RETENTION_DAYS = 7
    old = _finished_job("leader", days_ago=8)
    recent = _finished_job("leader", days_ago=6)
    old_path, recent_path = old.file.path, recent.file.path
    assert os.path.exists(old_path) and os.path.exists(recent_path)
    assert export_files_purge() == 1
    assert not os.path.exists(old_path)
    assert os.path.exists(recent_path)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.state == ExportJob.State.EXPIRED and old.expired_at and not old.file
    # The audit trail: who exported what, when.
    assert (old.user.username, old.kind, old.query, old.filename) == (
        "leader", "disputes.ledger", "state=closed", "dispute-ledger-20261124.xlsx")
    assert old.created_at and old.finished_at
    assert recent.state == ExportJob.State.DONE and recent.file
    # Twice gives the same result.
    assert export_files_purge() == 0
    assert ExportJob.objects.get(pk=old.pk).expired_at == old.expired_at


@pytest.mark.django_db
def test_the_retention_is_a_setting(media, settings):
    from core.export_jobs import export_files_purge

    job = _finished_job("leader", days_ago=3)
    settings.EXPORT_RETENTION_DAYS = 7
    assert export_files_purge() == 0
    settings.EXPORT_RETENTION_DAYS = 2
    assert export_files_purge() == 1
    assert not os.path.exists(job.file.path)


@pytest.mark.django_db
def test_unfinished_and_failed_jobs_are_left_alone(media, settings):
    import datetime

    from django.utils import timezone

    from core.export_jobs import export_files_purge

    settings.EXPORT_RETENTION_DAYS = 1
    long_ago = timezone.now() - datetime.timedelta(days=30)
    for state in (ExportJob.State.QUEUED, ExportJob.State.RUNNING, ExportJob.State.FAILED):
        job = ExportJob.objects.create(user=_finished_job("leader", days_ago=0).user,
                                       kind="disputes.ledger", state=state)
        ExportJob.objects.filter(pk=job.pk).update(finished_at=long_ago)
    assert export_files_purge() == 0
    assert not ExportJob.objects.filter(state=ExportJob.State.EXPIRED).exists()


@pytest.mark.django_db
def test_beat_purges_the_files_every_night_through_the_task(media, settings):
    from config.celery import app
    from core.tasks import export_files_purge

    entry = app.conf.beat_schedule["core-export-files-purge"]
    assert entry["task"] == export_files_purge.name
    assert entry["schedule"].hour == {3}
    settings.EXPORT_RETENTION_DAYS = 7
    job = _finished_job("leader", days_ago=10)
    assert export_files_purge.apply().get() == 1
    assert not os.path.exists(os.path.join(media, job.file.name))


@pytest.mark.django_db
def test_the_download_of_an_expired_export_says_so_and_where_to_export_again(
        media, settings, client_as):
    from django.conf import settings as conf

    from core.export_jobs import export_files_purge

    settings.EXPORT_RETENTION_DAYS = 7
    job = _finished_job("leader", days_ago=8)
    client = client_as("leader")
    download = reverse("export_download", args=[job.pk])
    assert client.get(download).status_code == 200  # before the purge, the file
    export_files_purge()
    response = client.get(download)
    assert response.status_code == 410
    page = response.content.decode()
    assert "此导出文件已过期" in page and "保留 7 天后删除" in page and "请重新导出" in page
    assert 'data-testid="export-download"' not in page
    assert f'href="{reverse("disputes:ledger")}?state=closed"' in page
    job_page = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert 'data-testid="export-expired"' in job_page
    assert client.get(reverse("export_job", args=[job.pk]), {"format": "json"}).json()[
        "download"] is None
    client.cookies[conf.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(download).content.decode()
    assert "This export has expired" in english and "after 7 days" in english
    assert "Please export again." in english
    # Still nobody else's.
    assert client_as("chair").get(download).status_code == 404


@pytest.mark.django_db
def test_a_done_export_whose_file_is_gone_reads_as_expired(media, client_as):
    job = _finished_job("leader", days_ago=1)
    os.remove(job.file.path)
    response = client_as("leader").get(reverse("export_download", args=[job.pk]))
    assert response.status_code == 410
    assert "此导出文件已过期" in response.content.decode()

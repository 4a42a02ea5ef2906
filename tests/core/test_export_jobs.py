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

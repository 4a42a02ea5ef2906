"""``/health/``: database, cache, storage, broker, the worker's heartbeat and beat's entries;
JSON for monitors, a page for administrators."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from config.celery import app
from core.heartbeat import WORKER, beat_entry_succeeded, heartbeat_record
from core.models import Heartbeat
from ops.health import late_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def alive(settings, tmp_path):
    """A worker that beat a moment ago and every periodic entry just run."""
    settings.MEDIA_ROOT = tmp_path
    for name in [WORKER, *app.conf.beat_schedule]:
        heartbeat_record(name=name)


def checks(response) -> dict[str, str]:
    return {name.split("(")[0]: status for name, status in response.json().items()}


def test_health_json_reports_every_service_ok(alive):
    response = Client().get("/health/?format=json")
    assert response.status_code == 200
    assert checks(response) == {"Database": "OK", "Cache": "OK", "Storage": "OK",
                                "Broker": "OK", "Worker": "OK", "Beat": "OK"}


def test_health_reports_a_stopped_worker(alive):
    Heartbeat.objects.filter(name=WORKER).update(
        last_at=timezone.now() - datetime.timedelta(minutes=10))
    response = Client().get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert checks(response)["Worker"] == "Unavailable: worker silent for 10 min"
    assert checks(response)["Database"] == "OK"
    # The web half stays healthy: the web container is not restarted for a stopped worker.
    assert Client().get("/health/web/?format=json").status_code == 200
    assert Client().get("/health/worker/?format=json").status_code == 500
    assert Client().get("/health/beat/?format=json").status_code == 200


def test_health_reports_a_worker_never_seen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Heartbeat.objects.all().delete()
    response = Client().get("/health/?format=json")
    assert response.status_code == 500
    assert "no heartbeat" in checks(response)["Worker"]


def test_health_reports_a_sweep_beat_did_not_run(alive):
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    Heartbeat.objects.filter(name="cadence-daily").update(last_at=two_days_ago)
    assert list(late_entries()) == ["cadence-daily"]
    response = Client().get("/health/?format=json")
    assert response.status_code == 500
    assert "cadence-daily" in checks(response)["Beat"]


def test_an_entry_that_never_ran_is_measured_from_the_workers_first_heartbeat(alive):
    Heartbeat.objects.filter(name="cadence-monthly").delete()
    assert late_entries() == {}  # the worker started just now: not due yet
    Heartbeat.objects.filter(name=WORKER).update(
        first_at=timezone.now() - datetime.timedelta(days=40))
    assert late_entries() == {"cadence-monthly": "never"}


def test_an_entry_a_deployment_added_is_measured_from_the_workers_last_start(alive):
    from core.heartbeat import WORKER_START, worker_started

    Heartbeat.objects.filter(name="core-export-files-purge").delete()
    Heartbeat.objects.filter(name=WORKER).update(
        first_at=timezone.now() - datetime.timedelta(days=40))
    assert late_entries() == {"core-export-files-purge": "never"}
    worker_started()  # the deployment restarted the worker just now
    assert Heartbeat.objects.filter(name=WORKER_START).exists()
    assert late_entries() == {}
    Heartbeat.objects.filter(name=WORKER_START).update(
        last_at=timezone.now() - datetime.timedelta(days=2))
    assert late_entries() == {"core-export-files-purge": "never"}


def test_a_periodic_task_that_succeeds_records_its_entry(freeze=None):
    Heartbeat.objects.filter(name__in=["cadence-weekly", "cadence-daily"]).delete()

    class Sender:
        name = "cadence.tasks.run_sweep"
        request = type("R", (), {"args": ["weekly"]})()

    Sender.app = app
    beat_entry_succeeded(sender=Sender)
    assert set(Heartbeat.objects.filter(
        name__in=["cadence-weekly", "cadence-daily"]).values_list("name", flat=True)) == {
        "cadence-weekly"}


def test_the_worker_heartbeat_task_runs_every_minute():
    from core.tasks import worker_heartbeat

    entry = app.conf.beat_schedule["core-worker-heartbeat"]
    assert entry["task"] == worker_heartbeat.name
    worker_heartbeat.delay()
    assert Heartbeat.objects.get(name=WORKER).last_at > timezone.now() - datetime.timedelta(
        seconds=5)
    # Run through Celery, the beat entry's own heartbeat is recorded too.
    assert Heartbeat.objects.filter(name="core-worker-heartbeat").exists()


def test_the_page_is_for_administrators(alive, client_as):
    assert Client().get("/health/").status_code == 302
    response = client_as("admin").get("/health/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "系统状态" in html and "全部正常" in html and 'data-testid="health"' in html

"""Celery tasks of the organisation: a real worker against Redis, and the
snapshot task's idempotence."""

import os
import uuid

import pytest
from django.utils import timezone

from grid.models import OrganisationSnapshot, Town
from grid.selectors import town_summary
from grid.tasks import organisation_snapshot_take, organisation_snapshot_take_all
from tests.conftest import requires_redis

EXPECTED_SUMMARY = {
    "large_grids": 11, "small_grids": 60, "committees": 12, "centres": 2, "service_windows": 5,
    "rooms": 6, "governance_office_staff": 5, "judicial_office_staff": 2, "grid_staff": 56,
    "five_elders_mediators": 32,
}


def _demo_town():
    return Town.objects.get(code="620823103")


# --- Eager (the test settings run tasks in-process) -------------------------------------------

@pytest.mark.django_db
def test_snapshot_task_twice_keeps_one_row_per_town_per_day():
    town = _demo_town()
    today = timezone.localdate()
    first = organisation_snapshot_take.delay(town.pk).get()
    second = organisation_snapshot_take.delay(town.pk).get()
    assert first == second
    rows = OrganisationSnapshot.objects.filter(town=town, taken_on=today)
    assert rows.count() == 1
    assert rows.get().figures == EXPECTED_SUMMARY


@pytest.mark.django_db
def test_snapshot_task_refreshes_the_day_row_when_the_town_changed(demo):
    from grid.models import LargeGrid

    organisation_snapshot_take.delay(demo.town.pk)
    LargeGrid.objects.create(town=demo.town, number=12, name="新建村")
    organisation_snapshot_take.delay(demo.town.pk)
    snapshot = OrganisationSnapshot.objects.get(town=demo.town, taken_on=timezone.localdate())
    assert snapshot.figures["large_grids"] == 12


@pytest.mark.django_db
def test_snapshot_for_all_towns_counts_each_town_once(other_town):
    assert organisation_snapshot_take_all.delay().get() == 2
    assert organisation_snapshot_take_all.delay().get() == 2
    today = timezone.localdate()
    assert OrganisationSnapshot.objects.filter(taken_on=today).count() == 2
    other = OrganisationSnapshot.objects.get(town=other_town.town, taken_on=today)
    assert other.figures == town_summary(town=other_town.town)
    assert other.figures["small_grids"] == 1


def test_beat_schedule_runs_the_snapshot_every_night():
    from config.celery import app

    entry = app.conf.beat_schedule["grid-organisation-snapshot"]
    assert entry["task"] == organisation_snapshot_take_all.name
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {30}
    assert app.conf.timezone == "Asia/Shanghai"


# --- A real worker ---------------------------------------------------------------------------

@pytest.fixture
def celery_on_redis():
    """``config.celery.app`` on Redis, not eager, with a queue of its own (so that no other
    worker on the same Redis takes this test's task); settings restored afterwards."""
    from config.celery import app

    redis_url = os.environ["REDIS_URL"]
    keys = ["task_always_eager", "broker_url", "result_backend", "task_default_queue"]
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(task_always_eager=False, broker_url=redis_url, result_backend=redis_url,
                    task_default_queue=f"test-grid-{uuid.uuid4().hex[:8]}")
    try:
        yield app
    finally:
        app.conf.update(saved)


@requires_redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_takes_the_organisation_snapshot(demo_committed, celery_on_redis):
    from celery.contrib.testing.worker import start_worker

    town = _demo_town()
    OrganisationSnapshot.objects.filter(town=town).delete()
    with start_worker(celery_on_redis, perform_ping_check=False, pool="solo",
                      queues=[celery_on_redis.conf.task_default_queue], shutdown_timeout=30):
        result = organisation_snapshot_take.delay(town.pk)
        snapshot_id = result.get(timeout=30)
    assert result.successful()
    snapshot = OrganisationSnapshot.objects.get(pk=snapshot_id)
    assert snapshot.town == town
    assert snapshot.taken_on == timezone.localdate()
    assert snapshot.figures == EXPECTED_SUMMARY

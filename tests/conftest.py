"""Shared fixtures: the demo town loaded once per test session, and users in each role.

Tests run against ``DATABASE_URL`` / ``REDIS_URL`` when set (CI sets both to the real
PostgreSQL and Redis), else against SQLite; only tests that need a server are skipped then,
each with its reason.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

DEMO_USERS = ["admin", "leader", "chair", "office", "judicial", "petition", "gl01", "gl02",
              "gm01", "gm02", "med01", "med02", "police", "county", "studio",
              "lawyer"]

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which(
    "chromium-browser")


def pytest_report_header(config):
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"database: {db}; redis: {'yes' if os.environ.get('REDIS_URL') else 'no'}; "
            f"chromium: {CHROMIUM or 'not found'}"]


def load_demo_town():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo town once into the test database, and keep a copy of its rows
    (``tests/demo_snapshot.py``); each test rolls its changes back."""
    from tests.demo_snapshot import SNAPSHOT

    with django_db_blocker.unblock():
        load_demo_town()
        SNAPSHOT.take()


@pytest.fixture
def demo_committed(transactional_db):
    """For tests whose data must be committed (live server, real worker): the demo town,
    put back from the session's copy of its rows if an earlier transactional test flushed it
    (loaded again when there is no copy)."""
    from grid.models import Town
    from tests.demo_snapshot import SNAPSHOT

    if not Town.objects.exists() and not SNAPSHOT.restore():
        load_demo_town()


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def user_factory(db):
    return _user


@pytest.fixture
def api_as(db):
    """``api_as("gm01")``: an API client authenticated as that demo user."""

    def make(username):
        client = APIClient()
        client.force_authenticate(_user(username))
        return client

    return make


@pytest.fixture
def exports_on_worker(settings, tmp_path):
    """Every ledger export above one row is a job for the worker (``tests/exports.py`` runs
    one), its file written under a temporary folder."""
    settings.EXPORT_IN_REQUEST_UP_TO = 1
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def client_as(db):
    """``client_as("gm01")``: a page client logged in as that demo user."""
    from django.test import Client

    def make(username):
        client = Client()
        client.force_login(_user(username))
        return client

    return make


for _name in DEMO_USERS:
    def _fixture(db, _name=_name):
        return _user(_name)

    globals()[_name] = pytest.fixture(_fixture, name=_name)


requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs a Redis server: set REDIS_URL (CI does) to run the real Celery worker",
)
requires_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (row locks): set DATABASE_URL=postgres://… (CI does)",
)
requires_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="needs Debian's chromium (apt-get install chromium); .ci/run installs it",
)


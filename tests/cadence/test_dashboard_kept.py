"""The home page's dashboard is computed once a minute for each set of towns and kept in the
process's memory (``DASHBOARD_KEPT_SECONDS``); the page says when it was computed."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cadence import selectors
from tests.disputes.factories import make_dispute

from .factories import dispute, town_build
from .test_views import dashboard_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    """Figures kept for a minute, as in production (the test settings compute them each time)."""
    settings.DASHBOARD_KEPT_SECONDS = 60
    caches["figures"].clear()
    yield
    caches["figures"].clear()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _new_today(panel: str) -> int:
    return int(re.search(r'data-testid="new-today">(\d+)<', panel).group(1))


def _as_of(panel: str) -> str:
    return re.search(r'data-testid="figures-as-of">([^<]+)<', panel).group(1)


def _at(monkeypatch, moment: datetime.datetime):
    monkeypatch.setattr(selectors.timezone, "now", lambda: moment)


def test_the_figures_of_a_minute_are_computed_once_and_say_when(
        kept, client_as, gm01, monkeypatch, django_assert_max_num_queries):
    # Noon today (the clock of the whole test, so that no minute of it crosses midnight).
    minute = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    _at(monkeypatch, minute + datetime.timedelta(seconds=5))
    client = client_as("leader")
    client.get(reverse("home"))  # the user's scope and organisation values, as on any visit
    caches["figures"].clear()
    with django_assert_max_num_queries(100) as computed:
        first = dashboard_html(client)
    assert _as_of(first) == "数据截至 " + timezone.localtime(minute).strftime("%H:%M")
    # A case registered in the same minute: the kept figures, in fewer queries.
    make_dispute(by=gm01)
    _at(monkeypatch, minute + datetime.timedelta(seconds=40))
    with django_assert_max_num_queries(100) as read:
        again = dashboard_html(client)
    assert _new_today(again) == _new_today(first)
    assert len(read.captured_queries) <= len(computed.captured_queries) - 5
    # The next minute counts it.
    _at(monkeypatch, minute + datetime.timedelta(seconds=65))
    later = dashboard_html(client)
    assert _new_today(later) == _new_today(first) + 1
    assert _as_of(later) == "数据截至 " + timezone.localtime(
        minute + datetime.timedelta(seconds=65)).strftime("%H:%M")


def test_kept_figures_are_those_of_the_same_towns_only(kept, client_as):
    t = town_build()
    dispute(t, found_at=timezone.now() - datetime.timedelta(hours=1))
    # The county user (both towns) first: the town's leaders do not get the county's figures.
    county = dashboard_html(client_as("county"))
    assert 'data-testid="by-town"' in county
    other = dashboard_html(client_for(t.leader))
    assert 'data-testid="by-town"' not in other and "清风镇" in other
    assert _new_today(other) == 1
    assert _new_today(dashboard_html(client_as("leader"))) == _new_today(county) - 1


def test_each_language_keeps_its_own(kept, client_as):
    client = client_as("leader")
    chinese = dashboard_html(client)
    client.cookies["django_language"] = "en"
    english = dashboard_html(client)
    assert "数据截至" in chinese and "综治工作一览" in chinese
    assert "Figures as of" in english and "综治工作一览" not in english


def test_a_user_who_covers_no_whole_town_gets_no_dashboard(kept, client_as, gm01):
    dashboard_html(client_as("leader"))  # the town's figures are kept...
    # ...and a grid member, who covers no whole town, is not given them.
    assert selectors.dashboard_kept(user=gm01) is None
    assert 'data-testid="dashboard"' not in client_as("gm01").get(reverse("home")).content.decode()


def test_with_keeping_off_every_visit_computes(client_as, gm01):
    client = client_as("leader")
    before = _new_today(dashboard_html(client))
    make_dispute(by=gm01)
    assert _new_today(dashboard_html(client)) == before + 1

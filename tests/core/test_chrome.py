"""The page chrome's cached parts (templates/base.html, the "fragments" cache): a page served
with them kept is the page rendered without them, for each role, page and language; and the
header's unread badge stops counting at 99+."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.test import override_settings
from django.utils import timezone

from inbox.models import Notification
from inbox.notifications import UNREAD_SHOWN

pytestmark = pytest.mark.django_db

PAGES = ["/", "/disputes/", "/inbox/", "/petitions/", "/supervision/", "/search/?q=张"]
USERS = ["leader", "county", "gm01", "gl01", "chair", "admin"]
# The parts kept as in production (the settings keep none with DEBUG on), and not kept.
KEPT = {**settings.CACHES, "fragments": {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chrome-test"}}
UNCACHED = {**settings.CACHES,
            "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def _kept():
    with override_settings(CACHES=KEPT):
        caches["fragments"].clear()
        yield


def _page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    # A CSRF token is masked afresh for each response: the only part that should differ.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _unread(user, n):
    Notification.objects.bulk_create(
        Notification(recipient=user, title="t", body="b", url="/", created_at=timezone.now())
        for _ in range(n))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_page_with_the_kept_chrome_is_the_page_rendered_afresh(client_as, user_factory,
                                                                  language):
    clients = {}
    for username in USERS:
        clients[username] = client_as(username)
        clients[username].cookies[settings.LANGUAGE_COOKIE_NAME] = language
    Notification.objects.filter(recipient__username__in=["gl01", "gm01"]).delete()
    _unread(user_factory("gl01"), 3)
    # Kept: each user's pages in turn, so a part kept for one user is offered to the next.
    kept = {(username, path): _page(clients[username], path)
            for path in PAGES for username in USERS}
    # The parts were kept (and then served), not rendered each time.
    assert caches["fragments"].get(make_template_fragment_key("chrome_languages",
                                                              [language])) is not None
    with override_settings(CACHES=UNCACHED):
        for (username, path), html in kept.items():
            assert html == _page(clients[username], path), (username, path)
    # The unread badge and the menu are the user's own, not the last user's.
    assert 'data-testid="unread-count">3<' in kept["gl01", "/"]
    assert 'data-testid="unread-count"' not in kept["gm01", "/"]
    assert kept["gm01", "/disputes/"] != kept["leader", "/disputes/"]


def test_the_kept_chrome_of_a_page_without_login_is_the_chrome_rendered_afresh(client):
    client.get("/accounts/login/")  # kept while signed out: no menu, no badge
    kept = _page(client, "/accounts/login/")
    assert 'id="site-menu"' in kept and 'data-testid="bottom-bar"' not in kept
    with override_settings(CACHES=UNCACHED):
        assert _page(client, "/accounts/login/") == kept


def test_a_kept_part_follows_the_badge_and_the_language(client_as, user_factory):
    client = client_as("gl01")
    menu = re.compile(r'<ul id="site-menu".*?</ul>', re.S)
    before = menu.search(_page(client, "/")).group()
    _unread(user_factory("gl01"), 1)
    after = menu.search(_page(client, "/")).group()
    assert before != after and 'data-testid="unread-count">' in after
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _page(client, "/")
    assert 'lang="en"' in english and ">Notifications" in english


def test_the_unread_badge_counts_up_to_99_then_says_99_plus(client_as, user_factory):
    gm01 = user_factory("gm01")
    Notification.objects.filter(recipient=gm01).delete()
    client = client_as("gm01")
    _unread(gm01, UNREAD_SHOWN)
    assert f'data-testid="unread-count">{UNREAD_SHOWN}<' in _page(client, "/")
    _unread(gm01, 5)
    html = _page(client, "/")
    assert f'data-testid="unread-count">{UNREAD_SHOWN}+<' in html
    assert f'data-testid="bottom-unread-count">{UNREAD_SHOWN}+<' in html
    Notification.objects.filter(recipient=gm01).update(read_at=timezone.now())
    assert 'data-testid="unread-count"' not in _page(client, "/")

"""A ledger's empty filter form is rendered once per user, language and state of the
organisation (``{% kept_unfiltered %}``): the same HTML as rendering it, never another
user's options, and rendered afresh once a value is chosen or the organisation changes."""

import re

import pytest

from core.forms import QuickSelect
from grid import scope as scope_rule
from grid.models import LargeGrid

pytestmark = pytest.mark.django_db

LEDGERS = ["/disputes/", "/petitions/", "/supervision/", "/legal-aid/"]


@pytest.fixture
def scope_cache(settings):
    """This process keeps what the organisation decides, as in production (the test settings
    do not)."""
    settings.SCOPE_CACHE = True
    scope_rule.forget_computed_scopes()
    yield
    scope_rule.forget_computed_scopes()


def _filters(response) -> str:
    html = response.content.decode()
    return re.search(r'<details class="no-print"[^>]*>\s*<summary>[^<]*</summary>\s*'
                     r'<form method="get"[^>]*>(.*?)</form>', html, re.S).group(1)


@pytest.fixture
def renders(monkeypatch):
    """How many select widgets were rendered."""
    calls = []
    original = QuickSelect.render

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuickSelect, "render", counted)
    return calls


@pytest.mark.parametrize("url", LEDGERS)
def test_the_kept_form_is_the_form_rendered(url, client_as, settings):
    client = client_as("leader")
    settings.SCOPE_CACHE = False
    rendered = {query: _filters(client.get(url + query)) for query in ("", "?page=last")}
    settings.SCOPE_CACHE = True
    scope_rule.forget_computed_scopes()
    try:
        for _ in range(2):  # computed, then kept
            for query, html in rendered.items():
                assert _filters(client.get(url + query)) == html
    finally:
        scope_rule.forget_computed_scopes()


def test_an_empty_form_is_rendered_once_a_chosen_value_each_time(client_as, scope_cache,
                                                                  renders):
    client = client_as("leader")
    # Empty: no query, or a query of other parameters (the page, the order).
    empty = ("/disputes/", "/disputes/?page=last&sort=tier_due_at")
    for url in empty:
        client.get(url)
    assert renders
    renders.clear()
    for url in empty:
        client.get(url)
    assert renders == []
    chosen = _filters(client.get("/disputes/?state=closed"))
    assert '<option value="closed" selected>' in chosen
    assert renders
    # The empty form shows nothing chosen, after a chosen one.
    assert " selected>" not in _filters(client.get("/disputes/")).replace(
        '<option value="" selected>', "")


def _large_grid(number) -> LargeGrid:
    return LargeGrid.objects.get(town__code="620823103", number=number)


def test_each_user_is_given_their_own_options(client_as, scope_cache):
    # The town's leader first: the grid leader of large grid 1 is not given their options.
    other = _large_grid(5)
    assert other.name in _filters(client_as("leader").get("/disputes/"))
    own = _filters(client_as("gl01").get("/disputes/"))
    assert _large_grid(1).name in own and other.name not in own


def test_each_language_is_kept_apart(client_as, scope_cache, settings):
    client = client_as("leader")
    chinese = _filters(client.get("/disputes/"))
    client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
    english = _filters(client.get("/disputes/"))
    assert "大网格" in chinese and "大网格" not in english and "Large grid" in english


def test_a_change_to_the_organisation_shows_at_once(client_as, scope_cache):
    client = client_as("leader")
    assert _large_grid(1).name in _filters(client.get("/disputes/"))
    LargeGrid.objects.filter(pk=_large_grid(1).pk).update(name="新村名")  # no model code runs
    assert "新村名" in _filters(client.get("/disputes/"))


def test_a_refused_value_shows_its_error_and_the_empty_form_none(client_as, scope_cache):
    """A date the form refuses is shown with its message, in the form rendered for it; the
    empty form kept beside it carries neither the value nor the message."""
    client = client_as("leader")
    client.get("/disputes/")  # the empty form, kept
    refused = _filters(client.get("/disputes/", {"found_from": "2026-13-40"}))
    assert "2026-13-40" in refused and "errorlist" in refused
    empty = _filters(client.get("/disputes/"))
    assert "2026-13-40" not in empty and "errorlist" not in empty

"""The menu's addresses, reversed once per script prefix: the same as ``reverse`` gives, under
a prefix too (a deployment below ``/town/``), and the entry of the page shown marked."""

import pytest
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix

from core.context_processors import navigation
from core.registry import nav_items
from tests.disputes.factories import user

pytestmark = pytest.mark.django_db


def _menu(path, who):
    request = RequestFactory().get(path)
    request.user = who
    return navigation(request)["NAV_ITEMS"]


def test_the_menus_addresses_are_reversed_as_reverse_gives_them_under_any_prefix():
    leader = user("leader")
    expected = {item.key: item.url_name for item in nav_items()}
    try:
        for prefix in ("/", "/town/"):
            set_script_prefix(prefix)
            menu = _menu("/disputes/", leader)
            assert menu
            for entry in menu:
                assert entry["url"] == reverse(expected[entry["key"]])
                assert entry["url"].startswith(prefix)
    finally:
        set_script_prefix("/")
    # The page shown marks the entries whose address it is under, and only those.
    ledger = reverse("disputes:ledger")
    menu = _menu(ledger, leader)
    assert {entry["url"] for entry in menu if entry["active"]} == {
        entry["url"] for entry in menu if ledger.startswith(entry["url"])} != set()

"""In a real browser: a grid member on a phone finds a case by a party's phone from the header
search (suggestions as one types, chosen with the keyboard); the town leader sorts the ledger
by deadline, the earliest first and the cases without one last.

Reuses the browser fixtures of ``test_login_browser`` (Debian's Chromium, a phone-sized
context on the live server with the demo town committed).
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from disputes.models import Party
from tests.browser.test_login_browser import (  # noqa: F401 - fixtures
    blank_phone,
    browser,
    log_in,
    phone,
)
from tests.conftest import requires_chromium
from tests.disputes.factories import demo_small_grid

pytestmark = [requires_chromium, pytest.mark.browser]


def test_a_grid_member_finds_a_case_by_a_partys_phone_from_the_header_on_a_phone(phone):  # noqa: F811
    party = (Party.objects.filter(dispute__small_grid=demo_small_grid()).exclude(phone="")
             .select_related("dispute").order_by("dispute_id").first())
    log_in(phone, "gm01")
    box = phone.get_by_test_id("search-input")
    assert box.is_visible()
    box.click()
    box.press_sequentially(party.phone, delay=20)
    suggestions = phone.get_by_test_id("search-suggestions")
    suggestions.wait_for(state="visible")
    option = suggestions.get_by_test_id("search-option").filter(has_text=party.dispute.number)
    option.wait_for()
    assert "矛盾纠纷" in suggestions.inner_text()
    # Nothing overflows the phone's width with the list open.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path="/tmp/search-phone.png")
    count = suggestions.get_by_test_id("search-option").count()
    index = next(i for i in range(count) if party.dispute.number in
                 suggestions.get_by_test_id("search-option").nth(i).inner_text())
    for _ in range(index + 1):
        box.press("ArrowDown")
    assert option.get_attribute("aria-selected") == "true"
    box.press("Enter")
    phone.wait_for_url(f"**{party.dispute.get_absolute_url()}")
    assert party.dispute.title in phone.locator("h1").inner_text()
    assert party.dispute.number in phone.locator("main").inner_text()

    # The results page (where Enter goes without a suggestion chosen), grouped by kind.
    phone.goto(f"/search/?q={party.phone}")
    group = phone.get_by_test_id("search-group-disputes")
    assert party.dispute.number in group.inner_text()


def _deadlines(page):
    cells = page.locator('[data-testid="ledger"] tbody tr').evaluate_all(
        "rows => rows.map(r => r.children[11] ? r.children[11].innerText.trim() : '')")
    return cells


def test_the_town_leader_sorts_the_ledger_by_deadline(phone):  # noqa: F811
    log_in(phone, "leader")
    phone.goto("/disputes/")
    phone.get_by_test_id("sort-11").click()
    phone.wait_for_load_state()
    assert parse_qs(urlsplit(phone.url).query)["sort"] == ["tier_due_at"]
    header = phone.locator('th[aria-sort="ascending"]')
    assert "办理期限" in header.inner_text()
    deadlines = _deadlines(phone)
    dated = [d for d in deadlines if d]
    assert len(dated) >= 2
    assert dated == sorted(dated)
    # The cases without a deadline (closed) come after every dated one.
    assert deadlines[: len(dated)] == dated
    # The next page goes on from the last deadline shown, in the same order.
    phone.locator('[data-testid="pages"] a[rel="next"]').click()
    phone.wait_for_load_state()
    following = [d for d in _deadlines(phone) if d]
    if following:
        assert following[0] >= dated[-1] and following == sorted(following)

    # Again: the latest deadline first.
    phone.get_by_test_id("sort-11").click()
    phone.wait_for_load_state()
    assert parse_qs(urlsplit(phone.url).query)["sort"] == ["-tier_due_at"]
    latest = [d for d in _deadlines(phone) if d]
    assert latest == sorted(latest, reverse=True)

"""Keyset pages: following the cursors from the first page to the end visits every row once in
the ledger's order, backwards too; the last page is the end of the order; counts are exact up
to the threshold and estimated (marked) above it."""

import pytest
from django.db import connection

from core.keyset import KeysetPaginator, count_rows
from disputes.models import Dispute

pytestmark = pytest.mark.django_db


def _order():
    return list(Dispute.objects.order_by("-found_at", "-id").values_list("id", flat=True))


def test_cursors_walk_every_row_once_forwards_and_backwards():
    expected = _order()
    paginator = KeysetPaginator(Dispute.objects.all(), key="found_at", per_page=7,
                                numbered_pages=2)
    page, seen, pages = paginator.page(), [], []
    while True:
        seen += [d.pk for d in page.object_list]
        pages.append(page)
        if not page.next_cursor:
            break
        page = paginator.page(after=page.next_cursor)
    assert seen == expected
    assert pages[-1].is_last and pages[0].number == 1
    assert [p.start for p in pages] == list(range(1, len(expected) + 1, 7))
    back = []
    page = pages[-1]
    while page.previous_cursor:
        page = paginator.page(before=page.previous_cursor)
        back = [d.pk for d in page.object_list] + back
    assert back + [d.pk for d in pages[-1].object_list] == expected


def test_the_last_page_is_the_end_of_the_order_and_numbered():
    expected = _order()
    page = KeysetPaginator(Dispute.objects.all(), key="found_at", per_page=10).page(
        number="last")
    size = len(expected) % 10 or 10
    assert [d.pk for d in page.object_list] == expected[-size:]
    assert page.number == page.num_pages and page.is_last
    assert page.start == len(expected) - size + 1


def test_bad_cursors_and_numbers_give_the_first_page():
    paginator = KeysetPaginator(Dispute.objects.all(), key="found_at", per_page=5)
    first = [d.pk for d in paginator.page().object_list]
    assert [d.pk for d in paginator.page(after="not-a-cursor").object_list] == first
    assert [d.pk for d in paginator.page(number="x").object_list] == first


def test_counts_are_exact_below_the_threshold_and_estimated_above():
    n = Dispute.objects.count()
    assert count_rows(Dispute.objects.all()).value == n
    assert not count_rows(Dispute.objects.all()).estimated
    above = count_rows(Dispute.objects.all(), exact_up_to=5)
    if connection.vendor == "postgresql":
        assert above.estimated and above.value > 5
    else:
        assert above.value == n


def test_the_ledger_count_comes_exact_from_the_summary_rows(client_as):
    from django.urls import reverse

    response = client_as("leader").get(reverse("disputes:ledger"))
    page = response.context["page"]
    assert page.count.value == Dispute.objects.count() and not page.count.estimated
    assert "约" not in response.content.decode().split('data-testid="ledger-count">')[1][:40]


def _deadline_order():
    """Earliest deadline first, cases without one (closed) last, newest of those first…
    in id order: the order a nullable key's two segments give."""
    rows = list(Dispute.objects.values_list("id", "tier_due_at"))
    keyed = sorted((r for r in rows if r[1] is not None), key=lambda r: (r[1], r[0]))
    empty = sorted(r[0] for r in rows if r[1] is None)
    return [r[0] for r in keyed] + empty


def _walk(paginator):
    page, seen, pages = paginator.page(), [], []
    while True:
        seen += [d.pk for d in page.object_list]
        pages.append(page)
        if not page.next_cursor:
            break
        page = paginator.page(after=page.next_cursor)
    back, page = [], pages[-1]
    while page.previous_cursor:
        page = paginator.page(before=page.previous_cursor)
        back = [d.pk for d in page.object_list] + back
    return seen, back + [d.pk for d in pages[-1].object_list]


def test_an_ascending_nullable_key_walks_keyed_rows_then_empty_ones_both_ways():
    expected = _deadline_order()
    assert Dispute.objects.filter(tier_due_at__isnull=True).exists()
    assert Dispute.objects.filter(tier_due_at__isnull=False).exists()
    paginator = KeysetPaginator(Dispute.objects.all(), key="tier_due_at", per_page=4,
                                numbered_pages=3, descending=False)
    forwards, backwards = _walk(paginator)
    assert forwards == expected and backwards == expected
    # The numbered pages (an offset) cross the seam like the cursors do.
    numbered = []
    for n in (1, 2, 3):
        numbered += [d.pk for d in paginator.page(number=n).object_list]
    assert numbered == expected[:12]
    last = paginator.page(number="last")
    assert [d.pk for d in last.object_list] == expected[-(len(expected) % 4 or 4):]


def test_an_ascending_key_reverses_the_descending_order():
    paginator = KeysetPaginator(Dispute.objects.all(), key="number", per_page=6,
                                descending=False)
    forwards, backwards = _walk(paginator)
    expected = list(Dispute.objects.order_by("number", "id").values_list("id", flat=True))
    assert forwards == expected and backwards == expected

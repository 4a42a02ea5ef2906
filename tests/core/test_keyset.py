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

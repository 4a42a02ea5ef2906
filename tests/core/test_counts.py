"""``count_each``: what each queryset's ``count()`` gives, in one query, an empty queryset
counting 0."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.counts import count_each
from disputes.models import Dispute, Party
from petitions.models import Petition

pytestmark = pytest.mark.django_db


def test_each_count_equals_its_querysets_count_in_one_query():
    querysets = {
        "open": Dispute.objects.open(),
        "closed_in_grid_1": Dispute.objects.filter(state="closed", small_grid__number=1),
        "parties_with_phone": Party.objects.exclude(phone_masked=""),
        "petitions": Petition.objects.all(),
        "nothing": Dispute.objects.none(),
        "no_grid": Dispute.objects.filter(small_grid_id__any_of=set()),
    }
    expected = {name: qs.count() for name, qs in querysets.items()}
    assert expected["open"] and expected["parties_with_phone"] and expected["petitions"]
    with CaptureQueriesContext(connection) as ctx:
        assert count_each(**querysets) == expected
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        assert count_each(a=Dispute.objects.none()) == {"a": 0}
    assert ctx.captured_queries == []


def test_head_and_count_counts_only_a_full_head():
    from core.counts import head_and_count

    cases = Dispute.objects.order_by("id")
    total = cases.count()
    assert total > 10
    with CaptureQueriesContext(connection) as ctx:
        rows, count = head_and_count(cases, 10)
    assert (len(rows), count, len(ctx.captured_queries)) == (10, total, 2)
    with CaptureQueriesContext(connection) as ctx:
        rows, count = head_and_count(cases, total + 5)
    assert (len(rows), count, len(ctx.captured_queries)) == (total, total, 1)
    assert rows == list(cases)
    with CaptureQueriesContext(connection) as ctx:
        assert head_and_count(Dispute.objects.none(), 10) == ([], 0)
    assert ctx.captured_queries == []


def test_counts_over_two_databases_are_refused():
    with pytest.raises(ValueError, match="same database"):
        count_each(here=Dispute.objects.all(), there=Dispute.objects.using("replica").all())


def test_a_page_of_an_empty_list_is_counted_and_nothing_more(django_assert_num_queries):
    from core.counts import page_of

    with django_assert_num_queries(1):  # the count
        page = page_of(Dispute.objects.filter(pk__lt=0), 50, "3")
        assert list(page) == [] and page.number == 1 and not page.has_other_pages()
    full = Dispute.objects.order_by("pk")
    page = page_of(full, 5, "2")
    assert [d.pk for d in page] == list(full.values_list("pk", flat=True)[5:10])
    assert page.number == 2 and page.paginator.count == full.count()

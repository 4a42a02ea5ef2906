"""One declaration of a ledger's sortable columns gives the accepted values (an unknown one
falls back to the default), the order with empty values last both ways, and the header
links."""

import pytest

from core.sorting import LedgerSorts, SortColumn
from disputes.models import Dispute

SORTS = LedgerSorts(columns={1: SortColumn("found_at", descending_first=True),
                             3: SortColumn("tier_due_at")}, default="-found_at")


@pytest.mark.parametrize(("value", "parsed"), [
    ("tier_due_at", "tier_due_at"), ("-tier_due_at", "-tier_due_at"), ("found_at", "found_at"),
    (None, "-found_at"), ("", "-found_at"), ("title", "-found_at"), ("--found_at", "-found_at"),
    ("-", "-found_at"), ("found_at-", "-found_at"),
])
def test_a_sort_value_is_one_of_the_columns_or_the_default(value, parsed):
    assert SORTS.parse(value) == parsed


def test_a_default_that_is_no_column_is_refused():
    with pytest.raises(ValueError):
        LedgerSorts(columns={0: SortColumn("found_at")}, default="title")


def test_the_headers_link_each_sortable_column_once_and_mark_the_order():
    cells = SORTS.headers(["序号", "发现日期", "名称", "期限"], "tier_due_at", "state=open")
    assert [c["url"] for c in cells] == [
        None, "?state=open&sort=-found_at", None, "?state=open&sort=-tier_due_at"]
    assert [c["aria_sort"] for c in cells] == [None, None, None, "ascending"]
    assert SORTS.headers(["序号", "发现日期"], "-found_at", "")[1] == {
        "label": "发现日期", "url": "?sort=found_at", "aria_sort": "descending"}


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["tier_due_at", "-tier_due_at"])
def test_the_order_puts_empty_values_last_both_ways(sort):
    ordered = list(SORTS.order(Dispute.objects.all(), sort).values_list("tier_due_at", "id"))
    keyed = [r for r in ordered if r[0] is not None]
    assert keyed and len(keyed) < len(ordered)
    assert ordered[:len(keyed)] == keyed
    assert keyed == sorted(keyed, reverse=sort.startswith("-"))


@pytest.mark.django_db
def test_a_column_without_empty_values_is_ordered_plainly_for_its_index():
    sql = str(SORTS.order(Dispute.objects.all(), "-found_at").query)
    assert "NULLS LAST" not in sql.upper()
    assert "NULLS LAST" in str(SORTS.order(Dispute.objects.all(), "-tier_due_at").query).upper()

"""``__any_of``: the same rows as ``__in``, the ids sent as one parameter on PostgreSQL, and
nothing for no ids; the scope rule narrows through it."""

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from disputes.models import Dispute
from grid.models import SmallGrid
from grid.scope import filter_small_grids

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds_through_a_key_a_join_and_an_or():
    grids = set(SmallGrid.objects.values_list("id", flat=True)[:5])
    large = set(SmallGrid.objects.filter(id__in=grids).values_list("large_grid_id", flat=True))
    for any_of, in_ in [
        (Q(small_grid_id__any_of=grids), Q(small_grid_id__in=grids)),
        (Q(small_grid__any_of=grids), Q(small_grid__in=grids)),
        (Q(small_grid__large_grid_id__any_of=large), Q(small_grid__large_grid_id__in=large)),
        (Q(handler_id__any_of=set()) | Q(small_grid_id__any_of=grids),
         Q(small_grid_id__in=grids)),
    ]:
        expected = set(Dispute.objects.filter(in_).values_list("id", flat=True))
        assert set(Dispute.objects.filter(any_of).values_list("id", flat=True)) == expected
        assert expected
    assert not Dispute.objects.filter(small_grid_id__any_of=set()).exists()
    assert Dispute.objects.exclude(small_grid_id__any_of=set()).count() == Dispute.objects.count()


def test_the_ids_are_one_parameter_on_postgresql(leader):
    with CaptureQueriesContext(connection) as ctx:
        list(filter_small_grids(Dispute.objects.all(), leader, "small_grid_id")[:1])
    sql = ctx.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert '"small_grid_id" = ANY(ARRAY[' in sql
    else:
        assert '"small_grid_id" IN (' in sql

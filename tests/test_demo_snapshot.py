"""The demo put back after a transactional test is the demo as loaded: every table's rows
the same, the kept figures agreeing with a full count, new rows getting fresh ids."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import requires_postgres
from tests.demo_snapshot import SNAPSHOT


def _counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.django_table_names(
                only_existing=True, include_views=False)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_the_demo_comes_back_whole_after_a_flush(demo_committed):
    from disputes.models import Dispute
    from grid.models import Town

    assert SNAPSHOT.taken, "the session keeps a copy of the demo's rows"
    before = _counts()
    highest = Dispute.objects.order_by("-pk").values_list("pk", flat=True).first()
    call_command("flush", interactive=False, verbosity=0)
    assert not Town.objects.exists()
    assert SNAPSHOT.restore()
    assert _counts() == before
    call_command("recount_figures", "--check", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    from tests.disputes.factories import make_dispute

    gm01 = get_user_model().objects.get(username="gm01")
    assert make_dispute(by=gm01).pk > highest  # sequences never go back

"""``manage.py benchmark --json`` measures every screen per role beside its minimal SQL."""

import io
import json

import pytest
from django.core.management import call_command

from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db]


def test_the_benchmark_prints_each_screen_with_its_sql_and_ratio_as_json():
    out = io.StringIO()
    call_command("benchmark", "--repeat", "1", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    screens = {(r["screen"], r["role"]) for r in rows}
    assert ("dispute ledger, last page", "county") in screens
    assert ("deadline alerts sweep, repeat", "system") in screens
    first = next(r for r in rows if r["screen"].startswith("deadline alerts sweep, first run"))
    assert first["queries"] < 100
    reporting = {r["screen"]: r for r in rows if r["screen"].startswith(("statistics", "county"))}
    assert {"county roll-up page", "county sheet .xlsx"} <= set(reporting)
    year = next(r for label, r in reporting.items() if label.startswith("statistics report"))
    assert year["queries"] == 2 and year["median_ms"] > 0
    for screen in ("header search: phone", "header search: name", "ledger sorted by deadline",
                   "ledger sorted by deadline, last page"):
        assert (screen, "leader") in screens
    ledger = next(r for r in rows if r["screen"] == "dispute ledger, page 1")
    assert ledger["raw_ms"] > 0 and ledger["ratio"] > 0 and ledger["queries"] > 0
    assert ledger["p95_ms"] >= ledger["median_ms"]
    export = next(r for r in rows if r["screen"].startswith("ledger .xlsx export"))
    assert export["rows_per_s"] > 0 and export["bytes"] > 0
    for screen in ("petitions ledger, page 1", "petitions ledger, last page",
                   "notice ledger, page 1", "notice ledger, last page"):
        for role in ("leader", "county"):
            row = next(r for r in rows if (r["screen"], r["role"]) == (screen, role))
            assert row["raw_ms"] > 0 and row["ratio"] > 0 and row["queries"] > 0

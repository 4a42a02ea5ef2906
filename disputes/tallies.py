"""The figures' summary rows (``DisputeTally``, ``DisputeMonthTally``, ``DisputeDueTally``):
kept by triggers, read by the headline and the dashboard, rebuilt by ``recount``.

The triggers add the rows a statement wrote and subtract those it replaced, grouped by the
tally's key, in the statement's own transaction: a case moved by a service, edited in the
admin or loaded in bulk is counted the moment it commits, and a rolled-back change never was.
On PostgreSQL they are statement-level triggers over transition tables (one upsert per
statement, whatever the rows); on SQLite, row-level ones.

What a figure means is decided here, once, from the states' own mappings in
``disputes.states``: a state added there is counted by the triggers without a change, and
belongs to "open" or "resolved" where ``OPEN_STATES`` and ``RESOLVED_STATES`` say.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, Sum

from .states import TIERS, DisputeState

# Resolved by mediation, closed since or not (the same rule as DisputeQuerySet.resolved_q).
RESOLVED_STATES = [DisputeState.RESOLVED, DisputeState.CLOSED]
# Figures leave out cases entered in error (DisputeQuerySet.counted).
NOT_COUNTED = DisputeState.VOIDED

KEY = ("town_id", "small_grid_id", "state", "resolved_tier")
MONTH_KEY = ("town_id", "measure", "month", "category")
DUE_KEY = ("town_id", "measure", "month", "small_grid_id")


def _month(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return (f"date_trunc('month', {column} AT TIME ZONE '{settings.TIME_ZONE}')::date")
    offset = zoneinfo.ZoneInfo(settings.TIME_ZONE).utcoffset(datetime.datetime(2026, 1, 1))
    hours = int(offset.total_seconds() // 3600)
    return f"date({column}, '{hours:+d} hours', 'start of month')"


def _state_rows(source: str, sign: str) -> str:
    return f"SELECT {', '.join(KEY)}, {sign} AS d FROM {source}"


def _month_rows(source: str, sign: str, vendor: str) -> str:
    voided = NOT_COUNTED.value
    return (f"SELECT town_id, 'found' AS measure, {_month('found_at', vendor)} AS month, "
            f"category, {sign} AS d FROM {source} WHERE state <> '{voided}' "
            f"UNION ALL SELECT town_id, 'resolved', {_month('resolved_at', vendor)}, category, "
            f"{sign} FROM {source} WHERE state <> '{voided}' AND resolved_at IS NOT NULL")


def _due_rows(source: str, sign: str, vendor: str) -> str:
    """Open cases by the month (Asia/Shanghai) their current tier's deadline falls in
    (``tier``) and the month of the whole case's time limit (``mediation``): what the
    dashboard's overdue counts read for the months before this one."""
    from .states import OPEN_STATES

    open_states = ", ".join(f"'{state.value}'" for state in OPEN_STATES)
    mediation_month = ("date_trunc('month', mediation_due)::date" if vendor == "postgresql"
                       else "date(mediation_due, 'start of month')")
    return (f"SELECT town_id, 'tier' AS measure, {_month('tier_due_at', vendor)} AS month, "
            f"small_grid_id, {sign} AS d FROM {source} "
            f"WHERE state IN ({open_states}) AND tier_due_at IS NOT NULL "
            f"UNION ALL SELECT town_id, 'mediation', {mediation_month}, small_grid_id, {sign} "
            f"FROM {source} WHERE state IN ({open_states}) AND mediation_due IS NOT NULL")


# Each summary table: its key and the rows one case contributes (for a source of cases).
TALLIES = {
    "disputes_disputetally": (KEY, lambda source, sign, vendor: _state_rows(source, sign)),
    "disputes_disputemonthtally": (MONTH_KEY, _month_rows),
    "disputes_disputeduetally": (DUE_KEY, _due_rows),
}
# The tables migration 0003 created its triggers for (a later migration adds the rest).
FIRST_TALLIES = ("disputes_disputetally", "disputes_disputemonthtally")


def _upsert(table: str, key, rows_sql: str) -> str:
    # In the key's order: two statements that move cases between the same two rows (one case
    # from November's deadlines to December's, another back) lock them in the same order, so
    # neither waits for the other in a cycle (a deadlock PostgreSQL would end by failing one).
    cols = ", ".join(key)
    return (f"INSERT INTO {table} AS t ({cols}, n) SELECT {cols}, sum(d) FROM ({rows_sql}) s "
            f"GROUP BY {cols} HAVING sum(d) <> 0 ORDER BY {cols} "
            f"ON CONFLICT ({cols}) DO UPDATE SET n = t.n + EXCLUDED.n")


def _sqlite_upsert(sql: str, table: str) -> str:
    # SQLite's upsert needs a WHERE after a SELECT source, and takes no table alias.
    return (sql.replace(" AS t ", " ").replace("t.n", f"{table}.n")
            .replace(") s ", ") s WHERE true "))


def _apply(sources, vendor: str, tables) -> str:
    """One upsert a summary table, adding the rows of each (source, sign)."""
    statements = []
    for table in tables:
        key, rows = TALLIES[table]
        sql = _upsert(table, key, " UNION ALL ".join(rows(s, sign, vendor)
                                                    for s, sign in sources))
        statements.append(_sqlite_upsert(sql, table) if vendor == "sqlite" else sql)
    return ";\n".join(statements) + ";"


def _pg_function(tables) -> str:
    def both(sources):
        return _apply(sources, "postgresql", tables)
    return f"""
CREATE OR REPLACE FUNCTION disputes_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {both([("new_rows", "1")])}
  ELSIF TG_OP = 'UPDATE' THEN
    {both([("old_rows", "-1"), ("new_rows", "1")])}
  ELSE
    {both([("old_rows", "-1")])}
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER disputes_tally_insert AFTER INSERT ON disputes_dispute
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION disputes_tally_apply();
CREATE TRIGGER disputes_tally_update AFTER UPDATE ON disputes_dispute
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION disputes_tally_apply();
CREATE TRIGGER disputes_tally_delete AFTER DELETE ON disputes_dispute
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION disputes_tally_apply();
"""


def _sqlite_statements(tables) -> list[str]:
    def row(alias, sign):
        # A one-row source: the trigger's OLD or NEW row as a subquery.
        cols = ("town_id, small_grid_id, state, resolved_tier, category, found_at, resolved_at,"
                " tier_due_at, mediation_due")
        return f"(SELECT {', '.join(f'{alias}.{c.strip()} AS {c.strip()}' for c in cols.split(','))})", sign

    def body(sources):
        return _apply(sources, "sqlite", tables)
    return [
        f"CREATE TRIGGER disputes_tally_insert AFTER INSERT ON disputes_dispute BEGIN "
        f"{body([row('NEW', '1')])} END",
        f"CREATE TRIGGER disputes_tally_update AFTER UPDATE ON disputes_dispute BEGIN "
        f"{body([row('OLD', '-1'), row('NEW', '1')])} END",
        f"CREATE TRIGGER disputes_tally_delete AFTER DELETE ON disputes_dispute BEGIN "
        f"{body([row('OLD', '-1')])} END",
    ]


def install_triggers(schema_editor, tables=tuple(TALLIES)) -> None:
    """Create the triggers keeping ``tables`` (a migration's forward step) and count them."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_pg_function(tables))
    elif vendor == "sqlite":
        for statement in _sqlite_statements(tables):
            schema_editor.execute(statement)
    recount(using=schema_editor.connection, tables=tables)


def drop_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for name in ("insert", "update", "delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS disputes_tally_{name}"
                              + (" ON disputes_dispute" if vendor == "postgresql" else ""))
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS disputes_tally_apply()")


def _recount_sql(vendor: str, tables) -> list[str]:
    return ([f"DELETE FROM {table}" for table in tables]
            + _apply([("disputes_dispute", "1")], vendor, tables).rstrip(";").split(";\n"))


def recount(using=None, tables=tuple(TALLIES)) -> None:
    """Rebuild the tallies from the cases, in one transaction (readers see the old rows until
    it commits)."""
    conn = using or connection
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # The rebuild must not race a case being written meanwhile.
            cursor.execute("LOCK TABLE disputes_dispute IN SHARE MODE")
        for sql in _recount_sql(conn.vendor, tables):
            cursor.execute(sql)


def differences() -> list[tuple]:
    """Where the tallies and a full count of the cases disagree: (table, key, kept, counted);
    empty when they agree."""
    vendor = connection.vendor
    out = []
    with connection.cursor() as cursor:
        for table, (key, rows_of) in TALLIES.items():
            rows = rows_of("disputes_dispute", "1", vendor)
            cols = ", ".join(key)
            cursor.execute(f"SELECT {cols}, sum(d) FROM ({rows}) s GROUP BY {cols}")
            counted = {tuple(str(v) for v in r[:-1]): r[-1] for r in cursor.fetchall()}
            cursor.execute(f"SELECT {cols}, n FROM {table} WHERE n <> 0")
            kept = {tuple(str(v) for v in r[:-1]): r[-1] for r in cursor.fetchall()}
            for k in sorted(set(counted) | set(kept)):
                if counted.get(k, 0) != kept.get(k, 0):
                    out.append((table, k, kept.get(k, 0), counted.get(k, 0)))
    return out


# --- Reading the figures ------------------------------------------------------------------

def state_counts(*, town_ids=None, small_grid_ids=None, large_grid_id=None) -> dict:
    """{(state, resolved_tier): n} over the given towns and small grids (either or both;
    neither: everywhere), within ``large_grid_id`` if given.

    A town is read by its id rather than by its sixty small grids': a county's 480 ids cost
    PostgreSQL 4 ms to test against each summary row, its eight towns 0.5 ms."""
    from .models import DisputeTally

    qs = DisputeTally.objects.all()
    if town_ids is not None or small_grid_ids is not None:
        qs = qs.filter(Q(town_id__in=town_ids or ()) | Q(small_grid_id__in=small_grid_ids or ()))
    if large_grid_id is not None:
        qs = qs.filter(small_grid__large_grid_id=large_grid_id)
    return {(r["state"], r["resolved_tier"]): r["total"] for r in
            qs.values("state", "resolved_tier").annotate(total=Sum("n")).order_by()}


def headline_from(counts: dict) -> dict:
    """The Fengqiao headline from state counts: resolved at each tier, referred, terminated
    without agreement (apart from referrals), open, total (every case but those voided)."""
    from .states import OPEN_STATES

    def total(pred):
        return sum(n for (state, tier), n in counts.items() if pred(state, tier))

    tiers = [{"tier": t.value, "label": t.label,
              "resolved": total(lambda s, r, t=t: s in RESOLVED_STATES and r == t.value)}
             for t in TIERS]
    return {"tiers": tiers, "resolved": sum(row["resolved"] for row in tiers),
            "referred": total(lambda s, r: s == DisputeState.REFERRED),
            "terminated": total(lambda s, r: s == DisputeState.TERMINATED),
            "open": total(lambda s, r: s in OPEN_STATES),
            "total": total(lambda s, r: s != NOT_COUNTED)}


def state_counts_by(*, town_ids, by: tuple) -> dict:
    """{(*by, state, resolved_tier): n} over ``town_ids``, ``by`` e.g. ``("town_id",)``."""
    from .models import DisputeTally

    return {(*(r[b] for b in by), r["state"], r["resolved_tier"]): r["total"] for r in
            DisputeTally.objects.filter(town_id__in=town_ids)
            .values(*by, "state", "resolved_tier").annotate(total=Sum("n")).order_by()}


def open_by_large_grid(*, town_ids) -> dict[int, int]:
    """{large grid id: open cases} over ``town_ids``, summed in the database (one row a
    large grid, not one a small grid, state and tier)."""
    from .models import DisputeTally
    from .states import OPEN_STATES

    return dict(DisputeTally.objects.filter(town_id__in=town_ids, state__in=OPEN_STATES)
                .values_list("small_grid__large_grid_id").annotate(total=Sum("n")).order_by())


def month_counts(*, town_ids, first: datetime.date, last_exclusive: datetime.date) -> dict:
    """{(measure, month, category): n} for the months from ``first`` up to ``last_exclusive``,
    summed over ``town_ids`` in one read: the dashboard's trend, type chart and month's total
    from the same rows."""
    from .models import DisputeMonthTally

    rows = (DisputeMonthTally.objects.filter(town_id__in=town_ids, month__gte=first,
                                             month__lt=last_exclusive)
            .values_list("measure", "month", "category").annotate(total=Sum("n")).order_by())
    return {(measure, month, category): n for measure, month, category, n in rows}


def month_series(*, town_ids, first: datetime.date, last_exclusive: datetime.date) -> dict:
    """{(measure, month): n} for the months from ``first`` up to ``last_exclusive``."""
    from .models import DisputeMonthTally

    rows = (DisputeMonthTally.objects.filter(town_id__in=town_ids, month__gte=first,
                                             month__lt=last_exclusive)
            .values("measure", "month").annotate(total=Sum("n")).order_by())
    return {(r["measure"], r["month"]): r["total"] for r in rows}


def due_before(*, town_ids, month: datetime.date, names: dict[str, str]):
    """Per town and small grid, the open cases whose deadline fell in a month before that of
    ``month``: a values queryset of (town_id, small_grid_id, measure, n), the measure named
    by ``names`` (``{"tier": …, "mediation": …}``), to be joined (``union``) with the live
    count of this month's."""
    from django.db.models import Case, CharField, Value, When

    from .models import DisputeDueTally

    return (DisputeDueTally.objects.filter(town_id__in=town_ids, measure__in=list(names),
                                           month__lt=month.replace(day=1))
            .values("town_id", "small_grid_id").order_by()
            .annotate(measure=Case(*(When(measure=kept, then=Value(name))
                                     for kept, name in names.items()),
                                   output_field=CharField()),
                      n=Sum("n")))

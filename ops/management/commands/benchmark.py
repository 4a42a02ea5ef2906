"""``python manage.py benchmark``: time each screen per role on the current database (the demo
town after ``load_demo``, or a county from ``generate_county``) beside the minimal SQL for the
same screen, timed in the same run.

For each screen and role: the median and 95th percentile of ``--repeat`` runs, the queries
of one run, the median of the hand-written SQL that gets the same rows (page ids and count,
then the joins for those rows) and the ratio of the two. ``--json`` prints the rows as JSON.
Speed targets live here, not in timed tests.
"""

from __future__ import annotations

import json
import resource
import statistics
import time

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import urlencode

from ops.reporting_benchmark import reporting_entries


def quote(**params) -> str:
    return urlencode(params)


ROW_SQL = """
SELECT d.id, d.number, d.found_at, d.title, d.category, d.risk_level, d.state, d.tier_due_at,
       d.outcome, d.referred_to, d.ended_reason, sg.name, lg.name, lg.id, h.name
FROM disputes_dispute d JOIN grid_smallgrid sg ON sg.id = d.small_grid_id
JOIN grid_largegrid lg ON lg.id = sg.large_grid_id LEFT JOIN grid_staff h ON h.id = d.handler_id
WHERE d.id = ANY(%s)"""


DETAIL_SQL = [
    ROW_SQL.replace("WHERE d.id = ANY(%s)", "WHERE d.id = %s").replace(
        "FROM disputes_dispute d", "FROM disputes_dispute d LEFT JOIN disputes_mediationagreement a"
        " ON a.dispute_id = d.id").replace("SELECT d.id,", "SELECT d.*, a.*, d.id,"),
    "SELECT * FROM disputes_party WHERE dispute_id = %s ORDER BY id",
    "SELECT e.*, u.username, s.name FROM disputes_disputeevent e"
    " LEFT JOIN auth_user u ON u.id = e.actor_id LEFT JOIN grid_staff s ON s.id = e.handler_id"
    " WHERE e.dispute_id = %s ORDER BY e.created_at, e.id",
    "SELECT m.*, r.name, array(SELECT st.name FROM disputes_mediationsession_mediators mm"
    " JOIN grid_staff st ON st.id = mm.staff_id WHERE mm.mediationsession_id = m.id)"
    " FROM disputes_mediationsession m LEFT JOIN grid_room r ON r.id = m.room_id"
    " WHERE m.dispute_id = %s ORDER BY m.held_at",
    "SELECT f.*, s.name FROM disputes_followupvisit f LEFT JOIN grid_staff s"
    " ON s.id = f.visitor_id WHERE f.dispute_id = %s",
    "SELECT * FROM disputes_attachment WHERE dispute_id = %s",
    "SELECT * FROM disputes_policereport WHERE dispute_id = %s",
    "SELECT * FROM disputes_disputereferral WHERE dispute_id = %s",
    "SELECT * FROM disputes_disputeavertedrisk WHERE dispute_id = %s",
]

PETITION_ROW_SQL = """
SELECT p.id, p.number, p.received_on, p.form, p.kind, p.subject, p.state, p.people_count,
       p.accept_due, p.reply_due, p.reply_result, p.close_reason, p.evaluation,
       p.national_number, p.docked_dispute_id, p.repeat_of_id, sg.name, lg.name, h.name, a.name
FROM petitions_petition p JOIN grid_smallgrid sg ON sg.id = p.small_grid_id
JOIN grid_largegrid lg ON lg.id = sg.large_grid_id LEFT JOIN grid_staff h ON h.id = p.handler_id
LEFT JOIN grid_staff a ON a.id = p.proxy_agent_id
WHERE p.id = ANY(%s)"""

NOTICE_ROW_SQL = """
SELECT n.id, n.number, n.kind, n.title, n.urgency, n.state, n.deadline, n.created_at, t.name,
       l.name, r.name, i.name
FROM supervision_supervisionnotice n JOIN grid_town t ON t.id = n.town_id
JOIN grid_staff l ON l.id = n.leader_in_charge_id JOIN grid_staff r ON r.id = n.responsible_id
LEFT JOIN grid_staff i ON i.id = n.issuer_id
WHERE n.id = ANY(%s)"""


def _raw_ledger_page(*, table, where, args, order, rows_sql, children):
    """The minimal SQL of one ledger page: the bounded count, the page's ids in the ledger's
    order, the rows with their joins, then each ``(table, fk)`` of ``children`` for them."""
    def run():
        with connection.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} {where} LIMIT 10001) c",
                        args)
            cur.execute(f"SELECT id FROM {table} {where} ORDER BY {order} LIMIT 50", args)
            ids = [r[0] for r in cur.fetchall()]
            cur.execute(rows_sql, [ids])
            cur.fetchall()
            for child, fk in children:
                cur.execute(f"SELECT * FROM {child} WHERE {fk} = ANY(%s)", [ids])
                cur.fetchall()
    return run


def _screen_call(client, label: str, url: str):
    """The request a screen's row times: a "…, computed" screen first empties the kept
    dashboard figures (cadence.selectors.dashboard_kept), so it times their computation."""
    if label.endswith(", computed"):
        def call():
            caches["figures"].clear()
            return client.get(url)
    else:
        def call():
            return client.get(url)
    return call


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "打印各页面、导出和汇总的耗时、查询数及与最简 SQL 的比值。Time screens against minimal SQL."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--users", default="leader,county",
                            help="comma-separated usernames: one role each")
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--no-export", action="store_true",
                            help="skip the full .xlsx export (long on a large county)")

    def handle(self, *args, repeat, users, json, no_export, **options):
        from disputes.models import Dispute
        from grid.scope import scope_for_user

        self.repeat = repeat
        rows = []
        for username in [u for u in users.split(",") if u]:
            user = get_user_model().objects.get(username=username)
            scope = scope_for_user(user)
            grids = None if scope.is_global else sorted(scope.small_grid_ids)
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(user)
            dispute = (Dispute.objects.filter(small_grid_id__in=grids) if grids is not None
                       else Dispute.objects.all()).order_by("-id").first()
            rows += self._screens(username, client, grids, dispute)
            rows += self._case_ledgers(username, client, grids, scope)
            if not no_export:
                rows.append(self._export(username, user, grids))
        rows += self._sweeps()
        rows += self._entries(reporting_entries())
        if json:
            self.stdout.write(_json_dumps(rows))
        else:
            self._table(rows)

    # --- Screens ---------------------------------------------------------------------------

    def _screens(self, role, client, grids, dispute):
        where = "WHERE small_grid_id = ANY(%s)" if grids is not None else ""
        args = [grids] if grids is not None else []

        def raw_page(order, extra=""):
            def run():
                with connection.cursor() as cur:
                    cur.execute(f"SELECT count(*) FROM (SELECT 1 FROM disputes_dispute {where}"
                                f" {('AND ' if where else 'WHERE ') + extra if extra else ''}"
                                f" LIMIT 10001) c", args)
                    cur.execute(f"SELECT id FROM disputes_dispute {where}"
                                f" {('AND ' if where else 'WHERE ') + extra if extra else ''}"
                                f" ORDER BY {order} LIMIT 50", args)
                    ids = [r[0] for r in cur.fetchall()]
                    cur.execute(ROW_SQL, [ids])
                    cur.fetchall()
                    cur.execute("SELECT * FROM disputes_party WHERE dispute_id = ANY(%s)", [ids])
                    cur.fetchall()
            return run

        def raw_detail():
            # What the case page shows of the case: the row with its grid, handler and
            # agreement, the parties, the history with who did it, the sessions with their
            # mediators, the follow-ups, attachments, police reports, referrals and averted
            # risks: one query each, as a hand-written page would read them.
            with connection.cursor() as cur:
                for sql in DETAIL_SQL:
                    cur.execute(sql, [dispute.pk])
                    cur.fetchall()

        def raw_dashboard():
            with connection.cursor() as cur:
                cur.execute("SELECT state, resolved_tier, sum(n) FROM disputes_disputetally"
                            + (" WHERE small_grid_id = ANY(%s)" if grids is not None else "")
                            + " GROUP BY 1, 2", args)
                cur.fetchall()

        middle = self._cursor_at(grids)
        terms = self._search_terms(dispute)
        screens = [
            ("dispute ledger, page 1", "/disputes/", raw_page("found_at DESC, id DESC")),
            ("dispute ledger, filtered", "/disputes/?state=closed",
             raw_page("found_at DESC, id DESC", "state = 'closed'")),
            ("dispute ledger, deep page", f"/disputes/?after={middle}",
             raw_page("found_at DESC, id DESC")),
            ("dispute ledger, last page", "/disputes/?page=last",
             raw_page("found_at ASC, id ASC")),
            ("disputes API, page 1", "/api/v1/disputes/", raw_page("found_at DESC, id DESC")),
            ("disputes API, last page", "/api/v1/disputes/?page=last",
             raw_page("found_at ASC, id ASC")),
            ("case page", f"/disputes/{dispute.pk}/" if dispute else None, raw_detail),
            ("disputes API, detail", f"/api/v1/disputes/{dispute.pk}/" if dispute else None,
             raw_detail),
            ("dispute queue", "/disputes/queue/", None),
            # The dashboard's figures are computed once a minute for a set of towns
            # (cadence.selectors.dashboard_kept): the first visit of the minute computes them,
            # the others read them.
            ("home (dashboard), computed", "/", raw_dashboard),
            ("home (dashboard), figures kept", "/", raw_dashboard),
            ("ledger print view", "/disputes/print/", None),
            ("ledger sorted by deadline", "/disputes/?sort=tier_due_at",
             raw_page("tier_due_at ASC, id ASC", "tier_due_at IS NOT NULL")),
            ("ledger sorted by deadline, last page", "/disputes/?sort=tier_due_at&page=last",
             raw_page("id DESC", "tier_due_at IS NULL")),
            ("ledger search (a party's name)", f"/disputes/?{quote(q=terms['name'])}", None),
            ("header search: phone", f"/search/?format=json&{quote(q=terms['phone'])}", None),
            ("header search: name", f"/search/?format=json&{quote(q=terms['name'])}", None),
            ("header search: surname", f"/search/?format=json&{quote(q=terms['surname'])}",
             None),
            ("header search: title text", f"/search/?format=json&{quote(q=terms['text'])}",
             None),
            ("header search: number", f"/search/?format=json&{quote(q=terms['number'])}",
             None),
            ("Fengqiao headline API", "/api/v1/disputes/fengqiao/", raw_dashboard),
        ]
        rows = []
        for label, url, raw in screens:
            if url is None:
                continue
            row = self._measure(label, role, _screen_call(client, label, url))
            if raw is not None:
                raw_ms = self._measure("raw", role, raw)["median_ms"]
                row["raw_ms"] = raw_ms
                row["ratio"] = round(row["median_ms"] / raw_ms, 1) if raw_ms else None
            rows.append(row)
        return rows

    def _case_ledgers(self, role, client, grids, scope):
        """The petitions ledger and the notice ledger, page 1 and the last page, beside their
        minimal SQL: petitions scoped by small grid and ordered by the day received, notices
        by the towns the user covers whole and ordered by the day issued."""
        p_where = "WHERE small_grid_id = ANY(%s)" if grids is not None else ""
        p_args = [grids] if grids is not None else []
        towns = None if scope.is_global else sorted(scope.full_town_ids)
        n_where = "WHERE town_id = ANY(%s)" if towns is not None else ""
        n_args = [towns] if towns is not None else []

        def petitions(order):
            return _raw_ledger_page(table="petitions_petition", where=p_where, args=p_args,
                                    order=order, rows_sql=PETITION_ROW_SQL,
                                    children=[("petitions_petitioner", "petition_id")])

        def notices(order):
            return _raw_ledger_page(
                table="supervision_supervisionnotice", where=n_where, args=n_args,
                order=order, rows_sql=NOTICE_ROW_SQL,
                children=[("supervision_supervisionnotice_target_large_grids",
                           "supervisionnotice_id")])

        screens = [
            ("petitions ledger, page 1", "/petitions/", petitions("received_on DESC, id DESC")),
            ("petitions ledger, last page", "/petitions/?page=last",
             petitions("received_on ASC, id ASC")),
            ("notice ledger, page 1", "/supervision/", notices("created_at DESC, id DESC")),
            ("notice ledger, last page", "/supervision/?page=last",
             notices("created_at ASC, id ASC")),
        ]
        rows = []
        for label, url, raw in screens:
            row = self._measure(label, role, _screen_call(client, label, url))
            raw_ms = self._measure("raw", role, raw)["median_ms"]
            row["raw_ms"] = raw_ms
            row["ratio"] = round(row["median_ms"] / raw_ms, 1) if raw_ms else None
            rows.append(row)
        return rows

    def _search_terms(self, dispute):
        """What a user would type, taken from the newest case in the scope: a party's phone
        (exact, through the hash), the party's name, two characters of it, a piece of the
        title, the end of the number."""
        party = dispute.parties.exclude(phone="").first() if dispute else None
        name = party.name if party else "张伟"
        return {"phone": party.phone if party else "13800000000", "name": name,
                "surname": name[:2], "text": dispute.title[-4:] if dispute else "纠纷",
                "number": dispute.number[-8:] if dispute else "2026"}

    def _cursor_at(self, grids):
        """A cursor half-way down the ledger (the deep page's start)."""
        from core.keyset import encode_cursor
        from disputes.models import Dispute

        qs = Dispute.objects.all() if grids is None else Dispute.objects.filter(
            small_grid_id__in=grids)
        total = qs.count()
        row = qs.order_by("-found_at", "-id").values("found_at", "id")[total // 2: total // 2
                                                                          + 1].first()
        return encode_cursor(row["found_at"], row["id"], total // 2) if row else ""

    def _export(self, role, user, grids):
        """The whole scope's ledger written as the worker writes a large export
        (``disputes.selectors.ledger_export_file``): rows per second and peak memory."""
        from disputes.models import Dispute
        from disputes.selectors import ledger_export_file

        n = (Dispute.objects.all() if grids is None
             else Dispute.objects.filter(small_grid_id__in=grids)).count()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            out, _name = ledger_export_file(user=user, query="")
            with out:
                size = out.seek(0, 2)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return {"screen": f"ledger .xlsx export ({n} rows)", "role": role,
                "median_ms": round(seconds * 1000, 1), "p95_ms": round(seconds * 1000, 1),
                "queries": len(ctx.captured_queries), "rows_per_s": round(n / seconds),
                "bytes": size, "peak_rss_mb": round(peak / 1024, 1),
                "rss_growth_mb": round((peak - before) / 1024, 1)}

    # --- Sweeps ----------------------------------------------------------------------------

    def _sweeps(self):
        from cadence.services import daily_sweep, monthly_sweep, weekly_sweep
        from grid.models import Town
        from supervision.services import deadline_alerts_sweep

        town = Town.objects.order_by("id").first()
        rows = []
        for label, call in (
            ("daily sweep (one town)", lambda: daily_sweep(town=town)),
            ("weekly sweep (one town)", lambda: weekly_sweep(town=town)),
            ("monthly sweep (one town)", lambda: monthly_sweep(town=town)),
        ):
            rows.append(self._measure(label, "system", call))
        # The deadline alerts' first run sends everything due at once; the repeats read only
        # what is new: both are shown.
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            sent = deadline_alerts_sweep()
            first_ms = (time.perf_counter() - start) * 1000
        rows.append({"screen": f"deadline alerts sweep, first run ({sent} alerts)",
                     "role": "system", "median_ms": round(first_ms, 1),
                     "p95_ms": round(first_ms, 1), "queries": len(ctx.captured_queries)})
        rows.append(self._measure("deadline alerts sweep, repeat", "system",
                                  deadline_alerts_sweep))
        return rows

    def _entries(self, entries):
        """Time each (label, role, call) of another app's list, like a screen."""
        return [self._measure(label, role, call) for label, role, call in entries]

    # --- Measuring and printing ------------------------------------------------------------

    def _measure(self, label, role, call):
        """``call`` once to count its queries (and warm the caches), then ``--repeat`` times
        untimed by anything else: recording the queries costs time of its own (each one's
        SQL written out), so the timed runs record none."""
        def run():
            result = call()
            if getattr(result, "streaming", False):
                for _chunk in result.streaming_content:
                    pass
            status = getattr(result, "status_code", 200)
            if status >= 400:
                raise SystemExit(f"HTTP {status} from {label} ({role})")

        # A request empties the query log when it starts (``request_started``): start the
        # count from an empty log, so that the request's own queries are what is counted.
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            run()
        queries = len(ctx.captured_queries)  # now: the next request empties the log
        times = []
        for _ in range(self.repeat):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        return {"screen": label, "role": role, "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(_percentile(times, 0.95), 1),
                "queries": queries}

    def _table(self, rows):
        width = max(len(r["screen"]) for r in rows)
        self.stdout.write(f"{'screen':<{width}}  {'role':<8} {'median ms':>10} {'p95 ms':>9}"
                          f" {'queries':>8} {'raw ms':>8} {'ratio':>6}")
        for r in rows:
            raw = f"{r['raw_ms']:>8.1f}" if "raw_ms" in r else f"{'':>8}"
            ratio = f"{r['ratio']:>5}×" if r.get("ratio") else f"{'':>6}"
            self.stdout.write(f"{r['screen']:<{width}}  {r['role']:<8} {r['median_ms']:>10.1f}"
                              f" {r['p95_ms']:>9.1f} {r['queries']:>8} {raw} {ratio}")
            if "rows_per_s" in r:
                self.stdout.write(f"{'':<{width}}  {r['rows_per_s']} rows/s, peak RSS "
                                  f"{r['peak_rss_mb']} MB (+{r['rss_growth_mb']} MB)")


def _json_dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)

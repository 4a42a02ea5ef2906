"""A generated county for measuring: towns cloned from the demo town's shape and cases by the
hundred thousand, written set-based (``INSERT … SELECT generate_series``) on PostgreSQL.

Every invariant the application relies on holds for the generated rows: numbers are unique per
town and year and follow the ``TownSequence`` rows (advanced past them), each state carries its
stamps (an open case its tier's start and deadline, a resolved one its tier and time, a closed
one its follow-up, a referred one its target and tier), each case has the handler the routing
would give it, two parties, a query code (``ops.county.codes``) and the history rows of the
transitions it went through; resolved and closed cases have their agreement and a mediation
session. Cases are found at an even rate over the years. A case is open only while the month
the law gives its mediation runs (it ends 1 to 21 days after it was found), or when it is in
the small overdue backlog of the last quarter (``LATE_SHARE``): over three years, about one
case in a hundred is open. Beside the disputes: petitions (``ops.county.petitions``, about
one per ten cases, some docked to a generated dispute) and supervision notices
(``ops.county.notices``, about one per two hundred), under the same invariants.
"""

from __future__ import annotations

import json
import time

from django.db import connection, transaction
from django.utils import timezone

from core import crypto
from core.masking import mask_phone
from disputes.models import TownDisputeSettings
from disputes.services.routing import eligible_mediators, handler_for
from disputes.states import DEFAULT_TIER_DAYS, TIERS, DisputeState
from grid.models import (
    GovernanceCentre,
    Household,
    LargeGrid,
    MediationCommittee,
    Role,
    RoleAssignment,
    Room,
    ServiceWindow,
    SmallGrid,
    Staff,
    Town,
)
from grid.selectors import role_holder, town_cadres
from petitions.services.intake import default_proxy

from . import notices as notice_sql
from . import petitions as petition_sql
from .codes import draw_codes

# Models cloned per town, in an order where every foreign key points to a row already cloned.
# Each entry: the model, the path from it to the town, the foreign keys to remap.
CLONED = [
    (LargeGrid, "town", ["town"]),
    (SmallGrid, "large_grid__town", ["large_grid"]),
    (Household, "small_grid__large_grid__town", ["small_grid"]),
    (MediationCommittee, "town", ["town", "large_grid"]),
    (GovernanceCentre, "town", ["town", "large_grid"]),
    (ServiceWindow, "centre__town", ["centre"]),
    (Room, "centre__town", ["centre"]),
    (Staff, "town", ["town"]),
    (RoleAssignment, "staff__town", ["staff", "town", "committee", "large_grid", "small_grid",
                                     "household"]),
    (TownDisputeSettings, "town", ["town"]),
]

TOWN_NAMES = ["锦屏", "新窑", "柏树", "赤城", "黄花", "木林", "铜城", "九功", "安口", "新集",
              "崆峒", "白水", "草峰", "西阳", "华亭", "马峡", "策底", "上关", "河西", "砚峡"]


def _clone_town(demo: Town, index: int) -> Town:
    """A new town with the demo town's organisation, its staff without logins."""
    short = TOWN_NAMES[index % len(TOWN_NAMES)] + (str(index // len(TOWN_NAMES))
                                                   if index >= len(TOWN_NAMES) else "")
    town = Town.objects.create(county=demo.county, name=f"{short}镇", short_name=short,
                               code=f"{demo.code}-{index:03d}")
    maps = {Town: {demo.pk: town.pk}}
    for model, path, fks in CLONED:
        rows = list(model.objects.filter(**{path: demo}).order_by("pk"))
        old_ids = [r.pk for r in rows]
        for row in rows:
            row.pk = None
            for fk in fks:
                field = model._meta.get_field(fk)
                old = getattr(row, field.attname)
                if old is not None:
                    setattr(row, field.attname, maps[field.related_model][old])
            if model is Staff:
                row.user_id = None
            if model is RoleAssignment:
                row.is_five_elders = row.is_five_elders  # kept: the demo's shape
        created = model.objects.bulk_create(rows)
        maps[model] = dict(zip(old_ids, (r.pk for r in created), strict=True))
    return town


def _pool_rows(towns) -> list[tuple]:
    """Per small grid: its town, the handler at each of the four tiers (as the routing would
    choose with no cases open), the town's days per tier, its large grid, the petitions'
    proxy agent (``default_proxy``) and the large grid's grid leader (who coordinates a
    petition at town level and answers for a notice on the village)."""
    from disputes.models import Dispute

    rows = []
    for town in towns:
        settings = TownDisputeSettings.objects.filter(town=town).first()
        days = [getattr(settings, f"{t.value}_days") if settings else DEFAULT_TIER_DAYS[t]
                for t in TIERS]
        for grid in SmallGrid.objects.filter(large_grid__town=town).select_related("large_grid"):
            probe = Dispute(town=town, small_grid=grid)
            handlers = []
            for tier in TIERS:
                if tier == DisputeState.MEDIATOR:
                    staff = eligible_mediators(dispute=probe).first()
                else:
                    staff = handler_for(dispute=probe, state=tier)
                handlers.append(staff.pk if staff else None)
            leader = role_holder(role=Role.GRID_LEADER, large_grid_id=grid.large_grid_id)
            proxy = default_proxy(grid)
            rows.append((grid.pk, town.pk, town.short_name, *handlers, *days,
                         grid.large_grid_id, proxy.pk if proxy else None,
                         leader.pk if leader else handlers[2]))
    return rows


def _town_rows(towns) -> list[tuple]:
    """Per town: the coordinator of county matters (镇级专人, a town cadre) and the town
    leadership member who issues notices and is their leader in charge."""
    rows = []
    for town in towns:
        coordinator = town_cadres(town_id=town.pk).order_by("pk").first()
        leader = role_holder(role=Role.TOWN_LEADERSHIP, town_id=town.pk)
        if coordinator is None or leader is None:
            raise RuntimeError(f"{town}: no town cadre or no town leadership to copy")
        rows.append((town.pk, coordinator.pk, leader.pk))
    return rows


DISPUTES_SQL = """
WITH g AS (
  SELECT i, random() AS r_grid, random() AS r_state, random() AS r_tier, random() AS r_time,
         random() AS r_cat, random() AS r_risk, random() AS r_dur, random() AS r_misc,
         random() AS r_source, random() AS r_late, random() AS r_follow
  FROM generate_series(1, %(n)s) AS i
), s AS (
  -- Found at an even rate over the years: a county logs about as many cases each day.
  SELECT g.*, p.*, %(now)s - (r_time * %(days)s * interval '1 day') AS found_at,
    CASE WHEN r_tier < 0.60 THEN 1 WHEN r_tier < 0.85 THEN 2 WHEN r_tier < 0.95 THEN 3
         ELSE 4 END AS tier_no
  FROM g JOIN gen_pool p ON p.idx = floor(g.r_grid * %(pool)s)::int
), e AS (
  -- Each case would end 1 to 21 days after it was found, inside the month the law gives
  -- mediation (若干规定 第三十三条); one that has not reached that day yet is still open, and
  -- so are the few of the last quarter that outlived their clock (the overdue backlog).
  SELECT s.*, found_at + ((1 + r_dur * 20) * interval '1 day') AS ended_at,
    (found_at + ((1 + r_dur * 20) * interval '1 day') > %(now)s
     OR (found_at > %(now)s - interval '90 days' AND r_late < %(late_share)s)) AS still_open
  FROM s
), t AS (
  SELECT e.*,
    CASE WHEN still_open
           THEN (ARRAY['grid_member','mediator','grid_leader','chair'])[
                CASE WHEN r_tier < 0.42 THEN 1 WHEN r_tier < 0.75 THEN 2
                     WHEN r_tier < 0.92 THEN 3 ELSE 4 END]
         -- Of the ended: agreed (closed once followed up, 15 days on; a few never are),
         -- referred, withdrawn, voided.
         WHEN r_state < 0.886
           THEN CASE WHEN ended_at + interval '15 days' <= %(now)s AND r_follow < 0.92
                     THEN 'closed' ELSE 'resolved' END
         WHEN r_state < 0.943 THEN 'referred' WHEN r_state < 0.983 THEN 'withdrawn'
         ELSE 'voided' END AS state
  FROM e
), t2 AS (
  SELECT t.*,
    CASE state WHEN 'grid_member' THEN 1 WHEN 'mediator' THEN 2 WHEN 'grid_leader' THEN 3
               WHEN 'chair' THEN 4 WHEN 'referred' THEN 4 WHEN 'withdrawn' THEN 1
               WHEN 'voided' THEN 1 ELSE tier_no END AS at_tier
  FROM t
), u AS (
  SELECT t2.*,
    (ARRAY['grid_member','mediator','grid_leader','chair'])[at_tier] AS tier,
    (ARRAY[h1, h2, h3, h4])[at_tier] AS tier_handler,
    (ARRAY[d1, d2, d3, d4])[at_tier] AS tier_days,
    extract(year FROM found_at AT TIME ZONE 'Asia/Shanghai')::int AS year,
    -- An open case reached its tier at most a little more than that tier's days ago (about
    -- one in twelve is past its tier's deadline: 1,005 of 12,311 with --seed 1), never
    -- before it was found; an ended one within two days of being found.
    CASE WHEN still_open
           THEN greatest(found_at, %(now)s - r_misc * 1.15
                         * (ARRAY[d1, d2, d3, d4])[at_tier] * interval '1 day')
         ELSE found_at + (r_dur * interval '2 days') END AS tier_started
  FROM t2
), v AS (
  SELECT u.*, coalesce(q.last, 0)
      + row_number() OVER (PARTITION BY u.town_id, u.year ORDER BY u.found_at, u.i) AS serial
  FROM u LEFT JOIN grid_townsequence q
    ON q.town_id = u.town_id AND q.kind = 'dispute' AND q.year = u.year
)
INSERT INTO disputes_dispute (
  town_id, small_grid_id, year, serial, number, title, description, category, source,
  found_at, occurred_at, reporter_id, people_involved, amount_at_stake, risk_level,
  risk_civil_to_criminal, risk_group_incident, risk_skip_level_petition, risk_extreme_behaviour,
  legal_aid, state, handler_id, tier_started_at, tier_due_at, urgent, last_followup_kept,
  query_code,
  outcome, resolved_tier, resolved_at, referred_to, referred_at, referred_from_tier, closed_at,
  ended_reason, respondent_consent, mediation_due, rights_notice_method, termination_reason,
  terminated_from_tier, evaluation, evaluation_comment, created_by_id, created_at,
  updated_at)
SELECT
  town_id, small_grid_id, year, serial, short_name || '人调〔' || year || '〕' || serial || '号',
  (ARRAY['宅基地边界','邻里噪音','土地承包','赡养老人','工钱拖欠','婚姻家庭','山林权属',
         '交通事故赔偿'])[1 + floor(r_misc * 8)::int] || '纠纷（第' || i || '件）',
  '双方就相关事项发生争执，网格员排查发现后登记。',
  (ARRAY['marriage_family','neighbour','housing_homestead','contract','production_business',
         'damages','forest_land','land_acquisition','labour','other'])[1 + floor(r_cat * 10)::int],
  -- About one in ten petitions is docked to mediation (访调对接): the case it became.
  CASE WHEN r_source < %(docked_share)s THEN 'petition_docking'
       ELSE (ARRAY['screening','application','walk_in','grid_report'])[1 + floor(r_misc * 4)::int]
  END,
  found_at, found_at - interval '1 day', h1, 2 + floor(r_misc * 4)::int,
  CASE WHEN r_misc < 0.3 THEN round((r_misc * 100000)::numeric, 2) END,
  CASE WHEN r_risk < 0.03 THEN 'red' WHEN r_risk < 0.15 THEN 'yellow' ELSE 'blue' END,
  r_risk < 0.01, r_risk > 0.995, r_risk BETWEEN 0.5 AND 0.505, false,
  r_risk BETWEEN 0.6 AND 0.603,
  state,
  CASE WHEN state IN ('withdrawn', 'voided') THEN h1 ELSE tier_handler END,
  tier_started,
  CASE WHEN state IN ('grid_member','mediator','grid_leader','chair')
       THEN tier_started + tier_days * interval '1 day' END,
  false,
  CASE WHEN state = 'closed' THEN true END,
  c.code,
  CASE WHEN state IN ('resolved','closed') THEN '经调解，双方达成协议。' ELSE '' END,
  CASE WHEN state IN ('resolved','closed') THEN tier ELSE '' END,
  CASE WHEN state IN ('resolved','closed') THEN ended_at END,
  CASE WHEN state = 'referred'
       THEN (ARRAY['judicial_office','court','police','county_department'])[
            1 + floor(r_misc * 4)::int] ELSE '' END,
  CASE WHEN state = 'referred' THEN ended_at END,
  CASE WHEN state = 'referred' THEN tier ELSE '' END,
  CASE WHEN state = 'closed' THEN ended_at + interval '15 days' END,
  CASE WHEN state = 'withdrawn' THEN '当事人自行和解，申请撤回。'
       WHEN state = 'voided' THEN '重复登记。' ELSE '' END,
  'not_asked',
  -- The whole case's clock (若干规定 第三十三条): one month from the day it was found.
  CASE WHEN state IN ('grid_member','mediator','grid_leader','chair')
       THEN ((found_at AT TIME ZONE 'Asia/Shanghai')::date + interval '1 month')::date END,
  '', '', '',
  -- Not rated.
  '', '',
  %(actor)s, found_at, found_at
FROM v JOIN (SELECT i AS code_i, code FROM gen_codes) c ON c.code_i = v.i
"""

EVENTS_SQL = """
INSERT INTO disputes_disputeevent (dispute_id, actor_id, handler_id, note, created_at, action,
                                   from_state, to_state)
SELECT d.id, %(actor)s, ev.handler_id, ev.note, ev.at, ev.action, ev.from_state, ev.to_state
FROM disputes_dispute d
JOIN gen_pool p ON p.small_grid_id = d.small_grid_id
CROSS JOIN LATERAL (
  SELECT CASE d.state WHEN 'grid_member' THEN 1 WHEN 'mediator' THEN 2 WHEN 'grid_leader' THEN 3
           WHEN 'chair' THEN 4 WHEN 'withdrawn' THEN 1 WHEN 'voided' THEN 1
           ELSE array_position(ARRAY['grid_member','mediator','grid_leader','chair'],
                               coalesce(nullif(d.resolved_tier, ''), d.referred_from_tier))
         END AS at_tier
) k
CROSS JOIN LATERAL (
  SELECT 'create' AS action, '' AS from_state, 'grid_member' AS to_state, p.h1 AS handler_id,
         '登记纠纷' AS note, d.found_at AS at
  UNION ALL
  SELECT 'escalate', (ARRAY['grid_member','mediator','grid_leader'])[n],
         (ARRAY['mediator','grid_leader','chair'])[n], (ARRAY[p.h2, p.h3, p.h4])[n],
         '调解未果，上交上一级',
         -- Spread between the day it was found and the day it reached its tier.
         d.found_at + n * (d.tier_started_at - d.found_at) / k.at_tier
  FROM generate_series(1, k.at_tier - 1) AS n
  UNION ALL
  SELECT 'resolve', d.resolved_tier, 'resolved', d.handler_id, '调解成功', d.resolved_at
  WHERE d.state IN ('resolved', 'closed')
  UNION ALL
  SELECT 'close', 'resolved', 'closed', d.handler_id, '回访协议已履行，结案', d.closed_at
  WHERE d.state = 'closed'
  UNION ALL
  SELECT 'refer', d.referred_from_tier, 'referred', d.handler_id, '移交处理', d.referred_at
  WHERE d.state = 'referred'
  UNION ALL
  SELECT CASE d.state WHEN 'withdrawn' THEN 'withdraw' ELSE 'void' END, 'grid_member', d.state, d.handler_id, d.ended_reason,
         d.found_at + interval '1 day'
  WHERE d.state IN ('withdrawn', 'voided')
) ev
WHERE d.id > %(after)s
"""

# Distinct phone numbers the generated parties share.
PHONE_POOL = 5000

PARTIES_SQL = """
INSERT INTO disputes_party (dispute_id, role, name, gender, ethnicity, age, occupation, address,
                            phone, phone_hash, phone_masked, id_number, id_number_hash,
                            id_number_masked)
SELECT d.id, r.role,
  (ARRAY['张','王','李','赵','刘','陈','杨','黄','周','吴'])[1 + (d.id * r.k) %% 10]
    || (ARRAY['建国','秀英','玉兰','志强','海燕','德明','桂芳','永平'])[1 + (d.id + r.k) %% 8],
  CASE WHEN (d.id + r.k) %% 2 = 0 THEN 'male' ELSE 'female' END, '汉族',
  25 + (d.id + r.k) %% 50, '农民', '本村',
  -- Phones are encrypted at rest with their keyed hash and their mask beside them
  -- (core.fields): drawn from a pool encrypted in Python, so the insert stays set-based.
  (%(phones)s::text[])[1 + (d.id * 7919 + r.k) %% %(phone_pool)s],
  (%(phone_hashes)s::text[])[1 + (d.id * 7919 + r.k) %% %(phone_pool)s],
  (%(phone_masks)s::text[])[1 + (d.id * 7919 + r.k) %% %(phone_pool)s],
  %(blank)s, %(blank_hash)s, ''
FROM disputes_dispute d
CROSS JOIN (VALUES ('applicant', 1), ('respondent', 2)) AS r(role, k)
WHERE d.id > %(after)s
"""

AGREEMENTS_SQL = """
INSERT INTO disputes_mediationagreement (dispute_id, kind, facts, points_in_dispute, terms,
  performance_method, performance_place, performance_deadline, signed_on, mediator_id,
  created_at, responsibilities, concerns_personal_status, confirmation_requested)
SELECT d.id, CASE WHEN d.id %% 5 < 3 THEN 'written' ELSE 'oral' END, '见调解记录。', '',
  '双方自愿达成如下协议，并按期履行。', '当面履行', '', NULL,
  (d.resolved_at AT TIME ZONE 'Asia/Shanghai')::date, d.handler_id, d.resolved_at,
  '各方按协议约定履行义务。', false, false
FROM disputes_dispute d
WHERE d.id > %(after)s AND d.state IN ('resolved', 'closed')
"""

SESSIONS_SQL = """
WITH s AS (
  INSERT INTO disputes_mediationsession (dispute_id, held_at, place, record, agreed,
                                         recorded_by_id, created_at, room_id, invited)
  SELECT d.id, d.resolved_at - interval '2 hours', '村调委会调解室', '双方陈述意见，调解员释法说理。',
         '达成一致', %(actor)s, d.resolved_at, NULL, ''
  FROM disputes_dispute d
  WHERE d.id > %(after)s AND d.state IN ('resolved', 'closed')
  RETURNING id, dispute_id
)
INSERT INTO disputes_mediationsession_mediators (mediationsession_id, staff_id)
SELECT s.id, d.handler_id FROM s JOIN disputes_dispute d ON d.id = s.dispute_id
WHERE d.handler_id IS NOT NULL
"""

FOLLOWUPS_SQL = """
INSERT INTO disputes_followupvisit (dispute_id, visited_on, visitor_id, agreement_kept, note,
                                    recorded_by_id, created_at)
SELECT d.id, (d.closed_at AT TIME ZONE 'Asia/Shanghai')::date, coalesce(d.handler_id, p.h1),
       true, '协议已履行。', %(actor)s, d.closed_at
FROM disputes_dispute d JOIN gen_pool p ON p.small_grid_id = d.small_grid_id
WHERE d.id > %(after)s AND d.state = 'closed'
"""

SEQUENCES_SQL = """
INSERT INTO grid_townsequence (town_id, kind, year, last)
SELECT town_id, 'dispute', year, max(serial) FROM disputes_dispute GROUP BY town_id, year
ON CONFLICT (town_id, kind, year) DO UPDATE SET last = greatest(grid_townsequence.last,
                                                                EXCLUDED.last)
"""


# Petitions and notices per case.
PETITIONS_PER_CASE = 1 / 10
NOTICES_PER_CASE = 1 / 200
# Of the disputes, the share docked from a petition (访调对接): one petition in ten is docked,
# as one of the demo's eleven is.
DOCKED_SHARE = 0.01
# Of the last 90 days' cases, the share still open past the day they would have ended: the
# overdue backlog the dashboard and the deadline alerts show.
LATE_SHARE = 0.03
# Of the notices, the share about a red-risk case; DISPUTES_SQL makes 3 cases in 100 red.
LINKED_NOTICE_SHARE = 0.3
RED_SHARE = 0.03


def generate_county(*, towns: int, cases: int, seed: int = 1, years: int = 3,
                    stdout=None) -> dict:
    """Clone the demo town ``towns - 1`` times (the demo town is the first) and add ``cases``
    disputes spread over the towns' small grids and ``years`` years, with about one petition
    per ten of them and one notice per two hundred. PostgreSQL only.

    Returns the counts and the seconds each step took."""
    from django.contrib.auth import get_user_model

    if connection.vendor != "postgresql":
        raise RuntimeError("generate_county writes set-based SQL for PostgreSQL only")
    say = stdout.write if stdout else (lambda *_: None)
    demo = Town.objects.order_by("id").first()
    if demo is None:
        raise RuntimeError("load the demo first (manage.py load_demo): its town is the shape")
    actor = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
    if actor is None:
        raise RuntimeError("a superuser is needed to stand as the one who logged the cases")
    timings, counts = {}, {}
    start = time.perf_counter()

    def run(cur, name, sql, params):
        step = time.perf_counter()
        cur.execute(sql, params)
        timings[name] = time.perf_counter() - step
        counts[name] = cur.rowcount
        say(f"{name}: {cur.rowcount} rows ({timings[name]:.1f} s)\n")

    with transaction.atomic():
        all_towns = list(Town.objects.order_by("id"))
        for index in range(len(all_towns), towns):
            all_towns.append(_clone_town(demo, index))
        timings["towns"] = time.perf_counter() - start
        say(f"towns: {len(all_towns)} ({timings['towns']:.1f} s)\n")
        pool = _pool_rows(all_towns)
        town_rows = _town_rows(all_towns)
        now = timezone.now()
        today = timezone.localdate(now)
        n_petitions = round(cases * PETITIONS_PER_CASE)
        n_notices = round(cases * NOTICES_PER_CASE)
        with connection.cursor() as cur:
            cur.execute("SELECT setseed(%s)", [((seed % 1000) / 1000.0)])
            for table in ("gen_pool", "gen_town", "gen_day", "gen_petition", "gen_notice"):
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute("CREATE TEMP TABLE gen_pool (idx int, small_grid_id int, town_id int,"
                        " short_name text, h1 int, h2 int, h3 int, h4 int,"
                        " d1 int, d2 int, d3 int, d4 int, large_grid_id int, proxy int,"
                        " grid_leader int) ON COMMIT DROP")
            cur.executemany("INSERT INTO gen_pool VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,"
                            "%s,%s,%s)", [(i, *row) for i, row in enumerate(pool)])
            cur.execute("ANALYZE gen_pool")
            cur.execute("CREATE TEMP TABLE gen_town (town_id int PRIMARY KEY, coordinator int,"
                        " leader int) ON COMMIT DROP")
            cur.executemany("INSERT INTO gen_town VALUES (%s,%s,%s)", town_rows)
            cur.execute(petition_sql.DAYS_TABLE)
            cur.execute(petition_sql.DAYS_SQL, petition_sql.day_rows(today=today,
                                                                    days=365 * years))
            step = time.perf_counter()
            # Disputes take codes 1 … cases, petitions the ones after.
            draw_codes(cur, n=cases + n_petitions)
            timings["codes"] = time.perf_counter() - step
            say(f"query codes: {cases + n_petitions} ({timings['codes']:.1f} s)\n")
            cur.execute("SELECT coalesce(max(id), 0) FROM disputes_dispute")
            after = cur.fetchone()[0]
            phones = [f"13{i * 7919 % 1000000000:09d}" for i in range(PHONE_POOL)]
            params = {"n": cases, "pool": len(pool), "now": now, "today": today,
                      "days": 365 * years, "actor": actor.pk, "after": after,
                      "docked_share": DOCKED_SHARE, "late_share": LATE_SHARE,
                      "phones": [crypto.encrypt(p) for p in phones],
                      "phone_hashes": [crypto.keyed_hash(p) for p in phones],
                      "phone_masks": [mask_phone(p) for p in phones],
                      "phone_pool": PHONE_POOL, "blank": crypto.encrypt(""),
                      "blank_hash": crypto.keyed_hash("")}
            for name, sql in (("disputes", DISPUTES_SQL), ("events", EVENTS_SQL),
                              ("parties", PARTIES_SQL), ("agreements", AGREEMENTS_SQL),
                              ("sessions", SESSIONS_SQL), ("followups", FOLLOWUPS_SQL),
                              ("sequences", SEQUENCES_SQL)):
                run(cur, name, sql, params)

            # Petitions: those docked to the disputes just written, and the rest up to the
            # total, numbered after the demo's.
            cur.execute("SELECT count(*) FROM disputes_dispute WHERE id > %s"
                        " AND source = 'petition_docking'", [after])
            docked = cur.fetchone()[0]
            cur.execute("SELECT coalesce(max(id), 0) FROM petitions_petition")
            petition_params = {**params, "n": max(n_petitions - docked, 0),
                               "days": 365 * years, "code_offset": cases,
                               "after_petition": cur.fetchone()[0]}
            run(cur, "petitions staged", petition_sql.STAGE_SQL, petition_params)
            cur.execute("ANALYZE gen_petition")
            for name, sql in (("petitions", petition_sql.INSERT_SQL),
                              ("petitioners", petition_sql.PETITIONERS_SQL),
                              ("proxy appointments", petition_sql.PROXIES_SQL),
                              ("petition events", petition_sql.EVENTS_SQL),
                              ("docked cases' notes", petition_sql.DOCKED_NOTES_SQL),
                              ("petition sequences", petition_sql.SEQUENCES_SQL)):
                run(cur, name, sql, petition_params)

            notice_params = {**params, "n": round(n_notices * (1 - LINKED_NOTICE_SHARE)),
                             "linked_share": LINKED_NOTICE_SHARE * NOTICES_PER_CASE / RED_SHARE,
                             "days": 365 * years - 40,
                             "urgency_days": json.dumps(notice_sql.urgency_days()),
                             "number_word": json.dumps(notice_sql.number_words(),
                                                       ensure_ascii=False)}
            run(cur, "notices staged", notice_sql.STAGE_SQL, notice_params)
            for name, sql in (("notices", notice_sql.INSERT_SQL),
                              ("notice targets", notice_sql.TARGETS_SQL),
                              ("notice reports", notice_sql.REPORTS_SQL),
                              ("notice events", notice_sql.EVENTS_SQL),
                              ("notice sequences", notice_sql.SEQUENCES_SQL)):
                run(cur, name, sql, notice_params)
    timings["written"] = time.perf_counter() - start
    say(f"committed ({timings['written']:.1f} s since the start)\n")
    step = time.perf_counter()
    with connection.cursor() as cur:
        for table in ("disputes_dispute", "disputes_disputeevent", "disputes_party",
                      "disputes_mediationagreement", "disputes_mediationsession",
                      "disputes_followupvisit", "grid_townsequence", *petition_sql.TABLES,
                      *notice_sql.TABLES):
            cur.execute(f"ANALYZE {table}")
    timings["analyze"] = time.perf_counter() - step
    say(f"analyze: {timings['analyze']:.1f} s\n")
    timings["total"] = time.perf_counter() - start
    return {"towns": towns, "cases": cases, "petitions": counts.get("petitions", 0),
            "notices": counts.get("notices", 0), "seconds": timings}

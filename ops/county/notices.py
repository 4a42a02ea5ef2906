"""Generated supervision and early-warning notices (督办件、预警通知), set-based, about one for
every two hundred disputes, with the four fixes (四定: the leader in charge, the measures, the
responsible person, the deadline ``supervision.deadlines`` gives the urgency), a target
village (large grid), the history rows and reports of the states each went through. Some are
about a red-risk dispute of the town, as the demo's first notice is.

Most notices of three years are verified; the open ones are recent, a few of them past their
deadline.
"""

from __future__ import annotations

import datetime

from supervision import deadlines
from supervision.services.notices import NUMBER_WORD
from supervision.states import NoticeKind, Urgency


def urgency_days() -> dict[str, float]:
    """Days from issue to the default deadline per urgency, from the one function that sets
    it (``supervision.deadlines.default_deadline``)."""
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return {str(u): (deadlines.default_deadline(u, start) - start).total_seconds() / 86400
            for u in Urgency}


STAGE_SQL = """
CREATE TEMP TABLE gen_notice ON COMMIT DROP AS
WITH plain AS (
  SELECT i, random() AS r_grid, random() AS r_state, random() AS r_kind, random() AS r_time,
         random() AS r_urgency, random() AS r_a, NULL::bigint AS dispute_id
  FROM generate_series(1, %(n)s) AS i
), linked AS (
  -- A red-risk dispute the town leadership put under supervision (the demo's first notice).
  SELECT %(n)s + row_number() OVER (ORDER BY d.id) AS i, NULL::double precision AS r_grid,
         random() AS r_state, random() AS r_kind, NULL::double precision AS r_time,
         0.0 AS r_urgency, random() AS r_a, d.id AS dispute_id
  FROM disputes_dispute d
  WHERE d.id > %(after)s AND d.risk_level = 'red' AND random() < %(linked_share)s
), g AS (
  SELECT pl.*, p.town_id, p.large_grid_id, p.grid_leader, p.short_name, NULL::timestamptz AS
         found_at, NULL::text AS d_title, NULL::text AS d_description
  FROM plain pl JOIN gen_pool p ON p.idx = floor(pl.r_grid * %(pool)s)::int
  UNION ALL
  SELECT lk.*, p.town_id, p.large_grid_id, p.grid_leader, p.short_name, d.found_at, d.title,
         d.description
  FROM linked lk JOIN disputes_dispute d ON d.id = lk.dispute_id
  JOIN gen_pool p ON p.small_grid_id = d.small_grid_id
), u AS (
  SELECT g.*,
    CASE WHEN r_kind < 0.8 THEN 'supervision' ELSE 'early_warning' END AS kind,
    CASE WHEN dispute_id IS NOT NULL OR r_urgency < 0.2 THEN 'urgent'
         WHEN r_urgency < 0.85 THEN 'ordinary' ELSE 'difficult' END AS urgency
  FROM g
), s AS (
  SELECT u.*,
    (%(urgency_days)s::jsonb ->> urgency)::float * interval '1 day' AS span,
    CASE WHEN dispute_id IS NOT NULL THEN NULL
         WHEN r_state < 0.03 THEN 'issued' WHEN r_state < 0.08 THEN 'acknowledged'
         WHEN r_state < 0.11 THEN 'reported' WHEN r_state < 0.13 THEN 'returned'
         ELSE 'verified' END AS planned
  FROM u
), t AS (
  SELECT s.*,
    CASE WHEN dispute_id IS NOT NULL THEN found_at + interval '2 hours'
         -- Open ones were issued within about their span (a quarter of them are overdue).
         WHEN planned <> 'verified' THEN %(now)s - r_time * 1.3 * span - interval '1 hour'
         ELSE %(now)s - interval '40 days' - r_time * %(days)s * interval '1 day' END
      AS issued_at
  FROM s
), v AS (
  SELECT t.*,
    coalesce(planned, CASE WHEN %(now)s - issued_at > span THEN 'verified'
                           ELSE 'acknowledged' END) AS state,
    %(now)s - issued_at AS elapsed,
    extract(year FROM issued_at AT TIME ZONE 'Asia/Shanghai')::int AS year
  FROM t
)
SELECT nextval(pg_get_serial_sequence('supervision_supervisionnotice', 'id')) AS id, v.*,
  coalesce(q.last, 0) + row_number() OVER (PARTITION BY v.town_id, v.kind, v.year
                                           ORDER BY v.issued_at, v.i) AS serial,
  tw.leader AS leader_id,
  issued_at + least(interval '2 hours', elapsed * 0.1) AS acknowledged_at,
  issued_at + least(span * 0.7, elapsed * 0.5) AS reported_at,
  issued_at + least(span * 0.9, elapsed * 0.7) AS checked_at
FROM v JOIN gen_town tw ON tw.town_id = v.town_id
LEFT JOIN grid_townsequence q
  ON q.town_id = v.town_id AND q.kind = 'notice_' || v.kind AND q.year = v.year
"""

INSERT_SQL = """
INSERT INTO supervision_supervisionnotice (
  id, town_id, kind, year, serial, number, title, situation, dispute_id, petition_id,
  instability_report_id, assessment_id, target_offices, urgency, leader_in_charge_id,
  measures, responsible_id, deadline, state, handler_id, issuer_id, acknowledged_at,
  verified_at, created_by_id, created_at, updated_at)
SELECT n.id, n.town_id, n.kind, n.year, n.serial,
  -- supervision.services.notices.notice_number
  n.short_name || (%(number_word)s::jsonb ->> n.kind) || '〔' || n.year || '〕' || n.serial
    || '号',
  CASE WHEN n.dispute_id IS NOT NULL THEN left(n.d_title || '（督办）', 120)
       WHEN n.kind = 'early_warning' THEN '汛期地质灾害隐患点周边群众安置预警'
       ELSE (ARRAY['土地流转租金纠纷督办','危房改造名额公示异议督办','灌溉用水纠纷督办',
                   '道路占地补偿遗留问题督办','工程款拖欠问题督办'])[1 + floor(n.r_a * 5)::int]
  END,
  coalesce(n.d_description, '群众反映相关问题，需限期办结。'), n.dispute_id, NULL, NULL, NULL,
  CASE WHEN n.dispute_id IS NOT NULL THEN '["police"]' ELSE '[]' END::jsonb, n.urgency,
  n.leader_id, '包抓领导牵头，责任人限期落实，逐户答复。', n.grid_leader,
  -- supervision.deadlines.default_deadline; a returned notice has the new deadline set on
  -- its return (a week from then).
  CASE WHEN n.state = 'returned' THEN n.checked_at + interval '7 days'
       ELSE n.issued_at + n.span END,
  n.state,
  CASE n.state WHEN 'reported' THEN n.leader_id WHEN 'verified' THEN NULL
               ELSE n.grid_leader END,
  n.leader_id,
  CASE WHEN n.state <> 'issued' THEN n.acknowledged_at END,
  CASE WHEN n.state = 'verified' THEN n.checked_at END,
  %(actor)s, n.issued_at,
  CASE n.state WHEN 'issued' THEN n.issued_at WHEN 'acknowledged' THEN n.acknowledged_at
               WHEN 'reported' THEN n.reported_at ELSE n.checked_at END
FROM gen_notice n ORDER BY n.id
"""

TARGETS_SQL = """
INSERT INTO supervision_supervisionnotice_target_large_grids (supervisionnotice_id, largegrid_id)
SELECT id, large_grid_id FROM gen_notice
"""

REPORTS_SQL = """
INSERT INTO supervision_noticereport (notice_id, result, completed, shortfall, reported_by_id,
  reported_at, facts_checked, problem_solved, measures_lawful, check_opinion, checked_at,
  accepted, new_deadline)
SELECT n.id, '已按措施落实，问题基本解决。', true,
  -- A report after the deadline says how far it got and why (notice_report).
  CASE WHEN n.reported_at > n.issued_at + n.span THEN '涉及户数多，核实耗时，已逐户答复。' ELSE ''
  END,
  %(actor)s, n.reported_at,
  CASE n.state WHEN 'verified' THEN true WHEN 'returned' THEN false END,
  CASE n.state WHEN 'verified' THEN true WHEN 'returned' THEN false END,
  CASE WHEN n.state IN ('verified', 'returned') THEN true END,
  CASE n.state WHEN 'verified' THEN '经核实，问题已解决。'
               WHEN 'returned' THEN '未附会议记录，请补充后再报。' ELSE '' END,
  CASE WHEN n.state IN ('verified', 'returned') THEN n.checked_at END,
  CASE n.state WHEN 'verified' THEN true WHEN 'returned' THEN false END,
  CASE WHEN n.state = 'returned' THEN n.checked_at + interval '7 days' END
FROM gen_notice n WHERE n.state IN ('reported', 'returned', 'verified')
"""

EVENTS_SQL = """
INSERT INTO supervision_noticeevent (notice_id, actor_id, handler_id, note, created_at, action,
                                     from_state, to_state)
SELECT n.id, %(actor)s, ev.handler_id, ev.note, ev.at, ev.action, ev.from_state, ev.to_state
FROM gen_notice n
CROSS JOIN LATERAL (
  SELECT 'issue' AS action, '' AS from_state, 'issued' AS to_state,
         n.grid_leader AS handler_id, '包抓领导牵头，责任人限期落实，逐户答复。' AS note,
         n.issued_at AS at
  UNION ALL
  SELECT 'acknowledge', 'issued', 'acknowledged', n.grid_leader, '已签收', n.acknowledged_at
  WHERE n.state <> 'issued'
  UNION ALL
  SELECT 'report', 'acknowledged', 'reported', n.leader_id, '已按措施落实，问题基本解决。',
         n.reported_at WHERE n.state IN ('reported', 'returned', 'verified')
  UNION ALL
  SELECT 'verify', 'reported', 'verified', NULL, '经核实，问题已解决。', n.checked_at
  WHERE n.state = 'verified'
  UNION ALL
  SELECT 'return_for_work', 'reported', 'returned', n.grid_leader, '未附会议记录，请补充后再报。',
         n.checked_at WHERE n.state = 'returned'
) ev
"""

SEQUENCES_SQL = """
INSERT INTO grid_townsequence (town_id, kind, year, last)
SELECT town_id, 'notice_' || kind, year, max(serial) FROM supervision_supervisionnotice
GROUP BY town_id, kind, year
ON CONFLICT (town_id, kind, year) DO UPDATE SET last = greatest(grid_townsequence.last,
                                                                EXCLUDED.last)
"""

TABLES = ("supervision_supervisionnotice", "supervision_supervisionnotice_target_large_grids",
          "supervision_noticereport", "supervision_noticeevent")


def number_words() -> dict[str, str]:
    return {str(kind): NUMBER_WORD[kind] for kind in NoticeKind}

"""Generated petitions (信访), set-based, about one for every ten disputes: every state with
its stamps and handler as the services leave them, the petitioners, the proxy appointment,
the history rows, the deadlines of ``petitions.deadlines`` and, for the disputes generated
with the source "petition docking" (访调对接), the petition they were docked from.

The proportions follow a town's year (the demo's petitions are a handful of each): most
matters are replied and closed, a few are waiting for acceptance or being handled at the
grid, the town or with a county department, and some are declined, guided elsewhere,
withdrawn, transferred to the discipline-inspection organ (accusations) or voided.
"""

from __future__ import annotations

import datetime

from petitions import deadlines
from petitions.states import PetitionKind

# The due dates per day: the one function of each kind computes them, for every day a
# generated petition may be received or accepted on (a few thousand rows), and the SQL reads
# this table rather than restating the rule.
DAYS_TABLE = ("CREATE TEMP TABLE gen_day (day date PRIMARY KEY, accept_due date,"
              " reply_due date, review_until date) ON COMMIT DROP")
DAYS_SQL = ("INSERT INTO gen_day SELECT * FROM unnest(%s::date[], %s::date[], %s::date[],"
            " %s::date[])")


def day_rows(*, today: datetime.date, days: int) -> tuple[list, ...]:
    """Per day: the acceptance notice's due date for a petition received that day, the
    reply's for a claim accepted that day, the last day to ask for a review of a reply
    delivered that day."""
    first = today - datetime.timedelta(days=days + 10)
    all_days = [first + datetime.timedelta(days=k) for k in range((today - first).days + 1)]
    return (all_days, [deadlines.accept_due(d) for d in all_days],
            [deadlines.reply_due(d, 0, kind=PetitionKind.CLAIM) for d in all_days],
            [deadlines.review_request_until(d) for d in all_days])


STAGE_SQL = """
CREATE TEMP TABLE gen_petition ON COMMIT DROP AS
WITH plain AS (
  SELECT i, random() AS r_grid, random() AS r_state, random() AS r_kind, random() AS r_time,
         random() AS r_tier, random() AS r_a, random() AS r_b, random() AS r_group,
         NULL::bigint AS docked_id, NULL::date AS found_on, NULL::text AS dispute_state
  FROM generate_series(1, %(n)s) AS i
), docked AS (
  -- A dispute docked from a petition (petitions.services.docking): the petition was
  -- received four days before, accepted the next day, and is handled at the grid while the
  -- dispute is open, replied (and closed, once the review window has passed) when it ended.
  SELECT %(n)s + row_number() OVER (ORDER BY d.id) AS i, NULL::double precision AS r_grid,
         random() AS r_state, random() AS r_kind, random() AS r_time, 0.0 AS r_tier,
         random() AS r_a, random() AS r_b, 1.0 AS r_group, d.id AS docked_id,
         (d.found_at AT TIME ZONE 'Asia/Shanghai')::date AS found_on, d.state AS dispute_state
  FROM disputes_dispute d
  WHERE d.id > %(after)s AND d.source = 'petition_docking'
), g AS (
  SELECT pl.*, p.small_grid_id, p.town_id, p.short_name, p.proxy, p.grid_leader,
    CASE WHEN r_state < 0.02 THEN 'registered' WHEN r_state < 0.05 THEN 'grid'
         WHEN r_state < 0.065 THEN 'town' WHEN r_state < 0.07 THEN 'county'
         WHEN r_state < 0.10 THEN 'replied' WHEN r_state < 0.14 THEN 'declined'
         WHEN r_state < 0.18 THEN 'guided' WHEN r_state < 0.21 THEN 'withdrawn'
         WHEN r_state < 0.23 THEN 'transferred' WHEN r_state < 0.24 THEN 'voided'
         ELSE 'done' END AS path
  FROM plain pl JOIN gen_pool p ON p.idx = floor(pl.r_grid * %(pool)s)::int
  UNION ALL
  SELECT dk.*, d.small_grid_id, d.town_id, p.short_name, p.proxy, p.grid_leader,
    CASE WHEN dk.dispute_state IN ('grid_member','mediator','grid_leader','chair') THEN 'grid'
         WHEN dk.found_on < %(today)s - 90 THEN 'done' ELSE 'replied' END
  FROM docked dk JOIN disputes_dispute d ON d.id = dk.docked_id
  JOIN gen_pool p ON p.small_grid_id = d.small_grid_id
), k AS (
  SELECT g.*,
    CASE WHEN docked_id IS NOT NULL OR path = 'replied' THEN 'claim'
         WHEN path = 'transferred' THEN 'accusation'
         WHEN r_kind < 0.7 THEN 'claim' WHEN r_kind < 0.9 THEN 'suggestion'
         ELSE 'accusation' END AS kind,
    CASE WHEN docked_id IS NOT NULL THEN found_on - 4
         WHEN path = 'registered' THEN %(today)s - floor(r_time * 20)::int
         WHEN path IN ('grid', 'town', 'county') THEN %(today)s - 2 - floor(r_time * 70)::int
         WHEN path = 'replied' THEN %(today)s - 45 - floor(r_time * 40)::int
         ELSE %(today)s - 90 - floor(r_time * (%(days)s - 90))::int END AS received_on,
    CASE WHEN path IN ('registered','declined','guided','transferred','voided') THEN 0
         WHEN path = 'grid' THEN 1 WHEN path = 'town' THEN 2 WHEN path = 'county' THEN 3
         WHEN r_tier < 0.75 THEN 1 WHEN r_tier < 0.95 THEN 2 ELSE 3 END AS at_tier
  FROM g
), a AS (
  SELECT k.*,
    CASE WHEN at_tier > 0 THEN least(received_on + 1 + floor(r_a * 3)::int, %(today)s)
    END AS accepted_on
  FROM k
), r AS (
  SELECT a.*,
    CASE WHEN path IN ('replied', 'done')
         THEN least(accepted_on + 10 + floor(r_b * 40)::int, %(today)s) END AS replied_on
  FROM a
), v AS (
  SELECT r.*,
    CASE WHEN path IN ('replied', 'done') AND kind <> 'suggestion'
              AND NOT (path = 'replied' AND r_a > 0.85)
         THEN least(replied_on + 3, %(today)s) END AS delivered_on,
    path = 'done' AND kind = 'claim' AND r_b < 0.6 AS satisfied_close,
    extract(year FROM received_on)::int AS year
  FROM r
), w AS (
  SELECT v.*,
    coalesce(q.last, 0) + row_number() OVER (PARTITION BY v.town_id, v.year
                                             ORDER BY v.received_on, v.i) AS serial,
    CASE WHEN v.path = 'guided' THEN v.received_on + 1
         WHEN v.path = 'withdrawn' THEN v.accepted_on + 5
         WHEN v.path = 'done' AND v.kind = 'suggestion' THEN v.replied_on
         WHEN v.path = 'done' AND v.satisfied_close THEN v.delivered_on + 2
         -- The day after the review window (read from gen_day) has passed.
         WHEN v.path = 'done' AND v.kind = 'claim' THEN rv.review_until + 1
         WHEN v.path = 'done' THEN v.delivered_on + 1 END AS closed_on,
    CASE v.at_tier WHEN 1 THEN v.proxy WHEN 2 THEN v.grid_leader WHEN 3 THEN t.coordinator
                 ELSE v.proxy END AS tier_handler,
    t.coordinator AS town_coordinator
  FROM v JOIN gen_town t ON t.town_id = v.town_id
  LEFT JOIN gen_day rv ON rv.day = v.delivered_on
  LEFT JOIN grid_townsequence q
    ON q.town_id = v.town_id AND q.kind = 'petition' AND q.year = v.year
)
SELECT nextval(pg_get_serial_sequence('petitions_petition', 'id')) AS id, w.*,
  CASE path WHEN 'registered' THEN 'registered' WHEN 'grid' THEN 'grid' WHEN 'town' THEN 'town'
            WHEN 'county' THEN 'county' WHEN 'declined' THEN 'declined'
            WHEN 'transferred' THEN 'transferred' WHEN 'voided' THEN 'voided'
            WHEN 'replied' THEN 'replied' ELSE 'closed' END AS state,
  CASE path WHEN 'transferred' THEN NULL ELSE tier_handler END AS handler_id,
  CASE WHEN at_tier = 3 THEN town_coordinator END AS coordinator_id,
  CASE path WHEN 'guided' THEN 'guided' WHEN 'withdrawn' THEN 'withdrawn'
    ELSE CASE WHEN path <> 'done' THEN ''
              WHEN kind <> 'claim' THEN 'answered'
              WHEN satisfied_close THEN 'satisfied' ELSE 'review_window_passed' END
  END AS close_reason,
  CASE WHEN r_group < 0.03 THEN 5 + floor(r_a * 16)::int ELSE 1 END AS people_count,
  gd.accept_due AS accept_due,
  -- Only a claim runs the 60 days (petitions.deadlines.reply_due, read from gen_day).
  CASE WHEN kind = 'claim' THEN ga.reply_due END AS reply_due,
  c.code AS query_code
FROM w JOIN gen_day gd ON gd.day = w.received_on
LEFT JOIN gen_day ga ON ga.day = w.accepted_on
JOIN gen_codes c ON c.i = %(code_offset)s + w.i
"""

SUBJECTS = ("ARRAY['要求解决宅基地确权问题','反映土地流转租金拖欠','要求落实低保待遇',"
            "'反映村道修建占地补偿','要求解决饮水困难','反映养殖场污染','要求兑现征地补偿款',"
            "'反映工程款拖欠','咨询养老保险政策','反映村干部作风问题']")

INSERT_SQL = f"""
INSERT INTO petitions_petition (
  id, town_id, small_grid_id, year, serial, number, national_number, query_code, form, kind,
  subject, content, received_on, people_count, assigned_by_higher, objection_due,
  in_litigation, administrative_matter, repeat_of_id, source_dispute_id, docked_dispute_id,
  state, handler_id, proxy_agent_id, coordinator_id, county_department, accepted_on,
  accept_due, reply_due, extension_days, extension_reason, extension_approver_id,
  extension_status, extension_requested_days, extension_requested_reason,
  extension_requested_by_id, extension_requested_on, extension_refusal, decline_reason,
  proper_channel, guided_to, replied_on, delivered_on, delivery_method, reply_request,
  reply_facts, reply_decision, reply_basis, reply_result, reply_category, reply_draft,
  satisfied, evaluation, evaluation_comment, evaluated_on, discipline_organ, transferred_on,
  closed_on, close_reason, created_by_id, created_at, updated_at)
SELECT
  p.id, p.town_id, p.small_grid_id, p.year, p.serial,
  -- petitions.services.intake.petition_number
  p.short_name || '信〔' || p.year || '〕' || p.serial || '号', '', p.query_code,
  CASE WHEN p.docked_id IS NOT NULL OR p.people_count >= 5 THEN 'visit'
       ELSE (ARRAY['visit','visit','letter','online','phone','fax'])[1 + floor(p.r_kind * 6)::int]
  END,
  p.kind,
  CASE WHEN p.docked_id IS NOT NULL THEN left(d.title, 120)
       WHEN p.kind = 'accusation' THEN '反映村干部作风问题'
       ELSE ({SUBJECTS})[1 + floor(p.r_time * 9)::int] END,
  CASE WHEN p.docked_id IS NOT NULL THEN d.description
       ELSE '信访人反映相关问题，请求依法处理。' END,
  p.received_on, p.people_count, false, NULL, p.path = 'declined', false, NULL, NULL,
  p.docked_id, p.state, p.handler_id, p.proxy, p.coordinator_id,
  CASE WHEN p.coordinator_id IS NOT NULL THEN '县自然资源局' ELSE '' END, p.accepted_on,
  p.accept_due, p.reply_due, 0, '', NULL, '', NULL, '', NULL, NULL, '',
  CASE WHEN p.path = 'declined' THEN '该事项已经人民法院受理，属诉讼程序处理范围。' ELSE '' END,
  CASE WHEN p.path = 'declined' THEN '依法通过诉讼程序解决' ELSE '' END,
  CASE WHEN p.path = 'guided' THEN '县人力资源和社会保障局服务窗口' ELSE '' END,
  p.replied_on, p.delivered_on,
  CASE WHEN p.delivered_on IS NOT NULL THEN
       (ARRAY['in_person','post'])[1 + floor(p.r_b * 2)::int] ELSE '' END,
  CASE WHEN p.replied_on IS NOT NULL THEN '请求依法解决所反映的问题' ELSE '' END,
  CASE WHEN p.replied_on IS NOT NULL THEN '经调查核实，基本情况属实。' ELSE '' END,
  CASE WHEN p.replied_on IS NOT NULL THEN '依法依规予以处理，向信访人解释说明。' ELSE '' END,
  CASE WHEN p.replied_on IS NOT NULL THEN '相关法律法规和政策规定' ELSE '' END,
  CASE WHEN p.replied_on IS NOT NULL THEN
       (ARRAY['support','explain','not_support'])[1 + floor(p.r_a * 3)::int] ELSE '' END,
  CASE WHEN p.replied_on IS NOT NULL THEN
       (ARRAY['solved','explained','helped','handled_by_law'])[1 + floor(p.r_b * 4)::int]
       ELSE '' END,
  '',
  CASE WHEN p.satisfied_close THEN true END,
  CASE WHEN p.satisfied_close THEN
       (ARRAY['satisfied','basically_satisfied'])[1 + floor(p.r_a * 2)::int] ELSE '' END,
  '', CASE WHEN p.satisfied_close THEN p.delivered_on + 1 END,
  CASE WHEN p.path = 'transferred' THEN '县纪委监委' ELSE '' END,
  CASE WHEN p.path = 'transferred' THEN p.received_on + 2 END,
  p.closed_on, p.close_reason, %(actor)s,
  (p.received_on + time '09:00') AT TIME ZONE 'Asia/Shanghai',
  (coalesce(p.closed_on, p.delivered_on, p.replied_on, p.accepted_on, p.received_on)
   + time '17:00') AT TIME ZONE 'Asia/Shanghai'
FROM gen_petition p LEFT JOIN disputes_dispute d ON d.id = p.docked_id
ORDER BY p.id
"""

# Who filed it: one petitioner, or three named representatives of a group (集体访); a
# docked petition's petitioner is the dispute's applicant.
PETITIONERS_SQL = """
INSERT INTO petitions_petitioner (petition_id, is_representative, name, gender, ethnicity,
                                  age, occupation, address, phone, phone_hash, phone_masked,
                                  id_number, id_number_hash, id_number_masked)
SELECT p.id, p.people_count >= 5,
  (ARRAY['张','王','李','赵','刘','陈','杨','黄','周','吴'])[1 + (p.id * n.k) %% 10]
    || (ARRAY['建国','秀英','玉兰','志强','海燕','德明','桂芳','永平'])[1 + (p.id + n.k) %% 8],
  CASE WHEN (p.id + n.k) %% 2 = 0 THEN 'male' ELSE 'female' END, '汉族',
  25 + (p.id + n.k) %% 50, '农民', '本村',
  (%(phones)s::text[])[1 + (p.id * 7919 + n.k) %% %(phone_pool)s],
  (%(phone_hashes)s::text[])[1 + (p.id * 7919 + n.k) %% %(phone_pool)s],
  (%(phone_masks)s::text[])[1 + (p.id * 7919 + n.k) %% %(phone_pool)s],
  %(blank)s, %(blank_hash)s, ''
FROM gen_petition p
CROSS JOIN LATERAL generate_series(1, CASE WHEN p.people_count >= 5 THEN 3 ELSE 1 END) AS n(k)
WHERE p.docked_id IS NULL
UNION ALL
SELECT p.id, false, a.name, a.gender, a.ethnicity, a.age, a.occupation, a.address, a.phone,
       a.phone_hash, a.phone_masked, a.id_number, a.id_number_hash, a.id_number_masked
FROM gen_petition p
JOIN LATERAL (SELECT * FROM disputes_party x WHERE x.dispute_id = p.docked_id
              ORDER BY x.role = 'applicant' DESC, x.id LIMIT 1) a ON true
WHERE p.docked_id IS NOT NULL
"""

# The proxy agent appointed at registration; the appointment ends where the services end it
# (``_end_proxy``: guided, closed, withdrawn, transferred, voided).
PROXIES_SQL = """
INSERT INTO petitions_proxyappointment (petition_id, agent_id, appointed_by_id, appointed_at,
                                        ended_at, end_reason)
SELECT p.id, p.proxy, %(actor)s, (p.received_on + time '09:00') AT TIME ZONE 'Asia/Shanghai',
  CASE WHEN p.state IN ('closed', 'transferred', 'voided')
       THEN (coalesce(p.closed_on, p.transferred_on, p.received_on + 2) + time '16:00')
            AT TIME ZONE 'Asia/Shanghai' END,
  CASE WHEN p.path = 'guided' THEN '已导访' WHEN p.path = 'withdrawn' THEN '信访人撤回'
       WHEN p.path = 'done' AND p.kind = 'suggestion' THEN '已答复办结'
       WHEN p.path = 'done' THEN '已办结' WHEN p.path = 'transferred' THEN '已移送纪检监察机关'
       WHEN p.path = 'voided' THEN '作废' ELSE '' END
FROM (SELECT g.*, CASE WHEN g.path = 'transferred' THEN g.received_on + 2 END AS transferred_on
      FROM gen_petition g) p
WHERE p.proxy IS NOT NULL
"""

# The history: the rows the services write for each step the petition went through.
EVENTS_SQL = """
INSERT INTO petitions_petitionevent (petition_id, actor_id, handler_id, note, created_at,
                                     action, from_state, to_state)
SELECT p.id, %(actor)s, ev.handler_id, ev.note,
       (ev.day + ev.at) AT TIME ZONE 'Asia/Shanghai', ev.action, ev.from_state, ev.to_state
FROM gen_petition p
CROSS JOIN LATERAL (
  SELECT (ARRAY['grid','town','county'])[greatest(p.at_tier, 1)] AS tier_state
) t
CROSS JOIN LATERAL (
  SELECT 'create' AS action, '' AS from_state, 'registered' AS to_state, p.proxy AS handler_id,
         '登记信访事项' AS note, p.received_on AS day, time '09:00' AS at
  UNION ALL
  SELECT 'decline', 'registered', 'declined', p.proxy, '该事项已经人民法院受理，属诉讼程序处理范围。',
         p.received_on + 3, time '10:00' WHERE p.path = 'declined'
  UNION ALL
  SELECT 'guide', 'registered', 'closed', p.proxy, '县人力资源和社会保障局服务窗口',
         p.closed_on, time '10:00' WHERE p.path = 'guided'
  UNION ALL
  SELECT 'transfer_discipline', 'registered', 'transferred', NULL, '县纪委监委',
         p.received_on + 2, time '10:00' WHERE p.path = 'transferred'
  UNION ALL
  SELECT 'void', 'registered', 'voided', p.proxy, '重复登记。', p.received_on + 2, time '10:00'
  WHERE p.path = 'voided'
  UNION ALL
  SELECT 'accept', 'registered', 'grid', p.proxy, '依法受理，告知信访人。', p.accepted_on,
         time '10:00' WHERE p.accepted_on IS NOT NULL
  UNION ALL
  SELECT 'dock', 'grid', 'grid', p.proxy, '转入人民调解', p.found_on, time '11:00'
  WHERE p.docked_id IS NOT NULL
  UNION ALL
  SELECT 'escalate', 'grid', 'town', p.grid_leader, '需镇级协调。', p.accepted_on + 2,
         time '10:00' WHERE p.at_tier >= 2
  UNION ALL
  SELECT 'assign_coordinator', 'town', 'town', p.grid_leader, '指定镇级专人 · 县自然资源局',
         p.accepted_on + 4, time '09:00' WHERE p.at_tier = 3
  UNION ALL
  SELECT 'escalate', 'town', 'county', p.coordinator_id, '涉及县直部门职责。', p.accepted_on + 4,
         time '10:00' WHERE p.at_tier = 3
  UNION ALL
  SELECT 'withdraw', t.tier_state, 'closed', p.tier_handler, '信访人撤回信访事项。', p.closed_on,
         time '16:00' WHERE p.path = 'withdrawn'
  UNION ALL
  SELECT 'reply', t.tier_state, CASE WHEN p.kind = 'suggestion' THEN 'closed' ELSE 'replied' END,
         p.tier_handler, '依法依规予以处理，向信访人解释说明。', p.replied_on, time '15:00'
  WHERE p.replied_on IS NOT NULL
  UNION ALL
  SELECT 'deliver', 'replied', 'replied', p.tier_handler, '答复送达', p.delivered_on,
         time '10:00' WHERE p.delivered_on IS NOT NULL
  UNION ALL
  SELECT 'evaluate', 'replied', 'replied', p.tier_handler, '信访人评价', p.delivered_on + 1,
         time '10:00' WHERE p.satisfied_close
  UNION ALL
  SELECT 'close', 'replied', 'closed', p.tier_handler, '办结', p.closed_on, time '16:00'
  WHERE p.path = 'done' AND p.kind <> 'suggestion'
) ev
"""

# The docked dispute's first history row names the petition it came from, as
# ``petition_dock_to_dispute`` writes it.
DOCKED_NOTES_SQL = """
UPDATE disputes_disputeevent e SET note = '由信访事项 ' || p.number || ' 对接转入'
FROM petitions_petition p
WHERE p.id > %(after_petition)s AND p.docked_dispute_id = e.dispute_id AND e.action = 'create'
"""

SEQUENCES_SQL = """
INSERT INTO grid_townsequence (town_id, kind, year, last)
SELECT town_id, 'petition', year, max(serial) FROM petitions_petition GROUP BY town_id, year
ON CONFLICT (town_id, kind, year) DO UPDATE SET last = greatest(grid_townsequence.last,
                                                                EXCLUDED.last)
"""

TABLES = ("petitions_petition", "petitions_petitioner", "petitions_proxyappointment",
          "petitions_petitionevent")

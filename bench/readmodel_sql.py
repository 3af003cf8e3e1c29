"""SQL that writes a year of feedback read-model facts for generated complaints, chunk by
chunk, in the shape the read model's consumers write them (raw columns as the events set
them, derived columns by the rules of `feedback.adapters.readmodel_derive`).

Each complaint: submitted, routed to one of the units, acknowledged within 0-3 h (due 2 h)
and resolved within 0-8 days (due 5 days), or returned (3 %); a missed deadline has its
breach and a level-1 escalation; 70 % of resolutions get a verdict, 20 % expire. Values
come from hashes of the complaint's number, so a chunk is the same every time.
"""

from feedback.adapters.readmodel_derive import DAY, OUTCOME

BASE = """
CREATE TEMP TABLE bench_base ON COMMIT DROP AS
SELECT g, md5('c' || g)::uuid AS complaint_id, md5('a' || g)::uuid AS assignment_id,
       (%(units)s::text[])[1 + h1 %% cardinality(%(units)s::text[])] AS unit_id,
       (%(districts)s::text[])[1 + h1 %% cardinality(%(units)s::text[])] AS district_id,
       (%(cats)s::text[])[1 + (h1 / 1009) %% cardinality(%(cats)s::text[])] AS category,
       %(t0)s::timestamptz + (h2 %% %(span_s)s) * interval '1 second' AS started_at,
       h3 %% 100 AS p1, (h3 / 100) %% 100 AS p2, (h1 / 100003) %% 100 AS p3,
       (h2 / 7) %% 10800 AS ack_s, (h3 / 10007) %% 691200 AS res_s, (h1 / 7) %% 259200 AS verdict_s
  FROM (SELECT g, hashint8(g) & 2147483647 AS h1, hashint8(g * 3 + 1) & 2147483647 AS h2,
               hashint8(g * 7 + 5) & 2147483647 AS h3
          FROM generate_series(%(lo)s::bigint, %(hi)s::bigint - 1) g) x
"""

FACTS = """
CREATE TEMP TABLE bench_f ON COMMIT DROP AS
SELECT b.*, b.p1 < 3 AS returned, b.started_at + interval '30 minutes' AS ret_at,
       b.started_at + interval '2 hours' AS ack_due, b.started_at + interval '5 days' AS res_due,
       CASE WHEN b.p1 >= 3 AND b.started_at + b.ack_s * interval '1 second' <= %(now)s
            THEN b.started_at + b.ack_s * interval '1 second' END AS ack_done,
       CASE WHEN b.p1 >= 3 AND b.started_at + b.res_s * interval '1 second' <= %(now)s
            THEN b.started_at + b.res_s * interval '1 second' END AS res_done
  FROM bench_base b
"""

COMPLAINTS = """
INSERT INTO fb_rm_complaint (complaint_id, category, priority, channel, submitted_at)
SELECT complaint_id, category, CASE WHEN p3 < 10 THEN 'urgent' ELSE 'normal' END, 'web',
       started_at - interval '1 minute' FROM bench_f
"""

ASSIGNMENTS = f"""
INSERT INTO fb_rm_assignment (assignment_id, complaint_id, unit_id, category, reason, started_at,
                              start_day, ended_at, end_kind)
SELECT assignment_id, complaint_id, unit_id, category, 'jurisdiction', started_at, (started_at {DAY},
       CASE WHEN returned THEN ret_at END, CASE WHEN returned THEN 'returned' END FROM bench_f
"""

# Raw facts of both deadlines, then the read model's own judging rules (readmodel_derive).
OBLIGATIONS = f"""
WITH raw AS (
  SELECT assignment_id, 1 AS cycle, 'ack' AS kind, complaint_id, unit_id, category, started_at,
         ack_due AS due, ack_done AS done_at, ack_done <= ack_due AS done_met,
         CASE WHEN ack_done IS NOT NULL THEN ack_s END AS wall_s,
         CASE WHEN ack_done IS NOT NULL THEN ack_s * 0.5 END AS working_s,
         CASE WHEN returned THEN ret_at END AS responded_at, CASE WHEN returned THEN true END AS responded_met,
         CASE WHEN returned THEN ret_at END AS ended_at,
         CASE WHEN NOT returned AND ack_due <= %(now)s AND (ack_done IS NULL OR ack_done > ack_due)
              THEN ack_due END AS breached_at
    FROM bench_f
  UNION ALL
  SELECT assignment_id, 1, 'resolve', complaint_id, unit_id, category, started_at,
         res_due, res_done, res_done <= res_due,
         CASE WHEN res_done IS NOT NULL THEN res_s END, CASE WHEN res_done IS NOT NULL THEN res_s * 0.3 END,
         NULL, NULL, CASE WHEN returned THEN ret_at END,
         CASE WHEN NOT returned AND res_due <= %(now)s AND (res_done IS NULL OR res_done > res_due)
              THEN res_due END
    FROM bench_f
), src AS (
  SELECT r.*, r.ended_at AS end_at, coalesce(r.done_at, r.responded_at) AS acted_at,
         CASE WHEN r.done_at IS NOT NULL THEN r.done_met
              WHEN r.responded_at IS NOT NULL THEN coalesce(r.responded_met, r.responded_at <= r.due) END AS acted_met
    FROM raw r
), judged AS (
  SELECT s.*, {OUTCOME} AS outcome
    FROM src s
)
INSERT INTO fb_rm_obligation (assignment_id, cycle, kind, complaint_id, unit_id, started_at, due, due_set_at,
  done_at, done_met, wall_s, working_s, responded_at, responded_met, ended_at, breached_at, category,
  outcome, counted_at, counted_day, done_day, pending)
SELECT assignment_id, cycle, kind, complaint_id, unit_id, started_at, due, started_at,
       done_at, done_met, wall_s, working_s, responded_at, responded_met, ended_at, breached_at, category,
       outcome, CASE WHEN outcome IN ('met', 'missed') THEN least(acted_at, due) END,
       (CASE WHEN outcome IN ('met', 'missed') THEN least(acted_at, due) END {DAY},
       (done_at {DAY}, acted_at IS NULL AND end_at IS NULL AND due IS NOT NULL
  FROM judged
"""

VERDICTS = f"""
WITH v AS (
  SELECT assignment_id, complaint_id, unit_id, category, res_done AS requested_at,
         res_done + interval '7 days' AS closes_at,
         CASE WHEN p2 < 70 AND res_done + verdict_s * interval '1 second' <= %(now)s
              THEN res_done + verdict_s * interval '1 second' END AS given_at,
         CASE WHEN p2 BETWEEN 70 AND 89 AND res_done + interval '7 days' <= %(now)s
              THEN res_done + interval '7 days' END AS expired_at, p3
    FROM bench_f WHERE res_done IS NOT NULL)
INSERT INTO fb_rm_verdict (assignment_id, cycle, complaint_id, unit_id, requested_at, closes_at, given_at,
  expired_at, resolved, satisfaction, reopen_requested, review_flagged, category, outcome, day)
SELECT assignment_id, 1, complaint_id, unit_id, requested_at, closes_at, given_at, expired_at,
       CASE WHEN given_at IS NOT NULL THEN p3 < 85 END,
       CASE WHEN given_at IS NULL THEN NULL WHEN p3 < 60 THEN 'satisfied'
            WHEN p3 < 85 THEN 'basically_satisfied' ELSE 'dissatisfied' END,
       CASE WHEN given_at IS NOT NULL THEN p3 >= 95 END, CASE WHEN given_at IS NOT NULL THEN p3 >= 98 END,
       category, CASE WHEN given_at IS NOT NULL THEN 'verdict' WHEN expired_at IS NOT NULL THEN 'expired'
                      ELSE 'requested' END,
       (coalesce(given_at, expired_at) {DAY}
  FROM v
"""

ESCALATIONS = f"""
WITH missed AS (
  SELECT assignment_id, 'ack' AS kind, complaint_id, unit_id, district_id, category, ack_due AS at
    FROM bench_f WHERE NOT returned AND ack_due <= %(now)s AND (ack_done IS NULL OR ack_done > ack_due)
  UNION ALL
  SELECT assignment_id, 'resolve', complaint_id, unit_id, district_id, category, res_due
    FROM bench_f WHERE NOT returned AND res_due <= %(now)s AND (res_done IS NULL OR res_done > res_due))
INSERT INTO fb_rm_escalation (assignment_id, cycle, kind, level, complaint_id, unit_id, watcher_unit_id,
                              at, category, day)
SELECT assignment_id, 1, kind, 1, complaint_id, unit_id, district_id, at, category, (at {DAY} FROM missed
"""

UNITS = """
INSERT INTO fb_rm_unit (unit_id, name, kind, district_id, district_name, seen_at)
SELECT u, n, k, d, dn, %(t0)s FROM unnest(%(units)s::text[], %(names)s::text[], %(kinds)s::text[],
                                        %(districts)s::text[], %(district_names)s::text[]) AS x(u, n, k, d, dn)
"""

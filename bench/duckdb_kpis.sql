-- DuckDB implementation of the ticketkpi KPI contract (v1, /work/shared/kpi-definitions.md)
-- over the canonical event CSV. Independent of ticketkpi's Rust code: written from the contract
-- only, so that `bench/run.sh` can use it both as a speed baseline and as a differential test.
--
-- The driver (bench/duckdb_kpis.py) replaces __INPUT__ with the quoted path of the export and
-- runs the statements in order; the last one returns one row per KPI block (overall + by channel).
-- Scope: clean canonical CSV (no invalid rows), no --as-of/--since/--until/--tz/--period,
-- default CSAT scale 1-5 (satisfied >= 4), default SLA targets.

-- 1. Events. `row_number() OVER ()` on the bare scan numbers rows in file order (DuckDB
--    guarantees order preservation for a single-table FROM and an empty OVER clause); it breaks
--    timestamp ties. Empty CSV fields are NULL.
CREATE OR REPLACE TEMP TABLE ev AS
SELECT
    rn,
    trim(ticket_id)                                        AS tid,
    epoch(CAST(trim("timestamp") AS TIMESTAMPTZ))          AS ts,
    coalesce(nullif(lower(trim(event)), ''), 'message')    AS ev,
    nullif(lower(trim(author_type)), '')                   AS au,
    nullif(lower(trim(channel)), '')                       AS ch,
    nullif(lower(trim(priority)), '')                      AS pr,
    nullif(lower(trim(status)), '')                        AS st,
    csat, nps, sentiment,
    -- handle time of the row: handle_seconds, else talk + hold + acw (any of them present)
    CASE WHEN handle_seconds IS NOT NULL THEN handle_seconds
         WHEN talk_seconds IS NOT NULL OR hold_seconds IS NOT NULL OR acw_seconds IS NOT NULL
         THEN coalesce(talk_seconds, 0) + coalesce(hold_seconds, 0) + coalesce(acw_seconds, 0)
    END                                                    AS handle
FROM (
    SELECT row_number() OVER () AS rn, *
    FROM read_csv(__INPUT__, header = true, delim = ',', quote = '"', escape = '"',
                  columns = {
                      'ticket_id': 'VARCHAR', 'timestamp': 'VARCHAR', 'event': 'VARCHAR',
                      'author_type': 'VARCHAR', 'channel': 'VARCHAR', 'agent': 'VARCHAR',
                      'team': 'VARCHAR', 'priority': 'VARCHAR', 'category': 'VARCHAR',
                      'status': 'VARCHAR', 'csat': 'DOUBLE', 'handle_seconds': 'DOUBLE',
                      'talk_seconds': 'DOUBLE', 'hold_seconds': 'DOUBLE', 'acw_seconds': 'DOUBLE',
                      'nps': 'DOUBLE', 'sentiment': 'DOUBLE'})
);

-- as_of = latest timestamp of any row; "no status anywhere" switches the status KPIs to NULL.
SET VARIABLE as_of = (SELECT max(ts) FROM ev);
SET VARIABLE has_status = (SELECT count(st) > 0 FROM ev);

-- 2. Status state machine, per event in (timestamp, file row) order.
--    state after a row = its explicit status if it has one; else, if the last explicit status is
--    `solved` and a customer message with an empty status came after it, `open` (the reopen by a
--    customer message); else the last explicit status (NULL = no status yet = unsolved).
--    `kind` marks the rows that matter for that: S = explicit status, C = customer message
--    without status. The same rule over the frame ending one row earlier gives the state before.
CREATE OR REPLACE TEMP TABLE ev2 AS
SELECT
    *,
    row_number() OVER w                          AS pos,
    last_value(st IGNORE NULLS) OVER w           AS l_st,
    last_value(kind IGNORE NULLS) OVER w         AS l_kind,
    last_value(st IGNORE NULLS) OVER wp          AS p_st,
    last_value(kind IGNORE NULLS) OVER wp        AS p_kind,
    -- replies up to and including this row: numbers the runs of customer messages
    count(*) FILTER (WHERE is_reply) OVER w      AS rseq
FROM (
    SELECT *,
           ev = 'message' AND au = 'agent'    AS is_reply,
           ev = 'message' AND au = 'customer' AS is_cmsg,
           CASE WHEN st IS NOT NULL THEN 'S'
                WHEN ev = 'message' AND au = 'customer' THEN 'C' END AS kind
    FROM ev
    WHERE ts <= getvariable('as_of')
)
WINDOW w  AS (PARTITION BY tid ORDER BY ts, rn ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
       wp AS (PARTITION BY tid ORDER BY ts, rn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING);

-- A view: cheap to recompute for its two users, cheaper than materialising it.
CREATE OR REPLACE TEMP VIEW ev3 AS
SELECT *,
       state IN ('solved', 'closed') AND (prev IS NULL OR prev NOT IN ('solved', 'closed')) AS is_res,
       prev IN ('solved', 'closed') AND state IN ('new', 'open', 'pending', 'on_hold')     AS is_reopen
FROM (
    SELECT *,
           CASE WHEN l_st = 'solved' AND l_kind = 'C' THEN 'open' ELSE l_st END AS state,
           CASE WHEN p_st = 'solved' AND p_kind = 'C' THEN 'open' ELSE p_st END AS prev
    FROM ev2
);

-- 3. Tickets.
CREATE OR REPLACE TEMP TABLE tk0 AS
SELECT
    tid,
    min(ts)                                                           AS created,
    -- channel of the first customer message if that row has one, else first non-empty channel
    coalesce(arg_min_null(ch, pos) FILTER (WHERE is_cmsg),
             arg_min(ch, pos) FILTER (WHERE ch IS NOT NULL))          AS channel,
    arg_max(pr, pos) FILTER (WHERE pr IS NOT NULL)                    AS priority,
    -- direction: author of the first customer-or-agent message
    arg_min(au, pos) FILTER (WHERE ev = 'message' AND au IN ('customer', 'agent')) AS opener,
    count(*) FILTER (WHERE is_reply)                                  AS replies,
    count(*) FILTER (WHERE is_cmsg)                                   AS cmsgs,
    count(*) FILTER (WHERE ev = 'message' AND au = 'bot')             AS bmsgs,
    count(*) FILTER (WHERE ev = 'note')                               AS notes,
    min(ts) FILTER (WHERE is_cmsg)                                    AS first_cmsg,
    min(ts) FILTER (WHERE is_reply)                                   AS first_reply,
    arg_max_null(state, pos)                                          AS final_state,
    min(ts) FILTER (WHERE is_res)                                     AS first_res,
    max(ts) FILTER (WHERE is_res)                                     AS last_res,
    count(*) FILTER (WHERE is_reopen)                                 AS reopens,
    sum(handle)                                                       AS handle,
    count(*) FILTER (WHERE ev = 'rating') > 0                         AS rated,
    arg_max(csat, pos) FILTER (WHERE ev = 'rating')                   AS csat,
    arg_max(nps, pos) FILTER (WHERE nps IS NOT NULL)                  AS nps,
    count(DISTINCT ch) FILTER (WHERE ev = 'message')                  AS msg_channels,
    count(sentiment) FILTER (WHERE is_cmsg)                           AS n_sent,
    arg_max(sentiment, pos) FILTER (WHERE is_cmsg AND sentiment IS NOT NULL)
      - arg_min(sentiment, pos) FILTER (WHERE is_cmsg AND sentiment IS NOT NULL) AS sent_change
FROM ev3
GROUP BY tid;

CREATE OR REPLACE TEMP TABLE tk AS
SELECT *,
       CASE WHEN fr_clock AND answered THEN (CASE WHEN frt <= fr_target THEN 'met' ELSE 'breached' END)
            WHEN fr_clock THEN (CASE WHEN getvariable('as_of') - first_cmsg > fr_target THEN 'breached' ELSE 'running' END)
       END AS fr_sla,
       CASE WHEN solved THEN (CASE WHEN res_time <= res_target THEN 'met' ELSE 'breached' END)
            WHEN getvariable('as_of') - created > res_target THEN 'breached' ELSE 'running'
       END AS res_sla
FROM (
    SELECT *,
           inbound AND NOT answered AND NOT solved       AS unanswered,
           inbound AND NOT answered AND solved           AS cwr,
           inbound AND NOT (NOT answered AND solved)     AS fr_clock,
           CASE WHEN answered THEN first_reply - first_cmsg END AS frt,
           CASE WHEN solved THEN last_res - created END  AS res_time,
           first_res - created                           AS first_res_time,
           getvariable('as_of') - created                AS age,
           CASE pri WHEN 'urgent' THEN 3600 WHEN 'high' THEN 4 * 3600
                    WHEN 'low' THEN 24 * 3600 ELSE 8 * 3600 END AS fr_target,
           CASE pri WHEN 'urgent' THEN 8 * 3600 WHEN 'high' THEN 24 * 3600
                    WHEN 'low' THEN 168 * 3600 ELSE 72 * 3600 END AS res_target
    FROM (
        SELECT *,
               coalesce(channel, '(none)')                   AS grp,
               final_state IS NOT NULL AND final_state IN ('solved', 'closed') AS solved,
               coalesce(opener = 'customer', false)          AS inbound,
               coalesce(opener = 'agent', false)             AS outbound,
               coalesce(opener = 'customer', false) AND replies > 0 AS answered,
               CASE WHEN priority IN ('urgent', 'high', 'normal', 'low') THEN priority
                    ELSE 'normal' END                        AS pri
        FROM tk0
    )
);

-- 4. Response time: runs of customer messages, numbered by the replies before them; a run ends
--    at the next reply (the reply whose predecessors count is the run number).
CREATE OR REPLACE TEMP TABLE waits AS
SELECT t.grp, r.stop - r.start AS wait
FROM (
    SELECT tid,
           min(ts) FILTER (WHERE is_cmsg)  AS start,
           min(ts) FILTER (WHERE is_reply) AS stop
    FROM ev3
    WHERE is_cmsg OR is_reply
    GROUP BY tid, CASE WHEN is_cmsg THEN rseq ELSE rseq - 1 END
) r JOIN tk t USING (tid)
WHERE r.start IS NOT NULL AND r.stop IS NOT NULL;

CREATE OR REPLACE TEMP TABLE rt AS
SELECT coalesce(grp, '*') AS grp, count(wait) AS n, avg(wait) AS mean,
       quantile_cont(wait, 0.5) AS median, quantile_cont(wait, 0.9) AS p90
FROM waits
GROUP BY GROUPING SETS ((), (grp));

-- 5. KPI blocks: overall ('*') and by channel. Status-based columns are NULL without status.
SELECT
    k.*,
    coalesce(rt.n, 0) AS rt_count, rt.mean AS rt_mean, rt.median AS rt_median, rt.p90 AS rt_p90
FROM (
    SELECT
        CASE WHEN grouping(grp) = 1 THEN '*' ELSE grp END AS grp,
        count(*)                                                   AS tickets,
        count(*) FILTER (WHERE inbound)                            AS inbound,
        count(*) FILTER (WHERE outbound)                           AS outbound,
        sum(cmsgs)                                                 AS customer_messages,
        sum(replies)                                               AS agent_messages,
        sum(bmsgs)                                                 AS bot_messages,
        sum(notes)                                                 AS notes,
        -- FRT
        count(frt) AS frt_count, avg(frt) AS frt_mean,
        quantile_cont(frt, 0.5) AS frt_median, quantile_cont(frt, 0.9) AS frt_p90,
        count(*) FILTER (WHERE unanswered)                         AS unanswered,
        count(*) FILTER (WHERE answered)                           AS answered,
        count(*) FILTER (WHERE cwr)                                AS closed_without_reply,
        -- resolution
        count(res_time) AS res_count, avg(res_time) AS res_mean,
        quantile_cont(res_time, 0.5) AS res_median, quantile_cont(res_time, 0.9) AS res_p90,
        count(first_res_time) AS fres_count, avg(first_res_time) AS fres_mean,
        quantile_cont(first_res_time, 0.5) AS fres_median, quantile_cont(first_res_time, 0.9) AS fres_p90,
        -- FCR, bot resolution
        count(*) FILTER (WHERE solved AND replies > 0)                   AS fcr_eligible,
        count(*) FILTER (WHERE solved AND replies = 1 AND reopens = 0)   AS fcr_first_contact,
        count(*) FILTER (WHERE solved)                                   AS solved,
        count(*) FILTER (WHERE solved AND replies = 0 AND bmsgs > 0)     AS bot_resolved,
        -- AHT
        count(handle) AS aht_count, avg(handle) AS aht_mean,
        quantile_cont(handle, 0.5) AS aht_median, quantile_cont(handle, 0.9) AS aht_p90,
        -- CSAT, NPS
        count(csat)                                                AS csat_responses,
        count(*) FILTER (WHERE csat >= 4)                          AS csat_satisfied,
        avg(csat)                                                  AS csat_mean,
        count(*) FILTER (WHERE solved AND rated)                   AS solved_rated,
        count(nps)                                                 AS nps_responses,
        count(*) FILTER (WHERE nps >= 9)                           AS nps_promoters,
        count(*) FILTER (WHERE nps > 6 AND nps < 9)                AS nps_passives,
        count(*) FILTER (WHERE nps <= 6)                           AS nps_detractors,
        -- backlog
        count(*) FILTER (WHERE NOT solved)                                          AS backlog_open,
        count(*) FILTER (WHERE NOT solved AND age < 86400)                          AS age_0_1d,
        count(*) FILTER (WHERE NOT solved AND age >= 86400 AND age < 3 * 86400)     AS age_1_3d,
        count(*) FILTER (WHERE NOT solved AND age >= 3 * 86400 AND age < 7 * 86400)  AS age_3_7d,
        count(*) FILTER (WHERE NOT solved AND age >= 7 * 86400 AND age < 30 * 86400) AS age_7_30d,
        count(*) FILTER (WHERE NOT solved AND age >= 30 * 86400)                    AS age_30d,
        -- SLA
        count(*) FILTER (WHERE fr_sla = 'met')       AS fr_met,
        count(*) FILTER (WHERE fr_sla = 'breached')  AS fr_breached,
        count(*) FILTER (WHERE fr_sla = 'running')   AS fr_running,
        count(*) FILTER (WHERE res_sla = 'met')      AS res_met,
        count(*) FILTER (WHERE res_sla = 'breached') AS res_breached,
        count(*) FILTER (WHERE res_sla = 'running')  AS res_running,
        -- interactions, redirects, sentiment
        sum(replies) FILTER (WHERE solved)           AS solved_replies,
        count(*) FILTER (WHERE msg_channels > 1)     AS redirect_tickets,
        count(*) FILTER (WHERE n_sent >= 2)          AS sentiment_tickets,
        avg(sent_change) FILTER (WHERE n_sent >= 2)  AS sentiment_mean_change,
        getvariable('has_status')                    AS has_status
    FROM tk
    GROUP BY GROUPING SETS ((), (grp))
) k
LEFT JOIN rt USING (grp)
ORDER BY grp;

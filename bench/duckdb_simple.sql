-- The straightforward KPI query an analyst writes in an afternoon (issue 12's yardstick, timed
-- beside the exact bench/duckdb_kpis.sql): read the CSV, one GROUP BY ticket with min/max/arg_min
-- of timestamps, then one GROUP BY channel. It ignores the contract's finer rules (status state
-- machine, reopens, response-time runs, ties by file order), so its numbers are not compared;
-- it measures what "the same job, done simply" costs DuckDB.
-- `{path}` is replaced by bench/duckdb_simple.py.
WITH ev AS (
    SELECT * FROM read_csv('{path}', header = true, auto_detect = false,
        columns = {'ticket_id': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ', 'event': 'VARCHAR',
                   'author_type': 'VARCHAR', 'channel': 'VARCHAR', 'agent': 'VARCHAR',
                   'team': 'VARCHAR', 'priority': 'VARCHAR', 'category': 'VARCHAR',
                   'status': 'VARCHAR', 'csat': 'DOUBLE', 'handle_seconds': 'DOUBLE',
                   'talk_seconds': 'DOUBLE', 'hold_seconds': 'DOUBLE', 'acw_seconds': 'DOUBLE',
                   'nps': 'DOUBLE', 'sentiment': 'DOUBLE'})
),
tickets AS (
    SELECT
        ticket_id,
        arg_min(channel, "timestamp") FILTER (WHERE channel IS NOT NULL)                AS channel,
        min("timestamp")                                                                AS created,
        min("timestamp") FILTER (WHERE event = 'message' AND author_type = 'customer')  AS first_customer,
        min("timestamp") FILTER (WHERE event = 'message' AND author_type = 'agent')     AS first_reply,
        max("timestamp") FILTER (WHERE status IN ('solved', 'closed'))                  AS resolved,
        arg_max(status, "timestamp") FILTER (WHERE status IS NOT NULL)                  AS last_status,
        count(*) FILTER (WHERE event = 'message' AND author_type = 'agent')             AS replies,
        sum(handle_seconds)                                                             AS handle,
        arg_max(csat, "timestamp") FILTER (WHERE event = 'rating')                      AS csat,
        arg_max(nps, "timestamp") FILTER (WHERE nps IS NOT NULL)                        AS nps
    FROM ev
    GROUP BY ticket_id
)
SELECT
    coalesce(channel, '(none)')                                                   AS channel,
    count(*)                                                                      AS tickets,
    median(epoch(first_reply) - epoch(first_customer))                            AS frt_median,
    quantile_cont(epoch(first_reply) - epoch(first_customer), 0.9)                AS frt_p90,
    median(epoch(resolved) - epoch(created)) FILTER (WHERE last_status IN ('solved', 'closed')) AS resolution_median,
    avg(CASE WHEN last_status IN ('solved', 'closed') AND replies = 1 THEN 1.0 ELSE 0.0 END) AS fcr,
    avg(handle)                                                                   AS aht_mean,
    avg(CASE WHEN csat >= 4 THEN 1.0 WHEN csat IS NOT NULL THEN 0.0 END)           AS csat_rate,
    100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))
        / nullif(count(nps), 0)                                                   AS nps,
    count(*) FILTER (WHERE last_status IS NULL OR last_status NOT IN ('solved', 'closed')) AS backlog
FROM tickets
GROUP BY ROLLUP (coalesce(channel, '(none)'))
ORDER BY channel;

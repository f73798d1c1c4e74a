#!/usr/bin/env python3
"""Compute ticketkpi's KPIs (overall + by channel) with DuckDB, from bench/duckdb_kpis.sql.

Usage: duckdb_kpis.py EXPORT.csv[.gz] [--threads N] [--verify-order]

Prints a JSON object shaped like the subset of `ticketkpi report --format json` it computes
(`as_of`, `input.rows`, `input.tickets`, `overall`, `groups`), for bench/compare.py.
"""
import argparse
import csv
import gzip
import json
import os
import sys
from datetime import datetime, timezone

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))


def div(a, b):
    return None if not b else a / b


def dist(r, p):
    n = r[p + "_count"] or 0
    if n == 0:
        return {"count": 0, "mean": None, "median": None, "p90": None}
    return {"count": n, "mean": r[p + "_mean"], "median": r[p + "_median"], "p90": r[p + "_p90"]}


def block(r, share):
    st = bool(r["has_status"])
    fr = dist(r, "frt")
    fr["unanswered"] = r["unanswered"]
    nps_n = r["nps_responses"]
    return {
        "tickets": r["tickets"],
        "volume": {
            "tickets": r["tickets"], "inbound": r["inbound"], "outbound": r["outbound"],
            "customer_messages": r["customer_messages"], "agent_messages": r["agent_messages"],
            "bot_messages": r["bot_messages"], "notes": r["notes"], "channel_share": share,
        },
        "first_response": fr,
        "response_time": dist(r, "rt"),
        "resolution_time": dist(r, "res") if st else None,
        "first_resolution_time": dist(r, "fres") if st else None,
        "fcr": {"eligible": r["fcr_eligible"], "first_contact": r["fcr_first_contact"],
                "rate": div(r["fcr_first_contact"], r["fcr_eligible"])} if st else None,
        "bot_resolution": {"solved": r["solved"], "bot_resolved": r["bot_resolved"],
                           "rate": div(r["bot_resolved"], r["solved"])} if st else None,
        "aht": dist(r, "aht"),
        "csat": {"responses": r["csat_responses"], "satisfied": r["csat_satisfied"],
                 "rate": div(r["csat_satisfied"], r["csat_responses"]),
                 "mean_score": r["csat_mean"],
                 "response_rate": div(r["solved_rated"], r["solved"]) if st else None},
        "nps": {"responses": nps_n, "promoters": r["nps_promoters"], "passives": r["nps_passives"],
                "detractors": r["nps_detractors"],
                "score": None if not nps_n else 100.0 * (r["nps_promoters"] - r["nps_detractors"]) / nps_n},
        "backlog": {"open": r["backlog_open"],
                    "age": {"0-1d": r["age_0_1d"], "1-3d": r["age_1_3d"], "3-7d": r["age_3_7d"],
                            "7-30d": r["age_7_30d"], "30d+": r["age_30d"]}} if st else None,
        "sla": {
            "first_reply": {"met": r["fr_met"], "breached": r["fr_breached"], "running": r["fr_running"],
                            "attainment": div(r["fr_met"], r["fr_met"] + r["fr_breached"])},
            "resolution": {"met": r["res_met"], "breached": r["res_breached"], "running": r["res_running"],
                           "attainment": div(r["res_met"], r["res_met"] + r["res_breached"])} if st else None,
        },
        "response_rate": {"answered": r["answered"], "unanswered": r["unanswered"],
                          "closed_without_reply": r["closed_without_reply"],
                          "rate": div(r["answered"], r["answered"] + r["unanswered"])},
        "interactions": {"replies_per_solved_ticket": div(r["solved_replies"] or 0, r["solved"]) if st else None,
                         "customer_messages_per_ticket": div(r["customer_messages"], r["tickets"])},
        "redirects": {"tickets": r["redirect_tickets"], "rate": div(r["redirect_tickets"], r["tickets"])},
        "sentiment": {"tickets": r["sentiment_tickets"], "mean_change": r["sentiment_mean_change"]},
    }


def verify_order(con, path):
    """Checks that the row numbers DuckDB assigned are the file's row order (small files only)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", newline="") as f:
        rows = [(r["ticket_id"].strip(), (r["event"] or "message").strip().lower())
                for r in csv.DictReader(f)]
    got = con.execute("SELECT tid, ev FROM ev ORDER BY rn").fetchall()
    if [tuple(g) for g in got] != rows:
        bad = next(i for i, (a, b) in enumerate(zip(got, rows)) if tuple(a) != b) if len(got) == len(rows) else -1
        sys.exit(f"duckdb_kpis: row numbers are not file order (first difference at row {bad})")
    print(f"duckdb_kpis: row order verified on {len(rows)} rows", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("export")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--verify-order", action="store_true")
    args = ap.parse_args()

    with open(os.path.join(HERE, "duckdb_kpis.sql")) as f:
        sql = f.read()
    sql = sql.replace("__INPUT__", "'" + args.export.replace("'", "''") + "'")

    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {args.threads}")
    con.execute("SET preserve_insertion_order = true")
    cur = con.execute(sql)  # runs every statement; the result is the last one's
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r)) for r in cur.fetchall()]
    if args.verify_order:
        verify_order(con, args.export)

    n_rows = con.execute("SELECT count(*) FROM ev").fetchone()[0]
    as_of = con.execute("SELECT getvariable('as_of')").fetchone()[0]
    overall = next(r for r in rows if r["grp"] == "*")
    groups = [r for r in rows if r["grp"] != "*"]
    share = {g["grp"]: g["tickets"] / overall["tickets"] for g in groups}
    out = {
        "as_of": datetime.fromtimestamp(as_of, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if as_of is not None else None,
        "input": {"rows": n_rows, "tickets": overall["tickets"]},
        "overall": block(overall, share),
        # The report's group of tickets without a channel has `by` null (issue 16); the SQL
        # labels it '(none)', as channel_share does (the bench's exports hold no real '(none)').
        "groups": [{"by": {"channel": None if g["grp"] == "(none)" else g["grp"]},
                    "kpis": block(g, {g["grp"]: 1.0})} for g in groups],
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

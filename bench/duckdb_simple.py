#!/usr/bin/env python3
"""Run bench/duckdb_simple.sql (the straightforward KPI query) on one CSV and print its rows.

Usage: duckdb_simple.py EXPORT.csv [--threads N]
Timed by bench/run.sh as "duckdb simple"; its numbers are not compared (see the SQL's header).
"""
import argparse
import json
import os

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    with open(os.path.join(HERE, "duckdb_simple.sql")) as f:
        sql = f.read().replace("{path}", a.path.replace("'", "''"))
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {a.threads}")
    rows = con.execute(sql).fetchall()
    names = [d[0] for d in con.description]
    print(json.dumps([dict(zip(names, r)) for r in rows], default=str, indent=1))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Formats the raw measurements of bench/run.sh as a Markdown table (medians over the runs).

Usage: table.py RAW.tsv
RAW.tsv columns: case, tickets, rows, bytes_on_disk, csv_bytes, tool, run, wall_s, rss_kb, cpu_s
"""
import statistics
import sys
from collections import OrderedDict


def main():
    cases = OrderedDict()
    with open(sys.argv[1]) as f:
        for line in f:
            case, tickets, rows, disk, csv_bytes, tool, _run, wall, rss, cpu = line.rstrip("\n").split("\t")
            c = cases.setdefault(case, {"tickets": int(tickets), "rows": int(rows), "disk": int(disk),
                                        "csv": int(csv_bytes), "tools": OrderedDict()})
            c["tools"].setdefault(tool, []).append((float(wall), int(rss), float(cpu)))

    print("| size | rows | MB | tool | median wall s | MB/s | rows/s | peak RSS MB | CPU s | time vs DuckDB |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    per_ticket = []
    for case, c in cases.items():
        duck = None
        if "duckdb" in c["tools"]:
            duck = statistics.median(w for w, _, _ in c["tools"]["duckdb"])
        for tool, runs in c["tools"].items():
            wall = statistics.median(w for w, _, _ in runs)
            rss = statistics.median(r for _, r, _ in runs)
            cpu = statistics.median(u for _, _, u in runs)
            mbs = c["csv"] / 1e6 / wall if wall > 0 else float("inf")
            rps = c["rows"] / wall if wall > 0 else float("inf")
            ratio = f"{wall / duck:.2f}×" if duck else "–"
            print(f"| {case} | {c['rows']:,} | {c['disk'] / 1e6:,.1f} | {tool} | {wall:.3f} | {mbs:,.0f} | "
                  f"{rps:,.0f} | {rss / 1024:,.0f} | {cpu:.2f} | {ratio} |")
            if tool == "ticketkpi":
                per_ticket.append((case, c["tickets"], rss * 1024 / c["tickets"]))
    print()
    print("MB = size of the input file on disk (10^6 bytes); MB/s = uncompressed CSV MB / median wall "
          "time; `time vs DuckDB` = median wall / DuckDB's median wall on the same input (< 1 is faster).")
    runs = sorted({len(r) for c in cases.values() for r in c["tools"].values()})
    print("Peak RSS = median over the runs of `/usr/bin/time -v` \"Maximum resident set size\"; CPU s = "
          f"median user + system time. Runs per cell: {', '.join(map(str, runs))}.")
    print()
    for case, tickets, b in per_ticket:
        print(f"- ticketkpi peak RSS per ticket, {case}: {b:,.0f} bytes ({tickets:,} tickets)")


if __name__ == "__main__":
    main()

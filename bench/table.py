#!/usr/bin/env python3
"""Formats the raw measurements of bench/run.sh as Markdown: the table (medians and spread over
the runs), memory per ticket and per row beyond fixed costs, and issue 12's targets, met or not.

Usage: table.py RAW.tsv
RAW.tsv columns: case, tickets, rows, bytes_on_disk, csv_bytes, tool, run, wall_s, rss_kb, cpu_s
"""
import statistics
import sys
from collections import OrderedDict


def load(path):
    cases = OrderedDict()
    with open(path) as f:
        for line in f:
            case, tickets, rows, disk, csv_bytes, tool, _run, wall, rss, cpu = line.rstrip("\n").split("\t")
            c = cases.setdefault(case, {"tickets": int(tickets), "rows": int(rows), "disk": int(disk),
                                        "csv": int(csv_bytes), "tools": OrderedDict()})
            c["rows"], c["csv"] = int(rows), int(csv_bytes)
            c["tools"].setdefault(tool, []).append((float(wall), int(rss), float(cpu)))
    return cases


def med(runs, i):
    return statistics.median(r[i] for r in runs)


def table(cases):
    print("| size | rows | MB | tool | median wall s | spread s | MB/s | rows/s | peak RSS MB | CPU s "
          "| vs DuckDB exact | vs DuckDB simple |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for case, c in cases.items():
        base = {t: med(c["tools"][t], 0) for t in ("duckdb", "duckdb simple") if t in c["tools"]}
        for tool, runs in c["tools"].items():
            wall, rss, cpu = med(runs, 0), med(runs, 1), med(runs, 2)
            lo, hi = min(r[0] for r in runs), max(r[0] for r in runs)
            spread = f"{lo:.2f}–{hi:.2f}" if len(runs) > 1 else "1 run"
            mbs = c["csv"] / 1e6 / wall if wall > 0 else float("inf")
            rps = c["rows"] / wall if wall > 0 else float("inf")
            ratios = [f"{wall / base[t]:.2f}×" if t in base else "–" for t in ("duckdb", "duckdb simple")]
            cell = tool.replace("|", "\\|")
            print(f"| {case} | {c['rows']:,} | {c['disk'] / 1e6:,.1f} | {cell} | {wall:.3f} | {spread} | "
                  f"{mbs:,.0f} | {rps:,.0f} | {rss / 1024:,.0f} | {cpu:.2f} | {ratios[0]} | {ratios[1]} |")
    print()
    print("MB = size of the input on disk (10^6 bytes; 0 for a pipe); MB/s = uncompressed MB / median "
          "wall time; spread = fastest–slowest run; `vs DuckDB` = median wall / DuckDB's median wall "
          "on the same input (exact: bench/duckdb_kpis.sql; simple: bench/duckdb_simple.sql).")
    runs = sorted({len(r) for c in cases.values() for r in c["tools"].values()})
    print("Peak RSS = median over the runs of `/usr/bin/time -v` \"Maximum resident set size\"; CPU s = "
          f"median user + system time. Runs per cell: {', '.join(map(str, runs))}.")


def plain_csv(cases):
    """The CSV cases (not gzip, JSON Lines or streamed), smallest first."""
    return [(k, c) for k, c in cases.items() if k.endswith(" tickets") and "ticketkpi" in c["tools"]]


def memory(cases):
    points = [(c["tickets"], c["rows"], med(c["tools"]["ticketkpi"], 1) * 1024) for _, c in plain_csv(cases)]
    points += [(c["tickets"], c["rows"], med(c["tools"]["generate | ticketkpi"], 1) * 1024)
               for c in cases.values() if "generate | ticketkpi" in c["tools"]]
    points.sort()
    print()
    print("Memory of ticketkpi (2 threads), per size: peak RSS per ticket and per row, and beyond fixed "
          "costs (the growth from the smallest size, per added ticket and per added row; the generator "
          "writes ~8 rows per ticket at every size, so the two are the same growth said two ways):")
    print()
    for tickets, rows, rss in points:
        line = f"- {tickets:,} tickets, {rows:,} rows: {rss / 1e6:,.0f} MB, {rss / tickets:,.0f} B/ticket, {rss / rows:,.1f} B/row"
        if points and tickets > points[0][0]:
            t0, r0, m0 = points[0]
            line += (f"; beyond the {t0:,}-ticket point: {(rss - m0) / (tickets - t0):,.0f} B per added ticket"
                     f" = {(rss - m0) / (rows - r0):,.1f} B per added row")
        print(line)
    return points


def targets(cases, points):
    csvs = plain_csv(cases)
    if not csvs:
        return
    name, big = csvs[-1]
    tk, one = big["tools"]["ticketkpi"], big["tools"].get("ticketkpi 1 thread")
    simple = big["tools"].get("duckdb simple")
    xsv = big["tools"].get("xsv count")
    print()
    print(f"Targets of issue 12 at the largest CSV point ({name}):")
    print()
    print("| target | measured | met? |")
    print("|---|---|---|")
    yes = lambda ok: "yes" if ok else "**no**"
    if simple:
        w, d = med(tk, 0), med(simple, 0)
        print(f"| wall ≤ 0.5× DuckDB's straightforward query | {w:.2f} s vs {d:.2f} s: {w / d:.2f}× | {yes(w <= 0.5 * d)} |")
        r, dr = med(tk, 1), med(simple, 1)
        print(f"| peak RSS ≤ 0.5× DuckDB's straightforward query | {r / 1024:,.0f} MB vs {dr / 1024:,.0f} MB: {r / dr:.2f}× | {yes(r <= 0.5 * dr)} |")
    if xsv:
        w, x = med(tk, 0), med(xsv, 0)
        print(f"| stretch: within 1.5× of `xsv count` | {w:.2f} s vs {x:.2f} s: {w / x:.1f}× | {yes(w <= 1.5 * x)} |")
    if one:
        s = med(one, 0) / med(tk, 0)
        print(f"| 1 → 2 threads ≥ 1.8× | {med(one, 0):.2f} s → {med(tk, 0):.2f} s: {s:.2f}× | {yes(s >= 1.8)} |")
    rates = [(k, c["rows"] / med(c["tools"]["ticketkpi"], 0)) for k, c in csvs]
    rates += [(k, c["rows"] / med(c["tools"]["generate | ticketkpi"], 0)) for k, c in cases.items()
              if "generate | ticketkpi" in c["tools"]]
    if len(rates) > 1:
        lo, hi = min(r for _, r in rates), max(r for _, r in rates)
        said = "; ".join(f"{k}: {r / 1e6:.2f} M rows/s" for k, r in rates)
        print(f"| time linear in rows (rows/s within ±20% across sizes) | {said} | {yes(lo >= 0.8 * hi)} |")
    if len(points) > 1:
        (t0, r0, m0), (t1, r1, m1) = points[0], points[-1]
        per_row = (m1 - m0) / (r1 - r0)
        per_ticket = (m1 - m0) / (t1 - t0)
        print(f"| ≤ 24 B/event and ≤ 200 B/ticket beyond fixed costs | growth {per_ticket:,.0f} B per added ticket "
              f"= {per_row:,.1f} B per added row (events and tickets grow together here) | "
              f"{yes(per_ticket <= 24 * (r1 - r0) / (t1 - t0) + 200)} |")
    for k, c in cases.items():
        if "gzip -dc | ticketkpi" in c["tools"]:
            w, p = med(c["tools"]["ticketkpi"], 0), med(c["tools"]["gzip -dc | ticketkpi"], 0)
            print(f"| gzip within 1.3× of `gzip -dc \\|` into the same run ({k}) | {w:.2f} s vs {p:.2f} s: {w / p:.2f}× | {yes(w <= 1.3 * p)} |")
        if k.endswith(".jsonl"):
            csv_case = cases.get(k[: -len(" .jsonl")])
            if csv_case:
                w, c2 = med(c["tools"]["ticketkpi"], 0), med(csv_case["tools"]["ticketkpi"], 0)
                print(f"| JSON Lines: no regression (reported: vs the same rows as CSV) | {w:.2f} s vs {c2:.2f} s: {w / c2:.2f}× | see text |")


def main():
    cases = load(sys.argv[1])
    table(cases)
    points = memory(cases)
    targets(cases, points)


if __name__ == "__main__":
    main()

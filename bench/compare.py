#!/usr/bin/env python3
"""Differential check: every KPI the DuckDB implementation computes must match ticketkpi's JSON.

Usage: compare.py DUCKDB.json TICKETKPI.json [--rel 1e-6] [--label NAME]
Numbers match when |a - b| <= rel * max(|a|, |b|) (or both are 0); nulls must be null on both
sides; groups are matched by their `by` key, and both sides must have the same set of groups.
Exit status 1 and one line per disagreement otherwise.
"""
import argparse
import json
import sys


def walk(ref, got, path, rel, out):
    if isinstance(ref, dict):
        if not isinstance(got, dict):
            out.append(f"{path}: duckdb has an object, ticketkpi has {json.dumps(got)}")
            return
        for k, v in ref.items():
            if k not in got:
                out.append(f"{path}.{k}: missing in ticketkpi (duckdb {json.dumps(v)})")
            else:
                walk(v, got[k], f"{path}.{k}", rel, out)
    elif ref is None or got is None:
        if ref is not got:
            out.append(f"{path}: duckdb {json.dumps(ref)} vs ticketkpi {json.dumps(got)}")
    elif isinstance(ref, (int, float)) and not isinstance(ref, bool):
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            out.append(f"{path}: duckdb {ref!r} vs ticketkpi {json.dumps(got)}")
        elif abs(ref - got) > rel * max(abs(ref), abs(got)):
            out.append(f"{path}: duckdb {ref!r} vs ticketkpi {got!r}")
    elif ref != got:
        out.append(f"{path}: duckdb {json.dumps(ref)} vs ticketkpi {json.dumps(got)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("duckdb_json")
    ap.add_argument("ticketkpi_json")
    ap.add_argument("--rel", type=float, default=1e-6)
    ap.add_argument("--label", default="")
    a = ap.parse_args()
    with open(a.duckdb_json) as f:
        ref = json.load(f)
    with open(a.ticketkpi_json) as f:
        got = json.load(f)

    out, checked = [], [0]
    walk(ref["as_of"], got.get("as_of"), "as_of", a.rel, out)
    walk(ref["input"], got.get("input", {}), "input", a.rel, out)
    walk(ref["overall"], got.get("overall", {}), "overall", a.rel, out)
    key = lambda g: json.dumps(g["by"], sort_keys=True)
    mine = {key(g): g for g in got.get("groups", [])}
    theirs = {key(g): g for g in ref["groups"]}
    for k in sorted(set(mine) - set(theirs)):
        out.append(f"groups[{k}]: only in ticketkpi")
    for k, g in sorted(theirs.items()):
        if k not in mine:
            out.append(f"groups[{k}]: only in duckdb")
        else:
            walk(g["kpis"], mine[k]["kpis"], f"groups[{k}]", a.rel, out)

    def count(x):
        if isinstance(x, dict):
            return sum(count(v) for v in x.values())
        return 1
    n = count(ref["overall"]) * (1 + len(ref["groups"]))
    label = f"{a.label}: " if a.label else ""
    if out:
        print(f"{label}{len(out)} disagreement(s) between DuckDB and ticketkpi:")
        for line in out:
            print("  " + line)
        sys.exit(1)
    print(f"{label}ticketkpi and DuckDB agree on all {n} KPI values ({len(ref['groups'])} channel groups + overall)")


if __name__ == "__main__":
    main()

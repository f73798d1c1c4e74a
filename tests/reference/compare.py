#!/usr/bin/env python3
"""Compare two ticketkpi JSON reports (e.g. the Rust tool's and the reference oracle's).

Usage: python3 compare.py A.json B.json

Every numeric leaf of `overall` and of each group's `kpis` (groups matched by their `by` object)
must agree within 1e-6 relative (math.isclose rel_tol=1e-6, plus abs_tol=1e-9 so that float
noise around 0 is not a difference), or both be null. A number against null, or an object
against null, is a difference. Non-numeric leaves (strings, booleans) must be equal.

Keys present in only one report are always printed; they count as differences only when the
key is part of the KPI block in docs/json-schema.md (dynamic keys of `volume.channel_share`
count too: a channel missing on one side is a data difference). Keys outside the schema are
printed as `note:` lines.

Output: one line `path: a != b` per difference, then `N values compared, K differences`.
Exit status 0 when K == 0, else 1 (2 on usage errors or an unreadable/non-JSON input).
"""

import json
import math
import sys

DIST = {"count": None, "mean": None, "median": None, "p90": None}


def _sla():
    return {"met": None, "breached": None, "running": None, "attainment": None}


# The KPI block of docs/json-schema.md. None = leaf; "*" = any key (data-driven map).
SCHEMA_BLOCK = {
    "tickets": None,
    "volume": {"tickets": None, "inbound": None, "outbound": None, "customer_messages": None,
               "agent_messages": None, "bot_messages": None, "notes": None,
               "channel_share": {"*": None}},
    "first_response": dict(DIST, unanswered=None),
    "response_time": dict(DIST),
    "resolution_time": dict(DIST),
    "first_resolution_time": dict(DIST),
    "fcr": {"eligible": None, "first_contact": None, "rate": None},
    "bot_resolution": {"solved": None, "bot_resolved": None, "rate": None},
    "aht": dict(DIST),
    "csat": {"responses": None, "satisfied": None, "rate": None, "mean_score": None,
             "response_rate": None, "scale_min": None, "scale_max": None,
             "satisfied_min": None},
    "nps": {"responses": None, "promoters": None, "passives": None, "detractors": None,
            "score": None},
    "backlog": {"open": None,
                "age": {"0-1d": None, "1-3d": None, "3-7d": None, "7-30d": None,
                        "30d+": None}},
    "sla": {"first_reply": _sla(), "resolution": _sla()},
    "response_rate": {"answered": None, "unanswered": None, "closed_without_reply": None,
                      "rate": None},
    "interactions": {"replies_per_solved_ticket": None, "customer_messages_per_ticket": None},
    "redirects": {"tickets": None, "rate": None},
    "sentiment": {"tickets": None, "mean_change": None},
}


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def short(x):
    s = json.dumps(x, sort_keys=True)
    return s if len(s) <= 80 else s[:77] + "..."


class Comparer:
    def __init__(self):
        self.compared = 0
        self.diffs = []
        self.notes = []

    def diff(self, path, a, b):
        self.diffs.append(f"{path}: {short(a)} != {short(b)}")

    def only_in(self, path, which, value, counts):
        line = f"{path}: only in {which} ({short(value)})"
        if counts:
            self.diffs.append(line)
        else:
            self.notes.append("note: " + line)

    def walk(self, a, b, path, schema):
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b), key=str):
                sub = None
                in_schema = False
                if isinstance(schema, dict):
                    if k in schema:
                        sub, in_schema = schema[k], True
                    elif "*" in schema:
                        sub, in_schema = schema["*"], True
                p = f"{path}.{k}"
                if k not in b:
                    self.only_in(p, "A", a[k], in_schema)
                elif k not in a:
                    self.only_in(p, "B", b[k], in_schema)
                else:
                    self.walk(a[k], b[k], p, sub)
            return
        if a is None and b is None:
            self.compared += 1
            return
        if is_num(a) and is_num(b):
            self.compared += 1
            if not math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9):
                self.diff(path, a, b)
            return
        if is_num(a) or is_num(b) or a is None or b is None:
            self.compared += 1
            self.diff(path, a, b)
            return
        if isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                self.diff(path + ".length", len(a), len(b))
            for i, (x, y) in enumerate(zip(a, b)):
                self.walk(x, y, f"{path}[{i}]", None)
            return
        if a != b:
            self.diff(path, a, b)


def group_map(rep, which, cmp):
    out = {}
    for g in rep.get("groups") or []:
        key = json.dumps(g.get("by"), sort_keys=True)
        if key in out:
            cmp.diffs.append(f"groups[{key}]: duplicated in {which}")
        out[key] = g.get("kpis")
    return out


def compare(a, b):
    cmp = Comparer()
    for k in ("as_of",):
        if a.get(k) != b.get(k):
            cmp.notes.append(f"note: {k}: {short(a.get(k))} != {short(b.get(k))}")
    ia, ib = a.get("input") or {}, b.get("input") or {}
    for k in ("rows", "rows_used", "rows_rejected", "tickets"):
        if ia.get(k) != ib.get(k):
            cmp.notes.append(f"note: input.{k}: {short(ia.get(k))} != {short(ib.get(k))}")

    if "overall" not in a or "overall" not in b:
        cmp.diffs.append("overall: missing in " + ("A" if "overall" not in a else "B"))
    else:
        cmp.walk(a["overall"], b["overall"], "overall", SCHEMA_BLOCK)

    ga, gb = group_map(a, "A", cmp), group_map(b, "B", cmp)
    for key in sorted(set(ga) | set(gb)):
        p = f"groups[{key}]"
        if key not in gb:
            cmp.only_in(p, "A", "group", True)
        elif key not in ga:
            cmp.only_in(p, "B", "group", True)
        else:
            cmp.walk(ga[key], gb[key], p, SCHEMA_BLOCK)
    return cmp


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    reports = []
    for path in argv[1:3]:
        try:
            with open(path, encoding="utf-8") as f:
                reports.append(json.load(f))
        except (OSError, ValueError) as exc:
            print(f"{path}: not a readable JSON report: {exc}", file=sys.stderr)
            return 2
    a, b = reports
    cmp = compare(a, b)
    for line in cmp.notes:
        print(line)
    for line in cmp.diffs:
        print(line)
    print(f"{cmp.compared} values compared, {len(cmp.diffs)} differences")
    return 1 if cmp.diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Independent reference implementation (differential-test oracle) of `ticketkpi report`.

Written from /work/shared/kpi-definitions.md (sections 1-3) and docs/json-schema.md only,
without reading the Rust sources. Python 3.11, standard library only.

Usage:
    python3 ticketkpi_ref.py FILE.csv [--as-of RFC3339] [--by channel]
                             [--csat-min 1 --csat-max 5 --csat-satisfied 4]

Prints the JSON report (schema_version 2): schema_version, tool, input, as_of, tz, overall and,
with --by, groups. No periods, --tz, --since/--until. Invalid rows are always skipped and counted
in input.rejects_by_reason (the real tool only does that with --skip-invalid).

AMBIGUITIES (each resolved by the most literal reading of the contract; the Rust tool may differ)
  A1  Tickets reported: a ticket exists in the report only if it has at least one valid event at
      or before as_of (events after as_of are ignored, so a ticket whose events all come later has
      no created_at). Events exactly at as_of are included ("after" = strictly later).
  A2  Status after a reopen by customer message (empty status while `solved`): the contract says
      only that the ticket leaves the solved state; we set its status to `open`. A later `solved`
      row is then a new resolution.
  A3  solved -> closed and closed -> solved are not resolutions (the ticket stays in the solved
      state); closed -> new/open/pending/on_hold is a reopen; a customer message with empty status
      while `closed` changes nothing. A status row equal to the current state changes nothing.
      The very first status of a ticket being solved/closed is a resolution (from "no status").
  A4  Preferred channel: if the FIRST customer message has an empty channel we fall back to the
      first non-empty channel of any row (not to a later customer message).
  A5  Tickets with no customer and no agent message (only bot/system messages, notes, status or
      rating rows) are neither inbound nor outbound: no FRT, not answered/unanswered/closed
      without reply, no first-reply SLA. They still count in tickets, resolution, FCR, bot
      resolution (a solved bot-only ticket is bot-resolved), backlog, resolution SLA, etc.
  A6  Response-time runs: only a reply (event=message, author=agent) ends a run; bot/system
      messages, notes, status and rating rows neither break nor end a run. A run starts at the
      first customer message after the previous reply (or the first customer message at all).
      Applies to every ticket, outbound included.
  A7  channel_share: keys are the preferred channel (lowercase); tickets with no channel are
      counted under the key "(none)" (schema convention for missing group keys). Values are
      fractions of the block's tickets. Empty block -> {}.
  A8  NPS buckets for non-integer scores: promoter = score >= 9, detractor = score <= 6,
      passive otherwise (so 6.5 and 8.5 are passives). NPS is the last non-empty `nps` value of
      the ticket on ANY row (not only message rows). score = null when responses = 0.
  A9  CSAT uses only event=rating rows (last one per ticket). `csat` on other rows is still
      validated (range) but ignored. satisfied = score >= --csat-satisfied.
  A10 Sentiment change uses scored customer messages only (event=message, author=customer,
      non-empty sentiment); sentiment on other rows is validated but ignored.
  A11 Redirect: all event=message rows of the ticket (any author, incl. bot/system) at or before
      as_of; channels compared case-insensitively (lowercased), empty ones ignored.
  A12 Volume: customer/agent/bot_messages count event=message rows by that author; system
      messages are not counted anywhere; `notes` counts event=note rows (any author).
  A13 Handle time: a row carries handle time when any of handle_seconds/talk_seconds/hold_seconds/
      acw_seconds is non-empty; its value is handle_seconds if non-empty, else the sum of the
      non-empty talk/hold/acw values. Rows of any event type count. A ticket whose only handle
      values are 0 still "carries handle time" (contributes 0).
  A14 Numbers ("finite decimal number"): [+-]digits[.digits] or .digits; no exponent, no inf/nan,
      no underscores. csat range = [--csat-min, --csat-max] inclusive, nps [0, 10], sentiment
      [-1, 1], *_seconds >= 0. Non-integer csat/nps inside the range are valid.
  A15 Timestamps: exactly the listed forms; `T`/`Z` uppercase only; `YYYY-MM-DD HH:MM` only with a
      space and no offset; fractional digits beyond nanoseconds are truncated; Unix seconds =
      optional '-' then digits. Offsets are +HH:MM/-HH:MM with HH <= 23, MM <= 59. Seconds 60
      (leap second) invalid.
  A16 Rows whose fields are all whitespace with at most one field (blank lines) are skipped and
      not counted. A UTF-8 BOM before the header is dropped. Header names are trimmed and
      lowercased; with duplicated header names the first column wins.
  A17 First-reply SLA: inbound tickets except those closed without reply; start = first customer
      message, stop = first reply. Answered -> met/breached on FRT; unanswered -> breached if
      as_of - start > target else running. attainment = met/(met+breached), null if 0.
  A18 Resolution SLA: every reported ticket; stopped only if solved at as_of (elapsed = last
      resolution - created_at); otherwise breached if as_of - created_at > target else running.
  A19 Priority for SLA: last non-empty priority at as_of, lowercased; anything other than
      urgent/high/normal/low (or empty) -> normal.
  A20 Response rate: the contract's "also `answered - unanswered`" has no schema field; we emit
      only answered, unanswered, closed_without_reply and rate (null if answered+unanswered = 0).
  A21 When no valid row has a status, the null-able KPIs are null in every block (groups too);
      closed_without_reply is then 0 (all tickets are unsolved), not null.
  A22 `agent` (for --by agent): the agent column of the last agent message, even if that row's
      agent is empty ((none)); team/priority/category: last non-empty value. Only one --by.
  A23 replies_per_solved_ticket = total replies of tickets solved at as_of / number of such
      tickets (null if none); customer_messages_per_ticket = customer messages / tickets (null
      if the block has no tickets). redirects.rate and other ticket ratios null on 0 tickets.
  A24 Unknowable KPIs (contract section 2, "a KPI is null when the input has nothing that could
      feed it"; docs/metrics.md "What an export can support"), decided once for the whole input
      from its header and from ALL valid rows (also those after as_of), and null in every block:
      csat without a `csat` column, nps without `nps`, aht without any of handle_seconds/
      talk_seconds/hold_seconds/acw_seconds, sentiment without `sentiment` or without message
      rows; without any message row: first_response, response_time, response_rate,
      sla.first_reply, fcr, bot_resolution, both interactions figures, redirects; without a
      customer message or without an agent message: first_response, response_time,
      response_rate, sla.first_reply (and fcr without an agent message); bot_resolution without
      a bot message; redirects without a `channel` column or with fewer than two distinct
      non-empty channels over the message rows.
"""

import argparse
import csv
import datetime as _dt
import io
import json
import math
import re
import sys

NS = 1_000_000_000
DAY = 86400

EVENTS = {"message", "note", "status", "rating"}
AUTHORS = {"customer", "agent", "bot", "system"}
STATUSES = {"new", "open", "pending", "on_hold", "solved", "closed"}
SOLVED = {"solved", "closed"}

FIRST_REPLY_TARGET_H = {"urgent": 1, "high": 4, "normal": 8, "low": 24}
RESOLUTION_TARGET_H = {"urgent": 8, "high": 24, "normal": 72, "low": 168}

AGE_BUCKETS = [("0-1d", 0, 1 * DAY), ("1-3d", 1 * DAY, 3 * DAY), ("3-7d", 3 * DAY, 7 * DAY),
               ("7-30d", 7 * DAY, 30 * DAY), ("30d+", 30 * DAY, math.inf)]

_TS_FULL = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$")
_TS_SHORT = re.compile(r"^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$")
_TS_UNIX = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_EPOCH_ORD = _dt.date(1970, 1, 1).toordinal()


def parse_ts(s):
    """Return integer nanoseconds since the Unix epoch (UTC), or None if invalid."""
    m = _TS_FULL.match(s)
    if m:
        y, mo, d, h, mi, se, frac, off = m.groups()
    else:
        m = _TS_SHORT.match(s)
        if m:
            y, mo, d, h, mi = m.groups()
            se, frac, off = "00", None, None
        elif _TS_UNIX.match(s):
            return int(s) * NS
        else:
            return None
    try:
        date = _dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None
    h, mi, se = int(h), int(mi), int(se)
    if h > 23 or mi > 59 or se > 59:
        return None
    offset = 0
    if off and off != "Z":
        oh, om = int(off[1:3]), int(off[4:6])
        if oh > 23 or om > 59:
            return None
        offset = (oh * 3600 + om * 60) * (1 if off[0] == "+" else -1)
    secs = (date.toordinal() - _EPOCH_ORD) * DAY + h * 3600 + mi * 60 + se - offset
    frac_ns = int((frac or "")[:9].ljust(9, "0"))
    return secs * NS + frac_ns


def fmt_ts(ns):
    if ns is None:
        return None
    secs, frac = divmod(ns, NS)
    t = _dt.datetime(1970, 1, 1) + _dt.timedelta(seconds=secs)
    out = t.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        out += ("." + str(frac).rjust(9, "0")).rstrip("0")
    return out + "Z"


def parse_num(s):
    if not _DECIMAL.match(s):
        return None
    v = float(s)
    return v if math.isfinite(v) else None


# --------------------------------------------------------------------------- input

class Event:
    __slots__ = ("ticket", "ts", "seq", "event", "author", "channel", "agent", "team",
                 "priority", "category", "status", "csat", "handle", "nps", "sentiment")


def read_csv(path, csat_min, csat_max):
    """Return (events, stats) where events are the valid rows in file order."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = raw.decode("utf-8", errors="surrogateescape")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = None
    for rec in reader:
        if len(rec) == 0 or (len(rec) == 1 and rec[0].strip() == ""):
            continue
        header = rec
        break
    if header is None:
        sys.exit(f"{path}: empty input (no header)")
    col = {}
    for i, name in enumerate(header):
        key = name.strip().lower()
        if key not in col:
            col[key] = i
    for req in ("ticket_id", "timestamp"):
        if req not in col:
            sys.exit(f"{path}: missing required column {req}")

    stats = {"rows": 0, "rows_used": 0, "rows_rejected": 0, "rejects_by_reason": {},
             "has_status": False, "columns": set(col), "messages": {}, "channels": set()}
    events = []

    def reject(reason):
        stats["rows_rejected"] += 1
        stats["rejects_by_reason"][reason] = stats["rejects_by_reason"].get(reason, 0) + 1

    for rec in reader:
        if len(rec) == 0 or (len(rec) == 1 and rec[0].strip() == ""):
            continue
        stats["rows"] += 1
        if len(rec) != len(header):
            reject("field count differs from header")
            continue
        if any(re.search("[\udc80-\udcff]", v) for v in rec):
            reject("invalid UTF-8")
            continue

        def get(name):
            i = col.get(name)
            return rec[i].strip() if i is not None else ""

        tid = get("ticket_id")
        if tid == "":
            reject("empty ticket_id")
            continue
        ts = parse_ts(get("timestamp"))
        if ts is None:
            reject("invalid timestamp")
            continue
        ev = get("event").lower() or "message"
        if ev not in EVENTS:
            reject("invalid event")
            continue
        author = get("author_type").lower()
        if author and author not in AUTHORS:
            reject("invalid author_type")
            continue
        if ev == "message" and not author:
            reject("message without author_type")
            continue
        status = get("status").lower()
        if status and status not in STATUSES:
            reject("invalid status")
            continue
        bad = None
        nums = {}
        for name, lo, hi in (("csat", csat_min, csat_max), ("nps", 0.0, 10.0),
                             ("sentiment", -1.0, 1.0), ("handle_seconds", 0.0, math.inf),
                             ("talk_seconds", 0.0, math.inf), ("hold_seconds", 0.0, math.inf),
                             ("acw_seconds", 0.0, math.inf)):
            s = get(name)
            if s == "":
                nums[name] = None
                continue
            v = parse_num(s)
            if v is None:
                bad = f"{name} is not a finite decimal number"
                break
            if not (lo <= v <= hi):
                bad = f"{name} out of range"
                break
            nums[name] = v
        if bad:
            reject(bad)
            continue
        if ev == "rating" and nums["csat"] is None:
            reject("rating row without csat")
            continue

        e = Event()
        e.ticket = tid
        e.ts = ts
        e.seq = len(events)
        e.event = ev
        e.author = author
        e.channel = get("channel").lower()
        e.agent = get("agent").lower()
        e.team = get("team").lower()
        e.priority = get("priority").lower()
        e.category = get("category").lower()
        e.status = status
        e.csat = nums["csat"]
        e.nps = nums["nps"]
        e.sentiment = nums["sentiment"]
        hv = [nums[k] for k in ("handle_seconds", "talk_seconds", "hold_seconds", "acw_seconds")]
        if all(v is None for v in hv):
            e.handle = None
        elif hv[0] is not None:
            e.handle = hv[0]
        else:
            e.handle = sum(v for v in hv[1:] if v is not None)
        events.append(e)
        stats["rows_used"] += 1
        if status:
            stats["has_status"] = True
        if ev == "message":
            stats["messages"][author] = stats["messages"].get(author, 0) + 1
            if e.channel:
                stats["channels"].add(e.channel)
    return events, stats


def unknowable(stats):
    """The KPI keys (A24) that the whole input cannot support."""
    cols, msgs = stats["columns"], stats["messages"]
    out = set()
    if "csat" not in cols:
        out.add("csat")
    if "nps" not in cols:
        out.add("nps")
    if not cols & {"handle_seconds", "talk_seconds", "hold_seconds", "acw_seconds"}:
        out.add("aht")
    if "sentiment" not in cols or not msgs:
        out.add("sentiment")
    if not msgs:
        out |= {"first_response", "response_time", "response_rate", "sla.first_reply", "fcr",
                "bot_resolution", "replies_per_solved_ticket", "customer_messages_per_ticket",
                "redirects"}
    if not msgs.get("customer") or not msgs.get("agent"):
        out |= {"first_response", "response_time", "response_rate", "sla.first_reply"}
    if not msgs.get("agent"):
        out.add("fcr")
    if not msgs.get("bot"):
        out.add("bot_resolution")
    if "channel" not in cols or len(stats["channels"]) < 2:
        out.add("redirects")
    return out


# --------------------------------------------------------------------------- ticket model

class Ticket:
    pass


def build_ticket(tid, evs, as_of):
    """evs: the ticket's events at or before as_of, in event order (non-empty)."""
    t = Ticket()
    t.id = tid
    t.created_at = evs[0].ts

    msgs = [e for e in evs if e.event == "message"]
    cust = [e for e in msgs if e.author == "customer"]
    replies = [e for e in msgs if e.author == "agent"]
    bots = [e for e in msgs if e.author == "bot"]

    # channel (A4)
    ch = ""
    if cust and cust[0].channel:
        ch = cust[0].channel
    else:
        for e in evs:
            if e.channel:
                ch = e.channel
                break
    t.channel = ch or None

    def last_nonempty(attr):
        for e in reversed(evs):
            v = getattr(e, attr)
            if v:
                return v
        return None

    t.priority = last_nonempty("priority")
    t.team = last_nonempty("team")
    t.category = last_nonempty("category")
    t.agent = (replies[-1].agent or None) if replies else None

    # direction (A5)
    first_ca = next((e for e in msgs if e.author in ("customer", "agent")), None)
    t.inbound = first_ca is not None and first_ca.author == "customer"
    t.outbound = first_ca is not None and first_ca.author == "agent"

    t.customer_messages = len(cust)
    t.agent_messages = len(replies)
    t.bot_messages = len(bots)
    t.notes = sum(1 for e in evs if e.event == "note")
    t.replies = len(replies)
    t.first_customer_ts = cust[0].ts if cust else None
    t.first_reply_ts = replies[0].ts if replies else None

    # status machine (A2, A3)
    state = None
    t.resolutions = []
    t.reopens = 0
    for e in evs:
        if e.status:
            was = state in SOLVED
            now = e.status in SOLVED
            if not was and now:
                t.resolutions.append(e.ts)
            elif was and not now:
                t.reopens += 1
            state = e.status
        elif e.event == "message" and e.author == "customer" and state == "solved":
            t.reopens += 1
            state = "open"
    t.status = state
    t.solved = state in SOLVED
    t.ever_solved = bool(t.resolutions)

    t.answered = t.inbound and t.replies > 0
    t.closed_without_reply = t.inbound and t.replies == 0 and t.solved
    t.unanswered = t.inbound and t.replies == 0 and not t.solved

    # response-time runs (A6)
    t.waits = []
    run_start = None
    for e in msgs:
        if e.author == "customer":
            if run_start is None:
                run_start = e.ts
        elif e.author == "agent":
            if run_start is not None:
                t.waits.append((e.ts - run_start) / NS)
                run_start = None

    # handle time (A13)
    hs = [e.handle for e in evs if e.handle is not None]
    t.carries_handle = bool(hs)
    t.handle_total = sum(hs) if hs else None

    ratings = [e for e in evs if e.event == "rating"]
    t.csat = ratings[-1].csat if ratings else None
    npss = [e.nps for e in evs if e.nps is not None]
    t.nps = npss[-1] if npss else None

    scored = [e.sentiment for e in cust if e.sentiment is not None]
    t.sentiment_change = (scored[-1] - scored[0]) if len(scored) >= 2 else None

    chans = {e.channel for e in msgs if e.channel}
    t.redirect = len(chans) > 1
    return t


# --------------------------------------------------------------------------- KPIs

def quantile(sorted_vals, q):
    n = len(sorted_vals)
    pos = (n - 1) * q
    lo = math.floor(pos)
    hi = math.ceil(pos)
    a, b = sorted_vals[lo], sorted_vals[hi]
    return a + (b - a) * (pos - lo)


def distribution(vals):
    vals = sorted(float(v) for v in vals)
    if not vals:
        return {"count": 0, "mean": None, "median": None, "p90": None}
    return {"count": len(vals), "mean": math.fsum(vals) / len(vals),
            "median": quantile(vals, 0.5), "p90": quantile(vals, 0.9)}


def ratio(a, b):
    return a / b if b else None


def sla_priority(p):
    return p if p in FIRST_REPLY_TARGET_H else "normal"


def sla_block(items):
    """items: list of 'met'|'breached'|'running'."""
    met = items.count("met")
    br = items.count("breached")
    run = items.count("running")
    return {"met": met, "breached": br, "running": run, "attainment": ratio(met, met + br)}


def sla_state(elapsed_stopped, running_elapsed, target):
    if elapsed_stopped is not None:
        return "met" if elapsed_stopped <= target else "breached"
    return "breached" if running_elapsed > target else "running"


def num_out(x):
    return int(x) if float(x).is_integer() else x


def kpi_block(tickets, as_of, has_status, csat_cfg, nulls=frozenset()):
    n = len(tickets)
    solved = [t for t in tickets if t.solved]

    share = {}
    for t in tickets:
        k = t.channel or "(none)"
        share[k] = share.get(k, 0) + 1
    share = {k: share[k] / n for k in sorted(share)}

    volume = {
        "tickets": n,
        "inbound": sum(t.inbound for t in tickets),
        "outbound": sum(t.outbound for t in tickets),
        "customer_messages": sum(t.customer_messages for t in tickets),
        "agent_messages": sum(t.agent_messages for t in tickets),
        "bot_messages": sum(t.bot_messages for t in tickets),
        "notes": sum(t.notes for t in tickets),
        "channel_share": share,
    }

    answered = [t for t in tickets if t.answered]
    unanswered = sum(t.unanswered for t in tickets)
    cwr = sum(t.closed_without_reply for t in tickets)
    fr = distribution([(t.first_reply_ts - t.first_customer_ts) / NS for t in answered])
    fr["unanswered"] = unanswered

    rt = distribution([w for t in tickets for w in t.waits])

    if has_status:
        res = distribution([(t.resolutions[-1] - t.created_at) / NS for t in solved])
        fres = distribution([(t.resolutions[0] - t.created_at) / NS
                             for t in tickets if t.ever_solved])
        elig = [t for t in solved if t.replies >= 1]
        fc = sum(1 for t in elig if t.replies == 1 and t.reopens == 0)
        fcr = {"eligible": len(elig), "first_contact": fc, "rate": ratio(fc, len(elig))}
        botr = sum(1 for t in solved if t.replies == 0 and t.bot_messages >= 1)
        bot = {"solved": len(solved), "bot_resolved": botr, "rate": ratio(botr, len(solved))}
        backlog_t = [t for t in tickets if t.created_at <= as_of and not t.solved]
        age = {k: 0 for k, _, _ in AGE_BUCKETS}
        for t in backlog_t:
            a = (as_of - t.created_at) / NS
            for k, lo, hi in AGE_BUCKETS:
                if lo <= a < hi:
                    age[k] += 1
                    break
        backlog = {"open": len(backlog_t), "age": age}
    else:
        res = fres = fcr = bot = backlog = None

    aht = distribution([t.handle_total for t in tickets if t.carries_handle])

    rated = [t for t in tickets if t.csat is not None]
    sat = sum(1 for t in rated if t.csat >= csat_cfg["satisfied"])
    csat = {
        "responses": len(rated),
        "satisfied": sat,
        "rate": ratio(sat, len(rated)),
        "mean_score": ratio(math.fsum(t.csat for t in rated), len(rated)),
        "response_rate": (ratio(sum(1 for t in solved if t.csat is not None), len(solved))
                          if has_status else None),
        "scale_min": num_out(csat_cfg["min"]),
        "scale_max": num_out(csat_cfg["max"]),
        "satisfied_min": num_out(csat_cfg["satisfied"]),
    }

    nps_t = [t.nps for t in tickets if t.nps is not None]
    prom = sum(1 for v in nps_t if v >= 9)
    det = sum(1 for v in nps_t if v <= 6)
    nps = {"responses": len(nps_t), "promoters": prom, "passives": len(nps_t) - prom - det,
           "detractors": det,
           "score": (100.0 * (prom - det) / len(nps_t)) if nps_t else None}

    fr_items = []
    for t in tickets:
        if not t.inbound or t.closed_without_reply:
            continue
        target = FIRST_REPLY_TARGET_H[sla_priority(t.priority)] * 3600
        stopped = ((t.first_reply_ts - t.first_customer_ts) / NS
                   if t.first_reply_ts is not None else None)
        fr_items.append(sla_state(stopped, (as_of - t.first_customer_ts) / NS, target))
    sla = {"first_reply": sla_block(fr_items)}
    if has_status:
        r_items = []
        for t in tickets:
            target = RESOLUTION_TARGET_H[sla_priority(t.priority)] * 3600
            stopped = (t.resolutions[-1] - t.created_at) / NS if t.solved else None
            r_items.append(sla_state(stopped, (as_of - t.created_at) / NS, target))
        sla["resolution"] = sla_block(r_items)
    else:
        sla["resolution"] = None

    response_rate = {"answered": len(answered), "unanswered": unanswered,
                     "closed_without_reply": cwr,
                     "rate": ratio(len(answered), len(answered) + unanswered)}

    interactions = {
        "replies_per_solved_ticket": (ratio(sum(t.replies for t in solved), len(solved))
                                      if has_status else None),
        "customer_messages_per_ticket": ratio(sum(t.customer_messages for t in tickets), n),
    }

    redir = sum(t.redirect for t in tickets)
    sent = [t.sentiment_change for t in tickets if t.sentiment_change is not None]

    block = {
        "tickets": n,
        "volume": volume,
        "first_response": fr,
        "response_time": rt,
        "resolution_time": res,
        "first_resolution_time": fres,
        "fcr": fcr,
        "bot_resolution": bot,
        "aht": aht,
        "csat": csat,
        "nps": nps,
        "backlog": backlog,
        "sla": sla,
        "response_rate": response_rate,
        "interactions": interactions,
        "redirects": {"tickets": redir, "rate": ratio(redir, n)},
        "sentiment": {"tickets": len(sent),
                      "mean_change": ratio(math.fsum(sent), len(sent))},
    }
    for key in nulls:
        if key == "sla.first_reply":
            block["sla"]["first_reply"] = None
        elif key in block["interactions"]:
            block["interactions"][key] = None
        else:
            block[key] = None
    return block


# --------------------------------------------------------------------------- report

def build_report(path, as_of_arg=None, by=None, csat_min=1.0, csat_max=5.0, csat_satisfied=4.0):
    events, stats = read_csv(path, csat_min, csat_max)
    if as_of_arg is not None:
        as_of = parse_ts(as_of_arg)
        if as_of is None:
            raise ValueError(f"invalid --as-of: {as_of_arg}")
    else:
        as_of = max((e.ts for e in events), default=None)

    # stable sort: timestamp, then file order
    events.sort(key=lambda e: (e.ts, e.seq))
    after = 0
    per_ticket = {}
    for e in events:
        if as_of is not None and e.ts > as_of:
            after += 1
            continue
        per_ticket.setdefault(e.ticket, []).append(e)
    tickets = [build_ticket(tid, evs, as_of) for tid, evs in per_ticket.items()]

    csat_cfg = {"min": csat_min, "max": csat_max, "satisfied": csat_satisfied}
    nulls = unknowable(stats)
    report = {
        "schema_version": 2,
        "tool": {"name": "ticketkpi_ref", "version": "0"},
        "input": {
            "files": [path],
            "rows": stats["rows"],
            "rows_used": stats["rows_used"],
            "rows_rejected": stats["rows_rejected"],
            "rejects_by_reason": stats["rejects_by_reason"],
            "events_after_as_of": after,
            "tickets": len(tickets),
            "tickets_filtered_out": 0,
        },
        "as_of": fmt_ts(as_of),
        "tz": "UTC",
        "overall": kpi_block(tickets, as_of, stats["has_status"], csat_cfg, nulls),
    }
    if by:
        groups = {}
        for t in tickets:
            # Schema: a ticket without a value is in the group whose `by` value is null.
            key = getattr(t, by) or None
            groups.setdefault(key, []).append(t)
        report["groups"] = [
            {"by": {by: k},
             "kpis": kpi_block(groups[k], as_of, stats["has_status"], csat_cfg, nulls)}
            for k in sorted(groups, key=lambda k: (k is not None, k or ""))
        ]
    return report


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file")
    ap.add_argument("--as-of")
    ap.add_argument("--by", choices=["channel", "agent", "team", "priority", "category"])
    ap.add_argument("--csat-min", type=float, default=1.0)
    ap.add_argument("--csat-max", type=float, default=5.0)
    ap.add_argument("--csat-satisfied", type=float, default=4.0)
    a = ap.parse_args(argv)
    try:
        rep = build_report(a.file, a.as_of, a.by, a.csat_min, a.csat_max, a.csat_satisfied)
    except ValueError as exc:
        sys.exit(str(exc))
    json.dump(rep, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

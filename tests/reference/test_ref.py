"""Self-tests of the reference oracle against values computed BY HAND from
/work/shared/kpi-definitions.md. Run from the repository root:

    python3 -m unittest discover -s tests/reference -p 'test_*.py'
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compare  # noqa: E402
import ticketkpi_ref as ref  # noqa: E402

CASES = os.path.join(HERE, "cases")
EMPTY_DIST = {"count": 0, "mean": None, "median": None, "p90": None}
NO_AGE = {"0-1d": 0, "1-3d": 0, "3-7d": 0, "7-30d": 0, "30d+": 0}


def run(name, **kw):
    return ref.build_report(os.path.join(CASES, name), **kw)


def dist(count, mean, median, p90):
    return {"count": count, "mean": mean, "median": median, "p90": p90}


class Helpers(unittest.TestCase):
    def assertBlock(self, block, expected, path=""):
        """Every key of `expected` (recursively) must be in `block` with that value (1e-9)."""
        for k, v in expected.items():
            p = f"{path}.{k}"
            self.assertIn(k, block, p)
            if isinstance(v, dict):
                self.assertIsInstance(block[k], dict, p)
                self.assertBlock(block[k], v, p)
            elif v is None:
                self.assertIsNone(block[k], p)
            elif isinstance(v, float):
                self.assertIsNotNone(block[k], p)
                self.assertAlmostEqual(block[k], v, places=9, msg=p)
            else:
                self.assertEqual(block[k], v, p)


class ParsingAndQuantiles(Helpers):
    def test_timestamps(self):
        base = ref.parse_ts("2024-03-01T10:00:00Z")
        # 2024-03-01T00:00Z = 19783 days * 86400 = 1709251200 s; +10 h = 1709287200
        self.assertEqual(base, 1709287200 * ref.NS)
        self.assertEqual(ref.parse_ts("1709287200"), base)
        self.assertEqual(ref.parse_ts("2024-03-01 10:00"), base)
        self.assertEqual(ref.parse_ts("2024-03-01 10:00:00"), base)
        self.assertEqual(ref.parse_ts("2024-03-01T11:30:00+01:30"), base)
        self.assertEqual(ref.parse_ts("2024-03-01T05:00:00-05:00"), base)
        self.assertEqual(ref.parse_ts("2024-03-01T10:00:00.25Z"), base + ref.NS // 4)
        for bad in ("2024-03-01", "2024-02-30T00:00:00Z", "2024-03-01T24:00:00Z",
                    "01/03/2024 10:00", "2024-03-01T10:00:00+0100", "1.5e9", "",
                    "2024-03-01T10:00Z", "2024-03-01 10:00Z"):
            self.assertIsNone(ref.parse_ts(bad), bad)
        self.assertEqual(ref.fmt_ts(base), "2024-03-01T10:00:00Z")

    def test_quantiles_numpy_linear(self):
        # numpy.percentile([1,2,3,4], 90) = 1 + 0.9*3 = position 2.7 -> 3 + 0.7*(4-3) = 3.7
        self.assertAlmostEqual(ref.quantile([1.0, 2.0, 3.0, 4.0], 0.9), 3.7)
        # median of an even count: position 1.5 -> 2.5
        self.assertAlmostEqual(ref.quantile([1.0, 2.0, 3.0, 4.0], 0.5), 2.5)
        self.assertEqual(ref.distribution([]), EMPTY_DIST)
        self.assertEqual(ref.distribution([7]), dist(1, 7.0, 7.0, 7.0))


class ReopenByCustomer(Helpers):
    # cases/reopen_customer.csv; as_of = latest row = 2024-01-01T06:00Z.
    # T1: 00:00 cust(Email) | 01:00 reply | 02:00 status solved (resolution #1)
    #     03:00 cust, empty status while solved -> REOPEN (status open)
    #     04:00 reply with status solved (resolution #2). Solved at as_of.
    #     FRT 3600; resolution = 04:00-00:00 = 14400; first resolution = 7200; replies 2.
    #     runs: 00:00->01:00 = 3600, 03:00->04:00 = 3600. channel "email" (lowercased).
    # T2: 00:00 cust(chat, HIGH) | 00:30 reply+solved (resolution) | 05:00 closed (still solved,
    #     no new resolution) | 06:00 cust while CLOSED -> no reopen. Solved at as_of.
    #     FRT 1800; resolution 1800; first res 1800; replies 1, no reopen -> first contact.
    #     runs: 00:00->00:30 = 1800; 06:00 still waiting at as_of -> excluded.
    # FRT [1800,3600]: mean 2700, median 2700, p90 = 1800 + 0.9*1800 = 3420.
    # response time [1800,3600,3600]: mean 3000, median 3600, p90 pos 1.8 -> 3600.
    # resolution [1800,14400]: mean 8100, median 8100, p90 = 1800 + 0.9*12600 = 13140.
    # first resolution [1800,7200]: mean 4500, median 4500, p90 = 1800 + 0.9*5400 = 6660.
    # FCR eligible 2 (both solved with a reply), first contact 1 (T2) -> 0.5.
    # SLA first reply: T1 normal 8h, 3600 met; T2 high 4h, 1800 met -> 2 met, attainment 1.
    # SLA resolution: T1 normal 72h, 14400 met; T2 high 24h, 1800 met.
    # replies per solved = (2+1)/2 = 1.5; customer msgs per ticket = 4/2 = 2.
    # A24: no bot message, no csat/nps/handle/sentiment column, and every message row on one
    #   channel per ticket but two channels overall (chat, email) -> bot resolution, csat, nps,
    #   aht and sentiment are null; redirects is computable (0 of 2).
    def test_overall(self):
        r = run("reopen_customer.csv", by="channel")
        self.assertEqual(r["as_of"], "2024-01-01T06:00:00Z")
        self.assertBlock(r["overall"], {
            "tickets": 2,
            "volume": {"tickets": 2, "inbound": 2, "outbound": 0, "customer_messages": 4,
                       "agent_messages": 3, "bot_messages": 0, "notes": 0,
                       "channel_share": {"chat": 0.5, "email": 0.5}},
            "first_response": dict(dist(2, 2700.0, 2700.0, 3420.0), unanswered=0),
            "response_time": dist(3, 3000.0, 3600.0, 3600.0),
            "resolution_time": dist(2, 8100.0, 8100.0, 13140.0),
            "first_resolution_time": dist(2, 4500.0, 4500.0, 6660.0),
            "fcr": {"eligible": 2, "first_contact": 1, "rate": 0.5},
            "bot_resolution": None,
            "aht": None,
            "csat": None,
            "nps": None,
            "backlog": {"open": 0, "age": NO_AGE},
            "sla": {"first_reply": {"met": 2, "breached": 0, "running": 0, "attainment": 1.0},
                    "resolution": {"met": 2, "breached": 0, "running": 0, "attainment": 1.0}},
            "response_rate": {"answered": 2, "unanswered": 0, "closed_without_reply": 0,
                              "rate": 1.0},
            "interactions": {"replies_per_solved_ticket": 1.5,
                             "customer_messages_per_ticket": 2.0},
            "redirects": {"tickets": 0, "rate": 0.0},
            "sentiment": None,
        })

    def test_groups(self):
        r = run("reopen_customer.csv", by="channel")
        self.assertEqual([g["by"] for g in r["groups"]], [{"channel": "chat"},
                                                          {"channel": "email"}])
        chat, email = (g["kpis"] for g in r["groups"])
        # chat = T2 only: first contact, resolution 1800.
        self.assertBlock(chat, {"tickets": 1, "fcr": {"eligible": 1, "first_contact": 1,
                                                      "rate": 1.0},
                                "resolution_time": dist(1, 1800.0, 1800.0, 1800.0),
                                "volume": {"channel_share": {"chat": 1.0}}})
        # email = T1 only: reopened, 2 replies -> not first contact.
        self.assertBlock(email, {"tickets": 1, "fcr": {"eligible": 1, "first_contact": 0,
                                                       "rate": 0.0},
                                 "response_time": dist(2, 3600.0, 3600.0, 3600.0),
                                 "first_resolution_time": dist(1, 7200.0, 7200.0, 7200.0)})


class BotOutboundUnanswered(Helpers):
    # cases/bot_outbound.csv; as_of = 2024-02-02T01:00Z.
    # B1 (chat): cust 10:00, bot, bot+solved 10:01 -> inbound, solved, no reply, 2 bot msgs:
    #    closed without reply AND bot-resolved; resolution 60 s; its run never answered.
    # O1 (email): agent 11:00 first (+pending) -> OUTBOUND; cust 12:00; note; reply 13:00.
    #    run 12:00->13:00 = 3600. Unsolved; backlog age 14h -> 0-1d; resolution SLA running.
    # U1 (phone): system msg 09:00 (does not decide direction), cust 09:30 + open -> inbound,
    #    no reply, unsolved -> unanswered. First-reply SLA normal 8h: as_of-09:30 = 15.5h ->
    #    breached. Backlog age 16h -> 0-1d. Resolution SLA 16h <= 72h -> running.
    # C1 (web): cust 00:00, status closed 01:00 -> solved, no reply, no bot: closed without
    #    reply, not bot-resolved; resolution 3600.
    # inbound 3 (B1,U1,C1), outbound 1; customer msgs 4, agent 2, bot 2, notes 1 (system none).
    # resolution [60,3600]: mean 1830, median 1830, p90 = 60 + 0.9*3540 = 3246.
    # bot resolution 1/2; FCR eligible 0 -> rate null; first-reply SLA: only U1 (B1,C1 closed
    # without reply, O1 outbound) -> breached 1, attainment 0. Resolution SLA: B1, C1 met;
    # O1, U1 running -> attainment 1. Response rate 0/(0+1) = 0. Replies per solved 0/2 = 0.
    def test_overall(self):
        r = run("bot_outbound.csv")
        self.assertNotIn("groups", r)
        self.assertBlock(r["overall"], {
            "tickets": 4,
            "volume": {"inbound": 3, "outbound": 1, "customer_messages": 4,
                       "agent_messages": 2, "bot_messages": 2, "notes": 1,
                       "channel_share": {"chat": 0.25, "email": 0.25, "phone": 0.25,
                                         "web": 0.25}},
            "first_response": dict(EMPTY_DIST, unanswered=1),
            "response_time": dist(1, 3600.0, 3600.0, 3600.0),
            "resolution_time": dist(2, 1830.0, 1830.0, 3246.0),
            "first_resolution_time": dist(2, 1830.0, 1830.0, 3246.0),
            "fcr": {"eligible": 0, "first_contact": 0, "rate": None},
            "bot_resolution": {"solved": 2, "bot_resolved": 1, "rate": 0.5},
            "backlog": {"open": 2, "age": dict(NO_AGE, **{"0-1d": 2})},
            "sla": {"first_reply": {"met": 0, "breached": 1, "running": 0, "attainment": 0.0},
                    "resolution": {"met": 2, "breached": 0, "running": 2, "attainment": 1.0}},
            "response_rate": {"answered": 0, "unanswered": 1, "closed_without_reply": 2,
                              "rate": 0.0},
            "interactions": {"replies_per_solved_ticket": 0.0,
                             "customer_messages_per_ticket": 1.0},
        })

    def test_later_as_of_ages_backlog_and_breaches_sla(self):
        # --as-of 2024-02-05T10:00Z: nothing new happens; O1 age = 4d23h -> 3-7d,
        # U1 age = 4d1h -> 3-7d; both older than 72h -> resolution SLA breached.
        # Events after as_of: 0. U1 first-reply: breached.
        r = run("bot_outbound.csv", as_of_arg="2024-02-05T10:00:00Z")
        self.assertBlock(r["overall"], {
            "backlog": {"open": 2, "age": dict(NO_AGE, **{"3-7d": 2})},
            "sla": {"resolution": {"met": 2, "breached": 2, "running": 0, "attainment": 0.5}},
        })


class RatingsTiesFormats(Helpers):
    # cases/ratings_ties.csv: mixed-case header with an unknown column, unsorted rows, equal
    # timestamps in several formats, values with spaces/odd case. Sorted event order:
    # E1: 09:00 cust chat sent -0.5 pri low (written as 10:00+01:00, file row 3)
    #     09:00 reply (file row 4, same instant -> after the cust row): handle_seconds 100
    #           (talk 999 ignored because handle_seconds is set)
    #     09:30 note talk 30 + hold 10 -> handle 40
    #     10:00 cust email sent 0.25 (file row 5)  -- BEFORE the solved row (row 6, same
    #           instant), so it does NOT reopen; then 10:00 status Solved -> resolution.
    #     11:00 rating 2, nps 6, priority URGENT; 12:00 rating 5, nps 9 (file row 1).
    #   inbound, FRT 0, replies 1, no reopen -> first contact; resolution 3600; runs: 0
    #   (the 10:00 run is never answered -> excluded); CSAT last = 5; NPS last = 9;
    #   sentiment 0.25-(-0.5) = 0.75; message channels {chat,email} -> redirect;
    #   priority urgent: FR 0 <= 1h met, resolution 3600 <= 8h met; AHT 140.
    # E2: 10:00 cust web sent 0.5 (unix 1709287200, empty event = message); 10:30 cust 0.9;
    #     10:45:00.5 bot; 13:00 reply (talk 60 + acw 20 = 80); 13:00 rating 4;
    #     13:30 cust sent 1; 14:00 reply "Web" (hold 0 -> handle 0; as_of).
    #   inbound, FRT 10800, runs 10800 (10:30 cust and bot don't break it) and 1800;
    #   no status -> unsolved, backlog 4h -> 0-1d; CSAT 4; AHT 80;
    #   sentiment last - first = 1 - 0.5 = 0.5 (the middle 0.9 is ignored).
    # FRT [0,10800]: mean 5400, median 5400, p90 9720.
    # response [0,1800,10800]: mean 4200, median 1800, p90 pos 1.8 -> 1800+0.8*9000 = 9000.
    # AHT [80,140]: mean 110, median 110, p90 80+0.9*60 = 134.
    # CSAT 2 responses, 2 satisfied (5,4), mean 4.5; response rate 1/1 (E1 solved, rated).
    # NPS: 1 promoter of 1 -> 100. Sentiment mean (0.75+0.5)/2 = 0.625. Redirect 1/2.
    def test_overall(self):
        r = run("ratings_ties.csv")
        self.assertEqual(r["as_of"], "2024-03-01T14:00:00Z")
        self.assertEqual(r["input"]["rows_rejected"], 0)
        self.assertBlock(r["overall"], {
            "tickets": 2,
            "volume": {"inbound": 2, "outbound": 0, "customer_messages": 5,
                       "agent_messages": 3, "bot_messages": 1, "notes": 1,
                       "channel_share": {"chat": 0.5, "web": 0.5}},
            "first_response": dict(dist(2, 5400.0, 5400.0, 9720.0), unanswered=0),
            "response_time": dist(3, 4200.0, 1800.0, 9000.0),
            "resolution_time": dist(1, 3600.0, 3600.0, 3600.0),
            "fcr": {"eligible": 1, "first_contact": 1, "rate": 1.0},
            "bot_resolution": {"solved": 1, "bot_resolved": 0, "rate": 0.0},
            "aht": dist(2, 110.0, 110.0, 134.0),
            "csat": {"responses": 2, "satisfied": 2, "rate": 1.0, "mean_score": 4.5,
                     "response_rate": 1.0},
            "nps": {"responses": 1, "promoters": 1, "passives": 0, "detractors": 0,
                    "score": 100.0},
            "backlog": {"open": 1, "age": dict(NO_AGE, **{"0-1d": 1})},
            "sla": {"first_reply": {"met": 2, "breached": 0, "running": 0, "attainment": 1.0},
                    "resolution": {"met": 1, "breached": 0, "running": 1, "attainment": 1.0}},
            "interactions": {"replies_per_solved_ticket": 1.0,
                             "customer_messages_per_ticket": 2.5},
            "redirects": {"tickets": 1, "rate": 0.5},
            "sentiment": {"tickets": 2, "mean_change": 0.625},
        })

    def test_as_of_inclusive(self):
        # --as-of 10:00Z: rows at exactly 10:00 are kept, 8 later rows ignored (E1 ratings at
        # 11:00 and 12:00; E2 10:30, 10:45, 13:00 x2, 13:30, 14:00).
        # E1: solved at 10:00 (resolution 3600), priority low (URGENT row is later):
        #     FR 0 met (24h), resolution met (168h). Sentiment -0.5 -> 0.25: change 0.75.
        # E2: just the 10:00 customer message: unanswered; FR clock 0 s -> running;
        #     backlog age 0 -> 0-1d; no ratings at all yet.
        r = run("ratings_ties.csv", as_of_arg="2024-03-01T10:00:00Z")
        self.assertEqual(r["input"]["events_after_as_of"], 8)
        self.assertBlock(r["overall"], {
            "tickets": 2,
            "first_response": dict(dist(1, 0.0, 0.0, 0.0), unanswered=1),
            "resolution_time": dist(1, 3600.0, 3600.0, 3600.0),
            "csat": {"responses": 0, "response_rate": 0.0},
            "backlog": {"open": 1, "age": dict(NO_AGE, **{"0-1d": 1})},
            "sla": {"first_reply": {"met": 1, "breached": 0, "running": 1, "attainment": 1.0},
                    "resolution": {"met": 1, "breached": 0, "running": 1, "attainment": 1.0}},
            "sentiment": {"tickets": 1, "mean_change": 0.75},
            "aht": dist(1, 140.0, 140.0, 140.0),
        })


class NoStatusColumn(Helpers):
    # cases/no_status.csv (CRLF, event column last, a blank and a whitespace-only line).
    # 12 data rows (blank lines not counted), 7 invalid: empty ticket_id, bad timestamp,
    # author "robot", message without author, csat 7 > 5, rating without csat, 5 fields for 6.
    # Valid: N1 cust 08:00 (Phone), reply 08:10, rating 4 at 09:00; N2 cust 08:00 (no channel);
    # N3 agent 12:00 (email, event "message") -> as_of 12:00.
    # No valid row has a status -> resolution, first resolution, FCR, bot resolution, backlog,
    # resolution SLA, CSAT response rate, replies per solved ticket are null.
    # N1 inbound answered FRT 600; N2 inbound unanswered (FR clock 4h <= 8h -> running);
    # N3 outbound. channel share (none)/email/phone 1/3 each. CSAT 1 response, satisfied.
    def test_overall(self):
        r = run("no_status.csv", by="channel")
        self.assertEqual(r["input"]["rows"], 12)
        self.assertEqual(r["input"]["rows_used"], 5)
        self.assertEqual(r["input"]["rows_rejected"], 7)
        self.assertEqual(r["as_of"], "2024-04-01T12:00:00Z")
        third = 1 / 3
        self.assertBlock(r["overall"], {
            "tickets": 3,
            "volume": {"inbound": 2, "outbound": 1, "customer_messages": 2,
                       "agent_messages": 2, "channel_share": {"(none)": third, "email": third,
                                                              "phone": third}},
            "first_response": dict(dist(1, 600.0, 600.0, 600.0), unanswered=1),
            "response_time": dist(1, 600.0, 600.0, 600.0),
            "resolution_time": None, "first_resolution_time": None, "fcr": None,
            "bot_resolution": None, "backlog": None,
            "csat": {"responses": 1, "satisfied": 1, "rate": 1.0, "mean_score": 4.0,
                     "response_rate": None},
            "sla": {"first_reply": {"met": 1, "breached": 0, "running": 1, "attainment": 1.0},
                    "resolution": None},
            "response_rate": {"answered": 1, "unanswered": 1, "closed_without_reply": 0,
                              "rate": 0.5},
            "interactions": {"replies_per_solved_ticket": None,
                             "customer_messages_per_ticket": 2 / 3},
        })
        keys = [g["by"]["channel"] for g in r["groups"]]
        self.assertEqual(keys, [None, "email", "phone"])
        for g in r["groups"]:
            self.assertIsNone(g["kpis"]["backlog"])
            self.assertIsNone(g["kpis"]["sla"]["resolution"])


class CsatScale(Helpers):
    # cases/csat_scale10.csv. With --csat-min 1 --csat-max 10 --csat-satisfied 8, as_of 04:00:
    # S1: cust 00:00, reply+solved 01:00 (FRT 3600, resolution 3600), rating 8, nps 10.
    # S2: cust message carrying status solved at 00:00 -> resolution 0, closed without reply;
    #     ratings 10 (03:00) then 7 (04:00): last = 7, not satisfied; nps 0 then 8 -> 8 passive.
    # S3: cust 00:00, unanswered, unsolved (backlog 4h -> 0-1d).
    # CSAT 2 responses, 1 satisfied (8 >= 8), mean 7.5, response rate 2 rated / 2 solved = 1.
    # NPS promoters 1 (10), passives 1 (8): score 100*(1-0)/2 = 50.
    # resolution [0,3600]: mean 1800, median 1800, p90 3240.
    def test_scale_10(self):
        r = run("csat_scale10.csv", csat_min=1.0, csat_max=10.0, csat_satisfied=8.0)
        self.assertEqual(r["as_of"], "2024-05-01T04:00:00Z")
        self.assertBlock(r["overall"], {
            "csat": {"responses": 2, "satisfied": 1, "rate": 0.5, "mean_score": 7.5,
                     "response_rate": 1.0, "scale_min": 1, "scale_max": 10,
                     "satisfied_min": 8},
            "nps": {"responses": 2, "promoters": 1, "passives": 1, "detractors": 0,
                    "score": 50.0},
            "resolution_time": dist(2, 1800.0, 1800.0, 3240.0),
            "fcr": {"eligible": 1, "first_contact": 1, "rate": 1.0},
            "response_rate": {"answered": 1, "unanswered": 1, "closed_without_reply": 1},
            "backlog": {"open": 1},
        })

    def test_default_scale_rejects(self):
        # Default 1-5 scale: csat 8, 10, 7 are out of range -> those 3 rating rows are invalid
        # (with their nps). as_of becomes the latest VALID row: S1 01:00. No CSAT, no NPS;
        # response rate 0 rated / 2 solved = 0.
        r = run("csat_scale10.csv")
        self.assertEqual(r["input"]["rows_rejected"], 3)
        self.assertEqual(r["as_of"], "2024-05-01T01:00:00Z")
        self.assertBlock(r["overall"], {
            "csat": {"responses": 0, "rate": None, "mean_score": None, "response_rate": 0.0},
            "nps": {"responses": 0, "score": None},
        })


class ChannelPreference(Helpers):
    # cases/channel_pref.csv (no status column; as_of 00:02).
    # P1: bot(web) 00:00, cust(chat) 00:01, reply(email) 00:02 -> channel = first customer
    #     message's = chat (not the earlier web); message channels {web,chat,email} -> redirect.
    #     inbound (bot does not decide), FRT 60.
    # P2: note(sms) 00:00, cust with EMPTY channel 00:01, cust(Phone) 00:02 -> the first customer
    #     message has no channel -> first non-empty channel of any row = sms (the note).
    #     Message-row channels {phone} only -> no redirect. Inbound, unanswered.
    # P3: only a system message, no channel -> (none); neither inbound nor outbound.
    # share chat/sms/(none) 1/3 each; redirects 1/3; response rate 1/(1+1) = 0.5.
    def test_channel_rules(self):
        r = run("channel_pref.csv", by="channel")
        third = 1 / 3
        self.assertBlock(r["overall"], {
            "tickets": 3,
            "volume": {"inbound": 2, "outbound": 0, "customer_messages": 3,
                       "agent_messages": 1, "bot_messages": 1, "notes": 1,
                       "channel_share": {"(none)": third, "chat": third, "sms": third}},
            "first_response": dict(dist(1, 60.0, 60.0, 60.0), unanswered=1),
            "redirects": {"tickets": 1, "rate": third},
            "response_rate": {"answered": 1, "unanswered": 1, "closed_without_reply": 0,
                              "rate": 0.5},
            "backlog": None,
        })
        self.assertEqual([g["by"]["channel"] for g in r["groups"]], [None, "chat", "sms"])
        none = r["groups"][0]["kpis"]
        self.assertBlock(none, {"tickets": 1, "volume": {"inbound": 0, "outbound": 0},
                                "response_rate": {"rate": None}})


class CliAndCompare(Helpers):
    def test_cli_and_compare_roundtrip(self):
        script = os.path.join(HERE, "ticketkpi_ref.py")
        out = subprocess.run([sys.executable, script, os.path.join(CASES, "bot_outbound.csv"),
                              "--by", "channel"], capture_output=True, text=True, check=True)
        rep = json.loads(out.stdout)
        self.assertEqual(rep["schema_version"], 2)
        self.assertEqual(len(rep["groups"]), 4)

        same = compare.compare(rep, json.loads(out.stdout))
        self.assertEqual(same.diffs, [])
        self.assertGreater(same.compared, 100)

        other = json.loads(out.stdout)
        other["overall"]["response_time"]["mean"] *= 1 + 1e-8      # within tolerance
        other["overall"]["fcr"]["rate"] = 0.0                        # null vs number
        other["overall"]["bot_resolution"]["rate"] = 0.6             # 0.5 vs 0.6
        other["overall"]["volume"]["extra_field"] = 1                # not in schema: note only
        del other["overall"]["volume"]["channel_share"]["web"]       # data key: a difference
        del other["groups"][0]                                       # group missing
        c = compare.compare(rep, other)
        self.assertEqual(len(c.diffs), 4, c.diffs)
        self.assertTrue(any("overall.fcr.rate" in d for d in c.diffs))
        self.assertTrue(any("overall.bot_resolution.rate: 0.5 != 0.6" in d for d in c.diffs))
        self.assertEqual(len(c.notes), 1, c.notes)

        with tempfile.TemporaryDirectory() as d:
            a, b = os.path.join(d, "a.json"), os.path.join(d, "b.json")
            with open(a, "w") as f:
                json.dump(rep, f)
            with open(b, "w") as f:
                json.dump(other, f)
            cmd = os.path.join(HERE, "compare.py")
            ok = subprocess.run([sys.executable, cmd, a, a], capture_output=True, text=True)
            self.assertEqual(ok.returncode, 0)
            self.assertRegex(ok.stdout.strip(), r"^\d+ values compared, 0 differences$")
            bad = subprocess.run([sys.executable, cmd, a, b], capture_output=True, text=True)
            self.assertEqual(bad.returncode, 1)
            self.assertIn("4 differences", bad.stdout)


if __name__ == "__main__":
    unittest.main()

//! What each number on the page means, in the words of docs/metrics.md (and docs/config.md for
//! SLA clocks). A page is shared without the repository, so the definitions travel with it;
//! keep them in step with the docs.

pub struct Definition {
    pub name: &'static str,
    pub text: &'static str,
}

pub const TICKETS: Definition = Definition {
    name: "Tickets",
    text: "The tickets reported: created at or before as_of (and within --since/--until). A ticket \
           is inbound when its first message by a customer or an agent is the customer's, \
           outbound when it is the agent's; bot and system messages do not decide.",
};

pub const FIRST_RESPONSE: Definition = Definition {
    name: "First response time (FRT)",
    text: "The first reply minus the first customer message, over answered inbound tickets. A \
           reply is a message by an agent; bot and system messages and notes are never replies. \
           Outbound tickets have no first response time. Median and p90 interpolate linearly \
           between the closest ranks.",
};

pub const RESOLUTION_TIME: Definition = Definition {
    name: "Resolution time",
    text: "The last resolution minus created_at, for tickets solved at as_of. A resolution is a \
           change into the solved state (solved or closed).",
};

pub const FCR: Definition = Definition {
    name: "First contact resolution (FCR)",
    text: "Eligible: tickets solved at as_of with at least one reply. First contact: eligible \
           tickets with exactly one reply and no reopen. Rate = first contact / eligible.",
};

pub const CSAT: Definition = Definition {
    name: "CSAT",
    text: "The score of each ticket's last rating row. Satisfied: score ≥ the threshold (4 on \
           the default 1-5 scale). Rate = satisfied / responses.",
};

pub const SLA: Definition = Definition {
    name: "SLA attainment",
    text: "For each ticket and target: met (stopped within the target, inclusive), breached \
           (stopped after it, or not stopped and already past it at as_of), running (neither). \
           Attainment = met / (met + breached). First reply: from the first customer message of \
           an inbound ticket to the first reply (tickets closed without reply are not counted). \
           Next reply: for every later run of customer messages, from its first message to the \
           next reply, or to the solve if the ticket is solved first (met if within the \
           target, breached if it had passed). Resolution: from creation to the last resolution of a ticket solved at \
           as_of. The clocks stop while the ticket is in a pause_on status.",
};

pub const BACKLOG: Definition = Definition {
    name: "Backlog",
    text: "Tickets created at or before as_of and not solved at as_of, by age (as_of − \
           created_at): [0,1d), [1d,3d), [3d,7d), [7d,30d), [30d,∞). With --period, each period \
           also reports the tickets open at its last instant (at as_of for a period that ends \
           later); unknown (n/a) before as_of when a ticket was closed without a dated \
           resolution.",
};

pub const HISTOGRAM: Definition = Definition {
    name: "Distribution",
    text: "Each bar stands for the tickets whose time falls in its bucket [from, to), and its \
           area is their number (written on it). The buckets differ in width on the \
           logarithmic time axis (1m to 5m spans more than two doublings of time, 15m to 30m \
           one), so a bar's height is tickets per doubling of time, not its count: a wide \
           bucket is not drawn as if its tickets were more frequent. The first bucket (from 0) \
           and the last, open one have no width on a log axis and are drawn one doubling wide. \
           Negative durations (clocks that disagree) are left out and counted under data \
           quality.",
};

pub const CHANGE: Definition = Definition {
    name: "Change",
    text: "The last complete period (by ticket creation) against the one before it; rates \
           change in percentage points. A partial period (the one as_of falls in, or the one \
           the data starts in the middle of) is never compared: a short week against a full \
           one is no trend. And as periods group tickets by creation, a KPI that waits for a \
           later reply or resolution is not final while a period's tickets are young: the last \
           complete period is compared on first response and first-reply SLA once its newest \
           tickets are older than the report's p90 first response time, and on resolution \
           time, FCR and CSAT once they are older than its p90 resolution time; until then it \
           is not comparable yet.",
};

pub const DATA_QUALITY: Definition = Definition {
    name: "Data quality",
    text: "What an export says that cannot be right is counted and reported, never averaged \
           into the KPIs: rejected rows, by reason; duplicate events (a row repeated verbatim \
           from an earlier input file, counted once); negative durations (a first response or \
           resolution dated before the ticket's start, left out of its distribution). Notes, \
           not errors: rows repeated within one file (kept), tickets whose messages came over \
           several channels, tickets whose priority changed, and values read by rule rather \
           than as written (statuses outside the vocabulary read by keyword, placeholder dates \
           such as 1900-01-01 read as empty, priorities the SLA targets read as normal). \
           --strict turns the findings (notes aside) into exit code 3.",
};

/// In the order of the page, for the printed glossary.
pub const ALL: [&Definition; 10] = [
    &TICKETS,
    &FIRST_RESPONSE,
    &RESOLUTION_TIME,
    &FCR,
    &CSAT,
    &SLA,
    &BACKLOG,
    &HISTOGRAM,
    &CHANGE,
    &DATA_QUALITY,
];

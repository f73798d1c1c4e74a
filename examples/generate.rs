//! Generates a large, realistic help desk export in ticketkpi's canonical event log format (one
//! row per event), for benchmarks, tests and the bundled sample data:
//!
//! ```text
//! cargo run --release --example generate -- --tickets 1000000 --seed 7 > big.csv
//! ```
//!
//! The output is a pure function of the options: the same seed and options give byte-identical
//! output on every run and platform. That is why the generator uses ChaCha8 (a portable stream),
//! draws only integers and uniform floats, and shapes distributions with plain arithmetic instead
//! of `ln`/`exp`, whose last bit may differ between math libraries.
//!
//! Tickets are simulated one at a time from their creation to the export time (the end of the
//! last day), then events after the export time are dropped: recently created tickets are still
//! unanswered or open, like in a real export. Invalid rows (`--dirty`) are copies of real rows
//! with one fault each, drawn from their own random stream: removing them gives back exactly the
//! clean output of the same seed.

use std::io::{self, BufWriter, Write};
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{NaiveDate, NaiveTime};
use clap::{Parser, ValueEnum};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const MINUTE: i64 = 60;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// Generate a deterministic, realistic help desk event export (ticketkpi canonical format).
#[derive(Parser, Debug)]
#[command(name = "generate")]
struct Args {
    /// Number of tickets to generate.
    #[arg(long, default_value_t = 1000)]
    tickets: u32,

    /// Seed of the random generator; the same seed and options give byte-identical output.
    #[arg(long, default_value_t = 7)]
    seed: u64,

    /// First day on which tickets are created (YYYY-MM-DD, UTC).
    #[arg(long, default_value = "2026-03-01")]
    start: NaiveDate,

    /// Number of days over which tickets are created; the export is taken at the end of the
    /// last day, so later events are not in it.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    format: Format,

    /// Row order.
    #[arg(long, value_enum, default_value_t = Order::Ticket)]
    order: Order,

    /// Fraction of extra invalid rows to inject (0 to 1, e.g. 0.01), each a copy of the row
    /// before it with one fault; blank lines count as faults too.
    #[arg(long, default_value_t = 0.0, value_parser = parse_rate)]
    dirty: f64,

    /// Print a summary of what was generated to stderr.
    #[arg(long)]
    summary: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line; empty fields are omitted.
    Jsonl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Order {
    /// Tickets in creation order, each ticket's events together and in time order (streams in
    /// constant memory).
    Ticket,
    /// All events sorted by timestamp; holds the events of the tickets still active in memory
    /// (grows with tickets per day times ticket lifetime, not with the total).
    Time,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("expected a fraction between 0 and 1, got `{s}`")),
    }
}

fn main() {
    let args = Args::parse();
    if let Err(err) = run(&args) {
        // `generate | head` closes the pipe early: that is how the output is used, not an error.
        if is_broken_pipe(&err) {
            return;
        }
        eprintln!("generate: {err:#}");
        std::process::exit(1);
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(args: &Args) -> Result<()> {
    let started = Instant::now();
    let stdout = io::stdout();
    let out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let stats = generate(args, out).context("cannot write the export to stdout")?;
    if args.summary {
        print_summary(args, &stats, started.elapsed().as_secs_f64());
    }
    Ok(())
}

fn generate<W: Write>(args: &Args, out: W) -> io::Result<Stats> {
    let start = args.start.and_time(NaiveTime::MIN).and_utc().timestamp();
    let end = start + i64::from(args.days) * DAY;

    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let arrivals = Arrivals::new(&mut rng, start, args.days, args.tickets);
    let mut generator = Generator { rng, arrivals, end };
    // Faults get their own stream so that injecting them leaves the clean rows unchanged.
    let mut dirt = ChaCha8Rng::seed_from_u64(args.seed);
    dirt.set_stream(1);
    let mut out = RowWriter::new(out, args.format, args.dirty, dirt);
    out.header()?;

    let mut events = Vec::with_capacity(64);
    let mut queue = (args.order == Order::Time).then(|| TimeQueue::new(start, end));
    for ticket in 1..=args.tickets {
        let created = generator.ticket(ticket, &mut events);
        match &mut queue {
            None => {
                for event in &events {
                    out.row(event)?;
                }
            }
            Some(queue) => {
                // No later ticket has an event before this one's creation.
                queue.release(created, &mut out)?;
                queue.push(&events);
            }
        }
    }
    if let Some(queue) = &mut queue {
        queue.finish(&mut out)?;
        out.stats.peak_buffered = Some(queue.peak);
    }
    out.flush()?;
    Ok(out.stats)
}

fn print_summary(args: &Args, stats: &Stats, seconds: f64) {
    let blank = stats.faults[Fault::BlankLine as usize];
    let invalid = stats.faults.iter().sum::<u64>() - blank;
    let span = match (stats.first, stats.last) {
        (Some(first), Some(last)) => format!("{} .. {}", timestamp(first), timestamp(last)),
        _ => "no events".to_string(),
    };
    eprintln!(
        "generated {} tickets, {} rows ({invalid} invalid, {blank} blank lines), {span}",
        args.tickets, stats.rows,
    );
    if invalid > 0 {
        let by_fault: Vec<String> = FAULTS
            .iter()
            .filter(|&&f| f != Fault::BlankLine && stats.faults[f as usize] > 0)
            .map(|&f| format!("{} {}", f.name(), stats.faults[f as usize]))
            .collect();
        eprintln!("invalid rows by fault: {}", by_fault.join(", "));
    }
    if let Some(peak) = stats.peak_buffered {
        eprintln!("time order: at most {peak} events buffered");
    }
    let rate = stats.rows as f64 / seconds.max(1e-9);
    eprintln!("{seconds:.2} s, {rate:.0} rows/s");
}

fn timestamp(ts: i64) -> String {
    let mut buf = Vec::with_capacity(20);
    push_timestamp(&mut buf, ts);
    String::from_utf8_lossy(&buf).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Message,
    Note,
    Status,
    Rating,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Author {
    Customer,
    Agent,
    Bot,
    System,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    New,
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Channel {
    Email,
    Chat,
    Whatsapp,
    Messenger,
    Instagram,
    Twitter,
    Wechat,
    Phone,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Message => "message",
            Kind::Note => "note",
            Kind::Status => "status",
            Kind::Rating => "rating",
        }
    }
}

impl Author {
    fn name(self) -> &'static str {
        match self {
            Author::Customer => "customer",
            Author::Agent => "agent",
            Author::Bot => "bot",
            Author::System => "system",
        }
    }
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::OnHold => "on_hold",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }
}

impl Priority {
    fn name(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// Agents work urgent tickets first: scales the channel's typical reply delay.
    fn urgency(priority: Option<Priority>) -> f64 {
        match priority {
            Some(Priority::Urgent) => 0.3,
            Some(Priority::High) => 0.6,
            Some(Priority::Low) => 1.6,
            Some(Priority::Normal) | None => 1.0,
        }
    }

    fn escalated(priority: Option<Priority>) -> Priority {
        match priority {
            Some(Priority::Low) => Priority::Normal,
            Some(Priority::High | Priority::Urgent) => Priority::Urgent,
            Some(Priority::Normal) | None => Priority::High,
        }
    }
}

/// How conversations go on a channel. Durations are medians in seconds.
struct Timing {
    first_reply: i64,
    reply: i64,
    customer: i64,
    /// Gap between consecutive messages of one customer.
    burst: i64,
    handle: i64,
    /// Replies are queued outside office hours (asynchronous channels).
    office_hours: bool,
    /// Chance that an agent reply solves the ticket, by reply number (then the last one):
    /// live conversations take more, shorter turns.
    solve: [f64; 4],
    /// Chance of a second agent reply before the customer answers.
    follow_up: f64,
}

/// Email-like pace: few, long replies.
const SLOW: Timing = Timing {
    first_reply: 2 * HOUR,
    reply: 4 * HOUR,
    customer: 5 * HOUR,
    burst: 30 * MINUTE,
    handle: 360,
    office_hours: true,
    solve: [0.45, 0.55, 0.65, 0.75],
    follow_up: 0.05,
};

/// Messaging apps and social media: minutes to an hour, several short turns.
const MESSAGING: Timing = Timing {
    first_reply: 10 * MINUTE,
    reply: 8 * MINUTE,
    customer: 15 * MINUTE,
    burst: 40,
    handle: 200,
    office_hours: true,
    solve: [0.25, 0.45, 0.6, 0.7],
    follow_up: 0.15,
};

impl Channel {
    fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Whatsapp => "whatsapp",
            Channel::Messenger => "messenger",
            Channel::Instagram => "instagram",
            Channel::Twitter => "twitter",
            Channel::Wechat => "wechat",
            Channel::Phone => "phone",
        }
    }

    /// Share of inbound conversations answered by a bot first.
    fn bot_share(self) -> f64 {
        match self {
            Channel::Chat => 0.75,
            Channel::Whatsapp | Channel::Messenger => 0.6,
            _ => 0.0,
        }
    }

    /// Where agents move a conversation when the channel does not suit it.
    fn redirect(self) -> Channel {
        match self {
            Channel::Email => Channel::Phone,
            Channel::Twitter | Channel::Instagram => Channel::Whatsapp,
            _ => Channel::Email,
        }
    }

    fn timing(channel: Option<Channel>) -> &'static Timing {
        const CHAT: Timing = Timing {
            first_reply: 60,
            reply: 50,
            customer: 70,
            burst: 20,
            handle: 240,
            office_hours: false,
            solve: [0.15, 0.35, 0.5, 0.65],
            follow_up: 0.3,
        };
        const WHATSAPP: Timing = Timing {
            first_reply: 8 * MINUTE,
            reply: 7 * MINUTE,
            ..MESSAGING
        };
        const MESSENGER: Timing = Timing {
            first_reply: 20 * MINUTE,
            reply: 15 * MINUTE,
            customer: 25 * MINUTE,
            ..MESSAGING
        };
        const INSTAGRAM: Timing = Timing {
            first_reply: 45 * MINUTE,
            reply: 30 * MINUTE,
            customer: 40 * MINUTE,
            burst: MINUTE,
            handle: 180,
            ..MESSAGING
        };
        const TWITTER: Timing = Timing {
            first_reply: 30 * MINUTE,
            reply: 25 * MINUTE,
            customer: 40 * MINUTE,
            burst: MINUTE,
            handle: 180,
            ..MESSAGING
        };
        const WECHAT: Timing = Timing {
            first_reply: 25 * MINUTE,
            reply: 20 * MINUTE,
            customer: 30 * MINUTE,
            ..MESSAGING
        };
        // A call is answered from a queue; a follow-up is a callback, typically the next day.
        const PHONE: Timing = Timing {
            first_reply: 75,
            reply: DAY,
            customer: DAY,
            burst: 0,
            handle: 0,
            office_hours: false,
            solve: [0.65, 0.6, 0.7, 0.8],
            follow_up: 0.0,
        };
        match channel {
            Some(Channel::Email) | None => &SLOW,
            Some(Channel::Chat) => &CHAT,
            Some(Channel::Whatsapp) => &WHATSAPP,
            Some(Channel::Messenger) => &MESSENGER,
            Some(Channel::Instagram) => &INSTAGRAM,
            Some(Channel::Twitter) => &TWITTER,
            Some(Channel::Wechat) => &WECHAT,
            Some(Channel::Phone) => &PHONE,
        }
    }
}

const CHANNELS: [(Channel, u32); 8] = [
    (Channel::Email, 33),
    (Channel::Chat, 22),
    (Channel::Phone, 12),
    (Channel::Whatsapp, 12),
    (Channel::Messenger, 7),
    (Channel::Instagram, 6),
    (Channel::Twitter, 5),
    (Channel::Wechat, 3),
];

/// Agents reach out mostly by email.
const OUTBOUND_CHANNELS: [(Channel, u32); 3] = [
    (Channel::Email, 70),
    (Channel::Phone, 15),
    (Channel::Whatsapp, 15),
];

const PRIORITIES: [(Priority, u32); 4] = [
    (Priority::Low, 14),
    (Priority::Normal, 64),
    (Priority::High, 16),
    (Priority::Urgent, 6),
];

const CATEGORIES: [&str; 8] = [
    "billing",
    "technical",
    "account",
    "shipping",
    "returns",
    "product",
    "feedback",
    "other",
];
const CATEGORY_WEIGHTS: [(u8, u32); 8] = [
    (0, 20),
    (1, 22),
    (2, 14),
    (3, 16),
    (4, 10),
    (5, 9),
    (6, 5),
    (7, 4),
];
const BILLING: u8 = 0;
const TECHNICAL: u8 = 1;

const TEAMS: [&str; 4] = ["billing", "tech-support", "customer-care", "social-care"];
const TEAM_BILLING: u8 = 0;
const TEAM_TECH: u8 = 1;
const TEAM_CARE: u8 = 2;
const TEAM_SOCIAL: u8 = 3;

const AGENTS: [&str; 20] = [
    "Alice", "Bruno", "Chen", "Dana", // billing
    "Emeka", "Farah", "Goran", "Hana", "Ivan", // tech-support
    "Jade", "Kofi", "Lena", "Marco", "Nadia", "Oscar", "Priya", // customer-care
    "Quentin", "Rosa", "Sami", "Tomoko", // social-care
];

/// Agent indices of each team, in `TEAMS` order.
const ROSTER: [&[u8]; 4] = [
    &[0, 1, 2, 3],
    &[4, 5, 6, 7, 8],
    &[9, 10, 11, 12, 13, 14, 15],
    &[16, 17, 18, 19],
];

fn team_for(channel: Option<Channel>, category: u8, rng: &mut ChaCha8Rng) -> u8 {
    let social = matches!(
        channel,
        Some(Channel::Instagram | Channel::Twitter | Channel::Messenger | Channel::Wechat)
    );
    if social && rng.random_bool(0.8) {
        return TEAM_SOCIAL;
    }
    match category {
        BILLING => TEAM_BILLING,
        TECHNICAL => TEAM_TECH,
        _ => TEAM_CARE,
    }
}

// ---------------------------------------------------------------------------------------------
// Random helpers

/// Quantiles of a right-skewed delay (close to a lognormal with sigma 1) as multiples of its
/// median. Interpolating between them needs no transcendental functions, which keeps the output
/// identical across platforms.
const SKEW: [(f64, f64); 9] = [
    (0.0, 0.08),
    (0.1, 0.3),
    (0.25, 0.55),
    (0.5, 1.0),
    (0.75, 1.9),
    (0.9, 3.6),
    (0.97, 7.0),
    (0.995, 14.0),
    (1.0, 30.0),
];

/// A positive duration in seconds with the given median and a long right tail.
fn skewed(rng: &mut ChaCha8Rng, median: i64) -> i64 {
    let u: f64 = rng.random();
    let i = SKEW
        .partition_point(|&(p, _)| p <= u)
        .clamp(1, SKEW.len() - 1);
    let ((p0, m0), (p1, m1)) = (SKEW[i - 1], SKEW[i]);
    let multiple = m0 + (u - p0) / (p1 - p0) * (m1 - m0);
    ((median as f64 * multiple) as i64).max(1)
}

/// Draws from a weighted table (integer weights keep the draw portable).
fn pick<T: Copy>(rng: &mut ChaCha8Rng, table: &[(T, u32)]) -> T {
    let total: u32 = table.iter().map(|&(_, weight)| weight).sum();
    let mut roll = rng.random_range(0..total);
    for &(item, weight) in table {
        if roll < weight {
            return item;
        }
        roll -= weight;
    }
    table[table.len() - 1].0
}

fn is_weekend(day: i64) -> bool {
    // Day 0 (1970-01-01) was a Thursday.
    matches!((day + 4).rem_euclid(7), 0 | 6)
}

// ---------------------------------------------------------------------------------------------
// Ticket creation times

/// Ticket creation times over the period, following a daily and weekly rhythm.
///
/// Tickets come out in creation order without buffering: ticket `i` of `n` is placed at a
/// random point of the `i`-th equal slice of the cumulative arrival intensity (stratified
/// sampling), so the times never decrease.
struct Arrivals {
    start: i64,
    /// Cumulative intensity at the end of each hour of the period.
    cumulative: Vec<f64>,
    tickets: u32,
    next: u32,
    hour: usize,
}

/// Relative ticket intake per hour of the day (UTC).
const HOURLY_INTAKE: [f64; 24] = [
    2.0, 1.5, 1.0, 1.0, 1.2, 2.0, 4.0, 7.0, 10.0, 12.0, 13.0, 13.0, 12.0, 12.5, 12.5, 11.5, 10.5,
    9.5, 8.5, 7.5, 6.5, 5.0, 4.0, 3.0,
];

impl Arrivals {
    fn new(rng: &mut ChaCha8Rng, start: i64, days: u32, tickets: u32) -> Arrivals {
        let first_day = start.div_euclid(DAY);
        let mut cumulative = Vec::with_capacity(days as usize * 24);
        let mut total = 0.0;
        for day in 0..i64::from(days) {
            // Weekends are quieter; days vary (campaigns, outages).
            let weekend = if is_weekend(first_day + day) {
                0.5
            } else {
                1.0
            };
            let noise = 0.8 + 0.4 * rng.random::<f64>();
            for intake in HOURLY_INTAKE {
                total += intake * weekend * noise;
                cumulative.push(total);
            }
        }
        Arrivals {
            start,
            cumulative,
            tickets,
            next: 0,
            hour: 0,
        }
    }

    fn next(&mut self, rng: &mut ChaCha8Rng) -> i64 {
        let total = self.cumulative[self.cumulative.len() - 1];
        let slice = (f64::from(self.next) + rng.random::<f64>()) / f64::from(self.tickets);
        let target = slice * total;
        self.next += 1;
        while self.hour + 1 < self.cumulative.len() && self.cumulative[self.hour] <= target {
            self.hour += 1;
        }
        let before = if self.hour == 0 {
            0.0
        } else {
            self.cumulative[self.hour - 1]
        };
        let within = (target - before) / (self.cumulative[self.hour] - before);
        let seconds = ((within * HOUR as f64) as i64).clamp(0, HOUR - 1);
        self.start + self.hour as i64 * HOUR + seconds
    }
}

// ---------------------------------------------------------------------------------------------
// Events and the ticket simulation

/// One row of the export. Text fields are indices into the vocabulary, so an event is `Copy`
/// and cheap to buffer.
#[derive(Clone, Copy, Debug)]
struct Event {
    ts: i64,
    ticket: u32,
    kind: Kind,
    /// Write the event column empty (it defaults to `message`).
    implicit_kind: bool,
    author: Option<Author>,
    channel: Option<Channel>,
    agent: Option<u8>,
    team: Option<u8>,
    priority: Option<Priority>,
    category: Option<u8>,
    status: Option<Status>,
    csat: Option<u8>,
    nps: Option<u8>,
    /// Hundredths, -100..=100.
    sentiment: Option<i16>,
    handle: Option<u32>,
    talk: Option<u32>,
    hold: Option<u32>,
    acw: Option<u32>,
    /// One text column written in another case or padded with spaces, as exports do.
    restyle: Option<(usize, Casing)>,
}

impl Event {
    fn casing(&self, column: usize) -> Casing {
        match self.restyle {
            Some((restyled, casing)) if restyled == column => casing,
            _ => Casing::AsIs,
        }
    }
}

struct Generator {
    rng: ChaCha8Rng,
    arrivals: Arrivals,
    /// The export time: events from then on are not in the export.
    end: i64,
}

impl Generator {
    /// Simulates one ticket into `events` (in time order) and returns its creation time.
    fn ticket(&mut self, number: u32, events: &mut Vec<Event>) -> i64 {
        events.clear();
        let created = self.arrivals.next(&mut self.rng);
        Conversation::new(&mut self.rng, events, number, created).play();
        // Ratings and automatic closes are scheduled ahead of the conversation clock; a stable
        // sort keeps the order of events at the same second.
        events.sort_by_key(|e| e.ts);
        let exported = events.partition_point(|e| e.ts < self.end);
        events.truncate(exported);
        created
    }
}

/// The state of one ticket while its conversation is played out. `t` is the clock: each step
/// moves it forward and stamps the events it adds.
struct Conversation<'a> {
    rng: &'a mut ChaCha8Rng,
    events: &'a mut Vec<Event>,
    ticket: u32,
    t: i64,
    outbound: bool,
    channel: Option<Channel>,
    /// Channel the first pending agent reply moves the conversation to.
    redirect_to: Option<Channel>,
    priority: Option<Priority>,
    /// The priority goes up when an agent first looks at the ticket.
    escalate: bool,
    category: Option<u8>,
    /// Empty until the ticket is routed to a team.
    team: Option<u8>,
    agent: u8,
    /// Current customer sentiment in hundredths, for tickets whose messages are scored.
    mood: Option<i16>,
    replies: u32,
    reopens: u32,
    bot_resolved: bool,
}

/// After this many agent turns the ticket is solved whatever happens.
const MAX_TURNS: u32 = 8;

impl<'a> Conversation<'a> {
    fn new(
        rng: &'a mut ChaCha8Rng,
        events: &'a mut Vec<Event>,
        ticket: u32,
        created: i64,
    ) -> Conversation<'a> {
        let outbound = rng.random_bool(0.03);
        let channel = if rng.random_bool(0.006) {
            None
        } else if outbound {
            Some(pick(rng, &OUTBOUND_CHANNELS))
        } else {
            Some(pick(rng, &CHANNELS))
        };
        let redirect_to = channel
            .filter(|_| rng.random_bool(0.025))
            .map(Channel::redirect);
        let priority = (!rng.random_bool(0.04)).then(|| pick(rng, &PRIORITIES));
        let escalate = rng.random_bool(0.04);
        let mood = rng.random_bool(0.3).then(|| rng.random_range(-90..=30));
        Conversation {
            rng,
            events,
            ticket,
            t: created,
            outbound,
            channel,
            redirect_to,
            priority,
            escalate,
            category: None,
            team: None,
            agent: 0,
            mood,
            replies: 0,
            reopens: 0,
            bot_resolved: false,
        }
    }

    fn play(mut self) {
        if self.outbound {
            self.outbound_contact();
        } else {
            self.inbound_contact();
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn wait(&mut self, median: i64) {
        self.t += skewed(self.rng, median);
    }

    fn timing(&self) -> &'static Timing {
        Channel::timing(self.channel)
    }

    fn inbound_contact(&mut self) {
        if self.chance(0.5) {
            // Picked by the customer in a web form or phone menu.
            self.category = Some(pick(self.rng, &CATEGORY_WEIGHTS));
        }
        let status = pick(
            self.rng,
            &[(Some(Status::New), 80), (None, 15), (Some(Status::Open), 5)],
        );
        self.customer(status);
        let bot_share = self.channel.map_or(0.0, Channel::bot_share);
        if self.timing().office_hours && bot_share == 0.0 && self.chance(0.5) {
            // Asynchronous channels without a bot acknowledge receipt automatically. The
            // customer may still be writing: the acknowledgement does not end their run.
            self.wait(5);
            self.message(Author::System, None);
        }
        self.more_customer_messages();

        if self.chance(bot_share) {
            self.wait(4);
            self.message(Author::Bot, None);
            if self.chance(0.3) {
                self.bot_resolves();
                return self.after_solve();
            }
            if self.chance(0.6) {
                self.wait(40);
                self.customer(None);
            }
            // The bot collects details, routes the conversation and hands it to an agent.
            self.wait(5);
            self.triage();
            self.message(Author::Bot, Some(Status::Open));
        }

        let roll: f64 = self.rng.random();
        if roll < 0.012 {
            // Lost in the queue: never answered, part of the backlog.
            return;
        }
        if roll < 0.042 {
            self.customer_gives_up();
            return self.after_solve();
        }
        self.work();
        self.after_solve();
    }

    /// An agent reaches out first (proactive or follow-up contact): no first reply time.
    fn outbound_contact(&mut self) {
        self.triage();
        self.agent_reply(Some(Status::Pending));
        if self.chance(0.6) {
            self.await_customer();
            self.work();
        } else {
            self.auto_solve();
        }
        self.after_solve();
    }

    fn bot_resolves(&mut self) {
        self.bot_resolved = true;
        if self.chance(0.5) {
            self.wait(30);
            self.customer(None);
        }
        self.wait(20);
        if self.chance(0.5) {
            self.message(Author::Bot, Some(Status::Solved));
        } else {
            self.status_change(Author::Bot, Status::Solved);
        }
    }

    /// The customer fixes it alone or loses interest and closes the ticket before any reply.
    fn customer_gives_up(&mut self) {
        self.wait(self.timing().first_reply);
        if self.chance(0.6) {
            self.customer(None);
        }
        self.wait(30);
        self.status_change(Author::Customer, Status::Solved);
    }

    /// Agents work the ticket until it is solved.
    fn work(&mut self) {
        self.triage();
        for turn in 0..MAX_TURNS {
            let timing = self.timing();
            let median = if self.replies == 0 {
                timing.first_reply
            } else {
                timing.reply
            };
            let median = (median as f64 * Priority::urgency(self.priority)) as i64;
            let ready = self.t + skewed(self.rng, median);
            let reply_at = self.office_hours(ready);
            if self.chance(0.22) {
                // An internal note while investigating, before the reply.
                self.t += self.rng.random_range(0..=reply_at - self.t);
                self.note();
            }
            if self.replies == 0 && self.chance(0.3) {
                // The agent picks the new ticket up before answering.
                self.t += self.rng.random_range(0..=reply_at - self.t);
                self.status_change(Author::Agent, Status::Open);
            }
            self.t = reply_at;
            if turn > 0 && self.chance(0.06) {
                self.reassign();
            }
            if self.escalate {
                self.priority = Some(Priority::escalated(self.priority));
                self.escalate = false;
            }

            let redirect = self.redirect_to.is_some();
            let solve = timing.solve[(self.replies as usize).min(timing.solve.len() - 1)];
            if !redirect && (turn + 1 == MAX_TURNS || self.chance(solve)) {
                return self.solve_with_reply();
            }
            let hold = if self.category == Some(TECHNICAL) {
                0.12
            } else {
                0.04
            };
            if !redirect && self.chance(hold) {
                // Waiting on a third party (engineering, a carrier): the next step is an update
                // from the agent, not a customer message.
                self.set_status_on_reply(Status::OnHold);
                self.wait(DAY);
                continue;
            }

            self.agent_reply(Some(Status::Pending));
            if let Some(to) = self.redirect_to.take() {
                self.channel = Some(to);
            }
            if self.chance(timing.follow_up) {
                // A second reply before the customer answers ("one more thing...").
                self.wait(timing.reply / 4 + MINUTE);
                self.agent_reply(None);
            }
            if !redirect && !self.chance(0.83) {
                return self.auto_solve();
            }
            self.await_customer();
        }
    }

    /// The customer answers a pending ticket, possibly so late that the help desk has solved it
    /// in the meantime: then the answer reopens it.
    fn await_customer(&mut self) {
        let answer_at = self.t + skewed(self.rng, self.timing().customer);
        let timeout = self.t + self.pending_timeout();
        if answer_at > timeout {
            self.t = timeout;
            self.status_change(Author::System, Status::Solved);
            self.reopens += 1;
        }
        self.t = answer_at;
        let status = self.customer_status();
        self.customer_run(status);
    }

    fn solve_with_reply(&mut self) {
        if self.chance(0.25) {
            // "Does this fix it?" - "Yes, thanks!": the agent solves the ticket without another
            // reply once the customer confirms.
            self.agent_reply(Some(Status::Pending));
            self.wait(self.timing().customer);
            let status = self.customer_status();
            self.customer(status);
            self.wait(self.timing().reply / 2);
            self.status_change(Author::Agent, Status::Solved);
        } else {
            self.set_status_on_reply(Status::Solved);
        }
    }

    /// Sets a status either on the agent's reply or, as some help desks log it, as a separate
    /// status event right after it.
    fn set_status_on_reply(&mut self, status: Status) {
        if self.chance(0.7) {
            self.agent_reply(Some(status));
        } else {
            self.agent_reply(None);
            self.wait(90);
            self.status_change(Author::Agent, status);
        }
    }

    /// The customer never answers: the help desk solves pending tickets after a few days.
    fn auto_solve(&mut self) {
        self.t += self.pending_timeout();
        self.status_change(Author::System, Status::Solved);
    }

    /// How long the help desk's automation lets a ticket wait for the customer (it runs a few
    /// times a day).
    fn pending_timeout(&mut self) -> i64 {
        4 * DAY + self.rng.random_range(0..6 * HOUR)
    }

    /// Reopens, the satisfaction survey and the automatic close after a ticket is solved.
    fn after_solve(&mut self) {
        for _ in 0..3 {
            let roll: f64 = self.rng.random();
            if roll < 0.07 {
                // The customer writes back. Many help desks leave the status column empty on
                // that row; it still reopens a solved ticket.
                self.wait(8 * HOUR);
                let status = if self.chance(0.6) {
                    None
                } else {
                    Some(Status::Open)
                };
                self.customer(status);
            } else if roll < 0.095 {
                // An agent reopens it (a follow-up check failed, a refund did not go through).
                self.wait(5 * HOUR);
                self.status_change(Author::Agent, Status::Open);
            } else {
                break;
            }
            self.reopens += 1;
            self.work();
        }

        let solved_at = self.t;
        if (self.replies > 0 || self.bot_resolved) && self.chance(0.4) {
            self.wait(5 * HOUR);
            let first = self.rating(None);
            if self.chance(0.08) {
                // The customer changes their mind: the last rating counts.
                self.wait(DAY);
                self.rating(Some(first));
            }
        }
        if self.chance(0.95) {
            self.t = solved_at + 4 * DAY + self.rng.random_range(0..6 * HOUR);
            self.status_change(Author::System, Status::Closed);
            if self.chance(0.015) {
                // A late "thanks" on a closed ticket: closed tickets do not reopen.
                self.wait(DAY);
                self.customer(None);
            }
        }
    }

    /// Replies queued outside office hours wait for the next working morning, unless a team in
    /// another time zone picks them up.
    fn office_hours(&mut self, ts: i64) -> i64 {
        if !self.timing().office_hours || self.chance(0.2) {
            return ts;
        }
        let mut day = ts.div_euclid(DAY);
        let hour = ts.rem_euclid(DAY) / HOUR;
        let mut moved = !(7..21).contains(&hour);
        if hour >= 21 {
            day += 1;
        }
        if is_weekend(day) && self.chance(0.6) {
            while is_weekend(day) {
                day += 1;
            }
            moved = true;
        }
        if !moved {
            return ts;
        }
        (day * DAY + 7 * HOUR + self.rng.random_range(0..2 * HOUR)).max(ts)
    }

    /// Routes the ticket to a team and an agent, once.
    fn triage(&mut self) {
        if self.team.is_some() {
            return;
        }
        let category = match self.category {
            Some(category) => category,
            None => pick(self.rng, &CATEGORY_WEIGHTS),
        };
        let team = team_for(self.channel, category, self.rng);
        self.category = Some(category);
        self.team = Some(team);
        self.agent = self.colleague(team);
    }

    /// Hands the ticket to another agent, escalating to tech support some of the time.
    fn reassign(&mut self) {
        let team = if self.chance(0.4) {
            TEAM_TECH
        } else {
            self.team.unwrap_or(TEAM_CARE)
        };
        self.team = Some(team);
        self.agent = self.colleague(team);
    }

    fn colleague(&mut self, team: u8) -> u8 {
        let roster = ROSTER[usize::from(team)];
        roster[self.rng.random_range(0..roster.len())]
    }

    fn customer_status(&mut self) -> Option<Status> {
        if self.chance(0.85) {
            Some(Status::Open)
        } else {
            None
        }
    }

    /// One or more customer messages in a row.
    fn customer_run(&mut self, status: Option<Status>) {
        self.customer(status);
        self.more_customer_messages();
    }

    /// Customers often send several messages before anyone answers.
    fn more_customer_messages(&mut self) {
        if self.channel == Some(Channel::Phone) {
            return;
        }
        let more = pick(self.rng, &[(0, 62), (1, 24), (2, 9), (3, 5)]);
        for _ in 0..more {
            self.wait(self.timing().burst);
            self.customer(None);
        }
    }

    fn customer(&mut self, status: Option<Status>) {
        let mut event = self.event(Kind::Message, Some(Author::Customer), status);
        if let Some(mood) = self.mood {
            if self.chance(0.85) {
                event.sentiment = Some(mood);
            }
            // Customers tend to calm down as the conversation goes on.
            self.mood = Some((mood + self.rng.random_range(-25..=45)).clamp(-100, 100));
        }
        self.events.push(event);
    }

    fn message(&mut self, author: Author, status: Option<Status>) {
        let event = self.event(Kind::Message, Some(author), status);
        self.events.push(event);
    }

    fn agent_reply(&mut self, status: Option<Status>) {
        self.triage();
        let mut event = self.event(Kind::Message, Some(Author::Agent), status);
        if self.channel == Some(Channel::Phone) {
            // Calls log talk, hold and after-call work instead of a handle time.
            event.talk = Some(self.seconds(7 * MINUTE));
            event.hold = match self.rng.random_range(0..20) {
                0 => None,
                1..10 => Some(0),
                _ => Some(self.seconds(90)),
            };
            event.acw = Some(self.seconds(MINUTE));
        } else if self.chance(0.92) {
            event.handle = Some(self.seconds(self.timing().handle));
        }
        self.replies += 1;
        self.events.push(event);
    }

    fn note(&mut self) {
        self.triage();
        let mut event = self.event(Kind::Note, Some(Author::Agent), None);
        if self.chance(0.25) {
            event.handle = Some(self.seconds(2 * MINUTE));
        }
        self.events.push(event);
    }

    fn status_change(&mut self, author: Author, status: Status) {
        // Exports often do not say who changed a status.
        let author = (!self.chance(0.15)).then_some(author);
        let event = self.event(Kind::Status, author, Some(status));
        self.events.push(event);
    }

    /// A survey answer; a second one (after `previous`) changes the score, so that which one
    /// counts matters.
    fn rating(&mut self, previous: Option<u8>) -> u8 {
        let mut event = self.event(Kind::Rating, Some(Author::Customer), None);
        let csat = match previous {
            None => self.csat(),
            Some(4..) => self.rng.random_range(1..=3),
            Some(_) => self.rng.random_range(4..=5),
        };
        event.csat = Some(csat);
        if self.chance(0.3) {
            event.nps = Some(self.nps(csat));
        }
        self.events.push(event);
        csat
    }

    /// Satisfaction drops with reopens, long conversations and an unhappy customer.
    fn csat(&mut self) -> u8 {
        let mut happy = 0.8 - 0.2 * f64::from(self.reopens.min(2));
        happy -= 0.04 * f64::from(self.replies.saturating_sub(1).min(5));
        happy += f64::from(self.mood.unwrap_or(0)) / 500.0;
        if self.chance(happy.clamp(0.05, 0.95)) {
            if self.chance(0.65) { 5 } else { 4 }
        } else {
            pick(self.rng, &[(1, 35), (2, 30), (3, 35)])
        }
    }

    fn nps(&mut self, csat: u8) -> u8 {
        if csat >= 4 {
            pick(self.rng, &[(10, 40), (9, 30), (8, 20), (7, 10)])
        } else {
            self.rng.random_range(0..=8)
        }
    }

    fn seconds(&mut self, median: i64) -> u32 {
        skewed(self.rng, median).min(i64::from(u32::MAX)) as u32
    }

    /// A new event at the current time, carrying the ticket's current attributes.
    fn event(&mut self, kind: Kind, author: Option<Author>, status: Option<Status>) -> Event {
        let implicit_kind = kind == Kind::Message && self.chance(0.02);
        let restyle = self
            .chance(0.03)
            .then(|| (pick(self.rng, &RESTYLED), pick(self.rng, &CASINGS)));
        Event {
            ts: self.t,
            ticket: self.ticket,
            kind,
            implicit_kind,
            author,
            channel: self.channel,
            agent: (author == Some(Author::Agent)).then_some(self.agent),
            team: self.team,
            priority: self.priority,
            category: self.category,
            status,
            csat: None,
            nps: None,
            sentiment: None,
            handle: None,
            talk: None,
            hold: None,
            acw: None,
            restyle,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Output

const COLUMNS: [&str; 17] = [
    "ticket_id",
    "timestamp",
    "event",
    "author_type",
    "channel",
    "agent",
    "team",
    "priority",
    "category",
    "status",
    "csat",
    "handle_seconds",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
    "nps",
    "sentiment",
];
const COL_TICKET: usize = 0;
const COL_TIMESTAMP: usize = 1;
const COL_EVENT: usize = 2;
const COL_AUTHOR: usize = 3;
const COL_CHANNEL: usize = 4;
const COL_AGENT: usize = 5;
const COL_TEAM: usize = 6;
const COL_PRIORITY: usize = 7;
const COL_CATEGORY: usize = 8;
const COL_STATUS: usize = 9;
const COL_CSAT: usize = 10;
const COL_HANDLE: usize = 11;
const COL_NPS: usize = 15;
const COL_SENTIMENT: usize = 16;

/// Text columns that exports sometimes write in another case or with spaces around (channel
/// most often), with weights.
const RESTYLED: [(usize, u32); 7] = [
    (COL_CHANNEL, 6),
    (COL_EVENT, 1),
    (COL_AUTHOR, 1),
    (COL_TEAM, 1),
    (COL_PRIORITY, 1),
    (COL_CATEGORY, 1),
    (COL_STATUS, 1),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Casing {
    AsIs,
    Capitalized,
    Upper,
    Padded,
}

const CASINGS: [(Casing, u32); 3] = [
    (Casing::Capitalized, 5),
    (Casing::Upper, 2),
    (Casing::Padded, 3),
];

/// A field value, written as CSV or JSON.
#[derive(Clone, Copy, Debug)]
enum Cell {
    Empty,
    Text(&'static str, Casing),
    TicketId(u32),
    Time(i64),
    Int(i64),
    /// A decimal with two digits after the point.
    Hundredths(i16),
    /// Written verbatim (faults).
    Raw(&'static [u8]),
}

impl Cell {
    fn text(value: Option<&'static str>, casing: Casing) -> Cell {
        value.map_or(Cell::Empty, |s| Cell::Text(s, casing))
    }

    fn int<T: Into<i64>>(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, |n| Cell::Int(n.into()))
    }

    fn write(self, line: &mut Vec<u8>) {
        match self {
            Cell::Empty => {}
            Cell::Text(text, casing) => push_text(line, text, casing),
            Cell::TicketId(n) => push_ticket_id(line, n),
            Cell::Time(ts) => push_timestamp(line, ts),
            Cell::Int(n) => push_int(line, n),
            Cell::Hundredths(n) => push_hundredths(line, n),
            Cell::Raw(bytes) => line.extend_from_slice(bytes),
        }
    }

    fn write_json(self, line: &mut Vec<u8>) {
        // Values never contain quotes, backslashes or control characters: no escaping needed.
        if matches!(self, Cell::Int(_) | Cell::Hundredths(_)) {
            self.write(line);
        } else {
            line.push(b'"');
            self.write(line);
            line.push(b'"');
        }
    }
}

fn cells(e: &Event) -> [Cell; 17] {
    let text = |column: usize, value: Option<&'static str>| Cell::text(value, e.casing(column));
    let kind = (!e.implicit_kind).then(|| e.kind.name());
    [
        Cell::TicketId(e.ticket),
        Cell::Time(e.ts),
        text(COL_EVENT, kind),
        text(COL_AUTHOR, e.author.map(Author::name)),
        text(COL_CHANNEL, e.channel.map(Channel::name)),
        text(COL_AGENT, e.agent.map(|a| AGENTS[usize::from(a)])),
        text(COL_TEAM, e.team.map(|t| TEAMS[usize::from(t)])),
        text(COL_PRIORITY, e.priority.map(Priority::name)),
        text(COL_CATEGORY, e.category.map(|c| CATEGORIES[usize::from(c)])),
        text(COL_STATUS, e.status.map(Status::name)),
        Cell::int(e.csat),
        Cell::int(e.handle),
        Cell::int(e.talk),
        Cell::int(e.hold),
        Cell::int(e.acw),
        Cell::int(e.nps),
        e.sentiment.map_or(Cell::Empty, Cell::Hundredths),
    ]
}

/// The ways a row can be invalid (kpi-definitions section 1), plus blank lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    MissingField,
    ExtraField,
    InvalidUtf8,
    EmptyTicketId,
    BadTimestamp,
    UnknownEvent,
    UnknownAuthor,
    UnknownStatus,
    MissingAuthor,
    BadCsat,
    BadNps,
    BadSentiment,
    NegativeDuration,
    RatingWithoutCsat,
    BlankLine,
}

const FAULTS: [Fault; 15] = [
    Fault::MissingField,
    Fault::ExtraField,
    Fault::InvalidUtf8,
    Fault::EmptyTicketId,
    Fault::BadTimestamp,
    Fault::UnknownEvent,
    Fault::UnknownAuthor,
    Fault::UnknownStatus,
    Fault::MissingAuthor,
    Fault::BadCsat,
    Fault::BadNps,
    Fault::BadSentiment,
    Fault::NegativeDuration,
    Fault::RatingWithoutCsat,
    Fault::BlankLine,
];

impl Fault {
    fn name(self) -> &'static str {
        match self {
            Fault::MissingField => "missing_field",
            Fault::ExtraField => "extra_field",
            Fault::InvalidUtf8 => "invalid_utf8",
            Fault::EmptyTicketId => "empty_ticket_id",
            Fault::BadTimestamp => "bad_timestamp",
            Fault::UnknownEvent => "unknown_event",
            Fault::UnknownAuthor => "unknown_author_type",
            Fault::UnknownStatus => "unknown_status",
            Fault::MissingAuthor => "message_without_author",
            Fault::BadCsat => "bad_csat",
            Fault::BadNps => "bad_nps",
            Fault::BadSentiment => "bad_sentiment",
            Fault::NegativeDuration => "negative_duration",
            Fault::RatingWithoutCsat => "rating_without_csat",
            Fault::BlankLine => "blank_line",
        }
    }

    fn shape(self) -> Shape {
        match self {
            Fault::MissingField => Shape::MissingField,
            Fault::ExtraField => Shape::ExtraField,
            _ => Shape::Whole,
        }
    }

    /// Breaks a copy of a valid row. Every result must be invalid, whatever the row was.
    fn apply(self, cells: &mut [Cell; 17], rng: &mut ChaCha8Rng) {
        let message = Cell::Text("message", Casing::AsIs);
        let rating = Cell::Text("rating", Casing::AsIs);
        let customer = Cell::Text("customer", Casing::AsIs);
        match self {
            // The shape of the line is broken when it is written.
            Fault::MissingField | Fault::ExtraField | Fault::BlankLine => {}
            // "José" in Latin-1.
            Fault::InvalidUtf8 => cells[COL_AGENT] = Cell::Raw(b"Jos\xe9"),
            Fault::EmptyTicketId => cells[COL_TICKET] = one_of(rng, &["", "  "]),
            Fault::BadTimestamp => {
                cells[COL_TIMESTAMP] = one_of(
                    rng,
                    &[
                        "2026-13-01 10:00",
                        "2026-02-30T10:00:00Z",
                        "2026-03-01T25:10:00Z",
                        "03/15/2026 10:00",
                        "yesterday",
                        "",
                    ],
                );
            }
            Fault::UnknownEvent => {
                cells[COL_EVENT] = one_of(rng, &["forward", "call_log", "merge"])
            }
            Fault::UnknownAuthor => {
                cells[COL_EVENT] = message;
                cells[COL_AUTHOR] = one_of(rng, &["vendor", "supervisor", "unknown"]);
            }
            Fault::UnknownStatus => {
                cells[COL_STATUS] = one_of(rng, &["archived", "escalated", "deleted"])
            }
            Fault::MissingAuthor => {
                cells[COL_EVENT] = if rng.random_bool(0.5) {
                    message
                } else {
                    Cell::Empty
                };
                cells[COL_AUTHOR] = Cell::Empty;
            }
            Fault::BadCsat => {
                cells[COL_EVENT] = rating;
                cells[COL_AUTHOR] = customer;
                cells[COL_CSAT] = one_of(rng, &["five", "6", "0", "-1", "NaN", "inf"]);
            }
            Fault::BadNps => cells[COL_NPS] = one_of(rng, &["11", "-1", "ten", "NaN"]),
            Fault::BadSentiment => {
                cells[COL_SENTIMENT] = one_of(rng, &["1.5", "-2", "positive", "NaN"])
            }
            Fault::NegativeDuration => {
                let column = COL_HANDLE + rng.random_range(0..4);
                cells[column] = one_of(rng, &["-30", "-1", "-0.5"]);
            }
            Fault::RatingWithoutCsat => {
                cells[COL_EVENT] = rating;
                cells[COL_AUTHOR] = customer;
                cells[COL_CSAT] = Cell::Empty;
            }
        }
    }
}

/// The field count of a written row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Whole,
    MissingField,
    ExtraField,
}

/// What was written, for `--summary`.
#[derive(Default)]
struct Stats {
    /// Data lines (valid and invalid rows; blank lines are not rows).
    rows: u64,
    faults: [u64; FAULTS.len()],
    first: Option<i64>,
    last: Option<i64>,
    /// Most events held at once by `--order time`.
    peak_buffered: Option<usize>,
}

/// Renders events as CSV or JSON lines, injecting invalid rows when asked to.
struct RowWriter<W: Write> {
    out: W,
    /// Reused for every row to avoid allocating per row.
    line: Vec<u8>,
    format: Format,
    dirty: f64,
    dirt: ChaCha8Rng,
    stats: Stats,
}

impl<W: Write> RowWriter<W> {
    fn new(out: W, format: Format, dirty: f64, dirt: ChaCha8Rng) -> RowWriter<W> {
        let line = Vec::with_capacity(256);
        RowWriter {
            out,
            line,
            format,
            dirty,
            dirt,
            stats: Stats::default(),
        }
    }

    fn header(&mut self) -> io::Result<()> {
        match self.format {
            Format::Csv => writeln!(self.out, "{}", COLUMNS.join(",")),
            Format::Jsonl => Ok(()),
        }
    }

    fn row(&mut self, event: &Event) -> io::Result<()> {
        let cells = cells(event);
        self.emit(&cells, Shape::Whole)?;
        self.stats.rows += 1;
        self.stats.first = Some(self.stats.first.map_or(event.ts, |t| t.min(event.ts)));
        self.stats.last = Some(self.stats.last.map_or(event.ts, |t| t.max(event.ts)));
        if self.dirty > 0.0 && self.dirt.random_bool(self.dirty) {
            self.inject(cells)?;
        }
        Ok(())
    }

    fn inject(&mut self, mut cells: [Cell; 17]) -> io::Result<()> {
        let fault = FAULTS[self.dirt.random_range(0..FAULTS.len())];
        self.stats.faults[fault as usize] += 1;
        if fault == Fault::BlankLine {
            let blank: &[u8] = if self.dirt.random_bool(0.5) {
                b"\n"
            } else {
                b"   \n"
            };
            return self.out.write_all(blank);
        }
        fault.apply(&mut cells, &mut self.dirt);
        self.emit(&cells, fault.shape())?;
        self.stats.rows += 1;
        Ok(())
    }

    /// Writes one line.
    fn emit(&mut self, cells: &[Cell; 17], shape: Shape) -> io::Result<()> {
        self.line.clear();
        match self.format {
            Format::Csv => {
                let cells = match shape {
                    Shape::MissingField => &cells[..cells.len() - 1],
                    Shape::Whole | Shape::ExtraField => &cells[..],
                };
                for (i, cell) in cells.iter().enumerate() {
                    if i > 0 {
                        self.line.push(b',');
                    }
                    cell.write(&mut self.line);
                }
                if shape == Shape::ExtraField {
                    self.line.extend_from_slice(b",extra");
                }
            }
            Format::Jsonl => {
                self.line.push(b'{');
                let mut first = true;
                for (name, cell) in COLUMNS.iter().zip(cells) {
                    if matches!(cell, Cell::Empty) {
                        continue;
                    }
                    if !first {
                        self.line.push(b',');
                    }
                    first = false;
                    self.line.push(b'"');
                    self.line.extend_from_slice(name.as_bytes());
                    self.line.extend_from_slice(b"\":");
                    cell.write_json(&mut self.line);
                }
                // A JSON object has no field count: an unknown key would be ignored, so a
                // misshapen row is a truncated object instead.
                if shape == Shape::Whole {
                    self.line.push(b'}');
                }
            }
        }
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Re-sorts the ticket-ordered event stream by time. Events wait in buckets of consecutive
/// seconds until no ticket still to come can have an earlier event; memory holds the events of
/// the tickets still active, so it grows with tickets per day and ticket lifetime, not with the
/// total.
struct TimeQueue {
    start: i64,
    /// Seconds per bucket.
    width: i64,
    buckets: Vec<Vec<Event>>,
    /// Buckets before this one have been written.
    next: usize,
    queued: usize,
    peak: usize,
}

/// Enough buckets to keep each small, few enough to index long periods cheaply.
const MAX_BUCKETS: i64 = 1 << 20;

impl TimeQueue {
    /// A queue for events in `start..end`.
    fn new(start: i64, end: i64) -> TimeQueue {
        let width = ((end - start) / MAX_BUCKETS + 1).max(MINUTE);
        let count = ((end - start) / width + 1) as usize;
        TimeQueue {
            start,
            width,
            buckets: vec![Vec::new(); count],
            next: 0,
            queued: 0,
            peak: 0,
        }
    }

    fn bucket(&self, ts: i64) -> usize {
        let index = ((ts - self.start).max(0) / self.width) as usize;
        index.min(self.buckets.len() - 1)
    }

    fn push(&mut self, events: &[Event]) {
        for &event in events {
            let bucket = self.bucket(event.ts);
            self.buckets[bucket].push(event);
        }
        self.queued += events.len();
        self.peak = self.peak.max(self.queued);
    }

    /// Writes the events that come before `until`, which no later ticket can precede.
    fn release<W: Write>(&mut self, until: i64, out: &mut RowWriter<W>) -> io::Result<()> {
        // Later tickets can still add events to the bucket of `until` itself.
        self.write_buckets(self.bucket(until), out)
    }

    fn finish<W: Write>(&mut self, out: &mut RowWriter<W>) -> io::Result<()> {
        self.write_buckets(self.buckets.len(), out)
    }

    fn write_buckets<W: Write>(&mut self, stop: usize, out: &mut RowWriter<W>) -> io::Result<()> {
        while self.next < stop {
            let mut bucket = std::mem::take(&mut self.buckets[self.next]);
            // Stable: events at the same second keep their generation order.
            bucket.sort_by_key(|e| e.ts);
            for event in &bucket {
                out.row(event)?;
            }
            self.queued -= bucket.len();
            self.next += 1;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting without allocation

fn push_text(line: &mut Vec<u8>, text: &str, casing: Casing) {
    let start = line.len();
    match casing {
        Casing::AsIs => line.extend_from_slice(text.as_bytes()),
        Casing::Capitalized => {
            line.extend_from_slice(text.as_bytes());
            line[start] = line[start].to_ascii_uppercase();
        }
        Casing::Upper => line.extend(text.bytes().map(|b| b.to_ascii_uppercase())),
        Casing::Padded => {
            line.push(b' ');
            line.extend_from_slice(text.as_bytes());
            line.push(b' ');
        }
    }
}

fn push_uint(line: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    line.extend_from_slice(&digits[i..]);
}

fn push_int(line: &mut Vec<u8>, n: i64) {
    if n < 0 {
        line.push(b'-');
    }
    push_uint(line, n.unsigned_abs());
}

fn push_hundredths(line: &mut Vec<u8>, n: i16) {
    if n < 0 {
        line.push(b'-');
    }
    let n = n.unsigned_abs();
    push_uint(line, u64::from(n / 100));
    line.push(b'.');
    push_two(line, u32::from(n % 100));
}

fn push_two(line: &mut Vec<u8>, n: u32) {
    line.push(b'0' + (n / 10) as u8);
    line.push(b'0' + (n % 10) as u8);
}

/// `T000042`: at least six digits, so ids sort well in small exports.
fn push_ticket_id(line: &mut Vec<u8>, n: u32) {
    line.push(b'T');
    let mut width = 1;
    while width < 6 && n < 10u32.pow(6 - width) {
        line.push(b'0');
        width += 1;
    }
    push_uint(line, u64::from(n));
}

/// `2026-03-01T09:15:02Z`.
fn push_timestamp(line: &mut Vec<u8>, ts: i64) {
    let (year, month, day) = civil_from_days(ts.div_euclid(DAY));
    let secs = ts.rem_euclid(DAY) as u32;
    push_uint(line, year.max(0) as u64);
    line.push(b'-');
    push_two(line, month);
    line.push(b'-');
    push_two(line, day);
    line.push(b'T');
    push_two(line, secs / 3600);
    line.push(b':');
    push_two(line, secs / 60 % 60);
    line.push(b':');
    push_two(line, secs % 60);
    line.push(b'Z');
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn one_of(rng: &mut ChaCha8Rng, options: &[&'static str]) -> Cell {
    Cell::Raw(options[rng.random_range(0..options.len())].as_bytes())
}

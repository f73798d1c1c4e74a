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
//!
//! The modules follow the data: `vocabulary` (kinds, authors, statuses, channels and their
//! pace, teams), `random` (portable draws), `arrivals` (creation times), `conversation` (one
//! ticket played out; `conversation/rows.rs` the rows each step adds), `event` (one row),
//! `output` (CSV or JSON lines), `faults` (the invalid rows of `--dirty`), `time_order`
//! (`--order time`) and `format` (numbers and timestamps without allocation). It uses none
//! of the library's code, so that the exports it makes test the library from outside.

mod arrivals;
mod conversation;
mod event;
mod faults;
mod format;
mod output;
mod random;
mod time_order;
mod vocabulary;

use std::io::{self, BufWriter, Write};
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{NaiveDate, NaiveTime};
use clap::{Parser, ValueEnum};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::arrivals::Arrivals;
use crate::conversation::Generator;
use crate::faults::{FAULTS, Fault};
use crate::format::push_timestamp;
use crate::output::{RowWriter, Stats};
use crate::time_order::TimeQueue;

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

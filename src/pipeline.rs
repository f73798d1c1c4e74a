//! The one pass: read every input into tickets, then fold the tickets into KPIs.

use std::io::{self, Write};

use anyhow::Context as _;

use crate::ingest::{Event, IngestError, Ingestor, InputStats, Reject, Sink, TicketRecord};
use crate::metrics::availability::Facts;
use crate::metrics::fold::TicketFold;
use crate::metrics::group::GroupBlock;
use crate::metrics::periods::{PeriodBlock, Periods, check_period_count};
use crate::metrics::quality::{DataQuality, RowFindings};
use crate::metrics::settled::Settled;
use crate::metrics::{Context, KpiBlock};
use crate::model::{DeriveCounts, Ticket, TicketStore};
use crate::options::AnalysisOptions;
use crate::options::filter::Filter;
use crate::output::{Destination, Output};
use crate::report::escape;
use crate::symbols::Symbols;
use crate::time::Instant;

/// Everything read from the inputs, as tickets at `as_of`.
#[derive(Debug)]
pub struct Analysis {
    pub stats: InputStats,
    pub events_after_as_of: u64,
    pub duplicate_events: u64,
    pub repeated_rows: u64,
    /// `None` only when the input has no valid row and no --as-of was given.
    pub as_of: Option<Instant>,
    pub tickets: Vec<Ticket>,
    pub tickets_filtered_out: u64,
    pub symbols: Symbols,
    /// The first rejected rows, as examples for `inspect`.
    pub reject_samples: Vec<Reject>,
    /// `--rejects`, written but not yet in place: see [`Analysis::commit_rejects`].
    pub rejects: Option<Output>,
    /// With `--state`: the tickets folded away on earlier nights, not among `tickets` (their
    /// counts are in the fields above already).
    pub earlier: Option<Settled>,
}

/// How many rejected rows `inspect` shows.
const REJECT_SAMPLES: usize = 10;

/// The KPIs of an analysis, overall and broken down.
#[derive(Debug)]
pub struct Kpis {
    pub data_quality: DataQuality,
    /// Overall first response and resolution times, for histograms (plausible values only,
    /// as in the distributions).
    pub first_response_values: Vec<f64>,
    pub resolution_values: Vec<f64>,
    pub overall: KpiBlock,
    pub groups: Vec<GroupBlock>,
    pub periods: Vec<PeriodBlock>,
    /// Tickets and median first response by hour and weekday of creation.
    pub time_of_day: crate::metrics::time_of_day::TimeOfDay,
}

struct Collector {
    store: TicketStore,
    /// With `--state`: the events read now, by ticket id, in the order read.
    captured: Option<ReadEvents>,
    /// Bytes the store may take (`--max-memory`).
    memory_limit: Option<u64>,
    rejects: Option<RejectsWriter>,
    samples: Vec<Reject>,
}

impl Sink for Collector {
    fn event(&mut self, ticket_id: &str, event: Event) {
        if let Some(captured) = self.captured.as_mut() {
            captured.events.push((ticket_id.into(), event.clone()));
        }
        self.store.push(ticket_id, event);
    }

    fn extras(
        &mut self,
        ticket_id: &str,
        at: crate::time::Instant,
        extras: crate::ingest::extras::Extras,
    ) {
        self.store.push_extras(ticket_id, at, &extras);
    }

    fn ticket(&mut self, record: TicketRecord) {
        self.store.push_record(record);
    }

    fn check(&mut self, held: u64) -> Result<(), IngestError> {
        let needed = self.store.estimated_bytes() + held;
        match self.memory_limit {
            Some(limit) if needed > limit => Err(IngestError::MemoryLimit {
                needed_mb: needed >> 20,
                limit_mb: limit >> 20,
                events: self.store.event_count(),
                tickets: self.store.len() as u64,
                text_mb: (self.store.id_bytes() + held) >> 20,
            }),
            _ => Ok(()),
        }
    }

    fn reject(&mut self, reject: &Reject) -> io::Result<()> {
        if let Some(captured) = self.captured.as_mut() {
            captured.rejected(reject);
        }
        if self.samples.len() < REJECT_SAMPLES {
            self.samples.push(reject.clone());
        }
        let Some(writer) = self.rejects.as_mut() else {
            return Ok(());
        };
        let (line, record) = match reject.location.position {
            crate::ingest::Position::Line(line) => (line.to_string(), String::new()),
            crate::ingest::Position::Record(record) => (String::new(), record.to_string()),
            crate::ingest::Position::EventAtLine(line, event) => {
                (line.to_string(), format!("event {event}"))
            }
            crate::ingest::Position::EventOfRecord(record, event) => {
                (String::new(), format!("{record}, event {event}"))
            }
        };
        writer.write([
            reject.location.file.as_ref(),
            &line,
            &record,
            reject.error.reason.as_str(),
            reject.error.column.as_deref().unwrap_or_default(),
            &reject.error.message,
            &reject.raw,
        ])
    }
}

/// `--rejects`: one CSV record per rejected row. Every cell is defused (file and column
/// names, messages and rows come from the input), then quoted by `escape::csv_field`, which
/// stays linear on rows of any length. A file is put in place when the run succeeds: until
/// then an earlier rejects file is untouched (see `Analysis::commit_rejects`).
struct RejectsWriter {
    out: Output,
}

impl RejectsWriter {
    fn open(destination: &Destination) -> anyhow::Result<RejectsWriter> {
        let out = Output::open(destination).with_context(|| match destination {
            Destination::File(path) => format!(
                "cannot create the rejects file {}",
                escape::terminal(&path.to_string_lossy())
            ),
            Destination::Stdout => "cannot write the rejects to standard output".to_owned(),
        })?;
        let mut writer = RejectsWriter { out };
        writer.write([
            "file", "line", "record", "reason", "column", "message", "row",
        ])?;
        Ok(writer)
    }

    fn write(&mut self, cells: [&str; 7]) -> io::Result<()> {
        for (index, cell) in cells.into_iter().enumerate() {
            if index > 0 {
                self.out.write_all(b",")?;
            }
            escape::csv_field(&mut self.out, &escape::spreadsheet(cell))?;
        }
        self.out.write_all(b"\n")
    }
}

/// What an incremental run (`--state`) goes on from: the inputs read by earlier runs, as
/// their statistics, their values' symbols and their events in a store.
pub struct Resumed {
    pub stats: InputStats,
    pub symbols: Symbols,
    pub store: TicketStore,
}

/// What a run read, for `--state`: its events by ticket id, in the order read (what the
/// state keeps), and its rejected rows as a count and an order-free sum of their hashes (so
/// that a night of invalid rows only is recognised when it comes again).
#[derive(Debug, Default)]
pub struct ReadEvents {
    pub events: Vec<(Box<str>, Event)>,
    pub rejected: u64,
    pub rejected_sum: u64,
}

impl ReadEvents {
    fn rejected(&mut self, reject: &Reject) {
        let row = crate::ingest::fingerprint([reject.raw.as_bytes()]);
        self.rejected += 1;
        self.rejected_sum = self.rejected_sum.wrapping_add(row);
    }
}

pub fn analyse(config: &AnalysisOptions) -> anyhow::Result<Analysis> {
    analyse_from(config, None).map(|(analysis, _)| analysis)
}

/// [`analyse`], going on from earlier inputs when `resumed` holds them (their events are in
/// its store, their statistics are counted on); with it, also the events this run read.
pub fn analyse_from(
    config: &AnalysisOptions,
    resumed: Option<Resumed>,
) -> anyhow::Result<(Analysis, ReadEvents)> {
    let (read, events) = read(config, resumed, TicketStore::default())?;
    let (mut analysis, store) = read.into_analysis(config);
    if let Some(as_of) = analysis.as_of {
        let mut tickets = Vec::with_capacity(store.len());
        let counts = store.derive_in_batches(as_of, config.ingest.threads, |mut batch| {
            analysis.tickets_filtered_out += keep_within(config, &mut batch);
            tickets.append(&mut batch);
        });
        analysis.count_derived(counts);
        analysis.tickets = tickets;
    }
    Ok((analysis, events))
}

/// What `report` reads: [`analyse`] with the tickets derived and folded a batch at a time (on
/// the `--threads` threads) and never all held, those `filter` (`--where`) keeps. The analysis
/// holds no tickets: they are in `earlier`, as the tickets of earlier nights are with
/// `--state`, and its KPIs are theirs.
///
/// With `--period`, the span of the period table is checked before folding, on the tickets
/// created within `--since`/`--until` (whatever `--where` keeps of them spans no more).
pub fn analyse_folded(config: &AnalysisOptions, filter: &Filter) -> anyhow::Result<Analysis> {
    let (read, _) = read(config, None, TicketStore::folding())?;
    let (mut analysis, store) = read.into_analysis(config);
    let Some(as_of) = analysis.as_of else {
        return Ok(analysis);
    };
    if let Some(period) = config.period
        && let Some((first, last)) = store.created_range(as_of, config.since, config.until)
    {
        check_period_count(period, config.tz, first, last, config.max_memory)?;
    }
    let empty = analysis.empty_fold(config);
    let mut settled = Settled::new(empty.clone());
    let mut filtered_out = 0u64;
    let context = analysis.context(config);
    let counts = store.derive_in_batches(as_of, config.ingest.threads, |mut batch| {
        filtered_out += keep_within(config, &mut batch);
        settled.left_out += filter.select(&mut batch, context.symbols, config.tz);
        // On this thread: see `derive_in_batches`.
        settled.observe(&batch, empty.clone(), &context);
    });
    analysis.count_derived(counts);
    analysis.tickets_filtered_out = filtered_out;
    analysis.earlier = Some(settled);
    Ok(analysis)
}

/// Keeps the tickets created within `--since` and `--until`; how many it left out.
fn keep_within(config: &AnalysisOptions, tickets: &mut Vec<Ticket>) -> u64 {
    let before = tickets.len();
    tickets.retain(|ticket| {
        config.since.is_none_or(|since| ticket.created_at >= since)
            && config.until.is_none_or(|until| ticket.created_at <= until)
    });
    (before - tickets.len()) as u64
}

/// What reading the inputs left: their events in the store, and what was counted.
struct Read {
    stats: InputStats,
    store: TicketStore,
    symbols: Symbols,
    samples: Vec<Reject>,
    rejects: Option<Output>,
}

impl Read {
    /// The analysis of no ticket yet (the caller derives them from the store it gets back).
    fn into_analysis(self, config: &AnalysisOptions) -> (Analysis, TicketStore) {
        let as_of = config.as_of.or(self.stats.latest);
        let analysis = Analysis {
            stats: self.stats,
            events_after_as_of: 0,
            duplicate_events: 0,
            repeated_rows: 0,
            as_of,
            tickets: Vec::new(),
            tickets_filtered_out: 0,
            symbols: self.symbols,
            reject_samples: self.samples,
            rejects: self.rejects,
            earlier: None,
        };
        (analysis, self.store)
    }
}

/// Reads the inputs into `empty` (a new store), or on from `resumed`.
fn read(
    config: &AnalysisOptions,
    resumed: Option<Resumed>,
    empty: TicketStore,
) -> anyhow::Result<(Read, ReadEvents)> {
    let capture = resumed.is_some();
    let (prior, mut symbols, store) = match resumed {
        Some(resumed) => (Some(resumed.stats), resumed.symbols, resumed.store),
        None => (None, Symbols::default(), empty),
    };
    let mut collector = Collector {
        store,
        captured: capture.then(ReadEvents::default),
        memory_limit: config.max_memory,
        rejects: config
            .rejects
            .as_ref()
            .map(RejectsWriter::open)
            .transpose()?,
        samples: Vec::new(),
    };
    let ingestor = match prior {
        Some(stats) => Ingestor::resume(&config.ingest, &mut symbols, &mut collector, stats),
        None => Ingestor::new(&config.ingest, &mut symbols, &mut collector),
    };
    let stats = ingestor.read_all(&config.sources)?;
    let events = collector.captured.take().unwrap_or_default();
    let read = Read {
        stats,
        store: collector.store,
        symbols,
        samples: collector.samples,
        rejects: collector.rejects.take().map(|writer| writer.out),
    };
    Ok((read, events))
}

impl Analysis {
    /// Puts the `--rejects` file in place. Call it once the run's other outputs are
    /// written: a run that fails before leaves an earlier rejects file as it was (dropped
    /// uncommitted, the new one is removed).
    pub fn commit_rejects(&mut self) -> anyhow::Result<()> {
        match self.rejects.take() {
            Some(out) => out.finish().context("writing the rejects file"),
            None => Ok(()),
        }
    }

    pub fn context<'a>(&'a self, config: &'a AnalysisOptions) -> Context<'a> {
        Context {
            as_of: self.as_of.unwrap_or_default(),
            csat: config.csat,
            sla: &config.sla,
            schedule: config.schedule.as_deref(),
            fcr_reopen_window: config.fcr_reopen_window,
            symbols: &self.symbols,
            facts: self.facts(config),
            contact_centre: config.contact_centre,
        }
    }

    /// What decides which KPIs this input can support (see `metrics::availability`).
    pub fn facts<'a>(&'a self, config: &'a AnalysisOptions) -> Facts<'a> {
        Facts {
            coverage: &self.stats.coverage,
            rows: &self.stats.facts,
            has_status: self.stats.has_status,
            schedule: config.schedule.is_some(),
            next_reply_target: config.sla.policies.iter().any(|p| p.next_reply.is_some()),
        }
    }

    /// What deriving the tickets counted.
    fn count_derived(&mut self, counts: DeriveCounts) {
        self.events_after_as_of = counts.events_after_as_of;
        self.duplicate_events = counts.duplicate_events;
        self.repeated_rows = counts.repeated_rows;
    }

    /// The fold of no ticket yet, grouping and cutting into periods as the options say.
    pub fn empty_fold(&self, config: &AnalysisOptions) -> TicketFold {
        let periods = config
            .period
            .map(|period| Periods::new(period, config.tz).within(config.since, config.until));
        TicketFold::new(config.by.clone(), config.tz, periods)
    }

    /// The tickets the report counts: those held, and those folded away earlier.
    pub fn ticket_count(&self) -> u64 {
        self.tickets.len() as u64 + self.earlier.as_ref().map_or(0, |earlier| earlier.tickets)
    }

    /// One fold over the tickets (on the `--threads` threads; the result does not depend on
    /// how many) into every KPI of the report.
    pub fn kpis(&self, config: &AnalysisOptions) -> Kpis {
        let context = self.context(config);
        let fold = self
            .empty_fold(config)
            .fold(&self.tickets, &context, config.ingest.threads);
        // Tonight's few tickets merged into the earlier ones' copy, not the other way
        // round: a merge appends the other side's values.
        let folded = match &self.earlier {
            Some(earlier) => earlier.fold.clone().merge(fold).finish(&context),
            None => fold.finish(&context),
        };
        self.kpis_of(folded)
    }

    /// The KPIs from the finished fold of this analysis's tickets, with what reading the rows
    /// found: also how an engine that folds the tickets elsewhere (the DataFusion crate)
    /// assembles them.
    pub fn kpis_of(&self, folded: crate::metrics::fold::Folded) -> Kpis {
        let rows = RowFindings {
            rows_rejected: self.stats.rows_rejected,
            duplicate_events: self.duplicate_events,
            repeated_rows: self.repeated_rows,
            values: &self.stats.values,
        };
        Kpis {
            data_quality: DataQuality::new(folded.findings, rows),
            first_response_values: folded.first_response_values,
            resolution_values: folded.resolution_values,
            overall: folded.overall,
            groups: folded.groups,
            periods: folded.periods,
            time_of_day: folded.time_of_day,
        }
    }
}

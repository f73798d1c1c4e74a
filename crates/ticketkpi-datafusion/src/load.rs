//! Reading exports for the engine: the library's own ingest (formats, presets, mappings,
//! validation, rejects counted by reason) into Arrow batches of the canonical event log, the
//! columns `ticket_fold` takes, and of ticket rows for `ticket_record_fold`.

use std::io;
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BinaryBuilder, Float64Builder, RecordBatch, StringBuilder,
    TimestampMicrosecondBuilder, UInt16Builder, UInt64Builder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::error::Result;
use ticketkpi::AnalysisOptions;
use ticketkpi::ingest::{Event, IngestError, Ingestor, InputStats, Reject, Sink, TicketRecord};
use ticketkpi::symbols::Symbols;

use crate::fold::ARGUMENTS;
use crate::records::encode_record;

/// Rows per batch.
const BATCH_ROWS: usize = 64 * 1024;

/// What the inputs held, ready for a session.
#[derive(Debug)]
pub struct Loaded {
    pub stats: InputStats,
    pub events: Vec<RecordBatch>,
    pub records: Vec<RecordBatch>,
}

/// The schema of the event table: `ticket_fold`'s arguments, in order.
pub fn event_schema() -> SchemaRef {
    let fields: Vec<Field> = ARGUMENTS
        .iter()
        .map(|name| {
            let data_type = match *name {
                "seq" | "fingerprint" => DataType::UInt64,
                "timestamp" => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
                "csat" | "nps" | "sentiment" | "handle_seconds" => DataType::Float64,
                "source" => DataType::UInt16,
                _ => DataType::Utf8,
            };
            Field::new(*name, data_type, *name != "ticket_id")
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// The schema of the ticket-row table: `ticket_id`, then `ticket_record_fold`'s arguments.
pub fn record_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("ticket_id", DataType::Utf8, false),
        Field::new("seq", DataType::UInt64, false),
        Field::new("record", DataType::Binary, false),
    ]))
}

/// Collects what ingest accepts, in input order. Labels are symbols of the ingest's table,
/// which ingest holds while it runs: they become text once it is done.
#[derive(Default)]
struct Collector {
    events: Vec<(Box<str>, Event)>,
    records: Vec<TicketRecord>,
}

impl Sink for Collector {
    fn event(&mut self, ticket_id: &str, event: Event) {
        self.events.push((ticket_id.into(), event));
    }

    fn ticket(&mut self, record: TicketRecord) {
        self.records.push(record);
    }

    fn reject(&mut self, _: &Reject) -> io::Result<()> {
        // Counted by reason in the stats; the CLI writes them out (--rejects).
        Ok(())
    }
}

/// Reads every input of `options` as `ticketkpi report` does.
pub fn load(options: &AnalysisOptions) -> std::result::Result<Loaded, IngestError> {
    let mut collector = Collector::default();
    let mut symbols = Symbols::default();
    let stats =
        Ingestor::new(&options.ingest, &mut symbols, &mut collector).read_all(&options.sources)?;
    let events = collector
        .events
        .chunks(BATCH_ROWS)
        .enumerate()
        .map(|(chunk, rows)| event_batch(rows, (chunk * BATCH_ROWS) as u64, &symbols))
        .collect::<Result<Vec<_>>>()
        .map_err(|error| IngestError::Malformed {
            location: ticketkpi::ingest::Location {
                file: Arc::from("(events)"),
                position: ticketkpi::ingest::Position::Record(0),
            },
            message: error.to_string(),
        })?;
    let records =
        record_batches(collector.records, &symbols).map_err(|error| IngestError::Malformed {
            location: ticketkpi::ingest::Location {
                file: Arc::from("(ticket rows)"),
                position: ticketkpi::ingest::Position::Record(0),
            },
            message: error.to_string(),
        })?;
    Ok(Loaded {
        stats,
        events,
        records,
    })
}

/// `rows` as one batch; `first` is the place in the input of its first row.
fn event_batch(rows: &[(Box<str>, Event)], first: u64, symbols: &Symbols) -> Result<RecordBatch> {
    let n = rows.len();
    let mut ids = StringBuilder::with_capacity(n, n * 8);
    let mut seqs = UInt64Builder::with_capacity(n);
    let mut times = TimestampMicrosecondBuilder::with_capacity(n).with_timezone("UTC");
    let mut kinds = StringBuilder::with_capacity(n, n * 7);
    let mut authors = StringBuilder::with_capacity(n, n * 8);
    let mut statuses = StringBuilder::with_capacity(n, n * 6);
    let mut labels: [StringBuilder; 5] =
        std::array::from_fn(|_| StringBuilder::with_capacity(n, n * 6));
    let mut numbers: [Float64Builder; 4] =
        std::array::from_fn(|_| Float64Builder::with_capacity(n));
    let mut fingerprints = UInt64Builder::with_capacity(n);
    let mut sources = UInt16Builder::with_capacity(n);
    for (offset, (id, event)) in rows.iter().enumerate() {
        ids.append_value(id);
        seqs.append_value(first + offset as u64);
        times.append_value(event.at);
        kinds.append_value(event.kind.as_str());
        authors.append_option(event.author.map(|author| author.as_str()));
        statuses.append_option(event.status.map(|status| status.as_str()));
        let a = &event.attributes;
        for (builder, sym) in labels
            .iter_mut()
            .zip([a.channel, a.agent, a.team, a.priority, a.category])
        {
            builder.append_value(symbols.name(sym));
        }
        for (builder, value) in
            numbers
                .iter_mut()
                .zip([event.csat, event.nps, event.sentiment, event.handle_seconds])
        {
            builder.append_option(value);
        }
        fingerprints.append_value(event.fingerprint);
        sources.append_value(event.source);
    }
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(ids.finish()),
        Arc::new(seqs.finish()),
        Arc::new(times.finish()),
        Arc::new(kinds.finish()),
        Arc::new(authors.finish()),
        Arc::new(statuses.finish()),
    ];
    columns.extend(labels.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.extend(numbers.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef));
    columns.push(Arc::new(fingerprints.finish()));
    columns.push(Arc::new(sources.finish()));
    Ok(RecordBatch::try_new(event_schema(), columns)?)
}

fn record_batches(records: Vec<TicketRecord>, symbols: &Symbols) -> Result<Vec<RecordBatch>> {
    let mut batches = Vec::new();
    let mut seq = 0u64;
    let mut records = records.into_iter().peekable();
    while records.peek().is_some() {
        let mut ids = StringBuilder::new();
        let mut seqs = UInt64Builder::new();
        let mut bytes = BinaryBuilder::new();
        for record in records.by_ref().take(BATCH_ROWS) {
            ids.append_value(&record.id);
            seqs.append_value(seq);
            seq += 1;
            bytes.append_value(encode_record(record, symbols)?);
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(ids.finish()),
            Arc::new(seqs.finish()),
            Arc::new(bytes.finish()),
        ];
        batches.push(RecordBatch::try_new(record_schema(), columns)?);
    }
    Ok(batches)
}

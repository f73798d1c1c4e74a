//! `tickets --format parquet`: the per-ticket facts as Apache Parquet with typed columns, for
//! Spark, Trino, DuckDB, pandas or any engine that reads Parquet: instants as
//! `timestamp[us, UTC]`, durations as `float64` seconds, counts as `uint32`, ids and labels as
//! strings (null where the ticket has none, never an empty string).
//!
//! The columns are the `tickets` list's, in its order (the JSON and CSV forms of the same
//! rows), so that the three never disagree.

use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::builder::{
    Float64Builder, StringBuilder, TimestampMicrosecondBuilder, UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::tickets::TicketRow;
use crate::time::{Instant, parse_timestamp};

/// The zone of every instant column: Parquet's "adjusted to UTC" timestamps.
const UTC: &str = "UTC";

/// The Arrow type of each column, by the kind of value it holds.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Instant,
    Seconds,
    Count,
    Number,
}

impl Kind {
    fn data_type(self) -> DataType {
        match self {
            Kind::Text => DataType::Utf8,
            Kind::Instant => DataType::Timestamp(TimeUnit::Microsecond, Some(UTC.into())),
            Kind::Seconds | Kind::Number => DataType::Float64,
            Kind::Count => DataType::UInt32,
        }
    }
}

/// The columns, in the order of [`TicketRow`]'s fields.
const COLUMNS: [(&str, Kind); 26] = [
    ("ticket_id", Kind::Text),
    ("channel", Kind::Text),
    ("priority", Kind::Text),
    ("team", Kind::Text),
    ("agent", Kind::Text),
    ("category", Kind::Text),
    ("direction", Kind::Text),
    ("created_at", Kind::Instant),
    ("first_customer_message_at", Kind::Instant),
    ("first_reply_at", Kind::Instant),
    ("first_response_seconds", Kind::Seconds),
    ("replies", Kind::Count),
    ("customer_messages", Kind::Count),
    ("bot_messages", Kind::Count),
    ("reopens", Kind::Count),
    ("status", Kind::Text),
    ("first_resolved_at", Kind::Instant),
    ("resolved_at", Kind::Instant),
    ("resolution_seconds", Kind::Seconds),
    ("csat", Kind::Number),
    ("nps", Kind::Number),
    ("handle_seconds", Kind::Seconds),
    ("sla_policy", Kind::Text),
    ("sla_first_reply", Kind::Text),
    ("sla_next_reply_breaches", Kind::Count),
    ("sla_resolution", Kind::Text),
];

/// The schema of `tickets --format parquet`, as docs/datafusion.md lists it.
pub fn schema() -> Schema {
    Schema::new(
        COLUMNS
            .iter()
            .map(|(name, kind)| Field::new(*name, kind.data_type(), *name != "ticket_id"))
            .collect::<Vec<_>>(),
    )
}

/// One column being built.
enum Column {
    Text(StringBuilder),
    Instant(TimestampMicrosecondBuilder),
    Float(Float64Builder),
    Count(UInt32Builder),
}

impl Column {
    fn new(kind: Kind, rows: usize) -> Column {
        match kind {
            Kind::Text => Column::Text(StringBuilder::with_capacity(rows, rows * 8)),
            Kind::Instant => {
                Column::Instant(TimestampMicrosecondBuilder::with_capacity(rows).with_timezone(UTC))
            }
            Kind::Seconds | Kind::Number => Column::Float(Float64Builder::with_capacity(rows)),
            Kind::Count => Column::Count(UInt32Builder::with_capacity(rows)),
        }
    }

    fn text(&mut self, value: Option<&str>) {
        if let Column::Text(builder) = self {
            builder.append_option(value.filter(|text| !text.is_empty()));
        }
    }

    fn instant(&mut self, value: Option<Instant>) {
        if let Column::Instant(builder) = self {
            builder.append_option(value);
        }
    }

    fn float(&mut self, value: Option<f64>) {
        if let Column::Float(builder) = self {
            builder.append_option(value);
        }
    }

    fn count(&mut self, value: Option<u32>) {
        if let Column::Count(builder) = self {
            builder.append_option(value);
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            Column::Text(mut builder) => Arc::new(builder.finish()),
            Column::Instant(mut builder) => Arc::new(builder.finish()),
            Column::Float(mut builder) => Arc::new(builder.finish()),
            Column::Count(mut builder) => Arc::new(builder.finish()),
        }
    }
}

/// The rows' instants are RFC 3339 text made from microseconds (`time::format_rfc3339`):
/// read back, they are those microseconds exactly.
fn instant(text: &str) -> io::Result<Instant> {
    parse_timestamp(text, chrono_tz::Tz::UTC).map_err(|error| {
        io::Error::other(format!("the instant {text} does not read back: {error:?}"))
    })
}

fn optional_instant(text: Option<&str>) -> io::Result<Option<Instant>> {
    text.map(instant).transpose()
}

/// The rows as one Parquet file (snappy-compressed, as Spark and DuckDB write by default).
pub fn write_tickets(rows: &[TicketRow], out: &mut dyn Write) -> io::Result<()> {
    let mut built: Vec<Column> = COLUMNS
        .iter()
        .map(|(_, kind)| Column::new(*kind, rows.len()))
        .collect();
    for row in rows {
        append(&mut built, row)?;
    }
    let schema = Arc::new(schema());
    let arrays: Vec<ArrayRef> = built.into_iter().map(Column::finish).collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(io::Error::other)?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut buffer = Vec::new();
    let mut writer =
        ArrowWriter::try_new(&mut buffer, schema, Some(properties)).map_err(io::Error::other)?;
    writer.write(&batch).map_err(io::Error::other)?;
    writer.close().map_err(io::Error::other)?;
    out.write_all(&buffer)
}

fn append(columns: &mut [Column], row: &TicketRow) -> io::Result<()> {
    let [
        ticket_id,
        channel,
        priority,
        team,
        agent,
        category,
        direction,
        created_at,
        first_customer_message_at,
        first_reply_at,
        first_response_seconds,
        replies,
        customer_messages,
        bot_messages,
        reopens,
        status,
        first_resolved_at,
        resolved_at,
        resolution_seconds,
        csat,
        nps,
        handle_seconds,
        sla_policy,
        sla_first_reply,
        sla_next_reply_breaches,
        sla_resolution,
    ] = columns
    else {
        return Err(io::Error::other("the tickets schema has 26 columns"));
    };
    ticket_id.text(Some(&row.ticket_id));
    channel.text(Some(&row.channel));
    priority.text(Some(&row.priority));
    team.text(Some(&row.team));
    agent.text(Some(&row.agent));
    category.text(Some(&row.category));
    direction.text(Some(row.direction));
    created_at.instant(Some(instant(&row.created_at)?));
    first_customer_message_at.instant(optional_instant(row.first_customer_message_at.as_deref())?);
    first_reply_at.instant(optional_instant(row.first_reply_at.as_deref())?);
    first_response_seconds.float(row.first_response_seconds);
    replies.count(row.replies);
    customer_messages.count(row.customer_messages);
    bot_messages.count(row.bot_messages);
    reopens.count(row.reopens);
    status.text(row.status);
    first_resolved_at.instant(optional_instant(row.first_resolved_at.as_deref())?);
    resolved_at.instant(optional_instant(row.resolved_at.as_deref())?);
    resolution_seconds.float(row.resolution_seconds);
    csat.float(row.csat);
    nps.float(row.nps);
    handle_seconds.float(row.handle_seconds);
    sla_policy.text(row.sla_policy.as_deref());
    sla_first_reply.text(row.sla_first_reply);
    sla_next_reply_breaches.count(row.sla_next_reply_breaches);
    sla_resolution.text(row.sla_resolution);
    Ok(())
}

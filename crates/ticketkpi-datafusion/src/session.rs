//! A DataFusion session with ticketkpi's functions: on this machine with N partitions, or on
//! a Ballista cluster (`local`: a scheduler and an executor in this process, on loopback).

use std::path::Path;
use std::sync::Arc;

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use datafusion::arrow::array::{Array, BinaryArray, RecordBatch};
use datafusion::datasource::MemTable;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::FunctionRegistry;
use datafusion::execution::SessionStateBuilder;
use datafusion::logical_expr::AggregateUDF;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

use crate::codec::{LogicalCodec, PhysicalCodec};
use crate::definitions::Shared;
use crate::fold::TicketFold;
use crate::kpis::{Output, ReportState, TicketReport};
use crate::load::{Loaded, event_schema, record_schema};
use crate::records::TicketRecordFold;

/// The query `ticketkpi report` is: events folded per ticket id, ticket rows likewise, and
/// every ticket's facts folded into the report's KPIs.
pub const REPORT_QUERY: &str = r#"
SELECT ticket_report(facts) AS report FROM (
    SELECT ticket_fold(ticket_id, seq, "timestamp", "event", author_type, status, channel,
                       agent, team, priority, category, csat, nps, sentiment, handle_seconds,
                       fingerprint, source) AS facts
    FROM events GROUP BY ticket_id
    UNION ALL
    SELECT ticket_record_fold(seq, record) AS facts
    FROM ticket_rows GROUP BY ticket_id
)"#;

/// Where the query runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// DataFusion in this process, with this many partitions.
    Local { partitions: usize },
    /// A Ballista scheduler and executor started in this process; the tables are staged as
    /// Parquet files in `stage`.
    BallistaLocal {
        partitions: usize,
        stage: std::path::PathBuf,
    },
    /// A Ballista scheduler at `url` (`df://host:port`) whose scheduler and executors are
    /// `ticketkpi-datafusion scheduler` / `executor`; the tables are staged as Parquet files
    /// in `stage`, which every executor must read at the same path (a shared file system).
    BallistaRemote {
        url: String,
        partitions: usize,
        stage: std::path::PathBuf,
    },
}

/// ticketkpi's aggregate functions, for the settings of one run.
pub fn functions(shared: &Shared) -> Vec<AggregateUDF> {
    vec![
        AggregateUDF::new_from_impl(TicketFold::new(shared.clone())),
        AggregateUDF::new_from_impl(TicketRecordFold::new(shared.clone())),
        AggregateUDF::new_from_impl(TicketReport::new(shared.clone(), Output::Report)),
        AggregateUDF::new_from_impl(TicketReport::new(shared.clone(), Output::Kpis)),
    ]
}

/// Registers the functions with a session of one's own.
pub fn register(context: &SessionContext, shared: &Shared) {
    for function in functions(shared) {
        context.register_udaf(function);
    }
}

/// Runs [`REPORT_QUERY`] over `loaded` and returns the merged fold.
pub async fn run_report(loaded: &Loaded, shared: &Shared, engine: &Engine) -> Result<ReportState> {
    let context = match engine {
        Engine::Local { partitions } => local(loaded, shared, *partitions)?,
        Engine::BallistaLocal { partitions, stage } => {
            ballista_local(loaded, shared, *partitions, stage).await?
        }
        Engine::BallistaRemote {
            url,
            partitions,
            stage,
        } => {
            let context = ballista_remote(loaded, shared, url, *partitions, stage).await?;
            return query(&context).await.map_err(|error| {
                DataFusionError::Execution(format!(
                    "on the Ballista cluster {url}: {error} (is `ticketkpi-datafusion \
                     scheduler` running there, with `ticketkpi-datafusion executor`s?)"
                ))
            });
        }
    };
    query(&context).await
}

/// [`REPORT_QUERY`] on `context`, its one row decoded.
async fn query(context: &SessionContext) -> Result<ReportState> {
    let batches = context.sql(REPORT_QUERY).await?.collect().await?;
    let bytes = batches
        .iter()
        .filter(|batch| batch.num_rows() > 0)
        .find_map(|batch| {
            let column = batch.column(0).as_any().downcast_ref::<BinaryArray>()?;
            (!column.is_null(0)).then(|| column.value(0).to_vec())
        })
        .ok_or_else(|| DataFusionError::Execution("ticket_report returned no row".to_owned()))?;
    ReportState::decode(&bytes)
}

fn local(loaded: &Loaded, shared: &Shared, partitions: usize) -> Result<SessionContext> {
    let partitions = partitions.max(1);
    let config = SessionConfig::new().with_target_partitions(partitions);
    let context = SessionContext::new_with_config(config);
    register(&context, shared);
    let events = MemTable::try_new(event_schema(), deal(&loaded.events, partitions))?;
    let records = MemTable::try_new(record_schema(), deal(&loaded.records, partitions))?;
    context.register_table("events", Arc::new(events))?;
    context.register_table("ticket_rows", Arc::new(records))?;
    Ok(context)
}

/// The rows cut into `partitions` partitions of consecutive rows, so that one ticket's
/// events fall in several of them and the partial states really are merged.
fn deal(batches: &[RecordBatch], partitions: usize) -> Vec<Vec<RecordBatch>> {
    let mut dealt = vec![Vec::new(); partitions];
    for batch in batches {
        let length = batch.num_rows().div_ceil(partitions).max(1);
        let mut offset = 0;
        for partition in dealt.iter_mut() {
            if offset >= batch.num_rows() {
                break;
            }
            let take = length.min(batch.num_rows() - offset);
            partition.push(batch.slice(offset, take));
            offset += take;
        }
    }
    dealt
}

/// Ballista standalone. The functions are registered on the state before the cluster starts
/// (the scheduler and executor are made from that state) and on the client's context after
/// (which Ballista rebuilds, for planning): docs/datafusion.md says why both.
async fn ballista_local(
    loaded: &Loaded,
    shared: &Shared,
    partitions: usize,
    stage: &Path,
) -> Result<SessionContext> {
    let partitions = partitions.max(1);
    let (events, records) = stage_tables(loaded, partitions, stage)?;
    let config = SessionConfig::new_with_ballista().with_target_partitions(partitions);
    let mut state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    for function in functions(shared) {
        state.register_udaf(Arc::new(function))?;
    }
    let context = SessionContext::standalone_with_state(state).await?;
    register(&context, shared);
    register_staged(&context, &events, &records).await?;
    Ok(context)
}

/// A cluster of `ticketkpi-datafusion scheduler` and `executor` processes: the functions
/// travel in the plans through ticketkpi's codecs (nothing is registered over there).
async fn ballista_remote(
    loaded: &Loaded,
    shared: &Shared,
    url: &str,
    partitions: usize,
    stage: &Path,
) -> Result<SessionContext> {
    let partitions = partitions.max(1);
    let (events, records) = stage_tables(loaded, partitions, stage)?;
    let config = SessionConfig::new_with_ballista()
        .with_target_partitions(partitions)
        .with_ballista_logical_extension_codec(Arc::new(LogicalCodec::default()))
        .with_ballista_physical_extension_codec(Arc::new(PhysicalCodec::default()));
    let state = SessionStateBuilder::new()
        .with_config(config)
        .with_default_features()
        .build();
    let context = SessionContext::remote_with_state(url, state).await?;
    register(&context, shared);
    register_staged(&context, &events, &records).await?;
    Ok(context)
}

/// The loaded tables written to `stage` as Parquet, one file a partition: what a cluster's
/// executors read.
fn stage_tables(
    loaded: &Loaded,
    partitions: usize,
    stage: &Path,
) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
    let events = stage.join("events");
    let records = stage.join("ticket_rows");
    write_parquet(&events, &deal(&loaded.events, partitions), &event_schema())?;
    write_parquet(
        &records,
        &deal(&loaded.records, partitions),
        &record_schema(),
    )?;
    Ok((events, records))
}

async fn register_staged(context: &SessionContext, events: &Path, records: &Path) -> Result<()> {
    let options = ParquetReadOptions::default();
    context
        .register_parquet("events", path_text(events)?, options.clone())
        .await?;
    context
        .register_parquet("ticket_rows", path_text(records)?, options)
        .await
}

fn path_text(path: &Path) -> Result<String> {
    let text = path.to_str().ok_or_else(|| {
        DataFusionError::Configuration(format!("the stage folder {} is not UTF-8", path.display()))
    })?;
    Ok(format!("{text}/"))
}

/// One Parquet file per partition in `folder` (an empty partition writes none; a table of no
/// rows writes one empty file, so that its schema is known).
fn write_parquet(
    folder: &Path,
    partitions: &[Vec<RecordBatch>],
    schema: &datafusion::arrow::datatypes::SchemaRef,
) -> Result<()> {
    std::fs::create_dir_all(folder)?;
    let mut written = 0;
    for (index, batches) in partitions.iter().enumerate() {
        if batches.is_empty() && !(index + 1 == partitions.len() && written == 0) {
            continue;
        }
        let file = std::fs::File::create(folder.join(format!("part-{index}.parquet")))?;
        let mut writer = ArrowWriter::try_new(file, schema.clone(), None)?;
        for batch in batches {
            writer.write(batch)?;
        }
        writer.close()?;
        written += 1;
    }
    Ok(())
}

//! `ticketkpi tickets`: one row per ticket with its derived facts.

use crate::cli::TicketsArgs;
use crate::error::UsageError;
use crate::model::Ticket;
use crate::options::Options;
use crate::options::filter::Filter;
use crate::pipeline;
use crate::report::tickets::{self, TicketRow};

pub fn run(args: &TicketsArgs, console: super::Console) -> anyhow::Result<()> {
    let Options {
        analysis: options,
        output,
        ..
    } = Options::resolve(&args.input, Vec::new(), None, args.output.destination())?;
    let attributes = options.ingest.mapping.attribute_names();
    let filter = Filter::parse(&args.filter, true, &attributes).map_err(UsageError::from)?;
    let mut analysis = pipeline::analyse(&options)?;
    let left_out = filter.select(&mut analysis.tickets, &analysis.symbols, options.tz);
    let context = analysis.context(&options);
    let mut listed: Vec<&Ticket> = analysis.tickets.iter().collect();
    listed.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut rows: Vec<TicketRow> = listed
        .into_iter()
        .map(|ticket| TicketRow::new(ticket, &context))
        .collect();
    for row in &mut rows {
        row.attributes.shown = !attributes.is_empty();
    }
    let before = rows.len();
    // The conditions on the list's facts read each row as its JSON record shows it.
    rows.retain(|row| serde_json::to_value(row).is_ok_and(|value| filter.keeps_row(&value)));
    let left_out = left_out + (before - rows.len()) as u64;
    super::write(console, &output, |out, style| {
        tickets::write(&rows, args.format, style, out)
    })?;
    analysis.commit_rejects()?;
    if !filter.is_empty() {
        eprintln!("ticketkpi: --where left out {left_out} tickets");
    }
    if analysis.stats.rows_rejected > 0 {
        eprintln!(
            "ticketkpi: {} invalid rows were skipped",
            analysis.stats.rows_rejected
        );
    }
    Ok(())
}

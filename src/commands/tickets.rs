//! `ticketkpi tickets`: one row per ticket with its derived facts.

use crate::cli::TicketsArgs;
use crate::model::Ticket;
use crate::options::Options;
use crate::pipeline;
use crate::report::tickets::{self, TicketRow};

pub fn run(args: &TicketsArgs, console: super::Console) -> anyhow::Result<()> {
    let Options {
        analysis: options,
        output,
        ..
    } = Options::resolve(&args.input, Vec::new(), None, args.output.destination())?;
    let mut analysis = pipeline::analyse(&options)?;
    let context = analysis.context(&options);
    let mut listed: Vec<&Ticket> = analysis.tickets.iter().collect();
    listed.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let rows: Vec<TicketRow> = listed
        .into_iter()
        .map(|ticket| TicketRow::new(ticket, &context))
        .collect();
    super::write(console, &output, |out, style| {
        tickets::write(&rows, args.format, style, out)
    })?;
    analysis.commit_rejects()?;
    if analysis.stats.rows_rejected > 0 {
        eprintln!(
            "ticketkpi: {} invalid rows were skipped",
            analysis.stats.rows_rejected
        );
    }
    Ok(())
}

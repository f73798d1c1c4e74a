//! `ticketkpi sla`: attainment per policy and target; with `--breaches`, every breached
//! clock, worst first.

use crate::cli::SlaArgs;
use crate::metrics::sla::{Clock, SlaState};
use crate::options::{AnalysisOptions, Options};
use crate::pipeline::{self, Analysis};
use crate::report::sla::{Breach, write_attainment, write_breaches};
use crate::time::format_rfc3339;

pub fn run(args: &SlaArgs, console: super::Console) -> anyhow::Result<()> {
    let Options {
        analysis: options,
        output,
        ..
    } = Options::resolve(&args.input, Vec::new(), None, args.output.destination())?;
    let mut analysis = pipeline::analyse(&options)?;
    if args.breaches {
        let list = breaches(&analysis, &options);
        super::write(console, &output, |out, style| {
            write_breaches(&list, args.format, style, out)
        })?;
    } else {
        let kpis = analysis.kpis(&options);
        super::write(console, &output, |out, style| {
            write_attainment(&kpis.overall.sla, args.format, style, out)
        })?;
    }
    analysis.commit_rejects()
}

/// Every breached clock: ticket, policy, target, start, due, stop and overrun.
fn breaches(analysis: &Analysis, options: &AnalysisOptions) -> Vec<Breach> {
    let context = analysis.context(options);
    let mut list = Vec::new();
    for ticket in &analysis.tickets {
        let (Some(policy), outcomes) = context.sla_outcomes(ticket) else {
            continue;
        };
        let policy = &options.sla.policies[policy];
        for outcome in outcomes.iter().filter(|o| o.state == SlaState::Breached) {
            let clock = Clock::new(policy, ticket, context.as_of);
            list.push(Breach {
                ticket_id: ticket.id.clone(),
                policy: policy.name.clone(),
                target: outcome.target.as_str(),
                started_at: format_rfc3339(outcome.start),
                due_at: clock
                    .due(outcome.start, outcome.target_seconds)
                    .map(format_rfc3339),
                fulfilled_at: outcome.stopped_at.map(format_rfc3339),
                target_seconds: outcome.target_seconds,
                elapsed_seconds: outcome.elapsed,
                overrun_seconds: outcome.elapsed - outcome.target_seconds,
            });
        }
    }
    // Worst first: the longest overrun, then by ticket and target for a stable order.
    list.sort_by(|a, b| {
        b.overrun_seconds
            .total_cmp(&a.overrun_seconds)
            .then_with(|| a.ticket_id.cmp(&b.ticket_id))
            .then_with(|| a.target.cmp(b.target))
    });
    list
}

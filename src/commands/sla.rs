//! `ticketkpi sla`: attainment per policy and target; with `--breaches`, every breached
//! clock, worst first.

use crate::cli::SlaArgs;
use crate::error::UsageError;
use crate::options::Options;
use crate::options::filter::Filter;
use crate::pipeline;
use crate::report::sla::{breaches, write_attainment, write_breaches};

pub fn run(args: &SlaArgs, console: super::Console) -> anyhow::Result<()> {
    let Options {
        analysis: options,
        output,
        ..
    } = Options::resolve(&args.input, Vec::new(), None, args.output.destination())?;
    let attributes = options.ingest.mapping.attribute_names();
    let filter = Filter::parse(&args.filter, false, &attributes).map_err(UsageError::from)?;
    let mut analysis = pipeline::analyse(&options)?;
    let left_out = filter.select(&mut analysis.tickets, &analysis.symbols, options.tz);
    if args.breaches {
        let list = breaches(&analysis.tickets, &analysis.context(&options));
        super::write(console, &output, |out, style| {
            write_breaches(&list, args.format, style, out)
        })?;
    } else {
        let kpis = analysis.kpis(&options);
        super::write(console, &output, |out, style| {
            write_attainment(&kpis.overall.sla, args.format, style, out)
        })?;
    }
    analysis.commit_rejects()?;
    if !filter.is_empty() {
        eprintln!("ticketkpi: --where left out {left_out} tickets");
    }
    Ok(())
}

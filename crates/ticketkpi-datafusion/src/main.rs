//! `ticketkpi-datafusion report EXPORT...`: the report of `ticketkpi report`, computed by
//! Apache DataFusion on N partitions or on a Ballista cluster.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ticketkpi::metrics::group::Dimension;
use ticketkpi::time::Period;
use ticketkpi_datafusion::Engine;
use ticketkpi_datafusion::report::{self, OutputFormat};

#[derive(Debug, Parser)]
#[command(name = "ticketkpi-datafusion", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The KPI report of the exports, as `ticketkpi report` writes it.
    Report(ReportArgs),
}

#[derive(Debug, Args)]
struct ReportArgs {
    #[command(flatten)]
    input: ticketkpi::cli::InputArgs,

    /// Break the KPIs down by this ticket attribute (repeat for combinations).
    #[arg(long, value_name = "DIMENSION", value_parser = |text: &str| text.parse::<Dimension>())]
    by: Vec<Dimension>,

    /// Also break the KPIs down by calendar period of creation: day, week, month, quarter.
    #[arg(long, value_name = "PERIOD", value_parser = |text: &str| text.parse::<Period>())]
    period: Option<Period>,

    /// Partitions the engine splits the rows into (DataFusion's target_partitions).
    #[arg(long, default_value_t = 4)]
    partitions: usize,

    #[arg(long, value_enum, default_value = "json")]
    format: OutputFormat,

    /// `local`: a Ballista scheduler and executor in this process, on loopback.
    #[arg(long, value_name = "local")]
    cluster: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::Report(args) = cli.command;
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ticketkpi-datafusion: {error:#}");
            ticketkpi::exit_code_for(&error)
        }
    }
}

fn run(args: ReportArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // Kept until the run ends: the staged tables of a Ballista run.
    let stage = tempfile::tempdir()?;
    let engine = match args.cluster.as_deref() {
        None => Engine::Local {
            partitions: args.partitions,
        },
        Some("local") => Engine::BallistaLocal {
            partitions: args.partitions,
            stage: stage.path().to_owned(),
        },
        Some(other) => anyhow::bail!(
            "--cluster {other}: only `local` is supported by this build; docs/datafusion.md \
             says how to run the functions on a cluster of your own"
        ),
    };
    let report = runtime.block_on(report::report(&args.input, args.by, args.period, &engine))?;
    report::write(&report, args.format)?;
    Ok(())
}

//! `ticketkpi-datafusion report EXPORT...`: the report of `ticketkpi report`, computed by
//! Apache DataFusion on N partitions or on a Ballista cluster.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use ticketkpi::metrics::group::Dimension;
use ticketkpi::time::Period;
use ticketkpi_datafusion::report::{self, OutputFormat};
use ticketkpi_datafusion::{Engine, cluster};

#[derive(Debug, Parser)]
#[command(name = "ticketkpi-datafusion", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The KPI report of the exports, as `ticketkpi report` writes it.
    Report(Box<ReportArgs>),
    /// A Ballista scheduler that can plan ticketkpi's functions (`--cluster df://HOST:PORT`).
    Scheduler(SchedulerArgs),
    /// A Ballista executor that can run ticketkpi's functions.
    Executor(ExecutorArgs),
}

#[derive(Debug, Args)]
struct SchedulerArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:50050")]
    bind: std::net::SocketAddr,
}

#[derive(Debug, Args)]
struct ExecutorArgs {
    /// The scheduler: HOST:PORT.
    #[arg(long, default_value = "localhost:50050")]
    scheduler: String,
    /// The host this executor listens on and is reached at.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Arrow Flight port (shuffle data).
    #[arg(long, default_value_t = 50051)]
    port: u16,
    /// gRPC port.
    #[arg(long, default_value_t = 50052)]
    grpc_port: u16,
    /// Task slots (default: one per core).
    #[arg(long)]
    slots: Option<usize>,
    /// Folder for shuffle files (default: a temporary folder).
    #[arg(long)]
    work_dir: Option<String>,
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

    /// `local`: a Ballista scheduler and executor in this process, on loopback;
    /// `df://HOST:PORT`: a scheduler started by `ticketkpi-datafusion scheduler`.
    #[arg(long, value_name = "local|df://HOST:PORT")]
    cluster: Option<String>,

    /// With `--cluster df://...`: the folder the inputs are staged in as Parquet, at a path
    /// every executor reads (a shared file system). Default: a temporary folder, for
    /// executors on this machine.
    #[arg(long, value_name = "DIR")]
    stage: Option<std::path::PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Report(args) => run(*args),
        Command::Scheduler(args) => serve(cluster::scheduler(args.bind)),
        Command::Executor(args) => executor(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The library's exit codes and message style (it prints the message).
        Err(error) => ticketkpi::exit_code_for(&error),
    }
}

fn serve(server: impl std::future::Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(server)
}

fn executor(args: ExecutorArgs) -> anyhow::Result<()> {
    let (host, port) = args
        .scheduler
        .rsplit_once(':')
        .and_then(|(host, port)| Some((host.to_owned(), port.parse::<u16>().ok()?)))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "--scheduler {:?}: give HOST:PORT, e.g. localhost:50050",
                args.scheduler
            )
        })?;
    serve(cluster::executor(cluster::ExecutorSettings {
        scheduler_host: host,
        scheduler_port: port,
        host: args.host,
        port: args.port,
        grpc_port: args.grpc_port,
        slots: args.slots,
        work_dir: args.work_dir,
    }))
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
        Some(url) if url.starts_with("df://") => Engine::BallistaRemote {
            url: url.to_owned(),
            partitions: args.partitions,
            stage: args.stage.unwrap_or_else(|| stage.path().to_owned()),
        },
        Some(other) => anyhow::bail!(
            "--cluster {other}: give `local` or the scheduler's df://HOST:PORT (started with \
             `ticketkpi-datafusion scheduler`; docs/datafusion.md)"
        ),
    };
    let report = runtime.block_on(report::report(&args.input, args.by, args.period, &engine))?;
    report::write(&report, args.format)?;
    Ok(())
}

//! One file per command, each with its `run`: resolve the options, analyse the inputs,
//! write the result. The rules they apply live below them (ingest, metrics, report).

mod init;
mod inspect;
mod report;
mod sla;
mod tickets;

use crate::cli::{Cli, Command};

pub fn run(cli: &Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Report(args) => report::run(args),
        Command::Tickets(args) => tickets::run(args),
        Command::Init(args) => init::run(args),
        Command::Sla(args) => sla::run(args),
        Command::Inspect(args) => inspect::run(args),
    }
}

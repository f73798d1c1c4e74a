//! One file per command, each with its `run`: resolve the options, analyse the inputs,
//! write the result. The rules they apply live below them (ingest, metrics, report).

mod init;
mod inspect;
mod report;
mod schema;
mod sla;
mod tickets;

use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::Context as _;

use crate::cli::{Cli, Command};
use crate::output::{Destination, PendingFile};
use crate::report::{Style, escape};

pub fn run(cli: &Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Report(args) => report::run(args),
        Command::Tickets(args) => tickets::run(args),
        Command::Init(args) => init::run(args),
        Command::Sla(args) => sla::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Schema => schema::run(),
    }
}

/// Writes a command's output to `destination`, styled for a terminal only when it is one. A
/// file is put in place only once complete (see [`PendingFile`]).
fn write(
    destination: &Destination,
    write: impl FnOnce(&mut dyn Write, Style) -> io::Result<()>,
) -> anyhow::Result<()> {
    match destination {
        Destination::File(path) => {
            let shown = escape::terminal(&path.to_string_lossy()).into_owned();
            let mut out =
                PendingFile::create(path).with_context(|| format!("cannot create {shown}"))?;
            write(&mut out, Style::default())
                .and_then(|()| out.commit())
                .with_context(|| format!("writing {shown}"))
        }
        Destination::Stdout => {
            let stdout = io::stdout();
            let terminal = stdout.is_terminal();
            let style = Style {
                color: terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
                width: if terminal { None } else { Some(80) },
            };
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out, style).and_then(|()| out.flush())?;
            Ok(())
        }
    }
}

//! One file per command, each with its `run`: resolve the options, analyse the inputs,
//! write the result. The rules they apply live below them (ingest, metrics, report).

mod completions;
mod help;
mod init;
mod inspect;
mod man;
mod report;
mod schema;
mod sla;
mod tickets;

use std::ffi::OsStr;
use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::Context as _;

use crate::cli::{Cli, ColorChoice, Command};
use crate::output::{Destination, PendingFile};
use crate::report::{Style, escape};

pub fn run(cli: &Cli) -> anyhow::Result<()> {
    let console = Console { color: cli.color };
    match &cli.command {
        Command::Report(args) => report::run(args, console),
        Command::Tickets(args) => tickets::run(args, console),
        Command::Init(args) => init::run(args),
        Command::Sla(args) => sla::run(args, console),
        Command::Inspect(args) => inspect::run(args, console),
        Command::Schema => schema::run(),
        Command::Help(args) => help::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// How standard output may be styled: `--color`, read with the environment when written.
#[derive(Debug, Clone, Copy)]
struct Console {
    color: ColorChoice,
}

/// Whether standard output is styled. `--color always|never` wins; under `auto`, a non-empty
/// NO_COLOR turns styling off, else a CLICOLOR_FORCE other than empty or `0` turns it on
/// (for a pager that shows it), else only a terminal gets it.
fn styled(
    choice: ColorChoice,
    no_color: Option<&OsStr>,
    clicolor_force: Option<&OsStr>,
    terminal: bool,
) -> bool {
    let set = |value: Option<&OsStr>| value.is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set(no_color) => false,
        ColorChoice::Auto if set(clicolor_force) && clicolor_force != Some(OsStr::new("0")) => true,
        ColorChoice::Auto => terminal,
    }
}

/// Writes a command's output to `destination`, styled as [`styled`] says. A file is never
/// styled, and is put in place only once complete (see [`PendingFile`]).
fn write(
    console: Console,
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
                color: styled(
                    console.color,
                    std::env::var_os("NO_COLOR").as_deref(),
                    std::env::var_os("CLICOLOR_FORCE").as_deref(),
                    terminal,
                ),
                width: if terminal { None } else { Some(80) },
            };
            let mut out = BufWriter::new(stdout.lock());
            write(&mut out, style).and_then(|()| out.flush())?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(no_color: Option<&str>, force: Option<&str>, terminal: bool) -> bool {
        styled(
            ColorChoice::Auto,
            no_color.map(OsStr::new),
            force.map(OsStr::new),
            terminal,
        )
    }

    #[test]
    fn auto_styles_a_terminal_only() {
        assert!(auto(None, None, true));
        assert!(!auto(None, None, false));
    }

    #[test]
    fn no_color_wins_over_clicolor_force_and_a_terminal() {
        assert!(!auto(Some("1"), None, true));
        assert!(!auto(Some("1"), Some("1"), true));
        // An empty NO_COLOR is not set (no-color.org).
        assert!(auto(Some(""), None, true));
    }

    #[test]
    fn clicolor_force_styles_a_pipe_unless_empty_or_zero() {
        assert!(auto(None, Some("1"), false));
        assert!(!auto(None, Some("0"), false));
        assert!(!auto(None, Some(""), false));
    }

    #[test]
    fn always_and_never_override_the_environment() {
        let no_color = Some(OsStr::new("1"));
        assert!(styled(ColorChoice::Always, no_color, None, false));
        assert!(!styled(
            ColorChoice::Never,
            None,
            Some(OsStr::new("1")),
            true
        ));
    }
}

//! `ticketkpi man [COMMAND]`: the man page, roff on standard output, generated from the clap
//! declarations of cli.rs: ticketkpi(1), or ticketkpi-COMMAND(1) for one command.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::error::BadValue;

pub fn run(args: &ManArgs) -> anyhow::Result<()> {
    let page = page(args.command.as_deref())?;
    let mut out = io::stdout().lock();
    out.write_all(&page)?;
    out.flush()?;
    Ok(())
}

/// The page of `command`, or of ticketkpi itself.
fn page(command: Option<&str>) -> Result<Vec<u8>, BadValue> {
    let mut root = Cli::command();
    // Built, so that subcommands carry the version and the global --color.
    root.build();
    let page = match command {
        None => root,
        Some(name) => {
            let Some(sub) = root.find_subcommand(name) else {
                let names: Vec<&str> = root.get_subcommands().map(|c| c.get_name()).collect();
                return Err(BadValue {
                    option: "man",
                    value: name.to_owned(),
                    reason: format!("no such command; one of: {}", names.join(", ")),
                });
            };
            sub.clone()
                .name(format!("ticketkpi-{name}"))
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|error| BadValue {
            option: "man",
            value: command.unwrap_or("ticketkpi").to_owned(),
            reason: error.to_string(),
        })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(command: Option<&str>) -> String {
        String::from_utf8(page(command).expect("a page")).expect("roff is text")
    }

    #[test]
    fn the_main_page_is_roff_listing_the_commands() {
        let page = text(None);
        assert!(
            page.starts_with(".ie") || page.contains(".TH ticketkpi 1"),
            "{page}"
        );
        assert!(page.contains(".TH ticketkpi 1"));
        assert!(page.contains("report"));
        assert!(page.contains("completions"));
    }

    #[test]
    fn a_command_has_its_own_page_with_its_options() {
        let page = text(Some("report"));
        assert!(page.contains(".TH ticketkpi-report 1"), "{page}");
        assert!(page.contains("period"));
        assert!(
            page.contains("color"),
            "the global --color is on every page"
        );
    }

    #[test]
    fn an_unknown_command_names_the_known_ones() {
        let error = page(Some("reprot")).expect_err("no such command");
        assert!(error.reason.contains("report"), "{}", error.reason);
    }
}

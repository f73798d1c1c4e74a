//! `ticketkpi help [TOPIC]`: the help of a command, or one of the pages of docs/ built into the
//! binary, so that an installed ticketkpi explains itself without the source tree (the
//! report's footer points here).

use std::io::{self, Write};

use clap::CommandFactory;

use crate::cli::{Cli, HelpArgs};
use crate::error::BadValue;

/// The built-in pages: topic, what it is, the text.
pub const PAGES: [(&str, &str, &str); 5] = [
    (
        "metrics",
        "the KPI definitions (docs/metrics.md)",
        include_str!("../../docs/metrics.md"),
    ),
    (
        "config",
        "the config file, ticketkpi.toml (docs/config.md)",
        include_str!("../../docs/config.md"),
    ),
    (
        "mappings",
        "reading any export: presets and mapping files (docs/mappings.md)",
        include_str!("../../docs/mappings.md"),
    ),
    (
        "json",
        "the JSON report and its compatibility rule (docs/json-schema.md)",
        include_str!("../../docs/json-schema.md"),
    ),
    (
        "state",
        "nightly runs with --state DIR: what the folder holds and its checks (docs/state.md)",
        include_str!("../../docs/state.md"),
    ),
];

pub fn run(args: &HelpArgs) -> anyhow::Result<()> {
    let text = text(args.topic.as_deref())?;
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// What `help TOPIC` prints.
fn text(topic: Option<&str>) -> Result<String, BadValue> {
    let mut root = Cli::command();
    root.build();
    let Some(topic) = topic else {
        let mut text = root.render_long_help().to_string();
        text.push_str("\nPages (ticketkpi help PAGE):\n");
        for (name, what, _) in PAGES {
            text.push_str(&format!("  {name:<9} {what}\n"));
        }
        return Ok(text);
    };
    if let Some((_, _, page)) = PAGES.iter().find(|(name, _, _)| *name == topic) {
        return Ok((*page).to_owned());
    }
    match root.find_subcommand_mut(topic) {
        Some(command) => Ok(command.render_long_help().to_string()),
        None => {
            let commands = root.get_subcommands().map(|c| c.get_name().to_owned());
            let pages = PAGES.iter().map(|(name, _, _)| (*name).to_owned());
            Err(BadValue {
                option: "help",
                value: topic.to_owned(),
                reason: format!(
                    "no such command or page; one of: {}",
                    commands.chain(pages).collect::<Vec<_>>().join(", ")
                ),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_the_document_built_in() {
        let metrics = text(Some("metrics")).expect("a page");
        assert!(metrics.contains("first response"), "{metrics}");
        assert_eq!(text(Some("json")).expect("a page"), PAGES[3].2);
    }

    #[test]
    fn a_command_gets_its_long_help() {
        let report = text(Some("report")).expect("a command");
        assert!(report.contains("--period"), "{report}");
    }

    #[test]
    fn no_topic_lists_the_commands_and_the_pages() {
        let help = text(None).expect("the help");
        for word in ["report", "completions", "metrics", "mappings"] {
            assert!(help.contains(word), "{help}");
        }
    }

    #[test]
    fn an_unknown_topic_names_the_known_ones() {
        let error = text(Some("metric")).expect_err("no such topic");
        assert!(error.reason.contains("metrics"), "{}", error.reason);
        assert!(error.reason.contains("report"), "{}", error.reason);
    }
}

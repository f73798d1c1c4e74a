//! `ticketkpi completions SHELL`: a completion script generated from the clap declarations of
//! cli.rs, so that it offers exactly the commands, options and values the parser accepts.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_complete::Shell as Generator;

use crate::cli::{Cli, CompletionsArgs, Shell};

pub fn run(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut script = Vec::new();
    write(args.shell, &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}

/// The script for `shell`; generated into memory, so that a closed pipe is an error the
/// caller sees rather than a panic inside the generator.
fn write(shell: Shell, out: &mut Vec<u8>) {
    let generator = match shell {
        Shell::Bash => Generator::Bash,
        Shell::Zsh => Generator::Zsh,
        Shell::Fish => Generator::Fish,
        Shell::PowerShell => Generator::PowerShell,
    };
    let mut command = Cli::command();
    clap_complete::generate(generator, &mut command, "ticketkpi", out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(shell: Shell) -> String {
        let mut out = Vec::new();
        write(shell, &mut out);
        String::from_utf8(out).expect("a script is text")
    }

    #[test]
    fn every_script_offers_the_commands_and_their_options() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
            let text = script(shell);
            for word in ["report", "inspect", "completions", "period", "preset"] {
                assert!(text.contains(word), "{shell:?} lacks {word}");
            }
        }
    }

    #[test]
    fn values_come_from_the_domain_enums() {
        // --by and --format are offered by their names (cli::named).
        let text = script(Shell::Fish);
        for value in ["channel", "priority", "markdown", "html", "jsonl"] {
            assert!(text.contains(value), "fish lacks {value}");
        }
    }
}

use std::process::ExitCode;

use clap::Parser;
use ticketkpi::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match ticketkpi::run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => ticketkpi::exit_code_for(&error),
    }
}

//! `ticketkpi init`: the commented example config file, to start from.

use std::io::{self, Write};

use anyhow::Context as _;

use crate::cli::InitArgs;
use crate::config_file;
use crate::output::PendingFile;
use crate::report::escape;

pub fn run(args: &InitArgs) -> anyhow::Result<()> {
    if args.stdout || args.path.as_os_str() == "-" {
        let mut out = io::stdout().lock();
        out.write_all(config_file::EXAMPLE.as_bytes())?;
        return Ok(out.flush()?);
    }
    let shown = escape::terminal(&args.path.to_string_lossy()).into_owned();
    // A link counts as there even when it leads nowhere: writing through it would create a
    // file wherever it points.
    if std::fs::symlink_metadata(&args.path).is_ok() && !args.force {
        anyhow::bail!(
            "{shown} exists already; use --force to replace it, or --stdout to print the example"
        );
    }
    let mut file =
        PendingFile::create(&args.path).with_context(|| format!("cannot write {shown}"))?;
    file.write_all(config_file::EXAMPLE.as_bytes())
        .and_then(|()| file.commit())
        .with_context(|| format!("cannot write {shown}"))?;
    eprintln!("ticketkpi: wrote {shown}; edit it, then run `ticketkpi report` in this directory");
    Ok(())
}

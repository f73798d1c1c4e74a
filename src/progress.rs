//! A progress bar on stderr for long inputs: bytes read, rows, speed and time left.
//!
//! It appears only after a second (short runs stay silent), only when stderr is a terminal
//! (indicatif's stderr target draws nothing otherwise), and never with `--quiet`.

use std::io::{self, Read};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

const GRACE: Duration = Duration::from_secs(1);

/// A progress bar that stays hidden for its first second.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
}

impl Progress {
    /// `total`: the inputs' size in bytes, when known (files, not pipes).
    pub fn new(total: Option<u64>) -> Progress {
        let bar = match total {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden())
                .with_style(
                    ProgressStyle::with_template(
                        "{spinner} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left) {msg}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_style(
                ProgressStyle::with_template("{spinner} {bytes} ({bytes_per_sec}) {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    fn advance(&self, bytes: u64) {
        self.bar.inc(bytes);
        if self.bar.is_hidden() && self.started.elapsed() > GRACE {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn rows(&self, rows: u64) {
        self.bar.set_message(format!("{rows} rows"));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// `reader`, counting what it reads into this bar.
    pub fn wrap<R: Read>(&self, reader: R) -> ProgressReader<R> {
        ProgressReader {
            inner: reader,
            progress: self.clone(),
        }
    }
}

pub struct ProgressReader<R> {
    inner: R,
    progress: Progress,
}

impl<R: Read> Read for ProgressReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.progress.advance(read as u64);
        Ok(read)
    }
}

//! CSV whose records end in any mix of `\n`, `\r` and `\r\n`: every physical record is used or
//! rejected and counted, and the sequential and parallel readers read the same records.
//!
//! The first byte seeds the choice of line endings; the rest is the body under the canonical
//! header `ticket_id,timestamp,author_type`, each `\n` of it replaced by the ending chosen in
//! turn (the header's own ending too). Besides the pipeline's invariants (`run_input`):
//! - reading with 1 and with 3 threads gives the same statistics;
//! - when the body has no quote and every line of it is blank or has the header's three
//!   fields, `rows` is the number of its non-blank lines, whatever the endings.

#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use ticketkpi::options::AnalysisOptions;
use ticketkpi::ingest::{InputStats, Source};
use ticketkpi::pipeline;

const HEADER: &[u8] = b"ticket_id,timestamp,author_type";
const ENDINGS: [&[u8]; 3] = [b"\n", b"\r", b"\r\n"];

/// The header and body, each `\n` replaced by an ending drawn from `seed`.
fn with_endings(seed: u8, body: &[u8]) -> Vec<u8> {
    let mut state = u32::from(seed) | 0x100;
    let mut next_ending = || {
        // xorshift: cheap, and every seed gives its own mix.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        ENDINGS[(state % 3) as usize]
    };
    let mut bytes = HEADER.to_vec();
    bytes.extend_from_slice(next_ending());
    for &byte in body {
        if byte == b'\n' {
            bytes.extend_from_slice(next_ending());
        } else {
            bytes.push(byte);
        }
    }
    bytes
}

fn stats(bytes: &[u8], threads: usize) -> Option<InputStats> {
    let source = Source::Memory {
        name: "fuzz.csv".to_owned(),
        bytes: Arc::from(bytes),
    };
    let mut config = AnalysisOptions::for_sources(vec![source]);
    config.ingest.skip_invalid = true;
    config.ingest.threads = threads;
    pipeline::analyse(&config)
        .ok()
        .map(|analysis| analysis.stats)
}

/// The non-blank lines of `body` when each has the header's width and none has a quote.
fn plain_lines(body: &[u8]) -> Option<u64> {
    if body.contains(&b'"') || body.contains(&b'\r') {
        return None;
    }
    let mut lines = 0;
    for line in body.split(|byte| *byte == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if line.iter().filter(|byte| **byte == b',').count() != 2 {
            return None;
        }
        lines += 1;
    }
    Some(lines)
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, body)) = data.split_first() else {
        return;
    };
    let bytes = with_endings(seed, body);
    ticketkpi_fuzz::run_input("fuzz.csv", &bytes, None);
    let sequential = stats(&bytes, 1);
    assert_eq!(sequential, stats(&bytes, 3), "the parallel reader differs");
    if let (Some(stats), Some(lines)) = (sequential, plain_lines(body)) {
        assert_eq!(stats.rows, lines, "records lost or invented");
    }
});

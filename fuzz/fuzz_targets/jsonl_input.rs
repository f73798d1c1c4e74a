//! Arbitrary bytes as a JSON Lines file, named `.jsonl` and forced to that format as
//! `--input-format jsonl` does.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ticketkpi::ingest::InputFormat;

fuzz_target!(|data: &[u8]| {
    ticketkpi_fuzz::run_input("fuzz.jsonl", data, Some(InputFormat::Jsonl));
});

//! Arbitrary bytes as a JSON array file. A `.json` name alone would have its content sniffed
//! (JSON Lines files are often named `.json`), so the format is also forced, as
//! `--input-format json` does.

#![no_main]

use libfuzzer_sys::fuzz_target;
use ticketkpi::ingest::InputFormat;

fuzz_target!(|data: &[u8]| {
    ticketkpi_fuzz::run_input("fuzz.json", data, Some(InputFormat::Json));
});

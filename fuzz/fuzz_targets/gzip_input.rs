//! Bytes that may or may not be gzip, with the format sniffed from the content.
//!
//! The first byte steers: bit 0 compresses the rest (so that the decompressed content is
//! fuzzed too, not only the decoder's error paths), bit 1 splits it into two concatenated
//! gzip members, bit 2 names the input `.csv.gz` instead of giving it no extension. Without
//! bit 0 the rest is read as it is: plain text, or gzip that the fuzzer mangled.

#![no_main]

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(data).expect("compressing into memory");
    encoder.finish().expect("compressing into memory")
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let bytes = match (selector & 1 != 0, selector & 2 != 0) {
        (false, _) => rest.to_vec(),
        (true, false) => gzip(rest),
        (true, true) => {
            let (first, second) = rest.split_at(rest.len() / 2);
            let mut members = gzip(first);
            members.extend(gzip(second));
            members
        }
    };
    let name = if selector & 4 != 0 {
        "fuzz.csv.gz"
    } else {
        "fuzz-input"
    };
    ticketkpi_fuzz::run_input(name, &bytes, None);
});

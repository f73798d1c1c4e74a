//! Arbitrary bytes as a `.csv` file: the extension makes it CSV whatever the content.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ticketkpi_fuzz::run_input("fuzz.csv", data, None);
});

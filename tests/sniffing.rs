//! The CSV delimiter is sniffed from the header (comma, tab, semicolon, pipe) whatever the
//! encoding: a windows-1252 export saved by a spreadsheet with semicolons reads with
//! `--encoding windows-1252` alone. (tests/newcomer.rs has the UTF-8 pipe export.)

mod common;

use common::{scratch, ticketkpi};

/// An event log in windows-1252 (`téléphone` as 0xE9 bytes), fields separated by `separator`.
fn legacy_export(separator: char) -> Vec<u8> {
    let text = "ticket_id;timestamp;event;author_type;channel\n\
                T1;2024-01-01T10:00:00Z;message;customer;t\u{e9}l\u{e9}phone\n\
                T1;2024-01-01T10:30:00Z;message;agent;t\u{e9}l\u{e9}phone\n"
        .replace(';', &separator.to_string());
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1 text"))
        .collect()
}

#[test]
fn semicolons_and_pipes_are_sniffed_when_the_encoding_is_given() {
    let dir = scratch();
    for (separator, encoding) in [
        (';', "windows-1252"),
        ('|', "latin1"),
        ('\t', "windows-1252"),
    ] {
        let file = dir.write("export.txt", legacy_export(separator));
        let report = ticketkpi(["report".as_ref(), file.as_os_str()])
            .args(["--encoding", encoding, "--format", "json"])
            .json();
        // Customer at 10:00, agent at 10:30: one reply after 1800 s, on the decoded channel.
        assert_eq!(
            report["overall"]["first_response"]["median"], 1800.0,
            "{separator:?} in {encoding}"
        );
        assert_eq!(
            report["overall"]["volume"]["channel_share"]["t\u{e9}l\u{e9}phone"], 1.0,
            "{separator:?} in {encoding}"
        );
    }
}

#[test]
fn inspect_sniffs_the_delimiter_of_a_decoded_export_it_does_not_know() {
    let dir = scratch();
    let text = "Nummer;Erstellt;Kanal\n1;2024-01-01 10:00;T\u{e9}l\n2;2024-01-02 11:00;Mail\n";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1 text"))
        .collect();
    let file = dir.write("export.csv", bytes);
    let inspection = ticketkpi(["inspect".as_ref(), file.as_os_str()])
        .args(["--encoding", "windows-1252", "--json"])
        .json();
    let columns: Vec<&str> = inspection["inputs"][0]["profile"]["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .filter_map(|column| column["name"].as_str())
        .collect();
    assert_eq!(columns, ["Nummer", "Erstellt", "Kanal"]);
}

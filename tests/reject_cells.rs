//! A rejected row keeps the place of its bad cell, so that `inspect` draws a caret under it:
//! for the canonical log and a preset's columns, in CSV (either reader) and JSON.

mod common;

use common::{fixture, ticketkpi};

/// The lines `inspect` prints about rejected rows.
fn rejected_rows(args: &[&str], stdin: &str) -> Vec<String> {
    let output = ticketkpi(["inspect", "--skip-invalid"])
        .args(args)
        .stdin(stdin)
        .success();
    let lines: Vec<String> = output
        .stdout
        .lines()
        .skip_while(|line| *line != "First rejected rows:")
        .skip(1)
        .map(str::to_owned)
        .collect();
    assert!(
        !lines.is_empty(),
        "no rejected rows shown:\n{}",
        output.stdout
    );
    lines
}

const CANONICAL: &str = "ticket_id,timestamp,event,author_type,channel,csat\n\
    T1,2026-03-01T10:00:00Z,message,customer,email,\n\
    T1,yesterday,message,agent,email,\n\
    T2,2026-03-01T11:00:00Z,rating,customer,chat,9\n\
    T4,2026-03-01T12:00:00Z,message,,chat,\n\
    T5,2026-03-01\n";

#[test]
fn inspect_draws_a_caret_under_the_bad_cell_of_a_csv_row() {
    let expected = [
        "  <stdin>:3: column 'timestamp': cannot parse \"yesterday\" as a timestamp",
        "    T1,yesterday,message,agent,email,",
        "       ^^^^^^^^^",
        "  <stdin>:4: column 'csat': 9 is outside 1..=5",
        "    T2,2026-03-01T11:00:00Z,rating,customer,chat,9",
        "                                                 ^",
        "  <stdin>:5: column 'author_type': is empty on a message row",
        "    T4,2026-03-01T12:00:00Z,message, ,chat,",
        "                                    ^",
        // The row as a whole is at fault: no cell to point at.
        "  <stdin>:6: has 2 fields, the header has 6 (a truncated or wrapped line?)",
    ];
    for threads in ["1", "2"] {
        let shown = rejected_rows(
            &["-", "--input-format", "csv", "--threads", threads],
            CANONICAL,
        );
        assert_eq!(shown, expected, "--threads {threads}");
    }
}

#[test]
fn the_caret_points_at_the_exports_own_column() {
    // A Zendesk export whose Created at cannot be read: the preset's column, not created_at.
    let text = std::fs::read_to_string(fixture("presets/zendesk.csv")).expect("fixture");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[1] = lines[1].replace(
        "2026-03-02 09:00:00,2026-03-02 11:00:00",
        "soon,2026-03-02 11:00:00",
    );
    let input = lines.join("\n") + "\n";
    let shown = rejected_rows(&["-", "--input-format", "csv"], &input);
    assert!(
        shown[0]
            .starts_with("  <stdin>:2: column 'Created at': cannot parse \"soon\" as a timestamp"),
        "{shown:?}"
    );
    let caret = shown[2].find('^').expect("a caret");
    assert_eq!(&shown[1][caret..caret + 5], "soon,", "{shown:?}");
    assert_eq!(shown[2].trim(), "^^^^");
}

#[test]
fn a_json_record_shows_the_member_at_fault() {
    let input = concat!(
        r#"{"ticket":{"id":1,"created_at":"2026-03-01T10:00:00Z","status":"open","via":{"channel":"email"}}}"#,
        "\n",
        r#"{"ticket":{"id":2,"created_at":"last tuesday","status":"open","via":{"channel":"email"}}}"#,
        "\n",
        r#"{"ticket":{"id":3,"created_at":"2026-03-01T10:00:00Z","status":"open","via":{"channel":["x"]}}}"#,
        "\n",
    );
    let shown = rejected_rows(&["-", "--input-format", "jsonl"], input);
    let caret_under = |row: usize| {
        let (text, carets) = (&shown[row], &shown[row + 1]);
        let start = carets.find('^').expect("a caret");
        text[start..carets.len()].to_owned()
    };
    assert_eq!(
        shown[0],
        "  <stdin>:2: column 'created_at': cannot parse \"last tuesday\" as a timestamp"
    );
    assert_eq!(caret_under(1), "\"last tuesday\"");
    assert_eq!(
        shown[3],
        "  <stdin>:3: column 'via.channel': holds an array or object, expected a plain value"
    );
    assert_eq!(caret_under(4), "[\"x\"]");
}

#[test]
fn the_json_output_of_inspect_is_unchanged_by_the_cells() {
    let inspection = ticketkpi([
        "inspect",
        "--skip-invalid",
        "--json",
        "-",
        "--input-format",
        "csv",
    ])
    .stdin(CANONICAL)
    .json();
    let first = &inspection["first_rejected_rows"][0];
    let keys: Vec<&str> = first
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["location", "reason", "message"]);
}

//! Mistakes as the user meets them: in the config file, in option values and in rows, placed
//! in the user's own file, blamed on what the user actually wrote, quoted as spelled there.

mod common;

use std::fs;
use std::path::Path;

use common::{fixture, ticketkpi};

/// A ticketkpi.toml whose `[mapping]` table holds a bad value at line 7, column 9, after
/// other tables, so that a re-serialised copy of the table would put it elsewhere.
const BAD_MAPPING: &str = "\
[report]
tz = \"Europe/Berlin\"

[mapping]
name = \"desk\"
delimiter = \";\"
shape = \"rows\"

[mapping.fields]
ticket_id = \"Case\"
timestamp = \"When\"
";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).expect("write");
    path.to_str().expect("a UTF-8 path").to_owned()
}

#[test]
fn a_bad_value_in_the_mapping_table_is_reported_at_its_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write(dir.path(), "ticketkpi.toml", BAD_MAPPING);
    let data = fixture("small.csv");
    for how in [["--config", &config], ["--mapping", &config]] {
        let output = ticketkpi(["report"]).arg(&data).args(how).fails_with(2);
        assert!(
            output.stderr.contains("line 7, column 9"),
            "{how:?}: {}",
            output.stderr
        );
        assert!(
            output.stderr.contains("7 | shape = \"rows\""),
            "{how:?}: the user's own line is shown: {}",
            output.stderr
        );
        assert!(
            output.stderr.contains("unknown variant `rows`"),
            "{}",
            output.stderr
        );
    }
}

#[test]
fn a_broken_config_file_found_in_the_working_directory_is_not_blamed_on_config() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "ticketkpi.toml", BAD_MAPPING);
    let data = fs::canonicalize(fixture("small.csv")).expect("fixture");
    let output = ticketkpi(["report"])
        .arg(&data)
        .current_dir(dir.path())
        .fails_with(2);
    assert!(
        output
            .stderr
            .contains("ticketkpi.toml, the config file found in the working directory: "),
        "{}",
        output.stderr
    );
    assert!(
        !output.stderr.contains("--config"),
        "no --config was given: {}",
        output.stderr
    );
    assert!(
        output.stderr.contains("line 7, column 9"),
        "{}",
        output.stderr
    );
    // Named by --config, the same file is that option's bad value.
    let output = ticketkpi(["report"])
        .arg(&data)
        .args(["--config", "ticketkpi.toml"])
        .current_dir(dir.path())
        .fails_with(2);
    assert!(
        output
            .stderr
            .contains("invalid value \"ticketkpi.toml\" for '--config': "),
        "{}",
        output.stderr
    );
}

#[test]
fn the_csat_settings_of_the_file_are_the_files_mistakes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = fixture("small.csv");
    let scale = write(
        dir.path(),
        "scale.toml",
        "[report]\ncsat_scale = \"five\"\n",
    );
    let output = ticketkpi(["report"])
        .arg(&data)
        .args(["--config", &scale])
        .fails_with(2);
    assert!(
        output.stderr.contains("report.csat_scale: \"five\""),
        "{}",
        output.stderr
    );
    assert!(!output.stderr.contains("--csat-scale"), "{}", output.stderr);
    let threshold = write(
        dir.path(),
        "threshold.toml",
        "[report]\ncsat_scale = \"1-10\"\ncsat_satisfied = 9\n",
    );
    // The file's threshold fits the file's scale, not the 1-5 given on the command line.
    let output = ticketkpi(["report"])
        .arg(&data)
        .args(["--config", &threshold, "--csat-scale", "1-5"])
        .fails_with(2);
    assert!(
        output
            .stderr
            .contains("report.csat_satisfied: 9 must lie within the scale 1-5"),
        "{}",
        output.stderr
    );
    let output = ticketkpi(["report"])
        .arg(&data)
        .args(["--csat-satisfied", "9"])
        .fails_with(2);
    assert!(
        output
            .stderr
            .contains("invalid value \"9\" for '--csat-satisfied': must lie within the scale 1-5"),
        "{}",
        output.stderr
    );
}

#[test]
fn option_values_are_quoted_as_the_user_wrote_them() {
    let output = ticketkpi(["report"])
        .arg(fixture("small.csv"))
        .args(["--tz", r#"Europe\Berlin "west""#])
        .fails_with(2);
    assert!(
        output
            .stderr
            .contains(r#"invalid value "Europe\Berlin "west"" for '--tz': "#),
        "{}",
        output.stderr
    );
}

/// Values from the input are quoted as they are: `{:?}` would write the accent of a
/// decomposed "Café" as `\u{301}` and double every backslash.
#[test]
fn rejected_values_are_quoted_as_the_export_wrote_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = write(
        dir.path(),
        "spelled.csv",
        "ticket_id,timestamp,event,author_type,channel,status\n\
         T1,2026-03-01T10:00:00Z,message,customer,email,Cafe\u{301}\n\
         T2,2026\\03\\01,message,customer,email,new\n",
    );
    let output = ticketkpi(["report", &data]).fails_with(1);
    assert!(
        output
            .stderr
            .contains("column 'status': \"Cafe\u{301}\" is not one of new, open"),
        "{}",
        output.stderr
    );
    let rejects = dir.path().join("rejects.csv");
    ticketkpi(["report", &data, "-o", "/dev/null", "--rejects"])
        .arg(&rejects)
        .success();
    let rejects = fs::read_to_string(&rejects).expect("rejects written");
    assert!(
        rejects.contains(r#"cannot parse ""2026\03\01"" as a timestamp"#),
        "{rejects}"
    );
}

//! The parallel CSV reader gives exactly what the sequential one gives: KPIs, row
//! accounting, rejected rows with their lines, and the first error.

mod common;

use common::{Output, generate, scratch, ticketkpi};

/// `ticketkpi ARGS --threads THREADS`.
fn run(args: &[&str], threads: &str) -> Output {
    ticketkpi(args).args(["--threads", threads]).output()
}

#[test]
fn several_chunks_of_dirty_input_match_the_sequential_reader() {
    // Large enough for many 4 MiB chunks, with invalid rows and blank lines throughout.
    let dir = scratch();
    let export = dir.path().join("export.csv");
    generate(
        &export,
        &[
            "--tickets",
            "20000",
            "--seed",
            "5",
            "--dirty",
            "0.02",
            "--order",
            "time",
        ],
    );
    assert!(std::fs::metadata(&export).expect("size").len() > 10 << 20);
    let export = export.to_str().expect("path");
    let rejects = |n: &str| dir.path().join(format!("rejects{n}.csv"));
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let rejects_path = rejects(threads);
        let output = run(
            &[
                "report",
                export,
                "--format",
                "json",
                "--by",
                "agent",
                "--period",
                "day",
                "--rejects",
                rejects_path.to_str().expect("path"),
            ],
            threads,
        );
        assert_eq!(output.code, Some(0), "{}", output.stderr);
        outputs.push((
            output.stdout_bytes,
            std::fs::read(&rejects_path).expect("rejects"),
        ));
    }
    assert_eq!(outputs[0].0, outputs[1].0, "report with 2 threads");
    assert_eq!(outputs[0].0, outputs[2].0, "report with 3 threads");
    assert_eq!(outputs[0].1, outputs[1].1, "rejected rows, lines and order");
    assert!(outputs[0].1.len() > 1000, "the generator injected faults");

    // Without --skip-invalid both stop at the same first bad row.
    let sequential = run(&["report", export], "1");
    let parallel = run(&["report", export], "2");
    assert_eq!(sequential.code, Some(1));
    assert_eq!(sequential.stderr, parallel.stderr);
}

#[test]
fn quoted_newlines_across_chunk_edges_and_the_sample() {
    let dir = scratch();
    let mut content = String::from("ticket_id,timestamp,author_type,channel,note\n");
    for i in 0..120_000 {
        // Every row has a quoted field with newlines and quotes in it.
        content.push_str(&format!(
            "T{},2026-03-01T10:{:02}:00Z,{},chat,\"line one\nline \"\"two\"\"\n\"\n",
            i % 5000,
            i % 60,
            if i % 3 == 0 { "agent" } else { "customer" }
        ));
    }
    let path = dir.write("quoted.csv", &content);
    for file in [
        path.to_str().expect("path"),
        "sample-data/conversations.csv",
    ] {
        let sequential = run(&["report", file, "--format", "json"], "1");
        let parallel = run(&["report", file, "--format", "json"], "2");
        assert_eq!(sequential.code, Some(0), "{}", sequential.stderr);
        assert_eq!(sequential.stdout_bytes, parallel.stdout_bytes, "{file}");
    }
}

//! The engine's report equals the CLI's, value for value: the same library computes both,
//! DataFusion only splits the work (partitions, a Ballista cluster) and merges it.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser;
use serde_json::Value;
use ticketkpi::metrics::group::Dimension;
use ticketkpi::output::Destination;
use ticketkpi::{Options, Report, analyse};
use ticketkpi_datafusion::Engine;

#[derive(Parser)]
struct Inputs {
    #[command(flatten)]
    input: ticketkpi::cli::InputArgs,
}

fn inputs(args: &[&str]) -> ticketkpi::cli::InputArgs {
    Inputs::parse_from(std::iter::once("report").chain(args.iter().copied())).input
}

/// `ticketkpi report ARGS --format json`, in-process, as commands/report.rs runs it.
fn cli_json(args: &[&str], by: &[Dimension]) -> Value {
    let options = Options::resolve(&inputs(args), by.to_vec(), None, Destination::Stdout)
        .expect("options")
        .analysis;
    let analysis = analyse(&options).expect("analyse");
    let kpis = analysis.kpis(&options);
    serde_json::to_value(Report::new(&analysis, kpis, &options)).expect("json")
}

fn engine_json(args: &[&str], by: &[Dimension], engine: &Engine) -> Value {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let report = runtime
        .block_on(ticketkpi_datafusion::report::report(
            &inputs(args),
            by.to_vec(),
            None,
            engine,
        ))
        .expect("engine report");
    serde_json::to_value(report).expect("json")
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The first difference between two JSON values, by path.
fn difference(cli: &Value, engine: &Value, path: &str) -> Option<String> {
    match (cli, engine) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<_> = a.keys().chain(b.keys()).collect();
            keys.into_iter().find_map(|key| {
                let (x, y) = (
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                );
                difference(x, y, &format!("{path}.{key}"))
            })
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| difference(x, y, &format!("{path}.{i}"))),
        (a, b) if a == b => None,
        (a, b) => Some(format!("{path}: CLI {a}, engine {b}")),
    }
}

fn assert_same(args: &[&str], by: &[Dimension], engines: &[Engine]) {
    let cli = cli_json(args, by);
    assert!(
        cli["overall"]["tickets"].as_u64().unwrap_or(0) > 0,
        "tickets to compare"
    );
    for engine in engines {
        let engine_report = engine_json(args, by, engine);
        if let Some(difference) = difference(&cli, &engine_report, "") {
            panic!("{engine:?} on {args:?}: {difference}");
        }
        assert_eq!(engine_report, cli, "{engine:?}");
    }
}

fn local(partitions: usize) -> Engine {
    Engine::Local { partitions }
}

#[test]
fn sample_data_with_one_and_four_partitions() {
    let sample = repository().join("sample-data/conversations.csv");
    let sample = sample.to_str().expect("utf-8 path");
    assert_same(&[sample], &[Dimension::Channel], &[local(1), local(4)]);
    assert_same(
        &[sample],
        &[Dimension::Team, Dimension::Priority],
        &[local(3)],
    );
}

#[test]
fn sample_data_on_a_local_ballista_cluster() {
    let sample = repository().join("sample-data/conversations.csv");
    let stage = tempfile::tempdir().expect("stage");
    let engine = Engine::BallistaLocal {
        partitions: 4,
        stage: stage.path().to_owned(),
    };
    assert_same(
        &[sample.to_str().expect("utf-8")],
        &[Dimension::Channel],
        &[engine],
    );
}

/// examples/generate, built by the main crate's `cargo test` (or here if it was not).
fn generator() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary");
    let profile = exe.parent().and_then(Path::parent).expect("target/debug");
    let generator = profile
        .join("examples")
        .join(format!("generate{}", std::env::consts::EXE_SUFFIX));
    if !generator.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo)
            .args(["build", "--example", "generate", "-p", "ticketkpi"])
            .current_dir(repository())
            .status()
            .expect("cargo build --example generate");
        assert!(status.success());
    }
    generator
}

#[test]
fn a_generated_dirty_export_on_every_engine() {
    let folder = tempfile::tempdir().expect("scratch");
    let export = folder.path().join("generated.csv");
    let output = Command::new(generator())
        .args([
            "--tickets",
            "3000",
            "--seed",
            "5",
            "--dirty",
            "0.02",
            "--order",
            "time",
        ])
        .output()
        .expect("generate");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(&export, output.stdout).expect("write export");
    let export = export.to_str().expect("utf-8");
    let cli = cli_json(&[export, "--skip-invalid"], &[Dimension::Channel]);
    assert!(
        cli["input"]["rows_rejected"].as_u64().unwrap_or(0) > 0,
        "dirty rows counted"
    );
    let stage = tempfile::tempdir().expect("stage");
    assert_same(
        &[export, "--skip-invalid"],
        &[Dimension::Channel],
        &[
            local(1),
            local(4),
            Engine::BallistaLocal {
                partitions: 4,
                stage: stage.path().to_owned(),
            },
        ],
    );
}

#[test]
fn periods_times_of_day_and_agents_with_an_as_of() {
    let sample = repository().join("sample-data/conversations.csv");
    let sample = sample.to_str().expect("utf-8 path");
    for period in ["day", "week", "quarter"] {
        assert_same_period(
            &[sample, "--as-of", "2026-03-20T00:00:00Z"],
            &[Dimension::Agent],
            period,
        );
    }
    assert_same(
        &[sample, "--tz", "America/New_York"],
        &[Dimension::Hour],
        &[local(2)],
    );
    assert_same(
        &[sample],
        &[Dimension::Weekday, Dimension::Channel],
        &[local(4)],
    );
}

/// As [`assert_same`], with `--period`.
fn assert_same_period(args: &[&str], by: &[Dimension], period: &str) {
    let period: ticketkpi::time::Period = period.parse().expect("period");
    let resolve = |args: &[&str]| {
        Options::resolve(
            &inputs(args),
            by.to_vec(),
            Some(period),
            Destination::Stdout,
        )
        .expect("options")
        .analysis
    };
    let options = resolve(args);
    let analysis = analyse(&options).expect("analyse");
    let kpis = analysis.kpis(&options);
    let cli = serde_json::to_value(Report::new(&analysis, kpis, &options)).expect("json");
    assert!(
        cli["periods"].as_array().is_some_and(|p| !p.is_empty()),
        "periods to compare"
    );
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let report = runtime
        .block_on(ticketkpi_datafusion::report::report_with(
            &options,
            &local(3),
        ))
        .expect("engine report");
    let engine = serde_json::to_value(report).expect("json");
    if let Some(difference) = difference(&cli, &engine, "") {
        panic!("--period {period:?} on {args:?}: {difference}");
    }
}

/// Every real public export beside the project (../shared/data/real), read by detection or
/// by its mapping in examples/mappings, on four partitions.
#[test]
fn the_real_datasets() {
    let real = repository().join("../shared/data/real");
    if !real.exists() {
        eprintln!("skipped: {} is absent", real.display());
        return;
    }
    let datasets: [(&str, Option<&str>); 8] = [
        ("twcs-head/twcs_head5000.csv", None),
        (
            "anonymous-bank-callcenter/data_anonymous_bank_february.txt",
            None,
        ),
        ("helpdesk-4tu/helpdesk_full_4tu.csv", None),
        ("helpdesk-tax2017/helpdesk.csv", Some("helpdesk-tax2017")),
        (
            "bpic2013-incidents/VINST-new_ibm.csv",
            Some("bpic2013-incidents"),
        ),
        (
            "uci-incident-event-log/incident_event_log_original_first119998rows.csv",
            None,
        ),
        (
            "comcast-complaints/Comcast_telecom_complaints_data.csv",
            Some("comcast-complaints"),
        ),
        (
            "kaggle-customer-support-tickets-synthetic/customer_support_tickets_closed_subset.csv",
            Some("kaggle-customer-support-tickets-synthetic"),
        ),
    ];
    for (relative, mapping) in datasets {
        let file = real.join(relative);
        let file = file.to_str().expect("utf-8 path");
        let mapping_file = mapping.map(|name| {
            repository()
                .join(format!("examples/mappings/{name}.toml"))
                .to_str()
                .expect("utf-8 path")
                .to_owned()
        });
        let mut args = vec![file, "--skip-invalid"];
        if let Some(mapping) = &mapping_file {
            args.extend(["--mapping", mapping.as_str()]);
        }
        assert_same(&args, &[Dimension::Channel], &[local(4)]);
    }
}

//! A Ballista cluster of separate processes on loopback: one `ticketkpi-datafusion
//! scheduler` and two `ticketkpi-datafusion executor`s. The functions reach them only inside
//! the plans (ticketkpi's codecs): nothing is registered there. The report equals the CLI's.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// The processes, stopped when the test ends however it ends.
struct Cluster(Vec<Child>);

impl Drop for Cluster {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

fn wait_for(port: u16) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "port {port} never opened"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn spawn(args: &[String], logs: &Path, name: &str) -> Child {
    let log = std::fs::File::create(logs.join(format!("{name}.log"))).expect("log file");
    Command::new(env!("CARGO_BIN_EXE_ticketkpi-datafusion"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start a cluster process")
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn sample_data_on_a_cluster_of_processes_equals_the_cli() {
    let scratch = tempfile::tempdir().expect("scratch");
    let scheduler_port = free_port();
    let mut processes = vec![spawn(
        &[
            "scheduler".into(),
            "--bind".into(),
            format!("127.0.0.1:{scheduler_port}"),
        ],
        scratch.path(),
        "scheduler",
    )];
    wait_for(scheduler_port);
    for n in 0..2 {
        let (port, grpc_port) = (free_port(), free_port());
        processes.push(spawn(
            &[
                "executor".into(),
                "--scheduler".into(),
                format!("127.0.0.1:{scheduler_port}"),
                "--port".into(),
                port.to_string(),
                "--grpc-port".into(),
                grpc_port.to_string(),
                "--slots".into(),
                "2".into(),
            ],
            scratch.path(),
            &format!("executor-{n}"),
        ));
        wait_for(port);
    }
    let _cluster = Cluster(processes);

    let sample = repository().join("sample-data/conversations.csv");
    let args = ["report", sample.to_str().expect("utf-8 path")];
    let input = Inputs::parse_from(args).input;
    let by = vec![Dimension::Channel];
    let options = Options::resolve(&input, by.clone(), None, Destination::Stdout)
        .expect("options")
        .analysis;
    let analysis = analyse(&options).expect("analyse");
    let kpis = analysis.kpis(&options);
    let cli = serde_json::to_value(Report::new(&analysis, kpis, &options)).expect("json");

    let stage = scratch.path().join("stage");
    let engine = Engine::BallistaRemote {
        url: format!("df://127.0.0.1:{scheduler_port}"),
        partitions: 4,
        stage,
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let report = runtime.block_on(ticketkpi_datafusion::report::report(
        &input, by, None, &engine,
    ));
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            let logs: Vec<String> = ["scheduler", "executor-0", "executor-1"]
                .iter()
                .map(|name| {
                    let text = std::fs::read_to_string(scratch.path().join(format!("{name}.log")))
                        .unwrap_or_default();
                    format!(
                        "--- {name}:\n{}",
                        text.lines().rev().take(20).collect::<Vec<_>>().join("\n")
                    )
                })
                .collect();
            panic!("the cluster's report: {error:#}\n{}", logs.join("\n"));
        }
    };
    let engine_json: Value = serde_json::to_value(report).expect("json");
    assert!(cli["overall"]["tickets"].as_u64().unwrap_or(0) > 0);
    assert_eq!(engine_json, cli);
}

//! An installed ticketkpi needs nothing from the source tree: the binary, copied alone into an
//! empty folder and run there, still has its definitions, schema, example config and presets;
//! and Cargo.toml carries what publishing needs (`cargo package --locked` runs in .ci/run).

mod common;

use std::path::PathBuf;

use common::{Scratch, scratch};

/// The binary copied into a folder of its own, with `files` from the repository beside it.
struct Installed {
    dir: Scratch,
    binary: PathBuf,
}

/// Held while a binary is copied and while one is started: a child forked while another
/// thread still holds a copy open for writing would keep it open, and starting that copy
/// would fail with "text file busy".
static SPAWN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn installed(files: &[&str]) -> Installed {
    let dir = scratch();
    let binary = dir.path().join("ticketkpi");
    {
        let _spawning = SPAWN
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        std::fs::copy(env!("CARGO_BIN_EXE_ticketkpi"), &binary).expect("copy the binary");
    }
    for file in files {
        let name = std::path::Path::new(file).file_name().expect("a file name");
        std::fs::copy(file, dir.path().join(name)).expect("copy a fixture");
    }
    Installed { dir, binary }
}

impl Installed {
    /// A run of the copy in its own folder, where nothing of the repository is reachable by
    /// a relative path.
    fn run(&self, args: &[&str]) -> std::process::Output {
        use std::process::Stdio;
        let child = {
            let _spawning = SPAWN
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            std::process::Command::new(&self.binary)
                .args(args)
                .current_dir(self.dir.path())
                .env_remove("NO_COLOR")
                .env_remove("CLICOLOR_FORCE")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the installed binary starts")
        };
        child.wait_with_output().expect("the installed binary runs")
    }

    fn text(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "ticketkpi {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8")
    }
}

fn repository_file(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_definitions_and_pages_are_built_in() {
    let copy = installed(&[]);
    assert_eq!(
        copy.text(&["help", "metrics"]),
        repository_file("docs/metrics.md")
    );
    assert_eq!(
        copy.text(&["help", "config"]),
        repository_file("docs/config.md")
    );
    assert_eq!(
        copy.text(&["help", "mappings"]),
        repository_file("docs/mappings.md")
    );
    assert_eq!(
        copy.text(&["help", "json"]),
        repository_file("docs/json-schema.md")
    );
}

#[test]
fn the_schema_and_the_example_config_are_built_in() {
    let copy = installed(&[]);
    assert_eq!(
        copy.text(&["schema"]),
        repository_file("docs/schema/report.schema.json")
    );
    assert_eq!(
        copy.text(&["init", "--stdout"]),
        repository_file("examples/ticketkpi.toml")
    );
}

#[test]
fn presets_are_built_in_and_the_footer_points_to_the_built_in_definitions() {
    let copy = installed(&["tests/fixtures/presets/zendesk.csv"]);
    let table = copy.text(&["report", "zendesk.csv", "--preset", "zendesk"]);
    assert!(table.contains("Tickets"), "{table}");
    assert!(
        common::flat(&table).contains("Definitions: ticketkpi help metrics."),
        "{table}"
    );
    // Detected from the header too, with nothing but the binary and the export.
    let json = copy.text(&["report", "zendesk.csv", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(report["input"]["read_as"][0]["mapping"], "zendesk");
}

#[test]
fn help_of_a_command_and_of_an_unknown_topic() {
    let copy = installed(&[]);
    assert!(copy.text(&["help", "report"]).contains("--period"));
    let output = copy.run(&["help", "metric"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("metrics"));
}

#[test]
fn cargo_toml_carries_what_publishing_needs() {
    let manifest: toml::Table = repository_file("Cargo.toml").parse().expect("TOML");
    let package = manifest["package"].as_table().expect("[package]");
    for key in [
        "description",
        "license",
        "repository",
        "readme",
        "rust-version",
    ] {
        let value = package.get(key).and_then(toml::Value::as_str);
        assert!(value.is_some_and(|v| !v.is_empty()), "package.{key}");
    }
    assert_eq!(package["license"].as_str(), Some("MIT OR Apache-2.0"));
    for file in ["LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(std::path::Path::new(file).is_file(), "{file} is missing");
    }
    let keywords = package["keywords"].as_array().expect("keywords");
    assert!(
        !keywords.is_empty() && keywords.len() <= 5,
        "crates.io takes 5"
    );
    assert!(
        !package["categories"]
            .as_array()
            .expect("categories")
            .is_empty()
    );
    // What the binary builds in must be in the package: every include_str! of src/.
    let include = package["include"].as_array().expect("include");
    let included = |path: &str| {
        include
            .iter()
            .filter_map(toml::Value::as_str)
            .any(|pattern| {
                let pattern = pattern.trim_start_matches('/');
                match pattern.split_once('*') {
                    Some((prefix, _)) => path.starts_with(prefix),
                    None => path == pattern,
                }
            })
    };
    for path in built_in_files() {
        assert!(included(&path), "{path} is built in but not packaged");
    }
}

/// The repository files that src/ builds in with include_str!, relative to the root.
fn built_in_files() -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![PathBuf::from("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("src") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for (_, rest) in text
                .match_indices("include_str!(\"")
                .map(|(i, _)| text.split_at(i + 14))
            {
                let Some((relative, _)) = rest.split_once('"') else {
                    continue;
                };
                let file = folder.join(relative);
                let normal = std::fs::canonicalize(&file)
                    .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                let root = std::fs::canonicalize(".").expect("the root");
                let relative = normal.strip_prefix(&root).expect("inside the repository");
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    assert!(found.len() >= 10, "include_str! found: {found:?}");
    found
}

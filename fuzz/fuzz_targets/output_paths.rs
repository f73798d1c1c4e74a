//! `-o` and `--rejects` (and `init`) aimed at any of a scratch directory's names: the input,
//! a symbolic and a hard link to it, a dangling link, the config file, an earlier report, a
//! directory, a device, a new file, standard output, and spellings of these through `..`
//! and `.`. Whatever the choice, through the command line as a user runs it:
//!
//! - no input (the export, its links, the config) is changed;
//! - a run refused or failed changes nothing and leaves no temporary file;
//! - a run that succeeds leaves no temporary file and writes its file outputs;
//! - an output that is an input, or two outputs that are one file, or both on standard
//!   output, is refused (as the harness computes it, independently, from file identities);
//! - nothing is created where a dangling link points.
//!
//! Bytes: command, `-o` choice, `--rejects` choice, input choice, format.

#![no_main]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use clap::Parser;
use libfuzzer_sys::fuzz_target;
use ticketkpi::cli::Cli;

const EXPORT: &str = "ticket_id,timestamp,event,author_type,channel,status\n\
                      T1,2026-03-02T09:00:00Z,message,customer,email,new\n\
                      T1,2026-03-02T09:30:00Z,message,agent,email,solved\n\
                      T2,bad,message,customer,chat,\n";
const CONFIG: &str = "[report]\ntz = \"UTC\"\n";
const OLD: &str = "last week's report";

/// Names to aim outputs (and inputs) at; `None` leaves the option out.
const NAMES: [Option<&str>; 16] = [
    None,
    Some("in.csv"),
    Some("link.csv"),
    Some("hard.csv"),
    Some("dangling"),
    Some("c.toml"),
    Some("old.txt"),
    Some("new.txt"),
    Some("sub/../in.csv"),
    Some("./old.txt"),
    Some("sub/new.txt"),
    Some("sub"),
    Some("/dev/null"),
    Some("-"),
    Some("sub/../new.txt"),
    Some("missing/new.txt"),
];

const INPUTS: [&str; 4] = ["in.csv", "link.csv", "hard.csv", "sub/../in.csv"];

fn scratch() -> PathBuf {
    static RUN: AtomicU64 = AtomicU64::new(0);
    let run = RUN.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir()
        .join(format!("ticketkpi-fuzz-paths-{}", std::process::id()))
        .join(run.to_string());
    fs::create_dir_all(dir.join("sub")).expect("scratch directory");
    // Canonical, so that the paths of the snapshots are those that links resolve to.
    let dir = fs::canonicalize(&dir).expect("canonical");
    fs::write(dir.join("in.csv"), EXPORT).expect("input");
    fs::write(dir.join("c.toml"), CONFIG).expect("config");
    fs::write(dir.join("old.txt"), OLD).expect("old report");
    std::os::unix::fs::symlink(dir.join("in.csv"), dir.join("link.csv")).expect("symlink");
    fs::hard_link(dir.join("in.csv"), dir.join("hard.csv")).expect("hard link");
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).expect("dangling");
    dir
}

/// Every file under `dir` (not following links) with its content, for before and after.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        for entry in fs::read_dir(&at).expect("readable").flatten() {
            let path = entry.path();
            let kind = entry.file_type().expect("a type");
            if kind.is_dir() {
                pending.push(path.clone());
                files.insert(path, None);
            } else if kind.is_symlink() {
                files.insert(path.clone(), Some(fs::read_link(&path).expect("link").into_os_string().into_encoded_bytes()));
            } else {
                files.insert(path.clone(), Some(fs::read(&path).expect("file")));
            }
        }
    }
    files
}

/// What names one file, computed here without ticketkpi's code: canonical path, and device
/// and inode when it exists. `None` for standard output and for what is not a regular file
/// (or a new one).
fn identity(dir: &Path, name: &str) -> Option<(PathBuf, Option<(u64, u64)>)> {
    if name == "-" {
        return None;
    }
    let path = dir.join(name);
    match fs::metadata(&path) {
        Ok(metadata) if metadata.is_file() => Some((
            fs::canonicalize(&path).ok()?,
            Some((metadata.dev(), metadata.ino())),
        )),
        Ok(_) => None,
        Err(_) => {
            let parent = fs::canonicalize(path.parent()?).ok()?;
            Some((parent.join(path.file_name()?), None))
        }
    }
}

fn same(a: &Option<(PathBuf, Option<(u64, u64)>)>, b: &Option<(PathBuf, Option<(u64, u64)>)>) -> bool {
    match (a, b) {
        (Some((path_a, id_a)), Some((path_b, id_b))) => {
            path_a == path_b || (id_a.is_some() && id_a == id_b)
        }
        _ => false,
    }
}

fn is_temporary(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.starts_with('.') && name.ends_with(".tmp"))
}

fuzz_target!(|data: &[u8]| {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0) as usize;
    let dir = scratch();
    let output = NAMES[byte(1) % NAMES.len()];
    let rejects = NAMES[byte(2) % NAMES.len()];
    let input = INPUTS[byte(3) % INPUTS.len()];
    let command = ["report", "tickets", "sla", "inspect", "init"][byte(0) % 5];
    let format = ["json", "csv", "markdown", "table"][byte(4) % 4];

    let path = |name: &str| -> String {
        if name == "-" || name.starts_with('/') {
            name.to_owned()
        } else {
            dir.join(name).to_string_lossy().into_owned()
        }
    };
    let mut args: Vec<String> = vec!["ticketkpi".into(), command.into()];
    if command == "init" {
        args.push(path(output.unwrap_or("ticketkpi.toml")));
        if byte(2) % 2 == 1 {
            args.push("--force".into());
        }
    } else {
        args.extend([path(input), "--config".into(), path("c.toml"), "-q".into()]);
        if command != "inspect" {
            args.extend(["--format".into(), format.into()]);
            if let Some(name) = output {
                args.extend(["-o".into(), path(name)]);
            }
        }
        if let Some(name) = rejects {
            args.extend(["--rejects".into(), path(name)]);
        }
    }
    let before = snapshot(&dir);
    let Ok(cli) = Cli::try_parse_from(&args) else {
        return;
    };
    let target_before = identity(&dir, output.unwrap_or("ticketkpi.toml"));
    let result = ticketkpi::run(&cli);
    let after = snapshot(&dir);

    if command == "init" {
        // `init --force` replaces the file it is given (through a link, its target), and
        // nothing else; without --force an existing name is left alone.
        let changed: Vec<&PathBuf> = after
            .iter()
            .filter(|(path, content)| before.get(*path) != Some(content))
            .map(|(path, _)| path)
            .chain(before.keys().filter(|path| !after.contains_key(*path)))
            .collect();
        let allowed = target_before.map(|(path, _)| path);
        assert!(
            changed.iter().all(|path| Some(*path) == allowed.as_ref()),
            "init changed {changed:?}: {args:?}"
        );
        assert!(!dir.join("nowhere").exists(), "written through a dangling link: {args:?}");
        let _ = fs::remove_dir_all(&dir);
        return;
    }
    assert_eq!(fs::read_to_string(dir.join("in.csv")).ok().as_deref(), Some(EXPORT), "{args:?}");
    assert_eq!(fs::read_to_string(dir.join("c.toml")).ok().as_deref(), Some(CONFIG), "{args:?}");
    assert_eq!(fs::read_link(dir.join("link.csv")).ok(), Some(dir.join("in.csv")), "{args:?}");
    assert!(!dir.join("nowhere").exists(), "written through a dangling link: {args:?}");
    assert!(
        !after.keys().any(|path| is_temporary(path)),
        "a temporary file was left: {args:?}: {:?}",
        after.keys().collect::<Vec<_>>()
    );
    if result.is_err() {
        assert_eq!(before, after, "a failed run changed files: {args:?}");
    }
    {
        let report = if command == "inspect" { Some("-") } else { output.or(Some("-")) };
        let inputs = [identity(&dir, input), identity(&dir, "c.toml")];
        let outputs: Vec<_> = [report, rejects]
            .into_iter()
            .flatten()
            .map(|name| identity(&dir, name))
            .collect();
        let clobbers = outputs.iter().any(|out| inputs.iter().any(|inp| same(out, inp)));
        let collide = outputs.len() == 2 && same(&outputs[0], &outputs[1]);
        let both_stdout = rejects == Some("-") && report == Some("-");
        if clobbers || collide || both_stdout {
            assert!(result.is_err(), "should have been refused: {args:?}");
        }
        if result.is_ok() {
            // Every file output is in place (stdout, devices and directories aside).
            let report_file = output.filter(|_| command != "inspect");
            for name in [report_file, rejects].into_iter().flatten() {
                let target = dir.join(name);
                if name != "-" && !name.starts_with('/') {
                    let written = fs::read(&target).expect("the output exists");
                    assert_ne!(written, OLD.as_bytes(), "{name} was not replaced: {args:?}");
                }
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
});

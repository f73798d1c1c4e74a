//! `--state DIR`: what the next night needs, so that a nightly run reads only the new export.
//!
//! The state holds the events of the tickets still live (open, or solved too recently to be
//! settled) in one binary file, the tickets settled on earlier nights folded into the
//! report's accumulators (`fold`: their state and an index of their ids), the events of those
//! folded tickets in archive files that a night reads only to re-derive, and a manifest
//! (`state.json`): its format and the report's schema version, the settings that decide how
//! rows become events (the key), the nights added with a digest of their rows, the inputs'
//! statistics counted on from night to night, and the table of values. A night reads the
//! live events and the fold, parses its own export, derives the live tickets and merges the
//! fold's accumulators: the report is that of one run over all the exports, to the byte.
//! When the fold cannot serve (other settings, rows of a folded ticket, an earlier `--as-of`)
//! the night reads the archive too and derives every ticket, as one run does, and folds again.
//!
//! Written atomically: the night's new files first, then the manifest, each put in place
//! only when complete; files the manifest no longer names are removed after it. A run that
//! fails leaves the state as it was (a file the manifest does not list is never read).

pub mod events;
pub mod fold;
pub mod night;

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::error::BadValue;
use crate::ingest::Event;
use crate::ingest::{InputStats, Shape};
use crate::output::PendingFile;
use crate::pipeline::ReadEvents;
use crate::report::SCHEMA_VERSION;
use crate::symbols::{Sym, Symbols};

/// The manifest's format; another one is refused (format 1 kept every night's events in
/// one file a night, read back every night).
pub const FORMAT: u32 = 2;
const MANIFEST: &str = "state.json";
/// How to get on after a damaged state: nothing in it can be trusted any more.
const RESTORE: &str = "restore the folder from a backup, or start a new state folder and \
                       run once over every export";

/// What decides how rows become events: setting name -> its value (or a hash of its text).
pub type Key = BTreeMap<String, String>;

/// `state.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub schema_version: u32,
    pub tool_version: String,
    pub key: Key,
    pub nights: Vec<Night>,
    pub stats: InputStats,
    /// The values' table, in symbol order.
    pub symbols: Vec<String>,
    /// The live tickets' events.
    pub live: EventsFile,
    /// The folded tickets' events, by the night that folded them: read only to re-derive.
    pub archive: Vec<EventsFile>,
    /// The folded tickets' accumulators and ids; none until a ticket settles.
    pub fold: Option<FoldFile>,
    /// Nights that could not use the fold and re-derived every ticket from the archive.
    pub rederived: u64,
}

/// An events file of the state and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventsFile {
    pub file: String,
    pub events: u64,
    pub tickets: u64,
}

/// The fold's file and what it was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoldFile {
    pub file: String,
    /// The settings its accumulators depend on ([`fold::fold_key`]).
    pub key: Key,
    /// The `as_of` it was made at: it serves a night at that `as_of` or later.
    pub as_of: crate::time::Instant,
    pub tickets: u64,
}

/// One night added to the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Night {
    /// 1 for the first night.
    pub night: usize,
    /// The inputs it read, as given.
    pub inputs: Vec<String>,
    pub rows: u64,
    pub events: u64,
    /// The multiset of its valid rows (ticket, time, row fingerprint): equal for the same
    /// rows in any order.
    pub digest: String,
}

/// A state folder, opened and checked against this run's settings.
#[derive(Debug)]
pub struct State {
    dir: PathBuf,
    key: Key,
    /// `None`: a new state (the folder or its manifest does not exist yet).
    manifest: Option<Manifest>,
}

fn refused(dir: &Path, reason: String) -> BadValue {
    BadValue {
        option: "state",
        value: dir.display().to_string(),
        reason,
    }
}

impl State {
    /// Opens `dir`: a state made with other settings, by another format or for another schema
    /// version is refused (a usage error naming what differs).
    pub fn open(dir: &Path, key: Key) -> anyhow::Result<State> {
        let path = dir.join(MANIFEST);
        if dir.exists() && !dir.is_dir() {
            return Err(refused(dir, "it is a file, not a folder".to_owned()).into());
        }
        let manifest = match std::fs::read(&path) {
            Ok(bytes) => Some(read_manifest(dir, &bytes)?),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", path.display()));
            }
        };
        if let Some(manifest) = &manifest {
            check_key(dir, &manifest.key, &key)?;
        }
        Ok(State {
            dir: dir.to_path_buf(),
            key,
            manifest,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many inputs the earlier nights read: tonight's come after them.
    pub fn earlier_files(&self) -> usize {
        self.manifest.as_ref().map_or(0, |m| m.stats.files.len())
    }

    pub fn nights(&self) -> &[Night] {
        self.manifest.as_ref().map_or(&[], |m| m.nights.as_slice())
    }

    pub fn manifest(&self) -> Option<&Manifest> {
        self.manifest.as_ref()
    }

    /// The state's values table, interned again in its order (the events files name values
    /// by their place in it).
    fn table(&self) -> anyhow::Result<(Symbols, Vec<Sym>)> {
        let mut symbols = Symbols::default();
        let Some(manifest) = &self.manifest else {
            return Ok((symbols, Vec::new()));
        };
        let mut table: Vec<Sym> = Vec::with_capacity(manifest.symbols.len());
        for (index, name) in manifest.symbols.iter().enumerate() {
            let sym = symbols.intern(name);
            if sym.index() != index {
                return Err(refused(
                    &self.dir,
                    format!("its table of values is damaged (\"{name}\" twice); {RESTORE}"),
                )
                .into());
            }
            table.push(sym);
        }
        Ok((symbols, table))
    }

    /// The events the state holds, in the order read: the live tickets', and with
    /// `archive` the folded tickets' before them (each ticket's events are in one file).
    pub fn held(&self, archive: bool) -> anyhow::Result<(Symbols, Vec<(String, Event)>)> {
        let (symbols, table) = self.table()?;
        let Some(manifest) = &self.manifest else {
            return Ok((symbols, Vec::new()));
        };
        let mut held = Vec::new();
        let archived = manifest.archive.iter().filter(|_| archive);
        for file in archived.chain(std::iter::once(&manifest.live)) {
            held.extend(self.read_events(file, &table)?);
        }
        Ok((symbols, held))
    }

    fn read_events(
        &self,
        file: &EventsFile,
        table: &[Sym],
    ) -> anyhow::Result<Vec<(String, Event)>> {
        let path = self.dir.join(&file.file);
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let damaged = |reason: String| {
            refused(
                &self.dir,
                format!("its events file {}: {reason}; {RESTORE}", file.file),
            )
        };
        let events = events::decode(&bytes, table).map_err(damaged)?;
        if events.len() as u64 != file.events {
            return Err(damaged(format!(
                "it holds {} events, and the manifest says {}",
                events.len(),
                file.events
            ))
            .into());
        }
        Ok(events)
    }

    /// The fold, read and checked; none before a ticket settles.
    pub fn folded(&self) -> anyhow::Result<Option<fold::Folded>> {
        let Some(fold) = self.manifest.as_ref().and_then(|m| m.fold.as_ref()) else {
            return Ok(None);
        };
        let path = self.dir.join(&fold.file);
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let folded = fold::decode(&bytes).map_err(|reason| {
            refused(
                &self.dir,
                format!("its fold file {}: {reason}; {RESTORE}", fold.file),
            )
        })?;
        if folded.ids.len() as u64 != fold.tickets || folded.settled.tickets > fold.tickets {
            return Err(refused(
                &self.dir,
                format!(
                    "its fold file {} holds {} tickets, and the manifest says {}; {RESTORE}",
                    fold.file,
                    folded.ids.len(),
                    fold.tickets
                ),
            )
            .into());
        }
        Ok(Some(folded))
    }

    /// The night already in the state whose rows are exactly `read`'s, if any.
    pub fn already_added(&self, read: &ReadEvents) -> Option<&Night> {
        if read.events.is_empty() && read.rejected == 0 {
            return None;
        }
        let digest = digest(read);
        self.nights().iter().find(|night| night.digest == digest)
    }

    /// Writes the state after tonight: `files` (the new live, archive and fold files, by
    /// name, with their bytes) first, then the manifest `next`, then removes the files
    /// the old manifest named and the new one does not.
    pub fn write(&self, files: Vec<(String, Vec<u8>)>, next: Manifest) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create the state folder {}", self.dir.display()))?;
        for (name, bytes) in &files {
            write_atomically(&self.dir.join(name), bytes)?;
        }
        let text = serde_json::to_vec_pretty(&next)?;
        write_atomically(&self.dir.join(MANIFEST), &text)?;
        if let Some(old) = &self.manifest {
            let kept = named_files(&next);
            for stale in named_files(old).difference(&kept) {
                // A file left behind is never read (the manifest does not name it).
                let _ = std::fs::remove_file(self.dir.join(stale));
            }
        }
        Ok(())
    }

    /// The manifest after tonight, before its files are set: the nights with tonight's,
    /// the statistics and values of the whole analysis.
    pub fn next_manifest(
        &self,
        inputs: Vec<String>,
        read: &ReadEvents,
        stats: &InputStats,
        symbols: &Symbols,
    ) -> Manifest {
        let mut nights = self.nights().to_vec();
        let earlier_rows = self.manifest.as_ref().map_or(0, |m| m.stats.rows);
        nights.push(Night {
            night: nights.len() + 1,
            inputs,
            rows: stats.rows.saturating_sub(earlier_rows),
            events: read.events.len() as u64,
            digest: digest(read),
        });
        let earlier = self.manifest.as_ref();
        Manifest {
            format: FORMAT,
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            key: self.key.clone(),
            nights,
            stats: stats.clone(),
            symbols: symbols.names().map(str::to_owned).collect(),
            live: EventsFile {
                file: String::new(),
                events: 0,
                tickets: 0,
            },
            archive: earlier.map_or_else(Vec::new, |m| m.archive.clone()),
            fold: earlier.and_then(|m| m.fold.clone()),
            rederived: earlier.map_or(0, |m| m.rederived),
        }
    }
}

/// The files a manifest names.
fn named_files(manifest: &Manifest) -> std::collections::BTreeSet<String> {
    manifest
        .archive
        .iter()
        .chain(std::iter::once(&manifest.live))
        .map(|file| file.file.clone())
        .chain(manifest.fold.iter().map(|fold| fold.file.clone()))
        .collect()
}

/// `-o FILE` inside the state folder is refused: the state's files are its own, and a
/// report there could be taken for one of them or replace one.
pub fn check_output(dir: &Path, output: &crate::output::Destination) -> Result<(), BadValue> {
    let crate::output::Destination::File(path) = output else {
        return Ok(());
    };
    // Resolved as far as the folders exist (the report and the state may not yet).
    let resolve = |path: &Path| {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let mut existing = absolute.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
                break;
            };
            rest.push(name.to_owned());
            existing = parent;
        }
        let mut resolved = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        resolved.extend(rest.iter().rev());
        resolved
    };
    if !resolve(path).starts_with(resolve(dir)) {
        return Ok(());
    }
    Err(BadValue {
        option: "output",
        value: path.display().to_string(),
        reason: format!(
            "it is inside the state folder {} (--state), whose files are the state's own: \
             write the report elsewhere",
            dir.display()
        ),
    })
}

/// Inputs the state cannot go on from: rows of ticket tables (a later export replaces a
/// ticket's record rather than adding to it) and threads (a reply links to a message of
/// another night only when both are read together).
pub fn check_shapes(dir: &Path, stats: &InputStats) -> Result<(), BadValue> {
    // Events name their input by a 16-bit index (the duplicate rule compares inputs).
    if stats.files.len() > usize::from(u16::MAX) {
        return Err(refused(
            dir,
            format!(
                "it holds {} inputs, the most a state can: start a new state folder",
                u16::MAX
            ),
        ));
    }
    match stats
        .inputs
        .iter()
        .find(|input| input.shape != Shape::Events)
    {
        None => Ok(()),
        Some(input) => Err(refused(
            dir,
            format!(
                "{} is read as {} (mapping {}); --state takes event logs (a row per event) \
                 only, for now: run without --state",
                input.file,
                match input.shape {
                    Shape::Tickets => "a ticket table",
                    Shape::Threads => "threads",
                    Shape::Events => "events",
                },
                input.mapping
            ),
        )),
    }
}

fn read_manifest(dir: &Path, bytes: &[u8]) -> anyhow::Result<Manifest> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| refused(dir, format!("its {MANIFEST} is not JSON ({e}); {RESTORE}")))?;
    let number = |name: &str| value.get(name).and_then(serde_json::Value::as_u64);
    match (number("format"), number("schema_version")) {
        (Some(format), _) if format != u64::from(FORMAT) => {
            return Err(refused(
                dir,
                format!(
                    "it is a state of format {format}, and this ticketkpi reads format \
                     {FORMAT}: start a new state folder"
                ),
            )
            .into());
        }
        (Some(_), Some(version)) if version != u64::from(SCHEMA_VERSION) => {
            return Err(refused(
                dir,
                format!(
                    "it was made for reports of schema_version {version}, and this ticketkpi \
                     writes version {SCHEMA_VERSION}: start a new state folder"
                ),
            )
            .into());
        }
        (Some(_), Some(_)) => {}
        _ => {
            return Err(refused(
                dir,
                format!("its {MANIFEST} is no ticketkpi state (no format or schema_version): name another folder"),
            )
            .into());
        }
    }
    serde_json::from_value(value)
        .map_err(|e| refused(dir, format!("its {MANIFEST} is damaged ({e}); {RESTORE}")).into())
}

/// The state's settings against this run's: every difference named, with both values.
fn check_key(dir: &Path, made: &Key, now: &Key) -> Result<(), BadValue> {
    let names: std::collections::BTreeSet<&String> = made.keys().chain(now.keys()).collect();
    let differences: Vec<String> = names
        .into_iter()
        .filter(|name| made.get(*name) != now.get(*name))
        .map(|name| {
            let show = |value: Option<&String>| value.map_or("(none)", String::as_str).to_owned();
            format!(
                "{name}: the state has {}, this run {}",
                show(made.get(name)),
                show(now.get(name))
            )
        })
        .collect();
    if differences.is_empty() {
        return Ok(());
    }
    Err(refused(
        dir,
        format!(
            "it was made with other settings, which would read rows into other events ({}): \
             run with the state's settings, or start a new state folder",
            differences.join("; ")
        ),
    ))
}

/// Order-independent: the sum of the rows' hashes, and their count.
fn digest(read: &ReadEvents) -> String {
    let sum = read
        .events
        .iter()
        .fold(read.rejected_sum, |sum, (id, event)| {
            let mut hasher = FxHasher::default();
            hasher.write(id.as_bytes());
            hasher.write_i64(event.at);
            hasher.write_u64(event.fingerprint);
            sum.wrapping_add(hasher.finish())
        });
    format!("{}:{}:{sum:016x}", read.events.len(), read.rejected)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let shown = path.display().to_string();
    let mut file = PendingFile::create(path).with_context(|| format!("cannot create {shown}"))?;
    file.write_all(bytes)
        .and_then(|()| file.commit())
        .with_context(|| format!("writing {shown}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Event;

    fn key(tz: &str) -> Key {
        [
            ("tz".to_owned(), tz.to_owned()),
            ("mapping".to_owned(), "detected".to_owned()),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn settings_that_differ_are_named_with_both_values() {
        let dir = Path::new("nightly-state");
        assert_eq!(check_key(dir, &key("UTC"), &key("UTC")), Ok(()));
        let error = check_key(dir, &key("UTC"), &key("Europe/Paris")).expect_err("other tz");
        assert!(
            error
                .reason
                .contains("tz: the state has UTC, this run Europe/Paris"),
            "{}",
            error.reason
        );
        let mut more = key("UTC");
        more.insert("encoding".to_owned(), "latin1".to_owned());
        let error = check_key(dir, &key("UTC"), &more).expect_err("a new setting");
        assert!(
            error
                .reason
                .contains("encoding: the state has (none), this run latin1")
        );
    }

    #[test]
    fn the_digest_is_the_same_for_the_same_rows_in_any_order() {
        let event = |at: i64, fingerprint: u64| Event {
            at,
            kind: crate::ingest::event::EventKind::Message,
            author: None,
            status: None,
            attributes: Default::default(),
            csat: None,
            nps: None,
            sentiment: None,
            handle_seconds: None,
            fingerprint,
            source: 0,
        };
        let read = |events: Vec<(Box<str>, Event)>, rejected: u64| ReadEvents {
            events,
            rejected,
            rejected_sum: rejected * 31,
        };
        let a = read(
            vec![("A".into(), event(1, 7)), ("B".into(), event(2, 8))],
            0,
        );
        let b = read(
            vec![("B".into(), event(2, 8)), ("A".into(), event(1, 7))],
            0,
        );
        let c = read(
            vec![("A".into(), event(1, 7)), ("B".into(), event(2, 9))],
            0,
        );
        let d = read(
            vec![("A".into(), event(1, 7)), ("B".into(), event(2, 8))],
            1,
        );
        assert_eq!(digest(&a), digest(&b));
        assert_ne!(digest(&a), digest(&c));
        assert_ne!(
            digest(&a),
            digest(&d),
            "a rejected row more is another night"
        );
    }

    #[test]
    fn a_manifest_of_another_format_or_schema_version_is_refused() {
        let dir = Path::new("s");
        let other = |text: &str| {
            read_manifest(dir, text.as_bytes())
                .expect_err(text)
                .to_string()
        };
        assert!(other(r#"{"format": 9, "schema_version": 2}"#).contains("state of format 9"));
        assert!(other(r#"{"format": 2, "schema_version": 1}"#).contains("schema_version 1"));
        assert!(
            other(r#"{"format": 1, "schema_version": 2}"#).contains("a state of format 1"),
            "format 1 (every event read back every night) is refused"
        );
        assert!(other(r#"{"nights": []}"#).contains("no ticketkpi state"));
        assert!(other("not json").contains("not JSON"));
    }

    #[test]
    fn input_statistics_survive_the_manifest() {
        use crate::ingest::coverage::{Coverage, Feed};
        use crate::ingest::mapping::MappedField;
        use crate::ingest::row::Field;
        // The coverage's fields are keyed by a field, no text: they travel as pairs.
        let fields = [
            (MappedField::Event(Field::Channel), Feed::Fed),
            (
                MappedField::FirstReplyAt,
                Feed::Absent {
                    columns: "First reply".to_owned(),
                },
            ),
        ];
        let mut stats = InputStats {
            rows: 12,
            coverage: Coverage::new(true, fields.into_iter().collect(), BTreeMap::new()),
            latest: Some(1_772_442_000_000_000),
            ..InputStats::default()
        };
        stats
            .rejects_by_reason
            .insert(crate::ingest::RejectReason::BadTimestamp, 2);
        stats
            .values
            .placeholder_dates
            .insert("Solved at".to_owned(), 3);
        let text = serde_json::to_string(&stats).expect("serialises");
        let back: InputStats = serde_json::from_str(&text).expect("deserialises");
        assert_eq!(back, stats);
    }
}

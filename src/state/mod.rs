//! `--state DIR`: what the next night needs, so that a nightly run reads only the new export.
//!
//! The state holds every event read so far, one binary file per night (`events`), and a
//! manifest (`state.json`): its format and the report's schema version, the settings that
//! decide how rows become events (the key: a state read with other settings would mean other
//! things), the nights added with a digest of their rows, the inputs' statistics counted on
//! from night to night, and the table of values. A night reads the state's events back
//! instead of parsing the old exports, parses its own export, and derives every ticket and
//! KPI as one run over all the exports would: the report is the same, to the byte.
//!
//! Written atomically: the night's events file first, then the manifest, each put in place
//! only when complete; a run that fails leaves the state as it was (an events file the
//! manifest does not list is never read, and is replaced by the next night).

pub mod events;

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::error::BadValue;
use crate::ingest::{InputStats, Shape};
use crate::model::TicketStore;
use crate::output::PendingFile;
use crate::pipeline::{ReadEvents, Resumed};
use crate::report::SCHEMA_VERSION;
use crate::symbols::{Sym, Symbols};

/// The manifest's format; another one is refused.
pub const FORMAT: u32 = 1;
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
}

/// One night added to the state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Night {
    /// Its events file, in the state's folder.
    pub events_file: String,
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

    /// The earlier nights, read back for the pipeline to go on from (nothing, for a new
    /// state).
    pub fn resumed(&self) -> anyhow::Result<Resumed> {
        let Some(manifest) = &self.manifest else {
            return Ok(Resumed {
                stats: InputStats::default(),
                symbols: Symbols::default(),
                store: TicketStore::default(),
            });
        };
        let mut symbols = Symbols::default();
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
        let mut store = TicketStore::default();
        for night in &manifest.nights {
            let path = self.dir.join(&night.events_file);
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let damaged = |reason: String| {
                refused(
                    &self.dir,
                    format!("its events file {}: {reason}; {RESTORE}", night.events_file),
                )
            };
            let events = events::decode(&bytes, &table).map_err(damaged)?;
            if events.len() as u64 != night.events {
                return Err(damaged(format!(
                    "it holds {} events, and the manifest says {}",
                    events.len(),
                    night.events
                ))
                .into());
            }
            for (id, event) in events {
                store.push(&id, event);
            }
        }
        Ok(Resumed {
            stats: manifest.stats.clone(),
            symbols,
            store,
        })
    }

    /// The night already in the state whose rows are exactly `read`'s, if any.
    pub fn already_added(&self, read: &ReadEvents) -> Option<&Night> {
        if read.events.is_empty() && read.rejected == 0 {
            return None;
        }
        let digest = digest(read);
        self.nights().iter().find(|night| night.digest == digest)
    }

    /// Adds the night that read `inputs` and `read`, with the statistics and values of the
    /// whole analysis (`stats`, `symbols`): its events file, then the manifest.
    pub fn add_night(
        &self,
        inputs: Vec<String>,
        read: &ReadEvents,
        stats: &InputStats,
        symbols: &Symbols,
    ) -> anyhow::Result<()> {
        std::fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create the state folder {}", self.dir.display()))?;
        let mut nights = self.nights().to_vec();
        let earlier_rows = self.manifest.as_ref().map_or(0, |m| m.stats.rows);
        let events_file = format!("night-{:06}.events", nights.len() + 1);
        write_atomically(&self.dir.join(&events_file), &events::encode(&read.events))?;
        nights.push(Night {
            events_file,
            inputs,
            rows: stats.rows.saturating_sub(earlier_rows),
            events: read.events.len() as u64,
            digest: digest(read),
        });
        let manifest = Manifest {
            format: FORMAT,
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            key: self.key.clone(),
            nights,
            stats: stats.clone(),
            symbols: symbols.names().map(str::to_owned).collect(),
        };
        let text = serde_json::to_vec_pretty(&manifest)?;
        write_atomically(&self.dir.join(MANIFEST), &text)
    }
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
        assert!(other(r#"{"format": 1, "schema_version": 1}"#).contains("schema_version 1"));
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

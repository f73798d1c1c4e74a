//! One night with a state: the analysis going on from the live tickets and the fold (or,
//! when the fold cannot serve, from every event the state holds), and afterwards the state
//! written with tonight's events, the tickets that settled folded away.

use rustc_hash::FxHashMap;

use super::fold::{self, Folded, Settings};
use super::{EventsFile, FoldFile, State, check_shapes, events};
use crate::ingest::Event;
use crate::model::TicketStore;
use crate::options::AnalysisOptions;
use crate::options::filter::Filter;
use crate::pipeline::{self, Analysis, ReadEvents, Resumed};
use crate::report::escape;

/// Events by ticket id, in the order read.
type Events = Vec<(String, Event)>;
type ReadOrder = Vec<(Box<str>, Event)>;

/// What the night read, for the state to be written once the report is.
pub struct Tonight {
    /// The events the state held before tonight that this night derived from: the live
    /// tickets', or all of them when it re-derived.
    held: Events,
    read: ReadEvents,
    /// The ids of the fold the night merged (its accumulators are the analysis's
    /// `earlier`); none: it derived every ticket.
    folded: Option<Vec<u64>>,
}

/// The analysis of tonight's inputs going on from the state, and what to add to it (none
/// when the state holds these rows already: the report is then the state's).
pub fn analyse(
    state: &State,
    options: &AnalysisOptions,
    filter: &Filter,
) -> anyhow::Result<(Analysis, Option<Tonight>)> {
    let (analysis, tonight) = attempt(state, options, filter)?;
    let Some(night) = state.already_added(&tonight.read) else {
        return Ok((analysis, Some(tonight)));
    };
    eprintln!(
        "ticketkpi: the state already holds these rows (night {}, read from {}): not added \
         again; the report is the state's",
        night.night,
        escape::terminal(&night.inputs.join(", "))
    );
    let without_tonight = AnalysisOptions {
        sources: Vec::new(),
        ..options.clone()
    };
    let (analysis, _) = attempt(state, &without_tonight, filter)?;
    Ok((analysis, None))
}

/// Tonight over the live tickets and the fold; over every event when the fold cannot serve.
fn attempt(
    state: &State,
    options: &AnalysisOptions,
    filter: &Filter,
) -> anyhow::Result<(Analysis, Tonight)> {
    let folded = state.folded()?;
    let (mut analysis, held, read) = derive(state, options, folded.is_none())?;
    check_shapes(state.dir(), &analysis.stats)?;
    let Some(folded) = folded else {
        return Ok((
            analysis,
            Tonight {
                held,
                read,
                folded: None,
            },
        ));
    };
    match why_not(state, &folded, &analysis, &read, options, filter) {
        None => {
            let Folded { ids, settled } = folded;
            analysis.duplicate_events += settled.duplicate_events;
            analysis.repeated_rows += settled.repeated_rows;
            analysis.tickets_filtered_out += settled.filtered_out;
            analysis.earlier = Some(settled);
            Ok((
                analysis,
                Tonight {
                    held,
                    read,
                    folded: Some(ids),
                },
            ))
        }
        Some(reason) => {
            eprintln!("ticketkpi: state: {reason}; re-derived from the archive");
            drop(analysis);
            let (analysis, held, read) = derive(state, options, true)?;
            Ok((
                analysis,
                Tonight {
                    held,
                    read,
                    folded: None,
                },
            ))
        }
    }
}

/// The pipeline over the state's held events (the archive's too with `archive`) and
/// tonight's inputs.
fn derive(
    state: &State,
    options: &AnalysisOptions,
    archive: bool,
) -> anyhow::Result<(Analysis, Events, ReadEvents)> {
    let (symbols, held) = state.held(archive)?;
    let mut store = TicketStore::default();
    for (id, event) in &held {
        store.push(id, event.clone());
    }
    let resumed = Resumed {
        stats: state
            .manifest()
            .map(|m| m.stats.clone())
            .unwrap_or_default(),
        symbols,
        store,
    };
    let (analysis, read) = pipeline::analyse_from(options, Some(resumed))?;
    Ok((analysis, held, read))
}

/// Why the fold cannot serve tonight, if it cannot.
fn why_not(
    state: &State,
    folded: &Folded,
    analysis: &Analysis,
    read: &ReadEvents,
    options: &AnalysisOptions,
    filter: &Filter,
) -> Option<String> {
    let made = state.manifest().and_then(|m| m.fold.as_ref())?;
    let key = fold::fold_key(
        options,
        filter,
        analysis.stats.has_status,
        analysis.stats.coverage.per_event,
    );
    if made.key != key {
        let differ: Vec<&str> = key
            .iter()
            .filter(|(name, value)| made.key.get(*name) != Some(value))
            .map(|(name, _)| name.as_str())
            .collect();
        return Some(format!(
            "the folded tickets were folded with other settings ({})",
            differ.join(", ")
        ));
    }
    if analysis.as_of.is_none_or(|as_of| as_of < made.as_of) {
        return Some("this --as-of is before the fold's".to_owned());
    }
    let mut touched: Vec<&str> = read
        .events
        .iter()
        .map(|(id, _)| &**id)
        .filter(|id| folded.holds(id))
        .collect();
    touched.sort_unstable();
    touched.dedup();
    match touched.len() {
        0 => None,
        1 => Some("1 folded ticket got new rows".to_owned()),
        n => Some(format!("{n} folded tickets got new rows")),
    }
}

/// Adds tonight to the state: its events with the held ones, the tickets settled at
/// tonight's `as_of` folded (into the fold the night merged, or a new one), their events
/// to a new archive file; then the manifest. The analysis's `earlier` is taken: call it
/// once the report is written.
pub fn add(
    state: &State,
    tonight: Tonight,
    analysis: &mut Analysis,
    options: &AnalysisOptions,
    filter: &Filter,
) -> anyhow::Result<()> {
    let inputs = analysis
        .stats
        .files
        .get(state.earlier_files()..)
        .unwrap_or_default()
        .to_vec();
    let mut next = state.next_manifest(inputs, &tonight.read, &analysis.stats, &analysis.symbols);
    let number = next.nights.len();
    let rederived = tonight.folded.is_none() && state.folded()?.is_some();
    if rederived {
        next.rederived += 1;
    }
    // Every event held, by ticket, in the order read.
    let mut order: Vec<&str> = Vec::new();
    let mut by_ticket: FxHashMap<&str, Vec<Event>> = FxHashMap::default();
    let tonight_events = tonight.read.events.iter().map(|(id, e)| (&**id, e));
    for (id, event) in tonight
        .held
        .iter()
        .map(|(id, e)| (id.as_str(), e))
        .chain(tonight_events)
    {
        by_ticket
            .entry(id)
            .or_insert_with(|| {
                order.push(id);
                Vec::new()
            })
            .push(event.clone());
    }
    let earlier = analysis.earlier.take();
    let analysis = &*analysis;
    let context = analysis.context(options);
    let settings = Settings {
        options,
        filter,
        symbols: &analysis.symbols,
        context,
    };
    let (mut ids, mut settled) = match (tonight.folded, earlier) {
        (Some(ids), Some(settled)) => (ids, settled),
        // The archive stays only with the fold: without it, its tickets' events would be
        // neither live nor archived.
        (Some(_), None) => {
            anyhow::bail!("the fold was taken before the night was added to the state")
        }
        (None, _) => {
            // Derived from every event: they are all in `held`, to be split again.
            next.archive.clear();
            next.fold = None;
            (Vec::new(), settings.empty())
        }
    };
    let (mut live, mut archived): (ReadOrder, ReadOrder) = (Vec::new(), Vec::new());
    let (mut live_tickets, mut newly_folded) = (0u64, 0u64);
    for id in order {
        let events = by_ticket.remove(id).unwrap_or_default();
        let settles =
            analysis.as_of.is_some() && fold::fold_if_settled(id, &events, &settings, &mut settled);
        let into = if settles {
            ids.push(fold::id_hash(id));
            newly_folded += 1;
            &mut archived
        } else {
            live_tickets += 1;
            &mut live
        };
        into.extend(events.into_iter().map(|event| (Box::from(id), event)));
    }
    let mut files = Vec::new();
    next.live = EventsFile {
        file: format!("live-{number:06}.events"),
        events: live.len() as u64,
        tickets: live_tickets,
    };
    files.push((next.live.file.clone(), events::encode(&live)));
    if newly_folded > 0 {
        let file = format!("archive-{number:06}.events");
        next.archive.push(EventsFile {
            file: file.clone(),
            events: archived.len() as u64,
            tickets: newly_folded,
        });
        files.push((file, events::encode(&archived)));
        ids.sort_unstable();
        ids.dedup();
        let file = format!("folded-{number:06}.bin");
        next.fold = Some(FoldFile {
            file: file.clone(),
            key: fold::fold_key(
                options,
                filter,
                analysis.stats.has_status,
                analysis.stats.coverage.per_event,
            ),
            as_of: settings.context.as_of,
            tickets: ids.len() as u64,
        });
        files.push((file, fold::encode(&Folded { ids, settled })?));
    }
    state.write(files, next)
}

//! `ticket_fold`: the events of one ticket id (a `GROUP BY ticket_id`) folded into the ticket
//! at `as_of`, by the library's own ticket store: events ordered by time then input order,
//! copies of a row from another file dropped, the walk that derives every fact.
//!
//! DataFusion folds in two phases: each partition collects the events of its groups (the
//! partial state is those events, their labels as text), the states of one ticket id meet
//! after a hash repartition, and the final phase folds them. Nothing is decided before all
//! of a ticket's events are together.

use std::any::Any;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDFImpl, EmitTo, GroupsAccumulator, Signature, Volatility,
};
use datafusion::scalar::ScalarValue;
use serde::{Deserialize, Serialize};
use ticketkpi::ingest::Event;
use ticketkpi::ingest::event::{Attributes, AuthorType, EventKind, Status};
use ticketkpi::model::TicketStore;
use ticketkpi::symbols::{Sym, Symbols};

use crate::columns;
use crate::definitions::Shared;
use crate::facts::{FoldCounts, TicketFacts};

pub const NAME: &str = "ticket_fold";

/// Its arguments, in order: the canonical event log's columns (docs/metrics.md), with the
/// row's place in the input (`seq`: ties in time keep it), a hash of the whole source row and
/// the index of its file (copies of a row in two files are duplicates, within one they are
/// repeats).
pub const ARGUMENTS: [&str; 17] = [
    "ticket_id",
    "seq",
    "timestamp",
    "event",
    "author_type",
    "status",
    "channel",
    "agent",
    "team",
    "priority",
    "category",
    "csat",
    "nps",
    "sentiment",
    "handle_seconds",
    "fingerprint",
    "source",
];

#[derive(Debug)]
pub struct TicketFold {
    shared: Shared,
    signature: Signature,
}

impl TicketFold {
    pub fn new(shared: Shared) -> TicketFold {
        TicketFold {
            shared,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }

    /// The run's settings it was made for: what travels with it in a plan.
    pub fn shared(&self) -> &Shared {
        &self.shared
    }
}

impl PartialEq for TicketFold {
    fn eq(&self, other: &Self) -> bool {
        self.shared.encoded() == other.shared.encoded()
    }
}

impl Eq for TicketFold {}

impl Hash for TicketFold {
    fn hash<H: Hasher>(&self, state: &mut H) {
        NAME.hash(state);
        self.shared.encoded().hash(state);
    }
}

impl AggregateUDFImpl for TicketFold {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, given: &[DataType]) -> Result<Vec<DataType>> {
        if given.len() != ARGUMENTS.len() {
            return Err(columns::arity_error(
                NAME,
                &format!("the {} columns {}", ARGUMENTS.len(), ARGUMENTS.join(", ")),
                given.len(),
            ));
        }
        Ok(given
            .iter()
            .enumerate()
            .map(|(index, data_type)| match index {
                1 | 15 => DataType::UInt64,
                2 => columns::instant_type(data_type),
                11..=14 => DataType::Float64,
                16 => DataType::UInt16,
                _ => columns::text_type(data_type),
            })
            .collect())
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(OneTicket(Groups::new(self.shared.clone()))))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("events", DataType::Binary, true))])
    }

    fn groups_accumulator_supported(&self, _: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(Groups::new(self.shared.clone())))
    }
}

/// The events of one ticket id, as collected.
#[derive(Debug, Default)]
struct Collected {
    id: Option<String>,
    /// `(seq, event)`: the row's place in the input orders events of one instant.
    events: Vec<(u64, Event)>,
}

/// Every group's events; their labels in one table for the whole accumulator.
#[derive(Debug)]
pub struct Groups {
    shared: Shared,
    symbols: Symbols,
    groups: Vec<Collected>,
    events: usize,
}

/// An event as the partial state carries it: labels as indices into its ticket's own list.
#[derive(Debug, Serialize, Deserialize)]
struct WireEvent {
    seq: u64,
    at: i64,
    kind: u8,
    author: Option<u8>,
    status: Option<u8>,
    /// channel, agent, team, priority, category.
    labels: [u32; 5],
    csat: Option<f64>,
    nps: Option<f64>,
    sentiment: Option<f64>,
    handle_seconds: Option<f64>,
    fingerprint: u64,
    source: u16,
}

#[derive(Debug, Serialize, Deserialize)]
struct WireTicket {
    id: Option<String>,
    labels: Vec<String>,
    events: Vec<WireEvent>,
}

fn position<T: PartialEq>(all: &[T], value: T) -> u8 {
    all.iter().position(|v| *v == value).unwrap_or_default() as u8
}

fn nth<T: Copy>(all: &[T], index: u8) -> Result<T> {
    all.get(usize::from(index)).copied().ok_or_else(|| {
        DataFusionError::Execution(format!("{NAME}: a partial state names value {index}"))
    })
}

/// A vocabulary value by its name (the canonical spelling); empty or null is none.
fn vocabulary<T: std::str::FromStr>(
    argument: &str,
    text: Option<&str>,
    names: &[&str],
) -> Result<Option<T>> {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            DataFusionError::Execution(format!(
                "{NAME}: {argument} '{text}' is none of {}; read the export with ticketkpi's \
                 mappings first (ticketkpi-datafusion report does) or map it in SQL",
                names.join(", ")
            ))
        }),
    }
}

impl Groups {
    fn new(shared: Shared) -> Groups {
        Groups {
            shared,
            symbols: Symbols::default(),
            groups: Vec::new(),
            events: 0,
        }
    }

    fn grow(&mut self, total: usize) {
        if self.groups.len() < total {
            self.groups.resize_with(total, Collected::default);
        }
    }

    fn update(
        &mut self,
        values: &[ArrayRef],
        group_of: impl Fn(usize) -> usize,
        filter: Option<&BooleanArray>,
    ) -> Result<()> {
        let [
            ids,
            seqs,
            times,
            kinds,
            authors,
            statuses,
            channel,
            agent,
            team,
            priority,
            category,
            csat,
            nps,
            sentiment,
            handle,
            fingerprints,
            sources,
        ] = values
        else {
            return Err(columns::arity_error(NAME, "17 columns", values.len()));
        };
        let ids = columns::strings(ids)?;
        let seqs = columns::unsigned(seqs)?;
        let times = columns::instants(times)?;
        let (kinds, authors, statuses) = (
            columns::strings(kinds)?,
            columns::strings(authors)?,
            columns::strings(statuses)?,
        );
        let labels = [channel, agent, team, priority, category]
            .map(columns::strings)
            .into_iter()
            .collect::<Result<Vec<_>>>()?;
        let numbers = [csat, nps, sentiment, handle]
            .map(columns::floats)
            .into_iter()
            .collect::<Result<Vec<_>>>()?;
        let (fingerprints, sources) =
            (columns::unsigned(fingerprints)?, columns::sources(sources)?);
        for (row, at) in times.iter().copied().enumerate() {
            if !columns::passes(filter, row) {
                continue;
            }
            let Some(at) = at else {
                return Err(DataFusionError::Execution(format!(
                    "{NAME}: a row of ticket {} has no timestamp",
                    columns::text(&ids, row).unwrap_or_default()
                )));
            };
            let kind =
                vocabulary::<EventKind>("event", columns::text(&kinds, row), &EventKind::NAMES)?
                    .unwrap_or(EventKind::Message);
            let author = vocabulary(
                "author_type",
                columns::text(&authors, row),
                &AuthorType::NAMES,
            )?;
            let status = vocabulary("status", columns::text(&statuses, row), &Status::NAMES)?;
            let mut sym = |index: usize| {
                let text = columns::text(&labels[index], row).unwrap_or_default();
                self.symbols.intern(text)
            };
            let attributes = Attributes {
                channel: sym(0),
                agent: sym(1),
                team: sym(2),
                priority: sym(3),
                category: sym(4),
            };
            let event = Event {
                at,
                kind,
                author,
                status,
                attributes,
                csat: columns::float(&numbers[0], row),
                nps: columns::float(&numbers[1], row),
                sentiment: columns::float(&numbers[2], row),
                handle_seconds: columns::float(&numbers[3], row),
                fingerprint: fingerprints.value(row),
                source: sources.value(row),
            };
            let group = &mut self.groups[group_of(row)];
            if group.id.is_none() {
                group.id = columns::text(&ids, row).map(str::to_owned);
            }
            group.events.push((seqs.value(row), event));
            self.events += 1;
        }
        Ok(())
    }

    fn merge(&mut self, states: &[ArrayRef], group_of: impl Fn(usize) -> usize) -> Result<()> {
        let [state] = states else {
            return Err(columns::arity_error(NAME, "one state column", states.len()));
        };
        let state = columns::binary(state)?;
        for row in 0..state.len() {
            if state.is_null(row) {
                continue;
            }
            let wire: WireTicket = postcard::from_bytes(state.value(row)).map_err(|error| {
                DataFusionError::Execution(format!("{NAME}: reading a partial state: {error}"))
            })?;
            let map = self
                .symbols
                .absorb_names(wire.labels.iter().map(String::as_str));
            let group = &mut self.groups[group_of(row)];
            if group.id.is_none() {
                group.id = wire.id;
            }
            for event in wire.events {
                group.events.push(unwire(event, &map)?);
                self.events += 1;
            }
        }
        Ok(())
    }

    /// The emitted groups, their events no longer counted as held.
    fn take(&mut self, emit_to: EmitTo) -> Vec<Collected> {
        let emitted = emit_to.take_needed(&mut self.groups);
        self.events -= emitted
            .iter()
            .map(|group| group.events.len())
            .sum::<usize>();
        emitted
    }

    /// The emitted groups' events, as the partial state.
    fn state(&mut self, emit_to: EmitTo) -> Vec<Option<Vec<u8>>> {
        self.take(emit_to)
            .into_iter()
            .map(|group| postcard::to_stdvec(&wire(group, &self.symbols)).ok())
            .collect()
    }

    /// The emitted groups folded into their tickets.
    fn evaluate(&mut self, emit_to: EmitTo) -> Result<Vec<Option<Vec<u8>>>> {
        self.take(emit_to)
            .into_iter()
            .map(|group| self.fold(group).map(Some))
            .collect()
    }

    /// One ticket id's events through the library's ticket store.
    fn fold(&self, mut group: Collected) -> Result<Vec<u8>> {
        let id = group.id.take().unwrap_or_default();
        // Input order: the store keeps it for events of one instant.
        group.events.sort_by_key(|(seq, _)| *seq);
        let mut store = TicketStore::default();
        for (_, event) in group.events {
            store.push(&id, event);
        }
        let mut tickets = store.into_tickets(self.shared.definitions.as_of);
        let counts = FoldCounts {
            events_after_as_of: tickets.events_after_as_of,
            duplicate_events: tickets.duplicate_events,
            repeated_rows: tickets.repeated_rows,
        };
        TicketFacts::new(tickets.tickets.pop(), &self.symbols, counts).encode()
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.groups.capacity() * std::mem::size_of::<Collected>()
            + self.events * std::mem::size_of::<(u64, Event)>()
            + usize::try_from(self.symbols.estimated_bytes()).unwrap_or(usize::MAX)
    }
}

fn wire(group: Collected, symbols: &Symbols) -> WireTicket {
    let mut own = Symbols::default();
    let mut local = |sym: Sym| own.intern(symbols.name(sym)).index() as u32;
    let events = group
        .events
        .into_iter()
        .map(|(seq, event)| {
            let a = event.attributes;
            WireEvent {
                seq,
                at: event.at,
                kind: position(&EventKind::ALL, event.kind),
                author: event
                    .author
                    .map(|author| position(&AuthorType::ALL, author)),
                status: event.status.map(|status| position(&Status::ALL, status)),
                labels: [
                    local(a.channel),
                    local(a.agent),
                    local(a.team),
                    local(a.priority),
                    local(a.category),
                ],
                csat: event.csat,
                nps: event.nps,
                sentiment: event.sentiment,
                handle_seconds: event.handle_seconds,
                fingerprint: event.fingerprint,
                source: event.source,
            }
        })
        .collect();
    WireTicket {
        id: group.id,
        labels: own.names().map(str::to_owned).collect(),
        events,
    }
}

fn unwire(event: WireEvent, map: &[Sym]) -> Result<(u64, Event)> {
    let label = |index: u32| {
        map.get(index as usize).copied().ok_or_else(|| {
            DataFusionError::Execution(format!("{NAME}: a partial state names label {index}"))
        })
    };
    let [channel, agent, team, priority, category] = event.labels;
    Ok((
        event.seq,
        Event {
            at: event.at,
            kind: nth(&EventKind::ALL, event.kind)?,
            author: event.author.map(|a| nth(&AuthorType::ALL, a)).transpose()?,
            status: event.status.map(|s| nth(&Status::ALL, s)).transpose()?,
            attributes: Attributes {
                channel: label(channel)?,
                agent: label(agent)?,
                team: label(team)?,
                priority: label(priority)?,
                category: label(category)?,
            },
            csat: event.csat,
            nps: event.nps,
            sentiment: event.sentiment,
            handle_seconds: event.handle_seconds,
            fingerprint: event.fingerprint,
            source: event.source,
        },
    ))
}

impl GroupsAccumulator for Groups {
    fn update_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        opt_filter: Option<&BooleanArray>,
        total_num_groups: usize,
    ) -> Result<()> {
        self.grow(total_num_groups);
        self.update(values, |row| group_indices[row], opt_filter)
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        Ok(columns::binary_array(Groups::evaluate(self, emit_to)?))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        Ok(vec![columns::binary_array(Groups::state(self, emit_to))])
    }

    fn merge_batch(
        &mut self,
        values: &[ArrayRef],
        group_indices: &[usize],
        total_num_groups: usize,
    ) -> Result<()> {
        self.grow(total_num_groups);
        self.merge(values, |row| group_indices[row])
    }

    /// Each row its own group: what DataFusion asks when a partial phase would not reduce.
    fn convert_to_state(
        &self,
        values: &[ArrayRef],
        opt_filter: Option<&BooleanArray>,
    ) -> Result<Vec<ArrayRef>> {
        let rows = values.first().map_or(0, |array| array.len());
        let mut each = Groups::new(self.shared.clone());
        each.grow(rows);
        each.update(values, |row| row, opt_filter)?;
        Ok(vec![columns::binary_array(each.state(EmitTo::All))])
    }

    fn size(&self) -> usize {
        Groups::size(self)
    }
}

/// The row-wise form DataFusion also asks for: one group.
#[derive(Debug)]
struct OneTicket(Groups);

impl Accumulator for OneTicket {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.0.grow(1);
        self.0.update(values, |_| 0, None)
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.0.grow(1);
        let value = self.0.evaluate(EmitTo::All)?.pop().flatten();
        Ok(ScalarValue::Binary(value))
    }

    fn size(&self) -> usize {
        self.0.size()
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.0.grow(1);
        let value = self.0.state(EmitTo::All).pop().flatten();
        Ok(vec![ScalarValue::Binary(value)])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.0.grow(1);
        self.0.merge(states, |_| 0)
    }
}

/// So that `any` is read as the type it is.
pub fn downcast(function: &dyn AggregateUDFImpl) -> Option<&TicketFold> {
    (function as &dyn Any).downcast_ref()
}

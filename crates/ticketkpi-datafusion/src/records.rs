//! `ticket_record_fold`: the rows of a ticket-level export (one or more per ticket id, when an
//! export repeats a ticket as audit rows) into the ticket at `as_of`, by the library's ticket
//! store: the row with the greatest `order_by` wins, the later one among equals.
//!
//! A row travels as the library's `TicketRecord`, validated by ticketkpi's mappings when the
//! export was read, with its labels as text.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use serde::{Deserialize, Serialize};
use ticketkpi::ingest::TicketRecord;
use ticketkpi::model::TicketStore;
use ticketkpi::symbols::{Sym, Symbols};

use crate::columns;
use crate::definitions::Shared;
use crate::facts::{FoldCounts, TicketFacts};

pub const NAME: &str = "ticket_record_fold";

/// Its arguments: the row's place in the input, and the row as [`encode_record`] writes it.
pub const ARGUMENTS: [&str; 2] = ["seq", "record"];

/// A ticket row as it travels: its symbols index `labels`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct WireRecord {
    record: TicketRecord,
    labels: Vec<String>,
}

fn symbols_of(record: &mut TicketRecord) -> [&mut Sym; 5] {
    let attributes = &mut record.attributes;
    [
        &mut attributes.channel,
        &mut attributes.agent,
        &mut attributes.team,
        &mut attributes.priority,
        &mut attributes.category,
    ]
}

/// A validated ticket row, its symbols read in `symbols`, as `ticket_record_fold` reads it.
pub fn encode_record(mut record: TicketRecord, symbols: &Symbols) -> Result<Vec<u8>> {
    // Tags and custom attributes do not travel: no KPI reads them, and the engine refuses
    // what does (`--by tag`; `report_with`).
    record.extras = Default::default();
    let mut own = Symbols::default();
    for sym in symbols_of(&mut record) {
        *sym = own.intern(symbols.name(*sym));
    }
    let wire = WireRecord {
        record,
        labels: own.names().map(str::to_owned).collect(),
    };
    postcard::to_stdvec(&wire)
        .map_err(|error| DataFusionError::Internal(format!("encoding a ticket row: {error}")))
}

fn decode_record(bytes: &[u8], symbols: &mut Symbols) -> Result<TicketRecord> {
    let wire: WireRecord = postcard::from_bytes(bytes).map_err(|error| {
        DataFusionError::Execution(format!("{NAME}: reading a ticket row: {error}"))
    })?;
    let map = symbols.absorb_names(wire.labels.iter().map(String::as_str));
    let mut record = wire.record;
    for sym in symbols_of(&mut record) {
        *sym = sym.remapped(&map);
    }
    Ok(record)
}

#[derive(Debug)]
pub struct TicketRecordFold {
    shared: Shared,
    signature: Signature,
}

impl TicketRecordFold {
    /// The run's settings it was made for: what travels with it in a plan.
    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    pub fn new(shared: Shared) -> TicketRecordFold {
        TicketRecordFold {
            shared,
            signature: Signature::user_defined(Volatility::Immutable),
        }
    }
}

impl PartialEq for TicketRecordFold {
    fn eq(&self, other: &Self) -> bool {
        self.shared.encoded() == other.shared.encoded()
    }
}

impl Eq for TicketRecordFold {}

impl Hash for TicketRecordFold {
    fn hash<H: Hasher>(&self, state: &mut H) {
        NAME.hash(state);
        self.shared.encoded().hash(state);
    }
}

impl AggregateUDFImpl for TicketRecordFold {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, given: &[DataType]) -> Result<Vec<DataType>> {
        if given.len() != ARGUMENTS.len() {
            return Err(columns::arity_error(NAME, "seq and record", given.len()));
        }
        Ok(vec![DataType::UInt64, DataType::Binary])
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Rows {
            shared: self.shared.clone(),
            rows: Vec::new(),
        }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("rows", DataType::Binary, true))])
    }
}

/// The rows of one ticket id, with their place in the input.
#[derive(Debug)]
struct Rows {
    shared: Shared,
    rows: Vec<(u64, Vec<u8>)>,
}

impl Accumulator for Rows {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let [seqs, records] = values else {
            return Err(columns::arity_error(NAME, "seq and record", values.len()));
        };
        let (seqs, records) = (columns::unsigned(seqs)?, columns::binary(records)?);
        for row in 0..records.len() {
            if !records.is_null(row) {
                self.rows
                    .push((seqs.value(row), records.value(row).to_vec()));
            }
        }
        Ok(())
    }

    /// The row the library's store keeps, as the ticket at `as_of`.
    fn evaluate(&mut self) -> Result<ScalarValue> {
        self.rows.sort_by_key(|(seq, _)| *seq);
        let mut symbols = Symbols::default();
        let mut store = TicketStore::default();
        for (_, bytes) in &self.rows {
            store.push_record(decode_record(bytes, &mut symbols)?);
        }
        let mut tickets = store.into_tickets(self.shared.definitions.as_of);
        let facts = TicketFacts::new(tickets.tickets.pop(), &symbols, FoldCounts::default());
        Ok(ScalarValue::Binary(Some(facts.encode()?)))
    }

    fn size(&self) -> usize {
        std::mem::size_of::<Self>()
            + self
                .rows
                .iter()
                .map(|(_, bytes)| bytes.len() + 32)
                .sum::<usize>()
    }

    /// The rows themselves, with their places.
    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let bytes = postcard::to_stdvec(&self.rows)
            .map_err(|error| DataFusionError::Internal(format!("{NAME}: {error}")))?;
        Ok(vec![ScalarValue::Binary(Some(bytes))])
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [state] = states else {
            return Err(columns::arity_error(NAME, "one state column", states.len()));
        };
        let state = columns::binary(state)?;
        for row in 0..state.len() {
            if state.is_null(row) {
                continue;
            }
            let rows: Vec<(u64, Vec<u8>)> =
                postcard::from_bytes(state.value(row)).map_err(|error| {
                    DataFusionError::Execution(format!("{NAME}: reading a partial state: {error}"))
                })?;
            self.rows.extend(rows);
        }
        Ok(())
    }
}

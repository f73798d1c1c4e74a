//! `ticket_report` and `ticket_kpis`: the per-ticket facts (what `ticket_fold` or
//! `ticket_record_fold` returns) folded by the library's own accumulators, the
//! `metrics::fold::TicketFold` the CLI folds with: observe in each partition, merge the
//! partial folds (their labels re-interned, their value lists concatenated, so percentiles
//! stay exact), finish once.
//!
//! `ticket_report` returns the merged fold unfinished ([`ReportState`]): the overall block
//! and the `--by` groups of the run, which `ticketkpi-datafusion report` finishes into the
//! CLI's JSON. `ticket_kpis` finishes the overall KPI block as JSON text (the `overall`
//! object of the report), for an analyst's own `GROUP BY`.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};
use datafusion::scalar::ScalarValue;
use serde::{Deserialize, Serialize};
use ticketkpi::metrics::fold::{Folded, TicketFold};
use ticketkpi::symbols::Symbols;

use crate::columns;
use crate::definitions::Shared;
use crate::facts::{FoldCounts, TicketFacts};

pub const REPORT: &str = "ticket_report";
pub const KPIS: &str = "ticket_kpis";

/// What the aggregate returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Output {
    /// The merged fold, with the `--by` groups of the run ([`ReportState`] as bytes).
    Report,
    /// The overall KPI block as JSON text.
    Kpis,
}

/// The merged fold as it travels between partitions, and as `ticket_report` returns it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportState {
    pub fold: TicketFold,
    /// The names of the fold's symbols, by index.
    pub labels: Vec<String>,
    pub counts: FoldCounts,
    /// Tickets folded, and tickets left out by `--since`/`--until`.
    pub tickets: u64,
    pub tickets_filtered_out: u64,
}

impl ReportState {
    pub fn decode(bytes: &[u8]) -> Result<ReportState> {
        postcard::from_bytes(bytes).map_err(|error| {
            DataFusionError::Execution(format!("reading a {REPORT} state: {error}"))
        })
    }

    /// The state of no ticket: what a run without a valid row finishes.
    pub fn empty(shared: &Shared) -> ReportState {
        Kpis::new(shared.clone(), Output::Report).state
    }

    /// Finishes the fold with the library's `finish`: the KPIs of every block.
    pub fn finish(self, shared: &Shared) -> Folded {
        let mut symbols = Symbols::default();
        let map = symbols.absorb_names(self.labels.iter().map(String::as_str));
        let mut fold = self.fold;
        fold.remap_symbols(&map);
        // No period table here (the engine has no --period): `finish` reads the tickets only
        // for the backlog at each period's end.
        fold.finish(&shared.context(&symbols))
    }
}

#[derive(Debug)]
pub struct TicketReport {
    shared: Shared,
    output: Output,
    signature: Signature,
}

impl TicketReport {
    /// The run's settings it was made for: what travels with it in a plan.
    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    pub fn new(shared: Shared, output: Output) -> TicketReport {
        TicketReport {
            shared,
            output,
            signature: Signature::exact(vec![DataType::Binary], Volatility::Immutable),
        }
    }
}

impl PartialEq for TicketReport {
    fn eq(&self, other: &Self) -> bool {
        self.output == other.output && self.shared.encoded() == other.shared.encoded()
    }
}

impl Eq for TicketReport {}

impl Hash for TicketReport {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.output.hash(state);
        self.shared.encoded().hash(state);
    }
}

impl AggregateUDFImpl for TicketReport {
    fn name(&self) -> &str {
        match self.output {
            Output::Report => REPORT,
            Output::Kpis => KPIS,
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.output {
            Output::Report => DataType::Binary,
            Output::Kpis => DataType::Utf8,
        })
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Kpis::new(self.shared.clone(), self.output)))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("fold", DataType::Binary, true))])
    }
}

/// One group's fold, its symbols in its own table.
#[derive(Debug)]
struct Kpis {
    shared: Shared,
    output: Output,
    symbols: Symbols,
    state: ReportState,
}

impl Kpis {
    fn new(shared: Shared, output: Output) -> Kpis {
        let (by, periods) = match output {
            Output::Report => (shared.definitions.by.clone(), shared.periods()),
            Output::Kpis => (Vec::new(), None),
        };
        let tz = shared.tz();
        Kpis {
            shared,
            output,
            symbols: Symbols::default(),
            state: ReportState {
                fold: TicketFold::new(by, tz, periods),
                labels: Vec::new(),
                counts: FoldCounts::default(),
                tickets: 0,
                tickets_filtered_out: 0,
            },
        }
    }

    fn observe(&mut self, facts: TicketFacts) {
        self.state.counts.add(facts.counts);
        let Some(ticket) = facts.into_ticket(&mut self.symbols) else {
            return;
        };
        if !self.shared.selects(ticket.created_at) {
            self.state.tickets_filtered_out += 1;
            return;
        }
        self.state.tickets += 1;
        let context = self.shared.context(&self.symbols);
        self.state.fold.observe(&ticket, &context);
    }

    /// The state so far, its labels beside it, leaving this accumulator empty.
    fn take(&mut self) -> ReportState {
        let mut state = std::mem::replace(
            &mut self.state,
            Kpis::new(self.shared.clone(), self.output).state,
        );
        state.labels = self.symbols.names().map(str::to_owned).collect();
        self.symbols = Symbols::default();
        state
    }

    fn encoded(&mut self) -> Result<Vec<u8>> {
        postcard::to_stdvec(&self.take()).map_err(|error| {
            DataFusionError::Internal(format!("encoding a {REPORT} state: {error}"))
        })
    }
}

impl Accumulator for Kpis {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let [facts] = values else {
            return Err(columns::arity_error(
                REPORT,
                "one argument (ticket facts)",
                values.len(),
            ));
        };
        let facts = columns::binary(facts)?;
        for row in 0..facts.len() {
            if !facts.is_null(row) {
                self.observe(TicketFacts::decode(facts.value(row))?);
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [state] = states else {
            return Err(columns::arity_error(
                REPORT,
                "one state column",
                states.len(),
            ));
        };
        let state = columns::binary(state)?;
        for row in 0..state.len() {
            if state.is_null(row) {
                continue;
            }
            let other = ReportState::decode(state.value(row))?;
            let map = self
                .symbols
                .absorb_names(other.labels.iter().map(String::as_str));
            let mut fold = other.fold;
            fold.remap_symbols(&map);
            let empty = TicketFold::new(Vec::new(), chrono_tz::Tz::UTC, None);
            let mine = std::mem::replace(&mut self.state.fold, empty);
            self.state.fold = mine.merge(fold);
            self.state.counts.add(other.counts);
            self.state.tickets += other.tickets;
            self.state.tickets_filtered_out += other.tickets_filtered_out;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(Some(self.encoded()?))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        match self.output {
            Output::Report => Ok(ScalarValue::Binary(Some(self.encoded()?))),
            Output::Kpis => {
                let folded = self.take().finish(&self.shared);
                let json = serde_json::to_string(&folded.overall).map_err(|error| {
                    DataFusionError::Internal(format!("{KPIS}: writing the KPI block: {error}"))
                })?;
                Ok(ScalarValue::Utf8(Some(json)))
            }
        }
    }

    fn size(&self) -> usize {
        // The fold's value lists dominate: eight bytes a ticket for each of a dozen lists.
        std::mem::size_of::<Self>()
            + usize::try_from(self.symbols.estimated_bytes()).unwrap_or(usize::MAX)
            + usize::try_from(self.state.tickets).unwrap_or(usize::MAX) * 96
    }
}

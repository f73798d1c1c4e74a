//! The breakdown by group: one KPI block per combination of `--by` values (the breakdown by
//! calendar period is `periods`).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{Accumulator, Context, KpiAccumulator, KpiBlock, Observed};
use crate::model::Ticket;
use crate::names::{self, Named, UnknownName};
use crate::symbols::Sym;

/// A ticket attribute to group by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Dimension {
    Channel,
    Agent,
    Team,
    Priority,
    Category,
}

impl Named for Dimension {
    const ALL: &'static [Dimension] = &[
        Dimension::Channel,
        Dimension::Agent,
        Dimension::Team,
        Dimension::Priority,
        Dimension::Category,
    ];
    const WHAT: &'static str = "dimension";

    fn as_str(self) -> &'static str {
        match self {
            Dimension::Channel => "channel",
            Dimension::Agent => "agent",
            Dimension::Team => "team",
            Dimension::Priority => "priority",
            Dimension::Category => "category",
        }
    }
}

impl std::str::FromStr for Dimension {
    type Err = UnknownName;

    fn from_str(text: &str) -> Result<Dimension, UnknownName> {
        names::parse(text)
    }
}

impl Dimension {
    pub fn of(self, ticket: &Ticket) -> Sym {
        match self {
            Dimension::Channel => ticket.channel,
            Dimension::Agent => ticket.agent,
            Dimension::Team => ticket.team,
            Dimension::Priority => ticket.priority,
            Dimension::Category => ticket.category,
        }
    }
}

/// Tickets grouped by the combination of one or more dimensions (`--by a --by b` groups by
/// the pair, like SQL's GROUP BY a, b).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Breakdown {
    dimensions: Vec<Dimension>,
    groups: HashMap<Vec<Sym>, KpiAccumulator>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupBlock {
    /// Dimension name -> group value (lowercase); `None` (JSON null) for tickets without
    /// one, kept apart from any real value, a value written `(none)` included.
    pub by: BTreeMap<String, Option<String>>,
    pub kpis: KpiBlock,
}

impl GroupBlock {
    /// The group's value of `dimension` as people read it: `(none)` for no value.
    pub fn label(&self, dimension: &str) -> std::borrow::Cow<'_, str> {
        crate::symbols::label_of(self.by.get(dimension).and_then(Option::as_deref))
    }
}

impl Breakdown {
    pub fn new(dimensions: Vec<Dimension>) -> Breakdown {
        Breakdown {
            dimensions,
            groups: HashMap::new(),
        }
    }

    /// Rewrites its symbols through `map` (old index -> new symbol): how a state built with
    /// another symbol table (another partition of the DataFusion engine) joins this one's.
    pub fn remap_symbols(&mut self, map: &[Sym]) {
        let groups = std::mem::take(&mut self.groups);
        for (key, mut accumulator) in groups {
            accumulator.remap_symbols(map);
            let key: Vec<Sym> = key.iter().map(|sym| sym.remapped(map)).collect();
            // Distinct values stay distinct under a remap, so keys never collide; merging
            // anyway keeps that true by construction.
            match self.groups.get_mut(&key) {
                Some(mine) => mine.merge(accumulator),
                None => {
                    self.groups.insert(key, accumulator);
                }
            }
        }
    }
}

impl Accumulator for Breakdown {
    type Output = Vec<GroupBlock>;

    fn observe(&mut self, observed: &Observed<'_>, context: &Context<'_>) {
        if self.dimensions.is_empty() {
            return;
        }
        let key: Vec<Sym> = self
            .dimensions
            .iter()
            .map(|d| d.of(observed.ticket))
            .collect();
        self.groups
            .entry(key)
            .or_default()
            .observe(observed, context);
    }

    /// `other` groups by the same dimensions.
    fn merge(&mut self, other: Breakdown) {
        for (key, accumulator) in other.groups {
            match self.groups.get_mut(&key) {
                Some(mine) => mine.merge(accumulator),
                None => {
                    self.groups.insert(key, accumulator);
                }
            }
        }
    }

    /// Groups with the most tickets first; ties by their labels, so output is stable.
    fn finish(self, context: &Context<'_>) -> Vec<GroupBlock> {
        let mut groups: Vec<GroupBlock> = self
            .groups
            .into_iter()
            .map(|(key, accumulator)| GroupBlock {
                by: self
                    .dimensions
                    .iter()
                    .zip(&key)
                    .map(|(d, sym)| {
                        let value = sym.non_empty().map(|sym| context.symbols.name(sym));
                        (d.as_str().to_owned(), value.map(str::to_owned))
                    })
                    .collect(),
                kpis: accumulator.finish(context),
            })
            .collect();
        groups.sort_by(|a, b| {
            b.kpis
                .tickets
                .cmp(&a.kpis.tickets)
                .then_with(|| a.by.cmp(&b.by))
        });
        groups
    }
}

//! The breakdown by group: one KPI block per combination of `--by` values (the breakdown by
//! calendar period is `periods`).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Timelike};
use chrono_tz::Tz;
use serde::Serialize;

use super::{Accumulator, Context, KpiAccumulator, KpiBlock, Observed};
use crate::model::Ticket;
use crate::names::{self, Named, UnknownName};
use crate::symbols::{Sym, Symbols};
use crate::time::{Instant, to_datetime};

/// A ticket attribute to group by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Dimension {
    Channel,
    /// The assignee: the agent of the ticket's last agent message (a ticket row's agent).
    Agent,
    Team,
    Priority,
    Category,
    /// The hour of creation, 0-23, on the wall clock of `--tz`.
    Hour,
    /// The weekday of creation in `--tz`, Monday first.
    Weekday,
    /// Each of the ticket's tags: a ticket with several counts in each tag's group, one
    /// without in the `(none)` group.
    Tag,
}

/// The weekdays as groups are named, Monday first (ISO 8601).
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A ticket's value of one dimension: an attribute's symbol, or a time of day.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum GroupValue {
    Attribute(Sym),
    /// 0-23.
    Hour(u8),
    /// 0 (Monday) to 6 (Sunday).
    Weekday(u8),
}

impl GroupValue {
    /// The value as the report writes it (lowercase; `None` for an empty attribute).
    pub fn name(self, symbols: &Symbols) -> Option<String> {
        match self {
            GroupValue::Attribute(sym) => sym.non_empty().map(|sym| symbols.name(sym).to_owned()),
            GroupValue::Hour(hour) => Some(hour.to_string()),
            GroupValue::Weekday(day) => WEEKDAYS.get(usize::from(day)).map(|d| (*d).to_owned()),
        }
    }

    /// The same value under a symbol remap (old index -> new symbol); times of day are kept.
    pub fn remapped(self, map: &[Sym]) -> GroupValue {
        match self {
            GroupValue::Attribute(sym) => GroupValue::Attribute(sym.remapped(map)),
            time => time,
        }
    }

    /// Where a time of day falls in the day or the week; attributes have no such order.
    fn time_order(self) -> Option<u8> {
        match self {
            GroupValue::Attribute(_) => None,
            GroupValue::Hour(n) | GroupValue::Weekday(n) => Some(n),
        }
    }
}

/// The local hour (0-23) and weekday (0 = Monday) of `at` in `tz`.
pub fn hour_and_weekday(at: Instant, tz: Tz) -> (u8, u8) {
    let local = to_datetime(at).with_timezone(&tz);
    // Both are small by construction (hour < 24, weekday < 7).
    let hour = u8::try_from(local.hour()).unwrap_or(0);
    let day = u8::try_from(local.weekday().num_days_from_monday()).unwrap_or(0);
    (hour, day)
}

impl Named for Dimension {
    const ALL: &'static [Dimension] = &[
        Dimension::Channel,
        Dimension::Agent,
        Dimension::Team,
        Dimension::Priority,
        Dimension::Category,
        Dimension::Hour,
        Dimension::Weekday,
        Dimension::Tag,
    ];
    const WHAT: &'static str = "dimension";

    fn as_str(self) -> &'static str {
        match self {
            Dimension::Channel => "channel",
            Dimension::Agent => "agent",
            Dimension::Team => "team",
            Dimension::Priority => "priority",
            Dimension::Category => "category",
            Dimension::Hour => "hour",
            Dimension::Weekday => "weekday",
            Dimension::Tag => "tag",
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
    /// The ticket's values: one for every dimension but [`Dimension::Tag`], which has one
    /// per tag (and the empty value for a ticket without any).
    pub fn values_of(self, ticket: &Ticket, tz: Tz) -> Vec<GroupValue> {
        match self {
            Dimension::Tag if !ticket.tags.is_empty() => ticket
                .tags
                .iter()
                .map(|tag| GroupValue::Attribute(*tag))
                .collect(),
            _ => vec![self.of(ticket, tz)],
        }
    }

    /// Whether a ticket can have several values, and so count in several groups.
    pub fn is_multi_valued(self) -> bool {
        self == Dimension::Tag
    }

    /// The ticket's value; times of day are those of its creation in `tz`. A tag's is the
    /// ticket's first tag (by symbol): [`Dimension::values_of`] gives them all.
    pub fn of(self, ticket: &Ticket, tz: Tz) -> GroupValue {
        let attribute = GroupValue::Attribute;
        match self {
            Dimension::Channel => attribute(ticket.channel),
            Dimension::Agent => attribute(ticket.agent),
            Dimension::Team => attribute(ticket.team),
            Dimension::Priority => attribute(ticket.priority),
            Dimension::Category => attribute(ticket.category),
            Dimension::Hour => GroupValue::Hour(hour_and_weekday(ticket.created_at, tz).0),
            Dimension::Weekday => GroupValue::Weekday(hour_and_weekday(ticket.created_at, tz).1),
            Dimension::Tag => attribute(ticket.tags.first().copied().unwrap_or(Sym::NONE)),
        }
    }

    /// A time of day rather than an attribute: its groups come in time order.
    pub fn is_time_of_day(self) -> bool {
        matches!(self, Dimension::Hour | Dimension::Weekday)
    }
}

/// Tickets grouped by the combination of one or more dimensions (`--by a --by b` groups by
/// the pair, like SQL's GROUP BY a, b).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Breakdown {
    dimensions: Vec<Dimension>,
    /// The zone of the times of day.
    tz: Tz,
    groups: HashMap<Vec<GroupValue>, KpiAccumulator>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupBlock {
    /// Dimension name -> group value (lowercase); `None` (JSON null) for tickets without
    /// one, kept apart from any real value, a value written `(none)` included.
    pub by: BTreeMap<String, Option<String>>,
    pub kpis: KpiBlock,
}

/// What the report says when a ticket can count in several groups (`--by tag`): the groups'
/// tickets then add up to more than the tickets reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupsOverlap {
    /// The dimensions in which a ticket can have several values.
    pub by: Vec<String>,
    /// The groups' tickets, added up: a ticket counts once in each of its groups.
    pub group_tickets: u64,
    /// The tickets, each counted once (the overall block's).
    pub tickets: u64,
}

impl GroupsOverlap {
    /// `None` unless a dimension of `dimensions` is multi-valued.
    pub fn of(dimensions: &[Dimension], groups: &[GroupBlock], tickets: u64) -> Option<Self> {
        let by: Vec<String> = dimensions
            .iter()
            .filter(|d| d.is_multi_valued())
            .map(|d| d.as_str().to_owned())
            .collect();
        (!by.is_empty()).then(|| GroupsOverlap {
            by,
            group_tickets: groups.iter().map(|g| g.kpis.tickets).sum(),
            tickets,
        })
    }

    /// The note under a table of the groups.
    pub fn note(&self) -> String {
        format!(
            "A ticket with several {}s counts in each of their groups (one without in \
             (none)): the groups hold {} tickets in all, of {} tickets.",
            self.by.join(" or "),
            self.group_tickets,
            self.tickets
        )
    }
}

impl GroupBlock {
    /// The group's value of `dimension` as people read it: `(none)` for no value.
    pub fn label(&self, dimension: &str) -> std::borrow::Cow<'_, str> {
        crate::symbols::label_of(self.by.get(dimension).and_then(Option::as_deref))
    }
}

impl Breakdown {
    pub fn new(dimensions: Vec<Dimension>, tz: Tz) -> Breakdown {
        Breakdown {
            dimensions,
            tz,
            groups: HashMap::new(),
        }
    }

    /// Rewrites its symbols through `map` (old index -> new symbol): how a state built with
    /// another symbol table (another partition of the DataFusion engine) joins this one's.
    pub fn remap_symbols(&mut self, map: &[Sym]) {
        let groups = std::mem::take(&mut self.groups);
        for (key, mut accumulator) in groups {
            accumulator.remap_symbols(map);
            let key: Vec<GroupValue> = key.iter().map(|value| value.remapped(map)).collect();
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
        if !self.dimensions.iter().any(|d| d.is_multi_valued()) {
            let key: Vec<GroupValue> = self
                .dimensions
                .iter()
                .map(|d| d.of(observed.ticket, self.tz))
                .collect();
            self.groups
                .entry(key)
                .or_default()
                .observe(observed, context);
            return;
        }
        // Every combination of the ticket's values: with tags, one group per tag.
        let mut keys: Vec<Vec<GroupValue>> = vec![Vec::new()];
        for dimension in &self.dimensions {
            let values = dimension.values_of(observed.ticket, self.tz);
            keys = keys
                .into_iter()
                .flat_map(|key| {
                    values.iter().map(move |value| {
                        let mut key = key.clone();
                        key.push(*value);
                        key
                    })
                })
                .collect();
        }
        for key in keys {
            self.groups
                .entry(key)
                .or_default()
                .observe(observed, context);
        }
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

    /// Groups in time order of their times of day (hour 0 first, Monday first), then with
    /// the most tickets first; ties by their labels, so output is stable.
    fn finish(self, context: &Context<'_>) -> Vec<GroupBlock> {
        let mut groups: Vec<(Vec<Option<u8>>, GroupBlock)> = self
            .groups
            .into_iter()
            .map(|(key, accumulator)| {
                let block = GroupBlock {
                    by: self
                        .dimensions
                        .iter()
                        .zip(&key)
                        .map(|(d, value)| (d.as_str().to_owned(), value.name(context.symbols)))
                        .collect(),
                    kpis: accumulator.finish(context),
                };
                (key.iter().map(|v| v.time_order()).collect(), block)
            })
            .collect();
        groups.sort_by(|(a_time, a), (b_time, b)| {
            a_time
                .cmp(b_time)
                .then_with(|| b.kpis.tickets.cmp(&a.kpis.tickets))
                .then_with(|| a.by.cmp(&b.by))
        });
        groups.into_iter().map(|(_, block)| block).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::tickets_from;

    #[test]
    fn a_ticket_has_a_value_per_tag_and_the_empty_one_without_any() {
        let rows = [
            "A 0 message customer tags=vip;billing channel=email",
            "B 1 message customer channel=chat",
        ];
        let (tickets, symbols) = tickets_from(&rows, None);
        let names = |ticket: &Ticket, dimension: Dimension| {
            let mut names: Vec<Option<String>> = dimension
                .values_of(ticket, Tz::UTC)
                .into_iter()
                .map(|value| value.name(&symbols))
                .collect();
            names.sort();
            names
        };
        let a = tickets.iter().find(|t| t.id == "A").expect("A");
        let b = tickets.iter().find(|t| t.id == "B").expect("B");
        assert_eq!(
            names(a, Dimension::Tag),
            [Some("billing".to_owned()), Some("vip".to_owned())]
        );
        assert_eq!(names(b, Dimension::Tag), [None], "the (none) group");
        assert_eq!(
            names(a, Dimension::Channel),
            [Some("email".to_owned())],
            "one value for the other dimensions"
        );
        assert!(Dimension::Tag.is_multi_valued());
        assert!(!Dimension::Agent.is_multi_valued());
    }

    #[test]
    fn the_overlap_is_said_only_for_a_multi_valued_dimension() {
        assert_eq!(GroupsOverlap::of(&[Dimension::Channel], &[], 3), None);
        let overlap = GroupsOverlap::of(&[Dimension::Agent, Dimension::Tag], &[], 3);
        assert_eq!(
            overlap,
            Some(GroupsOverlap {
                by: vec!["tag".to_owned()],
                group_tickets: 0,
                tickets: 3,
            })
        );
    }
}

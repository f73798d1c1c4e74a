//! An export no preset fits, described from a sample of its rows: each column's type
//! (timestamp and its format, number, enum and its values, text) and the role it probably
//! plays, and from those a commented mapping (`inspect --suggest-mapping`) that compiles as it
//! is. The guesses are named as guesses: the user reads and corrects them.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::apply::reformat_timestamp;
use super::spec::Shape;
use crate::ingest::sample::ArraySample;

mod nested;

pub use nested::ArrayProfile;

/// Formats tried on a column whose values are not canonical timestamps, in order: the first
/// that reads every sampled value is the column's.
const FORMATS: [&str; 16] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S%.f",
    "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d-%m-%Y %H:%M:%S",
    "%d/%b/%y %I:%M %p",
    "%a %b %d %H:%M:%S %z %Y",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%m/%d/%Y",
];

/// The most distinct values a column may have to be an enum.
const ENUM_MAX: usize = 12;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ValueType {
    /// No sampled value.
    Empty,
    /// `format` is `None` for the canonical formats (RFC 3339, `YYYY-MM-DD HH:MM:SS`).
    Timestamp {
        format: Option<String>,
    },
    Number,
    /// Few distinct values, most frequent first.
    Enum {
        values: Vec<String>,
    },
    Text,
}

/// The role a column probably plays: the mapping field it would feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    TicketId,
    Timestamp,
    CreatedAt,
    FirstReplyAt,
    SolvedAt,
    ClosedAt,
    Status,
    Priority,
    Channel,
    Agent,
    Team,
    Category,
    Csat,
    Event,
    AuthorType,
}

impl Role {
    pub fn field(self) -> &'static str {
        match self {
            Role::TicketId => "ticket_id",
            Role::Timestamp => "timestamp",
            Role::CreatedAt => "created_at",
            Role::FirstReplyAt => "first_reply_at",
            Role::SolvedAt => "solved_at",
            Role::ClosedAt => "closed_at",
            Role::Status => "status",
            Role::Priority => "priority",
            Role::Channel => "channel",
            Role::Agent => "agent",
            Role::Team => "team",
            Role::Category => "category",
            Role::Csat => "csat",
            Role::Event => "event",
            Role::AuthorType => "author_type",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ColumnProfile {
    pub name: String,
    /// Up to three distinct sampled values, in the order met.
    pub samples: Vec<String>,
    #[serde(flatten)]
    pub kind: ValueType,
    pub role: Option<Role>,
}

/// What a sample says about an export.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Profile {
    pub columns: Vec<ColumnProfile>,
    /// Events when the ticket id repeats (several rows per ticket) or the records hold an
    /// array of events, else tickets.
    pub shape: Shape,
    pub rows_sampled: usize,
    /// JSON: the arrays of objects inside the records, each with its columns.
    pub arrays: Vec<ArrayProfile>,
    /// The array whose objects are the events (objects with times): the `events_path`.
    pub events_path: Option<String>,
}

impl Profile {
    /// The columns of the events array, when the records hold one.
    pub fn event_columns(&self) -> &[ColumnProfile] {
        self.arrays
            .iter()
            .find(|array| Some(&array.path) == self.events_path.as_ref())
            .map_or(&[], |array| array.columns.as_slice())
    }
}

/// Profiles the sampled `rows` (cells by column) of an export whose columns are `header`, and
/// the `arrays` of objects its JSON records hold.
pub fn profile(header: &[String], rows: &[Vec<String>], arrays: &[ArraySample]) -> Profile {
    let mut columns = column_profiles(header, rows);
    let mut arrays = nested::profiles(arrays);
    if let Some(at) = nested::events_array(&arrays) {
        nested::assign_roles(&mut columns, &mut arrays[at].columns);
        let events_path = Some(arrays[at].path.clone());
        return Profile {
            columns,
            shape: Shape::Events,
            rows_sampled: rows.len(),
            arrays,
            events_path,
        };
    }
    let id = pick(&columns, Role::TicketId);
    let repeats = id.is_some_and(|index| {
        let values: Vec<&str> = rows
            .iter()
            .filter_map(|row| row.get(index).map(|cell| cell.trim()))
            .filter(|cell| !cell.is_empty())
            .collect();
        distinct(&values).len() < values.len()
    });
    let shape = if repeats {
        Shape::Events
    } else {
        Shape::Tickets
    };
    assign_roles(&mut columns, shape);
    Profile {
        columns,
        shape,
        rows_sampled: rows.len(),
        arrays,
        events_path: None,
    }
}

/// Each column's samples and type.
fn column_profiles(header: &[String], rows: &[Vec<String>]) -> Vec<ColumnProfile> {
    header
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let values: Vec<&str> = rows
                .iter()
                .filter_map(|row| row.get(index))
                .map(|cell| cell.trim())
                .filter(|cell| !cell.is_empty())
                .collect();
            let name = name.trim().to_owned();
            let kind = match value_type(&values) {
                kind @ (ValueType::Number | ValueType::Enum { .. }) => {
                    epoch(&name, &values).unwrap_or(kind)
                }
                kind => kind,
            };
            ColumnProfile {
                samples: distinct(&values).into_iter().take(3).collect(),
                name,
                kind,
                role: None,
            }
        })
        .collect()
}

/// Numbers in a column named like an instant (`created_at`, `timestamp`, `emitted_at`) that
/// all fall between 2000 and 2100 as Unix seconds (or whole milliseconds): Unix times, as
/// the APIs of Intercom, Chatwoot and Front write them. By name only: a number column called
/// `id` is an id whatever its values.
fn epoch(name: &str, values: &[&str]) -> Option<ValueType> {
    const SECONDS: std::ops::RangeInclusive<f64> = 946_684_800.0..=4_102_444_800.0;
    let name = name.to_lowercase();
    let named = ["time", "date", "created", "updated"]
        .iter()
        .any(|word| name.contains(word))
        || matches_word(&name, "at");
    if !named || values.is_empty() {
        return None;
    }
    let numbers: Vec<f64> = values.iter().filter_map(|v| v.parse().ok()).collect();
    if numbers.len() < values.len() {
        return None;
    }
    let format = if numbers.iter().all(|n| SECONDS.contains(n)) {
        "unix"
    } else if numbers
        .iter()
        .all(|n| n.fract() == 0.0 && SECONDS.contains(&(n / 1000.0)))
    {
        "unix_ms"
    } else {
        return None;
    };
    Some(ValueType::Timestamp {
        format: Some(format.to_owned()),
    })
}

fn distinct(values: &[&str]) -> Vec<String> {
    let mut seen = Vec::<String>::new();
    for value in values {
        if !seen.iter().any(|known| known == value) {
            seen.push((*value).to_owned());
        }
    }
    seen
}

fn value_type(values: &[&str]) -> ValueType {
    if values.is_empty() {
        return ValueType::Empty;
    }
    let canonical = |value: &&str| crate::time::parse_timestamp(value, chrono_tz::Tz::UTC).is_ok();
    // A plain number is no timestamp, even where a format would read it as a year.
    let numbers = values
        .iter()
        .all(|value| value.parse::<f64>().is_ok_and(f64::is_finite));
    if !numbers {
        if values.iter().all(canonical) {
            return ValueType::Timestamp { format: None };
        }
        let fits = |format: &&&str| {
            let formats = [(**format).to_owned()];
            values
                .iter()
                .all(|value| reformat_timestamp(value, &formats).is_some())
        };
        if let Some(format) = FORMATS.iter().find(fits) {
            return ValueType::Timestamp {
                format: Some((*format).to_owned()),
            };
        }
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for value in values {
        *counts.entry(value).or_default() += 1;
    }
    // A value that repeats makes a vocabulary; a small sample needs only one repeat.
    let repeats =
        counts.len() * 2 <= values.len() || (values.len() <= 20 && counts.len() < values.len());
    let few = counts.len() <= ENUM_MAX && repeats;
    if numbers && !few {
        return ValueType::Number;
    }
    if few {
        let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        return ValueType::Enum {
            values: ranked.into_iter().map(|(v, _)| v.to_owned()).collect(),
        };
    }
    ValueType::Text
}

/// Name keywords of each role, lowercase; a column matches when its name contains one.
fn keywords(role: Role) -> &'static [&'static str] {
    match role {
        Role::TicketId => &[
            "ticket id",
            "ticket_id",
            "case id",
            "case_id",
            "issue key",
            "incident",
            "number",
            "ticket",
            "case",
            "id",
        ],
        Role::Timestamp => &["timestamp", "time", "date", "created", "opened", "at"],
        Role::CreatedAt => &["created", "opened", "submitted", "received", "date", "time"],
        Role::FirstReplyAt => &[
            "first response",
            "first reply",
            "first_response",
            "responded",
        ],
        Role::SolvedAt => &["resolved", "solved", "resolution date", "resolution_date"],
        Role::ClosedAt => &["closed"],
        Role::Status => &["status", "state"],
        Role::Priority => &["priority", "severity", "urgency"],
        Role::Channel => &[
            "channel",
            "contact type",
            "contact_type",
            "medium",
            "source",
            "via",
        ],
        Role::Agent => &[
            "agent",
            "assignee",
            "assigned to",
            "assigned_to",
            "resource",
            "owner",
        ],
        Role::Team => &["team", "group", "queue", "department"],
        Role::Category => &["category", "type", "topic", "product", "issue"],
        Role::Csat => &["satisfaction", "csat", "rating", "score"],
        Role::Event => &["activity", "event", "action"],
        Role::AuthorType => &["author", "sender", "from"],
    }
}

fn fits(column: &ColumnProfile, role: Role) -> bool {
    let timestamp = matches!(column.kind, ValueType::Timestamp { .. });
    match role {
        Role::Timestamp
        | Role::CreatedAt
        | Role::FirstReplyAt
        | Role::SolvedAt
        | Role::ClosedAt => timestamp,
        Role::TicketId => !timestamp && column.kind != ValueType::Empty,
        Role::Csat => matches!(column.kind, ValueType::Number | ValueType::Enum { .. }),
        Role::Status | Role::Priority | Role::Channel | Role::Event | Role::AuthorType => {
            matches!(column.kind, ValueType::Enum { .. })
        }
        Role::Agent | Role::Team | Role::Category => {
            matches!(
                column.kind,
                ValueType::Enum { .. } | ValueType::Text | ValueType::Number
            )
        }
    }
}

/// The column that best plays `role`: the earliest keyword matched, then the first column;
/// for the instant a ticket or event needs, else the first column of timestamps.
fn pick(columns: &[ColumnProfile], role: Role) -> Option<usize> {
    let named = pick_by_name(columns, role);
    if named.is_some() || !matches!(role, Role::Timestamp | Role::CreatedAt) {
        return named;
    }
    columns
        .iter()
        .position(|column| column.role.is_none() && fits(column, role))
}

fn pick_by_name(columns: &[ColumnProfile], role: Role) -> Option<usize> {
    let words = keywords(role);
    columns
        .iter()
        .enumerate()
        .filter(|(_, column)| column.role.is_none() && fits(column, role))
        .filter_map(|(index, column)| {
            let name = column.name.to_lowercase();
            let rank = words.iter().position(|word| matches_word(&name, word))?;
            Some((rank, index))
        })
        .min()
        .map(|(_, index)| index)
}

/// Whether `name` holds `word`; the short words (`id`, `at`) only as a whole word.
fn matches_word(name: &str, word: &str) -> bool {
    if word.len() > 3 {
        return name.contains(word);
    }
    name.split(|c: char| !c.is_alphanumeric())
        .any(|part| part == word)
}

fn assign_roles(columns: &mut [ColumnProfile], shape: Shape) {
    let roles: &[Role] = match shape {
        Shape::Events | Shape::Threads => &[
            Role::TicketId,
            Role::Timestamp,
            Role::Status,
            Role::Event,
            Role::AuthorType,
            Role::Priority,
            Role::Channel,
            Role::Agent,
            Role::Team,
            Role::Csat,
            Role::Category,
        ],
        Shape::Tickets => &[
            Role::TicketId,
            Role::FirstReplyAt,
            Role::SolvedAt,
            Role::ClosedAt,
            Role::CreatedAt,
            Role::Status,
            Role::Priority,
            Role::Channel,
            Role::Agent,
            Role::Team,
            Role::Csat,
            Role::Category,
        ],
    };
    for role in roles {
        if let Some(index) = pick(columns, *role) {
            columns[index].role = Some(*role);
        }
    }
}

/// A commented TOML mapping of the profile's guesses that `--mapping` loads as it is; `None`
/// when the sample has no column for a required field (the ticket id, the instant), with the
/// reason.
pub fn suggest_mapping(profile: &Profile, file: &str) -> Result<String, String> {
    // The record's columns, then its events' (empty without an events array).
    let columns: Vec<&ColumnProfile> = profile
        .columns
        .iter()
        .chain(profile.event_columns())
        .collect();
    let role_of = |role: Role| columns.iter().copied().find(|c| c.role == Some(role));
    let id = role_of(Role::TicketId).ok_or("no column looks like a ticket id")?;
    let instant = match profile.shape {
        Shape::Tickets => Role::CreatedAt,
        _ => Role::Timestamp,
    };
    let instant = role_of(instant).ok_or("no column holds timestamps")?;
    let mut toml = String::new();
    let shape = profile.shape.as_str();
    let _ = writeln!(
        toml,
        "# A mapping for {file}, guessed by `ticketkpi inspect --suggest-mapping` from {} rows.",
        profile.rows_sampled
    );
    let _ = writeln!(
        toml,
        "# Read every line: the guesses are guesses. Fields: `ticketkpi help mappings`."
    );
    let _ = writeln!(toml, "name = {}", quote(&format!("suggested for {file}")));
    let _ = match (&profile.shape, &profile.events_path) {
        (_, Some(path)) => writeln!(
            toml,
            "# Each record holds its events in {}: each object there is one event, and the\n\
             # record's own members are inherited by every event.\nshape = \"events\"\n\
             events_path = {}",
            quote(path),
            quote(path)
        ),
        (Shape::Events, None) => writeln!(
            toml,
            "# {} repeats: several rows per ticket, read as an event log.\nshape = \"events\"",
            quote(&id.name)
        ),
        _ => writeln!(
            toml,
            "# {} does not repeat: one row per ticket.\nshape = \"tickets\"",
            quote(&id.name)
        ),
    };
    let _ = writeln!(toml, "\n[fields]");
    let _ = writeln!(toml, "ticket_id = {}", quote(&id.name));
    let _ = writeln!(toml, "{}", field_line(instant, instant.role));
    for column in columns.iter().copied() {
        let Some(role) = column.role else {
            continue;
        };
        if matches!(role, Role::TicketId | Role::Timestamp | Role::CreatedAt) {
            continue;
        }
        if matches!(role, Role::Event) || (shape == "tickets" && role == Role::AuthorType) {
            continue;
        }
        if role == Role::AuthorType && !in_vocabulary(&column.kind, &AUTHORS) {
            let _ = writeln!(
                toml,
                "# author_type = {}  # {}: map each to customer, agent, bot or system with values = {{ ... }}",
                quote(&column.name),
                describe(&column.kind)
            );
            continue;
        }
        let _ = writeln!(toml, "{}", field_line(column, Some(role)));
    }
    if profile.shape == Shape::Events {
        // An event array's own columns are the likelier kinds of event.
        let mut candidates: Vec<&ColumnProfile> = profile.event_columns().iter().collect();
        candidates.extend(&profile.columns);
        event_lines(&candidates, &mut toml);
    }
    if profile.events_path.is_some() {
        record_event_lines(profile, &mut toml);
    }
    let unused: Vec<&ColumnProfile> = columns
        .iter()
        .copied()
        .filter(|c| c.role.is_none())
        .collect();
    if !unused.is_empty() {
        let _ = writeln!(
            toml,
            "\n# Columns not read (map one by adding a line above):"
        );
        for column in unused {
            let _ = writeln!(
                toml,
                "#   {}: {}",
                quote(&column.name),
                describe(&column.kind)
            );
        }
    }
    Ok(toml)
}

const AUTHORS: [&str; 4] = ["customer", "agent", "bot", "system"];

/// Whether every value of an enum column is a word of `vocabulary` (ignoring case).
fn in_vocabulary(kind: &ValueType, vocabulary: &[&str]) -> bool {
    match kind {
        ValueType::Enum { values } => values.iter().all(|value| {
            vocabulary
                .iter()
                .any(|word| word.eq_ignore_ascii_case(value))
        }),
        _ => false,
    }
}

/// The event kind and author of each row of an event log, which only the user knows: every
/// row is a status change when a status column is read, else a note, until a derivation says
/// which rows are messages and whose.
fn event_lines(columns: &[&ColumnProfile], toml: &mut String) {
    let has_status = columns.iter().any(|c| c.role == Some(Role::Status));
    let kind = if has_status { "status" } else { "note" };
    let event_column = columns
        .iter()
        .copied()
        .find(|c| c.role == Some(Role::Event));
    let author = columns.iter().any(|c| c.role == Some(Role::AuthorType));
    {
        let _ = writeln!(
            toml,
            "# Which rows are messages, and whose, only you know: every row is read as a {kind}\n\
             # until a [derive] table below says otherwise.\nevent = {{ value = \"{kind}\" }}"
        );
    }
    let Some(column) = event_column.or_else(|| {
        columns
            .iter()
            .copied()
            .find(|c| c.role.is_none() && matches!(c.kind, ValueType::Enum { .. }))
    }) else {
        return;
    };
    let ValueType::Enum { values } = &column.kind else {
        return;
    };
    let _ = writeln!(
        toml,
        "\n# Each value of {} as an event, to fill in (event: message, note, status, rating;\n\
         # author_type: customer, agent, bot, system); a value not listed stays a {kind}:",
        quote(&column.name)
    );
    let _ = writeln!(toml, "# [derive.{}]", quote(&column.name));
    for value in values {
        let author = if author {
            String::new()
        } else {
            ", author_type = \"customer\"".to_owned()
        };
        let _ = writeln!(
            toml,
            "# {} = {{ event = \"message\"{author} }}",
            quote(value)
        );
    }
    let _ = writeln!(toml, "# \"*\" = {{ event = \"{kind}\" }}");
}

/// The record's own instants, which can be events of their own (the conversation's opening,
/// its close): commented, for the user to choose.
fn record_event_lines(profile: &Profile, toml: &mut String) {
    // The instants that open or close a conversation, not every "last seen".
    let telling = |name: &str| {
        let name = name.to_lowercase();
        ["created", "opened", "closed", "resolved", "solved"]
            .iter()
            .any(|word| name.contains(word))
    };
    let instants: Vec<&ColumnProfile> = profile
        .columns
        .iter()
        .filter(|c| c.role.is_none() && matches!(c.kind, ValueType::Timestamp { .. }))
        .filter(|c| telling(&c.name))
        .collect();
    if instants.is_empty() {
        return;
    }
    let _ = writeln!(
        toml,
        "\n# The record's own instants can be events of their own (uncomment those that are):"
    );
    for column in instants {
        let name = column.name.to_lowercase();
        let closes = ["close", "resolv", "solv"].iter().any(|w| name.contains(w));
        let event = if closes {
            "event = { value = \"status\" }, status = { value = \"solved\" }"
        } else {
            "event = { value = \"message\" }, author_type = { value = \"customer\" }"
        };
        let timestamp = field_line(column, Some(Role::Timestamp));
        let timestamp = timestamp.split("  #").next().unwrap_or_default();
        let _ = writeln!(toml, "# [[record_events]]\n# {timestamp}");
        for line in event.split(", ") {
            let _ = writeln!(toml, "# {line}");
        }
    }
}

fn field_line(column: &ColumnProfile, role: Option<Role>) -> String {
    let field = role.map_or("timestamp", Role::field);
    let name = quote(&column.name);
    let note = format!("  # {}", describe(&column.kind));
    match &column.kind {
        ValueType::Timestamp {
            format: Some(format),
        } => {
            format!(
                "{field} = {{ column = {name}, format = {} }}{note}",
                quote(format)
            )
        }
        _ => format!("{field} = {name}{note}"),
    }
}

fn describe(kind: &ValueType) -> String {
    match kind {
        ValueType::Empty => "empty in the sample".to_owned(),
        ValueType::Timestamp { format: None } => "timestamps (ISO 8601)".to_owned(),
        ValueType::Timestamp {
            format: Some(format),
        } => format!("timestamps ({format})"),
        ValueType::Number => "numbers".to_owned(),
        ValueType::Enum { values } => {
            let shown: Vec<&str> = values.iter().take(6).map(String::as_str).collect();
            let more = if values.len() > 6 { ", ..." } else { "" };
            format!("values {}{more}", shown.join(", "))
        }
        ValueType::Text => "text".to_owned(),
    }
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::mapping::Mapping;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn types_are_told_apart() {
        assert_eq!(value_type(&[]), ValueType::Empty);
        assert_eq!(
            value_type(&["2024-01-02T03:04:05Z", "2024-01-03 10:00:00"]),
            ValueType::Timestamp { format: None }
        );
        assert_eq!(
            value_type(&["04/Mar/24 9:00 AM", "05/Mar/24 1:15 PM"]),
            ValueType::Timestamp {
                format: Some("%d/%b/%y %I:%M %p".to_owned())
            }
        );
        assert_eq!(value_type(&["1", "2.5", "7"]), ValueType::Number);
        assert_eq!(
            value_type(&["open", "closed", "open", "open"]),
            ValueType::Enum {
                values: strings(&["open", "closed"])
            }
        );
        assert_eq!(value_type(&["a b", "c d", "e f"]), ValueType::Text);
    }

    #[test]
    fn numbers_named_like_instants_are_unix_times_when_they_fit() {
        let unix = |format: &str| {
            Some(ValueType::Timestamp {
                format: Some(format.to_owned()),
            })
        };
        assert_eq!(
            epoch("created_at", &["1709542800", "1709543700"]),
            unix("unix")
        );
        assert_eq!(epoch("emitted_at", &["1453770984.123"]), unix("unix"));
        assert_eq!(epoch("timestamp", &["1709542800123"]), unix("unix_ms"));
        assert_eq!(
            epoch("id", &["1709542800"]),
            None,
            "not named like an instant"
        );
        assert_eq!(
            epoch("created_at", &["42", "1709542800"]),
            None,
            "not all in range"
        );
        assert_eq!(epoch("updated_at", &["1709542800", "soon"]), None);
        let header = strings(&["id", "created_at"]);
        let rows = vec![strings(&["1", "1709542800"]), strings(&["2", "1709543700"])];
        let columns = column_profiles(&header, &rows);
        assert_eq!(columns[0].kind, ValueType::Number);
        assert_eq!(columns[1].kind, unix("unix").expect("a type"));
    }

    #[test]
    fn a_repeating_id_is_an_event_log_and_its_mapping_compiles() {
        let header = strings(&["Case", "When", "What", "Who"]);
        let rows: Vec<Vec<String>> = [
            ["c1", "2024-01-01 10:00:00", "Open", "ann"],
            ["c1", "2024-01-01 11:00:00", "Close", "bob"],
            ["c2", "2024-01-02 09:00:00", "Open", "ann"],
            ["c2", "2024-01-02 09:30:00", "Close", "bob"],
        ]
        .iter()
        .map(|row| strings(row))
        .collect();
        let profile = profile(&header, &rows, &[]);
        assert_eq!(profile.shape, Shape::Events);
        let toml = suggest_mapping(&profile, "log.csv").expect("a suggestion");
        let mapping = Mapping::from_toml("suggested", &toml).expect("compiles as it is");
        assert_eq!(mapping.columns[0], "Case");
        assert!(toml.contains("timestamp = \"When\""), "{toml}");
        assert!(toml.contains("# [derive.\"What\"]"), "{toml}");
    }

    #[test]
    fn a_ticket_table_gets_its_instants_by_name() {
        let header = strings(&["Issue key", "Created", "Resolved", "Status"]);
        let rows: Vec<Vec<String>> = [
            ["A-1", "2024-01-01 10:00", "2024-01-01 12:00", "Done"],
            ["A-2", "2024-01-02 10:00", "", "Open"],
            ["A-3", "2024-01-03 10:00", "2024-01-04 10:00", "Done"],
            ["A-4", "2024-01-04 10:00", "", "Done"],
        ]
        .iter()
        .map(|row| strings(row))
        .collect();
        let profile = profile(&header, &rows, &[]);
        assert_eq!(profile.shape, Shape::Tickets);
        let roles: Vec<Option<Role>> = profile.columns.iter().map(|c| c.role).collect();
        assert_eq!(
            roles,
            [
                Some(Role::TicketId),
                Some(Role::CreatedAt),
                Some(Role::SolvedAt),
                Some(Role::Status)
            ]
        );
        let toml = suggest_mapping(&profile, "issues.csv").expect("a suggestion");
        Mapping::from_toml("suggested", &toml).expect("compiles as it is");
    }

    #[test]
    fn quotes_survive_toml() {
        let text = format!("a = {}", quote("say \"hi\"\\\u{1}"));
        let value: toml::Table = toml::from_str(&text).expect("valid TOML");
        assert_eq!(value["a"].as_str(), Some("say \"hi\"\\\u{1}"));
    }
}

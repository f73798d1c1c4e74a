//! The fold: tickets that nothing but their own new events could change, folded into the
//! report's accumulators (`metrics::settled::Settled`) so that later nights read neither
//! their events nor derive them again.
//!
//! A ticket is **settled** at `as_of` when it is solved or closed, none of its events is
//! after `as_of`, and what it contributes to the report is the same at `as_of` and a year
//! later ([`FAR`]): the ticket itself (derived from its events, which `as_of` only cuts) and
//! its accumulators' state. `as_of` enters a solved ticket's figures only through clamps
//! (a clock paused until `as_of`, a status held until `as_of`) and thresholds (a due time
//! passed by `as_of`), each monotone in `as_of`: equal at both ends, they are equal at every
//! instant between. Anything else a later night could change goes through the fold's key
//! (the settings the figures depend on) or through new events of the ticket, and either
//! sends the night back to the archive.
//!
//! On disk (`folded-NNNNNN.bin`): the magic `TKPI-FOLDED`, the format (u32), the postcard
//! bytes of [`Folded`] (the folded tickets' id hashes, sorted, and the accumulators), and an
//! FxHash of everything before it.

use std::hash::Hasher;

use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};

use crate::metrics::Context;
use crate::metrics::fold::TicketFold;
use crate::metrics::periods::Periods;
use crate::metrics::settled::Settled;
use crate::model::{Ticket, TicketStore};
use crate::options::AnalysisOptions;
use crate::options::filter::Filter;
use crate::symbols::Symbols;
use crate::time::{Instant, MICROS_PER_SECOND};

use super::Key;

const MAGIC: &[u8; 11] = b"TKPI-FOLDED";
pub const FORMAT: u32 = 1;
/// How long a solved or closed ticket stays live after its last event. Events come after
/// a solve and even after a close: the help desk's automatic close some days later (Zendesk
/// after 4), surveys, a customer writing on a closed ticket. Each on a folded ticket sends
/// the night back to the archive (exact, slower); on a generated year the last of them came
/// 20 days after the close, and a week's quiet sent most nights back. Four weeks keep about
/// a month of tickets live, whatever the history's length.
pub const QUIET: Instant = 28 * 86_400 * MICROS_PER_SECOND;
/// How far past `as_of` a settled ticket's contribution is checked to stay the same.
pub const FAR: Instant = 366 * 86_400 * MICROS_PER_SECOND;

/// The folded tickets: their ids (as hashes, to tell a night's rows that touch one) and
/// what they contribute.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Folded {
    /// Sorted, distinct.
    pub ids: Vec<u64>,
    pub settled: Settled,
}

impl Folded {
    pub fn holds(&self, id: &str) -> bool {
        self.ids.binary_search(&id_hash(id)).is_ok()
    }
}

/// A ticket id's hash in the index. Two ids with one hash make a night that touches either
/// go back to the archive: slower, never wrong.
pub fn id_hash(id: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(id.as_bytes());
    hasher.write_u8(0xff);
    hasher.finish()
}

/// The settings a folded ticket's contribution depends on, by name. Beside the state's key
/// (how rows become events): the config file (SLA policies, schedules, the contact centre,
/// the FCR window, by a hash of its whole text), the CSAT scale and threshold, `--by`,
/// `--period`, `--tz`, `--since`, `--until`, `--where`, and what the inputs tell that the
/// SLA clocks read (whether rows carry a status, whether times are per event).
/// `--as-of` is not among them: a fold made at `as_of` serves any later one.
pub fn fold_key(
    options: &AnalysisOptions,
    filter: &Filter,
    has_status: bool,
    per_event: bool,
) -> Key {
    let mut key = Key::new();
    let mut put = |name: &str, value: String| key.insert(name.to_owned(), value);
    let config = options.config_file.as_ref().map_or_else(
        || "none".to_owned(),
        |path| match std::fs::read(path) {
            Ok(text) => format!("text hash {:016x}", hash(&text)),
            // Unreadable now: a key no fold has, so the night re-derives.
            Err(error) => format!("unreadable ({error})"),
        },
    );
    put("config", config);
    put("csat", format!("{:?}", options.csat));
    put("sla_defaults", options.sla_defaults.to_string());
    put(
        "fcr_reopen_window",
        format!("{:?}", options.fcr_reopen_window),
    );
    put("contact_centre", format!("{:?}", options.contact_centre));
    put(
        "by",
        options
            .by
            .iter()
            .map(|d| format!("{d:?}"))
            .collect::<Vec<_>>()
            .join(","),
    );
    put("period", format!("{:?}", options.period));
    put("tz", options.tz.name().to_owned());
    put("since", format!("{:?}", options.since));
    put("until", format!("{:?}", options.until));
    put("where", filter.texts().join(" && "));
    put("has_status", has_status.to_string());
    put("per_event", per_event.to_string());
    key
}

/// What the night's settings fold a ticket with.
pub struct Settings<'a> {
    pub options: &'a AnalysisOptions,
    pub filter: &'a Filter,
    pub symbols: &'a Symbols,
    pub context: Context<'a>,
}

impl Settings<'_> {
    fn empty_fold(&self) -> TicketFold {
        let periods = self.options.period.map(|period| {
            Periods::new(period, self.options.tz).within(self.options.since, self.options.until)
        });
        TicketFold::new(self.options.by.clone(), self.options.tz, periods)
    }

    pub fn empty(&self) -> Settled {
        Settled::new(self.empty_fold())
    }

    fn selected(&self, ticket: &Ticket) -> Selection {
        let created = ticket.created_at;
        let within = self.options.since.is_none_or(|since| created >= since)
            && self.options.until.is_none_or(|until| created <= until);
        if !within {
            Selection::FilteredOut
        } else if !self.filter.keeps(ticket, self.symbols, self.options.tz) {
            Selection::LeftOut
        } else {
            Selection::Kept
        }
    }
}

enum Selection {
    Kept,
    FilteredOut,
    LeftOut,
}

/// One ticket's events, derived into its ticket at `as_of` with the counts of deriving it.
struct Derived {
    ticket: Option<Ticket>,
    after_as_of: u64,
    duplicate_events: u64,
    repeated_rows: u64,
}

fn derive(id: &str, events: &[crate::ingest::Event], as_of: Instant) -> Derived {
    let mut store = TicketStore::default();
    for event in events {
        store.push(id, event.clone());
    }
    let mut tickets = store.into_tickets(as_of);
    Derived {
        ticket: tickets.tickets.pop(),
        after_as_of: tickets.events_after_as_of,
        duplicate_events: tickets.duplicate_events,
        repeated_rows: tickets.repeated_rows,
    }
}

/// Folds `events` (one ticket's, in the order read) into `settled` if the ticket is settled
/// at the settings' `as_of` (see the module's doc); whether it did.
pub fn fold_if_settled(
    id: &str,
    events: &[crate::ingest::Event],
    settings: &Settings<'_>,
    settled: &mut Settled,
) -> bool {
    let as_of = settings.context.as_of;
    let now = derive(id, events, as_of);
    let Some(ticket) = now.ticket.as_ref() else {
        return false;
    };
    let last = events.iter().map(|event| event.at).max().unwrap_or(as_of);
    if now.after_as_of > 0 || !is_settled_now(ticket, as_of.saturating_sub(last)) {
        return false;
    }
    let later_at = as_of.saturating_add(FAR);
    let later = derive(id, events, later_at);
    if later.ticket.as_ref() != Some(ticket) {
        return false;
    }
    match settings.selected(ticket) {
        Selection::FilteredOut => settled.filtered_out += 1,
        Selection::LeftOut => settled.left_out += 1,
        Selection::Kept => {
            let later_context = Context {
                as_of: later_at,
                ..settings.context
            };
            if contribution(ticket, settings, &settings.context)
                != contribution(ticket, settings, &later_context)
            {
                return false;
            }
            settled.observe(
                std::slice::from_ref(ticket),
                settings.empty_fold(),
                &settings.context,
            );
        }
    }
    settled.duplicate_events += now.duplicate_events;
    settled.repeated_rows += now.repeated_rows;
    true
}

/// The first half of the settled rule, on the ticket alone: solved or closed, since its
/// last change of state (a solved ticket with no dated change is one of a ticket table or
/// call log, which `--state` does not take), with no event for [`QUIET`] (`quiet`: the time
/// since its last event).
fn is_settled_now(ticket: &Ticket, quiet: Instant) -> bool {
    let solved = ticket.is_solved() && ticket.solved_changes.last().is_some_and(|c| c.solved);
    solved && quiet >= QUIET
}

/// A ticket's accumulators' state as bytes, to compare two of them.
fn contribution(ticket: &Ticket, settings: &Settings<'_>, context: &Context<'_>) -> Vec<u8> {
    let mut fold = settings.empty_fold();
    fold.observe(ticket, context);
    postcard::to_stdvec(&fold).unwrap_or_default()
}

pub fn encode(folded: &Folded) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(64 + folded.ids.len() * 200);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    let mut out = postcard::to_extend(folded, out)?;
    let checksum = hash(&out);
    out.extend_from_slice(&checksum.to_le_bytes());
    Ok(out)
}

/// The fold in `bytes`; an error says what is wrong with the file.
pub fn decode(bytes: &[u8]) -> Result<Folded, String> {
    let Some((body, checksum)) = bytes.split_last_chunk::<8>() else {
        return Err("it is too short to be a fold file".to_owned());
    };
    if hash(body) != u64::from_le_bytes(*checksum) {
        return Err("its checksum does not match: it is truncated or altered".to_owned());
    }
    let Some(rest) = body.strip_prefix(MAGIC) else {
        return Err("it is no ticketkpi fold file".to_owned());
    };
    let Some((format, payload)) = rest.split_first_chunk::<4>() else {
        return Err("it ends before its format".to_owned());
    };
    let format = u32::from_le_bytes(*format);
    if format != FORMAT {
        return Err(format!(
            "it is in fold format {format}, and this ticketkpi reads format {FORMAT}"
        ));
    }
    postcard::from_bytes(payload).map_err(|e| format!("it cannot be read ({e})"))
}

fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Coverage;
    use crate::ingest::Event;
    use crate::ingest::row::{Field, RowRules, RowValues, parse_row};
    use crate::metrics::sla::SlaPolicies;
    use crate::metrics::tests::{context, row_facts};
    use crate::model::tests::build;
    use crate::time::parse_timestamp;

    /// Minutes of a month: past [`QUIET`] after the rows' events.
    const MONTH: i64 = 30 * 1440;

    /// The events of `rows` (`model::tests::build`'s compact rows, one ticket's).
    fn events_of(rows: &[&str]) -> Vec<Event> {
        let mut symbols = Symbols::default();
        let base = parse_timestamp("2026-03-02T00:00:00Z", chrono_tz::Tz::UTC).expect("a time");
        rows.iter()
            .map(|row| {
                let parts: Vec<&str> = row.split_whitespace().collect();
                let mut values = RowValues::default();
                values.set(Field::TicketId, parts[0]);
                values.set(Field::Event, parts[2]);
                values.set(Field::AuthorType, parts[3]);
                for pair in &parts[4..] {
                    let (key, value) = pair.split_once('=').expect("key=value");
                    values.set(key.parse::<Field>().expect("a field"), value);
                }
                let minute: i64 = parts[1].parse().expect("a minute");
                let seconds = ((base + minute * 60_000_000) / 1_000_000).to_string();
                values.set(Field::Timestamp, &seconds);
                parse_row(&values, &RowRules::default(), &mut symbols)
                    .expect("a valid row")
                    .1
            })
            .collect()
    }

    /// Folds ticket `A` of `rows` at `as_of_minute`.
    fn settles(rows: &[&str], as_of_minute: i64, options: &AnalysisOptions) -> bool {
        let (tickets, symbols, as_of) = build(rows, Some(as_of_minute));
        let (policies, coverage, facts) =
            (options.sla.clone(), Coverage::full(), row_facts(&tickets));
        let mut context = context(as_of, true, &policies, &symbols, &coverage, &facts);
        context.fcr_reopen_window = options.fcr_reopen_window;
        let filter = Filter::parse(&[], false, &[]).expect("no condition");
        let settings = Settings {
            options,
            filter: &filter,
            symbols: &symbols,
            context,
        };
        let events = events_of(rows);
        let mut settled = settings.empty();
        let folded = fold_if_settled("A", &events, &settings, &mut settled);
        assert_eq!(settled.tickets, u64::from(folded));
        folded
    }

    fn options() -> AnalysisOptions {
        AnalysisOptions {
            sla: SlaPolicies::default(),
            ..AnalysisOptions::for_sources(Vec::new())
        }
    }

    #[test]
    fn a_solved_ticket_answered_in_time_is_settled() {
        let rows = [
            "A 0 message customer status=new",
            "A 10 message agent status=open",
            "A 20 status agent status=closed",
        ];
        assert!(settles(&rows, MONTH, &options()));
    }

    #[test]
    fn a_solved_or_closed_ticket_settles_once_quiet_for_four_weeks() {
        let solved = [
            "A 0 message customer status=new",
            "A 10 message agent status=solved",
        ];
        assert!(!settles(&solved, 3 * 1440, &options()), "a rating may come");
        assert!(
            !settles(&solved, 27 * 1440, &options()),
            "three weeks and more"
        );
        assert!(
            settles(&solved, 10 + 28 * 1440, &options()),
            "four weeks to the minute"
        );
        let closed = [
            "A 0 message customer status=new",
            "A 10 message agent status=solved",
            "A 20 status system status=closed",
        ];
        assert!(
            !settles(&closed, 30, &options()),
            "a customer may write on it"
        );
        assert!(settles(&closed, MONTH, &options()));
    }

    #[test]
    fn an_open_or_pending_ticket_is_not_settled() {
        let open = [
            "A 0 message customer status=new",
            "A 10 message agent status=pending",
        ];
        assert!(!settles(&open, MONTH, &options()));
    }

    #[test]
    fn a_ticket_reopened_after_its_solve_is_not_settled() {
        let rows = [
            "A 0 message customer status=new",
            "A 10 status agent status=solved",
            "A 20 message customer status=open",
        ];
        assert!(!settles(&rows, MONTH, &options()));
    }

    #[test]
    fn a_ticket_with_events_after_as_of_is_not_settled() {
        let rows = [
            "A 0 message customer status=new",
            "A 10 status agent status=solved",
            "A 50 message customer status=open",
        ];
        assert!(!settles(&rows, 30, &options()));
    }

    #[test]
    fn a_closed_ticket_is_settled_only_if_its_clocks_stay_as_they_are() {
        // Closed without an agent reply: whether its first-reply clock stopped at the close
        // or runs on to `as_of` is the SLA's rule; the settled rule must agree with the
        // clocks at `as_of` and a year later.
        let rows = [
            "A 0 message customer status=new",
            "A 10 status agent status=solved",
            "A 20 status system status=closed",
        ];
        let (tickets, symbols, as_of) = build(&rows, Some(MONTH));
        let (policies, coverage, facts) = (
            SlaPolicies::default(),
            Coverage::full(),
            row_facts(&tickets),
        );
        let outcomes = |at: Instant| {
            let context = context(at, true, &policies, &symbols, &coverage, &facts);
            context
                .sla_clocks(&tickets[0])
                .map(|clocks| clocks.outcomes)
        };
        let unchanged = outcomes(as_of) == outcomes(as_of + FAR);
        assert_eq!(settles(&rows, MONTH, &options()), unchanged);
    }

    #[test]
    fn ids_are_found_by_their_hash_and_the_file_comes_back() {
        let folded = Folded {
            ids: {
                let mut ids = vec![id_hash("T1"), id_hash("T2")];
                ids.sort_unstable();
                ids
            },
            settled: Settled::new(TicketFold::new(Vec::new(), chrono_tz::Tz::UTC, None)),
        };
        assert!(folded.holds("T1") && folded.holds("T2") && !folded.holds("T3"));
        let bytes = encode(&folded).expect("encodes");
        let back = decode(&bytes).expect("decodes");
        assert_eq!(back.ids, folded.ids);
        let mut altered = bytes.clone();
        altered[20] ^= 1;
        assert!(decode(&altered).expect_err("altered").contains("checksum"));
        assert!(decode(&bytes[..bytes.len() - 3]).is_err());
    }
}

//! One row of the export, as the simulation makes it.

use crate::output::Casing;
use crate::vocabulary::{Author, Channel, Kind, Priority, Status};
/// One row of the export. Text fields are indices into the vocabulary, so an event is `Copy`
/// and cheap to buffer.
#[derive(Clone, Copy, Debug)]
pub struct Event {
    pub ts: i64,
    pub ticket: u32,
    pub kind: Kind,
    /// Write the event column empty (it defaults to `message`).
    pub implicit_kind: bool,
    pub author: Option<Author>,
    pub channel: Option<Channel>,
    pub agent: Option<u8>,
    pub team: Option<u8>,
    pub priority: Option<Priority>,
    pub category: Option<u8>,
    pub status: Option<Status>,
    pub csat: Option<u8>,
    pub nps: Option<u8>,
    /// Hundredths, -100..=100.
    pub sentiment: Option<i16>,
    pub handle: Option<u32>,
    pub talk: Option<u32>,
    pub hold: Option<u32>,
    pub acw: Option<u32>,
    /// One text column written in another case or padded with spaces, as exports do.
    pub restyle: Option<(usize, Casing)>,
}

impl Event {
    pub fn casing(&self, column: usize) -> Casing {
        match self.restyle {
            Some((restyled, casing)) if restyled == column => casing,
            _ => Casing::AsIs,
        }
    }
}

//! `--order time`: the ticket-ordered event stream re-sorted by time.

use std::io::{self, Write};

use crate::MINUTE;
use crate::event::Event;
use crate::output::RowWriter;
/// Re-sorts the ticket-ordered event stream by time. Events wait in buckets of consecutive
/// seconds until no ticket still to come can have an earlier event; memory holds the events of
/// the tickets still active, so it grows with tickets per day and ticket lifetime, not with the
/// total.
pub struct TimeQueue {
    start: i64,
    /// Seconds per bucket.
    width: i64,
    buckets: Vec<Vec<Event>>,
    /// Buckets before this one have been written.
    next: usize,
    queued: usize,
    pub peak: usize,
}

/// Enough buckets to keep each small, few enough to index long periods cheaply.
const MAX_BUCKETS: i64 = 1 << 20;

impl TimeQueue {
    /// A queue for events in `start..end`.
    pub fn new(start: i64, end: i64) -> TimeQueue {
        let width = ((end - start) / MAX_BUCKETS + 1).max(MINUTE);
        let count = ((end - start) / width + 1) as usize;
        TimeQueue {
            start,
            width,
            buckets: vec![Vec::new(); count],
            next: 0,
            queued: 0,
            peak: 0,
        }
    }

    fn bucket(&self, ts: i64) -> usize {
        let index = ((ts - self.start).max(0) / self.width) as usize;
        index.min(self.buckets.len() - 1)
    }

    pub fn push(&mut self, events: &[Event]) {
        for &event in events {
            let bucket = self.bucket(event.ts);
            self.buckets[bucket].push(event);
        }
        self.queued += events.len();
        self.peak = self.peak.max(self.queued);
    }

    /// Writes the events that come before `until`, which no later ticket can precede.
    pub fn release<W: Write>(&mut self, until: i64, out: &mut RowWriter<W>) -> io::Result<()> {
        // Later tickets can still add events to the bucket of `until` itself.
        self.write_buckets(self.bucket(until), out)
    }

    pub fn finish<W: Write>(&mut self, out: &mut RowWriter<W>) -> io::Result<()> {
        self.write_buckets(self.buckets.len(), out)
    }

    fn write_buckets<W: Write>(&mut self, stop: usize, out: &mut RowWriter<W>) -> io::Result<()> {
        while self.next < stop {
            let mut bucket = std::mem::take(&mut self.buckets[self.next]);
            // Stable: events at the same second keep their generation order.
            bucket.sort_by_key(|e| e.ts);
            for event in &bucket {
                out.row(event)?;
            }
            self.queued -= bucket.len();
            self.next += 1;
        }
        Ok(())
    }
}

//! A call: its outcome and its time in the queue, from one row of a call log.

use crate::ingest::ticket_record::CallRecord;
use crate::time::{Instant, MICROS_PER_SECOND, seconds_between};

/// What the contact-centre KPIs read of a call.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Call {
    pub answered: bool,
    /// Whether the call reached the queue for an agent (an abandoned call that did not is
    /// one that hung up in the menu, the IVR).
    pub queued: bool,
    /// Queue entry to the answer, or to the hang-up; 0 for an answered call never queued;
    /// `None` when the call was not queued and not answered, or when the log's instants
    /// contradict each other (the queue left before it was entered).
    pub wait_seconds: Option<f64>,
    /// When the call was over as far as the log tells: a finished call is never backlog.
    pub ended_at: Instant,
}

impl Call {
    /// The call of a record. `answered_at` is the record's first reply (the answer) and
    /// `ended_at` its solved time, when the log has them.
    pub fn from_record(
        record: CallRecord,
        created_at: Instant,
        answered_at: Option<Instant>,
        ended_at: Option<Instant>,
    ) -> Call {
        let queued = record.queued_at.is_some() || record.speed_of_answer_seconds.is_some();
        let wait_seconds = wait(record, answered_at)
            .or_else(|| (record.answered && !queued).then_some(0.0))
            .filter(|seconds| *seconds >= 0.0);
        let hang_up = || {
            record.queue_exit_at.or_else(|| {
                let entry = record.queued_at?;
                let seconds = record.speed_of_answer_seconds?;
                Some(entry + (seconds * MICROS_PER_SECOND as f64).round() as i64)
            })
        };
        let ended_at = if record.answered {
            ended_at.or(answered_at).or(record.queue_exit_at)
        } else {
            hang_up().or(record.queued_at)
        };
        Call {
            answered: record.answered,
            queued,
            wait_seconds,
            ended_at: ended_at.unwrap_or(created_at).max(created_at),
        }
    }
}

/// The log's own wait, else queue entry to its exit (the answer or the hang-up), else, for
/// an answered call, queue entry to the answer. The log's measure comes first: call logs
/// stamp the menu, the queue and the agent with clocks that can differ by seconds.
fn wait(record: CallRecord, answered_at: Option<Instant>) -> Option<f64> {
    if let Some(seconds) = record.speed_of_answer_seconds {
        return Some(seconds);
    }
    if let (Some(entry), Some(exit)) = (record.queued_at, record.queue_exit_at) {
        return Some(seconds_between(entry, exit));
    }
    let entry = record.queued_at?;
    let answer = answered_at.filter(|_| record.answered)?;
    Some(seconds_between(entry, answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60 * MICROS_PER_SECOND;

    fn record(answered: bool) -> CallRecord {
        CallRecord {
            answered,
            queued_at: None,
            queue_exit_at: None,
            speed_of_answer_seconds: None,
        }
    }

    #[test]
    fn an_answered_call_never_queued_waited_zero() {
        let call = Call::from_record(record(true), 0, Some(MINUTE), Some(3 * MINUTE));
        assert_eq!((call.queued, call.wait_seconds), (false, Some(0.0)));
        assert_eq!(call.ended_at, 3 * MINUTE);
    }

    #[test]
    fn the_wait_is_queue_entry_to_exit() {
        let queued = CallRecord {
            queued_at: Some(MINUTE),
            queue_exit_at: Some(2 * MINUTE),
            ..record(false)
        };
        let call = Call::from_record(queued, 0, None, None);
        assert_eq!((call.queued, call.wait_seconds), (true, Some(60.0)));
        assert_eq!(call.ended_at, 2 * MINUTE, "hung up when it left the queue");
    }

    #[test]
    fn a_call_log_may_give_the_wait_in_seconds() {
        let call = Call::from_record(
            CallRecord {
                speed_of_answer_seconds: Some(12.0),
                ..record(true)
            },
            0,
            None,
            None,
        );
        assert_eq!((call.queued, call.wait_seconds), (true, Some(12.0)));
        assert_eq!(call.ended_at, 0, "nothing later is known");
    }

    #[test]
    fn an_abandoned_call_never_queued_hung_up_in_the_menu() {
        let call = Call::from_record(record(false), 5 * MINUTE, None, None);
        assert_eq!((call.queued, call.wait_seconds), (false, None));
        assert_eq!(call.ended_at, 5 * MINUTE);
    }

    #[test]
    fn a_queue_left_before_it_was_entered_has_no_wait() {
        let call = Call::from_record(
            CallRecord {
                queued_at: Some(2 * MINUTE),
                queue_exit_at: Some(MINUTE),
                ..record(true)
            },
            0,
            None,
            None,
        );
        assert_eq!(call.wait_seconds, None);
    }
}

//! Ticket creation times.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::random::is_weekend;
use crate::{DAY, HOUR};
/// Ticket creation times over the period, following a daily and weekly rhythm.
///
/// Tickets come out in creation order without buffering: ticket `i` of `n` is placed at a
/// random point of the `i`-th equal slice of the cumulative arrival intensity (stratified
/// sampling), so the times never decrease.
pub struct Arrivals {
    start: i64,
    /// Cumulative intensity at the end of each hour of the period.
    cumulative: Vec<f64>,
    tickets: u32,
    next: u32,
    hour: usize,
}

/// Relative ticket intake per hour of the day (UTC).
const HOURLY_INTAKE: [f64; 24] = [
    2.0, 1.5, 1.0, 1.0, 1.2, 2.0, 4.0, 7.0, 10.0, 12.0, 13.0, 13.0, 12.0, 12.5, 12.5, 11.5, 10.5,
    9.5, 8.5, 7.5, 6.5, 5.0, 4.0, 3.0,
];

impl Arrivals {
    pub fn new(rng: &mut ChaCha8Rng, start: i64, days: u32, tickets: u32) -> Arrivals {
        let first_day = start.div_euclid(DAY);
        let mut cumulative = Vec::with_capacity(days as usize * 24);
        let mut total = 0.0;
        for day in 0..i64::from(days) {
            // Weekends are quieter; days vary (campaigns, outages).
            let weekend = if is_weekend(first_day + day) {
                0.5
            } else {
                1.0
            };
            let noise = 0.8 + 0.4 * rng.random::<f64>();
            for intake in HOURLY_INTAKE {
                total += intake * weekend * noise;
                cumulative.push(total);
            }
        }
        Arrivals {
            start,
            cumulative,
            tickets,
            next: 0,
            hour: 0,
        }
    }

    pub fn next(&mut self, rng: &mut ChaCha8Rng) -> i64 {
        let total = self.cumulative[self.cumulative.len() - 1];
        let slice = (f64::from(self.next) + rng.random::<f64>()) / f64::from(self.tickets);
        let target = slice * total;
        self.next += 1;
        while self.hour + 1 < self.cumulative.len() && self.cumulative[self.hour] <= target {
            self.hour += 1;
        }
        let before = if self.hour == 0 {
            0.0
        } else {
            self.cumulative[self.hour - 1]
        };
        let within = (target - before) / (self.cumulative[self.hour] - before);
        let seconds = ((within * HOUR as f64) as i64).clamp(0, HOUR - 1);
        self.start + self.hour as i64 * HOUR + seconds
    }
}

//! The ticket simulation: each ticket's conversation played out from its creation.

mod rows;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::arrivals::Arrivals;
use crate::event::Event;
use crate::random::{is_weekend, pick, skewed};
use crate::vocabulary::{
    Author, CATEGORY_WEIGHTS, CHANNELS, Channel, OUTBOUND_CHANNELS, PRIORITIES, Priority, ROSTER,
    Status, TEAM_CARE, TEAM_TECH, TECHNICAL, Timing, team_for,
};
use crate::{DAY, HOUR, MINUTE};
pub struct Generator {
    pub rng: ChaCha8Rng,
    pub arrivals: Arrivals,
    /// The export time: events from then on are not in the export.
    pub end: i64,
}

impl Generator {
    /// Simulates one ticket into `events` (in time order) and returns its creation time.
    pub fn ticket(&mut self, number: u32, events: &mut Vec<Event>) -> i64 {
        events.clear();
        let created = self.arrivals.next(&mut self.rng);
        Conversation::new(&mut self.rng, events, number, created).play();
        // Ratings and automatic closes are scheduled ahead of the conversation clock; a stable
        // sort keeps the order of events at the same second.
        events.sort_by_key(|e| e.ts);
        let exported = events.partition_point(|e| e.ts < self.end);
        events.truncate(exported);
        created
    }
}

/// The state of one ticket while its conversation is played out. `t` is the clock: each step
/// moves it forward and stamps the events it adds.
struct Conversation<'a> {
    rng: &'a mut ChaCha8Rng,
    events: &'a mut Vec<Event>,
    ticket: u32,
    t: i64,
    outbound: bool,
    channel: Option<Channel>,
    /// Channel the first pending agent reply moves the conversation to.
    redirect_to: Option<Channel>,
    priority: Option<Priority>,
    /// The priority goes up when an agent first looks at the ticket.
    escalate: bool,
    category: Option<u8>,
    /// Empty until the ticket is routed to a team.
    team: Option<u8>,
    agent: u8,
    /// Current customer sentiment in hundredths, for tickets whose messages are scored.
    mood: Option<i16>,
    replies: u32,
    reopens: u32,
    bot_resolved: bool,
}

/// After this many agent turns the ticket is solved whatever happens.
const MAX_TURNS: u32 = 8;

impl<'a> Conversation<'a> {
    fn new(
        rng: &'a mut ChaCha8Rng,
        events: &'a mut Vec<Event>,
        ticket: u32,
        created: i64,
    ) -> Conversation<'a> {
        let outbound = rng.random_bool(0.03);
        let channel = if rng.random_bool(0.006) {
            None
        } else if outbound {
            Some(pick(rng, &OUTBOUND_CHANNELS))
        } else {
            Some(pick(rng, &CHANNELS))
        };
        let redirect_to = channel
            .filter(|_| rng.random_bool(0.025))
            .map(Channel::redirect);
        let priority = (!rng.random_bool(0.04)).then(|| pick(rng, &PRIORITIES));
        let escalate = rng.random_bool(0.04);
        let mood = rng.random_bool(0.3).then(|| rng.random_range(-90..=30));
        Conversation {
            rng,
            events,
            ticket,
            t: created,
            outbound,
            channel,
            redirect_to,
            priority,
            escalate,
            category: None,
            team: None,
            agent: 0,
            mood,
            replies: 0,
            reopens: 0,
            bot_resolved: false,
        }
    }

    fn play(mut self) {
        if self.outbound {
            self.outbound_contact();
        } else {
            self.inbound_contact();
        }
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn wait(&mut self, median: i64) {
        self.t += skewed(self.rng, median);
    }

    fn timing(&self) -> &'static Timing {
        Channel::timing(self.channel)
    }

    fn inbound_contact(&mut self) {
        if self.chance(0.5) {
            // Picked by the customer in a web form or phone menu.
            self.category = Some(pick(self.rng, &CATEGORY_WEIGHTS));
        }
        let status = pick(
            self.rng,
            &[(Some(Status::New), 80), (None, 15), (Some(Status::Open), 5)],
        );
        self.customer(status);
        let bot_share = self.channel.map_or(0.0, Channel::bot_share);
        if self.timing().office_hours && bot_share == 0.0 && self.chance(0.5) {
            // Asynchronous channels without a bot acknowledge receipt automatically. The
            // customer may still be writing: the acknowledgement does not end their run.
            self.wait(5);
            self.message(Author::System, None);
        }
        self.more_customer_messages();

        if self.chance(bot_share) {
            self.wait(4);
            self.message(Author::Bot, None);
            if self.chance(0.3) {
                self.bot_resolves();
                return self.after_solve();
            }
            if self.chance(0.6) {
                self.wait(40);
                self.customer(None);
            }
            // The bot collects details, routes the conversation and hands it to an agent.
            self.wait(5);
            self.triage();
            self.message(Author::Bot, Some(Status::Open));
        }

        let roll: f64 = self.rng.random();
        if roll < 0.012 {
            // Lost in the queue: never answered, part of the backlog.
            return;
        }
        if roll < 0.042 {
            self.customer_gives_up();
            return self.after_solve();
        }
        self.work();
        self.after_solve();
    }

    /// An agent reaches out first (proactive or follow-up contact): no first reply time.
    fn outbound_contact(&mut self) {
        self.triage();
        self.agent_reply(Some(Status::Pending));
        if self.chance(0.6) {
            self.await_customer();
            self.work();
        } else {
            self.auto_solve();
        }
        self.after_solve();
    }

    fn bot_resolves(&mut self) {
        self.bot_resolved = true;
        if self.chance(0.5) {
            self.wait(30);
            self.customer(None);
        }
        self.wait(20);
        if self.chance(0.5) {
            self.message(Author::Bot, Some(Status::Solved));
        } else {
            self.status_change(Author::Bot, Status::Solved);
        }
    }

    /// The customer fixes it alone or loses interest and closes the ticket before any reply.
    fn customer_gives_up(&mut self) {
        self.wait(self.timing().first_reply);
        if self.chance(0.6) {
            self.customer(None);
        }
        self.wait(30);
        self.status_change(Author::Customer, Status::Solved);
    }

    /// Agents work the ticket until it is solved.
    fn work(&mut self) {
        self.triage();
        for turn in 0..MAX_TURNS {
            let timing = self.timing();
            let median = if self.replies == 0 {
                timing.first_reply
            } else {
                timing.reply
            };
            let median = (median as f64 * Priority::urgency(self.priority)) as i64;
            let ready = self.t + skewed(self.rng, median);
            let reply_at = self.office_hours(ready);
            if self.chance(0.22) {
                // An internal note while investigating, before the reply.
                self.t += self.rng.random_range(0..=reply_at - self.t);
                self.note();
            }
            if self.replies == 0 && self.chance(0.3) {
                // The agent picks the new ticket up before answering.
                self.t += self.rng.random_range(0..=reply_at - self.t);
                self.status_change(Author::Agent, Status::Open);
            }
            self.t = reply_at;
            if turn > 0 && self.chance(0.06) {
                self.reassign();
            }
            if self.escalate {
                self.priority = Some(Priority::escalated(self.priority));
                self.escalate = false;
            }

            let redirect = self.redirect_to.is_some();
            let solve = timing.solve[(self.replies as usize).min(timing.solve.len() - 1)];
            if !redirect && (turn + 1 == MAX_TURNS || self.chance(solve)) {
                return self.solve_with_reply();
            }
            let hold = if self.category == Some(TECHNICAL) {
                0.12
            } else {
                0.04
            };
            if !redirect && self.chance(hold) {
                // Waiting on a third party (engineering, a carrier): the next step is an update
                // from the agent, not a customer message.
                self.set_status_on_reply(Status::OnHold);
                self.wait(DAY);
                continue;
            }

            self.agent_reply(Some(Status::Pending));
            if let Some(to) = self.redirect_to.take() {
                self.channel = Some(to);
            }
            if self.chance(timing.follow_up) {
                // A second reply before the customer answers ("one more thing...").
                self.wait(timing.reply / 4 + MINUTE);
                self.agent_reply(None);
            }
            if !redirect && !self.chance(0.83) {
                return self.auto_solve();
            }
            self.await_customer();
        }
    }

    /// The customer answers a pending ticket, possibly so late that the help desk has solved it
    /// in the meantime: then the answer reopens it.
    fn await_customer(&mut self) {
        let answer_at = self.t + skewed(self.rng, self.timing().customer);
        let timeout = self.t + self.pending_timeout();
        if answer_at > timeout {
            self.t = timeout;
            self.status_change(Author::System, Status::Solved);
            self.reopens += 1;
        }
        self.t = answer_at;
        let status = self.customer_status();
        self.customer_run(status);
    }

    fn solve_with_reply(&mut self) {
        if self.chance(0.25) {
            // "Does this fix it?" - "Yes, thanks!": the agent solves the ticket without another
            // reply once the customer confirms.
            self.agent_reply(Some(Status::Pending));
            self.wait(self.timing().customer);
            let status = self.customer_status();
            self.customer(status);
            self.wait(self.timing().reply / 2);
            self.status_change(Author::Agent, Status::Solved);
        } else {
            self.set_status_on_reply(Status::Solved);
        }
    }

    /// Sets a status either on the agent's reply or, as some help desks log it, as a separate
    /// status event right after it.
    fn set_status_on_reply(&mut self, status: Status) {
        if self.chance(0.7) {
            self.agent_reply(Some(status));
        } else {
            self.agent_reply(None);
            self.wait(90);
            self.status_change(Author::Agent, status);
        }
    }

    /// The customer never answers: the help desk solves pending tickets after a few days.
    fn auto_solve(&mut self) {
        self.t += self.pending_timeout();
        self.status_change(Author::System, Status::Solved);
    }

    /// How long the help desk's automation lets a ticket wait for the customer (it runs a few
    /// times a day).
    fn pending_timeout(&mut self) -> i64 {
        4 * DAY + self.rng.random_range(0..6 * HOUR)
    }

    /// Reopens, the satisfaction survey and the automatic close after a ticket is solved.
    fn after_solve(&mut self) {
        for _ in 0..3 {
            let roll: f64 = self.rng.random();
            if roll < 0.07 {
                // The customer writes back. Many help desks leave the status column empty on
                // that row; it still reopens a solved ticket.
                self.wait(8 * HOUR);
                let status = if self.chance(0.6) {
                    None
                } else {
                    Some(Status::Open)
                };
                self.customer(status);
            } else if roll < 0.095 {
                // An agent reopens it (a follow-up check failed, a refund did not go through).
                self.wait(5 * HOUR);
                self.status_change(Author::Agent, Status::Open);
            } else {
                break;
            }
            self.reopens += 1;
            self.work();
        }

        let solved_at = self.t;
        if (self.replies > 0 || self.bot_resolved) && self.chance(0.4) {
            self.wait(5 * HOUR);
            let first = self.rating(None);
            if self.chance(0.08) {
                // The customer changes their mind: the last rating counts.
                self.wait(DAY);
                self.rating(Some(first));
            }
        }
        if self.chance(0.95) {
            self.t = solved_at + 4 * DAY + self.rng.random_range(0..6 * HOUR);
            self.status_change(Author::System, Status::Closed);
            if self.chance(0.015) {
                // A late "thanks" on a closed ticket: closed tickets do not reopen.
                self.wait(DAY);
                self.customer(None);
            }
        }
    }

    /// Replies queued outside office hours wait for the next working morning, unless a team in
    /// another time zone picks them up.
    fn office_hours(&mut self, ts: i64) -> i64 {
        if !self.timing().office_hours || self.chance(0.2) {
            return ts;
        }
        let mut day = ts.div_euclid(DAY);
        let hour = ts.rem_euclid(DAY) / HOUR;
        let mut moved = !(7..21).contains(&hour);
        if hour >= 21 {
            day += 1;
        }
        if is_weekend(day) && self.chance(0.6) {
            while is_weekend(day) {
                day += 1;
            }
            moved = true;
        }
        if !moved {
            return ts;
        }
        (day * DAY + 7 * HOUR + self.rng.random_range(0..2 * HOUR)).max(ts)
    }

    /// Routes the ticket to a team and an agent, once.
    fn triage(&mut self) {
        if self.team.is_some() {
            return;
        }
        let category = match self.category {
            Some(category) => category,
            None => pick(self.rng, &CATEGORY_WEIGHTS),
        };
        let team = team_for(self.channel, category, self.rng);
        self.category = Some(category);
        self.team = Some(team);
        self.agent = self.colleague(team);
    }

    /// Hands the ticket to another agent, escalating to tech support some of the time.
    fn reassign(&mut self) {
        let team = if self.chance(0.4) {
            TEAM_TECH
        } else {
            self.team.unwrap_or(TEAM_CARE)
        };
        self.team = Some(team);
        self.agent = self.colleague(team);
    }

    fn colleague(&mut self, team: u8) -> u8 {
        let roster = ROSTER[usize::from(team)];
        roster[self.rng.random_range(0..roster.len())]
    }

    fn customer_status(&mut self) -> Option<Status> {
        if self.chance(0.85) {
            Some(Status::Open)
        } else {
            None
        }
    }

    /// One or more customer messages in a row.
    fn customer_run(&mut self, status: Option<Status>) {
        self.customer(status);
        self.more_customer_messages();
    }

    /// Customers often send several messages before anyone answers.
    fn more_customer_messages(&mut self) {
        if self.channel == Some(Channel::Phone) {
            return;
        }
        let more = pick(self.rng, &[(0, 62), (1, 24), (2, 9), (3, 5)]);
        for _ in 0..more {
            self.wait(self.timing().burst);
            self.customer(None);
        }
    }
}

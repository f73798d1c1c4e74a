//! The vocabulary of the export: event kinds, authors, statuses, channels and their pace,
//! priorities, categories, teams and agents.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::{DAY, HOUR, MINUTE};
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Message,
    Note,
    Status,
    Rating,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Author {
    Customer,
    Agent,
    Bot,
    System,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Email,
    Chat,
    Whatsapp,
    Messenger,
    Instagram,
    Twitter,
    Wechat,
    Phone,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Message => "message",
            Kind::Note => "note",
            Kind::Status => "status",
            Kind::Rating => "rating",
        }
    }
}

impl Author {
    pub fn name(self) -> &'static str {
        match self {
            Author::Customer => "customer",
            Author::Agent => "agent",
            Author::Bot => "bot",
            Author::System => "system",
        }
    }
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Pending => "pending",
            Status::OnHold => "on_hold",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }
}

impl Priority {
    pub fn name(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// Agents work urgent tickets first: scales the channel's typical reply delay.
    pub fn urgency(priority: Option<Priority>) -> f64 {
        match priority {
            Some(Priority::Urgent) => 0.3,
            Some(Priority::High) => 0.6,
            Some(Priority::Low) => 1.6,
            Some(Priority::Normal) | None => 1.0,
        }
    }

    pub fn escalated(priority: Option<Priority>) -> Priority {
        match priority {
            Some(Priority::Low) => Priority::Normal,
            Some(Priority::High | Priority::Urgent) => Priority::Urgent,
            Some(Priority::Normal) | None => Priority::High,
        }
    }
}

/// How conversations go on a channel. Durations are medians in seconds.
pub struct Timing {
    pub first_reply: i64,
    pub reply: i64,
    pub customer: i64,
    /// Gap between consecutive messages of one customer.
    pub burst: i64,
    pub handle: i64,
    /// Replies are queued outside office hours (asynchronous channels).
    pub office_hours: bool,
    /// Chance that an agent reply solves the ticket, by reply number (then the last one):
    /// live conversations take more, shorter turns.
    pub solve: [f64; 4],
    /// Chance of a second agent reply before the customer answers.
    pub follow_up: f64,
}

/// Email-like pace: few, long replies.
const SLOW: Timing = Timing {
    first_reply: 2 * HOUR,
    reply: 4 * HOUR,
    customer: 5 * HOUR,
    burst: 30 * MINUTE,
    handle: 360,
    office_hours: true,
    solve: [0.45, 0.55, 0.65, 0.75],
    follow_up: 0.05,
};

/// Messaging apps and social media: minutes to an hour, several short turns.
const MESSAGING: Timing = Timing {
    first_reply: 10 * MINUTE,
    reply: 8 * MINUTE,
    customer: 15 * MINUTE,
    burst: 40,
    handle: 200,
    office_hours: true,
    solve: [0.25, 0.45, 0.6, 0.7],
    follow_up: 0.15,
};

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Whatsapp => "whatsapp",
            Channel::Messenger => "messenger",
            Channel::Instagram => "instagram",
            Channel::Twitter => "twitter",
            Channel::Wechat => "wechat",
            Channel::Phone => "phone",
        }
    }

    /// Share of inbound conversations answered by a bot first.
    pub fn bot_share(self) -> f64 {
        match self {
            Channel::Chat => 0.75,
            Channel::Whatsapp | Channel::Messenger => 0.6,
            _ => 0.0,
        }
    }

    /// Where agents move a conversation when the channel does not suit it.
    pub fn redirect(self) -> Channel {
        match self {
            Channel::Email => Channel::Phone,
            Channel::Twitter | Channel::Instagram => Channel::Whatsapp,
            _ => Channel::Email,
        }
    }

    pub fn timing(channel: Option<Channel>) -> &'static Timing {
        const CHAT: Timing = Timing {
            first_reply: 60,
            reply: 50,
            customer: 70,
            burst: 20,
            handle: 240,
            office_hours: false,
            solve: [0.15, 0.35, 0.5, 0.65],
            follow_up: 0.3,
        };
        const WHATSAPP: Timing = Timing {
            first_reply: 8 * MINUTE,
            reply: 7 * MINUTE,
            ..MESSAGING
        };
        const MESSENGER: Timing = Timing {
            first_reply: 20 * MINUTE,
            reply: 15 * MINUTE,
            customer: 25 * MINUTE,
            ..MESSAGING
        };
        const INSTAGRAM: Timing = Timing {
            first_reply: 45 * MINUTE,
            reply: 30 * MINUTE,
            customer: 40 * MINUTE,
            burst: MINUTE,
            handle: 180,
            ..MESSAGING
        };
        const TWITTER: Timing = Timing {
            first_reply: 30 * MINUTE,
            reply: 25 * MINUTE,
            customer: 40 * MINUTE,
            burst: MINUTE,
            handle: 180,
            ..MESSAGING
        };
        const WECHAT: Timing = Timing {
            first_reply: 25 * MINUTE,
            reply: 20 * MINUTE,
            customer: 30 * MINUTE,
            ..MESSAGING
        };
        // A call is answered from a queue; a follow-up is a callback, typically the next day.
        const PHONE: Timing = Timing {
            first_reply: 75,
            reply: DAY,
            customer: DAY,
            burst: 0,
            handle: 0,
            office_hours: false,
            solve: [0.65, 0.6, 0.7, 0.8],
            follow_up: 0.0,
        };
        match channel {
            Some(Channel::Email) | None => &SLOW,
            Some(Channel::Chat) => &CHAT,
            Some(Channel::Whatsapp) => &WHATSAPP,
            Some(Channel::Messenger) => &MESSENGER,
            Some(Channel::Instagram) => &INSTAGRAM,
            Some(Channel::Twitter) => &TWITTER,
            Some(Channel::Wechat) => &WECHAT,
            Some(Channel::Phone) => &PHONE,
        }
    }
}

pub const CHANNELS: [(Channel, u32); 8] = [
    (Channel::Email, 33),
    (Channel::Chat, 22),
    (Channel::Phone, 12),
    (Channel::Whatsapp, 12),
    (Channel::Messenger, 7),
    (Channel::Instagram, 6),
    (Channel::Twitter, 5),
    (Channel::Wechat, 3),
];

/// Agents reach out mostly by email.
pub const OUTBOUND_CHANNELS: [(Channel, u32); 3] = [
    (Channel::Email, 70),
    (Channel::Phone, 15),
    (Channel::Whatsapp, 15),
];

pub const PRIORITIES: [(Priority, u32); 4] = [
    (Priority::Low, 14),
    (Priority::Normal, 64),
    (Priority::High, 16),
    (Priority::Urgent, 6),
];

pub const CATEGORIES: [&str; 8] = [
    "billing",
    "technical",
    "account",
    "shipping",
    "returns",
    "product",
    "feedback",
    "other",
];
pub const CATEGORY_WEIGHTS: [(u8, u32); 8] = [
    (0, 20),
    (1, 22),
    (2, 14),
    (3, 16),
    (4, 10),
    (5, 9),
    (6, 5),
    (7, 4),
];
const BILLING: u8 = 0;
pub const TECHNICAL: u8 = 1;

pub const TEAMS: [&str; 4] = ["billing", "tech-support", "customer-care", "social-care"];
const TEAM_BILLING: u8 = 0;
pub const TEAM_TECH: u8 = 1;
pub const TEAM_CARE: u8 = 2;
const TEAM_SOCIAL: u8 = 3;

pub const AGENTS: [&str; 20] = [
    "Alice", "Bruno", "Chen", "Dana", // billing
    "Emeka", "Farah", "Goran", "Hana", "Ivan", // tech-support
    "Jade", "Kofi", "Lena", "Marco", "Nadia", "Oscar", "Priya", // customer-care
    "Quentin", "Rosa", "Sami", "Tomoko", // social-care
];

/// Agent indices of each team, in `TEAMS` order.
pub const ROSTER: [&[u8]; 4] = [
    &[0, 1, 2, 3],
    &[4, 5, 6, 7, 8],
    &[9, 10, 11, 12, 13, 14, 15],
    &[16, 17, 18, 19],
];

pub fn team_for(channel: Option<Channel>, category: u8, rng: &mut ChaCha8Rng) -> u8 {
    let social = matches!(
        channel,
        Some(Channel::Instagram | Channel::Twitter | Channel::Messenger | Channel::Wechat)
    );
    if social && rng.random_bool(0.8) {
        return TEAM_SOCIAL;
    }
    match category {
        BILLING => TEAM_BILLING,
        TECHNICAL => TEAM_TECH,
        _ => TEAM_CARE,
    }
}

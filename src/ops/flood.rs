//! Flood control: one policy for every path that makes the bot speak (slash commands,
//! button presses, mentions, DMs, help channels, hints and notices), so that no path
//! can be used to make the bot talk without bound.
//!
//! Two budgets, each a sliding window of timestamps:
//! - per user: `limit` replies per window, wherever they are asked. Only replies the
//!   bot actually sends are charged: chat it stays silent on costs nothing.
//! - per channel: `channel_limit` *public* messages per window, whoever asked. A
//!   channel's rate limit at Discord is shared by everyone in it; one user must not be
//!   able to spend it. Private (ephemeral) replies do not count.
//!
//! Over a budget the bot says so once per window (to that user, or in that channel),
//! and is silent after that: a flood of requests gets a bounded amount of output.
//! Memory is bounded by the users and channels active within one window.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Prune idle buckets once a map holds more than this many.
const PRUNE_ABOVE: usize = 10_000;

/// What to do about one reply the bot is about to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Send it, in the channel as planned; it has been charged.
    Speak,
    /// Send it privately instead (the channel has had its share of public messages,
    /// the user has not); charged to the user only. Offered only where a private reply
    /// exists (interactions).
    SpeakPrivately,
    /// Over a budget: send one short notice instead, saying when to try again.
    Notice { wait: Duration, over: Over },
    /// Over a budget and already told this window: send nothing.
    Silent,
}

/// Which budget a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    User,
    Channel,
}

/// Where a reply would go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Only the asker sees it (an ephemeral interaction response).
    Private,
    /// Posted in this channel for everyone; `private_fallback` when it could be sent
    /// privately instead (interactions can, channel messages cannot).
    Channel { id: u64, private_fallback: bool },
}

#[derive(Default)]
struct Bucket {
    sent: VecDeque<Instant>,
    noticed: Option<Instant>,
}

impl Bucket {
    fn prune(&mut self, now: Instant, window: Duration) {
        while self
            .sent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            self.sent.pop_front();
        }
    }

    /// `Some(wait)` when full.
    fn full(&self, limit: usize, now: Instant, window: Duration) -> Option<Duration> {
        if limit == 0 || self.sent.len() < limit {
            return None;
        }
        let oldest = self.sent.front().copied().unwrap_or(now);
        Some(window.saturating_sub(now.saturating_duration_since(oldest)))
    }

    /// A notice once per window, then silence.
    fn refuse(&mut self, wait: Duration, over: Over, now: Instant, window: Duration) -> Verdict {
        match self.noticed {
            Some(at) if now.saturating_duration_since(at) < window => Verdict::Silent,
            _ => {
                self.noticed = Some(now);
                Verdict::Notice { wait, over }
            }
        }
    }

    fn idle(&self, now: Instant, window: Duration) -> bool {
        let recent = |t: &Instant| now.saturating_duration_since(*t) < window;
        !self.sent.back().is_some_and(recent) && !self.noticed.as_ref().is_some_and(recent)
    }
}

#[derive(Default)]
struct State {
    users: HashMap<u64, Bucket>,
    channels: HashMap<u64, Bucket>,
}

pub struct FloodControl {
    user_limit: usize,
    channel_limit: usize,
    window: Duration,
    state: Mutex<State>,
}

impl FloodControl {
    /// `user_limit` replies per user and `channel_limit` public messages per channel,
    /// per `window`; 0 (or a zero window) turns that budget off.
    pub fn new(user_limit: u32, channel_limit: u32, window: Duration) -> Self {
        let off = window.is_zero();
        FloodControl {
            user_limit: if off { 0 } else { user_limit as usize },
            channel_limit: if off { 0 } else { channel_limit as usize },
            window,
            state: Mutex::new(State::default()),
        }
    }

    /// Decides about one reply to `user` and, when it is to be sent, charges it. Call
    /// it only once the bot has decided to speak: what it stays silent on is free.
    pub fn admit(&self, user: u64, audience: Audience, now: Instant) -> Verdict {
        if self.user_limit == 0 && self.channel_limit == 0 {
            return Verdict::Speak;
        }
        let window = self.window;
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let State { users, channels } = &mut *state;
        for map in [&mut *users, &mut *channels] {
            if map.len() > PRUNE_ABOVE {
                map.retain(|_, b| !b.idle(now, window));
            }
        }
        let mine = users.entry(user).or_default();
        mine.prune(now, window);
        if let Some(wait) = mine.full(self.user_limit, now, window) {
            return mine.refuse(wait, Over::User, now, window);
        }
        let mut verdict = Verdict::Speak;
        if let Audience::Channel {
            id,
            private_fallback,
        } = audience
        {
            let channel = channels.entry(id).or_default();
            channel.prune(now, window);
            match channel.full(self.channel_limit, now, window) {
                Some(_) if private_fallback => verdict = Verdict::SpeakPrivately,
                Some(wait) => return channel.refuse(wait, Over::Channel, now, window),
                None if self.channel_limit > 0 => channel.sent.push_back(now),
                None => {}
            }
        }
        if self.user_limit > 0 {
            mine.sent.push_back(now);
        }
        verdict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRIVATE: Audience = Audience::Private;
    fn channel(id: u64, private_fallback: bool) -> Audience {
        Audience::Channel {
            id,
            private_fallback,
        }
    }

    #[test]
    fn allows_the_limit_then_one_notice_then_silence_until_the_window_passes() {
        let f = FloodControl::new(2, 0, Duration::from_secs(10));
        let t0 = Instant::now();
        let at = |s| t0 + Duration::from_secs(s);
        assert_eq!(f.admit(1, PRIVATE, t0), Verdict::Speak);
        assert_eq!(f.admit(1, PRIVATE, at(1)), Verdict::Speak);
        assert_eq!(
            f.admit(1, PRIVATE, at(2)),
            Verdict::Notice {
                wait: Duration::from_secs(8),
                over: Over::User
            }
        );
        assert_eq!(f.admit(1, PRIVATE, at(3)), Verdict::Silent);
        assert_eq!(f.admit(1, PRIVATE, at(9)), Verdict::Silent);
        assert_eq!(
            f.admit(2, PRIVATE, at(3)),
            Verdict::Speak,
            "others unaffected"
        );
        assert_eq!(f.admit(1, PRIVATE, at(10)), Verdict::Speak);
        assert_eq!(f.admit(1, PRIVATE, at(11)), Verdict::Speak);
        // The last notice was at 2 s: a new window, a new notice.
        assert!(matches!(
            f.admit(1, PRIVATE, at(12)),
            Verdict::Notice { .. }
        ));
    }

    #[test]
    fn a_channel_bounds_public_messages_across_users() {
        let f = FloodControl::new(0, 2, Duration::from_secs(10));
        let t0 = Instant::now();
        assert_eq!(f.admit(1, channel(7, false), t0), Verdict::Speak);
        assert_eq!(f.admit(2, channel(7, false), t0), Verdict::Speak);
        assert!(matches!(
            f.admit(3, channel(7, false), t0),
            Verdict::Notice {
                over: Over::Channel,
                ..
            }
        ));
        assert_eq!(f.admit(4, channel(7, false), t0), Verdict::Silent);
        // Interactions can still be answered, privately; private replies are free.
        assert_eq!(f.admit(5, channel(7, true), t0), Verdict::SpeakPrivately);
        assert_eq!(f.admit(5, PRIVATE, t0), Verdict::Speak);
        assert_eq!(f.admit(5, channel(8, false), t0), Verdict::Speak);
    }

    #[test]
    fn private_fallbacks_still_count_against_the_user() {
        let f = FloodControl::new(1, 1, Duration::from_secs(10));
        let t0 = Instant::now();
        assert_eq!(f.admit(1, channel(7, true), t0), Verdict::Speak);
        assert_eq!(f.admit(2, channel(7, true), t0), Verdict::SpeakPrivately);
        assert!(matches!(
            f.admit(2, channel(7, true), t0),
            Verdict::Notice {
                over: Over::User,
                ..
            }
        ));
    }

    #[test]
    fn zero_turns_it_off() {
        let f = FloodControl::new(0, 0, Duration::from_secs(10));
        let t0 = Instant::now();
        assert!((0..100).all(|_| f.admit(1, channel(1, false), t0) == Verdict::Speak));
        let f = FloodControl::new(5, 5, Duration::ZERO);
        assert!((0..100).all(|_| f.admit(1, channel(1, false), t0) == Verdict::Speak));
    }

    #[test]
    fn memory_stays_bounded_by_recent_users() {
        let f = FloodControl::new(1, 0, Duration::from_secs(1));
        let t0 = Instant::now();
        for user in 0..(3 * PRUNE_ABOVE as u64) {
            let now = t0 + Duration::from_millis(user);
            f.admit(user, PRIVATE, now);
        }
        let users = f.state.lock().expect("lock").users.len();
        assert!(users <= PRUNE_ABOVE + 1_001, "{users}");
    }
}

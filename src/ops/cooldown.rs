//! Per-user cooldown on questions: at most N questions per window. A sliding window of
//! timestamps per user, pruned as it goes so memory stays bounded by active users.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Cooldown {
    limit: usize,
    window: Duration,
    recent: Mutex<HashMap<u64, VecDeque<Instant>>>,
}

impl Cooldown {
    /// `limit` 0 turns the cooldown off.
    pub fn new(limit: u32, window: Duration) -> Self {
        Cooldown {
            limit: limit as usize,
            window,
            recent: Mutex::new(HashMap::new()),
        }
    }

    /// Records a question by `user` at `now`; `Err(wait)` when over the limit (the
    /// refused question is not recorded, so waiting `wait` always helps).
    pub fn check(&self, user: u64, now: Instant) -> Result<(), Duration> {
        if self.limit == 0 || self.window.is_zero() {
            return Ok(());
        }
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        if recent.len() > 10_000 {
            let window = self.window;
            recent.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let times = recent.entry(user).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        if times.len() >= self.limit {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(self.window.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_passes() {
        let c = Cooldown::new(2, Duration::from_secs(10));
        let t0 = Instant::now();
        assert!(c.check(1, t0).is_ok());
        assert!(c.check(1, t0 + Duration::from_secs(1)).is_ok());
        let wait = c
            .check(1, t0 + Duration::from_secs(2))
            .expect_err("over the limit");
        assert_eq!(wait, Duration::from_secs(8));
        assert!(
            c.check(2, t0 + Duration::from_secs(2)).is_ok(),
            "other users are not affected"
        );
        assert!(c.check(1, t0 + Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn zero_turns_it_off() {
        let c = Cooldown::new(0, Duration::from_secs(10));
        let t0 = Instant::now();
        assert!((0..100).all(|_| c.check(1, t0).is_ok()));
    }
}

//! Learning from the server: a log of the questions people ask (and what they told us
//! about the answers), turned into suggestions an admin approves, usage figures, and the
//! data behind the admin page.
//!
//! A leaf service beside `ops`: it uses the core (the store, the knowledge files) and
//! nothing uses it but the front ends, `ops` and the CLI. No user ids are stored, only a
//! salted hash to count distinct people (see [`db::Database::person`]).
//!
//! - [`db`]: the database (SQLite file or PostgreSQL), migrations, votes, resolutions,
//!   pruning.
//! - [`log`]: [`QuestionLog`], the recorder every front end calls; writes go through
//!   a bounded queue to a batching writer, off the reply path.
//! - [`suggest`]: aliases people taught us, unanswered questions, unhelpful FAQs; the
//!   admin's approve / reject.
//! - [`alias`]: adding an alias to an FAQ file, keeping its comments and layout.
//! - [`stats`]: usage figures and the export.
//! - [`replay`]: the loop simulated on labelled questions (`faqbot replay`).
//! - [`upkeep`]: pruning and the pending-suggestions gauge while the bot runs.

pub mod alias;
pub mod db;
pub mod log;
pub mod replay;
pub mod stats;
pub mod suggest;
pub mod upkeep;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use serde::Serialize;

pub use db::{Backend, Database, DbError, Pruned};
pub use log::{ChannelKind, Question, QuestionLog};

/// A logged question's id: chosen when it is recorded (random, positive), so a front
/// end can refer to it (a feedback button) before the row is written, and processes
/// sharing one database never collide in practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct QuestionId(pub i64);

/// Counters and gauges of the learning loop; `ops::metrics` registers them.
#[derive(Clone, Default)]
pub struct LearningMetrics {
    /// Questions written to the log.
    pub logged: Counter,
    /// Questions not logged because the queue was full.
    pub dropped: Counter,
    /// Questions not logged because the database failed.
    pub errors: Counter,
    /// Feedback votes, by `vote` (helpful / not_helpful).
    pub votes: Family<VoteLabels, Counter>,
    /// Suggestions waiting for an admin.
    pub suggestions_pending: Gauge,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct VoteLabels {
    pub vote: String,
}

/// Question text as grouped for suggestions: lower case, every run of punctuation and
/// whitespace one space. "How much, do devs EARN??" → "how much do devs earn".
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_drops_case_and_punctuation() {
        assert_eq!(
            normalize("  How much, do devs EARN?? "),
            "how much do devs earn"
        );
        assert_eq!(normalize("what's the fee…"), "what's the fee");
        assert_eq!(normalize("¿?!"), "");
    }
}

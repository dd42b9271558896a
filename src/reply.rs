//! The bot's reply as plain data: what the terminal prints, what the JSON output holds
//! and what the Discord module renders. No front end decides anything about matching.

use serde::Serialize;

use crate::knowledge::FaqId;
use crate::matcher::Outcome;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reply {
    pub outcome: Outcome,
    /// The FAQ that answers, only when `outcome` is answered.
    pub best: Option<Candidate>,
    /// Answered: other close FAQs. Unsure: the "did you mean" list, best first.
    /// No match: the nearest topics, if any came near.
    pub alternatives: Vec<Candidate>,
    /// The answer text, only when answered.
    pub answer: Option<String>,
    /// The Further Reading links of the answer, only when answered.
    pub further_reading: Vec<Link>,
    /// Answered: the FAQs closest to the one that answers (not to the question), for
    /// "related questions". Their scores are not match confidences: always 1.
    pub related: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub id: FaqId,
    pub question: String,
    /// In [0, 1], rounded to three decimals.
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Scores are shown to people and compared in tests: three decimals is honest precision.
pub(crate) fn round_score(score: f32) -> f64 {
    (f64::from(score) * 1000.0).round() / 1000.0
}

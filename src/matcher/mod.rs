//! Matching a question against a knowledge base: text → terms → index → scores →
//! [`Outcome`]. Generic: everything specific to one knowledge base comes from its data.

mod index;
mod related;
mod text;

pub use index::{Index, QueryTerm, Scored, Search, COVERAGE_SHARE};
pub use related::related_readings;
pub use text::words;

use serde::{Deserialize, Serialize};

/// What the bot makes of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Confident: one FAQ answers it.
    Answered,
    /// Plausible candidates, none confident: offer them as "did you mean".
    Unsure,
    /// Nothing relevant: say so instead of guessing.
    NoMatch,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Unsure => "unsure",
            Outcome::NoMatch => "no_match",
        }
    }
}

/// How questions are matched: score bars, all in [0, 1], and the question length cap. Defaults are tuned on the seed's labelled questions
/// (`faqbot eval`); a server with very different FAQs may retune them in config.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchSettings {
    /// At or above: answered.
    pub answer: f32,
    /// At or above (and below `answer`): unsure.
    pub unsure: f32,
    /// Candidates at or above this are offered as suggestions.
    pub suggest: f32,
    /// An answer also needs this lead over the runner-up; otherwise it is unsure.
    pub margin: f32,
    /// Longer questions are cut to this many characters before matching: no FAQ needs
    /// more, and it bounds the work a pasted wall of text can cause.
    pub max_question_chars: usize,
}

impl Default for MatchSettings {
    fn default() -> Self {
        MatchSettings {
            answer: 0.42,
            unsure: 0.3,
            suggest: 0.2,
            margin: 0.02,
            max_question_chars: 500,
        }
    }
}

impl MatchSettings {
    pub fn validate(&self) -> Result<(), String> {
        let in_range = |v: f32| (0.0..=1.0).contains(&v);
        if ![self.answer, self.unsure, self.suggest, self.margin]
            .into_iter()
            .all(in_range)
        {
            return Err("matcher thresholds must be between 0 and 1".into());
        }
        if !(self.suggest <= self.unsure && self.unsure <= self.answer) {
            return Err("matcher thresholds must satisfy suggest <= unsure <= answer".into());
        }
        if self.max_question_chars == 0 {
            return Err("matcher.max_question_chars must be at least 1".into());
        }
        Ok(())
    }

    /// Decides the outcome of a search.
    pub fn decide(&self, search: &Search) -> Outcome {
        let ranked = &search.ranked;
        let Some(top) = ranked.first() else {
            return Outcome::NoMatch;
        };
        let runner_up = ranked.get(1).map_or(0.0, |s| s.score);
        if top.score >= self.answer && top.score - runner_up >= self.margin && !search.off_subject {
            Outcome::Answered
        } else if top.score >= self.unsure {
            Outcome::Unsure
        } else {
            Outcome::NoMatch
        }
    }
}

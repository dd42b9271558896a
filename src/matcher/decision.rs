//! Deciding what to make of a ranking: answer, ask "did you mean", or decline; and
//! which FAQs to offer alongside.

use serde::{Deserialize, Serialize};

use super::scoring::{Ranking, Scored};
use super::tuning::{CLEARLY_BETTER_FIT, SAME_EXPLANATION, SPECIFIC_ALLOWANCE, SPECIFIC_EVIDENCE};

/// How many FAQs a reply offers at most (Discord shows them as buttons).
pub const MAX_SUGGESTIONS: usize = 3;

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

/// How questions are matched: score bars, all in [0, 1], and the question length cap.
/// The defaults hold on knowledge bases nobody tuned them for (`faqbot eval`); a server
/// may still retune them in config.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchSettings {
    /// At or above: answered (from `SPECIFIC_ALLOWANCE` below it when the matched words
    /// are specific: see [`MatchSettings::bar`]).
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
            answer: 0.6,
            unsure: 0.4,
            suggest: 0.2,
            margin: 0.02,
            max_question_chars: 500,
        }
    }
}

/// The decision on one ranking: the outcome, and positions in `ranking.ranked` of the
/// answering FAQ and of the FAQs to offer.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub outcome: Outcome,
    pub answer: Option<usize>,
    pub suggestions: Vec<usize>,
    /// Why the best candidate was not answered although it scored enough, or why
    /// nothing is offered for a message at all (a thank-you), if so.
    pub held_back: Option<String>,
    /// Answered below `answer`, on specific evidence (see [`MatchSettings::bar`]).
    pub on_evidence: bool,
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

    /// The score the best FAQ needs to be answered. A question whose matched words pin
    /// the FAQ down on their own (`SPECIFIC_EVIDENCE`) needs `SPECIFIC_ALLOWANCE` less:
    /// a question about a detail of an answer ("is the late fee charged per day") is not
    /// the FAQ's own question, so the fit it lacks says nothing against it. The guards
    /// and the margin hold as at `answer`. Never below `unsure`.
    pub fn bar(&self, scored: &Scored) -> f32 {
        if scored.signals.evidence >= SPECIFIC_EVIDENCE {
            (self.answer - SPECIFIC_ALLOWANCE).max(self.unsure)
        } else {
            self.answer
        }
    }

    /// Decides the outcome of a ranking.
    pub fn decide(&self, ranking: &Ranking) -> Decision {
        let ranked = &ranking.ranked;
        let offer = |skip: usize| -> Vec<usize> {
            (skip..ranked.len())
                .filter(|&i| ranked[i].score >= self.suggest)
                .take(MAX_SUGGESTIONS)
                .collect()
        };
        if ranking.thanks {
            return Decision {
                outcome: Outcome::NoMatch,
                answer: None,
                suggestions: Vec::new(),
                held_back: Some("the message thanks and asks nothing".to_string()),
                on_evidence: false,
            };
        }
        let Some(top) = ranked.first() else {
            return Decision {
                outcome: Outcome::NoMatch,
                answer: None,
                suggestions: Vec::new(),
                held_back: None,
                on_evidence: false,
            };
        };
        let runner_up = ranked.get(1).map_or(0.0, |s| s.score);
        let mut held_back = None;
        if top.score >= self.bar(top) {
            if let Some(t) = top.unexplained {
                held_back = Some(format!(
                    "the best FAQ never mentions \"{}\": the question may be about something else",
                    ranking.terms[t].word
                ));
            } else if let Some(t) = top.other_subject {
                held_back = Some(format!(
                    "the question names \"{}\", which another FAQ asks about and the best FAQ {}",
                    ranking.terms[t].word,
                    if top.subject_in_passing {
                        "mentions only in passing"
                    } else {
                        "never mentions"
                    }
                ));
            } else if top.only_common_words {
                held_back = Some("only common words match it".to_string());
            } else if ranked.get(1).is_some_and(|second| {
                second.signals.coverage >= top.signals.coverage - SAME_EXPLANATION
                    && second.signals.evidence >= top.signals.evidence - SAME_EXPLANATION
                    && second.signals.passage >= top.signals.passage - SAME_EXPLANATION
                    && second.signals.fit >= top.signals.fit - CLEARLY_BETTER_FIT
            }) {
                // Both explain the question alike and neither FAQ's own question fits it
                // clearly better: they differ only in what the question leaves out
                // ("prune trees": apple or pear?).
                held_back = Some("the runner-up explains the question just as well".to_string());
            } else if top.score - runner_up < self.margin {
                held_back = Some(format!(
                    "the runner-up is within the margin of {}",
                    self.margin
                ));
            } else {
                return Decision {
                    outcome: Outcome::Answered,
                    answer: Some(0),
                    suggestions: offer(1),
                    held_back: None,
                    on_evidence: top.score < self.answer,
                };
            }
        }
        let outcome = if top.score >= self.unsure {
            Outcome::Unsure
        } else {
            Outcome::NoMatch
        };
        let mut suggestions = offer(0);
        // The question names another FAQ's subject: that FAQ is among the offers, if it
        // scored enough to be offered at all.
        if let Some(p) = top.asked_by {
            if ranked[p].score >= self.suggest && !suggestions.contains(&p) {
                suggestions.truncate(MAX_SUGGESTIONS - 1);
                suggestions.push(p);
            }
        }
        Decision {
            outcome,
            answer: None,
            suggestions,
            held_back,
            on_evidence: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::query::{QueryTerm, Reading};
    use super::super::scoring::{Scored, Signals};
    use super::*;

    fn scored(doc: usize, score: f32) -> Scored {
        Scored {
            doc,
            score,
            signals: Signals::default(),
            unexplained: None,
            only_common_words: false,
            other_subject: None,
            subject_in_passing: false,
            asked_by: None,
        }
    }

    #[test]
    fn the_faq_whose_subject_the_question_names_is_offered() {
        let garage = QueryTerm {
            word: "garage".into(),
            term: "garag".into(),
            reading: Reading::Known,
            info: 1.0,
            english: 1.0,
            matches: Vec::new(),
            foreign: false,
            parts: Vec::new(),
        };
        let mut ranked: Vec<Scored> = [0.7, 0.5, 0.45, 0.41, 0.3]
            .iter()
            .enumerate()
            .map(|(doc, &score)| scored(doc, score))
            .collect();
        ranked[0].other_subject = Some(0);
        ranked[0].asked_by = Some(4);
        let ranking = Ranking {
            terms: vec![garage],
            ranked,
            thanks: false,
        };
        let settings = MatchSettings::default();
        let d = settings.decide(&ranking);
        assert_eq!(d.outcome, Outcome::Unsure);
        assert!(d
            .held_back
            .is_some_and(|why| why.contains("garage") && why.contains("never mentions")));
        assert_eq!(d.suggestions, [0, 1, 4]);
        // Named only in passing by the best FAQ: said so.
        let mut passing = ranking.clone();
        passing.ranked[0].subject_in_passing = true;
        let d = settings.decide(&passing);
        assert_eq!(d.outcome, Outcome::Unsure);
        assert!(d
            .held_back
            .is_some_and(|why| why.contains("only in passing")));
        // Offered already: offered once.
        let mut ranking = ranking;
        ranking.ranked[0].asked_by = Some(1);
        assert_eq!(settings.decide(&ranking).suggestions, [0, 1, 2]);
        // Below the bar for suggestions: not offered.
        ranking.ranked[0].asked_by = Some(4);
        ranking.ranked[4].score = settings.suggest / 2.0;
        assert_eq!(settings.decide(&ranking).suggestions, [0, 1, 2]);
    }

    #[test]
    fn specific_evidence_answers_a_little_below_the_bar() {
        let settings = MatchSettings::default();
        let just_below = settings.answer - SPECIFIC_ALLOWANCE / 2.0;
        let ranking = |evidence: f32| Ranking {
            terms: Vec::new(),
            ranked: vec![
                Scored {
                    signals: Signals {
                        evidence,
                        ..Signals::default()
                    },
                    ..scored(0, just_below)
                },
                scored(1, 0.3),
            ],
            thanks: false,
        };
        let d = settings.decide(&ranking(SPECIFIC_EVIDENCE));
        assert_eq!(d.outcome, Outcome::Answered);
        assert!(d.on_evidence);
        // Common words matched: the bar stands.
        let d = settings.decide(&ranking(SPECIFIC_EVIDENCE - 0.1));
        assert_eq!(d.outcome, Outcome::Unsure);
        assert!(!d.on_evidence);
        // At the full bar it is no exception.
        let mut full = ranking(1.0);
        full.ranked[0].score = settings.answer;
        assert!(!settings.decide(&full).on_evidence);
        // The guards hold below `answer` as at it: a word the FAQ never mentions.
        let mut foreign = ranking(1.0);
        foreign.terms = vec![QueryTerm {
            word: "instagram".into(),
            term: "instagram".into(),
            reading: Reading::Unknown,
            info: 1.0,
            english: 1.0,
            matches: Vec::new(),
            foreign: true,
            parts: Vec::new(),
        }];
        foreign.ranked[0].unexplained = Some(0);
        let d = settings.decide(&foreign);
        assert_eq!(d.outcome, Outcome::Unsure);
        assert!(d.held_back.is_some_and(|why| why.contains("instagram")));
        // So does the margin over the runner-up.
        let mut close = ranking(1.0);
        close.ranked[1].score = just_below - settings.margin / 2.0;
        assert_eq!(settings.decide(&close).outcome, Outcome::Unsure);
        // Never below `unsure`: a server that wants no "did you mean" band keeps it so.
        let strict = MatchSettings {
            unsure: settings.answer,
            ..settings
        };
        assert_ne!(strict.decide(&ranking(1.0)).outcome, Outcome::Answered);
    }
}

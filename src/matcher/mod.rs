//! Matching a question against a knowledge base, in stages, one file each:
//!
//! 1. [`text`]: chat text → words → terms (Unicode folding, stop words, stemming, the
//!    knowledge base's own synonyms).
//! 2. `query`: a question → weighted terms, each with the knowledge-base terms it stands
//!    for: shorthand spelled out, typos corrected, related English words followed.
//! 3. `index`: the knowledge base → postings by field, term rarity, the ways in.
//! 4. `scoring`: named [`Signals`] per FAQ, combined in [`Signals::score`].
//! 5. `decision`: answered / unsure / no match, and what to offer.
//!
//! Further Reading similarity lives apart, in `related`. Every tuning number is named
//! and explained in `tuning`. The English the matcher knows beyond the knowledge base
//! (word frequency, related words, inflections, chat shorthand) is in `lexicon`.
//!
//! # The formula
//!
//! A question term *t* carries information `info(t) = idf(t) × english(t)`: BM25's IDF
//! over the FAQs (an answer-only mention counts partly towards document frequency),
//! times how rare the word is in English at large (1 for rare words, falling to a floor
//! for "how", "do", "time"). A word the FAQs never use carries `idf_max × 0.7 ×
//! english(t)`, less for verbs and adjectives than for nouns and names.
//!
//! Each FAQ *d* holds a term with a strength: 1 in its question, aliases or keywords;
//! 0.55 in its answer only (+0.2 when no other FAQ mentions it, +0.15 when repeated).
//! A question term matches *d* with `m(t, d) = max over the knowledge-base terms t
//! stands for of confidence × strength`, where confidence is 1 for the word itself, the
//! typo confidence for a corrected word, and 0.7 × the relation's weight for a related
//! word. Then:
//!
//! - `coverage = Σ info(t) m(t, d) / Σ info(t)`
//! - `fit = max over d's question and aliases v of Σ_{k ∈ v} (info(k) + 0.15) c(k) /
//!   Σ_{k ∈ v} (info(k) + 0.15)`, with `c(k)` how surely the question names `k`
//! - `evidence = 1 − exp(−Σ info(t) m(t, d) / idf_max / 0.6)`
//! - `score = 0.5 coverage + 0.25 fit + 0.25 evidence`
//!
//! The best FAQ is answered when its score reaches `matcher.answer`, it leads the
//! runner-up by `matcher.margin`, and the question has no *foreign* word: an
//! informative noun or name that nothing in the knowledge base explains ("how do I
//! delete my *instagram* account"). Otherwise the question is unsure at `matcher.unsure`
//! (offering candidates from `matcher.suggest`), else no match.

mod decision;
mod index;
mod lexicon;
mod query;
mod related;
mod scoring;
mod text;
mod tuning;

pub use decision::{Decision, MatchSettings, Outcome, MAX_SUGGESTIONS};
pub use index::Index;
pub use query::{QueryTerm, Reading};
pub use related::related_readings;
pub use scoring::{Ranking, Scored, Signal, Signals};
pub use text::words;

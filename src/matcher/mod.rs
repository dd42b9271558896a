//! Matching a question against a knowledge base, in stages, one module each:
//!
//! 1. `text`: chat text → words → terms (Unicode folding, stop words, stemming, the
//!    knowledge base's own synonyms).
//! 2. `query`: a question → weighted terms, each with the knowledge-base terms it stands
//!    for: shorthand spelled out, typos corrected, related English words followed.
//! 3. `index`: the knowledge base → postings by field, term rarity, the ways in.
//! 4. `scoring`: named [`Signals`] per FAQ, combined in [`Signals::score`].
//! 5. `decision`: answered / unsure / no match, and what to offer.
//!
//! Further Reading similarity lives apart, in `related`. Every tuning number is named
//! and explained in `tuning`. The English the matcher knows beyond the knowledge base
//! (word frequency, related words, inflections, two-word nouns, chat shorthand) is in
//! `lexicon`.
//!
//! # The formula
//!
//! Numbers are named in `tuning` (given here by name, so this stays true when they are
//! retuned).
//!
//! A question term *t* carries information `info(t) = idf(t) × english(t)` (times
//! `UNKNOWN_WEIGHT`, and `UNKNOWN_NOT_NOUN` unless a noun, for a term only aliases hold:
//! learned aliases are people's questions word for word, "app wont load at all anymore",
//! and only the FAQs' own text says which words tell them apart): BM25's IDF
//! over the FAQs (an answer-only mention counts partly towards document frequency; an
//! FAQ that holds a word the FAQs write only in an alias does not count at all, there
//! or for `ANSWER_SPECIFIC` below: people's phrasings do not make the FAQs' words
//! commoner),
//! times how rare the word is in English at large (`english_weight`: 1 for words rarer
//! than `ZIPF_RARE`, falling to `COMMON_WORD_FLOOR` for "how", "do", "time"; a number
//! `NUMBER_ENGLISH`: an asker's "i'm 13" meets an FAQ's "13:00" by chance). A word the
//! FAQs never use carries `idf_max × UNKNOWN_WEIGHT × english(t)`, times
//! `UNKNOWN_NOT_NOUN` for verbs and adjectives; a number or quantity the FAQs never
//! write ("2pm", "10h", "14th": the asker's circumstance, never a foreign subject)
//! carries `idf_max × UNKNOWN_WEIGHT × UNKNOWN_NOT_NOUN`. Two words the FAQs use,
//! written together ("yearold" of "4-year-old"), count as the two words; an
//! abbreviation in the plural ("pdfs") as the FAQs' singular.
//!
//! Each FAQ *d* holds a term with a strength: `QUESTION_STRENGTH` in its question,
//! aliases or keywords; `ANSWER_STRENGTH` in its answer only (+`ANSWER_SPECIFIC` when
//! no other FAQ mentions it, +`ANSWER_REPEAT` when repeated). A question term matches
//! *d* with `m(t, d) = max over the knowledge-base terms t stands for of confidence ×
//! strength`, where confidence is 1 for the word itself, the typo confidence for a
//! corrected word, `PART_CONFIDENCE` for a noun the FAQs write only as part of a
//! two-word hyphenated word ("gluten" of "gluten-free"; with that word's IDF), and
//! `RELATED_DISCOUNT` × the relation's weight for a related word (the lexicon weighs
//! a pair from one side, so a relation counts whichever side lists it: the FAQs' word
//! or the question's, whose related words meet the FAQs' words as written or as their
//! dictionary forms, never by stem; the stronger wins). A real word that is the FAQs'
//! word with two letters swapped ("trail" for trial), which they never write and no
//! relation explains, is read with a changed letter's confidence. Chat's spoken
//! spellings are read as the words they spell ("gettin", "foreverrr") where the typed
//! form is no dictionary word. A word English
//! lists but no dictionary knows, below `TYPO_REAL_WORD_ZIPF`, is a typo people make
//! often ("ther", "fre") and is corrected like an unlisted one. A correction keeps the
//! word's first letter (or swaps the first two) and changes a letter of a short word
//! (four letters or fewer) only into the knowledge base's word ("synk" → sync; "vite"
//! stays a name: not "site", another first letter, nor "vote").
//! A word the FAQs use but no FAQ's own question holds stands for itself and, at that
//! discount, for the FAQs' words it is strongly related to (relation weight ≥ `KNOWN_RELATED_MIN`:
//! "purchase" in a passing mention also stands for "buy" in the FAQ about returning
//! what you bought; a typo of it too, times the typo's confidence).
//! Answer-only credit rises towards `ANSWER_FOCUSED` as the share of the question the
//! FAQ explains rises. Then, per FAQ:
//!
//! - `coverage = Σ info(t) m(t, d) / Σ info(t)`
//! - `fit = max over d's question and aliases v of Σ_{k ∈ v} (info(k) + FIT_FLOOR) c(k)
//!   / Σ_{k ∈ v} (info(k) + FIT_FLOOR)`, with `c(k)` how surely the question names `k`
//! - `evidence = 1 − exp(−Σ info(t) m(t, d) / idf_max / EVIDENCE_SCALE)`
//! - `passage = max over d's passages (question, an alias, one answer sentence) of the
//!   share of Σ info(t) that passage explains`
//! - `score = Σ WEIGHT_<signal> × signal` ([`Signals::score`])
//!
//! The best FAQ is answered when its score reaches `matcher.answer` (less
//! `SPECIFIC_ALLOWANCE` when its evidence reaches `SPECIFIC_EVIDENCE`: the matched words
//! pin it down on their own, and a question about a detail of its answer lacks fit by
//! nature) and it leads the runner-up by `matcher.margin`, unless (see `decision`):
//!
//! - the question has a *foreign* word the FAQ never explains, an informative noun or
//!   name ("how do I delete my *instagram* account"; a word WordNet does not know is a
//!   name unless it is a function word such as "versus"), but not one whose related
//!   words the FAQs hold throughout (`THEME_SHARE` of them, at least `THEME_MIN_FAQS`):
//!   that is their theme said otherwise ("*homework*" in a course's FAQ full of
//!   assignments);
//! - or a two-word noun of the lexicon that the FAQs never write and whose two words
//!   the FAQ does not both hold itself ("opening hours of the *post office*": each word
//!   may be the knowledge base's, together they name something else; a compound adds
//!   no information of its own, its words count as themselves);
//! - or two nouns in a row that the lexicon does not list as one, one of them the
//!   knowledge base's word and the other not, neither of which the FAQ mentions
//!   (itself, a typo, a part or a related word): "is there a student discount for
//!   *apple music*" names a product, though "apple" is the knowledge base's word and
//!   "music" a common one (two words in a row within a clause: "does it run on my
//!   apple? music apps…" names none);
//! - or it names what another FAQ asks about: a noun or name, read surely
//!   (`SUBJECT_MIN_CONFIDENCE`), informative (`english(t) ≥ FOREIGN_MIN_ENGLISH`), that
//!   another FAQ's own question holds, itself or as a strongly related word ("printer"
//!   for "print"), but at most `SUBJECT_MAX_ASKED` FAQs' questions do (more make it the
//!   knowledge base's topic, "gym" in a gym's FAQ), and that the best FAQ never mentions
//!   ("is the *garage* open on saturdays" is not the hall's opening hours; the FAQ that
//!   asks about it is among the offers if it reaches `matcher.suggest`), or mentions
//!   only in its answer while the FAQ asking about it scores at least `SUBJECT_CLOSE` of
//!   the best score ("how much are the *lockers*" is not the ticket prices, whose
//!   answer lists lockers among the add-ons);
//! - or only words commoner than `INFORMATIVE_ENGLISH` match ("how long");
//! - or the runner-up explains the question just as well (`SAME_EXPLANATION`,
//!   `CLEARLY_BETTER_FIT`).
//!
//! Otherwise the question is unsure at `matcher.unsure` (offering candidates from
//! `matcher.suggest`), else no match. A message that only thanks ("thanks, that helped
//! a lot!": a word that thanks, not "in advance", no question mark, no word that asks,
//! no informative word an FAQ's own question holds, at most `THANKS_MAX_TERMS` terms)
//! is no match with nothing offered, whatever its words match: in a help channel it
//! follows an answer.

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

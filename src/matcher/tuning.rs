//! Every tuning number of the matcher, named and explained in one place.
//!
//! They were set on the shipped knowledge base's dev questions and on the repository's
//! own held-out sets (`eval/own/`), never on one knowledge base's wording: each says
//! something about English or about how FAQs are written, not about any FAQ.

// ---- How informative a word is --------------------------------------------------

/// Zipf frequency (log10 of uses per billion words) at or above which a word is as
/// common as English gets ("how", "do", "time"): it pins down almost nothing.
pub const ZIPF_COMMON: f32 = 6.8;
/// Zipf frequency at or below which a word is rare enough to name a topic on its own
/// ("refund", "waitlist"); between the two, informativeness falls linearly.
pub const ZIPF_RARE: f32 = 3.8;
/// How sharply informativeness falls with commonness: above 1, the most common words
/// ("make", "get", "time") fall away faster than mid-frequency ones ("skills").
pub const ENGLISH_POWER: f32 = 1.0;
/// What the commonest words still weigh, relative to a rare word of the same IDF.
pub const COMMON_WORD_FLOOR: f32 = 0.12;
/// How informative a number is, whatever its frequency in English: the FAQs write many
/// (prices, times, ages, limits) and an asker's own ("i'm 13", "3 hrs late") meets
/// them by chance as often as not, so a shared number is evidence, but no more than a
/// word of middling frequency (Zipf 5.3).
pub const NUMBER_ENGLISH: f32 = 0.5;
/// A word the knowledge base never uses weighs this much relative to a known word of
/// the same rarity: chat is full of filler the FAQs do not need to explain.
pub const UNKNOWN_WEIGHT: f32 = 0.4;
/// Unknown verbs and adjectives ("confusing", "quick") rarely name what a question is
/// about; nouns and names do ("instagram", "pilot").
pub const UNKNOWN_NOT_NOUN: f32 = 0.2;

// ---- Where a word is found in an FAQ --------------------------------------------

/// A term in the FAQ's question, an alias or a keyword: what the FAQ is about.
pub const QUESTION_STRENGTH: f32 = 1.0;
/// A term found only in the answer. Answers mention many things in passing; a term
/// that only one or two answers hold is still good evidence (see `ANSWER_SPECIFIC`).
pub const ANSWER_STRENGTH: f32 = 0.75;
/// Extra strength for an answer-only term that no other FAQ mentions at all.
pub const ANSWER_SPECIFIC: f32 = 0.3;
/// Extra strength for an answer term used three or more times (likely its topic).
pub const ANSWER_REPEAT: f32 = 0.15;
/// What an answer-only term can rise to when the answer holds the whole question: an
/// answer about the question's every word is about the question ("what's the late fee"
/// → the FAQ whose answer gives the fee), though still less than its own question.
pub const ANSWER_FOCUSED: f32 = 0.85;

// ---- Reading a question ----------------------------------------------------------

/// A related word (WordNet synonym, derived form) counts this much of a word the user
/// typed, times the relation's own weight: the user's own words come first.
pub const RELATED_DISCOUNT: f32 = 0.5;
/// Relations weaker than this are not followed: they are more noise than meaning.
pub const RELATED_MIN: f32 = 0.2;
/// A word the knowledge base uses, but no FAQ's own question, also stands for the
/// knowledge base's words that relate to it at least this strongly, at
/// `RELATED_DISCOUNT`: the FAQ that means it may say it otherwise ("purchase" → buy).
/// 0.6 takes synonyms (also of second senses), derived forms and similar adjectives,
/// and leaves out hypernyms (0.4 and below: "refund" → payment) and third senses.
pub const KNOWN_RELATED_MIN: f32 = 0.6;
/// Typo search: words shorter than this are not corrected (too many neighbours).
pub const TYPO_MIN_CHARS: usize = 4;
/// Words this long may have two edits; shorter ones one.
pub const TYPO_TWO_EDITS_FROM: usize = 9;
/// A typed word at least this common in English is a real word, not a typo of a
/// knowledge-base word ("chess" is not "chest").
pub const TYPO_REAL_WORD_ZIPF: f32 = 3.2;
/// A word WordNet knows but rarer than this in English ("singel") may be corrected to
/// a common English word (one WordNet does not know, "ther", "fre", up to
/// `TYPO_REAL_WORD_ZIPF`: chat makes those typos often enough to be listed) ...
pub const ENGLISH_TYPO_MAX_ZIPF: f32 = 2.5;
/// ... at least this much more common (in Zipf units, so 2 is 100 times).
pub const ENGLISH_TYPO_MIN_GAIN: f32 = 2.0;
/// A message that thanks, asks nothing and has at most this many terms is a
/// thank-you, not a question (see `query::only_thanks`).
pub const THANKS_MAX_TERMS: usize = 3;
/// How surely a part of a hyphenated word ("gluten" of "gluten-free") means it: the
/// FAQ writes the word, but joined to another it may mean more ("wrap" of "gift-wrap").
pub const PART_CONFIDENCE: f32 = 0.8;
/// A clipped word ("defib", "admin") of at least this many letters stands for the one
/// knowledge-base word it begins, if that word is at least this many letters longer.
pub const CLIPPED_MIN_CHARS: usize = 4;
pub const CLIPPED_MIN_MISSING: usize = 3;
/// How sure such a completion is.
pub const CLIPPED_CONFIDENCE: f32 = 0.8;
/// A word rare in English or unknown to it is corrected to an English word one edit away only when
/// that word is at least this common ("pasword" → "password").
pub const ENGLISH_TYPO_MIN_ZIPF: f32 = 4.0;
/// How sure a correction is, by kind of edit: dropped, doubled or swapped letters are
/// the typos of chat; a changed letter is as often another word ("charge", "change").
pub const TYPO_CONFIDENCE_INSERT_DELETE: f32 = 0.9;
pub const TYPO_CONFIDENCE_SWAP: f32 = 0.9;
pub const TYPO_CONFIDENCE_CHANGE: f32 = 0.6;
pub const TYPO_CONFIDENCE_TWO_EDITS: f32 = 0.5;

// ---- Scoring -----------------------------------------------------------------------

/// Added to every term's weight when judging fit, so that an FAQ question's common
/// words still count a little towards covering it.
pub const FIT_FLOOR: f32 = 0.1;
/// Evidence saturates: this much matched information (in units of the knowledge
/// base's rarest word) makes `1 − e⁻¹` of full evidence.
pub const EVIDENCE_SCALE: f32 = 0.8;
/// The signals' weights in the score (they add up to one).
pub const WEIGHT_COVERAGE: f32 = 0.45;
pub const WEIGHT_FIT: f32 = 0.2;
pub const WEIGHT_EVIDENCE: f32 = 0.25;
pub const WEIGHT_PASSAGE: f32 = 0.1;

// ---- Deciding ----------------------------------------------------------------------

/// Evidence (see `Signals::evidence`) at which the matched words pin an FAQ down on
/// their own: about 1.1 times the information of the knowledge base's rarest word,
/// so a rare word and more, matched where the FAQ holds them.
pub const SPECIFIC_EVIDENCE: f32 = 0.75;
/// How far below `matcher.answer` such a question is still answered: its fit is low
/// by nature when it asks about a detail of the answer, not the FAQ's own question.
/// The guards still hold it back ("never mentions *instagram*"), and it still needs the
/// margin over the runner-up.
pub const SPECIFIC_ALLOWANCE: f32 = 0.1;
/// Two FAQs whose coverage, evidence and passage are this close explain the question
/// alike: answering one of them would be a coin toss, so the question is unsure ...
pub const SAME_EXPLANATION: f32 = 0.01;
/// ... unless one FAQ's own question fits the question by this much more ("what does a
/// backend dev do" is the question "What does a back-end developer do?").
pub const CLEARLY_BETTER_FIT: f32 = 0.2;
/// An FAQ is answered only if at least one word it matches is rarer than the commonest
/// English words (0.35 ≈ Zipf 5.75: "refund", "skills", "account", not "how", "long",
/// "time", "get"). Common words say what kind of question it is, not what it is about.
pub const INFORMATIVE_ENGLISH: f32 = 0.35;

/// A noun or name the knowledge base never uses, at least this informative in English
/// (see `english_weight`; 0.65 ≈ rarer than Zipf 4.85: "pilot", "instagram", not
/// "thing"), makes an FAQ that does not explain it look like the wrong subject: at
/// most "did you mean" ("how do I delete my *instagram* account").
pub const FOREIGN_MIN_ENGLISH: f32 = 0.65;
/// ... unless the FAQs' words it is related to are, together, in at least this share
/// of the FAQs (in their questions or answers): then it is the knowledge base's theme,
/// said otherwise ("can i use chatgpt for my *homework*" in a course's FAQ, whose
/// assignments run through it), and an FAQ that does not mention it is not therefore
/// about something else. The lexicon's relations do not know the sense meant: "receipt"
/// is related to "reception", and reception desks may run through a gym's answers.
pub const THEME_SHARE: f32 = 0.25;
/// ... and in at least this many FAQs: in a small knowledge base a quarter is one or
/// two FAQs, which a word names as their subject ("quiz", related to the exams of the
/// FAQs on exam time and on grades, is not the AI-tools FAQ's theme).
pub const THEME_MIN_FAQS: usize = 3;

/// How surely a word must be read (1 for the word itself; a one-letter typo 0.9) to
/// hold an answer back as naming another FAQ's subject: a far-fetched correction is
/// no evidence of what the question is about.
pub const SUBJECT_MIN_CONFIDENCE: f32 = 0.9;
/// ... and the word must be what at most this many FAQs ask about: a word many FAQs'
/// questions hold is the knowledge base's topic ("gym" in a gym's FAQ), not another
/// FAQ's subject.
pub const SUBJECT_MAX_ASKED: u16 = 2;
/// A best FAQ that mentions such a word only in its answer is held back when the FAQ
/// that asks about it scores at least this share of the best score: a close call
/// between the FAQ about the thing and one that names it in passing is the asker's to
/// make.
pub const SUBJECT_CLOSE: f32 = 0.85;

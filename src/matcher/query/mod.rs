//! Reading a question: from chat text to weighted terms, each with the knowledge-base
//! terms it stands for and how surely.
//!
//! First, shorthand written with a slash is spelled out in the text ("w/o" → without),
//! since splitting into words would cut it in two. Then per word, in order: chat
//! shorthand spelled out ("pw" → password; an aside such as "ngl" → nothing) unless
//! the knowledge base uses the word itself; two words the FAQs write as one joined
//! ("back end" → backend; never after a determiner: "my blog" is no "myblog"); the
//! word's term if the knowledge base knows it (and, discounted, for a word no FAQ's own
//! question holds, the knowledge base's words it is a synonym or form of: "purchase" →
//! buy); a noun the FAQs write only inside a hyphenated word standing for it ("gluten"
//! of "gluten-free"); chat's spoken spellings written out, where the typed form is no
//! dictionary word ("gettin" → getting, "foreverrr" → forever; "thin" stays); an
//! abbreviation in the plural as the FAQs' singular ("pdfs"); an unknown word that is
//! two known words written together split ("nodejs"); a number or quantity the FAQs
//! never write, as the asker's circumstance ("2pm"); a typo of a known word corrected,
//! unless the word is real English ("chess" stays chess); a typo of a common English
//! word that is the knowledge base's corrected; a clipped word of the knowledge base
//! completed ("defib", "langs" → languages); a short word English has never seen with a
//! letter of a knowledge-base word changed ("synk" → sync); a typo of a hyphenated
//! word's part ("glutan" → gluten); a typo of another common English word corrected
//! ("pasword" → password, and "ther", which chat makes often enough to be listed).
//! Corrections keep the first letter (or swap the first two), and change a letter of a
//! short word only into the knowledge base's word ("vite" stays a name). Then related
//! English words followed into the knowledge base, whichever side the lexicon lists the
//! pair from ("make" → earn; "trainer" → training, though "training" does not list
//! trainer; the question's side met as the FAQs write a word or as its dictionary form,
//! never by stem: "rally" leads to "mobilize", which is no "mobile"); a real word that
//! leads nowhere and is the knowledge base's word with two letters swapped read as that
//! word ("free trail" → trial); otherwise the word is unknown. Then two words in a row
//! that English writes as one noun ("post office") are also read as one compound,
//! unless the FAQs write it themselves: an FAQ that lacks either word is about
//! something else; two other nouns in a row ("apple music") are read as a pair: an FAQ
//! that mentions neither is about something else.
//!
//! Here: the reading of each word in that order, the related words followed into the
//! knowledge base, and quantities. In `clauses`: where a message's clauses end. In
//! `spelling`: typos, clipped words, words written together and spoken spellings. In
//! `pairs`: compounds and noun pairs. In `thanks`: whether a message only thanks.

use std::ops::Range;

use super::index::{english_weight, Index, TermId};
use super::lexicon::lexicon;
use super::text::words;
use super::tuning::*;

mod clauses;
mod pairs;
mod spelling;
mod thanks;

use clauses::clauses;
use spelling::spoken_spelling;
pub(super) use thanks::only_thanks;

/// How a question word was read.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    /// A word the knowledge base uses (or two it writes as one, or one it writes as two).
    Known,
    /// A typo of a knowledge-base word.
    Typo { typed: String },
    /// Not used by the knowledge base on its own, but part of a word it writes
    /// hyphenated ("gluten" of "gluten-free").
    Part { of: String },
    /// Not used by the knowledge base, but related to words it uses.
    Related,
    /// Nothing in the knowledge base stands for it.
    Unknown,
    /// Two words in a row that name one thing ("post office"): not more of the
    /// question (its words count on their own), but an FAQ that lacks either word is
    /// about something else.
    Compound,
    /// Two nouns in a row that English does not list as one ("apple music"): an FAQ
    /// that mentions neither is about something else.
    NounPair,
}

/// One term of a question, for scoring and for `--explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    /// The word as read (after shorthand and typo correction).
    pub word: String,
    pub term: String,
    pub reading: Reading,
    /// How much of the question's information the term carries.
    pub info: f32,
    /// How informative the word is in English at large (see `index::english_weight`).
    pub english: f32,
    /// The knowledge-base terms it stands for, each with how surely (1 for the word
    /// itself), best first.
    pub(super) matches: Vec<(TermId, f32)>,
    /// A noun or name the knowledge base does not use, informative enough that an FAQ
    /// which does not explain it is likely about something else; and every compound.
    pub foreign: bool,
    /// Of a compound, the terms each of its words stands for (none for a word the
    /// knowledge base does not know): an FAQ explains it only if it holds both words.
    pub(super) parts: Vec<Vec<TermId>>,
}

/// Words that point at what follows: never the first half of a word written apart.
/// ("no", "any", "some" may be: "no-shows", "anytime".)
const DETERMINERS: &[&str] = &[
    "a", "an", "her", "his", "its", "my", "our", "that", "the", "their", "these", "this", "those",
    "your",
];

impl QueryTerm {
    pub fn known(&self) -> bool {
        !self.matches.is_empty()
    }
}

impl Index {
    /// Reads a question into weighted terms (see the module comment).
    pub fn read_question(&self, question: &str) -> Vec<QueryTerm> {
        let lex = lexicon();
        let spelled = lex.spell_out_slashes(question);
        let question = spelled.as_deref().unwrap_or(question);
        let mut ws: Vec<String> = Vec::new();
        // Per word of `ws`, the typed word it comes from: shorthand spelled out ("pc" →
        // personal computer) is one word typed, not two in a row.
        let mut typed: Vec<usize> = Vec::new();
        // Per word of `ws`, the clause it is in: two words either side of a sentence's
        // end or a comma ("my apple? music apps…", "the log. in the app") are no pair,
        // and no word written apart.
        let mut clause: Vec<usize> = Vec::new();
        let mut n = 0;
        for (c, part) in clauses(question).enumerate() {
            for w in words(part) {
                match lex.chat(&w) {
                    Some(plain) if !self.known_words.contains_key(&w) => ws.extend(words(plain)),
                    _ => ws.push(w),
                }
                typed.resize(ws.len(), n);
                clause.resize(ws.len(), c);
                n += 1;
            }
        }
        let mut out: Vec<QueryTerm> = Vec::new();
        let mut compounds: Vec<QueryTerm> = Vec::new();
        // The previous word read on its own: its position in `ws`, its terms in `out`.
        let mut previous: Option<(usize, Range<usize>)> = None;
        let mut i = 0;
        while i < ws.len() {
            // Two words the FAQs write as one ("wi fi", "log in"), but never after a
            // word that points at something ("my blog" is no "myblog" of the FAQs).
            if let Some(next) = ws
                .get(i + 1)
                .filter(|_| clause[i] == clause[i + 1])
                .filter(|_| !DETERMINERS.contains(&ws[i].as_str()))
            {
                let joined = format!("{}{}", ws[i], next);
                if let Some(&id) = self.known_words.get(&joined) {
                    self.push_known(&mut out, joined, id, 1.0, Reading::Known);
                    previous = None;
                    i += 2;
                    continue;
                }
            }
            let word = ws[i].clone();
            let before = out.len();
            self.read_word(&mut out, word, true);
            let here = before..out.len();
            if let Some((p, there)) =
                previous.filter(|(p, _)| typed[*p] != typed[i] && clause[*p] == clause[i])
            {
                // The lexicon first: most pairs of words are no noun, and it needs no
                // allocation.
                if lexicon().compound(&ws[p], &ws[i]) {
                    self.push_compound(
                        &mut compounds,
                        &out,
                        (&ws[p], there),
                        (&ws[i], here.clone()),
                    );
                } else {
                    self.push_noun_pair(
                        &mut compounds,
                        &out,
                        (&ws[p], there),
                        (&ws[i], here.clone()),
                    );
                }
            }
            previous = Some((i, here));
            i += 1;
        }
        out.extend(compounds);
        out
    }

    fn read_word(&self, out: &mut Vec<QueryTerm>, word: String, may_correct: bool) {
        let lex = lexicon();
        let known = self.known_words.get(&word).copied();
        // Shorthand the FAQs write themselves stays as written ("ip"); shorthand only an
        // alias holds is a person's chat ("i cant log in"), spelled out as in any question.
        if let Some(id) = known.filter(|&id| self.term(id).written() || lex.chat(&word).is_none()) {
            return self.push_known(out, word, id, 1.0, Reading::Known);
        }
        if let Some(plain) = lex.chat(&word) {
            for w in words(plain) {
                self.read_word(out, w, false);
            }
            return;
        }
        let Some(term) = self.analyzer.term(&word) else {
            return; // a stop word
        };
        if let Some(&id) = self.ids.get(&term) {
            return self.push_known(out, word, id, 1.0, Reading::Known);
        }
        if let Some(list) = self.parts.get(&term) {
            let info = list
                .iter()
                .map(|&(id, _)| {
                    let t = self.term(id);
                    t.idf * t.alias_weight
                })
                .fold(0.0, f32::max);
            let english = english_weight(&word);
            return push(
                out,
                QueryTerm {
                    reading: Reading::Part {
                        of: list.first().map(|p| p.1.clone()).unwrap_or_default(),
                    },
                    info: info * english,
                    english,
                    matches: list.iter().map(|&(id, _)| (id, PART_CONFIDENCE)).collect(),
                    foreign: false,
                    parts: Vec::new(),
                    word,
                    term,
                },
            );
        }
        // Chat's spoken spellings ("gettin", "parkin", "foreverrr"), after the FAQs' own
        // words: one they reach by stem or synonym ("checkin" of "check-ins") is theirs.
        if may_correct {
            if let Some(spelled) = spoken_spelling(&word) {
                return self.read_word(out, spelled, false);
            }
        }
        // An abbreviation in the plural ("jpgs", "pdfs"): the stemmer keeps the "s" of a
        // word without a vowel, where the FAQs write it singular. (A number's plural,
        // "16s", is a quantity: below.)
        if let Some(one) = word.strip_suffix('s').filter(|one| {
            one.len() >= 2
                && one.chars().any(|c| c.is_ascii_alphabetic())
                && !one.contains(['a', 'e', 'i', 'o', 'u', 'y'])
        }) {
            if let Some(&id) = self.analyzer.term(one).and_then(|t| self.ids.get(&t)) {
                return self.push_known(out, word, id, 1.0, Reading::Known);
            }
        }
        let zipf = lex.zipf(&word);
        let real_word = zipf.is_some_and(|z| z >= TYPO_REAL_WORD_ZIPF);
        if !real_word {
            if let Some((at, left, right)) = self.split_joined(&word) {
                // "nodejs" where the FAQs write "Node.js": both halves count, each as
                // informative as it is ("yearold" is two common words, not one rare
                // one); but "weekend" is a word of its own, not "week" and "end".
                let (first, second) = word.split_at(at);
                self.push_known(out, first.to_string(), left, 1.0, Reading::Known);
                return self.push_known(out, second.to_string(), right, 1.0, Reading::Known);
            }
        }
        // A number or quantity the FAQs never write ("2pm", "10h", "14th", "16s", "9ish")
        // is the asker's own circumstance: it qualifies the question but names no
        // subject, so it weighs what an unknown verb does and is never foreign. (Its
        // number alone would meet the FAQs' numbers by chance as often as not.)
        if is_quantity(&word) {
            return push(
                out,
                QueryTerm {
                    word,
                    term,
                    reading: Reading::Unknown,
                    info: self.idf_max * UNKNOWN_WEIGHT * UNKNOWN_NOT_NOUN,
                    english: NUMBER_ENGLISH,
                    matches: Vec::new(),
                    foreign: false,
                    parts: Vec::new(),
                },
            );
        }
        if may_correct && !real_word {
            if let Some((surface, id, confidence)) = self.correct_typo(&word, false) {
                let typed = Reading::Typo { typed: word };
                return self.push_known(out, surface, id, confidence, typed);
            }
            // The knowledge base's words first: a word of ours mistyped, then one of
            // ours clipped ("defib" for defibrillator, "langs" for languages), then a
            // short word English has never seen with a letter of ours changed ("synk" for
            // sync), then a common English word mistyped.
            // Every listed English word one edit away, commonest first: asked once, for
            // the common words and for the parts of hyphenated words below.
            let nearby = lex.corrections(&word, f32::MIN);
            let english = self.correct_english(&word, zipf, &nearby);
            if let Some((fixed, true)) = english {
                return self.read_word(out, fixed.to_string(), false);
            }
            if let Some((surface, id)) = self.complete_clipped(&word) {
                let typed = Reading::Typo { typed: word };
                return self.push_known(out, surface, id, CLIPPED_CONFIDENCE, typed);
            }
            if zipf.is_none() {
                if let Some((surface, id, confidence)) = self.correct_typo(&word, true) {
                    let typed = Reading::Typo { typed: word };
                    return self.push_known(out, surface, id, confidence, typed);
                }
            }
            if let Some(part) = self.correct_to_part(&word, &nearby) {
                return self.read_word(out, part.to_string(), false);
            }
            if let Some((fixed, false)) = english {
                return self.read_word(out, fixed.to_string(), false);
            }
        }
        // Not the knowledge base's word: related words may lead into it.
        let matches = self.related_terms(&word);
        // A real word meant as written is as likely as a slip of two letters, so a swap
        // into the FAQs' word is read with a changed letter's doubt, not a swap's.
        if real_word && matches.is_empty() {
            if let Some((surface, id)) = self.swapped_known(&word) {
                let typed = Reading::Typo { typed: word };
                return self.push_known(out, surface, id, TYPO_CONFIDENCE_CHANGE, typed);
            }
        }
        let noun_like = lex.names_a_thing(&word);
        let english = english_weight(&word);
        let kind = if noun_like { 1.0 } else { UNKNOWN_NOT_NOUN };
        let info = self.idf_max * UNKNOWN_WEIGHT * english * kind;
        let has_digit = word.chars().any(|c| c.is_ascii_digit());
        // A word whose related words run through the FAQs is their theme, not another
        // thing: "homework" in a course's FAQ, whose assignments many FAQs mention.
        let foreign = noun_like
            && !has_digit
            && english >= FOREIGN_MIN_ENGLISH
            && !self.runs_through_the_faqs(&matches);
        let reading = if matches.is_empty() {
            Reading::Unknown
        } else {
            Reading::Related
        };
        push(
            out,
            QueryTerm {
                word,
                term,
                reading,
                info,
                english,
                matches,
                foreign,
                parts: Vec::new(),
            },
        );
    }

    /// Whether the knowledge-base terms a word stands for are held, together (in a
    /// question or in an answer), by at least `THEME_SHARE` of the FAQs and at least
    /// `THEME_MIN_FAQS` of them; never for a word that stands for none.
    fn runs_through_the_faqs(&self, matches: &[(TermId, f32)]) -> bool {
        let mut docs: Vec<u32> = matches
            .iter()
            .flat_map(|&(id, _)| self.term(id).docs.iter().map(|d| d.0))
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs.len() >= THEME_MIN_FAQS && docs.len() as f32 >= THEME_SHARE * self.doc_count as f32
    }

    /// The knowledge base's terms a word it does not use is related to, strongest
    /// first, as surely as the lexicon relates them. Both ways: the lexicon's related
    /// words of the FAQs' words (looked up when the index is built), and the question
    /// word's own related words that the FAQs use (as written, or extended: "train" of
    /// "training"). The lexicon weighs each pair from one side ("trainer" leads to
    /// train, but "training" does not list trainer), so either side may hold it.
    fn related_terms(&self, word: &str) -> Vec<(TermId, f32)> {
        let lex = lexicon();
        // The word as typed, else its base form ("earns" → earn): not its stem, which
        // merges words of other senses ("mobile" and "mobilize" are both "mobil").
        let mut list = self.related.get(word);
        if list.is_empty() {
            list = lex
                .base_form(word, |b| {
                    Some(self.related.get(b)).filter(|l| !l.is_empty())
                })
                .unwrap_or_default();
        }
        let mut matches: Vec<(TermId, f32)> = list.to_vec();
        // The lexicon's words are dictionary forms: met as the FAQs write them or as
        // the dictionary forms of what they write, never by stem (as above).
        let related = lex.related(word).take_while(|&(_, w)| w >= RELATED_MIN);
        for (other, weight) in related {
            let Some(&id) = self
                .known_words
                .get(other)
                .or_else(|| self.base_words.get(other))
            else {
                continue;
            };
            match matches.iter_mut().find(|m| m.0 == id) {
                Some(m) => m.1 = m.1.max(weight),
                None => matches.push((id, weight)),
            }
        }
        // Stable: equal weights keep the index's order.
        matches.sort_by(|a, b| b.1.total_cmp(&a.1));
        for m in &mut matches {
            m.1 *= RELATED_DISCOUNT;
        }
        matches
    }

    fn push_known(
        &self,
        out: &mut Vec<QueryTerm>,
        word: String,
        id: TermId,
        confidence: f32,
        reading: Reading,
    ) {
        let t = self.term(id);
        let english = english_weight(&word);
        let mut matches = vec![(id, confidence)];
        // A word no FAQ's own question holds may still mean what another FAQ asks about
        // in other words ("purchase" in a passing mention, "bought" in the FAQ about
        // returning things); so may a typo of it, as surely as it was corrected. A word
        // an FAQ's own question holds has its FAQ (an alias may be a user's phrasing,
        // learned, and full of other words).
        if matches!(reading, Reading::Known | Reading::Typo { .. }) && self.asked[id as usize] == 0
        {
            let related = self.related_known.get(&t.name);
            matches.extend(
                related
                    .iter()
                    .map(|&(o, w)| (o, w * RELATED_DISCOUNT * confidence)),
            );
        }
        push(
            out,
            QueryTerm {
                term: t.name.clone(),
                word,
                reading,
                info: t.idf * english * t.alias_weight,
                english,
                matches,
                foreign: false,
                parts: Vec::new(),
            },
        );
    }
}

/// A word repeated in a question is not more of the question.
fn push(out: &mut Vec<QueryTerm>, term: QueryTerm) {
    if !out.iter().any(|q| q.term == term.term) {
        out.push(term);
    }
}

/// Units a number is written with in chat: ordinals, clock times, durations, amounts of
/// data, distances and weights, multiples, ages, "ish", a plural ("the 90s", "under 16s").
/// Not "k" or "g": "4k" and "5g" name things.
const QUANTITY_UNITS: &[&str] = &[
    "st", "nd", "rd", "th", "am", "pm", "h", "hr", "hrs", "min", "mins", "m", "ms", "s", "sec",
    "secs", "wk", "wks", "mo", "mos", "kb", "mb", "gb", "tb", "km", "mi", "kg", "lb", "lbs", "x",
    "yo", "yr", "yrs", "ish",
];

/// A number, or a number with a unit ("2pm", "10h", "8gb", "14th", "9ish").
fn is_quantity(word: &str) -> bool {
    let unit = word.trim_start_matches(|c: char| c.is_ascii_digit());
    unit.len() < word.len() && (unit.is_empty() || QUANTITY_UNITS.contains(&unit))
}

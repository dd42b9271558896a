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

use std::ops::Range;

use super::index::{english_weight, Index, TermId};
use super::lexicon::lexicon;
use super::text::{cut_held_letters, words};
use super::tuning::*;

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

/// Words that thank, as `words` gives them (chat shorthand such as "ty" is spelled out
/// first).
const THANKS: &[&str] = &[
    "cheers", "thank", "thanks", "thankyou", "thanx", "thnx", "thx",
];

/// Words that point at what follows: never the first half of a word written apart.
/// ("no", "any", "some" may be: "no-shows", "anytime".)
const DETERMINERS: &[&str] = &[
    "a", "an", "her", "his", "its", "my", "our", "that", "the", "their", "these", "this", "those",
    "your",
];

/// Subjects after which a verb tells what happened ("it works now"): any word after
/// them is a verb ...
const REPORTING: &[&str] = &["it", "you"];

/// ... and after these a word that is not a noun ("that fixed it", not "that plugin").
const REPORTING_OR_POINTING: &[&str] = &["that", "this"];

/// Verbs that may come between such a subject and its verb ("it is booked").
const AUXILIARIES: &[&str] = &["are", "did", "does", "has", "have", "is", "was", "were"];

/// The clauses of a message: split at question and exclamation marks, semicolons,
/// ellipses and line breaks, and at full stops, commas and colons that end a word
/// (not inside "v2.1", "1,000", "10:30" or "example.com").
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    let mut chars = text.char_indices().peekable();
    let mut start = 0;
    std::iter::from_fn(move || {
        while let Some((at, c)) = chars.next() {
            let ends_word = chars.peek().is_none_or(|&(_, n)| !n.is_alphanumeric());
            let ends = match c {
                '?' | '!' | ';' | '\n' | '…' | '？' | '！' | '。' | '；' => true,
                '.' | ',' | ':' | '，' | '：' => ends_word,
                _ => false,
            };
            if ends {
                let clause = &text[start..at];
                start = at + c.len_utf8();
                return Some(clause);
            }
        }
        (start <= text.len()).then(|| {
            let clause = &text[start..];
            start = text.len() + 1;
            clause
        })
    })
}

/// Words that make a message ask something, question mark or not.
const ASKING: &[&str] = &[
    "any", "anybody", "anyone", "are", "can", "could", "did", "do", "does", "how", "is", "may",
    "should", "what", "when", "where", "which", "who", "why", "will", "would",
];

/// Whether a message only thanks ("thanks, that helped a lot!", "ty so much"): a word
/// that thanks (not "thanks in advance"), no question mark, no word that asks, no
/// informative word an FAQ's own question holds ("refund pls thx" asks for the refund
/// FAQ), and at most `THANKS_MAX_TERMS` terms. In a help channel such a message follows
/// an answer; it asks for none. A verb after "that", "this", "it" or "you" (and their
/// auxiliaries) tells what happened, it asks nothing ("thanks, that fixed it", "ty, it
/// is working now"): a question puts the verb first ("is it working").
pub(super) fn only_thanks(index: &Index, message: &str, terms: &[QueryTerm]) -> bool {
    // Pairs and compounds are no more words.
    let words_read = terms
        .iter()
        .filter(|q| !matches!(q.reading, Reading::Compound | Reading::NounPair))
        .count();
    if message.contains(['?', '\u{ff1f}', '\u{bf}', '\u{2753}']) || words_read > THANKS_MAX_TERMS {
        return false;
    }
    let lex = lexicon();
    let mut thanks = false;
    // The words that tell what happened: verbs after a subject (and its auxiliaries).
    let mut told: Vec<String> = Vec::new();
    // After "it"/"you" (`Some(true)`: any word is a verb) or "that"/"this" (`Some(false)`:
    // a word that is no noun), and their auxiliaries ("it is", "that has").
    let mut after_subject: Option<bool> = None;
    let mut previous = String::new();
    // A past form ("refunded", "got") is a verb, whatever its base mostly is.
    let verb =
        |w: &str| w.ends_with("ed") || lex.irregular_base(w).is_some() || !lex.names_a_thing(w);
    for w in words(message) {
        for w in lex.chat(&w).map_or_else(|| vec![w.clone()], words) {
            let tells = after_subject.is_some_and(|any| any || verb(&w));
            // "is it", "can you": the verb first asks. After a subject only an auxiliary
            // tells ("it is booked"); "thank you, can i ..." still asks.
            let asks =
                ASKING.contains(&w.as_str()) && !(tells && AUXILIARIES.contains(&w.as_str()));
            if asks || w == "advance" {
                return false;
            }
            thanks |= THANKS.contains(&w.as_str());
            if tells {
                told.push(w.clone());
            }
            after_subject = if REPORTING.contains(&w.as_str()) && previous != "thank" {
                Some(true)
            } else if REPORTING_OR_POINTING.contains(&w.as_str()) {
                Some(false)
            } else if tells && AUXILIARIES.contains(&w.as_str()) {
                after_subject
            } else {
                None
            };
            previous = w;
        }
    }
    let names_a_subject = |q: &QueryTerm| {
        matches!(q.reading, Reading::Known | Reading::Typo { .. })
            && q.english >= FOREIGN_MIN_ENGLISH
            && q.matches
                .first()
                .is_some_and(|&(id, _)| index.asked[id as usize] > 0)
            // A verb that tells what happened names no subject.
            && !told.contains(&q.word)
    };
    thanks && !terms.iter().any(names_a_subject)
}

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

    /// Adds the compound of two words in a row (each with its terms in `out`), unless
    /// either is a stop word, the FAQs write it themselves ("library card" in a
    /// library's FAQ: then it is theirs, and an FAQ holding one of the words may well
    /// mean it), or the question named it already.
    fn push_compound(
        &self,
        compounds: &mut Vec<QueryTerm>,
        out: &[QueryTerm],
        (first_word, first_at): (&str, Range<usize>),
        (second_word, second_at): (&str, Range<usize>),
    ) {
        let (Some(first), Some(second)) = (
            self.stands_for(out, first_at, first_word),
            self.stands_for(out, second_at, second_word),
        ) else {
            return;
        };
        let written = first
            .iter()
            .any(|&a| second.iter().any(|&b| self.compounds.contains(&(a, b))));
        let word = format!("{first_word} {second_word}");
        if written || compounds.iter().any(|c| c.word == word) {
            return;
        }
        compounds.push(QueryTerm {
            term: word.clone(),
            word,
            reading: Reading::Compound,
            info: 0.0,
            english: 0.0,
            matches: Vec::new(),
            foreign: true,
            parts: vec![first, second],
        });
    }

    /// Adds two nouns in a row that English does not list as one, one of them the
    /// knowledge base's word and the other not ("apple music"): most often a name of
    /// something made of common words, which no single word of it shows to be foreign.
    /// An FAQ that mentions neither word (itself, its typo, a part or a related word) is
    /// about something else; one that holds either may well be meant.
    fn push_noun_pair(
        &self,
        pairs: &mut Vec<QueryTerm>,
        out: &[QueryTerm],
        (first_word, first_at): (&str, Range<usize>),
        (second_word, second_at): (&str, Range<usize>),
    ) {
        if first_at.is_empty() || second_at.is_empty() {
            return;
        }
        // One word the knowledge base's own, one not: both its own is most often a pair
        // its FAQs write ("backend developers"); neither, two common words that only
        // weigh less ("a business trip"), while rare ones are foreign one by one.
        // Checked first: it needs no lexicon lookup.
        let ours = |q: &QueryTerm| {
            matches!(
                q.reading,
                Reading::Known | Reading::Typo { .. } | Reading::Part { .. }
            )
        };
        let span = &out[first_at.start..second_at.end];
        if span.iter().all(ours)
            || !span.iter().any(ours)
            || first_word
                .chars()
                .chain(second_word.chars())
                .any(|c| c.is_ascii_digit())
        {
            return;
        }
        // The words as read: a typo of a verb is a verb.
        let (first_read, second_read) = (&out[first_at.end - 1].word, &out[second_at.start].word);
        let lex = lexicon();
        if !lex.names_a_thing(first_read) || !lex.names_a_thing(second_read) {
            return;
        }
        let word = format!("{first_word} {second_word}");
        if pairs.iter().any(|c| c.word == word) {
            return;
        }
        let ids = span
            .iter()
            .flat_map(|q| q.matches.iter().map(|m| m.0))
            .collect();
        pairs.push(QueryTerm {
            term: word.clone(),
            word,
            reading: Reading::NounPair,
            info: 0.0,
            english: 0.0,
            matches: Vec::new(),
            foreign: true,
            parts: vec![ids],
        });
    }

    /// The knowledge-base terms a word read into `out[at]` is (or, if it added none, the
    /// earlier term it repeats): itself or its typo, not related words, since a
    /// compound's words must be the FAQ's own. `None` for a stop word.
    fn stands_for(&self, out: &[QueryTerm], at: Range<usize>, word: &str) -> Option<Vec<TermId>> {
        let ids = |q: &QueryTerm| match q.reading {
            Reading::Known | Reading::Typo { .. } => {
                q.matches.iter().take(1).map(|m| m.0).collect()
            }
            Reading::Part { .. } => q.matches.iter().map(|m| m.0).collect(),
            _ => Vec::new(),
        };
        if !at.is_empty() {
            return Some(out[at].iter().flat_map(ids).collect());
        }
        let term = self.analyzer.term(word)?;
        Some(
            out.iter()
                .find(|q| q.term == term)
                .map(ids)
                .unwrap_or_default(),
        )
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

    /// The FAQs' word a real English word is with two letters swapped ("trail" for the
    /// trial they write; asked only of a word the lexicon relates to none of theirs).
    /// Not with its first letter moved, nor in words of three letters or with a digit:
    /// those are other words more often than slips ("act", "cat").
    fn swapped_known(&self, word: &str) -> Option<(String, TermId)> {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 4 || chars.iter().any(char::is_ascii_digit) {
            return None;
        }
        (1..chars.len() - 1).find_map(|i| {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            let swapped: String = swapped.into_iter().collect();
            let id = *self.known_words.get(&swapped)?;
            Some((swapped, id))
        })
    }

    /// A part of one of the FAQs' hyphenated words one edit away ("glutan" → gluten of
    /// "gluten-free"): parts are no word of the FAQs on their own, so the typo search
    /// over their words does not reach them. Read as the part is, at `PART_CONFIDENCE`
    /// and no less: the one doubt stands for both (a part is tried last among the
    /// knowledge base's words, and only one edit away).
    fn correct_to_part(&self, word: &str, nearby: &[(&'static str, f32)]) -> Option<&'static str> {
        if self.parts.is_empty() {
            return None;
        }
        nearby
            .iter()
            .map(|&(w, _)| w)
            .filter(|w| same_start(word, w) && !short_word_changed(word, w))
            .find(|w| {
                self.analyzer
                    .term(w)
                    .is_some_and(|t| self.parts.contains_key(&t))
            })
    }

    /// A common English word one edit away from a word English hardly knows (of
    /// `nearby`, every listed word one edit away, commonest first), preferring words the
    /// knowledge base uses ("bok" → book in a library's FAQ, not "box"); with whether it
    /// is the knowledge base's word.
    fn correct_english(
        &self,
        word: &str,
        zipf: Option<f32>,
        nearby: &[(&'static str, f32)],
    ) -> Option<(&'static str, bool)> {
        // A listed word WordNet does not know may be a typo people make a lot ("ther",
        // "fre"), corrected up to where a word counts as real, but only to the
        // knowledge base's word or, for four letters or more, to a stop word: most such
        // words are names and acronyms ("hdr", "json", "lyft"), which stay what they
        // are. One WordNet knows is corrected only while rare.
        let lex = lexicon();
        let listed = zipf.is_some_and(|z| z >= ENGLISH_TYPO_MAX_ZIPF);
        if listed && lex.pos(word).is_some() {
            return None;
        }
        let least = zipf.map_or(ENGLISH_TYPO_MIN_ZIPF, |z| {
            (z + ENGLISH_TYPO_MIN_GAIN).max(ENGLISH_TYPO_MIN_ZIPF)
        });
        // Typing seldom changes a word's first letter (swapping the first two is a slip,
        // "hwo"), and in a short word a changed letter is as likely another word: "vite"
        // is a name, not "site" nor "vote". A short word with one letter changed may
        // still be the knowledge base's ("sitr" → site; a rarer one, "synk" → sync, is
        // `correct_typo`'s, tried after this).
        let candidates: Vec<(&'static str, f32)> = nearby
            .iter()
            .copied()
            .filter(|&(w, z)| z >= least && same_start(word, w))
            .collect();
        let in_kb = |w: &str| {
            self.known_words.contains_key(w)
                || self
                    .analyzer
                    .term(w)
                    .is_some_and(|t| self.ids.contains_key(&t))
        };
        if let Some((w, _)) = candidates.iter().find(|(w, _)| in_kb(w)) {
            return Some((w, true));
        }
        let stop = |w: &str| word.chars().count() >= 4 && self.analyzer.term(w).is_none();
        candidates
            .iter()
            .find(|(w, _)| !short_word_changed(word, w) && (!listed || stop(w)))
            .map(|(w, _)| (*w, false))
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

    /// An unknown word that is two words the FAQs use, written together: where it
    /// splits, and the two words' terms.
    fn split_joined(&self, word: &str) -> Option<(usize, TermId, TermId)> {
        if word.len() < 4 || !word.is_ascii() {
            return None;
        }
        (2..=word.len() - 2).find_map(|at| {
            let left = self.known_words.get(&word[..at])?;
            let right = self.known_words.get(&word[at..])?;
            Some((at, *left, *right))
        })
    }

    /// The one knowledge-base word that a clipped word ("defib", "admin") begins.
    fn complete_clipped(&self, word: &str) -> Option<(String, TermId)> {
        // A clipped plural: "langs" for languages, "specs" for specifications.
        self.complete_clipped_word(word).or_else(|| {
            word.strip_suffix('s')
                .and_then(|w| self.complete_clipped_word(w))
        })
    }

    fn complete_clipped_word(&self, word: &str) -> Option<(String, TermId)> {
        let len = word.chars().count();
        if len < CLIPPED_MIN_CHARS || !word.is_ascii() {
            return None;
        }
        let first = word.chars().next()?;
        let mut found: Option<(&str, TermId)> = None;
        for (surface, id) in self.by_initial.get(&first)? {
            if surface.len() >= len + CLIPPED_MIN_MISSING && surface.starts_with(word) {
                match found {
                    Some((_, other)) if other != *id => return None, // ambiguous
                    Some(_) => {}
                    None => found = Some((surface, *id)),
                }
            }
        }
        found.map(|(s, id)| (s.to_string(), id))
    }

    /// The knowledge-base word closest to a typo, with how sure the correction is.
    /// A letter changed in a word of four letters or fewer counts only with
    /// `allow_short_change` (see `read_word`: the last of our words tried).
    fn correct_typo(&self, word: &str, allow_short_change: bool) -> Option<(String, TermId, f32)> {
        let len = word.chars().count();
        if len < TYPO_MIN_CHARS || word.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        // A doubled letter, also on words too short for the search below ("bann").
        let chars: Vec<char> = word.chars().collect();
        for i in 1..chars.len() {
            if chars[i] == chars[i - 1] {
                let single: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
                if let Some(&id) = self.known_words.get(&single) {
                    return Some((single, id, TYPO_CONFIDENCE_INSERT_DELETE));
                }
            }
        }
        let first = chars[0];
        let mut best: Option<(&str, TermId, f64)> = None;
        let typed = letter_counts(word);
        for (surface, id) in self.by_initial.get(&first)? {
            let other_len = surface.chars().count();
            if other_len.abs_diff(len) > 2 {
                continue;
            }
            let allowed = if len.max(other_len) >= TYPO_TWO_EDITS_FROM {
                2
            } else {
                1
            };
            // Most words of the same initial and length differ in far more letters than
            // a typo: skip them before the (allocating) edit distance. An added or
            // dropped letter changes the letter counts by 1, a changed one by 2, a swap
            // by 0, so half their difference is at most the distance.
            if letter_difference(&typed, &letter_counts(surface)) > 2 * allowed {
                continue;
            }
            let distance = strsim::osa_distance(word, surface);
            let substitution = !allow_short_change && short_word_changed(word, surface);
            let similarity = 1.0 - distance as f64 / len.max(other_len) as f64;
            if distance <= allowed && !substitution && best.is_none_or(|b| similarity > b.2) {
                best = Some((surface, *id, similarity));
            }
        }
        best.map(|(s, id, _)| (s.to_string(), id, typo_confidence(word, s)))
    }
}

/// Whether a correction keeps the typed word's first letter, or swaps its first two
/// ("hwo" → how): typing seldom changes a word's first letter.
fn same_start(typed: &str, other: &str) -> bool {
    let (mut a, mut b) = (typed.chars(), other.chars());
    let (a0, b0) = (a.next(), b.next());
    a0 == b0 || (a.next() == b0 && b.next() == a0)
}

/// Whether `other` is `typed`, a word of four letters or fewer, with one letter
/// changed: in so short a word that is as likely another word ("cost", "most").
fn short_word_changed(typed: &str, other: &str) -> bool {
    typed.chars().count() <= 4
        && typed.chars().count() == other.chars().count()
        && typed
            .chars()
            .zip(other.chars())
            .filter(|(a, b)| a != b)
            .count()
            == 1
}

/// How often each letter occurs in a word, letters folded into 64 buckets (a shared
/// bucket only makes two words look closer, so the bound below stays a lower bound).
fn letter_counts(word: &str) -> [u8; 64] {
    let mut counts = [0u8; 64];
    for c in word.chars() {
        let i = (c as u32 & 63) as usize;
        counts[i] = counts[i].saturating_add(1);
    }
    counts
}

fn letter_difference(a: &[u8; 64], b: &[u8; 64]) -> usize {
    a.iter()
        .zip(b)
        .map(|(x, y)| usize::from(x.abs_diff(*y)))
        .sum()
}

/// A word repeated in a question is not more of the question.
fn push(out: &mut Vec<QueryTerm>, term: QueryTerm) {
    if !out.iter().any(|q| q.term == term.term) {
        out.push(term);
    }
}

/// How sure a correction is, by kind of edit (see `tuning`).
fn typo_confidence(typed: &str, known: &str) -> f32 {
    let a: Vec<char> = typed.chars().collect();
    let b: Vec<char> = known.chars().collect();
    if strsim::osa_distance(typed, known) > 1 {
        return TYPO_CONFIDENCE_TWO_EDITS;
    }
    if a.len() != b.len() {
        return TYPO_CONFIDENCE_INSERT_DELETE;
    }
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    if differing == 2 {
        TYPO_CONFIDENCE_SWAP
    } else {
        TYPO_CONFIDENCE_CHANGE
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

/// The written word behind a spoken or drawn-out spelling of chat: a dropped "g"
/// ("gettin", "parkin" → getting, parking) or a letter held down ("foreverrr",
/// "passworddd"). Only where the typed form is no word WordNet knows ("cabin", "thin"
/// are; "gettin" is listed by word frequency but is no dictionary word) and the
/// written one is a commoner dictionary word of three letters or more ("aaaa" is no
/// "aa").
fn spoken_spelling(word: &str) -> Option<String> {
    let dropped_g = word.ends_with("in");
    let held = word
        .as_bytes()
        .windows(3)
        .any(|w| w[0] == w[1] && w[1] == w[2]);
    let lex = lexicon();
    if word.len() < 4
        || !word.bytes().all(|b| b.is_ascii_alphabetic())
        || !(dropped_g || held)
        || lex.pos(word).is_some()
    {
        return None;
    }
    let typed_zipf = lex.zipf(word).unwrap_or(0.0);
    let better = |w: &str| {
        w.len() >= 3 && lex.pos(w).is_some() && lex.zipf(w).is_some_and(|z| z > typed_zipf)
    };
    if dropped_g {
        let with_g = format!("{word}g");
        if better(&with_g) {
            return Some(with_g);
        }
    }
    if held {
        return [2, 1]
            .into_iter()
            .map(|keep| cut_held_letters(word, keep))
            .find(|cut| better(cut));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::clauses;

    #[test]
    fn clauses_end_at_sentence_ends_and_commas_but_not_inside_words_or_numbers() {
        let split: Vec<&str> =
            clauses("hi, my setup broke. where? v2.1 costs 1,000; ok!\nbye").collect();
        assert_eq!(
            split,
            [
                "hi",
                " my setup broke",
                " where",
                " v2.1 costs 1,000",
                " ok",
                "",
                "bye"
            ]
        );
        assert_eq!(
            clauses("see example.com.").collect::<Vec<_>>(),
            ["see example.com", ""]
        );
        assert_eq!(clauses("").collect::<Vec<_>>(), [""]);
        // Colons in times and smileys; closing quotes and brackets after a full stop;
        // ellipses and full-width marks.
        assert_eq!(
            clauses("at 10:30 :) ok").collect::<Vec<_>>(),
            ["at 10:30 ", ") ok"]
        );
        assert_eq!(
            clauses("my \"apple.\" music").collect::<Vec<_>>(),
            ["my \"apple", "\" music"]
        );
        assert_eq!(
            clauses("apple… music？ café").collect::<Vec<_>>(),
            ["apple", " music", " café"]
        );
    }
}

//! Words typed otherwise than the knowledge base or English writes them: typos,
//! clipped words, two words written together, chat's spoken spellings.

use super::{Index, TermId};
use crate::matcher::lexicon::lexicon;
use crate::matcher::text::cut_held_letters;
use crate::matcher::tuning::*;

impl Index {
    /// The FAQs' word a real English word is with two letters swapped ("trail" for the
    /// trial they write; asked only of a word the lexicon relates to none of theirs).
    /// Not with its first letter moved, nor in words of three letters or with a digit:
    /// those are other words more often than slips ("act", "cat").
    pub(super) fn swapped_known(&self, word: &str) -> Option<(String, TermId)> {
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
    pub(super) fn correct_to_part(
        &self,
        word: &str,
        nearby: &[(&'static str, f32)],
    ) -> Option<&'static str> {
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
    pub(super) fn correct_english(
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
        // `correct_typo`'s, tried after this in `read_word`).
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

    /// An unknown word that is two words the FAQs use, written together: where it
    /// splits, and the two words' terms.
    pub(super) fn split_joined(&self, word: &str) -> Option<(usize, TermId, TermId)> {
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
    pub(super) fn complete_clipped(&self, word: &str) -> Option<(String, TermId)> {
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
    /// `allow_short_change` (see `read_word` in `query/mod.rs`: the last of our words tried).
    pub(super) fn correct_typo(
        &self,
        word: &str,
        allow_short_change: bool,
    ) -> Option<(String, TermId, f32)> {
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

/// The written word behind a spoken or drawn-out spelling of chat: a dropped "g"
/// ("gettin", "parkin" → getting, parking) or a letter held down ("foreverrr",
/// "passworddd"). Only where the typed form is no word WordNet knows ("cabin", "thin"
/// are; "gettin" is listed by word frequency but is no dictionary word) and the
/// written one is a commoner dictionary word of three letters or more ("aaaa" is no
/// "aa").
pub(super) fn spoken_spelling(word: &str) -> Option<String> {
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

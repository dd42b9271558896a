//! Telling a message that only thanks from one that asks.

use super::{Index, QueryTerm, Reading};
use crate::matcher::lexicon::lexicon;
use crate::matcher::text::words;
use crate::matcher::tuning::*;

/// Words that thank, as `words` gives them (chat shorthand such as "ty" is spelled out
/// first).
const THANKS: &[&str] = &[
    "cheers", "thank", "thanks", "thankyou", "thanx", "thnx", "thx",
];

/// Subjects after which a verb tells what happened ("it works now"): any word after
/// them is a verb ...
const REPORTING: &[&str] = &["it", "you"];

/// ... and after these a word that is not a noun ("that fixed it", not "that plugin").
const REPORTING_OR_POINTING: &[&str] = &["that", "this"];

/// Verbs that may come between such a subject and its verb ("it is booked").
const AUXILIARIES: &[&str] = &["are", "did", "does", "has", "have", "is", "was", "were"];

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
pub(in crate::matcher) fn only_thanks(index: &Index, message: &str, terms: &[QueryTerm]) -> bool {
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

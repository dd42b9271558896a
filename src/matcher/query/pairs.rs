//! Two words in a row that name one thing: a compound English lists ("post office")
//! or a pair of nouns ("apple music"). Neither is more of the question; each tells
//! which FAQs are about something else.

use std::ops::Range;

use super::{Index, QueryTerm, Reading, TermId};
use crate::matcher::lexicon::lexicon;

impl Index {
    /// Adds the compound of two words in a row (each with its terms in `out`), unless
    /// either is a stop word, the FAQs write it themselves ("library card" in a
    /// library's FAQ: then it is theirs, and an FAQ holding one of the words may well
    /// mean it), or the question named it already.
    pub(super) fn push_compound(
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
    pub(super) fn push_noun_pair(
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
}

//! From chat text to index terms: the same steps for FAQ text and for questions, so
//! that "Back-End devs' salaries?" and "backend developer salary" meet in the middle.
//!
//! Steps: Unicode compatibility folding (full-width letters, ligatures), accents
//! dropped, lower case; hyphenated words joined ("back-end" → "backend"); the part of a
//! word after an apostrophe dropped ("what's" → "what"); English stop words dropped;
//! irregular forms to their base ("paid" → "pay", from the lexicon); Snowball
//! stemming, one stem for a word's British and American spellings ("licence",
//! "license"); then the knowledge base's own synonyms.
//!
//! Only function words and chat filler are stop words. How much any other word counts
//! is decided by how common it is in English (see `query`), not by a list.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Words longer than this are noise (pasted hashes, keyboard mashing); they are cut so
/// that stemming and typo search stay cheap whatever is pasted.
const MAX_WORD_CHARS: usize = 40;

/// Words that say nothing about which FAQ is meant. Question words that do carry intent
/// ("who", "why", "how", "when", "where") stay, and so does "do" ("what does X do").
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "but",
    "by",
    "can",
    "could",
    "did",
    "each",
    "for",
    "from",
    "get",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "hers",
    "hey",
    "hi",
    "him",
    "his",
    "hello",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "know",
    "like",
    "lot",
    "lots",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    // Reflexive pronouns, like "myself": "a bug in the app itself" is about the bug.
    "herself",
    "himself",
    "itself",
    "ourselves",
    "themselves",
    "yourself",
    "yourselves",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "oh",
    "ok",
    "okay",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "please",
    "pls",
    "plz",
    "really",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "tell",
    "than",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "thx",
    "to",
    "too",
    "u",
    "ur",
    "us",
    "very",
    "want",
    "was",
    "we",
    "were",
    "what",
    "which",
    "will",
    "with",
    "would",
    "ya",
    "yes",
    "you",
    "your",
    "yours",
    "im",
    "ive",
    "id",
    "youre",
    "whats",
    "wanna",
    "gonna",
    "someone",
    "anyone",
    "something",
    "anything",
    "here",
    "let",
    "see",
    "say",
    "stuff",
    "kind",
    "sort",
    "actually",
    "good",
    "great",
    "nice",
    "cool",
    "against",
    "under",
    "over",
    "between",
    "through",
    "during",
    "before",
    "within",
    "among",
    "across",
    "toward",
    "towards",
    "upon",
    "via",
    "per",
    "guys",
    "without",
    "yo",
    "sup",
    "even",
    "lol",
    "kinda",
    "sorta",
    "basically",
    "literally",
    "everyone",
    "anybody",
    "somebody",
    "maybe",
    "quite",
    // Interjections: chat filler. Most are words WordNet does not know, which would
    // otherwise be read as names the FAQ fails to mention ("how do i reset my password
    // omg"). ("wow" stays: World of Warcraft.) Stretched spellings are caught in
    // `Analyzer::term`; "nah", "yep" and the like are spelled out by the lexicon's chat
    // list first.
    "haha",
    "hahah",
    "hahaha",
    "hehe",
    "heh",
    "lmao",
    "lmfao",
    "rofl",
    "lolz",
    "omg",
    "omfg",
    "wtf",
    "wth",
    "bruh",
    "smh",
    "brb",
    "jk",
    "ugh",
    "uh",
    "um",
    "umm",
    "hmm",
    "mhm",
    "huh",
    "meh",
    "welp",
    "yay",
    "yikes",
    "oof",
    "oops",
    "aw",
    "aww",
    "ah",
    "ahh",
    "ohh",
    "eh",
    "xd",
    "gosh",
    "whoa",
    "ooh",
    "pretty",
];

/// Forms of "do" the stemmer gets wrong ("does" → "doe"); other irregular forms come
/// from the lexicon's inflections ("paid" → "pay").
const IRREGULAR: &[(&str, &str)] = &[
    ("does", "do"),
    ("did", "do"),
    ("doing", "do"),
    ("done", "do"),
];

/// Whether a word (as `words` gives it) is a number: digits only.
pub(super) fn is_number(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

/// A word with every letter held down (three or more in a row) cut to `keep`; letters
/// written twice stay ("passworddd" → password at 1, not "pasword").
pub(super) fn cut_held_letters(word: &str, keep: usize) -> String {
    let mut cut = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        let mut run = 1;
        while chars.next_if_eq(&c).is_some() {
            run += 1;
        }
        let n = if run >= 3 { keep } else { run };
        cut.extend(std::iter::repeat_n(c, n));
    }
    cut
}

/// Splits text into lower-case, accent-free words (see the module comment).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_owned()));
    out
}

/// The words of a text made of two words and a hyphen, each as its joined word
/// ("glutenfree", as `words` gives it) and its parts (["gluten", "free"]). Not longer
/// chains ("state-of-the-art": their parts mean little alone), nor names, whose second
/// part is capitalised ("Cafe-Guest"); other words are skipped cheaply.
pub(super) fn hyphenated(text: &str, mut f: impl FnMut(&str, Vec<String>)) {
    const HYPHENS: [char; 4] = ['-', '\u{2010}', '\u{2011}', '\u{ff0d}'];
    let tokens = text.split(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | ';'));
    for token in tokens.filter(|t| t.contains(HYPHENS)) {
        let mut pieces = token.split(HYPHENS);
        let (Some(_), Some(second), None) = (pieces.next(), pieces.next(), pieces.next()) else {
            continue;
        };
        if second.chars().next().is_some_and(char::is_uppercase) {
            continue;
        }
        let joined = words(token);
        let parts = words(&token.replace(HYPHENS, " "));
        if let [joined] = joined.as_slice() {
            if parts.len() > 1 {
                f(joined, parts);
            }
        }
    }
}

/// The words of `words`, each lent to `f` in turn: building an index reads millions of
/// words and keeps few of them, so this path allocates nothing per word.
pub(super) fn for_each_word(text: &str, f: impl FnMut(&str)) {
    // Most text is ASCII, where Unicode decomposition changes nothing: skip it.
    if text.is_ascii() {
        words_of(text.chars(), f)
    } else {
        words_of(text.nfkd(), f)
    }
}

fn words_of(chars: impl Iterator<Item = char>, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    // Characters in `word`, kept alongside it: counting them afresh for every letter
    // made long words quadratic.
    let mut word_chars = 0usize;
    let mut after_apostrophe = String::new();
    let mut in_suffix = false;
    let mut flush =
        |word: &mut String, word_chars: &mut usize, suffix: &mut String, in_suffix: &mut bool| {
            if !word.is_empty() {
                // "don't" → "do", "can't" → "can": the negation is a stop word anyway.
                if *in_suffix && suffix == "t" && word.ends_with('n') && word.len() > 2 {
                    word.pop();
                    if word == "ca" {
                        word.push('n');
                    } else if word == "wo" {
                        *word = "will".to_string();
                    }
                }
                f(word);
                word.clear();
            }
            *word_chars = 0;
            suffix.clear();
            *in_suffix = false;
        };
    for c in chars {
        // ASCII letters and digits are the common case: no combining mark, no Unicode
        // tables, one character each (the same result as the general branch below).
        if c.is_ascii_alphanumeric() {
            if in_suffix {
                if after_apostrophe.len() < 4 {
                    after_apostrophe.push(c.to_ascii_lowercase());
                }
            } else if word_chars < MAX_WORD_CHARS {
                word.push(c.to_ascii_lowercase());
                word_chars += 1;
            }
            continue;
        }
        if !c.is_ascii() {
            if is_combining_mark(c) {
                continue;
            }
            if c.is_alphanumeric() {
                if in_suffix {
                    if after_apostrophe.len() < 4 {
                        after_apostrophe.extend(c.to_lowercase());
                    }
                } else if word_chars < MAX_WORD_CHARS {
                    for l in c.to_lowercase() {
                        word.push(l);
                        word_chars += 1;
                    }
                }
                continue;
            }
        }
        match c {
            // A hyphen inside a word joins it: back-end, full-stack, e-mail.
            '-' | '\u{2010}' | '\u{2011}'
                if !in_suffix && word.chars().last().is_some_and(char::is_alphabetic) => {}
            '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}' | '`' if !word.is_empty() => {
                in_suffix = true;
            }
            _ => flush(
                &mut word,
                &mut word_chars,
                &mut after_apostrophe,
                &mut in_suffix,
            ),
        }
    }
    flush(
        &mut word,
        &mut word_chars,
        &mut after_apostrophe,
        &mut in_suffix,
    );
}

/// Turns words into index terms. Built once per knowledge base, because the synonyms
/// and extra stop words come from its data.
pub struct Analyzer {
    stemmer: Stemmer,
    stop: HashSet<String>,
    irregular: HashMap<&'static str, &'static str>,
    synonyms: HashMap<String, String>,
}

impl Analyzer {
    pub fn new(synonym_groups: &[Vec<String>], extra_stop_words: &[String]) -> Self {
        let mut stop: HashSet<String> = STOP_WORDS.iter().map(|s| s.to_string()).collect();
        for w in extra_stop_words {
            stop.extend(words(w));
        }
        let mut analyzer = Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
            stop,
            irregular: IRREGULAR.iter().copied().collect(),
            synonyms: HashMap::new(),
        };
        let mut synonyms = HashMap::new();
        for group in synonym_groups {
            // Every word of a group maps to the stem of the group's first word.
            let stems: Vec<String> = group
                .iter()
                .filter_map(|w| {
                    let ws = words(w);
                    (ws.len() == 1).then(|| analyzer.stem(&ws[0]))
                })
                .collect();
            if let Some(canonical) = stems.first() {
                for s in &stems {
                    synonyms.insert(s.clone(), canonical.clone());
                }
            }
        }
        analyzer.synonyms = synonyms;
        analyzer
    }

    fn stem(&self, word: &str) -> String {
        if let Some(s) = self.irregular.get(word) {
            return s.to_string();
        }
        let lex = super::lexicon::lexicon();
        let base = lex.irregular_base(word).unwrap_or(word);
        // One stem for both spellings of a word ("licence", "license").
        let base = lex.preferred_spelling(base).unwrap_or(base);
        self.stemmer.stem(base).into_owned()
    }

    /// The term a word stands for, or `None` for a stop word.
    pub fn term(&self, word: &str) -> Option<String> {
        if self.stop.contains(word) || self.is_stretched_filler(word) {
            return None;
        }
        let stem = self.stem(word);
        // "getting" is as empty as "get".
        if self.stop.contains(&stem) {
            return None;
        }
        Some(self.synonyms.get(&stem).cloned().unwrap_or(stem))
    }

    /// Chat filler typed long: laughter ("hahahah", "lolol") or a stop word with a
    /// letter held down ("omggg", "sooo", "pleaseee", "bruhhh").
    fn is_stretched_filler(&self, word: &str) -> bool {
        // Two or more of one syllable, perhaps with its first letter again at the end
        // ("hahah", "lolol"), but not "hall" or "hell".
        let core = word
            .strip_suffix(['h', 'l'])
            .filter(|c| c.len() % 2 == 0)
            .unwrap_or(word);
        if core.len() >= 4
            && ["ha", "he", "ah", "lo"]
                .iter()
                .any(|unit| core.split(unit).all(str::is_empty))
        {
            return true;
        }
        // Short words are left alone: "aaa" is a battery size, not "a" held down.
        let bytes = word.as_bytes();
        if bytes.len() < 4 || !bytes.windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
            return false;
        }
        // Runs of three or more letters, cut to one and to two: "omggg" → omg,
        // "hmmmm" → hmm, "reallyyy" → really.
        [1, 2]
            .into_iter()
            .any(|keep| self.stop.contains(&cut_held_letters(word, keep)))
    }

    /// All terms of a text, in order, repeats kept.
    #[cfg(test)]
    pub fn terms(&self, text: &str) -> Vec<String> {
        words(text).iter().filter_map(|w| self.term(w)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_letters_are_cut_but_letters_written_twice_stay() {
        assert_eq!(cut_held_letters("passworddd", 1), "password");
        assert_eq!(cut_held_letters("passworddd", 2), "passwordd");
        assert_eq!(cut_held_letters("hmmmm", 2), "hmm");
        assert_eq!(cut_held_letters("book", 1), "book");
        assert_eq!(cut_held_letters("ééé", 1), "é");
        let a = Analyzer::new(&[], &[]);
        // A stop word held down is filler, whatever else it spells twice.
        assert_eq!(a.term("reallyyy"), None);
        assert_eq!(a.term("sooo"), None);
    }

    #[test]
    fn words_fold_case_accents_hyphens_and_contractions() {
        assert_eq!(
            words("What's a Back-End dev?"),
            ["what", "a", "backend", "dev"]
        );
        assert_eq!(words("Café   ＤＥＶ’s"), ["cafe", "dev"]);
        assert_eq!(words("don't can't won't"), ["do", "can", "will"]);
        assert_eq!(words("--- - ''"), Vec::<String>::new());
        assert_eq!(
            words("node.js 3-6 months"),
            ["node", "js", "3", "6", "months"]
        );
    }

    #[test]
    fn hyphenated_words_keep_their_parts() {
        let mut found = Vec::new();
        hyphenated(
            "Gluten-free bread, a 10-visit card (e-mail us) - or not; Cafe-Guest, up-to-date, dairy-free/vegan",
            |j, p| found.push((j.to_string(), p)),
        );
        let pair = |j: &str, a: &str, b: &str| (j.to_string(), vec![a.to_string(), b.to_string()]);
        assert_eq!(
            found,
            [
                pair("glutenfree", "gluten", "free"),
                pair("email", "e", "mail"),
                pair("dairyfree", "dairy", "free"),
            ]
        );
    }

    #[test]
    fn words_are_cut_at_a_maximum_length() {
        let long = "a".repeat(10_000);
        assert_eq!(words(&long)[0].chars().count(), MAX_WORD_CHARS);
    }

    #[test]
    fn terms_drop_stop_words_stem_and_apply_synonyms() {
        let a = Analyzer::new(&[vec!["developer".into(), "dev".into()]], &[]);
        assert_eq!(
            a.terms("What do the developers do?"),
            ["do", "develop", "do"]
        );
        assert_eq!(a.terms("devs"), ["develop"]);
        assert_eq!(a.terms("the"), Vec::<String>::new());
        // "offer" is no form of "off" (a stop word), and "paid" is one of "pay".
        assert_eq!(a.terms("do you offer refunds"), ["do", "offer", "refund"]);
        assert_eq!(a.terms("I paid"), ["pay"]);
        // A reflexive pronoun points back at a word of the question, and says no more.
        assert_eq!(a.terms("a bug in the app itself"), ["bug", "app"]);
    }

    #[test]
    fn chat_filler_is_dropped_however_it_is_typed() {
        let a = Analyzer::new(&[], &[]);
        for filler in [
            "omg", "omggg", "sooo", "bruhhh", "hahahah", "lolol", "hmmmm", "wtf",
        ] {
            assert_eq!(a.term(filler), None, "{filler}");
        }
        for word in [
            "hall", "hell", "halo", "aaa", "wow", "www", "coffee", "1000",
        ] {
            assert!(a.term(word).is_some(), "{word}");
        }
    }

    #[test]
    fn function_words_that_are_not_stop_words_are_listed_once() {
        use crate::matcher::lexicon::FUNCTION_WORDS;
        for w in FUNCTION_WORDS {
            assert!(!STOP_WORDS.contains(w), "{w} is a stop word already");
        }
    }
}

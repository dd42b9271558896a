//! The index over one knowledge base: which FAQ holds which term, in which field and
//! how strongly, how rare each term is, and the ways into the vocabulary a question
//! may need (known surface words, typo candidates, related English words).
//!
//! Built once per knowledge base (at load and on reload); questions only read it.
//! Postings keep matching cheap on large knowledge bases: only FAQs sharing a term
//! with the question are touched.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use super::lexicon::lexicon;
use super::text::{for_each_word, hyphenated, is_number, words, Analyzer};
use super::tuning::*;
use crate::knowledge::KnowledgeBase;

pub(super) type TermId = u32;

pub(super) struct Term {
    pub name: String,
    /// BM25's IDF over the knowledge base (answer-only mentions count partly; an
    /// alias's mention of a word the FAQs write, not at all).
    pub idf: f32,
    /// How informative the word is in English at large, in [COMMON_WORD_FLOOR, 1].
    pub english: f32,
    /// (FAQ position, strength in (0, 1]): how strongly the FAQ is about this term.
    pub docs: Vec<(u32, f32)>,
    /// Question variants (the question or an alias) holding the term.
    pub variants: Vec<u32>,
    /// Passages (the question, an alias, the keywords, one sentence of the answer)
    /// holding the term.
    pub passages: Vec<u32>,
    /// Tells FAQs apart and is not the knowledge base's subject: what relating texts
    /// (Further Reading) looks at.
    pub topical: bool,
    /// 1 for a term written in an FAQ's question, answer or keywords; less for one only
    /// aliases hold (see `alias_only_weight`).
    pub alias_weight: f32,
}

impl Term {
    /// What the term is worth in a question: rare in the knowledge base and in English.
    pub fn info(&self) -> f32 {
        self.idf * self.english * self.alias_weight
    }

    /// Written in an FAQ's question, answer or keywords, not only in aliases.
    pub fn written(&self) -> bool {
        self.alias_weight >= 1.0
    }
}

/// What a word only aliases hold weighs, relative to one the FAQs write: what it would
/// if the FAQs never used it. An alias learned from a question makes its asker's every
/// word the knowledge base's ("app wont load at all anymore"), but only the FAQs' own
/// text says which words tell them apart. (Hand-written aliases too: they add ways to
/// ask, and their words still match, but an FAQ's question, answer and keywords say
/// what it is about.)
fn alias_only_weight(noun: bool) -> f32 {
    if noun {
        UNKNOWN_WEIGHT
    } else {
        UNKNOWN_WEIGHT * UNKNOWN_NOT_NOUN
    }
}

pub struct Index {
    pub(super) analyzer: Analyzer,
    pub(super) ids: FxHashMap<String, TermId>,
    pub(super) terms: Vec<Term>,
    /// Every word the FAQs use, as written, with its term: most question words are
    /// found here without stemming.
    pub(super) known_words: FxHashMap<String, TermId>,
    /// Dictionary words the FAQs' words inflect or extend and that read as the same
    /// term, where the FAQs never write them ("train" of "training", "photograph" of
    /// "photographers"), with their terms: where a related word from the lexicon, always
    /// a dictionary word, meets the FAQs' words without stemming (a stem merges words of
    /// other senses: "mobilize" and "mobile" are both "mobil").
    pub(super) base_words: FxHashMap<String, TermId>,
    /// Surface words of the knowledge base by first letter, for typo correction.
    pub(super) by_initial: FxHashMap<char, Vec<(String, TermId)>>,
    /// English words (as written, and as terms) that are related to a knowledge-base
    /// term, with the relation's weight: "make" → earn, "parcel" → package.
    pub(super) related: RelatedWords,
    /// The knowledge base's own terms that strongly relate to its other terms (at least
    /// `KNOWN_RELATED_MIN`): "purchase" → buy, "reservation" → reserve.
    pub(super) related_known: RelatedWords,
    /// The parts of the words the FAQs write hyphenated, by term, where the knowledge
    /// base never writes the part alone ("gluten" of "gluten-free"): each with the
    /// hyphenated word's term and how it is written.
    pub(super) parts: FxHashMap<String, Vec<(TermId, String)>>,
    /// Per term, how many FAQs' own questions hold it.
    pub(super) asked: Vec<u16>,
    /// The two-word nouns the FAQs write ("library card"), as pairs of terms: theirs,
    /// so no guard against them (see `query`).
    pub(super) compounds: FxHashSet<(TermId, TermId)>,
    pub(super) variant_doc: Vec<u32>,
    /// The FAQ of each passage.
    pub(super) passage_doc: Vec<u32>,
    /// Each variant's total weight when judging fit.
    pub(super) variant_total: Vec<f32>,
    pub(super) doc_count: usize,
    /// IDF of a word no FAQ uses: the most a word can be worth here.
    pub(super) idf_max: f32,
}

/// A term's postings while building: (FAQ, strength) pairs and question variants.
type Postings = (Vec<(u32, f32)>, Vec<u32>);

/// The pieces of an answer, each ending at a sentence mark. Every piece ends where a
/// word ends, so reading the pieces one by one gives exactly the answer's words.
fn answer_pieces(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['.', '!', '?', '\n', ';'])
}

/// Whether an answer piece is a sentence: a detail question is usually answered by one
/// of them.
fn is_sentence(piece: &str) -> bool {
    piece.trim().len() > 1
}

/// Builds the index in one pass over the texts. Each distinct word is analysed once
/// (stemming is the costly step), which keeps a 10,000-FAQ build well under a second.
struct Builder<'a> {
    analyzer: &'a Analyzer,
    ids: FxHashMap<String, TermId>,
    postings: Vec<Postings>,
    /// Word as typed in the FAQs → its term (None: a stop word).
    surface: FxHashMap<String, Option<TermId>>,
}

impl Builder<'_> {
    fn term_of(&mut self, word: &str) -> Option<TermId> {
        if let Some(&known) = self.surface.get(word) {
            return known;
        }
        let id = self.analyzer.term(word).map(|t| {
            let next = self.ids.len() as TermId;
            *self.ids.entry(t).or_insert_with(|| {
                self.postings.push((Vec::new(), Vec::new()));
                next
            })
        });
        self.surface.insert(word.to_string(), id);
        id
    }
}

/// Reads one text of an FAQ (its question, an alias, a keyword, a piece of its answer)
/// as a question is read ("w/o" spelled out as "without" on both sides), noting the
/// two-word nouns it writes, and gives `f` the term of each word that has one.
fn read_text(
    b: &mut Builder<'_>,
    compounds: &mut CompoundsSeen,
    text: &str,
    mut f: impl FnMut(TermId),
) {
    compounds.start();
    let spelled = lexicon().spell_out_slashes(text);
    let text = spelled.as_deref().unwrap_or(text);
    for_each_word(text, |word| {
        let id = b.term_of(word);
        compounds.next(word, id);
        if let Some(id) = id {
            f(id);
        }
    });
    hyphenated(text, |joined, parts| {
        if !compounds.hyphenated.contains_key(joined) {
            compounds.hyphenated.insert(joined.to_string(), parts);
        }
    });
}

/// The two-word nouns of the lexicon met while reading the FAQs' texts, word by word,
/// and the words they write hyphenated ("gluten-free"), with their parts.
#[derive(Default)]
struct CompoundsSeen {
    previous: Option<TermId>,
    previous_word: String,
    pairs: FxHashSet<(TermId, TermId)>,
    hyphenated: FxHashMap<String, Vec<String>>,
}

impl CompoundsSeen {
    /// A new text: the next word follows nothing.
    fn start(&mut self) {
        self.previous = None;
    }

    /// The next word of the text and its term (`None`: a stop word, which parts two
    /// words as it does in a question).
    fn next(&mut self, word: &str, id: Option<TermId>) {
        if let (Some(first), Some(second)) = (self.previous, id) {
            if lexicon().compound(&self.previous_word, word) {
                self.pairs.insert((first, second));
            }
        }
        self.previous = id;
        self.previous_word.clear();
        self.previous_word.push_str(word);
    }
}

/// How informative a word is in English at large, from its Zipf frequency: 1 for rare
/// words (and words too rare to be listed), falling to a floor for the commonest; a
/// number, `NUMBER_ENGLISH` (English lists "1" as common and "1450" not at all, but
/// either is as good a match).
pub(super) fn english_weight(word: &str) -> f32 {
    if is_number(word) {
        return NUMBER_ENGLISH;
    }
    match lexicon().zipf(word) {
        None => 1.0,
        Some(z) => ((ZIPF_COMMON - z) / (ZIPF_COMMON - ZIPF_RARE))
            .clamp(0.0, 1.0)
            .powf(ENGLISH_POWER)
            .max(COMMON_WORD_FLOOR),
    }
}

fn bm25_idf(docs: f32, df: f32) -> f32 {
    (1.0 + (docs - df + 0.5) / (df + 0.5)).ln()
}

impl Index {
    pub fn build(kb: &KnowledgeBase) -> Self {
        let analyzer = Analyzer::new(&kb.synonyms, &kb.stop_words);
        let mut b = Builder {
            analyzer: &analyzer,
            ids: FxHashMap::default(),
            postings: Vec::new(),
            surface: FxHashMap::default(),
        };
        let mut variant_doc = Vec::new();
        let mut variant_terms: Vec<Vec<TermId>> = Vec::new();
        let mut passage_doc: Vec<u32> = Vec::new();
        let mut passage_terms: Vec<Vec<TermId>> = Vec::new();
        // A passage's terms, sorted and without repeats.
        let mut passage = |doc: usize, mut ids: Vec<TermId>| {
            ids.sort_unstable();
            ids.dedup();
            if !ids.is_empty() {
                passage_doc.push(doc as u32);
                passage_terms.push(ids);
            }
        };
        let mut in_question: FxHashMap<TermId, ()> = FxHashMap::default();
        let mut answer_tf: FxHashMap<TermId, u32> = FxHashMap::default();
        // (term, doc, answer tf) of answer-only mentions, strength decided once the
        // number of FAQs mentioning each term is known.
        let mut answer_only: Vec<(TermId, u32, u32)> = Vec::new();
        // Each text is read once (reading words is most of a build's cost): the terms
        // of the question and aliases are also their passages, the answer's pieces give
        // both the term counts and the sentence passages. Terms get their ids in the
        // order the words are first met: question, aliases, keywords, answer.
        let mut keyword_terms: Vec<TermId> = Vec::new();
        // Terms of the FAQs' own questions (not aliases: learned ones are chat), with
        // the FAQ.
        let mut asked_ids: Vec<(TermId, u32)> = Vec::new();
        // Terms of an FAQ's question, answer or keywords (not only of aliases).
        let mut written: FxHashSet<TermId> = FxHashSet::default();
        let mut compounds = CompoundsSeen::default();
        let mut variant_passages: Vec<Vec<TermId>> = Vec::new();
        // Per FAQ, the terms of its own question and keywords; per term, how many FAQs
        // hold it only in an alias. A word the FAQs write is as rare, and as specific to
        // the FAQs that write it, as their own text makes it: learned aliases are people's
        // phrasings, and one that repeats another FAQ's word ("my parcel is missing, who
        // do i report it to") must not make that word commoner, and that FAQ weaker, for
        // everyone.
        let mut own: FxHashSet<TermId> = FxHashSet::default();
        let mut held_by_alias_only: Vec<TermId> = Vec::new();
        for (doc, faq) in kb.faqs.iter().enumerate() {
            own.clear();
            in_question.clear();
            answer_tf.clear();
            keyword_terms.clear();
            variant_passages.clear();
            let strong = std::iter::once(&faq.question)
                .chain(&faq.aliases)
                .map(|text| (text, true))
                .chain(faq.keywords.iter().map(|k| (k, false)));
            for (n, (text, is_variant)) in strong.enumerate() {
                let mut variant: Vec<TermId> = Vec::new();
                read_text(&mut b, &mut compounds, text, |id| {
                    if n == 0 {
                        asked_ids.push((id, doc as u32));
                    }
                    if n == 0 || !is_variant {
                        written.insert(id);
                        own.insert(id);
                    }
                    in_question.insert(id, ());
                    if !variant.contains(&id) {
                        variant.push(id);
                    }
                });
                if is_variant {
                    variant_passages.push(variant.clone());
                    if !variant.is_empty() {
                        variant_doc.push(doc as u32);
                        variant_terms.push(variant);
                    }
                } else {
                    keyword_terms.extend(variant);
                }
            }
            // Passages in order: the question, each alias, each answer sentence, the
            // keywords together.
            for ids in variant_passages.drain(..) {
                passage(doc, ids);
            }
            for piece in answer_pieces(&faq.answer) {
                let mut ids: Vec<TermId> = Vec::new();
                read_text(&mut b, &mut compounds, piece, |id| {
                    written.insert(id);
                    *answer_tf.entry(id).or_default() += 1;
                    ids.push(id);
                });
                if is_sentence(piece) {
                    passage(doc, ids);
                }
            }
            if !faq.keywords.is_empty() {
                passage(doc, keyword_terms.clone());
            }
            for &id in in_question.keys() {
                b.postings[id as usize]
                    .0
                    .push((doc as u32, QUESTION_STRENGTH));
                if !own.contains(&id) && !answer_tf.contains_key(&id) {
                    held_by_alias_only.push(id);
                }
            }
            for (&id, &tf) in &answer_tf {
                if !in_question.contains_key(&id) {
                    answer_only.push((id, doc as u32, tf));
                }
            }
        }
        // Only the FAQs' written words are discounted: a word only aliases hold has
        // its own weight (`alias_only_weight`).
        let mut alias_only = vec![0u32; b.postings.len()];
        for id in held_by_alias_only {
            if written.contains(&id) {
                alias_only[id as usize] += 1;
            }
        }
        // How many FAQs mention each term anywhere: an answer term no other FAQ
        // mentions is specific to its FAQ.
        let mut mentions = vec![0u32; b.postings.len()];
        for (id, (docs, _)) in b.postings.iter().enumerate() {
            mentions[id] = docs.len() as u32 - alias_only[id];
        }
        for &(id, _, _) in &answer_only {
            mentions[id as usize] += 1;
        }
        for (id, doc, tf) in answer_only {
            let specific = if mentions[id as usize] == 1 {
                ANSWER_SPECIFIC
            } else {
                0.0
            };
            let repeat = ANSWER_REPEAT * ((tf.min(3) - 1) as f32 / 2.0);
            b.postings[id as usize]
                .0
                .push((doc, ANSWER_STRENGTH + specific + repeat));
        }

        let Builder {
            ids,
            mut postings,
            surface,
            ..
        } = b;
        for (v, terms) in variant_terms.iter().enumerate() {
            for &id in terms {
                postings[id as usize].1.push(v as u32);
            }
        }
        let mut passages = vec![Vec::new(); postings.len()];
        for (p, terms) in passage_terms.iter().enumerate() {
            for &id in terms {
                passages[id as usize].push(p as u32);
            }
        }
        let mut names = vec![String::new(); ids.len()];
        for (name, &id) in &ids {
            names[id as usize] = name.clone();
        }
        // A term is as informative as its most informative written form.
        let mut english = vec![COMMON_WORD_FLOOR; ids.len()];
        let mut noun = vec![false; ids.len()];
        let mut by_initial: FxHashMap<char, Vec<(String, TermId)>> = FxHashMap::default();
        let mut known_words: FxHashMap<String, TermId> = FxHashMap::default();
        for (word, id) in &surface {
            let Some(id) = *id else { continue };
            english[id as usize] = english[id as usize].max(english_weight(word));
            // Only a term no FAQ writes needs to know (its weight as an alias's word).
            if !written.contains(&id) {
                noun[id as usize] |= !is_number(word) && lexicon().names_a_thing(word);
            }
            if word.chars().count() >= TYPO_MIN_CHARS {
                if let Some(c) = word.chars().next() {
                    by_initial.entry(c).or_default().push((word.clone(), id));
                }
            }
            known_words.insert(word.clone(), id);
        }
        // Dictionary words the FAQs write only inflected or extended. Each word's base
        // ("studies" → study), and every dictionary word it extends that reads as its
        // term ("photograph" of "photographers", "remind" of "reminders"; not "mob" of
        // "mobile"), are where the lexicon's related words meet it (`base_words`). And a
        // term's base, where the FAQs write only its inflections ("refunded", "refunds"),
        // is a word a typo may miss by one letter ("refnd"): offered to typo correction
        // if the FAQs write it with a regular ending and it is an English word that reads
        // as the same term (a stem may be another word: "organ" is the stem of
        // "organization", not its base).
        let mut base_words: FxHashMap<String, TermId> = FxHashMap::default();
        let lex = lexicon();
        for (word, id) in &surface {
            let Some(id) = *id else { continue };
            let name = &names[id as usize];
            if word
                .strip_prefix(name.as_str())
                .is_some_and(|rest| ["s", "es", "d", "ed", "ing"].contains(&rest))
                && name.chars().count() >= TYPO_MIN_CHARS
                && !known_words.contains_key(name)
                && lex.zipf(name).is_some()
                && analyzer.term(name).as_ref() == Some(name)
            {
                if let Some(c) = name.chars().next() {
                    by_initial.entry(c).or_default().push((name.clone(), id));
                }
            }
            let base = lex.base_form(word, |b| lex.zipf(b).map(|_| b.to_string()));
            let extended = word
                .char_indices()
                .skip(name.chars().count())
                .map(|(end, _)| &word[..end])
                .filter(|prefix| {
                    lex.pos(prefix).is_some() && analyzer.term(prefix).as_ref() == Some(name)
                });
            for dictionary in base.iter().map(String::as_str).chain(extended) {
                if !known_words.contains_key(dictionary) {
                    // Hash order is arbitrary: the same term on every run.
                    base_words
                        .entry(dictionary.to_string())
                        .and_modify(|t| *t = (*t).min(id))
                        .or_insert(id);
                }
            }
        }
        for list in by_initial.values_mut() {
            // Hash order is arbitrary; sorted lists make typo correction deterministic
            // (and a base met through two of its forms is listed once).
            list.sort_unstable();
            list.dedup();
        }
        let (related, related_known) = related_words(&analyzer, &surface, &ids);
        let parts = hyphen_parts(&analyzer, &ids, &surface, &compounds.hyphenated);
        asked_ids.sort_unstable();
        asked_ids.dedup();
        let mut asked = vec![0u16; ids.len()];
        for (id, _) in asked_ids {
            asked[id as usize] = asked[id as usize].saturating_add(1);
        }

        let n = kb.faqs.len() as f32;
        let mut question_df = vec![0usize; names.len()];
        for (id, (docs, _)) in postings.iter().enumerate() {
            question_df[id] =
                docs.iter().filter(|d| d.1 >= QUESTION_STRENGTH).count() - alias_only[id] as usize;
        }
        let subject_df = kb.faqs.len().div_ceil(2).max(2);
        let terms: Vec<Term> = postings
            .into_iter()
            .zip(names)
            .zip(english)
            .zip(question_df)
            .zip(passages)
            .enumerate()
            .map(
                |(id, (((((mut docs, variants), name), english), qdf), passages))| {
                    docs.sort_unstable_by_key(|d| d.0);
                    // A mention in passing in an answer says less about what an FAQ is about
                    // than its question does, so it counts partly towards document frequency.
                    let df: f32 = docs.iter().map(|d| d.1).sum::<f32>()
                        - alias_only[id] as f32 * QUESTION_STRENGTH;
                    Term {
                        idf: bm25_idf(n, df),
                        topical: qdf < subject_df && english > 0.3,
                        english,
                        docs,
                        variants,
                        passages,
                        name,
                        alias_weight: if written.contains(&(id as TermId)) {
                            1.0
                        } else {
                            alias_only_weight(noun[id])
                        },
                    }
                },
            )
            .collect();
        let variant_total = variant_terms
            .iter()
            .map(|v| {
                v.iter()
                    .map(|&t| terms[t as usize].info() + FIT_FLOOR)
                    .sum()
            })
            .collect();
        Index {
            known_words,
            base_words,
            analyzer,
            ids,
            terms,
            by_initial,
            related,
            related_known,
            parts,
            asked,
            compounds: compounds.pairs,
            variant_doc,
            passage_doc,
            variant_total,
            doc_count: kb.faqs.len(),
            idf_max: bm25_idf(n, 0.0),
        }
    }

    pub(super) fn term(&self, id: TermId) -> &Term {
        &self.terms[id as usize]
    }

    /// Each FAQ's vector length, with a term's weight in an FAQ = IDF × strength.
    /// Relating texts uses topical terms only: "how does a web developer..." shares
    /// its question words and its subject with every title, and says nothing by it.
    pub(crate) fn doc_norms(&self) -> Vec<f32> {
        let mut norms = vec![0.0f32; self.doc_count];
        for t in self.terms.iter().filter(|t| t.topical) {
            for &(doc, s) in &t.docs {
                norms[doc as usize] += (t.idf * s).powi(2);
            }
        }
        norms.into_iter().map(f32::sqrt).collect()
    }

    /// Cosine similarity of a short text (a title) to every FAQ sharing a term with it,
    /// given `doc_norms`: (FAQ position, similarity).
    pub(crate) fn similar_docs(&self, text: &str, doc_norms: &[f32]) -> Vec<(usize, f32)> {
        let mut tf: FxHashMap<Option<TermId>, f32> = FxHashMap::default();
        for w in words(text) {
            if let Some(t) = self.analyzer.term(&w) {
                let id = self.ids.get(&t).copied();
                if id.is_none_or(|id| self.terms[id as usize].topical) {
                    *tf.entry(id).or_default() += 1.0;
                }
            }
        }
        let norm = tf
            .iter()
            .map(|(id, n)| (n * id.map_or(self.idf_max, |id| self.terms[id as usize].idf)).powi(2))
            .sum::<f32>()
            .sqrt();
        let mut dot: FxHashMap<u32, f32> = FxHashMap::default();
        for (id, n) in &tf {
            let Some(id) = id else { continue };
            let term = &self.terms[*id as usize];
            for &(doc, s) in &term.docs {
                *dot.entry(doc).or_default() += term.idf * s * term.idf * n;
            }
        }
        dot.into_iter()
            .filter_map(|(doc, d)| {
                let n = norm * doc_norms[doc as usize];
                (n > 0.0).then(|| (doc as usize, d / n))
            })
            .collect()
    }
}

/// English words related to the knowledge base's terms: each word with the terms it
/// leads to and the relation's weight, strongest first.
///
/// Held as one sorted list rather than a map of lists: even 20 FAQs reach thousands
/// of related words, mostly with a single term each, and a map with a `String` key and
/// a `Vec` per word held about three times the memory (~0.8 MiB more in a running bot,
/// heaptrack on the `discord_load` bench). The words come from the lexicon, which is
/// part of the binary, so only a term that differs from its word is copied.
#[derive(Default)]
pub(super) struct RelatedWords {
    /// (word, where its terms start in `targets`), sorted by word, each word once.
    words: Vec<(Cow<'static, str>, u32)>,
    targets: Vec<(TermId, f32)>,
}

impl RelatedWords {
    /// The terms `word` leads to, strongest first; empty for a word related to none.
    pub(super) fn get(&self, word: &str) -> &[(TermId, f32)] {
        let Ok(i) = self.words.binary_search_by(|(w, _)| w.as_ref().cmp(word)) else {
            return &[];
        };
        let start = self.words[i].1 as usize;
        let end = self
            .words
            .get(i + 1)
            .map_or(self.targets.len(), |next| next.1 as usize);
        &self.targets[start..end]
    }

    /// From (word, term, weight) triples in any order: each term kept once per word,
    /// at its strongest.
    fn from_triples(mut triples: Vec<(Cow<'static, str>, TermId, f32)>) -> RelatedWords {
        // By word, then term, strongest first: the first of each (word, term) is kept.
        triples
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(b.2.total_cmp(&a.2)));
        triples.dedup_by(|later, kept| later.0 == kept.0 && later.1 == kept.1);
        let mut related = RelatedWords {
            words: Vec::new(),
            targets: Vec::with_capacity(triples.len()),
        };
        let mut rest = triples.as_mut_slice();
        while let Some(first) = rest.first() {
            let same = rest.iter().take_while(|t| t.0 == first.0).count();
            let (group, tail) = rest.split_at_mut(same);
            // Strongest first; ties by term, so that they resolve the same on every run.
            group.sort_unstable_by(|a, b| b.2.total_cmp(&a.2).then(a.1.cmp(&b.1)));
            let start = related.targets.len() as u32;
            related.targets.extend(group.iter().map(|t| (t.1, t.2)));
            related.words.push((std::mem::take(&mut group[0].0), start));
            rest = tail;
        }
        related.words.shrink_to_fit();
        related
    }
}

/// The parts of hyphenated words (see `Index::parts`): nouns and names of at least
/// three letters, no stop word, no number, and not a word the knowledge base writes on
/// its own (that one stands for itself).
fn hyphen_parts(
    analyzer: &Analyzer,
    ids: &FxHashMap<String, TermId>,
    surface: &FxHashMap<String, Option<TermId>>,
    hyphenated: &FxHashMap<String, Vec<String>>,
) -> FxHashMap<String, Vec<(TermId, String)>> {
    let mut parts: FxHashMap<String, Vec<(TermId, String)>> = FxHashMap::default();
    for (joined, words) in hyphenated {
        let Some(&Some(id)) = surface.get(joined) else {
            continue;
        };
        for part in words {
            // A noun or name: "open" of "open-source" is not what "open to" means, and
            // a verb or adjective rarely says what a question is about.
            if part.chars().count() < 3
                || !part.chars().all(char::is_alphabetic)
                || !lexicon().names_a_thing(part)
            {
                continue;
            }
            let Some(term) = analyzer.term(part) else {
                continue;
            };
            if ids.contains_key(&term) {
                continue;
            }
            let list = parts.entry(term).or_default();
            if !list.iter().any(|p| p.0 == id) {
                list.push((id, words.join("-")));
            }
        }
    }
    for list in parts.values_mut() {
        // Hash order is arbitrary: the same reading on every run.
        list.sort_unstable();
    }
    parts
}

/// English words related to the knowledge base's own words, keyed both as written and
/// as terms: a question's word is looked up as written, then by its base form ("earns"
/// → earn), never by its stem, which would merge words of other senses ("mobile",
/// "mobilize"); and, keyed by term, the knowledge base's own words strongly related to
/// its others.
fn related_words(
    analyzer: &Analyzer,
    surface: &FxHashMap<String, Option<TermId>>,
    ids: &FxHashMap<String, TermId>,
) -> (RelatedWords, RelatedWords) {
    let lex = lexicon();
    let mut triples: Vec<(Cow<'static, str>, TermId, f32)> = Vec::new();
    let mut known: Vec<(Cow<'static, str>, TermId, f32)> = Vec::new();
    let mut sorted: Vec<(&String, TermId)> = surface
        .iter()
        .filter_map(|(w, id)| Some((w, (*id)?)))
        .collect();
    // Deterministic order, so that ties resolve the same way on every run.
    sorted.sort_unstable();
    // Many knowledge-base words share related words: stem each once.
    let mut terms: FxHashMap<&'static str, Option<String>> = FxHashMap::default();
    for (word, id) in sorted {
        for (other, weight) in lex.related(word) {
            if weight < RELATED_MIN {
                continue;
            }
            let other_term = terms
                .entry(other)
                .or_insert_with(|| analyzer.term(other))
                .clone();
            // A word the knowledge base already uses stands for itself first, and for
            // the knowledge base's words it is a synonym or a form of.
            if let Some(t) = other_term.as_ref().filter(|t| ids.contains_key(*t)) {
                if ids[t] != id && weight >= KNOWN_RELATED_MIN {
                    known.push((Cow::Owned(t.clone()), id, weight));
                }
                continue;
            }
            triples.push((Cow::Borrowed(other), id, weight));
            if let Some(t) = other_term {
                let key = if t == other {
                    Cow::Borrowed(other)
                } else {
                    Cow::Owned(t)
                };
                triples.push((key, id, weight));
            }
        }
    }
    (
        RelatedWords::from_triples(triples),
        RelatedWords::from_triples(known),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_words_keep_each_term_once_at_its_strongest_strongest_first() {
        let triples = vec![
            (Cow::Borrowed("make"), 7, 0.5),
            (Cow::Borrowed("parcel"), 3, 0.8),
            (Cow::Owned("make".to_string()), 2, 0.6),
            (Cow::Borrowed("make"), 7, 0.9),
            (Cow::Borrowed("make"), 1, 0.6),
        ];
        let related = RelatedWords::from_triples(triples);
        // Ties (0.6) by term, so every run resolves them alike.
        assert_eq!(related.get("make"), [(7, 0.9), (1, 0.6), (2, 0.6)]);
        assert_eq!(related.get("parcel"), [(3, 0.8)]);
        assert!(related.get("mak").is_empty());
        assert!(related.get("zzz").is_empty());
        assert!(RelatedWords::default().get("make").is_empty());
    }
}

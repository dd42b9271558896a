//! The search index over one knowledge base, and scoring a question against it.
//!
//! Each FAQ is scored on two things, both in [0, 1]:
//! - *coverage*: how much of the question's information (its terms weighted by IDF)
//!   the FAQ explains. Words the knowledge base has never seen count against it, so
//!   "how much does a pilot earn" is not confidently the salary FAQ.
//! - *fit*: how much of the FAQ's own question (or an alias) the question covers,
//!   with a floor weight so that common words still count. This is what tells
//!   "what is a backend developer" (all of FAQ "Who is a backend developer?") apart.
//!
//! The score is a weighted mean of the two. Postings keep matching cheap on large
//! knowledge bases: only FAQs sharing a term with the question are touched.

use rustc_hash::FxHashMap;

use super::text::{words, Analyzer, WEAK_WORD_FACTOR};
use crate::knowledge::KnowledgeBase;

/// How much a term found only in an answer counts, against 1.0 for the question,
/// an alias or a keyword. Answers are long and mention many topics in passing.
const ANSWER_STRENGTH: f32 = 0.45;
/// A term repeated in an answer is more likely its topic; this is the extra at 3+ uses.
const ANSWER_REPEAT_BONUS: f32 = 0.15;
/// Weight every term of an FAQ's question gets on top of its IDF when judging fit.
const FIT_FLOOR: f32 = 0.5;
/// Share of coverage in the final score; the rest is fit.
pub const COVERAGE_SHARE: f32 = 0.7;
/// Typo search: shortest word worth correcting, and the least similarity accepted.
const TYPO_MIN_CHARS: usize = 4;
const TYPO_MIN_SIMILARITY: f64 = 0.8;

/// What a word the knowledge base never uses weighs, relative to the rarest known word.
/// Chat is full of filler ("explain like I'm five"), so less than one; but more than
/// nothing, or "how much does a pilot earn" would be confidently about salaries.
const UNKNOWN_WEIGHT: f32 = 0.5;
/// See `search`: how much more an unknown word weighs when the subject is not named.
const UNKNOWN_OFF_SUBJECT: f32 = 2.0;

type TermId = u32;

struct Term {
    /// IDF, times [`WEAK_WORD_FACTOR`] for weak words: what the term is worth.
    idf: f32,
    /// (FAQ position, strength in (0, 1]).
    docs: Vec<(u32, f32)>,
    /// Question variants (question or alias) holding the term.
    variants: Vec<u32>,
    /// Neither a weak word nor a subject term: what relating texts to FAQs looks at.
    topical: bool,
    /// Named in the questions of at least half the FAQs: the knowledge base's subject
    /// ("backend developer" in the seed), worth little for telling FAQs apart but a sign
    /// that a question is about this knowledge base at all.
    subject: bool,
}

/// One FAQ's score, with its parts for `--explain`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// Position in `KnowledgeBase::faqs`.
    pub doc: usize,
    pub score: f32,
    pub coverage: f32,
    pub fit: f32,
}

/// A question as the index read it and the FAQs it fits best.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    pub terms: Vec<QueryTerm>,
    /// Best first.
    pub ranked: Vec<Scored>,
    /// The question never names the knowledge base's subject (the words in most FAQ
    /// questions, e.g. "backend developer") but names something it never mentions:
    /// likely about something else ("how long does it take to learn *piano*"), so at
    /// most unsure, however well the rest of the words fit.
    pub off_subject: bool,
}

/// A question term as the index understood it, for `--explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryTerm {
    pub word: String,
    pub term: String,
    /// None: the knowledge base never uses this word.
    pub known: bool,
    /// Set when the word was read as a typo of another.
    pub corrected_from: Option<String>,
    /// What the term adds to an FAQ's coverage when the FAQ has it.
    pub weight: f32,
    /// What the term adds to the question's total information: more than `weight`
    /// when the reading is in doubt (a typo correction), so doubt lowers confidence.
    pub total: f32,
}

pub struct Index {
    analyzer: Analyzer,
    ids: FxHashMap<String, TermId>,
    names: Vec<String>,
    terms: Vec<Term>,
    /// Surface words of the knowledge base by first letter, for typo correction.
    by_initial: FxHashMap<char, Vec<(String, TermId)>>,
    /// Every word the FAQs use, as written, with its term: most question words are
    /// found here without stemming.
    known_words: FxHashMap<String, TermId>,
    variant_doc: Vec<u32>,
    variant_total: Vec<f32>,
    doc_count: usize,
    unknown_idf: f32,
    /// Whether any term is a subject term (a knowledge base about many things has none).
    has_subject: bool,
}

/// A term's postings while building: (FAQ, strength) pairs and question variants.
type Postings = (Vec<(u32, f32)>, Vec<u32>);

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
        let mut strengths: FxHashMap<TermId, f32> = FxHashMap::default();
        let mut answer_tf: FxHashMap<TermId, u32> = FxHashMap::default();
        for (doc, faq) in kb.faqs.iter().enumerate() {
            strengths.clear();
            answer_tf.clear();
            for word in words(&faq.answer) {
                if let Some(id) = b.term_of(&word) {
                    *answer_tf.entry(id).or_default() += 1;
                }
            }
            for (&id, &tf) in &answer_tf {
                let bonus = ANSWER_REPEAT_BONUS * ((tf.min(3) - 1) as f32 / 2.0);
                strengths.insert(id, ANSWER_STRENGTH + bonus);
            }
            let strong = std::iter::once(&faq.question)
                .chain(&faq.aliases)
                .map(|text| (text, true))
                .chain(faq.keywords.iter().map(|k| (k, false)));
            for (text, is_variant) in strong {
                let mut variant: Vec<TermId> = Vec::new();
                for word in words(text) {
                    if let Some(id) = b.term_of(&word) {
                        strengths.insert(id, 1.0);
                        if !variant.contains(&id) {
                            variant.push(id);
                        }
                    }
                }
                if is_variant && !variant.is_empty() {
                    variant_doc.push(doc as u32);
                    variant_terms.push(variant);
                }
            }
            for (&id, &s) in &strengths {
                b.postings[id as usize].0.push((doc as u32, s));
            }
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
        let mut by_initial: FxHashMap<char, Vec<(String, TermId)>> = FxHashMap::default();
        let mut known_words: FxHashMap<String, TermId> = FxHashMap::default();
        for (word, id) in surface {
            let Some(id) = id else { continue };
            if word.chars().count() >= TYPO_MIN_CHARS {
                if let Some(c) = word.chars().next() {
                    by_initial.entry(c).or_default().push((word.clone(), id));
                }
            }
            known_words.insert(word, id);
        }
        for list in by_initial.values_mut() {
            // Hash order is arbitrary; sorted lists make typo correction deterministic.
            list.sort_unstable();
        }
        let n = kb.faqs.len() as f32;
        let idf = |df: f32| (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
        let mut names = vec![String::new(); ids.len()];
        for (name, &id) in &ids {
            names[id as usize] = name.clone();
        }
        let mut question_df = vec![0usize; names.len()];
        for doc_terms in variant_terms.iter().zip(&variant_doc).fold(
            vec![Vec::<TermId>::new(); kb.faqs.len()],
            |mut acc, (terms, &doc)| {
                acc[doc as usize].extend(terms);
                acc
            },
        ) {
            let mut doc_terms = doc_terms;
            doc_terms.sort_unstable();
            doc_terms.dedup();
            for t in doc_terms {
                question_df[t as usize] += 1;
            }
        }
        let subject_df = kb.faqs.len().div_ceil(2).max(2);
        let terms: Vec<Term> = postings
            .into_iter()
            .zip(&names)
            .zip(question_df)
            .map(|(((mut docs, variants), name), qdf)| {
                docs.sort_unstable_by_key(|d| d.0);
                // A mention in passing in an answer says less about what an FAQ is about
                // than its question does, so it counts partly towards document frequency.
                let df: f32 = docs.iter().map(|d| d.1).sum();
                let weak = if analyzer.is_weak(name) {
                    WEAK_WORD_FACTOR
                } else {
                    1.0
                };
                Term {
                    idf: idf(df) * weak,
                    docs,
                    variants,
                    subject: qdf >= subject_df && !analyzer.is_weak(name),
                    topical: qdf < subject_df && !analyzer.is_weak(name),
                }
            })
            .collect();
        let variant_total = variant_terms
            .iter()
            .map(|v| v.iter().map(|&t| terms[t as usize].idf + FIT_FLOOR).sum())
            .collect();
        let has_subject = terms.iter().any(|t| t.subject);
        Index {
            has_subject,
            known_words,
            analyzer,
            ids,
            names,
            terms,
            by_initial,
            variant_doc,
            variant_total,
            doc_count: kb.faqs.len(),
            unknown_idf: idf(0.0),
        }
    }

    /// Reads a question into weighted terms: joins split words the knowledge base
    /// writes as one ("back end" → "backend"), corrects typos of known words, and
    /// weighs each term by IDF (unknown words by the IDF of a word no FAQ uses).
    pub fn read_question(&self, question: &str) -> Vec<QueryTerm> {
        let ws = words(question);
        let mut out: Vec<QueryTerm> = Vec::new();
        let known = |out: &mut Vec<QueryTerm>, word: String, id: TermId| {
            push_unique(out, word, self.term_name(id), Some(id), None, 1.0, self);
        };
        let mut i = 0;
        while i < ws.len() {
            if let Some(next) = ws.get(i + 1) {
                let joined = format!("{}{}", ws[i], next);
                if let Some(&id) = self.known_words.get(&joined) {
                    known(&mut out, joined, id);
                    i += 2;
                    continue;
                }
            }
            let word = &ws[i];
            i += 1;
            if let Some(&id) = self.known_words.get(word) {
                known(&mut out, word.clone(), id);
                continue;
            }
            let Some(t) = self.analyzer.term(word) else {
                continue;
            };
            if let Some(&id) = self.ids.get(&t) {
                known(&mut out, word.clone(), id);
            } else if let Some((left, right)) = self.split_joined(word) {
                // "nodejs" where the FAQs write "Node.js": both halves count.
                known(&mut out, word.clone(), left);
                known(&mut out, word.clone(), right);
            } else if let Some((surface, id, similarity)) = self.correct_typo(word) {
                let term = self.term_name(id);
                let typed = Some(word.clone());
                push_unique(
                    &mut out,
                    surface,
                    term,
                    Some(id),
                    typed,
                    similarity as f32,
                    self,
                );
            } else {
                push_unique(&mut out, word.clone(), t, None, None, 1.0, self);
            }
        }
        out
    }

    fn term_name(&self, id: TermId) -> String {
        self.names[id as usize].clone()
    }

    /// An unknown word that is two words the FAQs use, written together.
    fn split_joined(&self, word: &str) -> Option<(TermId, TermId)> {
        if word.len() < 4 || !word.is_ascii() {
            return None;
        }
        (2..=word.len() - 2).find_map(|at| {
            let left = self.known_words.get(&word[..at])?;
            let right = self.known_words.get(&word[at..])?;
            Some((*left, *right))
        })
    }

    fn correct_typo(&self, word: &str) -> Option<(String, TermId, f64)> {
        let len = word.chars().count();
        if len < TYPO_MIN_CHARS || word.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let first = word.chars().next()?;
        let mut best: Option<(&str, TermId, f64)> = None;
        for (surface, id) in self.by_initial.get(&first)? {
            let other_len = surface.chars().count();
            if other_len.abs_diff(len) > 2 {
                continue;
            }
            let distance = strsim::osa_distance(word, surface);
            let similarity = 1.0 - distance as f64 / len.max(other_len) as f64;
            if similarity >= TYPO_MIN_SIMILARITY && best.is_none_or(|b| similarity > b.2) {
                best = Some((surface, *id, similarity));
            }
        }
        best.map(|(s, id, _)| (s.to_string(), id, typo_confidence(word, s)))
    }

    /// Scores every FAQ sharing a term with the question; keeps the best `limit`.
    pub fn search(&self, question: &str, limit: usize) -> Search {
        let mut query = self.read_question(question);
        // An unknown word in a question that never names the knowledge base's subject is
        // likely a different subject ("how much does a *pilot* earn"): it weighs double,
        // and the question cannot be answered with confidence (see `Search`).
        let names_subject = query.iter().any(|q| {
            self.ids
                .get(&q.term)
                .is_some_and(|&id| self.terms[id as usize].subject)
        });
        let mut off_subject = false;
        if self.has_subject && !names_subject {
            for q in query.iter_mut().filter(|q| !q.known) {
                q.total *= UNKNOWN_OFF_SUBJECT;
                off_subject |= !self.analyzer.is_weak(&q.term);
            }
        }
        let total: f32 = query.iter().map(|q| q.total).sum();
        if query.is_empty() || total <= 0.0 || limit == 0 {
            return Search {
                terms: query,
                ranked: Vec::new(),
                off_subject,
            };
        }
        let mut coverage = vec![0.0f32; self.doc_count];
        let mut fit = vec![0.0f32; self.variant_total.len()];
        let mut touched: Vec<u32> = Vec::new();
        for q in &query {
            let Some(&id) = self.ids.get(&q.term) else {
                continue;
            };
            let term = &self.terms[id as usize];
            let confidence = (q.weight / term.idf.max(f32::EPSILON)).min(1.0);
            for &(doc, strength) in &term.docs {
                if coverage[doc as usize] == 0.0 {
                    touched.push(doc);
                }
                coverage[doc as usize] += q.weight * strength;
            }
            for &v in &term.variants {
                fit[v as usize] += (term.idf + FIT_FLOOR) * confidence;
            }
        }
        let mut best_fit = vec![0.0f32; self.doc_count];
        for (v, &matched) in fit.iter().enumerate() {
            if matched > 0.0 {
                let doc = self.variant_doc[v] as usize;
                let f = (matched / self.variant_total[v]).min(1.0);
                best_fit[doc] = best_fit[doc].max(f);
            }
        }
        let mut scored: Vec<Scored> = touched
            .into_iter()
            .map(|doc| {
                let d = doc as usize;
                let c = (coverage[d] / total).min(1.0);
                let f = best_fit[d];
                Scored {
                    doc: d,
                    score: COVERAGE_SHARE * c + (1.0 - COVERAGE_SHARE) * f,
                    coverage: c,
                    fit: f,
                }
            })
            .collect();
        let by_score = |a: &Scored, b: &Scored| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc));
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, by_score);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(by_score);
        Search {
            terms: query,
            ranked: scored,
            off_subject,
        }
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
            .map(|(id, n)| {
                (n * id.map_or(self.unknown_idf, |id| self.terms[id as usize].idf)).powi(2)
            })
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

/// How sure a correction is. Dropped, doubled and swapped letters are the typos of
/// chat; a different letter is as often a different real word ("charge", "change").
fn typo_confidence(typed: &str, known: &str) -> f64 {
    let a: Vec<char> = typed.chars().collect();
    let b: Vec<char> = known.chars().collect();
    if strsim::osa_distance(typed, known) > 1 {
        return 0.5;
    }
    if a.len() != b.len() {
        return 0.9;
    }
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    if differing == 2 {
        0.9 // a swap
    } else {
        0.6
    }
}

fn push_unique(
    out: &mut Vec<QueryTerm>,
    word: String,
    term: String,
    id: Option<TermId>,
    corrected_from: Option<String>,
    confidence: f32,
    index: &Index,
) {
    // A word repeated in a question is not more of the question.
    if out.iter().any(|q| q.term == term) {
        return;
    }
    let unknown = index.unknown_idf * UNKNOWN_WEIGHT;
    let (weight, total) = match id {
        Some(id) => {
            let w = index.terms[id as usize].idf * confidence;
            (w, w + (1.0 - confidence) * unknown)
        }
        // A weak word is weak whether or not the knowledge base uses it.
        None if index.analyzer.is_weak(&term) => (0.0, unknown * WEAK_WORD_FACTOR),
        None => (0.0, unknown),
    };
    out.push(QueryTerm {
        word,
        term,
        known: id.is_some(),
        corrected_from,
        weight,
        total,
    });
}

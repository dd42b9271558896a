//! Scoring FAQs against a read question: named signals, combined in one place.
//!
//! To add a signal: a field in [`Signals`], its weight in `tuning`, its line in
//! [`Signals::named`], and its accumulation in [`Index::rank`].

use rustc_hash::FxHashMap;

use super::index::{Index, TermId};
use super::lexicon::lexicon;
use super::query::{only_thanks, QueryTerm, Reading};
use super::text::is_number;
use super::tuning::*;

/// Why an FAQ fits a question, each part in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Signals {
    /// Share of the question's information the FAQ explains: its terms weighted by how
    /// rare they are (in the knowledge base and in English), each credited by where the
    /// FAQ holds it (question and aliases fully, answer partly) and how surely the word
    /// was read (typo, related word). Unexplained words count against it.
    pub coverage: f32,
    /// Share of the FAQ's own question (or its best alias) the question covers.
    pub fit: f32,
    /// How much the matched words pin down, in absolute terms: one rare word is strong
    /// evidence, common words ("time", "get") are weak however many match.
    pub evidence: f32,
    /// Share of the question's information one passage of the FAQ explains (its
    /// question, an alias, or one sentence of its answer): a detail question is
    /// answered by one sentence, words scattered over a long answer are not.
    pub passage: f32,
}

/// One named signal, for `--explain` and the docs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signal {
    pub name: &'static str,
    pub value: f32,
    pub weight: f32,
}

impl Signals {
    /// Every signal by name with its weight in the score.
    pub fn named(&self) -> [Signal; 4] {
        let s = |name, value, weight| Signal {
            name,
            value,
            weight,
        };
        [
            s("coverage", self.coverage, WEIGHT_COVERAGE),
            s("fit", self.fit, WEIGHT_FIT),
            s("evidence", self.evidence, WEIGHT_EVIDENCE),
            s("passage", self.passage, WEIGHT_PASSAGE),
        ]
    }

    /// The score: the signals' weighted sum, in [0, 1].
    pub fn score(&self) -> f32 {
        self.named()
            .iter()
            .map(|s| s.value * s.weight)
            .sum::<f32>()
            .clamp(0.0, 1.0)
    }
}

/// One FAQ's score and its parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// Position in `KnowledgeBase::faqs`.
    pub doc: usize,
    pub score: f32,
    pub signals: Signals,
    /// The first foreign word of the question (see [`QueryTerm::foreign`]) that this
    /// FAQ does not explain, as a position in `Ranking::terms`.
    pub unexplained: Option<usize>,
    /// Only the commonest English words ("how", "long", "time") match: no evidence
    /// that the question is about this FAQ at all.
    pub only_common_words: bool,
    /// Of the best FAQ only: a noun of the question that another FAQ asks about and
    /// this one never mentions, or mentions only in its answer while the FAQ asking
    /// about it scores close (see [`Index::subject_elsewhere`]), as a position in
    /// `Ranking::terms`.
    pub other_subject: Option<usize>,
    /// With `other_subject`: this FAQ mentions the word, in its answer only.
    pub subject_in_passing: bool,
    /// With `other_subject`: the best-scored FAQ kept that asks about it, as a position
    /// in `Ranking::ranked`, so that the reply can offer it.
    pub asked_by: Option<usize>,
}

/// A question as the index read it, and the FAQs that fit it best.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    pub terms: Vec<QueryTerm>,
    /// Best first.
    pub ranked: Vec<Scored>,
    /// The message thanks and asks nothing ("thanks, that helped a lot!"): nothing is
    /// answered or offered for it, whatever its words match (see `decision`); the
    /// ranking itself still serves autocomplete and related questions.
    pub thanks: bool,
}

impl Index {
    /// Whether FAQ `doc` holds the term, or a term it stands for (of a compound: each
    /// of its words).
    fn explains(&self, q: &QueryTerm, doc: usize) -> bool {
        let holds = |id: TermId| {
            self.term(id)
                .docs
                .binary_search_by_key(&(doc as u32), |d| d.0)
                .is_ok()
        };
        if !q.parts.is_empty() {
            return q.parts.iter().all(|ids| ids.iter().any(|&id| holds(id)));
        }
        q.matches.iter().any(|&(id, _)| holds(id))
    }

    /// Whether FAQ `doc` holds the term in its question (or an alias or keyword).
    fn asks(&self, id: TermId, doc: usize) -> bool {
        let docs = &self.term(id).docs;
        docs.binary_search_by_key(&(doc as u32), |d| d.0)
            .is_ok_and(|i| docs[i].1 >= QUESTION_STRENGTH)
    }

    /// Whether the question term names what another FAQ is about: an informative noun
    /// (or name) of the knowledge base, read surely, that one or two FAQs' own questions
    /// hold (more make it the knowledge base's topic), itself or as a word it is strongly
    /// related to ("printer" for "Can I print here?"). "is the garage open on saturdays"
    /// shares "open" and "saturdays" with a hall's opening hours, but the garage is what
    /// another FAQ asks about: the question is about that, or about both, and answering
    /// with the hours alone would be a guess.
    fn subject_elsewhere(&self, q: &QueryTerm) -> bool {
        matches!(q.reading, Reading::Known | Reading::Typo { .. })
            && q.matches
                .first()
                .is_some_and(|&(_, confidence)| confidence >= SUBJECT_MIN_CONFIDENCE)
            && q.english >= FOREIGN_MIN_ENGLISH
            && !q.word.chars().any(|c| c.is_ascii_digit())
            && q.matches
                .iter()
                .any(|&(id, _)| (1..=SUBJECT_MAX_ASKED).contains(&self.asked[id as usize]))
            && lexicon().names_a_thing(&q.word)
    }

    /// Whether FAQ `doc`'s own question (or an alias or keyword) holds a term the
    /// question term stands for.
    fn asks_about(&self, q: &QueryTerm, doc: usize) -> bool {
        q.matches.iter().any(|&(id, _)| self.asks(id, doc))
    }

    /// Scores every FAQ sharing a term with the question; keeps the best `limit`.
    pub fn rank(&self, question: &str, limit: usize) -> Ranking {
        let terms = self.read_question(question);
        let total: f32 = terms.iter().map(|q| q.info).sum();
        let thanks = only_thanks(self, question, &terms);
        if terms.is_empty() || total <= 0.0 || limit == 0 {
            return Ranking {
                terms,
                ranked: Vec::new(),
                thanks,
            };
        }
        // Per FAQ, the question's information it explains: in its question and aliases
        // (`strong`), and in its answer only, as credited (`weak`) and in full (`weak_full`).
        let mut strong = vec![0.0f32; self.doc_count];
        let mut weak = vec![0.0f32; self.doc_count];
        let mut weak_full = vec![0.0f32; self.doc_count];
        let mut seen = vec![false; self.doc_count];
        // Per FAQ, how many of the question's foreign words it explains.
        let mut explained_foreign = vec![0u32; self.doc_count];
        let mut informative = vec![false; self.doc_count];
        let foreign_count = terms.iter().filter(|t| t.foreign).count() as u32;
        let mut touched: Vec<u32> = Vec::new();
        // Per question term, the best way each FAQ holds it; per knowledge-base term,
        // how surely the question names it (for fit).
        let mut best: FxHashMap<u32, (f32, f32)> = FxHashMap::default();
        let mut named: FxHashMap<TermId, f32> = FxHashMap::default();
        for q in &terms {
            best.clear();
            for &(id, confidence) in &q.matches {
                let c = named.entry(id).or_default();
                *c = c.max(confidence);
                for &(doc, strength) in &self.term(id).docs {
                    let m = best.entry(doc).or_default();
                    if confidence * strength > m.0 {
                        *m = (confidence * strength, confidence);
                    }
                }
            }
            for (&doc, &(m, confidence)) in &best {
                let d = doc as usize;
                if !seen[d] {
                    seen[d] = true;
                    touched.push(doc);
                }
                if m >= confidence * QUESTION_STRENGTH {
                    strong[d] += q.info * m;
                } else {
                    weak[d] += q.info * m;
                    weak_full[d] += q.info * confidence;
                }
                if q.foreign && m > 0.0 {
                    explained_foreign[d] += 1;
                }
                // A shared number alone ("2") is no sign of what the question is about.
                informative[d] |=
                    m > 0.0 && q.english >= INFORMATIVE_ENGLISH && !is_number(&q.word);
            }
        }
        // Per passage, the share of the question it explains.
        let mut passage: FxHashMap<u32, f32> = FxHashMap::default();
        let mut in_passage: FxHashMap<u32, f32> = FxHashMap::default();
        for q in &terms {
            in_passage.clear();
            for &(id, confidence) in &q.matches {
                for &p in &self.term(id).passages {
                    let c = in_passage.entry(p).or_default();
                    *c = c.max(confidence);
                }
            }
            for (&p, &c) in &in_passage {
                *passage.entry(p).or_default() += q.info * c;
            }
        }
        let mut best_passage = vec![0.0f32; self.doc_count];
        for (&p, &explained) in &passage {
            let d = self.passage_doc[p as usize] as usize;
            best_passage[d] = best_passage[d].max(explained / total);
        }
        let mut fit = vec![0.0f32; self.variant_total.len()];
        for (&id, &confidence) in &named {
            let term = self.term(id);
            for &v in &term.variants {
                fit[v as usize] += (term.info() + FIT_FLOOR) * confidence;
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
                // An answer that holds most of the question is about it, not mentioning
                // its words in passing: answer-only credit rises to full as the share of
                // the question the FAQ explains rises.
                let share = ((strong[d] + weak_full[d]) / total).min(1.0);
                let boosted = weak_full[d] * ANSWER_FOCUSED - weak[d];
                let explained = strong[d] + weak[d] + boosted.max(0.0) * share.powi(2);
                let signals = Signals {
                    coverage: (explained / total).min(1.0),
                    fit: best_fit[d],
                    evidence: 1.0 - (-explained / self.idf_max / EVIDENCE_SCALE).exp(),
                    passage: best_passage[d].min(1.0),
                };
                let unexplained = if explained_foreign[d] < foreign_count {
                    terms.iter().position(|t| t.foreign && !self.explains(t, d))
                } else {
                    None
                };
                Scored {
                    doc: d,
                    score: signals.score(),
                    signals,
                    unexplained,
                    only_common_words: !informative[d],
                    other_subject: None,
                    subject_in_passing: false,
                    asked_by: None,
                }
            })
            .collect();
        let by_score = |a: &Scored, b: &Scored| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc));
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, by_score);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(by_score);
        // Only the best can be answered, so only the best is checked.
        if let Some(best) = scored.first().map(|s| (s.doc, s.score)) {
            let (doc, score) = best;
            let asked_by = |t: usize| {
                scored
                    .iter()
                    .position(|s| self.asks_about(&terms[t], s.doc))
            };
            // Another FAQ's subject the best FAQ never mentions; or one it mentions only
            // in its answer, in passing, while the FAQ that asks about it scores close:
            // "how much are the lockers for the weekend" is the lockers FAQ's question,
            // not the ticket prices' (whose answer lists lockers among the add-ons).
            let subjects = || (0..terms.len()).filter(|&t| self.subject_elsewhere(&terms[t]));
            let never = subjects().find(|&t| !self.explains(&terms[t], doc));
            let passing = || {
                subjects().find_map(|t| {
                    let p = asked_by(t)?;
                    (!self.asks_about(&terms[t], doc) && scored[p].score >= SUBJECT_CLOSE * score)
                        .then_some((t, p))
                })
            };
            let found = match never {
                Some(t) => Some((t, asked_by(t), false)),
                None => passing().map(|(t, p)| (t, Some(p), true)),
            };
            if let Some((t, p, in_passing)) = found {
                scored[0].other_subject = Some(t);
                scored[0].asked_by = p;
                scored[0].subject_in_passing = in_passing;
            }
        }
        Ranking {
            terms,
            ranked: scored,
            thanks,
        }
    }
}

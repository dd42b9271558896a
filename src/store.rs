//! The live knowledge: FAQs plus their built index, swapped atomically on reload.
//!
//! A reload loads, validates and indexes the folder off to the side, then swaps the
//! pointer: questions in flight finish on the set they started with, and a failed
//! reload changes nothing. Every front end (terminal, Discord, tests) asks through here.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use arc_swap::{ArcSwap, ArcSwapOption};
use serde::Serialize;

use crate::knowledge::{load_dir, Faq, FaqId, KnowledgeBase, LoadError};
use crate::links::LinkSettings;
use crate::matcher::{
    related_readings, Decision, Index, MatchSettings, Outcome, QueryTerm, Ranking, Scored, Signals,
    MAX_SUGGESTIONS,
};
use crate::reply::{round_score, Candidate, Link, Reply};

/// Related questions an answer offers ("people also ask"): a few, so that they read
/// as a short list and fit one row of a chat message.
pub const MAX_RELATED: usize = 3;

/// One consistent, immutable knowledge base with everything derived from it: what a
/// question is answered from. (`knowledge::KnowledgeBase` is the data as loaded.)
pub struct Snapshot {
    kb: KnowledgeBase,
    index: Index,
    further_reading: Vec<Vec<Link>>,
    /// Lower-cased questions, for autocomplete's substring search.
    questions_lower: Vec<String>,
    /// Per FAQ, the closest other FAQs (positions), worked out the first time an
    /// answer needs them: one ranking per FAQ asked about, never a pass over the
    /// whole knowledge base at load (10,000 FAQs would add seconds to a reload).
    related: Vec<OnceLock<Vec<usize>>>,
    settings: MatchSettings,
    /// Increases with every successful load; tells apart sets with equal content.
    pub generation: u64,
}

/// A question's candidates with the parts of their scores, for `--explain`.
pub struct Explanation {
    pub terms: Vec<QueryTerm>,
    pub ranked: Vec<(Candidate, Signals)>,
    /// Why the best candidate was not answered although it scored enough, or why
    /// nothing is offered for a message at all (a thank-you), if so.
    pub held_back: Option<String>,
    /// Answered below `matcher.answer`, because the matched words are specific.
    pub on_evidence: bool,
    pub reply: Reply,
}

impl Snapshot {
    pub fn build(kb: KnowledgeBase, settings: MatchSettings, links: &LinkSettings) -> Self {
        let index = Index::build(&kb);
        let further_reading = related_readings(&kb, &index)
            .into_iter()
            .map(|positions| {
                positions
                    .into_iter()
                    .map(|i| Link {
                        title: kb.readings[i].title.clone(),
                        url: links.url_for(&kb.readings[i]),
                    })
                    .collect()
            })
            .collect();
        let questions_lower = kb.faqs.iter().map(|f| f.question.to_lowercase()).collect();
        let related = kb.faqs.iter().map(|_| OnceLock::new()).collect();
        Snapshot {
            kb,
            index,
            further_reading,
            questions_lower,
            related,
            settings,
            generation: 0,
        }
    }

    pub fn faqs(&self) -> &[Faq] {
        &self.kb.faqs
    }

    pub fn knowledge_base(&self) -> &KnowledgeBase {
        &self.kb
    }

    pub fn further_reading(&self, id: FaqId) -> &[Link] {
        self.position(id)
            .map_or(&[][..], |i| self.further_reading[i].as_slice())
    }

    fn position(&self, id: FaqId) -> Option<usize> {
        self.kb.faqs.binary_search_by_key(&id, |f| f.id).ok()
    }

    fn capped<'q>(&self, question: &'q str) -> &'q str {
        match question
            .char_indices()
            .nth(self.settings.max_question_chars)
        {
            Some((cut, _)) => &question[..cut],
            None => question,
        }
    }

    fn candidate(&self, s: &Scored) -> Candidate {
        let faq = &self.kb.faqs[s.doc];
        Candidate {
            id: faq.id,
            question: faq.question.clone(),
            score: round_score(s.score),
        }
    }

    fn rank(&self, question: &str) -> Ranking {
        // Two more than are offered, so a reply knows the runner-ups' scores.
        self.index.rank(self.capped(question), MAX_SUGGESTIONS + 2)
    }

    /// Answers a question.
    pub fn ask(&self, question: &str) -> Reply {
        let ranking = self.rank(question);
        let decision = self.settings.decide(&ranking);
        self.reply(&ranking, &decision)
    }

    /// Answers a question and keeps the workings.
    pub fn explain(&self, question: &str) -> Explanation {
        let ranking = self.rank(question);
        let decision = self.settings.decide(&ranking);
        let reply = self.reply(&ranking, &decision);
        Explanation {
            ranked: ranking
                .ranked
                .iter()
                .map(|s| (self.candidate(s), s.signals))
                .collect(),
            terms: ranking.terms,
            held_back: decision.held_back,
            on_evidence: decision.on_evidence,
            reply,
        }
    }

    fn reply(&self, ranking: &Ranking, decision: &Decision) -> Reply {
        let alternatives = decision
            .suggestions
            .iter()
            .map(|&i| self.candidate(&ranking.ranked[i]))
            .collect();
        match decision.answer.map(|i| &ranking.ranked[i]) {
            Some(top) => Reply {
                outcome: Outcome::Answered,
                best: Some(self.candidate(top)),
                alternatives,
                answer: Some(self.kb.faqs[top.doc].answer.clone()),
                further_reading: self.further_reading[top.doc].clone(),
                related: self.related_to(top.doc),
            },
            None => Reply {
                outcome: decision.outcome,
                best: None,
                alternatives,
                answer: None,
                further_reading: Vec::new(),
                related: Vec::new(),
            },
        }
    }

    /// This knowledge with `extra` aliases added, to try a change out before making it
    /// (the learning loop checks what an alias would answer). Further Reading
    /// addresses come from the default template: only the answers matter here.
    pub fn with_aliases(&self, extra: &[(FaqId, String)]) -> Snapshot {
        let mut kb = self.kb.clone();
        for (id, alias) in extra {
            if let Ok(i) = kb.faqs.binary_search_by_key(id, |f| f.id) {
                kb.faqs[i].aliases.push(alias.clone());
            }
        }
        Snapshot::build(kb, self.settings, &LinkSettings::default())
    }

    /// The reply for one FAQ chosen by id (a "did you mean" button, `/faq topic`).
    pub fn reply_for(&self, id: FaqId) -> Option<Reply> {
        let i = self.position(id)?;
        let faq = &self.kb.faqs[i];
        Some(Reply {
            outcome: Outcome::Answered,
            best: Some(direct(faq)),
            alternatives: Vec::new(),
            answer: Some(faq.answer.clone()),
            further_reading: self.further_reading[i].clone(),
            related: self.related_to(i),
        })
    }

    /// The FAQs closest to FAQ `doc`, best first: what the matcher ranks highest for
    /// its question, itself left out. Scored as a question would be, so "closest"
    /// means what a person asking this would most likely also mean.
    fn related_to(&self, doc: usize) -> Vec<Candidate> {
        let positions = self.related[doc].get_or_init(|| {
            self.index
                .rank(&self.kb.faqs[doc].question, MAX_RELATED + 1)
                .ranked
                .iter()
                .filter(|s| s.doc != doc && s.score >= self.settings.suggest)
                .map(|s| s.doc)
                .take(MAX_RELATED)
                .collect()
        });
        positions
            .iter()
            .map(|&i| direct(&self.kb.faqs[i]))
            .collect()
    }

    /// FAQs for a half-typed topic, best first: ranked by the matcher, then questions
    /// containing the text, so that every keystroke shows something useful.
    pub fn suggest(&self, partial: &str, limit: usize) -> Vec<Candidate> {
        let partial = self.capped(partial);
        if partial.trim().is_empty() {
            return self.kb.faqs.iter().take(limit).map(direct).collect();
        }
        let ranked = self.index.rank(partial, limit).ranked;
        let mut out: Vec<Candidate> = ranked.iter().map(|s| self.candidate(s)).collect();
        let needle = partial.trim().to_lowercase();
        for (faq, lower) in self.kb.faqs.iter().zip(&self.questions_lower) {
            if out.len() >= limit {
                break;
            }
            if !out.iter().any(|c| c.id == faq.id) && lower.contains(&needle) {
                out.push(Candidate {
                    score: 0.0,
                    ..direct(faq)
                });
            }
        }
        out
    }
}

fn direct(faq: &Faq) -> Candidate {
    Candidate {
        id: faq.id,
        question: faq.question.clone(),
        score: 1.0,
    }
}

/// What a successful reload changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReloadSummary {
    pub faqs: usize,
    pub files: usize,
    pub added: Vec<FaqId>,
    pub removed: Vec<FaqId>,
    pub changed: Vec<FaqId>,
}

impl fmt::Display for ReloadSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids = |v: &[FaqId]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        write!(
            f,
            "{} FAQs from {} files; added: {}; removed: {}; changed: {}",
            self.faqs,
            self.files,
            ids(&self.added),
            ids(&self.removed),
            ids(&self.changed)
        )
    }
}

/// The outcome of the latest reload, for health checks.
#[derive(Debug, Clone)]
pub struct ReloadRecord {
    pub at: SystemTime,
    pub result: Result<ReloadSummary, LoadError>,
}

pub struct Store {
    dir: PathBuf,
    settings: MatchSettings,
    links: LinkSettings,
    live: ArcSwap<Snapshot>,
    /// Serialises reloads, so that two at once cannot report diffs against a stale set.
    /// Held for the whole load (seconds for a large knowledge base): nothing that
    /// answers a request may wait on it.
    reloading: Mutex<()>,
    /// Whether a reload holds `reloading` right now, for `/healthz`.
    in_progress: AtomicBool,
    /// The latest reload's outcome, apart from the lock, so that health checks read it
    /// without waiting for a reload to finish.
    last: ArcSwapOption<ReloadRecord>,
}

impl Store {
    /// Loads the folder; fails if the first load fails (there is nothing to serve).
    pub fn open(
        dir: &Path,
        settings: MatchSettings,
        links: LinkSettings,
    ) -> Result<Self, LoadError> {
        let kb = load_dir(dir)?;
        let mut knowledge = Snapshot::build(kb, settings, &links);
        knowledge.generation = 1;
        Ok(Store {
            dir: dir.to_path_buf(),
            settings,
            links,
            live: ArcSwap::from_pointee(knowledge),
            reloading: Mutex::new(()),
            in_progress: AtomicBool::new(false),
            last: ArcSwapOption::empty(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The current knowledge. Hold the `Arc` for as long as one answer needs a consistent view.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.live.load_full()
    }

    pub fn ask(&self, question: &str) -> Reply {
        self.live.load().ask(question)
    }

    /// Reloads the folder. Blocking (file IO and indexing): async callers use
    /// `spawn_blocking`. On error the old knowledge keeps serving.
    pub fn reload(&self) -> Result<ReloadSummary, LoadError> {
        let _serial = self.reloading.lock().unwrap_or_else(|p| p.into_inner());
        let _busy = InProgress::mark(&self.in_progress);
        let result = load_dir(&self.dir).map(|kb| {
            let old = self.live.load_full();
            let summary = diff(old.faqs(), &kb);
            let mut knowledge = Snapshot::build(kb, self.settings, &self.links);
            knowledge.generation = old.generation + 1;
            self.live.store(Arc::new(knowledge));
            summary
        });
        self.last.store(Some(Arc::new(ReloadRecord {
            at: SystemTime::now(),
            result: result.clone(),
        })));
        result
    }

    /// The latest reload's outcome, if any reload ran since start. Never waits for a
    /// reload in progress: it reports the one before.
    pub fn last_reload(&self) -> Option<ReloadRecord> {
        self.last.load_full().map(|r| (*r).clone())
    }

    /// Whether a reload is loading and indexing right now.
    pub fn reload_in_progress(&self) -> bool {
        self.in_progress.load(Ordering::Relaxed)
    }
}

/// Sets a flag for as long as it lives, panics included.
struct InProgress<'a>(&'a AtomicBool);

impl<'a> InProgress<'a> {
    fn mark(flag: &'a AtomicBool) -> Self {
        flag.store(true, Ordering::Relaxed);
        InProgress(flag)
    }
}

impl Drop for InProgress<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

fn diff(old: &[Faq], new: &KnowledgeBase) -> ReloadSummary {
    let old_ids: BTreeSet<FaqId> = old.iter().map(|f| f.id).collect();
    let new_ids: BTreeSet<FaqId> = new.faqs.iter().map(|f| f.id).collect();
    let changed = new
        .faqs
        .iter()
        .filter(|f| {
            old.binary_search_by_key(&f.id, |o| o.id)
                .is_ok_and(|i| &old[i] != *f)
        })
        .map(|f| f.id)
        .collect();
    ReloadSummary {
        faqs: new.faqs.len(),
        files: new.files.len(),
        added: new_ids.difference(&old_ids).copied().collect(),
        removed: old_ids.difference(&new_ids).copied().collect(),
        changed,
    }
}

//! Suggestions from the log, for an admin to approve or reject:
//! - an *alias*: a phrasing that at least `min_people` distinct people resolved to the
//!   same FAQ (picked it from "did you mean", or after "not helpful");
//! - a *missing FAQ*: questions that went unanswered (no match / unsure, never
//!   resolved), similar ones grouped (same normalised text, or word-set Jaccard ≥
//!   [`SIMILAR`]), asked by at least `min_people` people;
//! - an *unhelpful FAQ*: one whose "not helpful" share reaches `not_helpful_share`
//!   with at least [`MIN_VOTES`] votes.
//!
//! Ids are a hash of kind, FAQ and normalised text, so they are the same on every run
//! and a decision (kept in `suggestion_decisions`) keeps a suggestion from coming back.
//! Suggestions the live FAQs already answer are left out.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Arc;

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::alias::{self, AliasError};
use super::db::{hex, Database, DbError};
use super::{normalize, now_ms};
use crate::config::LearningSettings;
use crate::knowledge::FaqId;
use crate::matcher::Outcome;
use crate::store::{Snapshot, Store};

/// Word-set Jaccard similarity at which two unanswered questions count as one.
pub const SIMILAR: f64 = 0.6;
/// Votes an FAQ needs before its "not helpful" share means anything.
pub const MIN_VOTES: u64 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Alias,
    MissingFaq,
    UnhelpfulFaq,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Alias => "alias",
            Kind::MissingFaq => "missing_faq",
            Kind::UnhelpfulFaq => "unhelpful_faq",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub id: String,
    pub kind: Kind,
    /// The FAQ it is about (alias, unhelpful); none for a missing FAQ.
    pub faq: Option<FaqId>,
    /// The alias to add, the question people asked, or the FAQ's question.
    pub text: String,
    /// Distinct people behind it (voters, for an unhelpful FAQ).
    pub people: u64,
    /// Questions (or votes) behind it.
    pub count: u64,
    /// Other phrasings grouped with it (missing FAQ), at most five.
    pub examples: Vec<String>,
    /// Unhelpful FAQ: the share of "not helpful" votes.
    pub not_helpful_share: Option<f64>,
}

/// Unanswered questions grouped: for suggestions and `stats`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnansweredGroup {
    /// The most asked phrasing.
    pub text: String,
    pub normalized: String,
    pub people: u64,
    pub asked: u64,
    /// The normalised texts merged into it.
    pub members: Vec<String>,
    pub examples: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("no pending suggestion has the id {0} (run `faqbot suggestions` for the list)")]
    Unknown(String),
    #[error(transparent)]
    Alias(#[from] AliasError),
    #[error("the FAQ folder does not load: {0}")]
    Folder(#[from] crate::knowledge::LoadError),
    #[error(
        "not added: with the alias {alias:?}, FAQ {faq} would answer {question:?}, which people \
         did not pick it for (the FAQ files have changed since the suggestion was made)"
    )]
    Overreach {
        faq: FaqId,
        alias: String,
        question: String,
    },
}

/// What approving did.
#[derive(Debug, Clone, PartialEq)]
pub enum Approved {
    /// The alias was written into this file (a running bot reloads it).
    Alias {
        faq: FaqId,
        text: String,
        file: std::path::PathBuf,
    },
    /// Noted; the admin writes (or rewrites) the FAQ by hand.
    Noted(Kind),
}

pub fn suggestion_id(kind: Kind, faq: Option<FaqId>, normalized: &str) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_str());
    h.update([0]);
    h.update(faq.map_or_else(String::new, |f| f.to_string()));
    h.update([0]);
    h.update(normalized);
    hex(&h.finalize()[..5])
}

/// The pending suggestions, aliases first, then missing FAQs, then unhelpful FAQs;
/// each by how many people are behind it.
pub async fn pending(
    db: &Database,
    snapshot: &Arc<Snapshot>,
    settings: &LearningSettings,
) -> Result<Vec<Suggestion>, DbError> {
    db.ready().await?;
    let decided: HashSet<String> = sqlx::query("SELECT id FROM suggestion_decisions")
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?;
    let min_people = u64::from(settings.min_people);
    let mut out = aliases(db, snapshot, min_people, &decided).await?;
    for group in unanswered(db, 0).await? {
        if group.people < min_people {
            continue;
        }
        let ids: Vec<String> = group
            .members
            .iter()
            .map(|m| suggestion_id(Kind::MissingFaq, None, m))
            .collect();
        if ids.iter().any(|id| decided.contains(id))
            || snapshot.ask(&group.text).outcome == Outcome::Answered
        {
            continue;
        }
        out.push(Suggestion {
            id: suggestion_id(Kind::MissingFaq, None, &group.normalized),
            kind: Kind::MissingFaq,
            faq: None,
            text: group.text,
            people: group.people,
            count: group.asked,
            examples: group.examples,
            not_helpful_share: None,
        });
    }
    for votes in votes(db, 0).await? {
        let Some(faq) = snapshot.knowledge_base().faq(votes.faq) else {
            continue;
        };
        let share = votes.not_helpful_share();
        let id = suggestion_id(Kind::UnhelpfulFaq, Some(faq.id), "");
        if votes.total() < MIN_VOTES || share < settings.not_helpful_share || decided.contains(&id)
        {
            continue;
        }
        out.push(Suggestion {
            id,
            kind: Kind::UnhelpfulFaq,
            faq: Some(faq.id),
            text: faq.question.clone(),
            people: votes.total(),
            count: votes.total(),
            examples: Vec::new(),
            not_helpful_share: Some(share),
        });
    }
    Ok(out)
}

async fn aliases(
    db: &Database,
    snapshot: &Arc<Snapshot>,
    min_people: u64,
    decided: &HashSet<String>,
) -> Result<Vec<Suggestion>, DbError> {
    let rows = sqlx::query(
        "SELECT r.faq_id, q.normalized, q.question, r.person \
         FROM resolutions r JOIN questions q ON q.id = r.question_id",
    )
    .fetch_all(db.pool())
    .await?;
    // normalised text → FAQ → (people, phrasings and how often)
    type Phrasings = (BTreeSet<String>, BTreeMap<String, u64>);
    let mut by_text: BTreeMap<String, BTreeMap<FaqId, Phrasings>> = BTreeMap::new();
    for row in &rows {
        let faq: i64 = row.try_get(0)?;
        let normalized: String = row.try_get(1)?;
        let question: String = row.try_get(2)?;
        let person: String = row.try_get(3)?;
        let Ok(faq) = FaqId::try_from(faq) else {
            continue;
        };
        if normalized.is_empty() {
            continue;
        }
        let entry = by_text
            .entry(normalized)
            .or_default()
            .entry(faq)
            .or_default();
        entry.0.insert(person);
        *entry.1.entry(question.trim().to_string()).or_default() += 1;
    }
    let mut out = Vec::new();
    for (normalized, faqs) in by_text {
        // People who meant different FAQs by the same words: the most people win.
        let Some((&faq, (people, phrasings))) = faqs
            .iter()
            .max_by(|a, b| a.1 .0.len().cmp(&b.1 .0.len()).then(b.0.cmp(a.0)))
        else {
            continue;
        };
        let people = people.len() as u64;
        let id = suggestion_id(Kind::Alias, Some(faq), &normalized);
        let Some(known) = snapshot.knowledge_base().faq(faq) else {
            continue;
        };
        let already = std::iter::once(&known.question)
            .chain(&known.aliases)
            .any(|a| normalize(a) == normalized);
        if people < min_people || decided.contains(&id) || already {
            continue;
        }
        let text = most_common(phrasings);
        let reply = snapshot.ask(&text);
        if reply.outcome == Outcome::Answered && reply.best.is_some_and(|b| b.id == faq) {
            continue; // the FAQs answer it already
        }
        if let Some(question) = overreach(db, snapshot, faq, &text).await? {
            tracing::debug!(
                faq,
                alias = text,
                question,
                "alias not suggested: it would answer a question people did not pick this FAQ for"
            );
            continue;
        }
        out.push(Suggestion {
            id,
            kind: Kind::Alias,
            faq: Some(faq),
            text,
            people,
            count: phrasings.values().sum(),
            examples: Vec::new(),
            not_helpful_share: None,
        });
    }
    out.sort_by(|a, b| b.people.cmp(&a.people).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// A question this alias would wrongly start answering, if any: a logged question that
/// went unanswered and that nobody resolved to the FAQ (whether it was offered the FAQ,
/// other FAQs, or nothing), which the FAQ would answer outright with the alias added. People who were offered an FAQ and passed it by,
/// and questions near nothing at all, are the best evidence of what it does not
/// answer; an alias that generalises over them (a short phrasing, a word such as
/// "tonight", a typo corrected into common words) would turn a fair "did you mean" or
/// "no answer" into a wrong answer. The cost: such an alias is not suggested even
/// when it would also have answered some of those questions right.
async fn overreach(
    db: &Database,
    snapshot: &Arc<Snapshot>,
    faq: FaqId,
    alias: &str,
) -> Result<Option<String>, DbError> {
    let rows = sqlx::query(
        "SELECT q.id, q.question, q.normalized, q.candidates FROM questions q \
         WHERE q.outcome IN ('unsure', 'no_match') AND NOT EXISTS \
         (SELECT 1 FROM resolutions r WHERE r.question_id = q.id AND r.faq_id = $1)",
    )
    .bind(i64::from(faq))
    .fetch_all(db.pool())
    .await?;
    let mut passed_by: BTreeMap<String, String> = BTreeMap::new();
    for row in &rows {
        // Offered this FAQ and passed by, near other FAQs only, or near nothing: as far
        // as anyone showed, none of these was this FAQ's question.
        passed_by.insert(row.try_get(2)?, row.try_get(1)?);
    }
    if passed_by.is_empty() {
        return Ok(None);
    }
    // Indexing the whole knowledge base again (a quarter of a second for 10,000 FAQs)
    // is blocking work: not on the async workers that answer people.
    let (snapshot, alias) = (Arc::clone(snapshot), alias.to_string());
    let found = tokio::task::spawn_blocking(move || {
        let trial = snapshot.with_aliases(&[(faq, alias)]);
        passed_by.into_values().find(|question| {
            let reply = trial.ask(question);
            reply.outcome == Outcome::Answered && reply.best.is_some_and(|b| b.id == faq)
        })
    })
    .await;
    match found {
        Ok(found) => Ok(found),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// The phrasing used most; ties to the first in order.
fn most_common(phrasings: &BTreeMap<String, u64>) -> String {
    let mut best: Option<(&String, u64)> = None;
    for (text, &n) in phrasings {
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((text, n));
        }
    }
    best.map(|(t, _)| t.clone()).unwrap_or_default()
}

/// Questions asked since `since_ms` that went unanswered and nobody resolved, grouped,
/// most people first.
pub async fn unanswered(db: &Database, since_ms: i64) -> Result<Vec<UnansweredGroup>, DbError> {
    let rows = sqlx::query(
        "SELECT q.id, q.normalized, q.question, q.person FROM questions q \
         WHERE q.asked_at >= $1 AND q.outcome IN ('no_match', 'unsure') \
         AND NOT EXISTS (SELECT 1 FROM resolutions r WHERE r.question_id = q.id)",
    )
    .bind(since_ms)
    .fetch_all(db.pool())
    .await?;
    struct Same {
        people: BTreeSet<String>,
        asked: u64,
        phrasings: BTreeMap<String, u64>,
    }
    let mut same: BTreeMap<String, Same> = BTreeMap::new();
    for row in &rows {
        let id: i64 = row.try_get(0)?;
        let normalized: String = row.try_get(1)?;
        let question: String = row.try_get(2)?;
        let person: Option<String> = row.try_get(3)?;
        if normalized.is_empty() {
            continue;
        }
        let entry = same.entry(normalized).or_insert_with(|| Same {
            people: BTreeSet::new(),
            asked: 0,
            phrasings: BTreeMap::new(),
        });
        // Someone without a person hash (the terminal) counts once per question.
        entry
            .people
            .insert(person.unwrap_or_else(|| format!("question {id}")));
        entry.asked += 1;
        *entry
            .phrasings
            .entry(question.trim().to_string())
            .or_default() += 1;
    }
    let mut groups: Vec<(String, Same)> = same.into_iter().collect();
    groups.sort_by(|a, b| {
        b.1.people
            .len()
            .cmp(&a.1.people.len())
            .then(b.1.asked.cmp(&a.1.asked))
            .then_with(|| a.0.cmp(&b.0))
    });
    // Greedy, in that order: each group joins the first cluster it is similar to.
    struct Cluster {
        words: BTreeSet<String>,
        head: UnansweredGroup,
        people: BTreeSet<String>,
    }
    let mut clusters: Vec<Cluster> = Vec::new();
    for (normalized, group) in groups {
        let words: BTreeSet<String> = normalized.split(' ').map(str::to_string).collect();
        let text = most_common(&group.phrasings);
        match clusters
            .iter_mut()
            .find(|c| jaccard(&c.words, &words) >= SIMILAR)
        {
            Some(c) => {
                c.people.extend(group.people);
                c.head.asked += group.asked;
                c.head.members.push(normalized);
                if c.head.examples.len() < 5 {
                    c.head.examples.push(text);
                }
            }
            None => clusters.push(Cluster {
                words,
                people: group.people,
                head: UnansweredGroup {
                    text,
                    normalized: normalized.clone(),
                    people: 0,
                    asked: group.asked,
                    members: vec![normalized],
                    examples: Vec::new(),
                },
            }),
        }
    }
    let mut out: Vec<UnansweredGroup> = clusters
        .into_iter()
        .map(|c| UnansweredGroup {
            people: c.people.len() as u64,
            ..c.head
        })
        .collect();
    out.sort_by(|a, b| {
        b.people
            .cmp(&a.people)
            .then(b.asked.cmp(&a.asked))
            .then_with(|| a.normalized.cmp(&b.normalized))
    });
    Ok(out)
}

pub fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// One FAQ's votes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Votes {
    pub faq: FaqId,
    pub helpful: u64,
    pub not_helpful: u64,
}

impl Votes {
    pub fn total(&self) -> u64 {
        self.helpful + self.not_helpful
    }

    pub fn not_helpful_share(&self) -> f64 {
        if self.total() == 0 {
            0.0
        } else {
            self.not_helpful as f64 / self.total() as f64
        }
    }
}

/// Votes per FAQ since `since_ms`, least helpful first.
pub async fn votes(db: &Database, since_ms: i64) -> Result<Vec<Votes>, DbError> {
    // As every reader: on a fresh database the schema may not be there yet.
    db.ready().await?;
    let rows = sqlx::query(
        "SELECT faq_id, helpful, COUNT(*) FROM feedback WHERE voted_at >= $1 \
         GROUP BY faq_id, helpful",
    )
    .bind(since_ms)
    .fetch_all(db.pool())
    .await?;
    let mut by_faq: BTreeMap<FaqId, Votes> = BTreeMap::new();
    for row in &rows {
        let faq: i64 = row.try_get(0)?;
        let helpful: i64 = row.try_get(1)?;
        let n: i64 = row.try_get(2)?;
        let Ok(faq) = FaqId::try_from(faq) else {
            continue;
        };
        let v = by_faq.entry(faq).or_insert(Votes {
            faq,
            helpful: 0,
            not_helpful: 0,
        });
        let n = u64::try_from(n).unwrap_or(0);
        if helpful != 0 {
            v.helpful += n;
        } else {
            v.not_helpful += n;
        }
    }
    let mut out: Vec<Votes> = by_faq.into_values().collect();
    out.sort_by(|a, b| {
        b.not_helpful_share()
            .total_cmp(&a.not_helpful_share())
            .then(b.total().cmp(&a.total()))
            .then(a.faq.cmp(&b.faq))
    });
    Ok(out)
}

/// Approves a pending suggestion: an alias is written into its FAQ's file (validated;
/// the file is restored if the folder no longer loads) and `store` reloaded; the
/// others are noted.
pub async fn approve(
    db: &Database,
    store: &Store,
    settings: &LearningSettings,
    id: &str,
) -> Result<Approved, DecideError> {
    let s = find(db, store, settings, id).await?;
    approve_pending(db, store, &s).await
}

/// [`approve`] for a suggestion just listed by [`pending`] (approving many at once
/// without listing them again each time).
pub async fn approve_pending(
    db: &Database,
    store: &Store,
    s: &Suggestion,
) -> Result<Approved, DecideError> {
    let approved = match (s.kind, s.faq) {
        (Kind::Alias, Some(faq)) => {
            // Against the files as they are now (other aliases may have been added
            // since the list was made): the same check the suggestion passed.
            store.reload()?;
            if let Some(question) = overreach(db, &store.snapshot(), faq, &s.text).await? {
                return Err(DecideError::Overreach {
                    faq,
                    alias: s.text.clone(),
                    question,
                });
            }
            let dir = store.dir().to_path_buf();
            let text = s.text.clone();
            let file = tokio::task::spawn_blocking(move || alias::add_alias(&dir, faq, &text))
                .await
                .map_err(|e| AliasError::Io {
                    path: store.dir().to_path_buf(),
                    source: std::io::Error::other(e),
                })??;
            // The normal validated load; a running bot's watcher does the same.
            store.reload()?;
            Approved::Alias {
                faq,
                text: s.text.clone(),
                file,
            }
        }
        (kind, _) => Approved::Noted(kind),
    };
    decide(db, s, "approved").await?;
    Ok(approved)
}

/// Rejects a pending suggestion; it does not come back.
pub async fn reject(
    db: &Database,
    store: &Store,
    settings: &LearningSettings,
    id: &str,
) -> Result<Suggestion, DecideError> {
    let s = find(db, store, settings, id).await?;
    decide(db, &s, "rejected").await?;
    Ok(s)
}

async fn find(
    db: &Database,
    store: &Store,
    settings: &LearningSettings,
    id: &str,
) -> Result<Suggestion, DecideError> {
    let wanted = id.trim().to_lowercase();
    pending(db, &store.snapshot(), settings)
        .await?
        .into_iter()
        .find(|s| s.id == wanted)
        .ok_or_else(|| DecideError::Unknown(id.to_string()))
}

async fn decide(db: &Database, s: &Suggestion, decision: &str) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO suggestion_decisions (id, kind, faq_id, text, decision, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET \
         decision = excluded.decision, decided_at = excluded.decided_at",
    )
    .bind(s.id.as_str())
    .bind(s.kind.as_str())
    .bind(s.faq.map(i64::from))
    .bind(s.text.as_str())
    .bind(decision)
    .bind(now_ms())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Sets the pending-suggestions gauge; logs (and keeps the old figure) on failure.
pub async fn refresh_gauge(
    db: &Database,
    store: &Store,
    settings: &LearningSettings,
    gauge: &prometheus_client::metrics::gauge::Gauge,
) {
    match pending(db, &store.snapshot(), settings).await {
        Ok(s) => {
            gauge.set(s.len() as i64);
        }
        Err(e) => tracing::warn!("counting pending suggestions failed: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> BTreeSet<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn suggestion_ids_are_stable_and_distinct() {
        let a = suggestion_id(Kind::Alias, Some(3), "how much is it");
        assert_eq!(a, suggestion_id(Kind::Alias, Some(3), "how much is it"));
        assert_ne!(a, suggestion_id(Kind::Alias, Some(4), "how much is it"));
        assert_ne!(a, suggestion_id(Kind::MissingFaq, None, "how much is it"));
        assert_eq!(a.len(), 10);
    }

    #[test]
    fn jaccard_counts_shared_words() {
        assert_eq!(jaccard(&words("a b c"), &words("a b c")), 1.0);
        assert_eq!(jaccard(&words("a b c d"), &words("a b c e")), 0.6);
        assert_eq!(jaccard(&words("a"), &words("b")), 0.0);
    }
}

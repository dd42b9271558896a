//! The learning loop replayed on a labelled set, to see what it would do for a
//! knowledge base before people use it: simulated people ask every question (two
//! each), press the right FAQ whenever the bot offers it ("did you mean", or the next
//! choices after "Not helpful" — the same resolution either way) and press nothing
//! for questions no FAQ answers; every alias suggestion is approved (written into the
//! FAQ files, then reloaded); the questions are asked again.
//!
//! Used by `faqbot replay` (on any set, e.g. the shared generality sets in CI) and by
//! `tests/replay.rs`. The store must be a copy: approving writes its files.

use std::path::Path;

use serde::Deserialize;

use super::suggest::{self, Approved, DecideError, Kind};
use super::{Database, DbError, Question, QuestionLog};
use crate::config::LearningSettings;
use crate::knowledge::FaqId;
use crate::matcher::Outcome;
use crate::reply::Reply;
use crate::store::Store;

/// A labelled question (the `eval` file format; other fields are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub query: String,
    /// The FAQ that answers it; `None`: no FAQ does.
    pub expect: Option<FaqId>,
}

/// Reads labelled questions, one JSON object per line.
pub fn read_cases(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))
        })
        .collect()
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Round {
    /// In-scope questions asked.
    pub asked: usize,
    /// Answered right on the knowledge base as it was before the replay.
    pub right_at_start: usize,
    /// Answered right when this round began (after the earlier rounds' aliases): a
    /// later round of new phrasings shows what the earlier learning carried over.
    pub right_before: usize,
    pub right_after: usize,
    /// In-scope questions where the right FAQ was offered but not answered: the ones
    /// people resolved with a press.
    pub resolved: usize,
    /// Of those, answered right after the approvals.
    pub resolved_right_after: usize,
    /// Alias suggestions approved (written into the FAQ files).
    pub aliases: usize,
}

/// What the whole replay did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    pub rounds: Vec<Round>,
    /// Questions no FAQ answers (in the first set) that were answered anyway, before
    /// the replay and after every round.
    pub out_of_scope_wrong: Vec<usize>,
    pub out_of_scope: usize,
}

impl Report {
    /// Resolved questions answered right afterwards, over all rounds.
    pub fn resolved_right(&self) -> (usize, usize) {
        self.rounds.iter().fold((0, 0), |(r, n), round| {
            (r + round.resolved_right_after, n + round.resolved)
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("approving a suggested alias: {0}")]
    Approve(#[from] DecideError),
    #[error("the question log is full (it queued fewer questions than were asked)")]
    NotLogged,
}

fn right(reply: &Reply, expect: FaqId) -> bool {
    reply.outcome == Outcome::Answered && reply.best.as_ref().is_some_and(|b| b.id == expect)
}

fn offered(reply: &Reply, expect: FaqId) -> bool {
    !right(reply, expect) && reply.alternatives.iter().any(|c| c.id == expect)
}

/// Replays `rounds` (the first usually the labelled set, the next new phrasings of the
/// same FAQs) one after the other on `store`, logging to `log` (whose database is
/// `db`). People are numbered from 1 and never reused across rounds.
pub async fn run(
    store: &Store,
    log: &QuestionLog,
    db: &Database,
    rounds: &[Vec<Case>],
) -> Result<Report, ReplayError> {
    let out_of_scope: Vec<&Case> = rounds
        .first()
        .map(|r| r.iter().filter(|c| c.expect.is_none()).collect())
        .unwrap_or_default();
    let wrong = |store: &Store| {
        out_of_scope
            .iter()
            .filter(|c| store.ask(&c.query).outcome == Outcome::Answered)
            .count()
    };
    let mut report = Report {
        out_of_scope: out_of_scope.len(),
        out_of_scope_wrong: vec![wrong(store)],
        ..Report::default()
    };
    let count_right = |store: &Store, cases: &[Case]| {
        cases
            .iter()
            .filter(|c| c.expect.is_some_and(|e| right(&store.ask(&c.query), e)))
            .count()
    };
    let at_start: Vec<usize> = rounds.iter().map(|r| count_right(store, r)).collect();
    let mut next_person = 1;
    for (cases, right_at_start) in rounds.iter().zip(at_start) {
        let (mut round, resolved) =
            ask_and_resolve(store, log, db, cases, &mut next_person).await?;
        round.right_at_start = right_at_start;
        round.aliases = approve_aliases(db, store).await?;
        round.right_after = count_right(store, cases);
        round.resolved_right_after = resolved
            .iter()
            .filter(|(q, e)| right(&store.ask(q), *e))
            .count();
        report.out_of_scope_wrong.push(wrong(store));
        report.rounds.push(round);
    }
    Ok(report)
}

/// Two people per question ask; each presses the right FAQ when it is offered.
async fn ask_and_resolve(
    store: &Store,
    log: &QuestionLog,
    db: &Database,
    cases: &[Case],
    next_person: &mut u64,
) -> Result<(Round, Vec<(String, FaqId)>), ReplayError> {
    let mut round = Round::default();
    let mut resolved = Vec::new();
    let mut presses = Vec::new();
    for case in cases {
        let first = store.ask(&case.query);
        if let Some(expect) = case.expect {
            round.asked += 1;
            round.right_before += usize::from(right(&first, expect));
            if offered(&first, expect) {
                resolved.push((case.query.clone(), expect));
            }
        }
        for _ in 0..2 {
            let user = *next_person;
            *next_person += 1;
            let reply = store.ask(&case.query);
            let id = log
                .record(Question::new(case.query.clone(), "replay").by(user), &reply)
                .ok_or(ReplayError::NotLogged)?;
            // Off-topic questions: none of the offered FAQs is what they meant.
            if let Some(expect) = case.expect.filter(|&e| offered(&reply, e)) {
                presses.push((id, expect, user));
            }
        }
    }
    log.flush().await;
    for (id, expect, user) in presses {
        db.record_resolution(id, expect, user).await?;
    }
    round.resolved = resolved.len();
    Ok((round, resolved))
}

/// Approves every alias suggestion; returns how many were written.
async fn approve_aliases(db: &Database, store: &Store) -> Result<usize, ReplayError> {
    let settings = LearningSettings::default();
    let pending = suggest::pending(db, &store.snapshot(), &settings).await?;
    let mut approved = 0;
    for s in pending.iter().filter(|s| s.kind == Kind::Alias) {
        match suggest::approve_pending(db, store, s).await {
            Ok(Approved::Alias { .. }) => approved += 1,
            // An alias approved earlier in this round changed what this one would
            // answer: the check refuses it, as it would for an admin.
            Err(DecideError::Overreach { .. }) => {}
            Ok(Approved::Noted(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(approved)
}

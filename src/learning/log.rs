//! The question log's recorder. `record` never waits: it puts the row on a bounded
//! queue (`try_send`) and returns the question's id; a full queue drops the row and
//! counts it. One writer task takes rows in batches (up to [`BATCH_ROWS`] or
//! [`BATCH_WAIT`]) and writes each batch in one transaction. A database that fails costs
//! those rows (counted, logged), never a reply; the next batch tries again. On shutdown
//! the writer drains the queue before it stops.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::db::{person_hash, Database, DbError};
use super::{normalize, now_ms, LearningMetrics, QuestionId};
use crate::knowledge::FaqId;
use crate::reply::Reply;

/// Rows waiting for the writer; beyond this, questions go unlogged (and counted).
pub const QUEUE_CAPACITY: usize = 10_000;
/// Rows per transaction at most.
pub const BATCH_ROWS: usize = 200;
/// How long the writer waits to fill a batch.
pub const BATCH_WAIT: Duration = Duration::from_millis(100);
/// Questions are logged up to this many characters.
pub const MAX_LOGGED_CHARS: usize = 500;
/// While writes fail, at most one warning per this long.
const WARN_EVERY: Duration = Duration::from_secs(10);

/// Where a question was asked, as the log keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelKind {
    Guild,
    Dm,
    Terminal,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Guild => "guild",
            ChannelKind::Dm => "dm",
            ChannelKind::Terminal => "terminal",
        }
    }
}

/// One asked question, front-end neutral.
#[derive(Debug, Clone)]
pub struct Question {
    pub text: String,
    /// The front end's name, e.g. "slash", "mention", "dm", "terminal".
    pub front_end: &'static str,
    pub channel_kind: ChannelKind,
    pub guild: Option<u64>,
    /// Only ever stored as a salted hash.
    pub user: Option<u64>,
    /// Time to answer (matching).
    pub latency: Duration,
    /// The reply's message id, where the front end knows it.
    pub reply_message: Option<u64>,
}

impl Question {
    /// A question with no place or person (tests, tools).
    pub fn new(text: impl Into<String>, front_end: &'static str) -> Self {
        Question {
            text: text.into(),
            front_end,
            channel_kind: ChannelKind::Terminal,
            guild: None,
            user: None,
            latency: Duration::ZERO,
            reply_message: None,
        }
    }

    pub fn by(mut self, user: u64) -> Self {
        self.user = Some(user);
        self
    }
}

/// A row on its way to the database.
struct Row {
    id: QuestionId,
    asked_at: i64,
    question: Question,
    normalized: String,
    outcome: &'static str,
    faq: Option<FaqId>,
    candidates: String,
}

enum Msg {
    Row(Box<Row>),
    /// The message that carried a question's reply, known only once it was posted.
    ReplyMessage(QuestionId, i64),
    /// Answered once everything queued before it is written (or failed).
    Flush(oneshot::Sender<()>),
}

/// The recorder. Cheap to clone; a disabled one records nothing.
#[derive(Clone, Default)]
pub struct QuestionLog {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    tx: mpsc::Sender<Msg>,
    db: Database,
    metrics: LearningMetrics,
    stop: CancellationToken,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl QuestionLog {
    /// Logs nothing (`privacy.log_questions = false`).
    pub fn disabled() -> Self {
        Self::default()
    }

    /// Starts the writer on the current runtime.
    pub fn start(db: Database, metrics: LearningMetrics) -> Self {
        Self::with_capacity(db, metrics, QUEUE_CAPACITY)
    }

    /// [`start`](Self::start) with another queue size (tests of a full queue).
    pub fn with_capacity(db: Database, metrics: LearningMetrics, capacity: usize) -> Self {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        let stop = CancellationToken::new();
        let writer = tokio::spawn(write_loop(db.clone(), rx, metrics.clone(), stop.clone()));
        QuestionLog {
            inner: Some(Arc::new(Inner {
                tx,
                db,
                metrics,
                stop,
                writer: Mutex::new(Some(writer)),
            })),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// The database behind the log, when logging is on.
    pub fn database(&self) -> Option<&Database> {
        self.inner.as_ref().map(|i| &i.db)
    }

    /// Queues a question and its reply for the log; returns its id, or `None` when
    /// logging is off or the queue is full. Never waits.
    pub fn record(&self, question: Question, reply: &Reply) -> Option<QuestionId> {
        let inner = self.inner.as_ref()?;
        let id = QuestionId(rand::thread_rng().gen_range(1..i64::MAX));
        let mut question = question;
        if let Some((cut, _)) = question.text.char_indices().nth(MAX_LOGGED_CHARS) {
            question.text.truncate(cut);
        }
        let candidates: Vec<serde_json::Value> = reply
            .best
            .iter()
            .chain(&reply.alternatives)
            .map(|c| serde_json::json!({"id": c.id, "score": c.score}))
            .collect();
        let row = Row {
            id,
            asked_at: now_ms(),
            normalized: normalize(&question.text),
            outcome: reply.outcome.as_str(),
            faq: reply.best.as_ref().map(|b| b.id),
            candidates: serde_json::Value::from(candidates).to_string(),
            question,
        };
        match inner.tx.try_send(Msg::Row(Box::new(row))) {
            Ok(()) => Some(id),
            Err(_) => {
                inner.metrics.dropped.inc();
                None
            }
        }
    }

    /// Notes the id of the message that carried the reply to `question` (known only
    /// after the reply was posted). Never waits; dropped when the queue is full.
    pub fn set_reply_message(&self, question: QuestionId, message: u64) {
        let (Some(inner), Ok(message)) = (&self.inner, i64::try_from(message)) else {
            return;
        };
        let _ = inner.tx.try_send(Msg::ReplyMessage(question, message));
    }

    /// Waits until everything recorded so far is written (or has failed).
    pub async fn flush(&self) {
        let Some(inner) = &self.inner else { return };
        let (ack, done) = oneshot::channel();
        if inner.tx.send(Msg::Flush(ack)).await.is_ok() {
            let _ = done.await;
        }
    }

    /// Stops the writer after it has written what is queued, waiting at most `grace`.
    pub async fn close(&self, grace: Duration) {
        let Some(inner) = &self.inner else { return };
        inner.stop.cancel();
        let writer = inner
            .writer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(writer) = writer {
            if tokio::time::timeout(grace, writer).await.is_err() {
                tracing::warn!(
                    "question log: shutdown grace period over before the queue was written"
                );
            }
        }
    }
}

async fn write_loop(
    db: Database,
    mut rx: mpsc::Receiver<Msg>,
    metrics: LearningMetrics,
    stop: CancellationToken,
) {
    let mut writer = Writer {
        db,
        metrics,
        batch: Vec::with_capacity(BATCH_ROWS),
        replies: Vec::new(),
        acks: Vec::new(),
        failing_since: None,
        warned: None,
    };
    loop {
        let first = tokio::select! {
            biased;
            msg = rx.recv() => msg,
            () = stop.cancelled() => None,
        };
        let Some(first) = first else { break };
        writer.take(first);
        let deadline = tokio::time::Instant::now() + BATCH_WAIT;
        while writer.batch.len() < BATCH_ROWS && writer.acks.is_empty() {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(msg)) => writer.take(msg),
                Ok(None) | Err(_) => break,
            }
        }
        writer.write().await;
    }
    // Shutting down: what is already queued still goes in.
    rx.close();
    while let Some(msg) = rx.recv().await {
        writer.take(msg);
        if writer.batch.len() >= BATCH_ROWS {
            writer.write().await;
        }
    }
    writer.write().await;
}

struct Writer {
    db: Database,
    metrics: LearningMetrics,
    batch: Vec<Row>,
    /// Reply message ids for rows in this batch or written before it.
    replies: Vec<(QuestionId, i64)>,
    acks: Vec<oneshot::Sender<()>>,
    failing_since: Option<Instant>,
    warned: Option<Instant>,
}

impl Writer {
    fn take(&mut self, msg: Msg) {
        match msg {
            Msg::Row(row) => self.batch.push(*row),
            Msg::ReplyMessage(id, message) => {
                // Usually its row is still in this batch: set it there, no UPDATE.
                match self.batch.iter_mut().find(|r| r.id == id) {
                    Some(row) => row.question.reply_message = u64::try_from(message).ok(),
                    None => self.replies.push((id, message)),
                }
            }
            Msg::Flush(ack) => self.acks.push(ack),
        }
    }

    async fn write(&mut self) {
        let rows = self.batch.len() as u64;
        if rows > 0 {
            match insert(&self.db, &self.batch).await {
                Ok(()) => {
                    self.metrics.logged.inc_by(rows);
                    if let Some(since) = self.failing_since.take() {
                        tracing::info!(
                            down_for = ?since.elapsed(),
                            "question log: the database is writable again"
                        );
                    }
                }
                Err(e) => {
                    self.metrics.errors.inc_by(rows);
                    self.failing_since.get_or_insert_with(Instant::now);
                    if self.warned.is_none_or(|w| w.elapsed() >= WARN_EVERY) {
                        self.warned = Some(Instant::now());
                        tracing::warn!(
                            rows,
                            database = self.db.place(),
                            "question log: writing failed, these questions are not logged (replies are unaffected): {e}"
                        );
                    }
                }
            }
            self.batch.clear();
        }
        for (id, message) in std::mem::take(&mut self.replies) {
            let set = sqlx::query("UPDATE questions SET reply_message_id = $1 WHERE id = $2")
                .bind(message)
                .bind(id.0)
                .execute(self.db.pool())
                .await;
            if let Err(e) = set {
                tracing::debug!("question log: noting a reply's message failed: {e}");
            }
        }
        for ack in self.acks.drain(..) {
            let _ = ack.send(());
        }
    }
}

async fn insert(db: &Database, rows: &[Row]) -> Result<(), DbError> {
    let salt = db.ready().await?.to_vec();
    let mut tx = db.pool().begin().await?;
    for row in rows {
        let q = &row.question;
        sqlx::query(
            "INSERT INTO questions (id, asked_at, guild_id, channel_kind, front_end, person, \
             question, normalized, outcome, faq_id, candidates, latency_us, reply_message_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(row.id.0)
        .bind(row.asked_at)
        .bind(q.guild.and_then(|g| i64::try_from(g).ok()))
        .bind(q.channel_kind.as_str())
        .bind(q.front_end)
        .bind(q.user.map(|u| person_hash(&salt, u)))
        .bind(q.text.as_str())
        .bind(row.normalized.as_str())
        .bind(row.outcome)
        .bind(row.faq.map(i64::from))
        .bind(row.candidates.as_str())
        .bind(i64::try_from(q.latency.as_micros()).unwrap_or(i64::MAX))
        .bind(q.reply_message.and_then(|m| i64::try_from(m).ok()))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

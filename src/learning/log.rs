//! The question log's recorder. `record` never waits and does as little as it can on
//! the reply path: it appends the row to a bounded buffer under a short lock and
//! returns the question's id (a full buffer drops the row and counts it). Only the
//! first row of a batch wakes the writer; the rest of the batch just appends, so a
//! busy bot pays one task wake-up per batch, not one per question. The writer lets a
//! batch gather for [`BATCH_WAIT`], then writes it in transactions of up to
//! [`BATCH_ROWS`] rows; what the log stores (normalised text, candidates as JSON) is
//! worked out there, off the reply path. A database that fails costs
//! those rows (counted, logged), never a reply; the next batch tries again. On shutdown
//! the writer drains the queue before it stops.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use tokio::sync::{mpsc, oneshot, Notify};
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
/// How long a batch gathers after its first row before it is written.
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

/// A row on its way to the database, as the reply path left it.
struct Row {
    id: QuestionId,
    asked_at: i64,
    question: Question,
    outcome: &'static str,
    faq: Option<FaqId>,
    /// The best candidate and the alternatives: (FAQ, score).
    candidates: Vec<(FaqId, f64)>,
}

/// What people told us about an answer, written in the order they said it (a second
/// vote replaces the first, so order matters).
enum Feedback {
    Vote {
        question: QuestionId,
        faq: FaqId,
        helpful: bool,
        user: u64,
    },
    Resolution {
        question: QuestionId,
        faq: FaqId,
        user: u64,
    },
}

/// What the reply path hands the writer.
#[derive(Default)]
struct Buffer {
    rows: Vec<Row>,
    /// Messages that carried a question's reply, known only once they were posted.
    replies: Vec<(QuestionId, i64)>,
    feedback: Vec<Feedback>,
    /// Set by the writer's last take at shutdown: nothing added after it would be
    /// written, so nothing is taken.
    closed: bool,
}

impl Buffer {
    fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.replies.is_empty() && self.feedback.is_empty()
    }
}

/// The recorder. Cheap to clone; a disabled one records nothing.
#[derive(Clone, Default)]
pub struct QuestionLog {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    buffer: Mutex<Buffer>,
    capacity: usize,
    /// Wakes the writer: a batch has begun.
    wake: Notify,
    /// Flush requests, answered once everything recorded before them is written.
    flushes: mpsc::UnboundedSender<oneshot::Sender<()>>,
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
        let (flushes, flush_rx) = mpsc::unbounded_channel();
        let inner = Arc::new(Inner {
            buffer: Mutex::new(Buffer::default()),
            capacity: capacity.max(1),
            wake: Notify::new(),
            flushes,
            db,
            metrics,
            stop: CancellationToken::new(),
            writer: Mutex::new(None),
        });
        let writer = tokio::spawn(write_loop(Arc::clone(&inner), flush_rx));
        *lock(&inner.writer) = Some(writer);
        QuestionLog { inner: Some(inner) }
    }

    /// Appends `item` to one of the buffer's lists unless it holds `capacity` already
    /// (or the log is closed); wakes the writer if this starts a batch.
    fn push<T>(inner: &Inner, list: impl FnOnce(&mut Buffer) -> &mut Vec<T>, item: T) -> bool {
        let first = {
            let mut buffer = lock(&inner.buffer);
            let first = buffer.is_empty();
            if buffer.closed {
                return false;
            }
            let list = list(&mut buffer);
            if list.len() >= inner.capacity {
                return false;
            }
            list.push(item);
            first
        };
        if first {
            inner.wake.notify_one();
        }
        true
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
        let row = Row {
            id,
            asked_at: now_ms(),
            outcome: reply.outcome.as_str(),
            faq: reply.best.as_ref().map(|b| b.id),
            candidates: reply
                .best
                .iter()
                .chain(&reply.alternatives)
                .map(|c| (c.id, c.score))
                .collect(),
            question,
        };
        if Self::push(inner, |b| &mut b.rows, row) {
            Some(id)
        } else {
            inner.metrics.dropped.inc();
            None
        }
    }

    /// Notes the id of the message that carried the reply to `question` (known only
    /// after the reply was posted). Never waits; dropped when the buffer is full.
    pub fn set_reply_message(&self, question: QuestionId, message: u64) {
        let (Some(inner), Ok(message)) = (&self.inner, i64::try_from(message)) else {
            return;
        };
        Self::push(inner, |b| &mut b.replies, (question, message));
    }

    /// A "helpful" / "not helpful" vote on the answer to `question`; a person's second
    /// vote replaces the first. Written by the writer, in order, off the reply path.
    pub fn record_vote(&self, question: QuestionId, faq: FaqId, helpful: bool, user: u64) {
        self.feedback(Feedback::Vote {
            question,
            faq,
            helpful,
            user,
        });
    }

    /// The FAQ a person picked for `question` ("did you mean", or another after "not
    /// helpful"). Written like a vote.
    pub fn record_resolution(&self, question: QuestionId, faq: FaqId, user: u64) {
        self.feedback(Feedback::Resolution {
            question,
            faq,
            user,
        });
    }

    fn feedback(&self, feedback: Feedback) {
        let Some(inner) = &self.inner else { return };
        if !Self::push(inner, |b| &mut b.feedback, feedback) {
            inner.metrics.dropped.inc();
        }
    }

    /// Waits until everything recorded so far is written (or has failed).
    pub async fn flush(&self) {
        let Some(inner) = &self.inner else { return };
        let (ack, done) = oneshot::channel();
        if inner.flushes.send(ack).is_ok() {
            inner.wake.notify_one();
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

async fn write_loop(inner: Arc<Inner>, mut flushes: mpsc::UnboundedReceiver<oneshot::Sender<()>>) {
    let mut writer = Writer {
        db: inner.db.clone(),
        metrics: inner.metrics.clone(),
        failing_since: None,
        warned: None,
    };
    loop {
        let stopping = tokio::select! {
            biased;
            () = inner.stop.cancelled() => true,
            () = inner.wake.notified() => false,
        };
        // A batch has begun (or a flush was asked for): let it gather, unless someone
        // waits for it or the process is stopping.
        if !stopping && flushes.is_empty() {
            tokio::select! {
                () = tokio::time::sleep(BATCH_WAIT) => {}
                () = inner.stop.cancelled() => {}
            }
        }
        // Flushes asked for before the swap are answered after this write.
        let mut acks = Vec::new();
        while let Ok(ack) = flushes.try_recv() {
            acks.push(ack);
        }
        let batch = std::mem::take(&mut *lock(&inner.buffer));
        writer.write(batch).await;
        for ack in acks {
            let _ = ack.send(());
        }
        if stopping || inner.stop.is_cancelled() {
            // What was recorded while the last batch was written still goes in; from
            // here on the buffer takes nothing (`record` says so).
            let rest = {
                let mut buffer = lock(&inner.buffer);
                let rest = std::mem::take(&mut *buffer);
                buffer.closed = true;
                rest
            };
            writer.write(rest).await;
            while let Ok(ack) = flushes.try_recv() {
                let _ = ack.send(());
            }
            return;
        }
    }
}

struct Writer {
    db: Database,
    metrics: LearningMetrics,
    failing_since: Option<Instant>,
    warned: Option<Instant>,
}

impl Writer {
    async fn write(&mut self, batch: Buffer) {
        let Buffer {
            mut rows,
            replies,
            feedback,
            ..
        } = batch;
        // Usually a reply's row is in this same batch: set it there, no UPDATE.
        let mut later = Vec::new();
        for (id, message) in replies {
            match rows.iter_mut().find(|r| r.id == id) {
                Some(row) => row.question.reply_message = u64::try_from(message).ok(),
                None => later.push((id, message)),
            }
        }
        for chunk in rows.chunks(BATCH_ROWS) {
            let count = chunk.len() as u64;
            match insert(&self.db, chunk).await {
                Ok(()) => {
                    self.metrics.logged.inc_by(count);
                    if let Some(since) = self.failing_since.take() {
                        tracing::info!(
                            down_for = ?since.elapsed(),
                            "question log: the database is writable again"
                        );
                    }
                }
                Err(e) => {
                    self.metrics.errors.inc_by(count);
                    self.failing_since.get_or_insert_with(Instant::now);
                    if self.warned.is_none_or(|w| w.elapsed() >= WARN_EVERY) {
                        self.warned = Some(Instant::now());
                        tracing::warn!(
                            rows = count,
                            database = self.db.place(),
                            "question log: writing failed, these questions are not logged (replies are unaffected): {e}"
                        );
                    }
                }
            }
        }
        // After the rows: a vote or pick usually refers to a question of this batch.
        for f in feedback {
            let written = match f {
                Feedback::Vote {
                    question,
                    faq,
                    helpful,
                    user,
                } => self.db.record_vote(question, faq, helpful, user).await,
                Feedback::Resolution {
                    question,
                    faq,
                    user,
                } => self.db.record_resolution(question, faq, user).await,
            };
            if let Err(e) = written {
                self.metrics.errors.inc();
                if self.warned.is_none_or(|w| w.elapsed() >= WARN_EVERY) {
                    self.warned = Some(Instant::now());
                    tracing::warn!("question log: writing feedback failed: {e}");
                }
            }
        }
        for (id, message) in later {
            let set = sqlx::query("UPDATE questions SET reply_message_id = $1 WHERE id = $2")
                .bind(message)
                .bind(id.0)
                .execute(self.db.pool())
                .await;
            if let Err(e) = set {
                tracing::debug!("question log: noting a reply's message failed: {e}");
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `[{"id": 6, "score": 0.81}, ...]`, best first.
fn candidates_json(candidates: &[(FaqId, f64)]) -> String {
    let list: Vec<serde_json::Value> = candidates
        .iter()
        .map(|(id, score)| serde_json::json!({"id": id, "score": score}))
        .collect();
    serde_json::Value::from(list).to_string()
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
        .bind(normalize(&q.text))
        .bind(row.outcome)
        .bind(row.faq.map(i64::from))
        .bind(candidates_json(&row.candidates))
        .bind(i64::try_from(q.latency.as_micros()).unwrap_or(i64::MAX))
        .bind(q.reply_message.and_then(|m| i64::try_from(m).ok()))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

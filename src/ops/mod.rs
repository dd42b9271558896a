//! What a deployment needs around the bot, as small services that know nothing of
//! Discord or of how the process is started: metrics, health, shutdown, the file
//! watcher, flood control (how much the bot may say), the admin page, and the one way
//! to reload. [`Shared`] is the state they and the front ends (Discord, the HTTP
//! listener) share; `startup` builds it.

pub mod admin;
pub mod flood;
pub mod health;
pub mod http;
pub mod memory;
pub mod metrics;
pub mod shutdown;
pub mod watch;

use std::sync::Arc;

use tokio_util::task::TaskTracker;

use crate::knowledge::LoadError;
use crate::learning::QuestionLog;
use crate::store::{ReloadSummary, Store};
use health::Health;
use metrics::{Metrics, ReloadTrigger};
use shutdown::Shutdown;

/// What the front ends share with the rest of the process. Cheap to clone.
#[derive(Clone)]
pub struct Shared {
    pub store: Arc<Store>,
    pub metrics: Arc<Metrics>,
    pub health: Arc<Health>,
    pub shutdown: Shutdown,
    /// Work being done for users right now (events being answered); shutdown waits
    /// for it to finish.
    pub in_flight: TaskTracker,
    /// The question log every front end records to (disabled unless `startup` starts it).
    pub questions: QuestionLog,
    /// The admin page's token and settings; `None`: no admin page.
    pub admin: Option<Arc<admin::Admin>>,
}

impl Shared {
    pub fn new(store: Arc<Store>) -> Self {
        let metrics = Arc::new(Metrics::new());
        metrics.faqs.set(store.snapshot().faqs().len() as i64);
        Shared {
            store,
            metrics,
            health: Arc::new(Health::default()),
            shutdown: Shutdown::new(),
            in_flight: TaskTracker::new(),
            questions: QuestionLog::disabled(),
            admin: None,
        }
    }
}

/// Every reload (command, file watcher, SIGHUP) goes through here: one log line and
/// one metric per attempt, and the memory the previous knowledge held handed back to
/// the system. Blocking (it reads and indexes the whole knowledge base): call it from
/// a blocking thread, or use [`reload_in_background`] from async code.
pub fn reload(
    store: &Store,
    metrics: &Metrics,
    trigger: ReloadTrigger,
) -> Result<ReloadSummary, LoadError> {
    let result = store.reload();
    metrics.reload(trigger, result.is_ok());
    let trigger = trigger.as_str();
    match &result {
        Ok(summary) => {
            metrics.faqs.set(summary.faqs as i64);
            tracing::info!(trigger, %summary, "reloaded the FAQs");
        }
        Err(e) => tracing::error!(
            trigger,
            "reload failed; the previous FAQs keep serving: {e}"
        ),
    }
    // The old snapshot is gone (unless a question in flight still holds it) and so is
    // everything the load parsed: give the pages back, and again at the next quiet
    // moment, for an old snapshot that a question or health check in flight let go of
    // only after this trim. (In the binary, jemalloc gives Rust's pages back by itself;
    // this trims what glibc's malloc holds, see `memory`.)
    memory::release_freed();
    memory::release_soon();
    result
}

/// [`reload`] for async code: runs it on tokio's blocking pool, so that no async
/// worker reads or indexes the knowledge base.
pub async fn reload_in_background(
    store: Arc<Store>,
    metrics: Arc<Metrics>,
    trigger: ReloadTrigger,
) -> Result<ReloadSummary, ReloadFailed> {
    tokio::task::spawn_blocking(move || reload(&store, &metrics, trigger))
        .await
        .map_err(|e| ReloadFailed::Panicked(e.to_string()))?
        .map_err(ReloadFailed::Load)
}

/// Why [`reload_in_background`] did not reload.
#[derive(Debug, thiserror::Error)]
pub enum ReloadFailed {
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The reload thread panicked (a bug); the previous FAQs keep serving.
    #[error("the reload stopped unexpectedly: {0}")]
    Panicked(String),
}

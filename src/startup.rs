//! Assembling the application: settings, the store, the shared state, Discord, the
//! file watcher, signals and the health listener, started and stopped as one (the
//! zero2prod `Application` shape). The binary calls [`run`]; the tests build an
//! [`Application`] against a fake Discord and stop it through its [`Shutdown`].

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use secrecy::SecretString;
use tokio_util::task::TaskTracker;

use crate::config::{ConfigError, Settings};
use crate::discord;
use crate::learning::{self, Database, QuestionLog};
use crate::ops::metrics::{Metrics, ReloadTrigger};
use crate::ops::shutdown::{self, Shutdown};
use crate::ops::{self, http, watch, Shared};
use crate::store::Store;

/// The whole bot, built and ready to run.
pub struct Application {
    settings: Settings,
    token: SecretString,
    shared: Shared,
    http: Option<tokio::net::TcpListener>,
}

impl Application {
    /// Loads the FAQs and binds the health listener; connects nothing yet.
    pub async fn build(
        settings: Settings,
        faq_dir: &Path,
        token: SecretString,
    ) -> anyhow::Result<Self> {
        // Loading walks the whole knowledge base: not on an async worker.
        let (dir, matcher, links) = (
            faq_dir.to_path_buf(),
            settings.matcher,
            settings.links.clone(),
        );
        let store = tokio::task::spawn_blocking(move || Store::open(&dir, matcher, links))
            .await
            .context("loading the FAQs")??;
        let http = match settings.http.listen {
            Some(addr) => Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen on {addr} (http.listen)"))?,
            ),
            None => None,
        };
        let mut shared = Shared::new(Arc::new(store));
        // The question log: connected lazily, so a database that is down costs the
        // log (counted, retried), never the bot.
        if settings.privacy.log_questions {
            let db = Database::connect_lazy(&settings.database, shared.metrics.learning.clone())
                .context("the question log's database (database.*)")?;
            tracing::info!(database = db.place(), "logging questions");
            shared.questions = QuestionLog::start(db, shared.metrics.learning.clone());
        }
        shared.admin = settings
            .http
            .admin_token
            .clone()
            .map(|token| ops::admin::Admin::new(token, settings.learning.clone()));
        Ok(Application {
            shared,
            settings,
            token,
            http,
        })
    }

    /// Where `/healthz`, `/metrics` (and `/admin`, with a token) are served, if enabled.
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.http.as_ref().and_then(|l| l.local_addr().ok())
    }

    pub fn shutdown(&self) -> Shutdown {
        self.shared.shutdown.clone()
    }

    pub fn store(&self) -> Arc<Store> {
        Arc::clone(&self.shared.store)
    }

    /// The question log (disabled when `privacy.log_questions` is off).
    pub fn questions(&self) -> QuestionLog {
        self.shared.questions.clone()
    }

    /// Runs until the shutdown fires (or the gateway fails for good).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let shared = self.shared;
        let _watcher = if self.settings.reload.watch {
            Some(watch::watch(
                Arc::clone(&shared.store),
                Arc::clone(&shared.metrics),
                Duration::from_millis(self.settings.reload.debounce_ms),
            )?)
        } else {
            None
        };
        tokio::spawn(reload_on_sighup(
            Arc::clone(&shared.store),
            Arc::clone(&shared.metrics),
            shared.shutdown.clone(),
        ));
        tokio::spawn(release_memory_now_and_then(
            shared.in_flight.clone(),
            shared.shutdown.clone(),
        ));
        if let Some(db) = shared.questions.database() {
            tokio::spawn(learning::upkeep::run(
                db.clone(),
                Arc::clone(&shared.store),
                self.settings.privacy.clone(),
                self.settings.learning.clone(),
                shared.metrics.learning.clone(),
                {
                    let shutdown = shared.shutdown.clone();
                    async move { shutdown.stopped().await }
                },
            ));
        }
        if let Some(listener) = self.http {
            tracing::info!(addr = ?listener.local_addr().ok(), admin = shared.admin.is_some(), "serving /healthz and /metrics");
            tokio::spawn(http::serve(listener, shared.clone()));
        }
        let questions = shared.questions.clone();
        let served = discord::run(
            &self.settings.discord,
            &self.settings.limits,
            &self.settings.learning,
            self.token,
            shared,
        )
        .await;
        // The replies are out; what they logged is still queued: write it.
        let grace = Duration::from_secs(self.settings.limits.shutdown_grace_seconds);
        questions.close(grace).await;
        served?;
        Ok(())
    }
}

async fn reload_on_sighup(store: Arc<Store>, metrics: Arc<Metrics>, shutdown: Shutdown) {
    #[cfg(unix)]
    {
        let mut hup = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
            Ok(s) => s,
            Err(e) => return tracing::error!("cannot listen for SIGHUP: {e}"),
        };
        loop {
            tokio::select! {
                _ = hup.recv() => {
                    // Logged and counted inside; nothing more to do with the outcome.
                    let _ = ops::reload_in_background(
                        Arc::clone(&store),
                        Arc::clone(&metrics),
                        ReloadTrigger::Sighup,
                    )
                    .await;
                }
                () = shutdown.stopped() => return,
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (store, metrics, shutdown);
}

/// Hands freed memory back to the system (on the blocking pool) once work that freed
/// some is over: at the first check that finds no event in flight after events
/// arrived, a reload or the start asked for it ([`ops::memory::release_soon`]); and
/// every few minutes whatever happened. A burst of 2,000 interactions left ~30 MiB
/// resident until the next periodic trim (two minutes) when that was the only trim.
async fn release_memory_now_and_then(in_flight: TaskTracker, shutdown: Shutdown) {
    let mut check = tokio::time::interval(MEMORY_QUIET_CHECK);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last = tokio::time::Instant::now();
    loop {
        tokio::select! {
            _ = check.tick() => {
                if !in_flight.is_empty() {
                    ops::memory::release_soon();
                    continue;
                }
                if ops::memory::take_release_request() || last.elapsed() >= MEMORY_RELEASE_EVERY {
                    let _ = tokio::task::spawn_blocking(ops::memory::release_freed).await;
                    last = tokio::time::Instant::now();
                }
            }
            () = shutdown.stopped() => return,
        }
    }
}

/// How often to look for a quiet moment: a wake-up and an atomic read when idle, and
/// at most one trim per period (an idle heap trims in well under a millisecond).
const MEMORY_QUIET_CHECK: Duration = Duration::from_secs(5);
const MEMORY_RELEASE_EVERY: Duration = Duration::from_secs(120);

/// Why `faqbot run` stopped with an error: it could not start, or it started and
/// then failed. The binary turns these into exit codes; nothing here knows them.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// No Discord token.
    #[error(transparent)]
    Token(#[from] ConfigError),
    /// No runtime, FAQs that do not load, a listener that cannot bind.
    #[error("{0:#}")]
    Start(anyhow::Error),
    /// The gateway or the watcher failed while serving.
    #[error("{0:#}")]
    Serve(anyhow::Error),
}

/// `faqbot run`: the token, a runtime, the application, and SIGTERM / Ctrl-C.
/// Blocks until the bot has stopped.
pub fn run(settings: Settings, faq_dir: &Path) -> Result<(), RunError> {
    let token = settings.token()?;
    // Before the runtime starts its threads.
    ops::memory::limit_arenas();
    // The gateway, the HTTP listener and upkeep: little work, since events are
    // answered on a runtime of their own (`discord::run`), so two workers however many
    // cores the machine has.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("tokio runtime")
        .map_err(RunError::Start)?;
    let result = runtime.block_on(async {
        let app = Application::build(settings, faq_dir, token)
            .await
            .map_err(RunError::Start)?;
        let stop = app.shutdown();
        tokio::spawn(async move {
            shutdown::termination_signal().await;
            stop.stop();
        });
        app.run_until_stopped().await.map_err(RunError::Serve)?;
        tracing::info!("stopped");
        Ok(())
    });
    // Blocking work still running (a reload; a DNS lookup for an unreachable Discord)
    // must not hold the process after it has stopped: dropping the runtime would wait
    // for it.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

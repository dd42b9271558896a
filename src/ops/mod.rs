//! Running the bot for real: the application (settings, store, Discord, file watcher,
//! signals, health and metrics) wired together, and started and stopped as one.

pub mod cooldown;
pub mod health;
pub mod http;
pub mod metrics;
pub mod shutdown;
pub mod watch;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use secrecy::SecretString;

use crate::cli::Failure;
use crate::config::Settings;
use crate::discord::{self, BotContext};
use crate::knowledge::LoadError;
use crate::store::{ReloadSummary, Store};
use health::Health;
use metrics::Metrics;
use shutdown::Shutdown;

/// Every reload (command, file watcher, SIGHUP) goes through here: one log line and
/// one metric per attempt. Blocking.
pub fn reload(
    store: &Store,
    metrics: &Metrics,
    trigger: &'static str,
) -> Result<ReloadSummary, LoadError> {
    let result = store.reload();
    metrics.reload(trigger, result.is_ok());
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
    result
}

/// The whole bot, built and ready to run (the zero2prod `Application` shape).
pub struct Application {
    settings: Settings,
    token: SecretString,
    core: BotContext,
    http: Option<tokio::net::TcpListener>,
}

impl Application {
    /// Loads the FAQs and binds the health listener; connects nothing yet.
    pub async fn build(
        settings: Settings,
        faq_dir: &Path,
        token: SecretString,
    ) -> anyhow::Result<Self> {
        let store = Store::open(faq_dir, settings.matcher, settings.links.clone())?;
        let metrics = Arc::new(Metrics::new());
        metrics.faqs.set(store.snapshot().faqs().len() as i64);
        let http = match &settings.http.listen {
            Some(addr) => Some(
                tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (http.listen): {e}"))?,
            ),
            None => None,
        };
        Ok(Application {
            core: BotContext {
                store: Arc::new(store),
                metrics,
                health: Arc::new(Health::default()),
                shutdown: Shutdown::new(),
                in_flight: Default::default(),
            },
            settings,
            token,
            http,
        })
    }

    /// Where `/healthz` and `/metrics` are served, if enabled.
    pub fn http_addr(&self) -> Option<SocketAddr> {
        self.http.as_ref().and_then(|l| l.local_addr().ok())
    }

    pub fn shutdown(&self) -> Shutdown {
        self.core.shutdown.clone()
    }

    pub fn store(&self) -> Arc<Store> {
        Arc::clone(&self.core.store)
    }

    /// Runs until the shutdown fires (or the gateway fails for good).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let core = self.core;
        let _watcher = if self.settings.reload.watch {
            Some(watch::watch(
                Arc::clone(&core.store),
                Arc::clone(&core.metrics),
                std::time::Duration::from_millis(self.settings.reload.debounce_ms),
            )?)
        } else {
            None
        };
        tokio::spawn(reload_on_sighup(
            Arc::clone(&core.store),
            Arc::clone(&core.metrics),
            core.shutdown.clone(),
        ));
        if let Some(listener) = self.http {
            tracing::info!(addr = ?listener.local_addr().ok(), "serving /healthz and /metrics");
            tokio::spawn(http::serve(listener, core.clone()));
        }
        discord::run(
            &self.settings.discord,
            &self.settings.limits,
            self.token,
            core,
        )
        .await?;
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
                    let (store, metrics) = (Arc::clone(&store), Arc::clone(&metrics));
                    let _ = tokio::task::spawn_blocking(move || reload(&store, &metrics, "sighup")).await;
                }
                () = shutdown.stopped() => return,
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (store, metrics, shutdown);
}

/// `faqbot run`: the token, a runtime, the application, and SIGTERM / Ctrl-C.
pub fn run_bot(settings: Settings, faq_dir: &Path) -> Result<(), Failure> {
    let token = settings.token().map_err(Failure::setup)?;
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Failure::setup(format!("tokio runtime: {e}")))?;
    runtime.block_on(async {
        let app = Application::build(settings, faq_dir, token)
            .await
            .map_err(|e| Failure::setup(format!("{e:#}")))?;
        let shutdown = app.shutdown();
        tokio::spawn(async move {
            shutdown::termination_signal().await;
            shutdown.stop();
        });
        app.run_until_stopped()
            .await
            .map_err(|e| Failure::problem(format!("{e:#}")))?;
        tracing::info!("stopped");
        Ok(())
    })
}

//! Reloading when the FAQ folder changes on disk. Debounced: an editor's save is
//! several events (write a temp file, rename, write again), and should be one reload.
//!
//! Events alone are not trusted: reading the files (which every reload does) is itself
//! an event on some platforms, and would reload forever. A reload runs only when the
//! folder's FAQ files differ (name, size, modification time) from the last look.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};

use super::metrics::{Metrics, ReloadTrigger};
use crate::knowledge::is_faq_file;
use crate::store::Store;

/// Keeps watching for as long as it lives.
pub struct Watcher {
    _debouncer: Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
}

pub fn watch(
    store: Arc<Store>,
    metrics: Arc<Metrics>,
    debounce: Duration,
) -> anyhow::Result<Watcher> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut debouncer = new_debouncer(debounce, move |result: DebounceEventResult| match result {
        Ok(events) => {
            if events.iter().any(|e| is_faq_file(&e.path)) {
                let _ = tx.send(());
            }
        }
        Err(e) => tracing::warn!("watching the FAQ folder: {e}"),
    })?;
    debouncer
        .watcher()
        .watch(store.dir(), RecursiveMode::NonRecursive)?;
    tracing::info!(dir = %store.dir().display(), "watching the FAQ folder for changes");
    let mut seen = fingerprint(store.dir());
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            // Changes that arrived while reloading are covered by this reload.
            while rx.try_recv().is_ok() {}
            let now = fingerprint(store.dir());
            if now == seen {
                continue;
            }
            seen = now;
            let (store, metrics) = (Arc::clone(&store), Arc::clone(&metrics));
            let _ = tokio::task::spawn_blocking(move || {
                super::reload(&store, &metrics, ReloadTrigger::Watcher)
            })
            .await;
        }
    });
    Ok(Watcher {
        _debouncer: debouncer,
    })
}

/// Name, size and modification time of every FAQ file, in name order.
fn fingerprint(dir: &Path) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| is_faq_file(&e.path()))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.path(), meta.len(), meta.modified().ok()))
        })
        .collect();
    files.sort();
    files
}

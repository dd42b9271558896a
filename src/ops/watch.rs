//! Reloading when the FAQ folder changes on disk, on a thread of its own (every check
//! reads the folder, every reload reads and indexes it: none of that belongs on an
//! async worker).
//!
//! Events only say "look again"; what decides is a fingerprint of the folder
//! ([`Fingerprint`]): reading the files (which every reload does) is itself an event on
//! some platforms and would reload forever, and an event names an entry, while what
//! matters is what the FAQ files resolve to. So:
//!
//! - any event on any entry of the folder, hidden ones included, triggers a check:
//!   Kubernetes updates a ConfigMap volume by swapping a hidden `..data` symlink that
//!   the visible `x.toml -> ..data/x.toml` links go through, and no visible name
//!   changes;
//! - the fingerprint follows symlinks (the target's identity, size, modification time,
//!   mode and whether it can be opened, and the resolved path), so a swap, a
//!   `chmod`, a dangling or repaired link all count as changes;
//! - a reload waits for a quiet period: after an event the folder must keep the same
//!   fingerprint for the whole debounce window (checked again and again while it
//!   changes), so a file written slowly in pieces goes live once, whole;
//! - the folder's parent is watched too, and the folder watch re-armed when the folder
//!   comes back or is replaced (`mv faq.new faq` gives it a new inode; an inotify watch
//!   stays on the old one and would go deaf);
//! - after a failed reload, or while the folder cannot be watched, the folder is
//!   checked every [`RETRY`] as well, so a fix that makes no event in the folder (the
//!   target of a link restored elsewhere, a permission fixed) is still picked up.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};

use super::metrics::{Metrics, ReloadTrigger};
use crate::knowledge::is_faq_file;
use crate::store::Store;

/// How often the folder is checked without an event, after a failed reload or while
/// it cannot be watched.
pub const RETRY: Duration = Duration::from_secs(2);

/// Keeps watching for as long as it lives; dropping it stops the watcher thread.
pub struct Watcher {
    signals: Sender<Signal>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.signals.send(Signal::Stop);
    }
}

enum Signal {
    /// Something happened in or to the folder: look again.
    Look,
    Stop,
}

/// Starts watching the store's folder; reloads go through [`super::reload`].
pub fn watch(
    store: Arc<Store>,
    metrics: Arc<Metrics>,
    debounce: Duration,
) -> anyhow::Result<Watcher> {
    let dir = std::path::absolute(store.dir())?;
    let (signals, rx) = std::sync::mpsc::channel();
    let events = signals.clone();
    let name = dir.file_name().map(OsString::from);
    let debouncer = new_debouncer(debounce, move |result: DebounceEventResult| match result {
        Ok(events_seen) => {
            // The parent's events are about every sibling: only the folder's own count.
            // Names, not whole paths, so that a path the watcher spells differently
            // (through a symlink) still matches; a false match costs one check.
            let about_folder = |p: &Path| {
                p.file_name().map(OsString::from) == name
                    || p.parent().and_then(Path::file_name).map(OsString::from) == name
            };
            if events_seen.iter().any(|e| about_folder(&e.path)) {
                let _ = events.send(Signal::Look);
            }
        }
        Err(e) => tracing::warn!("watching the FAQ folder: {e}"),
    })?;
    let mut folder = Folder {
        dir,
        debouncer,
        armed: None,
        missing_reported: false,
    };
    folder.watch_parent();
    folder.rearm();
    tracing::info!(dir = %folder.dir.display(), "watching the FAQ folder for changes");
    std::thread::Builder::new()
        .name("faq-watcher".into())
        .spawn(move || run(folder, &rx, &store, &metrics, debounce))?;
    Ok(Watcher { signals })
}

/// The watcher thread: waits for a reason to look, waits for quiet, reloads on change.
fn run(
    mut folder: Folder,
    rx: &Receiver<Signal>,
    store: &Store,
    metrics: &Metrics,
    quiet: Duration,
) {
    let mut seen = Fingerprint::of(&folder.dir);
    let mut failed = false;
    loop {
        let poll = failed || folder.armed.is_none();
        // Without a reason to poll, wake up now and then anyway (cheap), in case an
        // event was lost.
        let timeout = if poll { RETRY } else { Duration::from_secs(60) };
        match rx.recv_timeout(timeout) {
            Ok(Signal::Look) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return,
        }
        folder.rearm();
        let Some(now) = settle(rx, &folder.dir, quiet) else {
            return;
        };
        // The folder may have been replaced while settling.
        folder.rearm();
        if now == seen {
            continue;
        }
        seen = now;
        failed = super::reload(store, metrics, ReloadTrigger::Watcher).is_err();
        if failed {
            tracing::info!(
                "checking the FAQ folder every {}s until a reload succeeds",
                RETRY.as_secs()
            );
        }
    }
}

/// Waits until the folder's fingerprint stays the same for a whole `quiet` window and
/// returns it; `None` when the watcher is stopped meanwhile.
fn settle(rx: &Receiver<Signal>, dir: &Path, quiet: Duration) -> Option<Fingerprint> {
    let mut last = Fingerprint::of(dir);
    loop {
        let until = Instant::now() + quiet;
        // Events during the window are what the next look covers.
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(Signal::Look) => {}
                Err(RecvTimeoutError::Timeout) => break,
                Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        let now = Fingerprint::of(dir);
        if now == last {
            return Some(now);
        }
        last = now;
    }
}

/// The watched folder and the state of its watch.
struct Folder {
    dir: PathBuf,
    debouncer: Debouncer<RecommendedWatcher>,
    /// The identity (device, inode) of the folder the watch is on; `None`: not watched.
    armed: Option<(u64, u64)>,
    missing_reported: bool,
}

impl Folder {
    fn watch_parent(&mut self) {
        let Some(parent) = self.dir.parent() else {
            return;
        };
        if let Err(e) = self
            .debouncer
            .watcher()
            .watch(parent, RecursiveMode::NonRecursive)
        {
            tracing::warn!(
                parent = %parent.display(),
                "cannot watch the FAQ folder's parent ({e}): a replaced or recreated folder is noticed by polling only"
            );
        }
    }

    /// Puts the watch on the folder that is at the path now, if it is not there yet.
    fn rearm(&mut self) {
        let identity = std::fs::metadata(&self.dir).ok().map(|m| identity(&m));
        let Some(identity) = identity else {
            if !self.missing_reported {
                tracing::warn!(
                    dir = %self.dir.display(),
                    "the FAQ folder is gone; the last good FAQs keep serving, and the folder is watched for until it comes back"
                );
                self.missing_reported = true;
            }
            self.armed = None;
            return;
        };
        if self.armed == Some(identity) {
            return;
        }
        let watcher = self.debouncer.watcher();
        // The old watch follows the old folder (renamed away, or deleted).
        let _ = watcher.unwatch(&self.dir);
        match watcher.watch(&self.dir, RecursiveMode::NonRecursive) {
            Ok(()) => {
                if self.armed.is_some() || self.missing_reported {
                    tracing::info!(dir = %self.dir.display(), "the FAQ folder was replaced or came back: watching it again");
                }
                self.armed = Some(identity);
                self.missing_reported = false;
            }
            Err(e) => {
                tracing::warn!(
                    dir = %self.dir.display(),
                    "cannot watch the FAQ folder ({e}); checking it every {}s instead",
                    RETRY.as_secs()
                );
                self.armed = None;
            }
        }
    }
}

/// What the folder's FAQ files are, as far as a reload would see them: the folder's
/// identity, and per FAQ file (in name order) what it resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    folder: Option<(u64, u64)>,
    files: Vec<(OsString, FileState)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FileState {
    /// Followed through any symlinks.
    Resolved {
        /// The real path, for a symlink (a ConfigMap's `..data` swap changes it).
        target: Option<PathBuf>,
        identity: (u64, u64),
        len: u64,
        modified: Option<SystemTime>,
        mode: u32,
        /// Whether it opens for reading: the mode alone does not say (root, ACLs).
        readable: bool,
    },
    /// A dangling symlink, a loop, a file that cannot be looked at: the error.
    Unresolved(String),
}

impl Fingerprint {
    pub fn of(dir: &Path) -> Fingerprint {
        let folder = std::fs::metadata(dir).ok().map(|m| identity(&m));
        let mut files: Vec<(OsString, FileState)> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| is_faq_file(&e.path()))
            .map(|e| (e.file_name(), file_state(&e.path())))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Fingerprint { folder, files }
    }
}

fn file_state(path: &Path) -> FileState {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return FileState::Unresolved(e.to_string()),
    };
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link {
        std::fs::canonicalize(path).ok()
    } else {
        None
    };
    // Only regular files are opened: opening a FIFO would block.
    let readable = meta.is_file() && std::fs::File::open(path).is_ok();
    FileState::Resolved {
        target,
        identity: identity(&meta),
        len: meta.len(),
        modified: meta.modified().ok(),
        mode: mode(&meta),
        readable,
    }
}

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

#[cfg(unix)]
fn mode(meta: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::MetadataExt;
    meta.mode()
}

#[cfg(not(unix))]
fn mode(meta: &std::fs::Metadata) -> u32 {
    u32::from(meta.permissions().readonly())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_sees_mode_changes_and_symlink_targets() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.toml");
        std::fs::write(&file, "x").expect("write");
        let before = Fingerprint::of(dir.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
            assert_ne!(Fingerprint::of(dir.path()), before, "a chmod is a change");
            let other = dir.path().join(".target.toml");
            std::fs::write(&other, "x").expect("write");
            std::os::unix::fs::symlink(&other, dir.path().join("b.toml")).expect("symlink");
            let linked = Fingerprint::of(dir.path());
            std::fs::remove_file(&other).expect("remove");
            assert_ne!(
                Fingerprint::of(dir.path()),
                linked,
                "a dangling link is a change"
            );
        }
        // Hidden files are not FAQ files: they do not count.
        let now = Fingerprint::of(dir.path());
        std::fs::write(dir.path().join(".swap.toml"), "y").expect("write");
        assert_eq!(Fingerprint::of(dir.path()), now);
    }
}

//! The one place the `tracing` subscriber is built. Logs go to stderr so that
//! `faqbot ask --json` keeps stdout for data; `RUST_LOG` sets the level.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the subscriber; `default` applies when `RUST_LOG` is unset. A second call
/// (tests start several bots in one process) keeps the first subscriber.
pub fn init(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for people; log collectors get plain text.
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}

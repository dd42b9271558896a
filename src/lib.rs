//! faqbot answers questions from a knowledge base of FAQs, on Discord and in the terminal.
//!
//! # Layout
//! Dependencies run one way: the binary's CLI → [`startup`] → [`discord`] / [`ops`] →
//! the core. The core knows nothing of Discord; every front end drives the same
//! [`store::Store`]. `tests/architecture.rs` keeps it so.
//!
//! The core (no serenity, no axum, no process concerns):
//! - [`knowledge`]: the FAQ data model and loading a folder of TOML files, with errors
//!   that name file, line, column and field; which files are FAQ files.
//! - [`matcher`]: text normalisation, the index, scoring, and the answered / unsure /
//!   no-match decision.
//! - [`reply`]: the answer as plain data, what every front end renders.
//! - [`links`]: addresses for Further Reading entries (own URL or template).
//! - [`store`]: the live knowledge ([`store::Snapshot`]) behind an atomic pointer;
//!   `reload()`.
//! - [`limits`]: Discord's size limits as plain numbers.
//! - [`config`]: settings from `config/faqbot.toml` and `FAQBOT_*` variables, parsed
//!   into typed values; the token.
//! - [`telemetry`]: the `tracing` subscriber.
//!
//! Around it:
//! - [`ops`]: leaf services a deployment needs (metrics, health, shutdown, file
//!   watching, cooldowns, the logged reload) and [`ops::Shared`], the state the front
//!   ends share.
//! - [`learning`]: the question log (SQLite or PostgreSQL), votes and resolutions,
//!   suggestions an admin approves, usage figures. A leaf service like `ops`.
//! - [`discord`]: serenity glue: events in, rendered replies out.
//! - [`startup`]: the application assembled: `Application::build`, `run_until_stopped`,
//!   signals; [`startup::run`] for `faqbot run`.
//!
//! The terminal front end (`src/main.rs`, `src/cli/`) belongs to the binary: it parses
//! arguments, calls in here and is the only place that knows exit codes.

pub mod config;
pub mod discord;
pub mod knowledge;
pub mod learning;
pub mod limits;
pub mod links;
pub mod matcher;
pub mod ops;
pub mod reply;
pub mod startup;
pub mod store;
pub mod telemetry;

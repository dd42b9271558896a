//! faqbot answers questions from a knowledge base of FAQs, on Discord and in the terminal.
//!
//! # Layout
//! The core knows nothing of Discord; every front end drives the same [`store::Store`].
//!
//! - [`knowledge`]: the FAQ data model and loading a folder of TOML files, with errors
//!   that name file, line, column and field.
//! - [`matcher`]: text normalisation, the index, scoring, and the answered / unsure /
//!   no-match decision.
//! - [`reply`]: the answer as plain data, what every front end renders.
//! - [`links`]: addresses for Further Reading entries (own URL or template).
//! - [`store`]: the live knowledge behind an atomic pointer; `reload()`.
//! - [`config`]: settings from `config/faqbot.toml` and `FAQBOT_*` variables; the token.
//! - [`telemetry`]: the `tracing` subscriber.
//! - [`cli`]: the terminal front end (`ask`, `eval`, `list`, `check`, `run`).
//! - [`discord`]: serenity glue: events in, rendered replies out.
//! - [`ops`]: what a deployment needs around the bot: file watching, signals, health
//!   and metrics, cooldowns.

pub mod cli;
pub mod config;
pub mod discord;
pub mod knowledge;
pub mod links;
pub mod matcher;
pub mod ops;
pub mod reply;
pub mod store;
pub mod telemetry;

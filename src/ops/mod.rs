//! Running the bot for real: wiring settings, store, Discord and the operational
//! pieces (file watcher, signals, health and metrics) together.

use std::path::Path;

use crate::cli::Failure;
use crate::config::Settings;

pub fn run_bot(_settings: Settings, _faq_dir: &Path) -> Result<(), Failure> {
    Err(Failure::setup("not yet"))
}

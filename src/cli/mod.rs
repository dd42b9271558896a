//! The terminal front end: parses arguments and drives the same core as Discord.
//! Each subcommand lives in its own file; errors become exit codes here, and only here.

mod ask;
mod eval;
mod inspect;
mod learn;
mod replay;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use faqbot::config::Settings;
use faqbot::ops::http::ProbeError;
use faqbot::startup::RunError;
use faqbot::store::Store;

/// Read when present; `--config` / `FAQBOT_CONFIG` name a file that must exist.
const DEFAULT_CONFIG: &str = "config/faqbot.toml";

/// The log filter of `faqbot run` when `RUST_LOG` is unset. serenity logs every gateway
/// event in an INFO span; formatting those costs CPU on every interaction.
const RUN_LOG_FILTER: &str = "info,serenity=warn";

#[derive(Parser, Debug)]
#[command(
    name = "faqbot",
    version,
    about = "Answers questions from a knowledge base of FAQs, on Discord and in the terminal"
)]
pub struct Cli {
    /// Folder of FAQ files (*.toml).
    #[arg(long, global = true, env = "FAQBOT_FAQ_DIR", default_value = "faq")]
    pub faq_dir: PathBuf,
    /// Settings file [default: config/faqbot.toml, if present; else built-in defaults].
    /// FAQBOT_<SECTION>_<KEY> variables override its values.
    #[arg(long, global = true, env = "FAQBOT_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Answer a question ("-" reads one question per line from stdin).
    Ask(ask::AskArgs),
    /// Score the matcher on a labelled file of questions (JSON lines).
    Eval(eval::EvalArgs),
    /// List the FAQs with their Further Reading links.
    List,
    /// Validate the FAQ folder and the config; non-zero exit on any problem.
    Check,
    /// Connect to Discord and answer there until stopped (SIGTERM / Ctrl-C).
    Run,
    /// Pending suggestions from the question log (aliases, missing and unhelpful FAQs);
    /// approve or reject them.
    Suggestions(learn::SuggestionsArgs),
    /// Usage from the question log: questions per day, outcomes, top FAQs, unanswered
    /// questions, "not helpful" shares.
    Stats(learn::StatsArgs),
    /// Write the question log to stdout (JSON lines or CSV).
    Export(learn::ExportArgs),
    /// Delete logged questions, votes and resolutions older than privacy.retention_days.
    Prune,
    /// Replay the learning loop on labelled questions (people picking the right FAQ when
    /// offered, every suggested alias approved) on a copy of the FAQs; print before/after.
    Replay(replay::ReplayArgs),
    /// Probe a running bot's /healthz (the container's HEALTHCHECK); exit 0 when healthy.
    Health {
        /// Defaults to http://<http.listen>/healthz.
        #[arg(long)]
        url: Option<String>,
    },
}

/// Exit codes: 0 fine, 1 the work found a problem (bad data, eval below the bar),
/// 2 the command could not start (usage, config, token).
pub const EXIT_PROBLEM: u8 = 1;
pub const EXIT_SETUP: u8 = 2;

/// A failure already explained to the user, carrying its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn setup(message: impl std::fmt::Display) -> Self {
        Failure {
            code: EXIT_SETUP,
            message: message.to_string(),
        }
    }
    pub fn problem(message: impl std::fmt::Display) -> Self {
        Failure {
            code: EXIT_PROBLEM,
            message: message.to_string(),
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = !matches!(cli.command, Command::Run);
    faqbot::telemetry::init(if quiet { "warn" } else { RUN_LOG_FILTER });
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let (settings, config) = load_settings(cli.config.as_deref())?;
    match &cli.command {
        Command::Check => inspect::check(&cli.faq_dir, config.as_deref(), &settings),
        Command::Run => faqbot::startup::run(settings, &cli.faq_dir).map_err(|e| match e {
            RunError::Token(_) | RunError::Start(_) => Failure::setup(e),
            RunError::Serve(_) => Failure::problem(e),
        }),
        Command::Health { url } => health(&settings, url.as_deref()),
        Command::Suggestions(args) => learn::suggestions(&cli.faq_dir, &settings, args),
        Command::Stats(args) => learn::stats(&cli.faq_dir, &settings, args),
        Command::Export(args) => learn::export(&settings, args),
        Command::Prune => learn::prune(&settings),
        Command::Replay(args) => replay::run(&cli.faq_dir, &settings, args),
        command => {
            let store = open_store(&cli.faq_dir, &settings)?;
            match command {
                Command::Ask(args) => ask::run(&store, args),
                Command::Eval(args) => eval::run(&store, args),
                Command::List => inspect::list(&store),
                Command::Check
                | Command::Run
                | Command::Health { .. }
                | Command::Suggestions(_)
                | Command::Stats(_)
                | Command::Export(_)
                | Command::Prune
                | Command::Replay(_) => unreachable!("handled above"),
            }
        }
    }
}

/// The settings, and the file they came from: the one named, else the default one if
/// it is there. Without either, the built-in defaults (and the environment) apply, so
/// that `faqbot ask --faq-dir ...` works from any folder.
fn load_settings(named: Option<&Path>) -> Result<(Settings, Option<PathBuf>), Failure> {
    let file = match named {
        Some(path) => Some(path.to_path_buf()),
        None => Some(PathBuf::from(DEFAULT_CONFIG)).filter(|p| p.exists()),
    };
    let settings = match &file {
        Some(path) => Settings::load(path),
        None => Settings::from_environment(),
    };
    settings.map(|s| (s, file)).map_err(Failure::setup)
}

fn health(settings: &Settings, url: Option<&str>) -> Result<(), Failure> {
    match faqbot::ops::http::probe(settings.http.listen, url) {
        Ok(response) => {
            println!("{}", response.body);
            if response.is_healthy() {
                Ok(())
            } else {
                Err(Failure::problem(format!(
                    "{}: {}",
                    response.url, response.status
                )))
            }
        }
        Err(e @ (ProbeError::NotConfigured | ProbeError::Setup(_))) => Err(Failure::setup(e)),
        Err(e @ ProbeError::Unreachable { .. }) => Err(Failure::problem(e)),
    }
}

pub(crate) fn open_store(faq_dir: &Path, settings: &Settings) -> Result<Store, Failure> {
    Store::open(faq_dir, settings.matcher, settings.links.clone()).map_err(Failure::problem)
}

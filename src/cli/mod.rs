//! The terminal front end: parses arguments and drives the same core as Discord.
//! Each subcommand lives in its own file; errors become exit codes here.

mod ask;
mod eval;
mod inspect;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::store::Store;

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
    /// Settings file; FAQBOT_<SECTION>_<KEY> variables override its values.
    #[arg(
        long,
        global = true,
        env = "FAQBOT_CONFIG",
        default_value = "config/faqbot.toml"
    )]
    pub config: PathBuf,
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
    crate::telemetry::init(if quiet { "warn" } else { "info" });
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let settings = load_settings(&cli.config)?;
    match &cli.command {
        Command::Check => inspect::check(&cli.faq_dir, &cli.config, &settings),
        Command::Run => crate::ops::run_bot(settings, &cli.faq_dir),
        Command::Health { url } => crate::ops::http::probe(&settings, url.as_deref()),
        command => {
            let store = open_store(&cli.faq_dir, &settings)?;
            match command {
                Command::Ask(args) => ask::run(&store, args),
                Command::Eval(args) => eval::run(&store, args),
                Command::List => inspect::list(&store),
                Command::Check | Command::Run | Command::Health { .. } => {
                    unreachable!("handled above")
                }
            }
        }
    }
}

fn load_settings(path: &Path) -> Result<Settings, Failure> {
    Settings::load(path).map_err(Failure::setup)
}

pub(crate) fn open_store(faq_dir: &Path, settings: &Settings) -> Result<Store, Failure> {
    Store::open(faq_dir, settings.matcher, settings.links.clone()).map_err(Failure::problem)
}

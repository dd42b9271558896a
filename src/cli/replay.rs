//! `faqbot replay`: what the learning loop would do for a knowledge base, on labelled
//! questions (see `faqbot::learning::replay`). Works on a copy of the FAQ folder and a
//! throw-away database: nothing of yours is touched.

use std::path::{Path, PathBuf};

use clap::Args;

use super::Failure;
use faqbot::config::{DatabaseSettings, Settings};
use faqbot::knowledge::is_faq_file;
use faqbot::learning::replay::{self, Report};
use faqbot::learning::{Database, LearningMetrics, QuestionLog};
use faqbot::store::Store;

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Labelled questions (the `eval` format), asked first.
    #[arg(long)]
    pub cases: PathBuf,
    /// Further rounds: other phrasings of the same FAQs, asked after the first
    /// round's aliases are approved (repeatable).
    #[arg(long = "round")]
    pub rounds: Vec<PathBuf>,
    /// Fail (exit 1) when fewer than this share (0 to 1) of the questions people
    /// resolved are answered right afterwards.
    #[arg(long)]
    pub min_resolved_right: Option<f64>,
}

pub fn run(faq_dir: &Path, settings: &Settings, args: &ReplayArgs) -> Result<(), Failure> {
    let mut rounds = vec![replay::read_cases(&args.cases).map_err(Failure::setup)?];
    for path in &args.rounds {
        rounds.push(replay::read_cases(path).map_err(Failure::setup)?);
    }
    let scratch = tempfile::tempdir().map_err(|e| Failure::setup(format!("a temp dir: {e}")))?;
    let copy = scratch.path().join("faq");
    copy_faq_files(faq_dir, &copy)?;
    let store = Store::open(&copy, settings.matcher, settings.links.clone())
        .map_err(|e| Failure::problem(format!("{}: {e}", faq_dir.display())))?;
    let db_settings = DatabaseSettings {
        path: scratch.path().join("replay.sqlite3"),
        url: None,
    };
    let report = super::learn::block_on(async {
        let db = Database::open(&db_settings, LearningMetrics::default())
            .await
            .map_err(|e| Failure::setup(format!("the replay's database: {e}")))?;
        // Room for every row at once: this runtime has one thread, and the writer only
        // gets to run when the replay waits for it.
        let rows = rounds.iter().map(Vec::len).sum::<usize>() * 2;
        let metrics = LearningMetrics::default();
        let log = QuestionLog::with_capacity(db.clone(), metrics.clone(), rows + 1);
        let report = replay::run(&store, &log, &db, &rounds)
            .await
            .map_err(Failure::problem);
        log.close(std::time::Duration::from_secs(5)).await;
        db.close().await;
        if metrics.errors.get() > 0 {
            return Err(Failure::problem(format!(
                "{} rows of the replay's log could not be written",
                metrics.errors.get()
            )));
        }
        report
    })?;
    print!("{}", describe(&report));
    check(&report, args.min_resolved_right)
}

fn copy_faq_files(from: &Path, to: &Path) -> Result<(), Failure> {
    let io = |e: std::io::Error| Failure::setup(format!("copying {}: {e}", from.display()));
    std::fs::create_dir_all(to).map_err(io)?;
    for entry in std::fs::read_dir(from).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if is_faq_file(&path) {
            if let Some(name) = path.file_name() {
                std::fs::copy(&path, to.join(name)).map_err(io)?;
            }
        }
    }
    Ok(())
}

fn describe(report: &Report) -> String {
    let mut out = String::new();
    for (n, r) in report.rounds.iter().enumerate() {
        out.push_str(&format!(
            "round {}: in scope answered right {}/{} at start, {}/{} when the round began, {}/{} after; \
             {} aliases approved; people resolved {}, of them answered right after: {}\n",
            n + 1,
            r.right_at_start,
            r.asked,
            r.right_before,
            r.asked,
            r.right_after,
            r.asked,
            r.aliases,
            r.resolved,
            r.resolved_right_after
        ));
    }
    let wrong: Vec<String> = report
        .out_of_scope_wrong
        .iter()
        .map(usize::to_string)
        .collect();
    out.push_str(&format!(
        "out of scope (of {}) answered anyway: {} (before, then after each round)\n",
        report.out_of_scope,
        wrong.join(" → ")
    ));
    let (right, resolved) = report.resolved_right();
    out.push_str(&format!(
        "resolved questions answered right afterwards: {right}/{resolved}\n"
    ));
    out
}

/// The bars: resolved questions answered afterwards, no round worse than before it,
/// no more wrong answers to questions nothing answers.
fn check(report: &Report, min_resolved_right: Option<f64>) -> Result<(), Failure> {
    let mut problems = Vec::new();
    let (right, resolved) = report.resolved_right();
    if let Some(min) = min_resolved_right {
        let share = if resolved == 0 {
            1.0
        } else {
            right as f64 / resolved as f64
        };
        if share < min {
            problems.push(format!(
                "{right}/{resolved} resolved questions answered right afterwards, below {min}"
            ));
        }
    }
    for (n, r) in report.rounds.iter().enumerate() {
        if r.right_after < r.right_before {
            problems.push(format!("round {} got worse", n + 1));
        }
        // A later round (new phrasings) must gain from what the earlier ones taught.
        if n > 0 && r.asked > 0 && r.right_before <= r.right_at_start {
            problems.push(format!(
                "round {}: the earlier rounds' aliases did not help new phrasings ({} → {})",
                n + 1,
                r.right_at_start,
                r.right_before
            ));
        }
    }
    let first = report.out_of_scope_wrong.first().copied().unwrap_or(0);
    if report.out_of_scope_wrong.iter().any(|&w| w > first) {
        problems.push("more out-of-scope questions answered after approving".into());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Failure::problem(problems.join("; ")))
    }
}

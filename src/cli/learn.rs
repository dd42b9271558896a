//! `faqbot suggestions`, `stats`, `export` and `prune`: the question log from the
//! terminal. Each opens the database named by `database.*` (creating it if new), runs
//! on a small runtime of its own, and closes it again.

use std::future::Future;
use std::io::Write;

use clap::{Args, ValueEnum};

use super::{open_store, Failure};
use faqbot::config::Settings;
use faqbot::learning::stats::{self, ExportFormat};
use faqbot::learning::suggest::{self, Approved, Kind, Suggestion};
use faqbot::learning::{Database, LearningMetrics};
use std::path::Path;

#[derive(Args, Debug)]
pub struct SuggestionsArgs {
    /// Print the pending suggestions as one JSON array.
    #[arg(long)]
    pub json: bool,
    /// Approve a suggestion: an alias is written into its FAQ's file (the folder must
    /// still load); a missing or unhelpful FAQ is marked as handled.
    #[arg(long, value_name = "ID", conflicts_with = "reject")]
    pub approve: Option<String>,
    /// Reject a suggestion; it does not come back.
    #[arg(long, value_name = "ID")]
    pub reject: Option<String>,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// How far back: a number of days (`7d`) or hours (`24h`).
    #[arg(long, default_value = "7d", value_parser = parse_since)]
    pub since: i64,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Jsonl,
    Csv,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// JSON lines (one object per question) or CSV with a header.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: Format,
}

/// `7d` / `24h` → milliseconds.
fn parse_since(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let n: i64 = number
        .parse()
        .map_err(|_| format!("\"{text}\": expected e.g. 7d or 24h"))?;
    let ms = match unit {
        "d" => 86_400_000,
        "h" => 3_600_000,
        _ => return Err(format!("\"{text}\": the unit is d (days) or h (hours)")),
    };
    if n <= 0 {
        return Err(format!("\"{text}\": must be more than zero"));
    }
    Ok(n.saturating_mul(ms))
}

/// Runs `work` with the database open, on a runtime of its own.
fn with_database<T>(
    settings: &Settings,
    work: impl AsyncFnOnce(&Database) -> Result<T, Failure>,
) -> Result<T, Failure> {
    block_on(async {
        let db = Database::open(&settings.database, LearningMetrics::default())
            .await
            .map_err(|e| {
                Failure::setup(format!("the question log ({}): {e}", where_is(settings)))
            })?;
        let result = work(&db).await;
        db.close().await;
        result
    })
}

pub(super) fn block_on<T>(f: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::setup(format!("tokio runtime: {e}")))?
        .block_on(f)
}

fn where_is(settings: &Settings) -> String {
    match &settings.database.url {
        Some(url) if url.is_postgres() => "PostgreSQL, database.url".into(),
        Some(_) => "database.url".into(),
        None => settings.database.path.display().to_string(),
    }
}

pub fn suggestions(
    faq_dir: &Path,
    settings: &Settings,
    args: &SuggestionsArgs,
) -> Result<(), Failure> {
    let store = open_store(faq_dir, settings)?;
    let learning = &settings.learning;
    with_database(settings, async |db| {
        if let Some(id) = &args.approve {
            let approved = suggest::approve(db, &store, learning, id)
                .await
                .map_err(Failure::problem)?;
            match approved {
                Approved::Alias { faq, text, file } => println!(
                    "approved {id}: added the alias {text:?} to FAQ {faq} in {}; a running bot reloads it (file watcher, SIGHUP or /reload)",
                    file.display()
                ),
                Approved::Noted(Kind::MissingFaq) => println!(
                    "approved {id}: noted; write the missing FAQ into the FAQ folder"
                ),
                Approved::Noted(_) => {
                    println!("approved {id}: noted; rewrite the FAQ's answer in its file")
                }
            }
            return Ok(());
        }
        if let Some(id) = &args.reject {
            let s = suggest::reject(db, &store, learning, id)
                .await
                .map_err(Failure::problem)?;
            println!(
                "rejected {}: {} {:?}; it will not be suggested again",
                s.id,
                s.kind.as_str(),
                s.text
            );
            return Ok(());
        }
        let pending = suggest::pending(db, &store.snapshot(), learning)
            .await
            .map_err(Failure::problem)?;
        if args.json {
            let json = serde_json::to_string_pretty(&pending)
                .map_err(|e| Failure::problem(format!("encoding JSON: {e}")))?;
            println!("{json}");
        } else if pending.is_empty() {
            println!("no pending suggestions");
        } else {
            for s in &pending {
                println!("{}", describe(s));
            }
            println!("\napprove with `faqbot suggestions --approve ID`, reject with `--reject ID`");
        }
        Ok(())
    })
}

fn describe(s: &Suggestion) -> String {
    match s.kind {
        Kind::Alias => format!(
            "{}  alias for FAQ {}: {:?} ({} people)",
            s.id,
            s.faq.unwrap_or_default(),
            s.text,
            s.people
        ),
        Kind::MissingFaq => {
            let mut line = format!(
                "{}  missing FAQ? {:?} ({} people, asked {} times)",
                s.id, s.text, s.people, s.count
            );
            for e in &s.examples {
                line.push_str(&format!("\n              also: {e:?}"));
            }
            line
        }
        Kind::UnhelpfulFaq => format!(
            "{}  unhelpful FAQ {}: {:?} ({:.0}% of {} votes not helpful)",
            s.id,
            s.faq.unwrap_or_default(),
            s.text,
            s.not_helpful_share.unwrap_or(0.0) * 100.0,
            s.count
        ),
    }
}

pub fn stats(faq_dir: &Path, settings: &Settings, args: &StatsArgs) -> Result<(), Failure> {
    let store = open_store(faq_dir, settings)?;
    let since = stats::today_ms() + 86_400_000 - args.since;
    let figures = with_database(settings, async |db| {
        stats::stats(db, &store.snapshot(), since, 10)
            .await
            .map_err(Failure::problem)
    })?;
    if args.json {
        let json = serde_json::to_string_pretty(&figures)
            .map_err(|e| Failure::problem(format!("encoding JSON: {e}")))?;
        println!("{json}");
        return Ok(());
    }
    let share = |n: u64| {
        if figures.total.total() == 0 {
            0.0
        } else {
            n as f64 * 100.0 / figures.total.total() as f64
        }
    };
    let t = &figures.total;
    println!(
        "since {}: {} questions; answered {:.1}%, unsure {:.1}%, declined {:.1}%",
        stats::rfc3339(since),
        t.total(),
        share(t.answered),
        share(t.unsure),
        share(t.declined)
    );
    println!("\nper day (answered / unsure / declined):");
    for d in &figures.days {
        println!(
            "  {}  {:>5}  ({} / {} / {})",
            d.date,
            d.total(),
            d.answered,
            d.unsure,
            d.declined
        );
    }
    println!("\ntop FAQs:");
    for f in &figures.top_faqs {
        println!("  {:>5}  #{} {}", f.count, f.faq, f.question);
    }
    println!("\ntop unanswered questions (people / asked):");
    for g in &figures.top_unanswered {
        println!("  {:>3} / {:<3} {:?}", g.people, g.asked, g.text);
    }
    println!("\n\"not helpful\" share per FAQ:");
    for v in &figures.helpfulness {
        println!(
            "  {:>4.0}% of {:>3} votes  #{} {}",
            v.not_helpful_share * 100.0,
            v.votes.total(),
            v.faq,
            v.question
        );
    }
    Ok(())
}

pub fn export(settings: &Settings, args: &ExportArgs) -> Result<(), Failure> {
    let format = match args.format {
        Format::Jsonl => ExportFormat::Jsonl,
        Format::Csv => ExportFormat::Csv,
    };
    with_database(settings, async |db| {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let n = stats::export(db, format, &mut out)
            .await
            .map_err(Failure::problem)?;
        out.flush()
            .map_err(|e| Failure::problem(format!("writing the export: {e}")))?;
        eprintln!("exported {n} questions");
        Ok(())
    })
}

pub fn prune(settings: &Settings) -> Result<(), Failure> {
    let days = settings.privacy.retention_days;
    with_database(settings, async |db| {
        let p = db.prune(days).await.map_err(Failure::problem)?;
        println!(
            "pruned what is older than {days} days: {} questions, {} votes, {} resolutions",
            p.questions, p.votes, p.resolutions
        );
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_reads_days_and_hours() {
        assert_eq!(parse_since("7d"), Ok(7 * 86_400_000));
        assert_eq!(parse_since("24h"), Ok(86_400_000));
        assert!(parse_since("7").is_err());
        assert!(parse_since("0d").is_err());
        assert!(parse_since("xd").is_err());
    }
}

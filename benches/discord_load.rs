//! Drives interactions through the fake Discord into the real `faqbot run` process and
//! reports latency from the dispatch leaving the fake to the callback arriving, the
//! throughput of a burst, the CPU time the process spent per interaction, and its peak
//! memory.
//! Run with `cargo bench --bench discord_load` (N via FAQBOT_BENCH_N, default 2000).
//! The bot logs at its default filter; FAQBOT_BENCH_RUST_LOG sets its RUST_LOG instead
//! (e.g. `off`, to see what logging costs).
//!
//! Then two runs about bounded resources, each in a fresh process (peak memory is per
//! process), flood control off so that every interaction is owed an answer:
//! - 10,000 interactions at once from 2,000 users, the bot under a 1,024 open-file
//!   limit (`ulimit -n 1024`, systemd's default): how many were lost, the most file
//!   descriptors it held, peak RSS, and RSS after FAQBOT_BENCH_IDLE_SECS (default 60)
//!   idle;
//! - a burst of 2,000 interactions from 2,000 users: peak RSS and RSS after the idle.
//!
//! FAQBOT_BENCH_ONLY=limits runs only these two, =2k only the last, =throughput only
//! the first part. FAQBOT_BENCH_SMAPS=<dir> keeps the bot's memory map when ready and
//! after the idle, for both runs.
//!
//! The question log goes to a temporary SQLite file; after the bot has stopped, the
//! bench counts its rows (every interaction logged once, none lost).
//! `FAQBOT_PRIVACY_LOG_QUESTIONS=false` runs without the log, for comparison.

#[path = "../tests/common/fake_discord.rs"]
#[allow(dead_code)]
mod fake_discord;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, GUILD_ID};

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmHWM:")
}

fn rss_kib(pid: u32) -> Option<u64> {
    status_kib(pid, "VmRSS:")
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("n/a".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
}

/// With FAQBOT_BENCH_SMAPS=<dir>, keeps the process's memory map (`/proc/<pid>/smaps`)
/// as `<dir>/<run>-<moment>.smaps`: which mappings (the binary, the heap, thread stacks)
/// hold the RSS reported.
fn save_smaps(pid: u32, run: &str, moment: &str) {
    if let Some(dir) = std::env::var_os("FAQBOT_BENCH_SMAPS") {
        let to = std::path::Path::new(&dir).join(format!("{run}-{moment}.smaps"));
        if let Err(e) = std::fs::copy(format!("/proc/{pid}/smaps"), &to) {
            eprintln!("could not save {}: {e}", to.display());
        }
    }
}

/// Open file descriptors of a process.
fn open_files(pid: u32) -> Option<usize> {
    Some(std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count())
}

/// `faqbot run` against the fake, flood control off, optionally under an open-file
/// limit (through `sh -c 'ulimit -n N; exec ...'`), its stderr in `log`.
fn spawn_bot(
    fake: &FakeDiscord,
    fd_limit: Option<u32>,
    log: &std::path::Path,
    database: &std::path::Path,
) -> std::process::Child {
    let bin = env!("CARGO_BIN_EXE_faqbot");
    let mut bot = match fd_limit {
        Some(n) => {
            let mut c = Command::new("sh");
            c.args(["-c", &format!("ulimit -n {n} && exec \"$0\" run"), bin]);
            c
        }
        None => {
            let mut c = Command::new(bin);
            c.arg("run");
            c
        }
    };
    bot.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DISCORD_TOKEN", "bench-token")
        .env("FAQBOT_DISCORD_API_BASE_URL", &fake.base_url)
        .env("FAQBOT_DISCORD_GUILD_ID", GUILD_ID.to_string())
        .env("FAQBOT_LIMITS_QUESTIONS_PER_WINDOW", "0")
        .env("FAQBOT_LIMITS_CHANNEL_REPLIES_PER_WINDOW", "0")
        .env("FAQBOT_RELOAD_WATCH", "false")
        .env("FAQBOT_DATABASE_PATH", database)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).expect("log file"));
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("FAQBOT_BENCH_") {
            bot.env_remove(key);
        }
    }
    bot.spawn().expect("faqbot starts")
}

/// What the simulated users ask, in turn: answered, a typo, unsure, no match.
const QUESTIONS: [&str; 4] = [
    "how much do backend devs earn?",
    "what does a backnd dev do",
    "how much does a pilot earn",
    "what's for dinner",
];

/// Waits until the bot has connected and registered its commands.
async fn wait_until_ready(fake: &FakeDiscord) {
    let ready = fake
        .wait_for_request(Duration::from_secs(30), |r| {
            r.method == "PUT" && r.path.ends_with("/commands")
        })
        .await;
    assert!(ready.is_some(), "faqbot connected to the fake");
}

/// `n` interactions at once from `users` users into a fresh bot process.
async fn bounded_run(name: &str, n: usize, users: u64, fd_limit: Option<u32>, idle: Duration) {
    let fake = FakeDiscord::start().await;
    let log = std::env::temp_dir().join(format!("faqbot-bench-{name}-{}.log", std::process::id()));
    // A fresh question log each run: with the default one (data/faqbot.sqlite3) every
    // run started on the rows of the runs before, and the bot reads the log at start,
    // so its memory depended on how often the bench had run.
    let data = tempfile::tempdir().expect("temp dir");
    let mut child = spawn_bot(&fake, fd_limit, &log, &data.path().join("faqbot.sqlite3"));
    let pid = child.id();
    wait_until_ready(&fake).await;
    let before = rss_kib(pid);
    save_smaps(pid, name, "ready");
    let questions = QUESTIONS;
    // The most descriptors the process holds, sampled while the burst runs.
    let sampling = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let sampler = {
        let sampling = std::sync::Arc::clone(&sampling);
        tokio::spawn(async move {
            let mut most = 0;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                most = most.max(open_files(pid).unwrap_or(0));
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            most
        })
    };
    let started = Instant::now();
    let ids: Vec<u64> = (0..n)
        .map(|i| fake.ask(questions[i % questions.len()], 10_000 + (i as u64 % users)))
        .collect();
    let lat = latencies(&fake, &ids).await;
    let elapsed = started.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let most_files = sampler.await.unwrap_or(0);
    report(name, n, elapsed, &lat);
    let peak = peak_rss_kib(pid);
    let after_burst = rss_kib(pid);
    tokio::time::sleep(idle).await;
    let later = rss_kib(pid);
    save_smaps(pid, name, "later");
    let (anon, file) = (status_kib(pid, "RssAnon:"), status_kib(pid, "RssFile:"));
    let log_text = std::fs::read_to_string(&log).unwrap_or_default();
    let failures = log_text.lines().filter(|l| l.contains("ERROR")).count();
    println!(
        "{name}: open-file limit {}, lost {} of {n}, at most {most_files} open files, {failures} errors logged{}",
        fd_limit.map_or("unchanged".into(), |l| l.to_string()),
        n - lat.len(),
        log_text
            .lines()
            .find(|l| l.contains("ERROR"))
            .map(|l| format!(" (first: {l})"))
            .unwrap_or_default()
    );
    println!(
        "{name}: RSS when ready {}, peak {}, right after {}, after {idle:?} idle {} (of it heap and stacks {}, the binary and files {})",
        mib(before),
        mib(peak),
        mib(after_burst),
        mib(later),
        mib(anon),
        mib(file)
    );
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = child.wait();
    let _ = std::fs::remove_file(&log);
}

/// User plus system CPU time of a process so far, from `/proc/<pid>/stat`.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; the fields after its ')' are fixed:
    // state is field 3, utime 14, stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_secs_f64(
        ticks as f64 / clock_ticks_per_second(),
    ))
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

fn interaction_id(r: &fake_discord::Recorded) -> Option<u64> {
    r.path
        .ends_with("/callback")
        .then(|| r.path.split('/').nth(4)?.parse().ok())?
}

async fn latencies(fake: &FakeDiscord, ids: &[u64]) -> Vec<Duration> {
    let wanted: std::collections::HashSet<u64> = ids.iter().copied().collect();
    let callbacks = fake
        .wait_for_count(ids.len(), Duration::from_secs(300), |r| {
            interaction_id(r).is_some_and(|id| wanted.contains(&id))
        })
        .await;
    let mut out: Vec<Duration> = callbacks
        .iter()
        .filter_map(|cb| {
            let id = interaction_id(cb)?;
            fake.sent_at(id).map(|s| cb.at.duration_since(s))
        })
        .collect();
    out.sort();
    out
}

fn report(name: &str, n: usize, elapsed: Duration, lat: &[Duration]) {
    println!(
        "{name}: {n} interactions, {} answered, {:.0}/s; dispatch→callback p50 {:.2?}, p99 {:.2?}, max {:.2?}",
        lat.len(),
        n as f64 / elapsed.as_secs_f64(),
        percentile(lat, 0.5),
        percentile(lat, 0.99),
        lat.last().copied().unwrap_or_default()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and test discovery: nothing to list
    }
    let n: usize = std::env::var("FAQBOT_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let only = std::env::var("FAQBOT_BENCH_ONLY").unwrap_or_default();
    if !matches!(only.as_str(), "limits" | "2k") {
        throughput(n).await;
    }
    let idle = Duration::from_secs(
        std::env::var("FAQBOT_BENCH_IDLE_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(60),
    );
    if only == "throughput" {
        return;
    }
    if only != "2k" {
        bounded_run("10k-under-1024-files", 10_000, 2_000, Some(1024), idle).await;
    }
    bounded_run("2k-from-2k-users", 2_000, 2_000, None, idle).await;
}

/// Sequential latency, a burst from 200 users, CPU per interaction, peak memory.
async fn throughput(n: usize) {
    let fake = FakeDiscord::start().await;
    let data = tempfile::tempdir().expect("temp dir");
    let log_path = data.path().join("faqbot.sqlite3");
    let logging = std::env::var("FAQBOT_PRIVACY_LOG_QUESTIONS").map_or(true, |v| v != "false");
    let mut bot = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    bot.args(["run"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DISCORD_TOKEN", "bench-token")
        .env("FAQBOT_DISCORD_API_BASE_URL", &fake.base_url)
        .env("FAQBOT_DISCORD_GUILD_ID", GUILD_ID.to_string())
        .env("FAQBOT_LIMITS_QUESTIONS_PER_WINDOW", "0")
        .env("FAQBOT_LIMITS_CHANNEL_REPLIES_PER_WINDOW", "0")
        .env("FAQBOT_RELOAD_WATCH", "false")
        .env("FAQBOT_DATABASE_PATH", &log_path)
        .env_remove("RUST_LOG")
        // Logs are written (that is part of the cost) but not shown.
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // The bench's own settings are not the bot's: it refuses unknown FAQBOT_* keys.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("FAQBOT_BENCH_") {
            bot.env_remove(key);
        }
    }
    let log = std::env::var("FAQBOT_BENCH_RUST_LOG").ok();
    if let Some(filter) = &log {
        bot.env("RUST_LOG", filter);
    }
    println!(
        "faqbot log filter: {}",
        log.as_deref().unwrap_or("its default (RUST_LOG unset)")
    );
    let mut child = bot.spawn().expect("faqbot starts");
    wait_until_ready(&fake).await;
    let questions = QUESTIONS;
    let ask = |i: usize, user: u64| fake.ask(questions[i % questions.len()], user);

    let cpu_before = cpu_time(child.id());
    // One at a time: latency without queueing.
    let sequential = (n / 4).max(1);
    let started = Instant::now();
    let mut ids = Vec::new();
    for i in 0..sequential {
        let id = ask(i, 1);
        fake.callback_for(id, Duration::from_secs(10))
            .await
            .expect("answered");
        ids.push(id);
    }
    report(
        "sequential",
        sequential,
        started.elapsed(),
        &latencies(&fake, &ids).await,
    );

    // A burst from 200 users: throughput, and latency including queueing.
    let started = Instant::now();
    let ids: Vec<u64> = (0..n).map(|i| ask(i, 1_000 + (i % 200) as u64)).collect();
    let lat = latencies(&fake, &ids).await;
    report("burst", n, started.elapsed(), &lat);

    match (cpu_before, cpu_time(child.id())) {
        (Some(before), Some(after)) => {
            let interactions = sequential + n;
            let spent = after.saturating_sub(before);
            println!(
                "faqbot CPU (user + system): {:.2?} for {interactions} interactions, {:.1} µs per interaction",
                spent,
                spent.as_secs_f64() * 1e6 / interactions as f64
            );
        }
        _ => println!("faqbot CPU: /proc not readable"),
    }

    match peak_rss_kib(child.id()) {
        Some(kib) => println!("faqbot peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("faqbot peak memory: /proc not readable"),
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().expect("faqbot exits");
    println!("faqbot exit after SIGTERM: {status}");
    if logging {
        let settings = faqbot::config::DatabaseSettings {
            path: log_path,
            url: None,
        };
        let db = faqbot::learning::Database::open(&settings, Default::default())
            .await
            .expect("the log opens");
        let rows = faqbot::learning::stats::count(&db).await.expect("count");
        let interactions = (sequential + n) as u64;
        println!(
            "question log: {rows} rows for {interactions} interactions ({} lost)",
            interactions.saturating_sub(rows)
        );
    } else {
        println!("question log: off (FAQBOT_PRIVACY_LOG_QUESTIONS=false)");
    }
}

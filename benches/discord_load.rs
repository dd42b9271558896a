//! Drives interactions through the fake Discord into the real `faqbot run` process and
//! reports latency from the dispatch leaving the fake to the callback arriving, the
//! throughput of a burst, the CPU time the process spent per interaction, and its peak
//! memory.
//! Run with `cargo bench --bench discord_load` (N via FAQBOT_BENCH_N, default 2000).
//! The bot logs at its default filter; FAQBOT_BENCH_RUST_LOG sets its RUST_LOG instead
//! (e.g. `off`, to see what logging costs).
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

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
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
    let ready = fake
        .wait_for_request(Duration::from_secs(30), |r| {
            r.method == "PUT" && r.path.ends_with("/commands")
        })
        .await;
    assert!(ready.is_some(), "faqbot connected to the fake");
    let questions = [
        "how much do backend devs earn?",
        "what does a backnd dev do",
        "how much does a pilot earn",
        "what's for dinner",
    ];
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

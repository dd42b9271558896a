//! Drives interactions through the fake Discord into the real `faqbot run` process and
//! reports latency from the dispatch leaving the fake to the callback arriving, the
//! throughput of a burst, and the process's peak memory.
//! Run with `cargo bench --bench discord_load` (N via FAQBOT_BENCH_N, default 2000).

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .args(["run"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DISCORD_TOKEN", "bench-token")
        .env("FAQBOT_DISCORD_API_BASE_URL", &fake.base_url)
        .env("FAQBOT_DISCORD_GUILD_ID", GUILD_ID.to_string())
        .env("FAQBOT_LIMITS_QUESTIONS_PER_WINDOW", "0")
        .env("FAQBOT_RELOAD_WATCH", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("faqbot starts");
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

    match peak_rss_kib(child.id()) {
        Some(kib) => println!("faqbot peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("faqbot peak memory: /proc not readable"),
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().expect("faqbot exits");
    println!("faqbot exit after SIGTERM: {status}");
}

//! A large reload under load, against the real `faqbot run` process: `/healthz` and
//! `/ask` latency while a 100,000-FAQ knowledge base is loaded and indexed (the bar for
//! `/healthz`: at most 50 ms), and the process's resident memory before, with and after
//! the large set (20 FAQs → 100,000 → 20, twice), to show whether freed memory goes back
//! to the system.
//! Run with `cargo bench --bench reload_load` (FAQ count via FAQBOT_BENCH_FAQS, default
//! 100000; rounds via FAQBOT_BENCH_ROUNDS, default 2; another faqbot binary via
//! FAQBOT_BENCH_BIN).

#[path = "../tests/common/fake_discord.rs"]
#[allow(dead_code)]
mod fake_discord;
#[path = "common/generated.rs"]
mod generated;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_discord::{FakeDiscord, GUILD_ID};

/// `n` generated FAQs, ids from 1001 up (the shipped FAQs keep theirs).
fn generated(n: usize) -> String {
    generated::faqs_toml(
        n,
        &generated::Shape {
            seed: 7,
            vocabulary: 30_000,
            question_words: (6, 4),
            answer_words: (20, 20),
            first_id: 1001,
            readings: 0,
        },
    )
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

fn summary(name: &str, mut v: Vec<Duration>) {
    v.sort();
    println!(
        "  {name}: {} samples, p50 {:.2?}, p99 {:.2?}, max {:.2?}",
        v.len(),
        percentile(&v, 0.5),
        percentile(&v, 0.99),
        v.last().copied().unwrap_or_default()
    );
}

async fn healthz(client: &reqwest::Client, url: &str) -> Option<serde_json::Value> {
    client.get(url).send().await.ok()?.json().await.ok()
}

/// Sends SIGHUP and, until `/healthz` reports `faqs`, polls it from four clients at
/// once and asks one question at a time through the fake; prints their latencies.
async fn reload_under_load(
    fake: &FakeDiscord,
    pid: u32,
    url: &str,
    faqs: u64,
) -> (Duration, Vec<Duration>, Vec<Duration>) {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let _ = Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut pollers = Vec::new();
    for _ in 0..4 {
        let (client, url, done) = (client.clone(), url.to_string(), done.clone());
        pollers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                let body = healthz(&client, &url).await;
                lat.push(t.elapsed());
                if body.is_some_and(|b| b["faqs"] == faqs) {
                    done.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            lat
        }));
    }
    let mut asks = Vec::new();
    while !done.load(std::sync::atomic::Ordering::Relaxed) {
        let id = fake.ask("how much do backend devs earn?", 1);
        if let Some(cb) = fake.callback_for(id, Duration::from_secs(30)).await {
            if let Some(sent) = fake.sent_at(id) {
                asks.push(cb.at.duration_since(sent));
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let took = started.elapsed();
    let mut health = Vec::new();
    for p in pollers {
        health.extend(p.await.unwrap_or_default());
    }
    (took, health, asks)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and test discovery: nothing to list
    }
    let n: usize = std::env::var("FAQBOT_BENCH_FAQS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rounds: usize = std::env::var("FAQBOT_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("faq");
    for entry in std::fs::read_dir(&shipped).expect("faq dir").flatten() {
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    let big = generated(n);
    println!(
        "generated {n} FAQs ({:.1} MiB of TOML)",
        big.len() as f64 / 1048576.0
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}/healthz");

    let fake = FakeDiscord::start().await;
    // FAQBOT_BENCH_BIN: another build of faqbot to measure (e.g. an older one).
    let bin = std::env::var("FAQBOT_BENCH_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_faqbot").to_string());
    let mut bot = Command::new(bin);
    bot.args(["run", "--faq-dir"])
        .arg(dir.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DISCORD_TOKEN", "bench-token")
        .env("FAQBOT_DISCORD_API_BASE_URL", &fake.base_url)
        .env("FAQBOT_DISCORD_GUILD_ID", GUILD_ID.to_string())
        .env("FAQBOT_LIMITS_QUESTIONS_PER_WINDOW", "0")
        .env("FAQBOT_RELOAD_WATCH", "false")
        .env("FAQBOT_HTTP_LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("FAQBOT_BENCH_") {
            bot.env_remove(key);
        }
    }
    let mut child = bot.spawn().expect("faqbot starts");
    let pid = child.id();
    let ready = fake
        .wait_for_request(Duration::from_secs(30), |r| {
            r.method == "PUT" && r.path.ends_with("/commands")
        })
        .await;
    assert!(ready.is_some(), "faqbot connected to the fake");
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!("RSS with the 20 shipped FAQs: {:.1} MiB", rss_mib(pid));

    let generated_file = dir.path().join("generated.toml");
    for round in 1..=rounds {
        std::fs::write(&generated_file, &big).expect("write");
        let (took, health, asks) = reload_under_load(&fake, pid, &url, (n + 20) as u64).await;
        println!("round {round}: reload to {} FAQs took {took:.2?}", n + 20);
        summary("/healthz during the reload (4 pollers)", health);
        summary("/ask during the reload (one at a time)", asks);
        tokio::time::sleep(Duration::from_millis(500)).await;
        println!("  RSS with {} FAQs: {:.1} MiB", n + 20, rss_mib(pid));
        std::fs::remove_file(&generated_file).expect("remove");
        let (took, _, _) = reload_under_load(&fake, pid, &url, 20).await;
        tokio::time::sleep(Duration::from_millis(1000)).await;
        println!(
            "  back to 20 FAQs (reload {took:.2?}): RSS {:.1} MiB",
            rss_mib(pid)
        );
        // The bot trims again at its first quiet check (every 5 s) after a reload.
        tokio::time::sleep(Duration::from_secs(6)).await;
        println!("  7 s after the reload: RSS {:.1} MiB", rss_mib(pid));
    }
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = child.wait();
}

//! A burst of 2,000 interactions from 200 simulated users against the fake Discord:
//! flood control is applied exactly as configured (each user's quota answered, one
//! notice, then silence), and nothing within the quota is lost.
//! Throughput and latency are printed for information; timing is measured by the
//! `discord_load` bench, never asserted here.

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use common::spawn_bot;

const USERS: u64 = 200;
const PER_USER: u64 = 10;
const ALLOWED: u64 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_from_200_users_gets_each_quota_one_notice_and_then_silence() {
    let bot = spawn_bot(|s| {
        s.limits.questions_per_window = ALLOWED as u32;
        s.limits.cooldown_seconds = 600;
    })
    .await;
    let questions = [
        "backend developer salary",
        "how do i become a backend dev",
        "what's for dinner",
        "how much does a pilot earn",
    ];
    let started = Instant::now();
    let mut user_of = HashMap::new();
    for round in 0..PER_USER {
        for user in 0..USERS {
            let q = questions[((round + user) % questions.len() as u64) as usize];
            let id = bot.fake.ask(q, 1_000 + user);
            user_of.insert(id, 1_000 + user);
        }
    }
    let total = (USERS * PER_USER) as usize;
    let spoken = (USERS * (ALLOWED + 1)) as usize;
    let silenced = total - spoken;
    let callbacks = bot
        .fake
        .wait_for_count(spoken, Duration::from_secs(120), |r| {
            r.path.ends_with("/callback")
        })
        .await;
    let elapsed = started.elapsed();
    assert_eq!(callbacks.len(), spoken, "every answer and notice arrived");
    // Every event has been decided once the silenced ones are counted too; only then
    // is the number of callbacks final.
    let wanted = format!("faqbot_flood_silenced_total {silenced}");
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, metrics) = bot.get("/metrics").await;
        if metrics.contains(&wanted) || Instant::now() > until {
            assert!(metrics.contains(&wanted), "{metrics}");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let callbacks: Vec<_> = bot
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/callback"))
        .collect();
    assert_eq!(callbacks.len(), spoken, "silence means no callback at all");

    let mut answered: HashMap<u64, u64> = HashMap::new();
    let mut notices = 0;
    let mut latencies = Vec::new();
    for cb in &callbacks {
        let id: u64 = cb
            .path
            .split('/')
            .nth(4)
            .and_then(|s| s.parse().ok())
            .expect("interaction id");
        let data = &cb.body["data"];
        if data["content"]
            .as_str()
            .is_some_and(|c| c.contains("try again in"))
        {
            assert_eq!(data["flags"], 64, "cooldown notices are ephemeral");
            notices += 1;
        } else {
            *answered.entry(user_of[&id]).or_default() += 1;
        }
        if let Some(sent) = bot.fake.sent_at(id) {
            latencies.push(cb.at.duration_since(sent));
        }
    }
    assert_eq!(notices, USERS as usize, "one notice per user per window");
    assert_eq!(answered.len(), USERS as usize);
    assert!(
        answered.values().all(|&n| n == ALLOWED),
        "each user gets exactly {ALLOWED} answers"
    );

    latencies.sort();
    let p = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "load: {total} interactions in {elapsed:?} ({:.0}/s); dispatch→callback p50 {:?}, p99 {:?}",
        total as f64 / elapsed.as_secs_f64(),
        p(0.5),
        p(0.99)
    );
    bot.shutdown.stop();
}

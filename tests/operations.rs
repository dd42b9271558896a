//! Running the bot as an operator does: the real binary (signals, logs, exit codes) or
//! the real application in-process (file watching, health, metrics, cooldowns,
//! sharding), always against the fake Discord.

mod common;

use std::time::Duration;

use common::fake_discord::{member, FakeDiscord};
use common::process::{BotProcess, TOKEN};
use common::{spawn_bot, FaqDir};
use serde_json::json;

const WAIT: Duration = Duration::from_secs(10);

async fn registered(fake: &FakeDiscord) -> bool {
    fake.wait_for_request(Duration::from_secs(30), |r| {
        r.method == "PUT" && r.path.ends_with("/commands")
    })
    .await
    .is_some()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_reply_in_flight_and_exits_zero() {
    let fake = FakeDiscord::start().await;
    let faqs = FaqDir::with_shipped();
    let mut bot = BotProcess::start(&fake.base_url, faqs.path(), &[]);
    assert!(registered(&fake).await, "{}", bot.log_text());
    // Discord answers slowly, so the reply is still in flight when SIGTERM arrives.
    fake.delay_callbacks(Duration::from_millis(800));
    let id = fake.ask("backend developer salary", 100);
    let held = format!("/api/v10/interactions/{id}/token-{id}/callback#held");
    let in_flight = fake.wait_for_request(WAIT, |r| r.path == held).await;
    assert!(in_flight.is_some(), "the reply reached the fake");
    bot.signal("TERM");
    // Within the grace period (2 s here) and a little: killed after 5 s otherwise.
    let code = bot.wait_exit(Duration::from_secs(5)).await;
    assert_eq!(code, Some(0), "{}", bot.log_text());
    assert!(
        fake.callback_for(id, Duration::ZERO).await.is_some(),
        "the reply in flight was sent"
    );
    let closed = fake
        .gateway_messages()
        .into_iter()
        .find(|m| m.get("close").is_some());
    assert_eq!(
        closed.map(|m| m["close"].clone()),
        Some(json!(1000)),
        "gateway closed cleanly"
    );
    // The token never reaches the logs, even at trace level.
    let log = bot.log_text();
    assert!(log.contains("connected to the Discord gateway"), "{log}");
    assert!(!log.contains(TOKEN), "the token leaked into the logs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_changes_and_sighup_reload_and_a_broken_save_keeps_the_old_answers() {
    let fake = FakeDiscord::start().await;
    let faqs = FaqDir::with_shipped();
    let bot = BotProcess::start(
        &fake.base_url,
        faqs.path(),
        &[
            ("FAQBOT_RELOAD_WATCH", "true"),
            ("FAQBOT_RELOAD_DEBOUNCE_MS", "200"),
            ("RUST_LOG", "info"),
        ],
    );
    assert!(registered(&fake).await, "{}", bot.log_text());
    let ask = |q: &str| fake.ask(q, 100);
    let answer = |id: u64| {
        let fake = fake.clone();
        async move {
            let cb = fake.callback_for(id, WAIT).await.expect("a callback");
            cb.body["data"]["embeds"][0]["description"]
                .as_str()
                .unwrap_or("")
                .to_string()
        }
    };

    // An editor's save: temp file, rename over the real one.
    let tmp = faqs.write(
        ".extra.toml.swp",
        &common::faq(
            21,
            "Do backend developers need Kubernetes orchestration?",
            "Kubernetes helps, but is not required at first.",
        ),
    );
    std::fs::rename(&tmp, faqs.path().join("extra.toml")).expect("rename");
    assert!(
        bot.wait_for_log(WAIT, "reloaded the FAQs").await,
        "{}",
        bot.log_text()
    );
    assert!(
        answer(ask("do backend developers need kubernetes orchestration"))
            .await
            .contains("Kubernetes helps")
    );
    // Give a second, spurious reload time to show up (three debounce periods).
    tokio::time::sleep(Duration::from_millis(600)).await;
    let reloads = bot.log_text().matches("reloaded the FAQs").count();
    assert_eq!(reloads, 1, "one save, one reload: {}", bot.log_text());

    // A broken save: the error is logged with file and line, the old answer stays.
    faqs.write(
        "extra.toml",
        "[[faq]]\nid = 21\nquestion = \"Kubernetes?\"\n",
    );
    assert!(
        bot.wait_for_log(WAIT, "reload failed").await,
        "{}",
        bot.log_text()
    );
    assert!(
        bot.log_text().contains("extra.toml:1:"),
        "{}",
        bot.log_text()
    );
    assert!(
        answer(ask("do backend developers need kubernetes orchestration"))
            .await
            .contains("Kubernetes helps")
    );

    // SIGHUP reloads too (the watcher is off here, so only the signal can).
    drop(bot);
    // The broken file is still there: fix it first, so the next bot can start.
    faqs.write(
        "extra.toml",
        &common::faq(
            21,
            "Do backend developers need Kubernetes orchestration?",
            "Version two.",
        ),
    );
    let fake2 = FakeDiscord::start().await;
    let bot = BotProcess::start(
        &fake2.base_url,
        faqs.path(),
        &[("FAQBOT_RELOAD_WATCH", "false"), ("RUST_LOG", "info")],
    );
    assert!(registered(&fake2).await, "{}", bot.log_text());
    faqs.write(
        "extra.toml",
        &common::faq(
            21,
            "Do backend developers need Kubernetes orchestration?",
            "Version three.",
        ),
    );
    bot.signal("HUP");
    assert!(
        bot.wait_for_log(WAIT, "trigger=\"sighup\"").await,
        "{}",
        bot.log_text()
    );
    let id = fake2.ask("do backend developers need kubernetes orchestration", 100);
    let cb = fake2.callback_for(id, WAIT).await.expect("a callback");
    assert_eq!(
        cb.body["data"]["embeds"][0]["description"],
        "Version three."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_metrics_can_be_scraped() {
    let bot = spawn_bot(|_| {}).await;
    bot.ask("backend developer salary").await;
    let (status, body) = bot.get("/healthz").await;
    assert_eq!(status, 200);
    let health: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(health["gateway_connected"], true);
    assert_eq!(health["knowledge_loaded"], true);
    assert_eq!(health["faqs"], 20);
    let (_, metrics) = bot.get("/metrics").await;
    for line in [
        "faqbot_questions_total{front_end=\"slash\",outcome=\"answered\"} 1",
        "faqbot_faqs 20",
        "faqbot_match_seconds_bucket",
        "faqbot_gateway_reconnects_total 0",
    ] {
        assert!(metrics.contains(line), "{line} in {metrics}");
    }
    // A failed reload shows in both.
    bot.faqs.write("broken.toml", "not = [toml");
    bot.reload_result(member(101, &[common::fake_discord::ADMIN_ROLE], "0"))
        .await;
    let (_, body) = bot.get("/healthz").await;
    let health: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(health["last_reload"]["ok"], false);
    assert!(health["last_reload"]["error"]
        .as_str()
        .expect("error")
        .contains("broken.toml:1:"));
    let (_, metrics) = bot.get("/metrics").await;
    assert!(
        metrics.contains("faqbot_reloads_total{trigger=\"command\",result=\"error\"} 1"),
        "{metrics}"
    );
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_over_the_cooldown_gets_an_ephemeral_notice() {
    let bot = spawn_bot(|s| {
        s.limits.questions_per_window = 2;
        s.limits.cooldown_seconds = 60;
    })
    .await;
    let mut callbacks = Vec::new();
    for _ in 0..3 {
        let id = bot.fake.ask("backend developer salary", 100);
        callbacks.push(
            bot.fake
                .callback_for(id, WAIT)
                .await
                .expect("every question is answered"),
        );
    }
    assert!(callbacks[..2]
        .iter()
        .all(|c| c.body["data"]["embeds"][0]["title"].is_string()));
    let notice = &callbacks[2].body["data"];
    assert!(
        notice["content"]
            .as_str()
            .expect("notice")
            .contains("try again in"),
        "{notice}"
    );
    assert_eq!(notice["flags"], 64);
    // Another user is not affected.
    let id = bot.fake.ask("backend developer salary", 200);
    let cb = bot.fake.callback_for(id, WAIT).await.expect("answered");
    assert!(cb.body["data"]["embeds"][0]["title"].is_string());
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shard_range_identifies_with_those_shards() {
    let bot = spawn_bot(|s| {
        s.discord.shards =
            Some(faqbot::config::ShardRange::new(2, 3, 4).expect("a valid shard range"));
    })
    .await;
    // serenity waits ~5 s between shard starts, as Discord requires.
    let second = bot
        .fake
        .wait_for_gateway(Duration::from_secs(20), |m| {
            m["op"] == 2 && m["d"]["shard"] == json!([3, 4])
        })
        .await;
    assert!(second.is_some(), "{:?}", bot.fake.gateway_messages());
    let shards: Vec<_> = bot
        .fake
        .gateway_messages()
        .into_iter()
        .filter(|m| m["op"] == 2)
        .map(|m| m["d"]["shard"].clone())
        .collect();
    assert_eq!(shards, [json!([2, 4]), json!([3, 4])]);
    bot.shutdown.stop();
}

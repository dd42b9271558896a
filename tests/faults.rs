//! Faults, end to end: the real `faqbot run` process against a fake Discord that
//! misbehaves (unreachable, hung, silent, down for a while, refusing the session,
//! failing or rate-limiting replies). The process must stop when told, say what is
//! wrong, never panic, and never log a token.
//!
//! Liveness is checked with generous bounds (a process that ignores SIGTERM is killed
//! at the bound and the test fails); no test measures how fast anything is.

mod common;

use std::time::Duration;

use common::fake_discord::{refused_url, FakeDiscord, Greeting};
use common::process::{BotProcess, TOKEN};
use common::FaqDir;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(15);
/// Longer than any shutdown should take; shorter than Kubernetes' 30 s before SIGKILL.
const EXIT_BOUND: Duration = Duration::from_secs(20);

async fn registered(fake: &FakeDiscord) -> bool {
    fake.wait_for_request(Duration::from_secs(30), |r| {
        r.method == "PUT" && r.path.ends_with("/commands")
    })
    .await
    .is_some()
}

/// SIGTERM, then the exit code (None: still running at the bound, and killed).
async fn terminate(bot: &mut BotProcess) -> Option<i32> {
    bot.signal("TERM");
    bot.wait_exit(EXIT_BOUND).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_bot_when_discord_is_unreachable_from_the_start() {
    let faqs = FaqDir::with_shipped();
    let mut bot = BotProcess::start(&refused_url(), faqs.path(), &[]);
    // Let it get into connecting (and failing) before the signal.
    assert!(
        bot.wait_for_log(WAIT, "get gateway URL failed").await,
        "{}",
        bot.log_text()
    );
    assert_eq!(terminate(&mut bot).await, Some(0), "{}", bot.log_text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_bot_when_the_gateway_lookup_hangs() {
    let fake = FakeDiscord::start().await;
    fake.hang("/api/v10/gateway");
    let faqs = FaqDir::with_shipped();
    let mut bot = BotProcess::start(&fake.base_url, faqs.path(), &[]);
    let hung = fake
        .wait_for_request(WAIT, |r| r.path == "/api/v10/gateway#hung")
        .await;
    assert!(hung.is_some(), "{}", bot.log_text());
    assert_eq!(terminate(&mut bot).await, Some(0), "{}", bot.log_text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_bot_when_the_gateway_never_says_hello() {
    let fake = FakeDiscord::start().await;
    fake.set_greeting(Greeting::NoHello);
    let faqs = FaqDir::with_shipped();
    let mut bot = BotProcess::start(&fake.base_url, faqs.path(), &[]);
    let until = std::time::Instant::now() + WAIT;
    while fake.gateway_connections() == 0 && std::time::Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(fake.gateway_connections() > 0, "{}", bot.log_text());
    assert_eq!(terminate(&mut bot).await, Some(0), "{}", bot.log_text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_the_bot_during_a_gateway_outage() {
    let fake = FakeDiscord::start().await;
    let faqs = FaqDir::with_shipped();
    let mut bot = BotProcess::start(&fake.base_url, faqs.path(), &[]);
    assert!(registered(&fake).await, "{}", bot.log_text());
    let before = fake.gateway_connections();
    fake.outage(Duration::from_secs(600));
    // The session is gone and reconnecting is refused.
    let refused = fake
        .wait_for_request(Duration::from_secs(30), |r| r.path == "/ws#503")
        .await;
    assert!(refused.is_some(), "{}", bot.log_text());
    assert_eq!(
        fake.gateway_connections(),
        before,
        "no session during the outage"
    );
    assert_eq!(terminate(&mut bot).await, Some(0), "{}", bot.log_text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_4014_exits_non_zero_saying_how_to_enable_message_content() {
    let fake = FakeDiscord::start().await;
    fake.set_greeting(Greeting::CloseOnIdentify(4014));
    let faqs = FaqDir::with_shipped();
    let mut bot = BotProcess::start(
        &fake.base_url,
        faqs.path(),
        &[("FAQBOT_DISCORD_HELP_CHANNELS", "[123]")],
    );
    let code = bot.wait_exit(EXIT_BOUND).await;
    let log = bot.log_text();
    assert!(code.is_some_and(|c| c != 0), "exit {code:?}: {log}");
    assert!(
        log.contains("Discord refused the MESSAGE_CONTENT intent (close 4014): enable it for the bot in the Developer Portal → Bot → Privileged Gateway Intents, or remove discord.help_channels"),
        "{log}"
    );
    assert!(!log.contains(TOKEN), "the token leaked: {log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_4004_exits_non_zero_naming_the_token_problem_without_the_token() {
    let fake = FakeDiscord::start().await;
    fake.set_greeting(Greeting::CloseOnIdentify(4004));
    let faqs = FaqDir::with_shipped();
    let mut bot = BotProcess::start(&fake.base_url, faqs.path(), &[]);
    let code = bot.wait_exit(EXIT_BOUND).await;
    let log = bot.log_text();
    assert!(code.is_some_and(|c| c != 0), "exit {code:?}: {log}");
    assert!(
        log.contains("Discord refused the bot token (close 4004)"),
        "{log}"
    );
    assert!(!log.contains(TOKEN), "the token leaked: {log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_reply_at_trace_level_names_the_route_and_logs_no_token() {
    let fake = FakeDiscord::start().await;
    let faqs = FaqDir::with_shipped();
    let bot = BotProcess::start(&fake.base_url, faqs.path(), &[("RUST_LOG", "trace")]);
    assert!(registered(&fake).await, "{}", bot.log_text());
    fake.fail_callbacks(500);
    let id = fake.ask("backend developer salary", 100);
    let route = format!("/interactions/{id}/<token>/callback: Discord answered 500");
    assert!(bot.wait_for_log(WAIT, &route).await, "{}", bot.log_text());
    let log = bot.log_text();
    assert!(!log.contains(TOKEN), "the bot token leaked");
    assert!(
        !log.contains(&format!("token-{id}")),
        "the interaction token leaked: {}",
        log.lines()
            .filter(|l| l.contains(&format!("token-{id}")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_with_any_retry_after_never_panics_and_the_bot_keeps_answering() {
    let fake = FakeDiscord::start().await;
    let faqs = FaqDir::with_shipped();
    // One user asks again and again: flood control off, it is not what is tested here.
    let bot = BotProcess::start(
        &fake.base_url,
        faqs.path(),
        &[
            ("RUST_LOG", "info"),
            ("FAQBOT_LIMITS_QUESTIONS_PER_WINDOW", "0"),
        ],
    );
    assert!(registered(&fake).await, "{}", bot.log_text());
    let limited = |body: serde_json::Value| {
        let mut body = body;
        body["message"] = json!("You are being rate limited.");
        body
    };
    // Too long to wait within the 3 s an interaction allows: given up, and logged.
    for retry_after in [json!(1e20), json!(1e308), json!(4.0)] {
        fake.rate_limit_callbacks_with(1, limited(json!({ "retry_after": retry_after })));
        let id = fake.ask("backend developer salary", 100);
        let route = format!("/interactions/{id}/<token>/callback: rate limited for");
        assert!(bot.wait_for_log(WAIT, &route).await, "{}", bot.log_text());
        assert!(fake.callback_for(id, Duration::ZERO).await.is_none());
    }
    // Unusable values: a short default wait, then the retry gets through.
    for body in [
        json!({"retry_after": -1}),
        json!({"retry_after": "NaN"}),
        json!({}),
    ] {
        fake.rate_limit_callbacks_with(1, limited(body));
        let id = fake.ask("backend developer salary", 100);
        assert!(
            fake.callback_for(id, WAIT).await.is_some(),
            "{}",
            bot.log_text()
        );
    }
    let id = fake.ask("backend developer salary", 100);
    assert!(fake.callback_for(id, WAIT).await.is_some());
    let log = bot.log_text();
    assert!(!log.contains("panicked"), "{log}");
    assert!(log.contains("given up"), "{log}");
}

/// `log` records of dependencies (some log request details, a login payload at trace)
/// go nowhere unless something bridges them into `tracing`. Nothing may.
#[test]
fn no_bridge_from_the_log_crate_into_tracing_can_be_installed() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock");
    assert!(
        !lock.contains("name = \"tracing-log\""),
        "tracing-log is in the dependency tree (tracing-subscriber's `tracing-log` feature?)"
    );
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest
        .lines()
        .filter(|l| l.starts_with("tracing-subscriber"))
        .all(|l| l.contains("default-features = false") && !l.contains("tracing-log")));
    for file in ["src/telemetry.rs", "src/startup.rs", "src/main.rs"] {
        let text = std::fs::read_to_string(root.join(file)).expect("source");
        assert!(
            !text.contains("LogTracer") && !text.contains("log::set_logger"),
            "{file}"
        );
    }
}

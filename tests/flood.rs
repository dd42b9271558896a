//! Flood control end to end: every path that makes the bot speak (slash commands,
//! `/faq topic:`, button presses, mentions, bare mentions, help channels) is charged
//! to the user, and a public channel has its own bound; over a limit the bot says so
//! once per window, then is silent. Counts, never times: silence is proven by the
//! `faqbot_flood_silenced_total` counter reaching the number of refused requests.

mod common;

use std::time::{Duration, Instant};

use common::fake_discord::{member, user, Recorded, BOT_ID, CHANNEL_ID, GUILD_ID};
use common::{spawn_bot, TestBot};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(15);
const SALARY: &str = "What Is The Average Salary Of A Back-End Web Developer?";

/// Waits until `/metrics` has this line (every refused request has been decided).
async fn wait_for_metric(bot: &TestBot, line: &str) {
    let until = Instant::now() + WAIT;
    loop {
        let (_, metrics) = bot.get("/metrics").await;
        if metrics.contains(line) {
            return;
        }
        assert!(Instant::now() < until, "{line} never appeared in {metrics}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn callbacks(bot: &TestBot) -> Vec<Recorded> {
    bot.fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/callback"))
        .collect()
}

fn channel_messages(bot: &TestBot) -> Vec<Recorded> {
    bot.fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
        .collect()
}

fn is_notice(data: &Value) -> bool {
    data["content"]
        .as_str()
        .is_some_and(|c| c.contains("try again in") || c.contains("answer here again in"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twelve_presses_of_one_button_get_the_quota_one_private_notice_then_silence() {
    let bot = spawn_bot(|s| {
        s.limits.questions_per_window = 2;
        s.limits.cooldown_seconds = 600;
    })
    .await;
    for _ in 0..12 {
        bot.fake.button("faq:6");
    }
    wait_for_metric(&bot, "faqbot_flood_silenced_total 9").await;
    let got = bot
        .fake
        .wait_for_count(3, WAIT, |r| r.path.ends_with("/callback"))
        .await;
    assert_eq!(callbacks(&bot).len(), 3, "{got:?}");
    let answers: Vec<_> = got
        .iter()
        .filter(|c| c.body["data"]["embeds"][0]["title"] == SALARY)
        .collect();
    assert_eq!(answers.len(), 2);
    assert!(answers.iter().all(|c| c.body["data"]["flags"] != 64));
    let notices: Vec<_> = got.iter().filter(|c| is_notice(&c.body["data"])).collect();
    assert_eq!(notices.len(), 1);
    assert_eq!(
        notices[0].body["data"]["flags"], 64,
        "the notice is private"
    );
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faq_topic_is_charged_like_ask() {
    let bot = spawn_bot(|s| {
        s.limits.questions_per_window = 1;
        s.limits.cooldown_seconds = 600;
    })
    .await;
    let topic = json!([{"name": "topic", "type": 3, "value": "6"}]);
    let first = bot
        .command_reply("faq", topic.clone(), member(100, &[], "0"))
        .await;
    assert_eq!(first["embeds"][0]["title"], SALARY);
    let second = bot.command_reply("faq", topic, member(100, &[], "0")).await;
    assert!(is_notice(&second), "{second}");
    assert_eq!(second["flags"], 64);
    // Another user is not affected.
    let id = bot.fake.ask("backend developer salary", 200);
    let cb = bot.fake.callback_for(id, WAIT).await.expect("answered");
    assert_eq!(cb.body["data"]["embeds"][0]["title"], SALARY);
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_mentions_in_a_row_get_the_quota_one_notice_then_silence() {
    let bot = spawn_bot(|s| {
        s.limits.questions_per_window = 5;
        s.limits.cooldown_seconds = 600;
    })
    .await;
    let me = user(BOT_ID, "faqbot", true);
    for _ in 0..30 {
        bot.fake.user_message(
            100,
            &format!("<@{BOT_ID}> backend developer salary"),
            std::slice::from_ref(&me),
            Some(GUILD_ID),
        );
    }
    wait_for_metric(&bot, "faqbot_flood_silenced_total 24").await;
    let sent = bot
        .fake
        .wait_for_count(6, WAIT, |r| r.path.ends_with("/messages"))
        .await;
    assert_eq!(channel_messages(&bot).len(), 6);
    let answers = sent
        .iter()
        .filter(|m| m.body["embeds"][0]["title"] == SALARY)
        .count();
    let notices = sent.iter().filter(|m| is_notice(&m.body)).count();
    assert_eq!((answers, notices), (5, 1));
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_mentions_are_charged_like_questions() {
    let bot = spawn_bot(|s| {
        s.limits.questions_per_window = 2;
        s.limits.cooldown_seconds = 600;
    })
    .await;
    let me = user(BOT_ID, "faqbot", true);
    for _ in 0..30 {
        bot.fake.user_message(
            100,
            &format!("<@{BOT_ID}>"),
            std::slice::from_ref(&me),
            Some(GUILD_ID),
        );
    }
    wait_for_metric(&bot, "faqbot_flood_silenced_total 27").await;
    let sent = bot
        .fake
        .wait_for_count(3, WAIT, |r| r.path.ends_with("/messages"))
        .await;
    assert_eq!(channel_messages(&bot).len(), 3);
    let hints = sent
        .iter()
        .filter(|m| {
            m.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("Ask me"))
        })
        .count();
    assert_eq!(hints, 2);
    assert_eq!(sent.iter().filter(|m| is_notice(&m.body)).count(), 1);
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_channel_chat_the_bot_stays_silent_on_costs_no_quota() {
    let bot = spawn_bot(|s| {
        s.discord.help_channels = vec![CHANNEL_ID];
        s.limits.questions_per_window = 2;
        s.limits.cooldown_seconds = 600;
    })
    .await;
    let chat = [
        "good morning everyone",
        "did anyone watch the game last night",
        "lol",
        "brb getting coffee",
        "see you all tomorrow",
    ];
    for line in chat {
        bot.fake.user_message(100, line, &[], Some(GUILD_ID));
    }
    // All five read and matched, none answered.
    let until = Instant::now() + WAIT;
    loop {
        let (_, metrics) = bot.get("/metrics").await;
        let read: u64 = metrics
            .lines()
            .filter(|l| l.starts_with("faqbot_questions_total{front_end=\"help_channel\""))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .sum();
        if read >= 5 {
            break;
        }
        assert!(Instant::now() < until, "{metrics}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(channel_messages(&bot).len(), 0, "silent on chat");
    // The user's quota is untouched: two real questions are answered.
    for n in 1..=2 {
        bot.fake
            .user_message(100, "backend developer salary", &[], Some(GUILD_ID));
        let sent = bot
            .fake
            .wait_for_count(n, WAIT, |r| r.path.ends_with("/messages"))
            .await;
        assert_eq!(sent.len(), n);
        assert_eq!(sent[n - 1].body["embeds"][0]["title"], SALARY);
    }
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_channel_answers_interactions_privately_and_mentions_once_then_silence() {
    let bot = spawn_bot(|s| {
        s.limits.channel_replies_per_window = 2;
        s.limits.cooldown_seconds = 600;
    })
    .await;
    // Three users, one channel: two public answers, then the third goes private.
    let mut data = Vec::new();
    for user_id in [201, 202, 203] {
        let id = bot.fake.ask("backend developer salary", user_id);
        let cb = bot.fake.callback_for(id, WAIT).await.expect("answered");
        data.push(cb.body["data"].clone());
    }
    assert!(data.iter().all(|d| d["embeds"][0]["title"] == SALARY));
    assert_ne!(data[0]["flags"], 64);
    assert_ne!(data[1]["flags"], 64);
    assert_eq!(data[2]["flags"], 64, "over the channel's share: private");
    // A mention cannot be private: one notice for the channel, then silence.
    let me = user(BOT_ID, "faqbot", true);
    for user_id in [204, 205, 206] {
        bot.fake.user_message(
            user_id,
            &format!("<@{BOT_ID}> backend developer salary"),
            std::slice::from_ref(&me),
            Some(GUILD_ID),
        );
    }
    wait_for_metric(&bot, "faqbot_flood_silenced_total 2").await;
    let sent = bot
        .fake
        .wait_for_count(1, WAIT, |r| r.path.ends_with("/messages"))
        .await;
    assert_eq!(channel_messages(&bot).len(), 1);
    assert!(
        sent[0].body["content"]
            .as_str()
            .is_some_and(|c| c.contains("answer here again in")),
        "{}",
        sent[0].body
    );
    bot.shutdown.stop();
}

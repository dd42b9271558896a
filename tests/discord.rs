//! End to end: the real faqbot with the real serenity client against a fake Discord
//! on 127.0.0.1. Each test asserts on the JSON that reached the fake.

mod common;

use std::time::Duration;

use common::fake_discord::{self, member, user, ADMIN_ROLE, APP_ID, BOT_ID, GUILD_ID};
use common::spawn_bot;
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);

/// MANAGE_GUILD as a permission bit string.
const MANAGE_GUILD: &str = "32";

fn callback_data(r: &common::fake_discord::Recorded) -> &Value {
    &r.body["data"]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn startup_registers_exactly_the_commands_with_options_and_permissions() {
    let bot = spawn_bot(|_| {}).await;
    let put = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT" && r.path.ends_with("/commands"))
        .expect("registration");
    assert_eq!(
        put.path,
        format!("/api/v10/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    );
    let commands = put.body.as_array().expect("a list");
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        [
            "ask",
            "faq",
            "Find FAQ answer",
            "help",
            "reload",
            "faqadmin"
        ]
    );
    let named = |name: &str| {
        commands
            .iter()
            .find(|c| c["name"] == name)
            .expect("registered")
    };
    let ask = &named("ask")["options"][0];
    assert_eq!(
        (
            ask["name"].as_str(),
            ask["type"].as_u64(),
            ask["required"].as_bool()
        ),
        (Some("question"), Some(3), Some(true))
    );
    assert!(ask["max_length"]
        .as_u64()
        .is_some_and(|m| (100..=6000).contains(&m)));
    let faq = named("faq");
    let topic = &faq["options"][0];
    assert_eq!(
        (topic["name"].as_str(), topic["autocomplete"].as_bool()),
        (Some("topic"), Some(true))
    );
    assert_ne!(topic["required"], json!(true));
    let to = &faq["options"][1];
    assert_eq!(
        (to["name"].as_str(), to["type"].as_u64()),
        (Some("to"), Some(6))
    );
    // A message command (the Apps menu) has a type and no description.
    assert_eq!(named("Find FAQ answer")["type"], 3);
    for admin_only in ["reload", "faqadmin"] {
        assert_eq!(
            named(admin_only)["default_member_permissions"],
            MANAGE_GUILD
        );
        assert_eq!(named(admin_only)["dm_permission"], false);
    }
    let subcommands: Vec<&str> = named("faqadmin")["options"]
        .as_array()
        .expect("subcommands")
        .iter()
        .map(|o| o["name"].as_str().expect("name"))
        .collect();
    assert_eq!(subcommands, ["suggestions", "stats"]);
    for c in commands {
        assert!(c["name"].as_str().expect("name").chars().count() <= 32);
        assert!(c["description"].as_str().unwrap_or("").chars().count() <= 100);
    }
    // Identified with a token, never asking for the privileged message-content intent.
    let identify = bot
        .fake
        .wait_for_gateway(WAIT, |m| m["op"] == 2)
        .await
        .expect("IDENTIFY");
    assert_eq!(identify["d"]["token"], "Bot test-token-not-secret");
    let intents = identify["d"]["intents"].as_u64().expect("intents");
    assert_eq!(
        intents & (1 << 15),
        0,
        "MESSAGE_CONTENT not requested without help channels"
    );
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_gets_an_embed_with_the_answer_and_further_reading_in_time() {
    let bot = spawn_bot(|_| {}).await;
    let id = bot.fake.ask("how much do backend devs earn?", 100);
    let sent = std::time::Instant::now();
    let cb = bot.fake.callback_for(id, WAIT).await.expect("a callback");
    assert!(
        cb.at.duration_since(sent) < Duration::from_secs(3),
        "answered within Discord's deadline"
    );
    assert_eq!(
        cb.path,
        format!("/api/v10/interactions/{id}/token-{id}/callback")
    );
    assert_eq!(cb.body["type"], 4);
    let data = callback_data(&cb);
    let embed = &data["embeds"][0];
    assert_eq!(
        embed["title"],
        "What Is The Average Salary Of A Back-End Web Developer?"
    );
    assert!(embed["description"]
        .as_str()
        .expect("answer")
        .contains("$60,000"));
    let field = &embed["fields"][0];
    assert_eq!(field["name"], "Further Reading");
    let links = field["value"].as_str().expect("links");
    assert!(links.contains("](https://"), "{links}");
    assert!(links.lines().count() >= 2);
    assert!(embed["footer"]["text"]
        .as_str()
        .expect("footer")
        .contains("confidence"));
    assert_eq!(data["allowed_mentions"]["parse"], json!([]));
    assert_ne!(data["flags"], 64, "public by default");
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_can_be_ephemeral_by_config() {
    let bot = spawn_bot(|s| s.discord.ephemeral = true).await;
    assert_eq!(bot.ask("backend developer salary").await["flags"], 64);
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsure_question_gets_buttons_and_a_press_gets_that_faq() {
    let bot = spawn_bot(|_| {}).await;
    let id = bot.fake.ask("how much does a pilot earn", 100);
    let cb = bot.fake.callback_for(id, WAIT).await.expect("a callback");
    let data = callback_data(&cb);
    assert!(
        data["content"]
            .as_str()
            .expect("text")
            .contains("Did you mean"),
        "{data}"
    );
    let buttons: Vec<&Value> = data["components"][0]["components"]
        .as_array()
        .expect("buttons")
        .iter()
        .filter(|b| {
            b["custom_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("faq:"))
        })
        .collect();
    assert!((1..=3).contains(&buttons.len()));
    let custom_id = buttons[0]["custom_id"].as_str().expect("custom id");
    assert!(custom_id.len() <= 100);
    assert_eq!(
        buttons[0]["label"],
        "What Is The Average Salary Of A Back-End Web Developer?"
    );

    let press = bot.fake.button(custom_id);
    let cb = bot
        .fake
        .callback_for(press, WAIT)
        .await
        .expect("a callback for the press");
    let embed = &callback_data(&cb)["embeds"][0];
    assert_eq!(
        embed["title"],
        "What Is The Average Salary Of A Back-End Web Developer?"
    );
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_match_declines_politely_and_points_to_faq() {
    let bot = spawn_bot(|_| {}).await;
    let id = bot.fake.ask("what's for dinner @everyone", 100);
    let cb = bot.fake.callback_for(id, WAIT).await.expect("a callback");
    let data = callback_data(&cb);
    assert!(data["content"].as_str().expect("text").contains("/faq"));
    assert!(data["embeds"].as_array().is_none_or(|e| e.is_empty()));
    assert_eq!(data["allowed_mentions"]["parse"], json!([]));
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_returns_ranked_choices_at_most_25() {
    let bot = spawn_bot(|_| {}).await;
    let id = bot.fake.autocomplete(
        "faq",
        json!([{"name": "topic", "type": 3, "value": "salary", "focused": true}]),
    );
    let cb = bot.fake.callback_for(id, WAIT).await.expect("a callback");
    assert_eq!(cb.body["type"], 8);
    let choices = callback_data(&cb)["choices"]
        .as_array()
        .expect("choices")
        .clone();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert_eq!(choices[0]["value"], "6");
    assert!(choices
        .iter()
        .all(|c| c["name"].as_str().is_some_and(|n| n.chars().count() <= 100)));
    // Empty input lists questions, still within the limit.
    let id = bot.fake.autocomplete(
        "faq",
        json!([{"name": "topic", "type": 3, "value": "", "focused": true}]),
    );
    let cb = bot.fake.callback_for(id, WAIT).await.expect("a callback");
    let n = callback_data(&cb)["choices"]
        .as_array()
        .expect("choices")
        .len();
    assert_eq!(n, 20);
    // Choosing a suggestion shows that FAQ.
    let id = bot.fake.command(
        "faq",
        json!([{"name": "topic", "type": 3, "value": "6"}]),
        member(100, &[], "0"),
    );
    let cb = bot.fake.callback_for(id, WAIT).await.expect("a callback");
    assert_eq!(
        callback_data(&cb)["embeds"][0]["title"],
        "What Is The Average Salary Of A Back-End Web Developer?"
    );
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faq_without_topic_lists_every_question() {
    let bot = spawn_bot(|_| {}).await;
    let id = bot.fake.command("faq", json!([]), member(100, &[], "0"));
    let cb = bot.fake.callback_for(id, WAIT).await.expect("a callback");
    let content = callback_data(&cb)["content"]
        .as_str()
        .expect("list")
        .to_string();
    assert!(content.chars().count() <= 2000);
    for n in 1..=20 {
        assert!(content.contains(&format!("**{n}.**")), "{content}");
    }
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_gets_a_reply_and_other_messages_get_nothing() {
    let bot = spawn_bot(|_| {}).await;
    let me = user(BOT_ID, "faqbot", true);
    let msg = bot.fake.user_message(
        100,
        &format!("<@{BOT_ID}> what does a backend dev earn? @everyone"),
        &[me],
        Some(GUILD_ID),
    );
    let reply = bot
        .fake
        .wait_for_request(WAIT, |r| {
            r.method == "POST" && r.path.ends_with("/messages")
        })
        .await
        .expect("a reply");
    assert_eq!(
        reply.path,
        format!("/api/v10/channels/{}/messages", fake_discord::CHANNEL_ID)
    );
    assert_eq!(
        reply.body["message_reference"]["message_id"],
        msg.to_string()
    );
    assert_eq!(
        reply.body["embeds"][0]["title"],
        "What Is The Average Salary Of A Back-End Web Developer?"
    );
    assert_eq!(reply.body["allowed_mentions"]["parse"], json!([]));
    assert!(reply
        .headers
        .iter()
        .any(|(k, v)| k == "authorization" && v == "Bot test-token-not-secret"));

    // Not addressed to the bot, and from another bot: no reply.
    let before = bot.fake.requests().len();
    bot.fake
        .user_message(101, "what does a backend dev earn?", &[], Some(GUILD_ID));
    bot.fake
        .user_message(102, &format!("<@{BOT_ID}> salary?"), &[], None)
        .to_string();
    // The DM above (guild None) does get an answer; wait for it, then check nothing else came.
    let dm = bot
        .fake
        .wait_for_request(WAIT, |r| {
            r.method == "POST"
                && r.path.ends_with("/messages")
                && r.body["message_reference"]["guild_id"].is_null()
                && r.body["embeds"].is_array()
        })
        .await;
    assert!(dm.is_some());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after: Vec<_> = bot
        .fake
        .requests()
        .into_iter()
        .skip(before)
        .filter(|r| r.path.ends_with("/messages"))
        .collect();
    assert_eq!(after.len(), 1, "only the DM is answered: {after:?}");
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_is_refused_to_non_admins_and_deferred_then_edited_for_admins() {
    const QUESTION: &str = "do I need kubernetes container orchestration";
    let bot = spawn_bot(|_| {}).await;
    bot.faqs.write(
        "zz-new.toml",
        "[[faq]]\nid = 21\nquestion = \"Do backend developers need to know Kubernetes containers orchestration?\"\nanswer = \"Kubernetes helps, but is not required at first.\"\n",
    );
    // A member with Manage Server but not the configured admin role: refused, privately.
    let refused = bot
        .command_reply("reload", json!([]), member(100, &[], MANAGE_GUILD))
        .await;
    assert!(refused["content"]
        .as_str()
        .expect("text")
        .contains("Only the bot's admins"));
    assert_eq!(refused["flags"], 64);
    assert_eq!(bot.store.snapshot().faqs().len(), 20, "nothing reloaded");

    // An admin: acknowledged privately at once, the result edited in after.
    let done = bot.reload_result(member(101, &[ADMIN_ROLE], "0")).await;
    let text = done.as_str();
    assert!(
        text.contains("Reloaded") && text.contains("added: 21"),
        "{text}"
    );
    assert!(bot.answer_text(QUESTION).await.contains("Kubernetes helps"));

    // A broken file: the error is shown and the old data keeps answering.
    bot.faqs.write(
        "zz-new.toml",
        "[[faq]]\nid = 21\nquestion = \"Kubernetes?\"\n",
    );
    let failed = bot.reload_result(member(101, &[ADMIN_ROLE], "0")).await;
    let text = failed.as_str();
    assert!(
        text.contains("Reload failed")
            && text.contains("zz-new.toml:1:")
            && text.contains("answer"),
        "{text}"
    );
    assert!(bot.answer_text(QUESTION).await.contains("Kubernetes helps"));
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_close_4000_resumes_and_questions_are_answered_after() {
    let bot = spawn_bot(|_| {}).await;
    bot.fake.close_gateway(4000);
    let resume = bot
        .fake
        .wait_for_gateway(Duration::from_secs(20), |m| m["op"] == 6)
        .await
        .expect("RESUME");
    assert_eq!(resume["d"]["token"], "Bot test-token-not-secret");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let title = &bot.ask("backend developer salary").await["embeds"][0]["title"];
    assert_eq!(
        title,
        "What Is The Average Salary Of A Back-End Web Developer?"
    );
    let (_, metrics) = bot.get("/metrics").await;
    assert!(
        metrics.contains("faqbot_gateway_reconnects_total 1"),
        "{metrics}"
    );
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_on_a_reply_is_waited_out_and_retried() {
    let bot = spawn_bot(|_| {}).await;
    bot.fake.rate_limit_callbacks(1, 0.4);
    let id = bot.fake.ask("backend developer salary", 100);
    let cb = bot
        .fake
        .callback_for(id, WAIT)
        .await
        .expect("the retried callback");
    let limited = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("#429") && r.path.contains(&id.to_string()))
        .expect("the first try got a 429");
    let waited = cb.at.duration_since(limited.at);
    assert!(waited >= Duration::from_millis(400), "waited {waited:?}");
    assert_eq!(
        callback_data(&cb)["embeds"][0]["title"],
        "What Is The Average Salary Of A Back-End Web Developer?"
    );
    // The bot lives on: the next question is answered too.
    let id = bot.fake.ask("backend developer salary", 100);
    assert!(bot.fake.callback_for(id, WAIT).await.is_some());
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_stale_and_forged_buttons_get_a_private_out_of_date_reply() {
    let bot = spawn_bot(|_| {}).await;
    let forged = "x".repeat(100);
    for custom_id in [
        "faq:-1",
        "faq:",
        forged.as_str(),
        "FAQ:6",
        "faq:999",
        "faq:6x",
    ] {
        let press = bot.fake.button(custom_id);
        let cb = bot
            .fake
            .callback_for(press, WAIT)
            .await
            .unwrap_or_else(|| panic!("no reply to a press on {custom_id:?}"));
        let data = callback_data(&cb);
        assert_eq!(cb.body["type"], 4);
        assert_eq!(data["flags"], 64, "private: {data}");
        assert!(
            data["content"]
                .as_str()
                .is_some_and(|c| c.contains("out of date")),
            "{data}"
        );
    }
    bot.shutdown.stop();
}

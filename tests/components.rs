//! End to end, against the fake Discord with the real serenity client and the real
//! bot: what people do with an answer (feedback, "did you mean", remove, related
//! questions), sending an FAQ to someone, "Find FAQ answer", "@faqbot" in a reply,
//! the paged list, `/help` and the admin's `/faqadmin`. Every press is checked again
//! by the bot, so the refusals are tested as carefully as the happy paths.

mod common;

use std::time::Duration;

use common::fake_discord::{
    member, message_json, user, Recorded, ADMIN_ROLE, APP_ID, BOT_ID, CHANNEL_ID,
};
use common::{spawn_bot, TestBot};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);
const SALARY: &str = "What Is The Average Salary Of A Back-End Web Developer?";
/// MANAGE_MESSAGES as a permission bit string.
const MANAGE_MESSAGES: &str = "8192";

fn components(data: &Value) -> Vec<Value> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect()
}

fn custom_ids(data: &Value) -> Vec<String> {
    components(data)
        .iter()
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .collect()
}

fn id_starting(data: &Value, prefix: &str) -> String {
    custom_ids(data)
        .into_iter()
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix}… component in {data}"))
}

async fn callback(bot: &TestBot, id: u64) -> Recorded {
    bot.fake
        .callback_for(id, WAIT)
        .await
        .unwrap_or_else(|| panic!("no callback for {id}"))
}

/// The edit of an interaction's original response (after a deferral).
async fn edit_of(bot: &TestBot, interaction: u64, after: usize) -> Value {
    let original = format!("/api/v10/webhooks/{APP_ID}/token-{interaction}/messages/@original");
    bot.fake
        .wait_for_request(WAIT, |r| r.method == "PATCH" && r.path == original)
        .await
        .unwrap_or_else(|| panic!("no edit for {interaction}"));
    bot.fake
        .requests()
        .into_iter()
        .skip(after)
        .rfind(|r| r.method == "PATCH" && r.path == original)
        .expect("edit")
        .body
}

async fn channel_messages_after(bot: &TestBot, before: usize) -> Vec<Recorded> {
    bot.fake
        .requests()
        .into_iter()
        .skip(before)
        .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_answer_carries_feedback_remove_and_related_questions() {
    let bot = spawn_bot(|_| {}).await;
    let data = bot.ask("what does a backend developer earn?").await;
    assert_eq!(data["embeds"][0]["title"], SALARY);
    let ids = custom_ids(&data);
    assert!(ids[0].starts_with("vote:y:"), "{ids:?}");
    assert!(ids[1].starts_with("vote:n:"), "{ids:?}");
    assert_eq!(ids[2], "del:100:100", "the asker may remove it");
    assert!(ids.iter().all(|id| id.len() <= 100));
    let menu = components(&data)
        .into_iter()
        .find(|c| c["custom_id"] == "rel")
        .expect("a related-questions menu");
    let options = menu["options"].as_array().expect("options");
    assert!((1..=3).contains(&options.len()), "{menu}");
    assert!(options.iter().all(|o| o["label"] != SALARY));

    // Picking a related question shows it to whoever picked it, privately.
    let value = options[0]["value"].as_str().expect("value");
    let pick = bot
        .fake
        .press("rel", member(300, &[], "0"), Some(&[value]), 0);
    let cb = callback(&bot, pick).await;
    assert_eq!(cb.body["data"]["flags"], 64);
    assert_eq!(cb.body["data"]["embeds"][0]["title"], options[0]["label"]);
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_count_once_per_person_and_not_helpful_offers_the_next_faqs() {
    let bot = spawn_bot(|_| {}).await;
    let data = bot.ask("what does a backend developer earn?").await;
    let helpful = id_starting(&data, "vote:y:");
    let not_helpful = id_starting(&data, "vote:n:");

    for (user, id) in [(100, &helpful), (100, &not_helpful), (101, &helpful)] {
        let press = bot.fake.press(id, member(user, &[], "0"), None, 0);
        let cb = callback(&bot, press).await;
        assert_eq!(
            cb.body["data"]["flags"], 64,
            "feedback is answered privately"
        );
    }
    // Person 100 changed their mind; 101 voted once: one helpful, one not.
    let db = bot.questions.database().expect("logging is on").clone();
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let votes = faqbot::learning::suggest::votes(&db, 0)
            .await
            .expect("votes");
        if votes
            .first()
            .is_some_and(|v| (v.helpful, v.not_helpful) == (1, 1))
        {
            assert_eq!(votes.len(), 1);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "votes: {votes:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // "Not helpful" offered choices; picking one records what the question meant.
    let press = bot.fake.press(&not_helpful, member(102, &[], "0"), None, 0);
    let offered = callback(&bot, press).await.body["data"].clone();
    let choice = id_starting(&offered, "faq:");
    assert_eq!(
        choice.split(':').count(),
        3,
        "carries the question: {choice}"
    );
    let pick = bot.fake.press(&choice, member(102, &[], "0"), None, 64);
    let shown = callback(&bot, pick).await.body["data"].clone();
    assert_eq!(shown["flags"], 64, "picked from a private list: private");
    assert!(shown["embeds"][0]["title"].is_string(), "{shown}");
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_people_concerned_and_moderators_can_remove_an_answer() {
    let bot = spawn_bot(|_| {}).await;
    let data = bot.ask("what does a backend developer earn?").await;
    let remove = id_starting(&data, "del:");

    let stranger = bot.fake.press(&remove, member(200, &[], "0"), None, 0);
    let cb = callback(&bot, stranger).await;
    assert_eq!(cb.body["type"], 4);
    assert_eq!(cb.body["data"]["flags"], 64);
    let text = cb.body["data"]["content"].as_str().expect("text");
    assert!(text.starts_with("Only <@100>"), "{text}");
    assert_eq!(cb.body["data"]["allowed_mentions"]["parse"], json!([]));
    let deleted = |interaction: u64| {
        let path = format!("/api/v10/webhooks/{APP_ID}/token-{interaction}/messages/@original");
        move |r: &Recorded| r.method == "DELETE" && r.path == path
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!bot.fake.requests().iter().any(deleted(stranger)));

    // A modified client claiming a Remove that names itself, against this answer (whose
    // own button names the asker): refused, nothing deleted.
    let answer_components = data["components"].clone();
    for forged in ["del:200:200", "page:0:next", "vote:y:6:5"] {
        let press = bot.fake.press_on(
            forged,
            member(200, &[], "0"),
            None,
            0,
            answer_components.clone(),
        );
        let cb = callback(&bot, press).await;
        assert_eq!(cb.body["type"], 4, "{forged}");
        assert_eq!(cb.body["data"]["flags"], 64);
        assert!(cb.body["data"]["content"]
            .as_str()
            .expect("text")
            .contains("out of date"));
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!bot.fake.requests().iter().any(deleted(press)));
    }

    for (who, perms) in [(100, "0"), (201, MANAGE_MESSAGES)] {
        let press = bot.fake.press(&remove, member(who, &[], perms), None, 0);
        let cb = callback(&bot, press).await;
        assert_eq!(cb.body["type"], 6, "acknowledged on the message itself");
        let gone = bot.fake.wait_for_request(WAIT, deleted(press)).await;
        assert!(gone.is_some(), "user {who} removed it");
    }
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_faq_sent_to_a_member_pings_that_member_and_nobody_else() {
    let bot = spawn_bot(|_| {}).await;
    let send = |topic: &str, to: u64, resolved: Value| {
        bot.fake.command_resolved(
            "faq",
            1,
            json!([
                {"name": "topic", "type": 3, "value": topic},
                {"name": "to", "type": 6, "value": to.to_string()},
            ]),
            resolved,
            None,
            member(100, &[], "0"),
        )
    };
    let target = user(555, "newcomer", false);
    let id = send(
        "backend developer salary @everyone <@&900>",
        555,
        json!({"users": {"555": target}, "members": {"555": {
            "roles": [], "joined_at": "2024-01-01T00:00:00.000000+00:00",
            "deaf": false, "mute": false, "flags": 0, "permissions": "0",
        }}}),
    );
    let data = callback(&bot, id).await.body["data"].clone();
    assert_ne!(data["flags"], 64, "posted in the channel: {data}");
    assert!(data["content"]
        .as_str()
        .expect("text")
        .starts_with("<@555>"));
    assert_eq!(data["embeds"][0]["title"], SALARY);
    assert_eq!(data["allowed_mentions"]["parse"], json!([]));
    assert_eq!(data["allowed_mentions"]["users"], json!(["555"]));
    assert!(data["allowed_mentions"]["roles"]
        .as_array()
        .is_none_or(|r| r.is_empty()));
    assert!(custom_ids(&data).contains(&"del:555:100".to_string()));

    // Discord's user option holds a user; an id it did not resolve to one (a role's,
    // or @everyone's, which is the guild's) is refused all the same, and so are bots.
    for (to, resolved) in [
        (900, json!({})),
        // A user who is not in this server (Discord resolves no membership).
        (556, json!({"users": {"556": user(556, "outsider", false)}})),
        (
            BOT_ID,
            json!({"users": {BOT_ID.to_string(): user(BOT_ID, "faqbot", true)}}),
        ),
    ] {
        let id = send("backend developer salary", to, resolved);
        let data = callback(&bot, id).await.body["data"].clone();
        assert_eq!(data["flags"], 64, "{data}");
        assert!(data["embeds"].as_array().is_none_or(|e| e.is_empty()));
        assert_eq!(data["allowed_mentions"]["parse"], json!([]));
    }
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn find_faq_answer_replies_to_the_message_and_asks_the_helper_when_unsure() {
    let bot = spawn_bot(|_| {}).await;
    let helper = || member(101, &[], "0");

    // Confident: the answer is a reply to the message, for the channel, no pings.
    let before = bot.fake.requests().len();
    let (id, target) = bot.fake.find_answer(
        100,
        "what does a backend developer earn? @everyone",
        helper(),
    );
    let ack = callback(&bot, id).await;
    assert_eq!(ack.body["type"], 5, "acknowledged at once");
    assert_eq!(ack.body["data"]["flags"], 64, "privately");
    let note = edit_of(&bot, id, before).await;
    assert!(note["content"].as_str().expect("text").contains("Posted"));
    let posted = channel_messages_after(&bot, before).await;
    assert_eq!(posted.len(), 1, "{posted:?}");
    let body = &posted[0].body;
    assert_eq!(
        posted[0].path,
        format!("/api/v10/channels/{CHANNEL_ID}/messages")
    );
    assert_eq!(body["message_reference"]["message_id"], target.to_string());
    assert_eq!(body["embeds"][0]["title"], SALARY);
    assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    assert_eq!(body["allowed_mentions"]["replied_user"], false);
    assert!(custom_ids(body).contains(&"del:100:101".to_string()));

    // Unsure: the choices go privately to the helper; the pick is posted.
    let before = bot.fake.requests().len();
    let (id, target) = bot
        .fake
        .find_answer(100, "how much does a pilot earn", helper());
    let offered = callback(&bot, id).await.body["data"].clone();
    assert_eq!(offered["flags"], 64);
    assert!(channel_messages_after(&bot, before).await.is_empty());
    let pick = id_starting(&offered, "post:");
    assert!(
        pick.contains(&format!(":{target}:100:")),
        "the message, its author and the logged question: {pick}"
    );
    let press = bot.fake.press(&pick, helper(), None, 64);
    let ack = callback(&bot, press).await;
    assert_eq!(ack.body["type"], 6, "acknowledged on the private choices");
    let note = edit_of(&bot, press, before).await;
    assert!(note["content"].as_str().expect("text").contains("Posted"));
    assert_eq!(note["components"], json!([]), "the choices are replaced");
    let posted = channel_messages_after(&bot, before).await;
    assert_eq!(posted.len(), 1);
    assert_eq!(
        posted[0].body["message_reference"]["message_id"],
        target.to_string()
    );

    // No text at all (attachments only): a polite private word, nothing posted.
    let before = bot.fake.requests().len();
    let (id, _) = bot.fake.find_answer(100, "", helper());
    let data = callback(&bot, id).await.body["data"].clone();
    assert_eq!(data["flags"], 64);
    assert!(data["content"].as_str().expect("text").contains("no text"));
    assert!(channel_messages_after(&bot, before).await.is_empty());
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_in_a_reply_answers_the_message_replied_to() {
    let bot = spawn_bot(|_| {}).await;
    let me = user(BOT_ID, "faqbot", true);
    let original = message_json(
        bot.fake.next_id(),
        100,
        "what does a backend developer earn?",
    );
    let original_id = original["id"].as_str().expect("id").to_string();
    let before = bot.fake.requests().len();
    bot.fake.reply_message(
        101,
        &format!("<@{BOT_ID}>"),
        std::slice::from_ref(&me),
        original,
    );
    let reply = bot
        .fake
        .wait_for_request(WAIT, |r| {
            r.method == "POST" && r.path.ends_with("/messages")
        })
        .await
        .expect("a reply");
    assert_eq!(reply.body["message_reference"]["message_id"], original_id);
    assert_eq!(reply.body["embeds"][0]["title"], SALARY);
    assert!(custom_ids(&reply.body).contains(&"del:100:101".to_string()));

    // Without the Message Content intent the original arrives without its text.
    let hidden = message_json(bot.fake.next_id(), 100, "");
    let before_hidden = bot.fake.requests().len();
    bot.fake
        .reply_message(101, &format!("<@{BOT_ID}>"), &[me], hidden);
    let deadline = std::time::Instant::now() + WAIT;
    let said = loop {
        if let Some(r) = channel_messages_after(&bot, before_hidden).await.pop() {
            break r;
        }
        assert!(std::time::Instant::now() < deadline, "no reply");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let text = said.body["content"].as_str().expect("text");
    assert!(text.contains("Find FAQ answer"), "{text}");
    assert_eq!(channel_messages_after(&bot, before).await.len(), 2);
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_question_list_is_one_message_paged_in_place() {
    let bot = spawn_bot(|_| {}).await;
    let many: String = (100..300)
        .map(|id| {
            common::faq(
                id,
                &format!("Generated question number {id} about a long list of topics?"),
                "An answer.",
            )
        })
        .collect();
    bot.faqs.write("many.toml", &many);
    bot.reload_result(member(101, &[ADMIN_ROLE], "0")).await;
    let first = bot
        .command_reply("faq", json!([]), member(100, &[], "0"))
        .await;
    assert_eq!(first["flags"], 64);
    let content = first["content"].as_str().expect("page");
    assert!(content.chars().count() <= 2000);
    let pages: usize = content
        .rsplit(" of ")
        .next()
        .and_then(|n| n.trim_end_matches('*').parse().ok())
        .expect("Page 1 of N");
    assert!(pages >= 3, "{content}");
    let mut listed = content.matches(".** ").count();
    let mut data = first.clone();
    for page in 2..=pages {
        let next = id_starting(&data, "page:");
        let next = custom_ids(&data)
            .into_iter()
            .find(|id| id.ends_with(":next"))
            .unwrap_or(next);
        let press = bot.fake.press(&next, member(100, &[], "0"), None, 64);
        let cb = callback(&bot, press).await;
        assert_eq!(cb.body["type"], 7, "edited in place");
        data = cb.body["data"].clone();
        let content = data["content"].as_str().expect("page");
        assert!(
            content.ends_with(&format!("*Page {page} of {pages}*")),
            "{content}"
        );
        assert!(content.chars().count() <= 2000);
        listed += content.matches(".** ").count();
    }
    assert_eq!(listed, 220);
    let buttons = components(&data);
    assert_eq!(buttons[1]["disabled"], true, "no Next on the last page");
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_explains_the_bot_and_names_the_watched_channels() {
    let bot = spawn_bot(|s| s.discord.help_channels = vec![4242]).await;
    let data = bot
        .command_reply("help", json!([]), member(100, &[], "0"))
        .await;
    assert_eq!(data["flags"], 64);
    let text = data["content"].as_str().expect("text");
    for part in ["/ask", "/faq", "Find FAQ answer", "<#4242>", "Remove"] {
        assert!(text.contains(part), "{part} missing from {text}");
    }
    assert!(text.chars().count() <= 2000);
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn picks_become_an_alias_an_admin_approves_in_discord() {
    const PHRASE: &str = "how much does a pilot earn";
    let bot = spawn_bot(|_| {}).await;
    let faq_file = bot.faqs.path().join(
        std::fs::read_dir(bot.faqs.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .find(|n| {
                std::fs::read_to_string(bot.faqs.path().join(n)).is_ok_and(|t| t.contains(SALARY))
            })
            .expect("the salary FAQ's file"),
    );
    let comments_before = std::fs::read_to_string(&faq_file)
        .expect("read")
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .count();

    // Two people ask in the same words, are offered choices, and pick the salary FAQ.
    for person in [100, 101] {
        let id = bot.fake.command(
            "ask",
            json!([{"name": "question", "type": 3, "value": PHRASE}]),
            member(person, &[], "0"),
        );
        let data = callback(&bot, id).await.body["data"].clone();
        let pick = components(&data)
            .into_iter()
            .find(|b| b["label"] == SALARY)
            .expect("the salary FAQ offered");
        let press = bot.fake.press(
            pick["custom_id"].as_str().expect("id"),
            member(person, &[], "0"),
            None,
            0,
        );
        callback(&bot, press).await;
    }
    bot.questions.flush().await;

    // Not for members.
    let data = bot
        .command_reply(
            "faqadmin",
            json!([{"name": "suggestions", "type": 1, "options": []}]),
            member(100, &[], "0"),
        )
        .await;
    assert!(data["content"].as_str().expect("text").contains("Only"));

    // The admin sees the suggestion (resolutions are written off the reply path:
    // ask again until they are in).
    let admin = || member(102, &[ADMIN_ROLE], "0");
    let deadline = std::time::Instant::now() + WAIT;
    let (listed, approve) = loop {
        let before = bot.fake.requests().len();
        let id = bot.fake.command(
            "faqadmin",
            json!([{"name": "suggestions", "type": 1, "options": []}]),
            admin(),
        );
        let listed = edit_of(&bot, id, before).await;
        if let Some(approve) = custom_ids(&listed)
            .into_iter()
            .find(|i| i.starts_with("sug:a:"))
        {
            break (listed, approve);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no suggestion: {listed}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        listed["content"].as_str().expect("text").contains(PHRASE),
        "{listed}"
    );

    // A member pressing (or forging) Approve is refused; the admin's press writes it.
    let refused = bot.fake.press(&approve, member(100, &[], "0"), None, 64);
    assert!(callback(&bot, refused).await.body["data"]["content"]
        .as_str()
        .expect("text")
        .contains("Only"));
    let before = bot.fake.requests().len();
    let press = bot.fake.press(&approve, admin(), None, 64);
    assert_eq!(callback(&bot, press).await.body["type"], 6);
    let result = edit_of(&bot, press, before).await;
    assert!(
        result["content"]
            .as_str()
            .expect("text")
            .contains("Added the alias"),
        "{result}"
    );
    let text = std::fs::read_to_string(&faq_file).expect("read");
    assert!(text.contains(PHRASE), "the alias is in the file");
    let comments_after = text
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .count();
    assert_eq!(comments_after, comments_before, "comments kept");
    let data = bot.ask(PHRASE).await;
    assert_eq!(data["embeds"][0]["title"], SALARY, "answered now: {data}");

    // Stats for admins.
    bot.questions.flush().await;
    let before = bot.fake.requests().len();
    let id = bot.fake.command(
        "faqadmin",
        json!([{"name": "stats", "type": 1, "options": []}]),
        admin(),
    );
    let stats = edit_of(&bot, id, before).await;
    let text = stats["content"].as_str().expect("text");
    assert!(text.contains("questions"), "{text}");
    assert!(
        text.contains(SALARY),
        "the most asked FAQ is listed: {text}"
    );
    bot.shutdown.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_database_costs_votes_and_picks_never_a_reply() {
    // A PostgreSQL that is not there: the bot starts, and every write fails.
    let bot = spawn_bot(|s| {
        s.database.url = Some(common::databases::unreachable_postgres());
    })
    .await;
    let data = bot.ask("what does a backend developer earn?").await;
    assert_eq!(data["embeds"][0]["title"], SALARY);
    for prefix in ["vote:y:", "vote:n:"] {
        let press = bot
            .fake
            .press(&id_starting(&data, prefix), member(100, &[], "0"), None, 0);
        let cb = callback(&bot, press).await;
        assert_eq!(cb.body["data"]["flags"], 64, "answered all the same");
    }
    let unsure = bot.ask("how much does a pilot earn").await;
    let pick = bot.fake.press(
        &id_starting(&unsure, "faq:"),
        member(100, &[], "0"),
        None,
        0,
    );
    assert!(callback(&bot, pick).await.body["data"]["embeds"][0]["title"].is_string());
    bot.shutdown.stop();
}

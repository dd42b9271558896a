//! Forum help channels, end to end: the real `faqbot run` process (real serenity
//! client) against the fake Discord, which dispatches THREAD_CREATE for forum posts
//! and serves the threads' messages and the forum's tags over REST.
//!
//! Silence is asserted honestly: each "nothing" is checked after a post the bot does
//! answer was answered (so events were flowing), and, where the bot must have looked
//! at a post before keeping quiet, that it did look.

mod common;

use std::time::Duration;

use common::fake_discord::{snowflake_ago, user, FakeDiscord, ForumPost, Recorded, BOT_ID};
use common::process::BotProcess;
use common::FaqDir;
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(20);
const FORUM: u64 = 910_000_000_000_000_001;
/// A forum the bot is not configured for.
const OTHER_FORUM: u64 = 910_000_000_000_000_002;
const CONFIDENT: &str = "how much do backend devs earn?";
const ANSWER_TITLE: &str = "What Is The Average Salary Of A Back-End Web Developer?";
const TAG_BUG: u64 = 920_000_000_000_000_001;
const TAG_ANSWERED: u64 = 920_000_000_000_000_002;

struct Forum {
    fake: FakeDiscord,
    faqs: FaqDir,
    data: tempfile::TempDir,
    bot: BotProcess,
    /// Low bits for the next post id.
    next: std::sync::atomic::AtomicU64,
}

impl Forum {
    /// The bot with `FORUM` as its help forum (and `env` on top), connected.
    async fn start(env: &[(&str, &str)]) -> Self {
        let fake = FakeDiscord::start().await;
        let faqs = FaqDir::with_shipped();
        let data = tempfile::tempdir().expect("temp dir");
        let bot = start_bot(&fake, &faqs, &data, env).await;
        Forum {
            fake,
            faqs,
            data,
            bot,
            next: Default::default(),
        }
    }

    /// A post made just now in `forum` by `owner`.
    fn post(&self, forum: u64, owner: u64, title: &str, content: &str) -> ForumPost {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ForumPost {
            id: snowflake_ago(Duration::ZERO, n),
            forum,
            owner,
            title: title.to_string(),
            content: content.to_string(),
            tags: Vec::new(),
        }
    }

    /// The bot's messages in a post's thread so far.
    fn answers(&self, post: &ForumPost) -> Vec<Recorded> {
        let path = messages_path(post.id);
        self.fake
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .collect()
    }

    /// Waits for the bot's answer in the post's thread.
    async fn answer(&self, post: &ForumPost) -> Recorded {
        let path = messages_path(post.id);
        self.fake
            .wait_for_request(WAIT, |r| r.method == "POST" && r.path == path)
            .await
            .unwrap_or_else(|| {
                panic!(
                    "no answer to {post:?}; requests: {:?}\nlog:\n{}",
                    self.fake.requests(),
                    self.bot.log_text()
                )
            })
    }

    /// Whether the bot read the post's thread (`n` times).
    async fn read(&self, post: &ForumPost, n: usize) -> bool {
        let path = messages_path(post.id);
        self.fake
            .wait_for_count(n, WAIT, |r| r.method == "GET" && r.path == path)
            .await
            .len()
            >= n
    }

    /// A confident post, answered: proof that events reach the bot and are handled.
    /// Then a moment for anything still in flight to arrive.
    async fn control(&self) {
        let post = self.post(FORUM, 199, CONFIDENT, "");
        self.fake.forum_post(&post);
        self.answer(&post).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn start_bot(
    fake: &FakeDiscord,
    faqs: &FaqDir,
    data: &tempfile::TempDir,
    env: &[(&str, &str)],
) -> BotProcess {
    let forums = format!("[{FORUM}]");
    let database = data.path().join("faqbot.sqlite3");
    let database = database.to_str().expect("utf-8 path");
    let mut all = vec![
        ("FAQBOT_DISCORD_HELP_FORUMS", forums.as_str()),
        ("FAQBOT_DATABASE_PATH", database),
        ("RUST_LOG", "info,faqbot=debug"),
    ];
    all.extend_from_slice(env);
    let before = fake
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/commands"))
        .count();
    let bot = BotProcess::start(&fake.base_url, faqs.path(), &all);
    // Commands are registered once READY was handled: from then on the bot knows
    // its own id, which forum handling needs.
    let registered = fake
        .wait_for_count(before + 1, Duration::from_secs(60), |r| {
            r.method == "PUT" && r.path.ends_with("/commands")
        })
        .await;
    assert!(
        registered.len() > before,
        "the bot connected; log:\n{}",
        bot.log_text()
    );
    bot
}

fn messages_path(channel: u64) -> String {
    format!("/api/v10/channels/{channel}/messages")
}

fn no_pings(body: &Value) {
    let allowed = &body["allowed_mentions"];
    assert_eq!(allowed["parse"], json!([]), "{body}");
    for list in ["users", "roles"] {
        assert!(
            allowed[list].as_array().is_none_or(|l| l.is_empty()),
            "{list}: {body}"
        );
    }
    assert_ne!(allowed["replied_user"], json!(true), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_confident_post_is_answered_in_its_thread_as_a_reply_without_pings() {
    let forum = Forum::start(&[]).await;
    let post = forum.post(
        FORUM,
        101,
        &format!(
            "@everyone @here <@&{}> {CONFIDENT}",
            930_000_000_000_000_001u64
        ),
        "",
    );
    forum.fake.forum_post(&post);
    let reply = forum.answer(&post).await;
    assert_eq!(
        reply.body["message_reference"]["message_id"],
        post.id.to_string(),
        "a reply to the post's first message: {}",
        reply.body
    );
    assert_eq!(reply.body["embeds"][0]["title"], ANSWER_TITLE);
    no_pings(&reply.body);
    assert!(
        reply.body["components"].to_string().contains("custom_id"),
        "with the usual buttons: {}",
        reply.body
    );
    // No tag configured: neither the forum is read nor the post edited.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let edits: Vec<_> = forum
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" || r.path == format!("/api/v10/channels/{FORUM}"))
        .collect();
    assert!(edits.is_empty(), "{edits:?}");
    // Forums need no privileged intent of their own.
    let identify = forum
        .fake
        .wait_for_gateway(WAIT, |m| m["op"] == 2)
        .await
        .expect("IDENTIFY");
    let intents = identify["d"]["intents"].as_u64().expect("intents");
    assert_eq!(intents & (1 << 15), 0, "MESSAGE_CONTENT not requested");
    assert_ne!(intents & 1, 0, "GUILDS, which carries THREAD_CREATE");
    assert!(forum.bot.log_text().contains("help forums configured"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_message_counts_when_discord_gives_its_text() {
    let forum = Forum::start(&[]).await;
    // A title that says nothing; the question is in the first message.
    let post = forum.post(FORUM, 102, "Help please", CONFIDENT);
    forum.fake.forum_post(&post);
    let reply = forum.answer(&post).await;
    assert_eq!(reply.body["embeds"][0]["title"], ANSWER_TITLE);
    // The same title without the text (no Message Content intent): not sure, silent.
    let vague = forum.post(FORUM, 103, "Help please", "");
    forum.fake.forum_post(&vague);
    assert!(forum.read(&vague, 1).await, "the bot looked at the post");
    forum.control().await;
    assert!(forum.answers(&vague).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answered_tag_is_added_to_the_tags_the_post_has() {
    let forum = Forum::start(&[("FAQBOT_DISCORD_ANSWERED_TAG", "Answered")]).await;
    forum.fake.put_channel(
        FORUM,
        json!({"id": FORUM.to_string(), "type": 15, "name": "help", "available_tags": [
            {"id": TAG_BUG.to_string(), "name": "Bug", "moderated": false},
            {"id": TAG_ANSWERED.to_string(), "name": "answered", "moderated": false},
        ]}),
    );
    let mut post = forum.post(FORUM, 104, CONFIDENT, "");
    post.tags = vec![TAG_BUG];
    forum.fake.forum_post(&post);
    let reply = forum.answer(&post).await;
    let path = format!("/api/v10/channels/{}", post.id);
    let patch = forum
        .fake
        .wait_for_request(WAIT, |r| r.method == "PATCH" && r.path == path)
        .await
        .expect("the post tagged");
    assert_eq!(
        patch.body,
        json!({"applied_tags": [TAG_BUG.to_string(), TAG_ANSWERED.to_string()]})
    );
    assert!(patch.at >= reply.at, "tagged once answered");

    // Without the permission to tag: the answer still goes out, and the log says why
    // there is no tag.
    forum.fake.fail_route("PATCH", "/api/v10/channels/", 403);
    let post = forum.post(FORUM, 105, CONFIDENT, "");
    forum.fake.forum_post(&post);
    forum.answer(&post).await;
    assert!(
        forum
            .bot
            .wait_for_log(WAIT, "adding the answered tag failed")
            .await,
        "{}",
        forum.bot.log_text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsure_post_gets_nothing() {
    let forum = Forum::start(&[]).await;
    let post = forum.post(FORUM, 106, "how much does a pilot earn", "");
    forum.fake.forum_post(&post);
    assert!(forum.read(&post, 1).await, "the bot looked at the post");
    forum.control().await;
    assert!(
        forum.answers(&post).is_empty(),
        "{:?}",
        forum.answers(&post)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_post_and_a_post_in_another_forum_get_nothing() {
    let forum = Forum::start(&[]).await;
    // A post from 10 minutes ago the bot merely learns about now.
    let mut old = forum.post(FORUM, 107, CONFIDENT, "");
    old.id = snowflake_ago(Duration::from_secs(600), 77);
    forum.fake.forum_post(&old);
    let elsewhere = forum.post(OTHER_FORUM, 108, CONFIDENT, "");
    forum.fake.forum_post(&elsewhere);
    forum.control().await;
    for post in [&old, &elsewhere] {
        let touched: Vec<_> = forum
            .fake
            .requests()
            .into_iter()
            .filter(|r| r.path.contains(&post.id.to_string()))
            .collect();
        assert!(touched.is_empty(), "{post:?}: {touched:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_post_created_twice_is_answered_once() {
    let forum = Forum::start(&[]).await;
    // Twice at once: the second event races the first.
    let post = forum.post(FORUM, 109, CONFIDENT, "");
    forum.fake.forum_post(&post);
    forum.fake.dispatch_thread_create(&post);
    forum.answer(&post).await;

    // Again after the gateway closed (4000) and the session resumed.
    forum.fake.close_gateway(4000);
    assert!(
        forum
            .fake
            .wait_for_gateway(WAIT, |m| m["op"] == 6)
            .await
            .is_some(),
        "RESUME; log:\n{}",
        forum.bot.log_text()
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    forum.fake.dispatch_thread_create(&post);
    forum.control().await;
    assert_eq!(forum.answers(&post).len(), 1, "{:?}", forum.answers(&post));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_a_post_already_answered_is_not_answered_again() {
    let mut forum = Forum::start(&[]).await;
    let post = forum.post(FORUM, 110, CONFIDENT, "");
    forum.fake.forum_post(&post);
    forum.answer(&post).await;

    // A new process (nothing in memory) gets the post again: the thread holds its
    // earlier answer (the fake keeps what the bot posted).
    forum.bot.signal("TERM");
    assert_eq!(forum.bot.wait_exit(WAIT).await, Some(0));
    forum.bot = start_bot(&forum.fake, &forum.faqs, &forum.data, &[]).await;
    forum.fake.dispatch_thread_create(&post);
    assert!(
        forum.read(&post, 2).await,
        "the new process read the thread"
    );
    forum.control().await;
    assert_eq!(forum.answers(&post).len(), 1, "{:?}", forum.answers(&post));

    // Likewise a post whose thread has a message of the bot's the bot never posted
    // in this test run (answered by an earlier deployment).
    let earlier = forum.post(FORUM, 111, CONFIDENT, "");
    forum.fake.put_message(
        earlier.id,
        json!({"id": (earlier.id + 1).to_string(), "channel_id": earlier.id.to_string(),
               "author": user(BOT_ID, "faqbot", true), "content": "", "mentions": [], "type": 19}),
    );
    forum.fake.forum_post(&earlier);
    assert!(forum.read(&earlier, 1).await);
    forum.control().await;
    assert!(forum.answers(&earlier).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_that_mentions_the_bot_is_answered_once_as_a_mention() {
    let forum = Forum::start(&[]).await;
    let post = forum.post(FORUM, 112, "salary question", "");
    let starter = json!({
        "id": post.id.to_string(),
        "channel_id": post.id.to_string(),
        "guild_id": common::fake_discord::GUILD_ID.to_string(),
        "author": user(post.owner, "poster", false),
        "content": format!("<@{BOT_ID}> {CONFIDENT}"),
        "mentions": [user(BOT_ID, "faqbot", true)],
        "mention_roles": [], "mention_everyone": false, "attachments": [], "embeds": [],
        "timestamp": "2024-01-01T00:00:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "pinned": false, "type": 0,
    });
    forum.fake.put_message(post.id, starter.clone());
    // Discord sends both: the post (thread) and its first message.
    forum.fake.dispatch_thread_create(&post);
    forum.fake.dispatch("MESSAGE_CREATE", starter);
    let reply = forum.answer(&post).await;
    assert_eq!(reply.body["embeds"][0]["title"], ANSWER_TITLE);
    assert!(
        forum.read(&post, 1).await,
        "the forum side looked at the post"
    );
    forum.control().await;
    assert_eq!(forum.answers(&post).len(), 1, "{:?}", forum.answers(&post));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forum_answers_share_the_forums_flood_budget_and_never_send_notices() {
    let forum = Forum::start(&[("FAQBOT_LIMITS_CHANNEL_REPLIES_PER_WINDOW", "1")]).await;
    let first = forum.post(FORUM, 113, CONFIDENT, "");
    forum.fake.forum_post(&first);
    forum.answer(&first).await;
    // Another member's post in the same forum: over the forum's budget, so silence
    // (nobody addressed the bot, so no "I've said a lot" notice either).
    let second = forum.post(FORUM, 114, CONFIDENT, "");
    forum.fake.forum_post(&second);
    assert!(forum.read(&second, 1).await, "the bot looked at the post");
    assert!(
        forum.bot.wait_for_log(WAIT, "flood control").await,
        "{}",
        forum.bot.log_text()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let posted: Vec<_> = forum
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/messages"))
        .collect();
    assert_eq!(posted.len(), 1, "{posted:?}");
}

//! Helpers shared by the integration tests: temporary FAQ folders and the shipped data.
#![allow(dead_code)] // each test crate uses its own subset

use std::path::{Path, PathBuf};

use faqbot::links::LinkSettings;

pub mod databases;
pub mod fake_discord;
pub mod process;
use faqbot::matcher::MatchSettings;
use faqbot::store::Store;

/// The repository's own FAQ folder.
pub fn shipped_faq_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("faq")
}

pub fn shipped_store() -> Store {
    Store::open(
        &shipped_faq_dir(),
        MatchSettings::default(),
        LinkSettings::default(),
    )
    .expect("the shipped FAQs load")
}

/// A throw-away FAQ folder; files are written with [`FaqDir::write`].
pub struct FaqDir {
    pub dir: tempfile::TempDir,
}

impl FaqDir {
    pub fn new() -> Self {
        FaqDir {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A folder holding a copy of the shipped FAQs.
    pub fn with_shipped() -> Self {
        let d = FaqDir::new();
        for entry in std::fs::read_dir(shipped_faq_dir()).expect("faq dir") {
            let path = entry.expect("entry").path();
            std::fs::copy(&path, d.path().join(path.file_name().expect("name"))).expect("copy");
        }
        d
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write faq file");
        path
    }

    pub fn store(&self) -> Store {
        Store::open(
            self.path(),
            MatchSettings::default(),
            LinkSettings::default(),
        )
        .expect("the test FAQs load")
    }
}

/// One `[[faq]]` entry as TOML.
pub fn faq(id: u32, question: &str, answer: &str) -> String {
    format!("[[faq]]\nid = {id}\nquestion = {question:?}\nanswer = {answer:?}\n\n")
}

/// A store of these `[[faq]]` entries. The folder they were written to is gone when
/// this returns: the store holds everything it needs.
pub fn store_of(entries: &[String]) -> Store {
    let d = FaqDir::new();
    d.write("faq.toml", &entries.concat());
    d.store()
}

/// A small knowledge base about a made-up product, unrelated to the seed, so that tests
/// of the matcher's general behaviour do not lean on the seed's wording.
pub fn garden_faqs() -> String {
    [
        faq(1, "How often should I water tomato plants?", "Water tomatoes deeply twice a week; more often in hot weather. Keep the soil moist but not soggy."),
        faq(2, "When is the best time to prune apple trees?", "Prune apple trees in late winter while they are dormant, before the buds open."),
        faq(3, "Which fertiliser suits roses?", "Roses like a balanced fertiliser in spring and a potassium-rich feed when flowering."),
        faq(4, "How do I get rid of aphids organically?", "Spray aphids with soapy water, or bring in ladybirds, which eat them."),
        faq(5, "Can I grow strawberries in containers?", "Yes: strawberries grow well in pots and hanging baskets with good drainage and full sun."),
    ]
    .concat()
}

/// A running bot (the real `Application`, real serenity) against a fake Discord.
pub struct TestBot {
    pub fake: fake_discord::FakeDiscord,
    pub faqs: FaqDir,
    pub store: std::sync::Arc<Store>,
    pub http: Option<std::net::SocketAddr>,
    pub shutdown: faqbot::ops::shutdown::Shutdown,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
    /// The question log (an SQLite file in `data` unless the test configured another).
    pub questions: faqbot::learning::QuestionLog,
    pub data: tempfile::TempDir,
}

impl TestBot {
    /// Sends an interaction command and returns the `data` of the bot's callback.
    pub async fn command_reply(
        &self,
        name: &str,
        options: serde_json::Value,
        member: serde_json::Value,
    ) -> serde_json::Value {
        let id = self.fake.command(name, options, member);
        let cb = self
            .fake
            .callback_for(id, std::time::Duration::from_secs(10))
            .await;
        cb.unwrap_or_else(|| panic!("no callback for /{name}")).body["data"].clone()
    }

    /// `/reload` by `member`: the deferred acknowledgement must come first and be
    /// private; returns the text the bot then edits into it.
    pub async fn reload_result(&self, member: serde_json::Value) -> String {
        let id = self.fake.command("reload", serde_json::json!([]), member);
        let wait = std::time::Duration::from_secs(10);
        let ack = self
            .fake
            .callback_for(id, wait)
            .await
            .expect("an acknowledgement");
        if ack.body["type"] == 4 {
            // Refused at once (not an admin): no deferral.
            return ack.body["data"]["content"]
                .as_str()
                .unwrap_or("")
                .to_string();
        }
        assert_eq!(ack.body["type"], 5, "deferred: {}", ack.body);
        assert_eq!(ack.body["data"]["flags"], 64, "privately: {}", ack.body);
        let original = format!(
            "/api/v10/webhooks/{}/token-{id}/messages/@original",
            fake_discord::APP_ID
        );
        let edit = self
            .fake
            .wait_for_request(wait, |r| r.method == "PATCH" && r.path == original)
            .await
            .expect("the result edited in");
        assert!(edit.at >= ack.at, "the edit follows the acknowledgement");
        edit.body["content"].as_str().unwrap_or("").to_string()
    }

    /// `/ask` from an ordinary member; the `data` of the bot's callback.
    pub async fn ask(&self, question: &str) -> serde_json::Value {
        let options = serde_json::json!([{"name": "question", "type": 3, "value": question}]);
        self.command_reply("ask", options, fake_discord::member(100, &[], "0"))
            .await
    }

    /// The description of the embed an `/ask` got (empty if none).
    pub async fn answer_text(&self, question: &str) -> String {
        self.ask(question).await["embeds"][0]["description"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// GET on the health/metrics listener: status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let addr = self.http.expect("http listener enabled");
        let response = reqwest::get(format!("http://{addr}{path}"))
            .await
            .expect("listener answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }
}

/// Test settings: the fake's URL, a development guild, an admin role, no flood control
/// or file watching unless a test turns them on, and no 3-second reply deadline.
pub fn test_settings(fake: &fake_discord::FakeDiscord) -> faqbot::config::Settings {
    let mut s = faqbot::config::Settings::default();
    s.discord.api_base_url = Some(fake.base_url.parse().expect("the fake's URL"));
    s.discord.guild_id = Some(fake_discord::GUILD_ID);
    s.discord.admin_roles = vec![fake_discord::ADMIN_ROLE];
    s.limits.questions_per_window = 0;
    s.limits.channel_replies_per_window = 0;
    // The fake has no 3-second limit; a debug build on a busy machine may need longer,
    // and tests count replies, never time them.
    s.limits.reply_deadline_ms = 60_000;
    s.limits.shutdown_grace_seconds = 2;
    s.reload.watch = false;
    s.http.listen = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    s
}

/// Starts the bot on a copy of the shipped FAQs and waits until it has identified and
/// registered its commands.
pub async fn spawn_bot(configure: impl FnOnce(&mut faqbot::config::Settings)) -> TestBot {
    if std::env::var("TEST_LOG").is_ok() {
        faqbot::telemetry::init("info,serenity=warn");
    }
    let fake = fake_discord::FakeDiscord::start().await;
    let faqs = FaqDir::with_shipped();
    let mut settings = test_settings(&fake);
    // The question log goes to a file of the test's own, not the working directory.
    let data = tempfile::tempdir().expect("temp dir");
    settings.database.path = data.path().join("faqbot.sqlite3");
    configure(&mut settings);
    let token = secrecy::SecretString::new("test-token-not-secret".to_string());
    let app = faqbot::startup::Application::build(settings, faqs.path(), token)
        .await
        .expect("application builds");
    let store = app.store();
    let http = app.http_addr();
    let shutdown = app.shutdown();
    let questions = app.questions();
    let task = tokio::spawn(app.run_until_stopped());
    let registered = fake
        .wait_for_request(std::time::Duration::from_secs(20), |r| {
            r.method == "PUT" && r.path.ends_with("/commands")
        })
        .await;
    assert!(
        registered.is_some(),
        "the bot connected and registered its commands; requests: {:?}",
        fake.requests()
    );
    TestBot {
        fake,
        faqs,
        store,
        http,
        shutdown,
        task,
        questions,
        data,
    }
}

//! `faqbot suggestions`, `stats`, `export` and `prune` as an admin runs them, on a log
//! filled through the library (what the bot would have written).

mod common;

use std::process::{Command, Output};
use std::time::Duration;

use common::{garden_faqs, FaqDir};
use faqbot::config::DatabaseSettings;
use faqbot::learning::{Database, LearningMetrics, Question, QuestionLog};

fn faqbot(faqs: &FaqDir, db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faqbot"))
        .arg("--faq-dir")
        .arg(faqs.path())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FAQBOT_DATABASE_PATH", db)
        .env_remove("FAQBOT_DATABASE_URL")
        .env_remove("RUST_LOG")
        .output()
        .expect("faqbot runs")
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_lists_approves_and_rejects_suggestions_and_reads_the_figures() {
    let faqs = FaqDir::new();
    let file = faqs.write(
        "garden.toml",
        &format!("# The garden FAQ: keep this comment.\n\n{}", garden_faqs()),
    );
    let store = faqs.store();
    let data = tempfile::tempdir().expect("temp dir");
    let path = data.path().join("log.sqlite3");
    let settings = DatabaseSettings {
        path: path.clone(),
        url: None,
    };
    let db = Database::open(&settings, LearningMetrics::default())
        .await
        .expect("open");
    let log = QuestionLog::start(db.clone(), LearningMetrics::default());
    // Three people say the soil is dry and pick the watering FAQ; three ask about
    // a lawn mower, which no FAQ answers.
    let phrasing = "soil feels dry all the time";
    let mut picks = Vec::new();
    for user in 1..=3u64 {
        let reply = store.ask(phrasing);
        let id = log
            .record(Question::new(phrasing, "slash").by(user), &reply)
            .expect("logged");
        picks.push((id, user));
        log.record(
            Question::new("how do I sharpen a lawn mower blade?", "slash").by(user),
            &store.ask("how do I sharpen a lawn mower blade?"),
        );
    }
    log.close(Duration::from_secs(5)).await;
    for (id, user) in picks {
        db.record_resolution(id, 1, user).await.expect("resolution");
    }
    db.close().await;

    let listed: serde_json::Value =
        serde_json::from_str(&stdout(&faqbot(&faqs, &path, &["suggestions", "--json"])))
            .expect("json");
    let items = listed.as_array().expect("a list");
    let alias = items
        .iter()
        .find(|s| s["kind"] == "alias")
        .unwrap_or_else(|| panic!("an alias suggestion: {listed}"));
    assert_eq!(alias["faq"], 1);
    assert_eq!(alias["text"], phrasing);
    assert_eq!(alias["people"], 3);
    let missing = items
        .iter()
        .find(|s| s["kind"] == "missing_faq")
        .unwrap_or_else(|| panic!("a missing FAQ: {listed}"));
    assert_eq!(missing["text"], "how do I sharpen a lawn mower blade?");

    // The same ids on every run.
    let again: serde_json::Value =
        serde_json::from_str(&stdout(&faqbot(&faqs, &path, &["suggestions", "--json"])))
            .expect("json");
    assert_eq!(again, listed);

    let id = alias["id"].as_str().expect("id");
    let approved = stdout(&faqbot(&faqs, &path, &["suggestions", "--approve", id]));
    assert!(approved.contains("added the alias"), "{approved}");
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(
        text.starts_with("# The garden FAQ: keep this comment."),
        "{text}"
    );
    assert!(
        text.contains(&format!("aliases = [{phrasing:?}]")),
        "{text}"
    );
    let answer = stdout(&faqbot(&faqs, &path, &["ask", "--json", phrasing]));
    assert!(answer.contains("\"outcome\":\"answered\""), "{answer}");

    let id = missing["id"].as_str().expect("id");
    stdout(&faqbot(&faqs, &path, &["suggestions", "--reject", id]));
    let left = stdout(&faqbot(&faqs, &path, &["suggestions"]));
    assert!(left.contains("no pending suggestions"), "{left}");
    let unknown = faqbot(&faqs, &path, &["suggestions", "--approve", "0123456789"]);
    assert_eq!(unknown.status.code(), Some(1));

    let stats: serde_json::Value = serde_json::from_str(&stdout(&faqbot(
        &faqs,
        &path,
        &["stats", "--json", "--since", "2d"],
    )))
    .expect("json");
    assert_eq!(stats["days"].as_array().map(Vec::len), Some(2));
    let total = &stats["total"];
    assert_eq!(
        total["answered"].as_u64().unwrap_or(0)
            + total["unsure"].as_u64().unwrap_or(0)
            + total["declined"].as_u64().unwrap_or(0),
        6
    );
    let text = stdout(&faqbot(&faqs, &path, &["stats"]));
    assert!(text.contains("6 questions"), "{text}");

    let csv = stdout(&faqbot(&faqs, &path, &["export", "--format", "csv"]));
    assert_eq!(csv.lines().count(), 7, "{csv}");
    assert!(csv.starts_with("id,asked_at,guild_id,"), "{csv}");
    let jsonl = stdout(&faqbot(&faqs, &path, &["export"]));
    assert_eq!(jsonl.lines().count(), 6);

    let kept = stdout(&faqbot(&faqs, &path, &["prune"]));
    assert!(kept.contains("0 questions"), "{kept}");
}

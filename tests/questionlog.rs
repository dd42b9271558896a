//! The question log and its data layer, on SQLite always and on PostgreSQL when
//! `FAQBOT_TEST_POSTGRES_URL` is set: what is written (and what never is), votes and
//! resolutions, pruning, the queue that drops instead of waiting, a database that goes
//! away and comes back, and the bot replying whatever the database does.

mod common;

use std::time::Duration;

use common::databases::{self, backends, Proxy};
use common::{shipped_store, spawn_bot};
use faqbot::learning::stats::{self, ExportFormat};
use faqbot::learning::{ChannelKind, Database, LearningMetrics, Question, QuestionLog};

const USER: u64 = 123_456_789_012_345_678;

async fn export(db: &Database, format: ExportFormat) -> String {
    let mut out = Vec::new();
    stats::export(db, format, &mut out).await.expect("export");
    String::from_utf8(out).expect("utf-8")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_recorded_question_is_written_once_without_user_ids() {
    let store = shipped_store();
    for backend in backends().await {
        let db = backend.open().await;
        let metrics = LearningMetrics::default();
        let log = QuestionLog::start(db.clone(), metrics.clone());
        let long = "why ".repeat(300);
        let questions = [
            "backend developer salary",
            "how much does a pilot earn",
            &long,
        ];
        let mut ids = Vec::new();
        for i in 0..450 {
            let text = questions[i % 3];
            let q = Question {
                text: text.to_string(),
                front_end: "slash",
                channel_kind: ChannelKind::Guild,
                guild: Some(42),
                user: Some(USER + (i % 7) as u64),
                latency: Duration::from_micros(30),
                reply_message: None,
            };
            ids.push(log.record(q, &store.ask(text)).expect("queued"));
        }
        log.flush().await;
        assert_eq!(
            stats::count(&db).await.expect("count"),
            450,
            "{}",
            backend.name
        );
        assert_eq!(metrics.logged.get(), 450, "{}", backend.name);
        assert_eq!(metrics.dropped.get() + metrics.errors.get(), 0);
        let mut unique = ids.clone();
        unique.sort_by_key(|id| id.0);
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "ids are unique");

        let jsonl = export(&db, ExportFormat::Jsonl).await;
        let first: serde_json::Value =
            serde_json::from_str(jsonl.lines().next().expect("a line")).expect("json");
        assert_eq!(first["front_end"], "slash");
        assert_eq!(first["channel_kind"], "guild");
        assert_eq!(first["guild_id"], "42");
        let salary = jsonl
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
            .find(|v| v["question"] == "backend developer salary")
            .expect("logged");
        assert_eq!(salary["outcome"], "answered");
        assert_eq!(salary["faq_id"], salary["candidates"][0]["id"]);
        assert!(salary["candidates"][0]["score"].as_f64().is_some());
        let capped = jsonl
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
            .find(|v| v["question"].as_str().is_some_and(|q| q.starts_with("why")))
            .expect("logged");
        assert_eq!(
            capped["question"].as_str().map(|q| q.chars().count()),
            Some(500)
        );
        // No user id anywhere: not in the export, not in the person hashes.
        let user_id = USER.to_string();
        assert!(!jsonl.contains(&user_id[..12]), "{}", backend.name);
        let csv = export(&db, ExportFormat::Csv).await;
        assert_eq!(csv.lines().count(), 451, "header and one line per question");
        assert!(!csv.contains(&user_id[..12]));
        log.close(Duration::from_secs(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_log_writes_what_is_still_queued() {
    let store = shipped_store();
    for backend in backends().await {
        let db = backend.open().await;
        let log = QuestionLog::start(db.clone(), LearningMetrics::default());
        let reply = store.ask("backend developer salary");
        for _ in 0..777 {
            log.record(Question::new("backend developer salary", "slash"), &reply);
        }
        log.close(Duration::from_secs(10)).await;
        assert_eq!(
            stats::count(&db).await.expect("count"),
            777,
            "{}",
            backend.name
        );
        // After close nothing more is taken.
        assert!(log.record(Question::new("late", "slash"), &reply).is_none());
    }
}

#[tokio::test] // one thread: the writer cannot run between the records
async fn a_full_queue_drops_and_counts_instead_of_waiting() {
    let store = shipped_store();
    let backend = databases::sqlite();
    let db = backend.open().await;
    let metrics = LearningMetrics::default();
    let log = QuestionLog::with_capacity(db.clone(), metrics.clone(), 4);
    let reply = store.ask("backend developer salary");
    let queued = (0..50)
        .filter(|_| log.record(Question::new("q", "slash"), &reply).is_some())
        .count();
    assert_eq!(queued, 4);
    assert_eq!(metrics.dropped.get(), 46);
    log.flush().await;
    assert_eq!(stats::count(&db).await.expect("count"), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_and_resolutions_are_one_per_person_per_question() {
    for backend in backends().await {
        let metrics = LearningMetrics::default();
        let db = Database::open(&backend.settings, metrics.clone())
            .await
            .expect("open");
        let q = faqbot::learning::QuestionId(7);
        db.record_vote(q, 6, false, USER).await.expect("vote");
        db.record_vote(q, 6, true, USER)
            .await
            .expect("changed mind");
        db.record_vote(q, 6, false, USER + 1).await.expect("vote");
        let votes = faqbot::learning::suggest::votes(&db, 0)
            .await
            .expect("votes");
        assert_eq!(votes.len(), 1, "{}", backend.name);
        assert_eq!((votes[0].helpful, votes[0].not_helpful), (1, 1));
        let text = {
            let registry_text = format!(
                "{:?}",
                metrics
                    .votes
                    .get_or_create(&faqbot::learning::VoteLabels {
                        vote: "not_helpful".into()
                    })
                    .get()
            );
            registry_text
        };
        assert_eq!(text, "2");
        db.record_resolution(q, 3, USER).await.expect("resolution");
        db.record_resolution(q, 4, USER)
            .await
            .expect("picked another");
        // Pruning with no retention removes all of it.
        tokio::time::sleep(Duration::from_millis(5)).await;
        let pruned = db.prune(0).await.expect("prune");
        assert_eq!(
            (pruned.votes, pruned.resolutions),
            (2, 1),
            "{}",
            backend.name
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_salt_is_made_once_and_kept() {
    let backend = databases::sqlite();
    let a = backend.open().await.person(USER).await.expect("hash");
    let b = backend.open().await.person(USER).await.expect("hash");
    assert_eq!(a, b, "the same person is the same hash across runs");
    let other = databases::sqlite()
        .open()
        .await
        .person(USER)
        .await
        .expect("hash");
    assert_ne!(a, other, "another database, another salt");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pruning_keeps_what_is_within_retention() {
    let store = shipped_store();
    let backend = databases::sqlite();
    let db = backend.open().await;
    let log = QuestionLog::start(db.clone(), LearningMetrics::default());
    log.record(Question::new("salary", "slash"), &store.ask("salary"));
    log.flush().await;
    assert_eq!(db.prune(90).await.expect("prune").questions, 0);
    tokio::time::sleep(Duration::from_millis(5)).await;
    assert_eq!(db.prune(0).await.expect("prune").questions, 1);
    assert_eq!(stats::count(&db).await.expect("count"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_is_unreachable_counts_errors_and_the_record_call_never_waits() {
    let store = shipped_store();
    // Nothing listens on port 1.
    let settings = faqbot::config::DatabaseSettings {
        path: "unused".into(),
        url: Some(
            faqbot::config::DatabaseUrl::try_from(
                "postgres://postgres@127.0.0.1:1/none".to_string(),
            )
            .expect("url"),
        ),
    };
    let metrics = LearningMetrics::default();
    let db = Database::connect_lazy(&settings, metrics.clone()).expect("lazy");
    let log = QuestionLog::start(db, metrics.clone());
    let reply = store.ask("salary");
    for _ in 0..10 {
        assert!(log
            .record(Question::new("salary", "slash"), &reply)
            .is_some());
    }
    log.flush().await;
    assert_eq!(metrics.errors.get(), 10);
    assert_eq!(metrics.logged.get(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_replies_when_the_database_is_unreachable() {
    let bot = spawn_bot(|s| {
        s.database.url = Some(common::databases::unreachable_postgres());
    })
    .await;
    for _ in 0..3 {
        let text = bot
            .answer_text("how much do backend developers earn?")
            .await;
        assert!(!text.is_empty(), "answered");
    }
    bot.questions.flush().await;
    let (_, metrics) = bot.get("/metrics").await;
    assert!(
        metrics.contains("faqbot_questionlog_errors_total 3"),
        "{metrics}"
    );
    bot.shutdown.stop();
    let _ = bot.task.await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_asked_on_discord_are_logged_with_a_person_hash() {
    let bot = spawn_bot(|_| {}).await;
    bot.ask("how much do backend developers earn?").await;
    bot.ask("how much does a pilot earn").await;
    bot.questions.flush().await;
    let db = bot.questions.database().expect("logging is on");
    let jsonl = export(db, ExportFormat::Jsonl).await;
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(rows.len(), 2, "{jsonl}");
    assert_eq!(rows[0]["front_end"], "slash");
    assert_eq!(rows[0]["channel_kind"], "guild");
    assert_eq!(rows[0]["outcome"], "answered");
    assert_ne!(rows[1]["outcome"], "answered");
    let (_, metrics) = bot.get("/metrics").await;
    assert!(
        metrics.contains("faqbot_questionlog_logged_total 2"),
        "{metrics}"
    );
    bot.shutdown.stop();
    let _ = bot.task.await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logging_off_writes_nothing() {
    let bot = spawn_bot(|s| s.privacy.log_questions = false).await;
    bot.ask("how much do backend developers earn?").await;
    assert!(bot.questions.database().is_none());
    bot.shutdown.stop();
    let _ = bot.task.await;
    assert!(!bot.data.path().join("faqbot.sqlite3").exists());
}

/// PostgreSQL stops mid-run (a proxy in front of it cuts every connection): replies go
/// out, the lost rows are counted, and logging resumes when it is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_mid_run_costs_log_rows_not_replies_and_logging_recovers() {
    let Some(server) = databases::postgres_server() else {
        return;
    };
    let target = databases::postgres(&server).await;
    let url = target.settings.url.clone().expect("a postgres url");
    // Migrate first, straight to the server.
    let direct = target.open().await;
    let proxy = Proxy::start(databases::target_of(&url)).await;
    let via_proxy = databases::through(&url, &proxy);
    let bot = spawn_bot(|s| s.database.url = Some(via_proxy)).await;
    let question = "how much do backend developers earn?";
    assert!(!bot.answer_text(question).await.is_empty());
    bot.questions.flush().await;
    assert_eq!(stats::count(&direct).await.expect("count"), 1);

    proxy.down();
    for _ in 0..3 {
        assert!(
            !bot.answer_text(question).await.is_empty(),
            "the reply goes out with the database gone"
        );
    }
    bot.questions.flush().await;
    let (_, metrics) = bot.get("/metrics").await;
    assert!(
        metrics.contains("faqbot_questionlog_errors_total 3"),
        "{metrics}"
    );

    proxy.up();
    let mut logged = 1;
    for _ in 0..20 {
        assert!(!bot.answer_text(question).await.is_empty());
        bot.questions.flush().await;
        logged = stats::count(&direct).await.expect("count");
        if logged > 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(logged > 1, "logging resumed once the database was back");
    bot.shutdown.stop();
    let _ = bot.task.await;
}

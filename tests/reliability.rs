//! Faults an operator meets, end to end (the real application in-process, or the real
//! binary where logs and exit codes matter), always against the fake Discord: the FAQ
//! folder deleted, replaced or updated the way Kubernetes updates a ConfigMap; files
//! written slowly or broken and fixed without an event; health probes during a large
//! reload; settings that cannot work or that hold a pasted token.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::fake_discord::FakeDiscord;
use common::process::BotProcess;
use common::{faq, shipped_faq_dir};
use faqbot::ops::metrics::ReloadTrigger;
use faqbot::store::Store;

const WAIT: Duration = Duration::from_secs(20);
const TOKEN: &str = "MTA1NjQ3ODkwMTIzNDU2Nzg5MA.GhX3kP.aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3bD";

/// The real application on `dir`, connected to a fake Discord.
struct Running {
    _fake: FakeDiscord,
    store: Arc<Store>,
    http: std::net::SocketAddr,
    shutdown: faqbot::ops::shutdown::Shutdown,
}

impl Running {
    async fn start(dir: &Path, configure: impl FnOnce(&mut faqbot::config::Settings)) -> Self {
        if std::env::var("TEST_LOG").is_ok() {
            faqbot::telemetry::init("info,serenity=warn");
        }
        let fake = FakeDiscord::start().await;
        let mut settings = common::test_settings(&fake);
        configure(&mut settings);
        let token = secrecy::SecretString::new("test-token-not-secret".to_string());
        let app = faqbot::startup::Application::build(settings, dir, token)
            .await
            .expect("application builds");
        let store = app.store();
        let http = app.http_addr().expect("http listener");
        let shutdown = app.shutdown();
        tokio::spawn(app.run_until_stopped());
        let registered = fake
            .wait_for_request(WAIT, |r| r.method == "PUT" && r.path.ends_with("/commands"))
            .await;
        assert!(registered.is_some(), "the bot connected");
        Running {
            _fake: fake,
            store,
            http,
            shutdown,
        }
    }

    fn has_faq(&self, id: u32) -> bool {
        self.store.snapshot().knowledge_base().faq(id).is_some()
    }

    fn answer(&self, id: u32) -> Option<String> {
        let snapshot = self.store.snapshot();
        snapshot.knowledge_base().faq(id).map(|f| f.answer.clone())
    }

    async fn healthz(&self) -> serde_json::Value {
        let body = reqwest::get(format!("http://{}/healthz", self.http))
            .await
            .expect("/healthz answers")
            .text()
            .await
            .expect("body");
        serde_json::from_str(&body).expect("json")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown.stop();
    }
}

/// Polls `condition` until it holds or `WAIT` passes.
async fn eventually(mut condition: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + WAIT;
    while Instant::now() < until {
        if condition() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    condition()
}

fn copy_shipped(to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(shipped_faq_dir())
        .expect("faq dir")
        .flatten()
    {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

fn watching(debounce_ms: u64) -> impl FnOnce(&mut faqbot::config::Settings) {
    move |s| {
        s.reload.watch = true;
        s.reload.debounce_ms = debounce_ms;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watcher_follows_a_folder_that_is_deleted_and_recreated() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("faq");
    copy_shipped(&dir);
    let bot = Running::start(&dir, watching(100)).await;
    std::fs::remove_dir_all(&dir).expect("rm -r faq");
    tokio::time::sleep(Duration::from_millis(400)).await;
    copy_shipped(&dir);
    std::fs::write(
        dir.join("extra.toml"),
        faq(21, "Is it back?", "It is back."),
    )
    .expect("write");
    assert!(
        eventually(|| bot.has_faq(21)).await,
        "the recreated folder was read"
    );
    // Not deaf: a later edit in the new folder is seen too.
    std::fs::write(dir.join("more.toml"), faq(22, "And later?", "Later too.")).expect("write");
    assert!(
        eventually(|| bot.has_faq(22)).await,
        "a later edit was seen"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watcher_follows_a_folder_replaced_by_a_rename_and_logs_it() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("faq");
    copy_shipped(&dir);
    let fake = FakeDiscord::start().await;
    let bot = BotProcess::start(
        &fake.base_url,
        &dir,
        &[
            ("FAQBOT_RELOAD_WATCH", "true"),
            ("FAQBOT_RELOAD_DEBOUNCE_MS", "100"),
            ("RUST_LOG", "info"),
        ],
    );
    assert!(registered(&fake).await, "{}", bot.log_text());
    // `mv faq faq.old && mv faq.new faq`
    let new = root.path().join("faq.new");
    copy_shipped(&new);
    std::fs::write(
        new.join("extra.toml"),
        faq(21, "Is it new?", "Version one."),
    )
    .expect("write");
    std::fs::rename(&dir, root.path().join("faq.old")).expect("mv faq faq.old");
    std::fs::rename(&new, &dir).expect("mv faq.new faq");
    assert!(
        bot.wait_for_log(WAIT, "watching it again").await,
        "re-arming is logged: {}",
        bot.log_text()
    );
    assert!(
        bot.wait_for_log(WAIT, "added: 21").await,
        "{}",
        bot.log_text()
    );
    // Later edits in the new folder still reload.
    std::fs::write(
        dir.join("extra.toml"),
        faq(21, "Is it new?", "Version two."),
    )
    .expect("write");
    assert!(
        bot.wait_for_log(WAIT, "changed: 21").await,
        "{}",
        bot.log_text()
    );
}

/// A ConfigMap volume as the kubelet lays it out: the data in a timestamped hidden
/// folder, `..data` linking to it, and each key a symlink through `..data`.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configmap_update_swapping_the_data_link_is_reloaded() {
    use std::os::unix::fs::symlink;
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("faq");
    let version = |name: &str, answer: &str| {
        let data = dir.join(name);
        std::fs::create_dir_all(&data).expect("mkdir");
        std::fs::write(
            data.join("garden.toml"),
            faq(1, "How often should I water tomatoes?", answer),
        )
        .expect("write");
    };
    version("..2026_01_01_00_00_00.1", "Twice a week.");
    symlink("..2026_01_01_00_00_00.1", dir.join("..data")).expect("..data");
    symlink("..data/garden.toml", dir.join("garden.toml")).expect("key link");
    let bot = Running::start(&dir, watching(100)).await;
    assert_eq!(bot.answer(1).as_deref(), Some("Twice a week."));

    // The update: a new data folder, a temporary link, renamed over `..data`.
    version("..2026_01_02_00_00_00.2", "Three times a week.");
    symlink("..2026_01_02_00_00_00.2", dir.join("..data_tmp")).expect("..data_tmp");
    std::fs::rename(dir.join("..data_tmp"), dir.join("..data")).expect("swap ..data");
    std::fs::remove_dir_all(dir.join("..2026_01_01_00_00_00.1")).expect("old data");
    assert!(
        eventually(|| bot.answer(1).as_deref() == Some("Three times a week.")).await,
        "the swap was reloaded; last reload: {:?}",
        bot.store.last_reload().map(|r| r.result)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_written_slowly_goes_live_once_and_whole() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("faq");
    copy_shipped(&dir);
    let bot = Running::start(&dir, watching(500)).await;
    // Record every size of the knowledge base the bot serves meanwhile.
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (store, seen, stop) = (Arc::clone(&bot.store), Arc::clone(&seen), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                seen.lock()
                    .expect("lock")
                    .insert(store.snapshot().faqs().len());
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    // Five pieces, each a complete FAQ (every prefix of the file parses), with pauses
    // well inside the quiet period.
    let mut file = std::fs::File::create(dir.join("slow.toml")).expect("create");
    for id in 21..=25 {
        file.write_all(faq(id, &format!("Slow question {id}?"), "Slowly.").as_bytes())
            .expect("write");
        file.flush().expect("flush");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(file);
    assert!(eventually(|| bot.store.snapshot().faqs().len() == 25).await);
    // Time for a second, spurious reload to show up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler");
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen, BTreeSet::from([20, 25]), "never half a file");
    assert_eq!(bot.store.snapshot().generation, 2, "one reload");
}

/// A fix that makes no event in the folder (here: the missing target of a link,
/// restored elsewhere) is still picked up, and health shows it.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_file_fixed_without_an_event_in_the_folder_is_picked_up() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("faq");
    copy_shipped(&dir);
    let elsewhere = root.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    let bot = Running::start(&dir, watching(100)).await;
    std::os::unix::fs::symlink(elsewhere.join("extra.toml"), dir.join("extra.toml"))
        .expect("symlink");
    let mut health = serde_json::Value::Null;
    for _ in 0..200 {
        health = bot.healthz().await;
        if health["last_reload"]["ok"] == false {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let error = health["last_reload"]["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("extra.toml") && error.contains("dangling symlink"),
        "{health}"
    );
    assert_eq!(health["faqs"], 20, "the last good FAQs keep serving");

    std::fs::write(elsewhere.join("extra.toml"), faq(21, "Fixed?", "Fixed.")).expect("write");
    let mut fixed = false;
    for _ in 0..400 {
        health = bot.healthz().await;
        if health["last_reload"]["ok"] == true {
            fixed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(fixed, "{health}");
    assert_eq!(health["faqs"], 21);
}

/// `chmod 000` then `chmod 644`. Root reads mode-000 files, so as root this proves
/// nothing and is skipped (the dangling-link test above covers the retry).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_file_made_readable_with_chmod_is_picked_up() {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir().expect("temp dir");
    let probe = root.path().join("probe");
    std::fs::write(&probe, "x").expect("write");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::File::open(&probe).is_ok() {
        eprintln!("skipped: running as root, which reads mode-000 files");
        return;
    }
    let dir = root.path().join("faq");
    copy_shipped(&dir);
    let bot = Running::start(&dir, watching(100)).await;
    let extra = dir.join("extra.toml");
    std::fs::write(&extra, faq(21, "Readable?", "Readable.")).expect("write");
    assert!(eventually(|| bot.has_faq(21)).await);
    std::fs::write(&extra, faq(21, "Readable?", "Readable again.")).expect("write");
    std::fs::set_permissions(&extra, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    assert!(eventually(|| bot.store.last_reload().is_some_and(|r| r.result.is_err())).await);
    std::fs::set_permissions(&extra, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert!(eventually(|| bot.answer(21).as_deref() == Some("Readable again.")).await);
}

/// `n` generated FAQs (ids from 1001), one TOML text.
fn generated_faqs(n: u32) -> String {
    let words = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
        "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
    ];
    let mut text = String::new();
    for i in 0..n {
        let w = |k: u32| words[((i / 7u32.pow(k)) as usize + k as usize) % words.len()];
        text.push_str(&faq(
            1001 + i,
            &format!("What is {} {} {} number {i}?", w(0), w(1), w(2)),
            &format!("It is the {} {} of {} {i}.", w(3), w(1), w(0)),
        ));
    }
    text
}

/// `/healthz` answers while a large reload runs: it never waits for the reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_while_a_large_reload_runs() {
    let root = tempfile::tempdir().expect("temp dir");
    let dir = root.path().join("faq");
    copy_shipped(&dir);
    let bot = Running::start(&dir, |_| {}).await;
    std::fs::write(dir.join("generated.toml"), generated_faqs(20_000)).expect("write");
    let shared_store = Arc::clone(&bot.store);
    let metrics = Arc::new(faqbot::ops::metrics::Metrics::new());
    let reload = tokio::spawn(faqbot::ops::reload_in_background(
        shared_store,
        metrics,
        ReloadTrigger::Command,
    ));
    let mut answered_during_reload = 0;
    while !reload.is_finished() {
        let health = bot.healthz().await;
        if health["reload_in_progress"] == true && health["faqs"] == 20 && !reload.is_finished() {
            answered_during_reload += 1;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let summary = reload.await.expect("joined").expect("the large set loads");
    assert_eq!(summary.faqs, 20_020);
    assert!(
        answered_during_reload > 0,
        "/healthz answered while the reload was running"
    );
    assert_eq!(bot.healthz().await["faqs"], 20_020);
}

// ---- the binary: settings refused at start, with exit code 2 ----

/// `faqbot run` with `env`, no token unless given; returns exit code and stderr.
fn run_with(env: &[(&str, &str)], args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    cmd.args(args)
        .arg("--faq-dir")
        .arg(shipped_faq_dir())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DISCORD_TOKEN")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("FAQBOT_") {
            cmd.env_remove(key);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("faqbot runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_token_pasted_into_the_wrong_setting_is_refused_and_never_printed() {
    for (var, key) in [
        ("FAQBOT_DISCORD_TOKEN_FILE", "discord.token_file"),
        ("FAQBOT_DISCORD_GUILD_ID", "discord.guild_id"),
        ("FAQBOT_DISCORD_API_BASE_URL", "discord.api_base_url"),
        ("FAQBOT_HTTP_LISTEN", "http.listen"),
    ] {
        for value in [TOKEN.to_string(), format!("Bot {TOKEN}")] {
            let (code, stderr) = run_with(&[(var, &value)], &["run"]);
            assert_eq!(code, Some(2), "{var}: {stderr}");
            assert!(stderr.contains(key), "{var}: names {key}: {stderr}");
            assert!(
                !stderr.contains(&TOKEN[30..]),
                "{var}: the token leaked: {stderr}"
            );
        }
    }
}

#[test]
fn kubernetes_service_variables_do_not_stop_the_bot_but_typos_do() {
    let links = [
        ("FAQBOT_PORT", "tcp://10.0.0.1:80"),
        ("FAQBOT_PORT_80_TCP", "tcp://10.0.0.1:80"),
        ("FAQBOT_PORT_80_TCP_ADDR", "10.0.0.1"),
        ("FAQBOT_PORT_80_TCP_PORT", "80"),
        ("FAQBOT_PORT_80_TCP_PROTO", "tcp"),
        ("FAQBOT_SERVICE_HOST", "10.0.0.1"),
        ("FAQBOT_SERVICE_PORT", "80"),
        ("FAQBOT_SERVICE_PORT_HTTP", "80"),
    ];
    let (code, stderr) = run_with(&links, &["check"]);
    assert_eq!(code, Some(0), "{stderr}");
    let mut typo = links.to_vec();
    typo.push(("FAQBOT_MATCHER_ANSER", "0.5"));
    let (code, stderr) = run_with(&typo, &["check"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("anser"), "{stderr}");
}

#[test]
fn settings_that_cannot_work_stop_the_start() {
    for (var, value, key) in [
        ("FAQBOT_DISCORD_GUILD_ID", "0", "discord.guild_id"),
        (
            "FAQBOT_LIMITS_SHUTDOWN_GRACE_SECONDS",
            "86400",
            "limits.shutdown_grace_seconds",
        ),
        (
            "FAQBOT_LIMITS_COOLDOWN_SECONDS",
            "99999999999",
            "limits.cooldown_seconds",
        ),
        ("FAQBOT_RELOAD_DEBOUNCE_MS", "0", "reload.debounce_ms"),
    ] {
        let (code, stderr) = run_with(&[(var, value), ("DISCORD_TOKEN", "x")], &["run"]);
        assert_eq!(code, Some(2), "{var}={value}: {stderr}");
        assert!(stderr.contains(key), "{key}: {stderr}");
    }
}

// ---- the binary, for what only its logs show ----

async fn registered(fake: &FakeDiscord) -> bool {
    fake.wait_for_request(WAIT, |r| r.method == "PUT" && r.path.ends_with("/commands"))
        .await
        .is_some()
}

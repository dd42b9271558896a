//! The admin page in a real headless browser (Debian's `chromium`): it renders, its
//! charts hold the logged figures, user text is escaped, and without the token there
//! is nothing but a 401. Skipped, with a note, where chromium is not installed
//! (`.ci/run` installs it). `FAQBOT_TEST_ADMIN_SCREENSHOT=path.png` also saves a screenshot.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::spawn_bot;

const TOKEN: &str = "admin-token-for-the-tests-0123456789";

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| PathBuf::from(s.trim()));
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Runs headless chromium with `args` then the URL; its stdout.
fn browse(chromium: &PathBuf, args: &[&str], url: &str) -> String {
    let profile = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish in 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().expect("output");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn attr<'a>(dom: &'a str, element_start: &str, name: &str) -> Option<&'a str> {
    let at = dom.find(element_start)?;
    let end = at + dom[at..].find('>')?;
    let tag = &dom[at..end];
    let key = format!("{name}=\"");
    let from = tag.find(&key)? + key.len();
    Some(&tag[from..from + tag[from..].find('"')?])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_page_renders_the_logged_figures_in_a_browser_and_needs_the_token() {
    let Some(chromium) = chromium() else {
        eprintln!("note: browser test skipped: chromium is not installed (apt-get install chromium; .ci/run does)");
        return;
    };
    let bot = spawn_bot(|s| {
        s.http.admin_token = Some(TOKEN.to_string().try_into().expect("token"));
    })
    .await;
    let evil = "<img src=x onerror=alert(1)> what is for dinner tonight";
    for q in [
        "how much do backend developers earn?",
        "what does a backend developer do",
        "backend developer salary",
        evil,
        evil,
    ] {
        bot.ask(q).await;
    }
    bot.questions.flush().await;
    let addr = bot.http.expect("listener");

    // Without the token, or with a wrong one: 401, nothing else.
    let (status, body) = bot.get("/admin").await;
    assert_eq!(status, 401, "{body}");
    assert!(!body.contains("dinner"));
    let (status, _) = bot
        .get("/admin?token=admin-token-for-the-tests-XXXXXXXXXX")
        .await;
    assert_eq!(status, 401);
    let response = reqwest::Client::new()
        .get(format!("http://{addr}/admin"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status().as_u16(), 200);

    let url = format!("http://{addr}/admin?token={TOKEN}");
    let (browser, url2) = (chromium.clone(), url.clone());
    let dom = tokio::task::spawn_blocking(move || browse(&browser, &["--dump-dom"], &url2))
        .await
        .expect("browser ran");
    assert!(dom.contains("what people ask"), "the page rendered: {dom}");
    // Five questions today: the per-day chart's last bar and the totals hold them.
    assert_eq!(
        attr(&dom, "<p id=\"total\"", "data-total"),
        Some("5"),
        "{dom}"
    );
    let today = dom
        .rfind("<g class=\"day\"")
        .map(|i| &dom[i..])
        .expect("a day bar");
    assert_eq!(
        attr(today, "<g class=\"day\"", "data-total"),
        Some("5"),
        "{today}"
    );
    let answered = attr(&dom, "<p id=\"total\"", "data-answered").expect("answered");
    assert_eq!(
        attr(&dom, "<rect class=\"share answered\"", "data-count"),
        Some(answered)
    );
    assert!(answered.parse::<u32>().expect("a number") >= 2, "{dom}");
    // The unanswered question is listed, asked twice, and only as text.
    assert!(
        dom.contains("&lt;img src=x onerror=alert(1)&gt; what is for dinner tonight"),
        "{dom}"
    );
    assert!(
        !dom.contains("<img src=\"x\""),
        "user text must not become markup"
    );
    assert!(
        dom.contains("class=\"unanswered\" data-people=\"1\" data-asked=\"2\""),
        "{dom}"
    );

    // The browser without the token sees the 401.
    let (browser, bare) = (chromium.clone(), format!("http://{addr}/admin"));
    let refused = tokio::task::spawn_blocking(move || browse(&browser, &["--dump-dom"], &bare))
        .await
        .expect("browser ran");
    assert!(refused.contains("401 Unauthorized"), "{refused}");
    assert!(!refused.contains("dinner"));

    if let Ok(path) = std::env::var("FAQBOT_TEST_ADMIN_SCREENSHOT") {
        let arg = format!("--screenshot={path}");
        tokio::task::spawn_blocking(move || {
            browse(
                &chromium,
                &[&arg, "--window-size=1100,1400", "--hide-scrollbars"],
                &url,
            )
        })
        .await
        .expect("browser ran");
    }
    bot.shutdown.stop();
    let _ = bot.task.await;
}

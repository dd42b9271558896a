//! `faqbot run` as a child process (signals, logs, exit codes) with its stderr
//! collected line by line, for tests about how the process as a whole behaves.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::fake_discord::GUILD_ID;

/// The token the process gets; tests check it never reaches the logs.
pub const TOKEN: &str = "secret-token-do-not-log-me";

pub struct BotProcess {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl BotProcess {
    /// Starts `faqbot run` against `base_url` at `RUST_LOG=trace` (override in `env`).
    pub fn start(base_url: &str, faq_dir: &std::path::Path, env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_faqbot"));
        cmd.args(["run", "--faq-dir"])
            .arg(faq_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DISCORD_TOKEN", TOKEN)
            .env("FAQBOT_DISCORD_API_BASE_URL", base_url)
            .env("FAQBOT_DISCORD_GUILD_ID", GUILD_ID.to_string())
            .env("FAQBOT_RELOAD_WATCH", "false")
            .env("RUST_LOG", "trace")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("faqbot starts");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().expect("lock").push(line);
            }
        });
        BotProcess { child, log }
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    pub async fn wait_for_log(&self, timeout: Duration, needle: &str) -> bool {
        let until = Instant::now() + timeout;
        while Instant::now() < until {
            if self.log_text().contains(needle) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        false
    }

    /// Waits for the exit (killing the process after `timeout`); the exit code, None
    /// if it had to be killed.
    pub async fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = self.child.kill();
        None
    }

    pub fn log_text(&self) -> String {
        self.log.lock().expect("lock").join("\n")
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

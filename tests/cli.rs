//! The terminal front end, run as a user runs it: the real binary from the repository root.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn faqbot(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DISCORD_TOKEN")
        .env_remove("RUST_LOG");
    cmd
}

fn run(args: &[&str]) -> Output {
    faqbot(args).output().expect("faqbot runs")
}

fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = faqbot(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("faqbot starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("faqbot finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn ask_prints_the_answer_and_further_reading() {
    let out = run(&["ask", "how much do backend developers earn?"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("What Is The Average Salary Of A Back-End Web Developer?"),
        "{stdout}"
    );
    assert!(stdout.contains("$60,000"));
    assert!(stdout.contains("Further Reading:") && stdout.contains("https://"));
}

#[test]
fn ask_json_has_exactly_the_documented_keys() {
    let out = run(&["ask", "--json", "backend developer salary"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "alternatives",
            "answer",
            "best",
            "further_reading",
            "outcome",
            "related"
        ]
    );
    assert_eq!(v["outcome"], "answered");
    assert_eq!(v["best"]["id"], 6);
    let best = v["best"].as_object().expect("best");
    assert_eq!(best.len(), 3);
    assert!(best["score"]
        .as_f64()
        .is_some_and(|s| (0.0..=1.0).contains(&s)));
    for link in v["further_reading"].as_array().expect("links") {
        assert_eq!(link.as_object().expect("link").len(), 2);
        assert!(link["url"].as_str().expect("url").starts_with("https://"));
    }
}

#[test]
fn ask_json_from_stdin_answers_every_line_even_bad_ones() {
    let mut input = b"backend developer salary\n\nwhat's for dinner\n".to_vec();
    input.extend_from_slice(b"bad \xff\xfe bytes\n");
    input.extend_from_slice("🙂🙂🙂\n".as_bytes());
    input.extend_from_slice(&vec![b'x'; 100_000]);
    input.push(b'\n');
    let out = run_with_stdin(&["ask", "--json", "-"], &input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["outcome"], "answered");
    for v in &lines[1..] {
        assert_ne!(v["outcome"], "answered", "{v}");
        assert!(v["best"].is_null() && v["answer"].is_null());
    }
    assert!(text(&out.stderr).contains("line 4 is not valid UTF-8"));
}

#[test]
fn ask_explain_shows_the_scores() {
    let out = run(&["ask", "--explain", "what does a backnd dev do"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Top candidates"), "{stdout}");
    assert!(stdout.contains("typo for \"backend\""), "{stdout}");
    assert!(stdout.contains("coverage") && stdout.contains("Outcome: answered"));
}

#[test]
fn unsure_and_no_match_say_so() {
    let out = run(&["ask", "how much does a pilot earn"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Did you mean"), "{stdout}");
    let out = run(&["ask", "what's for dinner"]);
    assert!(text(&out.stdout).contains("none of the FAQs answers that"));
    assert!(out.status.success());
}

#[test]
fn eval_on_the_dev_set_meets_the_bar() {
    let out = run(&[
        "eval",
        "--cases",
        "eval/dev.jsonl",
        "--min-in-scope",
        "0.85",
        "--min-declined",
        "0.90",
    ]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let kinds = stdout
        .lines()
        .find(|l| l.starts_with("by kind:"))
        .unwrap_or_default();
    assert!(
        kinds.contains("para ") && kinds.contains("oos "),
        "{stdout}"
    );
    assert!(stdout.contains("wrong answers:") && stdout.contains("helpful"));
    let out = run(&["eval", "--cases", "eval/dev.jsonl", "--min-score", "1.01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("below the bar"));
}

#[test]
fn list_shows_every_faq() {
    let out = run(&["list"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success());
    assert_eq!(
        stdout.lines().filter(|l| !l.starts_with("       ")).count(),
        20
    );
}

#[test]
fn check_passes_on_the_shipped_data_and_names_the_place_of_a_problem() {
    let out = run(&["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("20 FAQs"));

    let d = common::FaqDir::with_shipped();
    d.write(
        "zz-extra.toml",
        "[[faq]]\nid = 21\nquestion = \"\"\nanswer = \"A.\"\n",
    );
    let dir = d.path().to_str().expect("utf-8 path");
    let out = run(&["check", "--faq-dir", dir]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("zz-extra.toml:3:12: faq[1].question: is empty"),
        "{stderr}"
    );
}

#[test]
fn missing_folder_or_config_is_a_clear_error() {
    let out = run(&["ask", "--faq-dir", "no-such-folder", "hello"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no-such-folder: cannot read the FAQ folder"));
    let out = run(&["ask", "--config", "no-such.toml", "hello"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read config file no-such.toml"));
}

#[test]
fn from_another_folder_without_a_config_file_the_defaults_apply() {
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let faq_dir = common::shipped_faq_dir();
    let faq_dir = faq_dir.to_str().expect("utf-8 path");
    let run_there = |args: &[&str]| {
        faqbot(args)
            .current_dir(elsewhere.path())
            .env_remove("FAQBOT_CONFIG")
            .output()
            .expect("faqbot runs")
    };
    let out = run_there(&[
        "ask",
        "--faq-dir",
        faq_dir,
        "how much do backend developers earn?",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("$60,000"));
    let out = run_there(&["check", "--faq-dir", faq_dir]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("built-in defaults"));
    // A file that is named must exist, wherever it is named.
    let out = faqbot(&["ask", "--faq-dir", faq_dir, "hello"])
        .current_dir(elsewhere.path())
        .env("FAQBOT_CONFIG", "config/faqbot.toml")
        .output()
        .expect("faqbot runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read config file config/faqbot.toml"));
}

#[test]
fn run_without_a_token_is_a_one_line_error_with_exit_code_2() {
    let out = run(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("DISCORD_TOKEN"), "{stderr}");
}

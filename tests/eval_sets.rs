//! The matcher's bars on the labelled sets in the repository, through `faqbot eval` as a
//! maintainer runs it: the shipped knowledge base with `eval/dev.jsonl`, the same
//! knowledge base stripped of everything curated (aliases, keywords, synonyms), and the
//! held-out sets of `eval/own/` (knowledge bases nobody tuned the matcher for).
//!
//! The bars are the figures the matcher reaches today, a little below, so that a change
//! that makes it worse fails here; `faqbot eval --misses` shows why a question missed.

mod common;

use std::path::Path;
use std::process::Command;

fn eval(cases: &Path, faq_dir: &Path, bars: &[(&str, &str)]) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_faqbot"));
    cmd.arg("eval")
        .arg("--cases")
        .arg(cases)
        .arg("--faq-dir")
        .arg(faq_dir)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG");
    for (flag, value) in bars {
        cmd.args([flag, value]);
    }
    let out = cmd.output().expect("faqbot runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{} on {}: {}{stdout}",
        cases.display(),
        faq_dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{}:\n{stdout}", cases.display());
}

fn repo(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn the_shipped_knowledge_base_answers_the_dev_questions() {
    eval(
        &repo("eval/dev.jsonl"),
        &repo("faq"),
        &[
            ("--min-in-scope", "0.85"),
            ("--min-helpful", "0.95"),
            ("--min-declined", "0.9"),
            ("--max-wrong", "0.03"),
        ],
    );
}

/// What a server gets that pastes the same FAQs and curates nothing.
#[test]
fn the_shipped_knowledge_base_without_curation_still_answers_most() {
    let kb = faqbot::knowledge::load_dir(&repo("faq")).expect("shipped FAQs load");
    let d = common::FaqDir::new();
    let plain: String = kb
        .faqs
        .iter()
        .map(|f| common::faq(f.id, &f.question, &f.answer))
        .collect();
    assert!(!plain.contains("aliases") && !plain.contains("keywords"));
    d.write("faq.toml", &plain);
    eval(
        &repo("eval/dev.jsonl"),
        d.path(),
        &[
            ("--min-in-scope", "0.65"),
            ("--min-helpful", "0.8"),
            ("--min-declined", "0.9"),
            ("--max-wrong", "0.03"),
        ],
    );
}

#[test]
fn knowledge_bases_nobody_tuned_for_are_answered_or_declined_safely() {
    for set in ["gym", "game", "clinic"] {
        eval(
            &repo(&format!("eval/own/{set}/cases.jsonl")),
            &repo(&format!("eval/own/{set}/faq")),
            &[
                ("--min-in-scope", "0.45"),
                ("--min-helpful", "0.8"),
                ("--min-off-topic", "0.9"),
                ("--min-traps", "0.8"),
                ("--max-wrong", "0.03"),
            ],
        );
        // Written later, to avoid the FAQs' own words: few are answered outright, but
        // the bot must still decline what no FAQ answers and rarely answer wrongly
        // (40 questions a set: 0.08 is three).
        eval(
            &repo(&format!("eval/own/{set}/paraphrases.jsonl")),
            &repo(&format!("eval/own/{set}/faq")),
            &[
                ("--min-helpful", "0.45"),
                ("--min-declined", "0.85"),
                ("--max-wrong", "0.08"),
            ],
        );
    }
}

/// Eighteen more, added later by helpers who never saw the matcher (`eval/own/README.md`).
/// Their bars are today's figures, lower than the others' where the matcher does worse
/// on them: a food co-op's, a bike-share scheme's and a broadband provider's questions
/// (answered right less often than most, 45%, 39% and 44%; the broadband provider's traps
/// that name common things, "the hotel", "my mobile number", answered wrongly); a festival's and a hotel's paraphrases (none answered
/// right, though most are offered); a photo app's product names made of common words
/// ("a steam game") and a coworking space's places the knowledge base names in passing
/// ("a locker at Ellerby Central station"), answered wrongly; a credit union's three wrong
/// answers (kept unread, a clean check); a driving school's four wrong answers and a
/// council waste service's two off-topic questions answered (both clean, stop 25); a
/// cinema's questions, answered right less often than most, 42% (clean, stop 26, as is
/// a payroll service's).
#[test]
fn the_later_held_out_sets_hold_their_figures() {
    // (set, in scope answered right, wrong answers, traps declined, off-topic declined)
    for (set, in_scope, wrong, traps, off_topic) in [
        ("festival", "0.42", "0.025", "0.85", "0.94"),
        ("photoapp", "0.55", "0.025", "0.85", "0.94"),
        ("dental", "0.5", "0.025", "0.85", "0.94"),
        ("langapp", "0.5", "0.025", "0.85", "0.94"),
        ("cowork", "0.48", "0.035", "0.85", "0.94"),
        ("oss", "0.48", "0.025", "0.85", "0.94"),
        ("hotel", "0.40", "0.025", "0.85", "0.94"),
        ("transit", "0.48", "0.025", "0.85", "0.94"),
        ("grocer", "0.40", "0.025", "0.85", "0.94"),
        ("bikeshare", "0.34", "0.025", "0.85", "0.94"),
        ("vet", "0.48", "0.015", "0.85", "0.94"),
        ("isp", "0.40", "0.055", "0.75", "0.94"),
        ("carhire", "0.52", "0.025", "0.85", "0.94"),
        ("creditunion", "0.55", "0.035", "0.85", "0.94"),
        ("waste", "0.50", "0.025", "0.85", "0.88"),
        ("driving", "0.43", "0.045", "0.85", "0.94"),
        ("cinema", "0.40", "0.025", "0.85", "0.94"),
        ("payroll", "0.46", "0.015", "0.85", "0.94"),
    ] {
        eval(
            &repo(&format!("eval/own/{set}/cases.jsonl")),
            &repo(&format!("eval/own/{set}/faq")),
            &[
                ("--min-in-scope", in_scope),
                ("--min-helpful", "0.78"),
                ("--min-off-topic", off_topic),
                ("--min-traps", traps),
                ("--max-wrong", wrong),
            ],
        );
    }
}

//! The shipped knowledge base matches the seed article, and broken FAQ files give
//! errors that name file, line, column and field.

mod common;

use common::{faq, FaqDir};
use faqbot::knowledge::load_dir;

fn seed_article() -> String {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("eval/seed/backend-web-developer-article.txt");
    std::fs::read_to_string(&file).expect("the seed article is in eval/seed/")
}

#[test]
fn shipped_faqs_are_the_seed_articles_twenty_in_order() {
    let article = seed_article();
    let lines: Vec<&str> = article.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == "Frequently Asked Questions")
        .expect("FAQ section");
    let kb = load_dir(&common::shipped_faq_dir()).expect("shipped FAQs load");
    assert_eq!(kb.faqs.len(), 20);
    for (n, faq) in kb.faqs.iter().enumerate() {
        let id = n as u32 + 1;
        assert_eq!(faq.id, id);
        let heading = lines[start + 1 + 2 * n];
        assert_eq!(heading, format!("{id}. {}", faq.question), "question {id}");
        assert_eq!(lines[start + 2 + 2 * n].trim(), faq.answer, "answer {id}");
        assert!(!faq.slug.is_empty());
    }
}

#[test]
fn shipped_further_reading_is_the_articles_list_without_invented_addresses() {
    let article = seed_article();
    let section = article
        .split("Further Reading")
        .nth(1)
        .expect("Further Reading section");
    let titles: Vec<&str> = section
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .map(str::trim)
        .collect();
    let kb = load_dir(&common::shipped_faq_dir()).expect("shipped FAQs load");
    let shipped: Vec<&str> = kb.readings.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(shipped, titles);
    assert!(kb.readings.iter().all(|r| r.url.is_none()));
}

#[test]
fn every_shipped_answer_carries_two_or_three_related_links() {
    let store = common::shipped_store();
    let k = store.snapshot();
    for faq in k.faqs() {
        let links = k.further_reading(faq.id);
        assert!(
            (2..=3).contains(&links.len()),
            "FAQ {} has {} links",
            faq.id,
            links.len()
        );
        assert!(links.iter().all(|l| l.url.starts_with("https://")));
    }
    // Related by content: the salary FAQ's first links are about earnings.
    let salary = k
        .faqs()
        .iter()
        .find(|f| f.question.contains("Salary"))
        .expect("salary FAQ");
    let titles: Vec<&str> = k
        .further_reading(salary.id)
        .iter()
        .map(|l| l.title.as_str())
        .collect();
    assert!(
        titles[..2]
            .iter()
            .all(|t| t.contains("Salary") || t.contains("Earn")),
        "{titles:?}"
    );
}

#[test]
fn a_chosen_further_reading_list_overrides_the_computed_one() {
    let d = FaqDir::new();
    d.write(
        "a.toml",
        r#"
[[faq]]
id = 1
question = "How do I water tomatoes?"
answer = "Deeply, twice a week."
further_reading = ["pruning"]

[[reading]]
id = "watering"
title = "Watering tomatoes"

[[reading]]
id = "pruning"
title = "Pruning apple trees"
url = "https://example.org/pruning"
"#,
    );
    let store = d.store();
    let links = store.snapshot().further_reading(1).to_vec();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].url, "https://example.org/pruning");
}

#[test]
fn faqs_may_be_split_across_files() {
    let d = FaqDir::new();
    d.write("a.toml", &faq(1, "First question?", "First answer."));
    d.write("b.toml", &faq(2, "Second question?", "Second answer."));
    d.write(".#b.toml", "editor lock file, not TOML");
    d.write("notes.txt", "not an FAQ file");
    let kb = load_dir(d.path()).expect("loads");
    assert_eq!(kb.faqs.iter().map(|f| f.id).collect::<Vec<_>>(), [1, 2]);
}

/// Loads a folder with one broken file and returns the error text.
fn error_for(text: &str) -> String {
    let d = FaqDir::new();
    d.write("broken.toml", text);
    load_dir(d.path()).expect_err("must not load").to_string()
}

#[test]
fn unknown_field_names_file_line_and_field() {
    let e = error_for(&format!(
        "{}[[faq]]\nid = 2\nquestion = \"Q?\"\nanswer = \"A.\"\nanwser = \"typo\"\n",
        faq(1, "Q1?", "A1.")
    ));
    assert!(e.contains("broken.toml:10:"), "{e}");
    assert!(e.contains("faq[2].anwser"), "{e}");
    assert!(e.contains("unknown field"), "{e}");
}

#[test]
fn missing_answer_names_the_entry() {
    let e = error_for("[[faq]]\nid = 1\nquestion = \"Q?\"\n");
    assert!(e.contains("broken.toml:1:"), "{e}");
    assert!(e.contains("faq[1].answer"), "{e}");
    assert!(e.contains("missing field"), "{e}");
}

#[test]
fn duplicate_ids_across_files_name_both_places() {
    let d = FaqDir::new();
    d.write("a.toml", &faq(7, "Q?", "A."));
    d.write("b.toml", &format!("\n\n{}", faq(7, "Other?", "Other.")));
    let e = load_dir(d.path()).expect_err("duplicate").to_string();
    assert!(e.contains("b.toml:4:"), "{e}");
    assert!(e.contains("duplicate id 7"), "{e}");
    assert!(e.contains("a.toml:2"), "{e}");
}

#[test]
fn empty_question_and_overlong_answer_are_refused() {
    let long = "x".repeat(4097);
    let e = error_for(&format!("{}{}", faq(1, "  ", "A."), faq(2, "Q?", &long)));
    assert!(e.contains("faq[1].question: is empty"), "{e}");
    assert!(e.contains("faq[2].answer: is 4097 characters"), "{e}");
    assert!(e.contains("2 problems"), "{e}");
}

#[test]
fn links_must_be_http() {
    let e = error_for("[[reading]]\nid = \"r\"\ntitle = \"T\"\nurl = \"javascript:alert(1)\"\n");
    assert!(e.contains("broken.toml:4:7"), "{e}");
    assert!(e.contains("reading[1].url"), "{e}");
    assert!(e.contains("not an http(s) link"), "{e}");
}

#[test]
fn unknown_further_reading_reference_is_refused() {
    let e = error_for(&format!(
        "{}\nfurther_reading = [\"nowhere\"]\n",
        faq(1, "Q?", "A.").trim_end()
    ));
    assert!(e.contains("faq[1].further_reading"), "{e}");
    assert!(e.contains("\"nowhere\""), "{e}");
}

#[test]
fn toml_syntax_errors_point_at_the_line() {
    let e = error_for("[[faq]]\nid = 1\nquestion = \"unclosed\nanswer = \"A.\"\n");
    assert!(e.contains("broken.toml:3:"), "{e}");
}

#[test]
fn a_missing_folder_or_one_without_faqs_is_a_clear_error() {
    let e = load_dir(std::path::Path::new("/nonexistent/faqs"))
        .expect_err("missing")
        .to_string();
    assert!(
        e.contains("/nonexistent/faqs") && e.contains("cannot read the FAQ folder"),
        "{e}"
    );
    let d = FaqDir::new();
    let e = load_dir(d.path()).expect_err("empty").to_string();
    assert!(e.contains("no .toml files"), "{e}");
}

#[test]
fn invalid_utf8_file_is_reported_not_a_panic() {
    let d = FaqDir::new();
    std::fs::write(
        d.path().join("bad.toml"),
        b"[[faq]]\nid = 1\nquestion = \"\xff\xfe\"\n",
    )
    .expect("write");
    let e = load_dir(d.path()).expect_err("bad utf-8").to_string();
    assert!(e.contains("bad.toml") && e.contains("UTF-8"), "{e}");
}

/// A FAQ file that became a link to nowhere must fail the load naming it, not drop its
/// FAQs through a load that looks successful.
#[cfg(unix)]
#[test]
fn a_dangling_symlink_or_a_symlink_loop_is_a_problem_naming_the_file() {
    use std::os::unix::fs::symlink;
    let d = FaqDir::new();
    d.write(
        "a.toml",
        &faq(1, "How often should I water tomatoes?", "Twice a week."),
    );
    symlink(d.path().join("gone.toml.bak"), d.path().join("b.toml")).expect("symlink");
    symlink(d.path().join("loop2.toml"), d.path().join("loop1.toml")).expect("symlink");
    symlink(d.path().join("loop1.toml"), d.path().join("loop2.toml")).expect("symlink");
    let e = load_dir(d.path())
        .expect_err("unresolvable links")
        .to_string();
    assert!(e.contains("b.toml: dangling symlink"), "{e}");
    assert!(e.contains("loop1.toml: symlink loop"), "{e}");
    assert!(e.contains("loop2.toml: symlink loop"), "{e}");

    // A store keeps serving the last good set.
    std::fs::remove_file(d.path().join("b.toml")).expect("rm");
    std::fs::remove_file(d.path().join("loop1.toml")).expect("rm");
    std::fs::remove_file(d.path().join("loop2.toml")).expect("rm");
    let store = d.store();
    symlink(d.path().join("gone.toml.bak"), d.path().join("b.toml")).expect("symlink");
    assert!(store.reload().is_err());
    assert_eq!(store.snapshot().faqs().len(), 1);
}

#[test]
fn a_folder_named_like_a_faq_file_is_a_problem() {
    let d = FaqDir::new();
    d.write(
        "a.toml",
        &faq(1, "How often should I water tomatoes?", "Twice a week."),
    );
    std::fs::create_dir(d.path().join("more.toml")).expect("mkdir");
    let e = load_dir(d.path()).expect_err("a folder").to_string();
    assert!(e.contains("more.toml: is a folder"), "{e}");
}

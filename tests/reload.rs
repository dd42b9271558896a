//! Reloading: atomic swaps, summaries, and failed reloads that change nothing.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::{faq, FaqDir};
use faqbot::matcher::Outcome;

#[test]
fn reload_reports_added_removed_and_changed() {
    let d = FaqDir::new();
    d.write(
        "a.toml",
        &[
            faq(1, "Water tomatoes?", "Twice a week."),
            faq(2, "Prune apples?", "In winter."),
        ]
        .concat(),
    );
    let store = d.store();
    d.write(
        "a.toml",
        &[
            faq(1, "Water tomatoes?", "Three times a week."),
            faq(3, "Feed roses?", "In spring."),
        ]
        .concat(),
    );
    let s = store.reload().expect("reload");
    assert_eq!((s.added, s.removed, s.changed), (vec![3], vec![2], vec![1]));
    assert_eq!(s.faqs, 2);
    assert!(store
        .ask("how often to water tomatoes")
        .answer
        .expect("answered")
        .contains("Three"));
}

#[test]
fn broken_faq_file_keeps_previous_answers() {
    let d = FaqDir::new();
    d.write(
        "a.toml",
        &faq(1, "How often should I water tomatoes?", "Twice a week."),
    );
    let store = d.store();
    let before = store.snapshot().generation;
    d.write(
        "a.toml",
        "[[faq]]\nid = 1\nquestion = \"How often should I water tomatoes?\"\n",
    );
    let e = store.reload().expect_err("broken file");
    assert!(
        e.to_string().contains("a.toml:1:") && e.to_string().contains("answer"),
        "{e}"
    );
    assert_eq!(store.snapshot().generation, before);
    assert_eq!(
        store
            .ask("how often should i water tomatoes")
            .answer
            .as_deref(),
        Some("Twice a week.")
    );
    let last = store.last_reload().expect("recorded");
    assert!(last.result.is_err());
}

/// Readers on several threads while the folder flips between two good versions and a
/// broken one: every reply must come wholly from one version (answer and links agree),
/// and no reader may ever see an error or a half-loaded set.
#[test]
fn concurrent_questions_during_reloads_see_one_consistent_set() {
    let version = |v: &str| {
        format!(
            "{}{}[[reading]]\nid = \"r\"\ntitle = \"Watering guide {v}\"\n",
            faq(
                1,
                "How often should I water tomatoes?",
                &format!("Water twice a week. [{v}]")
            ),
            faq(
                2,
                "When should I prune apple trees?",
                &format!("In late winter. [{v}]")
            ),
        )
    };
    let d = FaqDir::new();
    d.write("a.toml", &version("v0"));
    let store = Arc::new(d.store());
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let store = Arc::clone(&store);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut checked = 0u32;
                while !stop.load(Ordering::Relaxed) || checked < 100 {
                    let r = store.ask("how often should i water tomatoes");
                    assert_eq!(r.outcome, Outcome::Answered);
                    let answer = r.answer.expect("answer");
                    let tag = &answer[answer.find('[').expect("tag")..];
                    let v = tag.trim_matches(|c| c == '[' || c == ']');
                    assert_eq!(r.further_reading.len(), 1);
                    assert_eq!(r.further_reading[0].title, format!("Watering guide {v}"));
                    // Two questions on one snapshot come from one generation.
                    let k = store.snapshot();
                    let a = k.ask("when to prune apple trees").answer.expect("answer");
                    let b = k
                        .ask("how often should i water tomatoes")
                        .answer
                        .expect("answer");
                    assert_eq!(
                        a[a.find('[').expect("tag")..],
                        b[b.find('[').expect("tag")..]
                    );
                    checked += 1;
                }
                checked
            })
        })
        .collect();
    let (mut good, mut bad) = (0, 0);
    for i in 1..=60 {
        if i % 3 == 0 {
            d.write("a.toml", "[[faq]]\nid = \"not a number\"\n");
            assert!(store.reload().is_err());
            bad += 1;
        } else {
            d.write("a.toml", &version(&format!("v{i}")));
            store.reload().expect("good reload");
            good += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        assert!(r.join().expect("reader did not panic") >= 100);
    }
    assert_eq!((good, bad), (40, 20));
    // The last write was broken: the last good version (v59) serves.
    assert!(store
        .ask("how often should i water tomatoes")
        .answer
        .expect("answer")
        .contains("[v59]"));
}

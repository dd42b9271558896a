//! Whatever text arrives, the normaliser and matcher return a well-formed reply.

mod common;

use faqbot::matcher::{words, Outcome};
use proptest::prelude::*;

fn check_reply(r: &faqbot::reply::Reply) {
    assert_eq!(r.best.is_some(), r.outcome == Outcome::Answered);
    assert_eq!(r.answer.is_some(), r.outcome == Outcome::Answered);
    assert!(r.alternatives.len() <= 3);
    for c in r.best.iter().chain(&r.alternatives) {
        assert!((0.0..=1.0).contains(&c.score), "{c:?}");
    }
    if r.outcome != Outcome::Answered {
        assert!(r.further_reading.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A broken FAQ file, whatever is in it, is an error naming the file, never a panic.
    #[test]
    fn any_faq_file_loads_or_names_the_file(text in "(\\[\\[faq\\]\\]\n|id = [0-9-]{1,3}\n|question = \"[^\"\n]{0,20}\"\n|answer = '[^'\n]{0,20}'\n|[ -~]{0,20}\n){0,12}") {
        let d = common::FaqDir::new();
        d.write("fuzz.toml", &text);
        match faqbot::knowledge::load_dir(d.path()) {
            Ok(kb) => prop_assert!(kb.faqs.iter().all(|f| f.id > 0 && !f.question.is_empty())),
            // Each problem names the file, or the folder when it is about the folder as a whole.
            Err(e) => prop_assert!(
                !e.problems.is_empty()
                    && e.problems.iter().all(|p| p.file.ends_with("fuzz.toml") || p.file == d.path()),
                "{e}"
            ),
        }
    }

    #[test]
    fn any_text_gets_a_well_formed_reply(q in any::<String>()) {
        let store = common::shipped_store();
        check_reply(&store.ask(&q));
        let words = words(&q);
        prop_assert!(words.iter().all(|w| !w.is_empty() && w.chars().count() <= 40));
    }

    #[test]
    fn chat_like_text_gets_a_well_formed_reply(
        q in "[a-zA-Z0-9 '’\\-?!.,éüß漢字🙂\u{200b}\u{0301}\t\n]{0,200}"
    ) {
        let store = common::shipped_store();
        check_reply(&store.ask(&q));
        check_reply(&store.ask(&q.to_uppercase()));
    }
}

#[test]
fn hostile_inputs_do_not_panic() {
    let store = common::shipped_store();
    let long_word = "a".repeat(100_000);
    let inputs = [
        String::new(),
        " \t\n ".into(),
        "\u{0}\u{7}\u{1b}[31m control".into(),
        "🙂".repeat(5_000),
        "backend ".repeat(20_000),
        long_word,
        "Бэкенд разработчик зарплата backend salary".into(),
        "@everyone what is a backend developer <@&123> <@456>".into(),
        "\u{202e}reversed\u{202c} text".into(),
        "e\u{301}\u{301}\u{301}\u{301}\u{301}".into(),
    ];
    for q in &inputs {
        check_reply(&store.ask(q));
        let k = store.snapshot();
        let _ = k.suggest(q, 25);
    }
}

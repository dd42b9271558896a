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

//! The matcher as a user meets it: chat-style questions, the three outcomes, and the
//! reply's shape. Most tests use a small made-up knowledge base (see `common`), so
//! they test the method rather than the seed's wording.

mod common;

use common::{garden_faqs, FaqDir};
use faqbot::matcher::Outcome;

fn answered_id(store: &faqbot::store::Store, q: &str) -> Option<u32> {
    let r = store.ask(q);
    (r.outcome == Outcome::Answered)
        .then(|| r.best.as_ref().map(|b| b.id))
        .flatten()
}

#[test]
fn chat_variations_of_a_question_reach_the_same_faq() {
    let d = FaqDir::new();
    d.write("garden.toml", &garden_faqs());
    let store = d.store();
    for q in [
        "how often should i water tomato plants",
        "HOW OFTEN SHOULD I WATER TOMATOES???",
        "watering tomatos how often", // typo + plural
        "how often do you water a tomato plant",
        "ｈｏｗ ｏｆｔｅｎ water tomato", // full-width letters
        "  how often   water\ttomato\n",
    ] {
        assert_eq!(answered_id(&store, q), Some(1), "{q:?}");
    }
}

#[test]
fn answer_text_counts_not_only_the_question() {
    let d = FaqDir::new();
    d.write("garden.toml", &garden_faqs());
    let store = d.store();
    // "ladybirds" is only in the aphids answer.
    let r = store.ask("do ladybirds help against aphids");
    assert_eq!(r.best.map(|b| b.id), Some(4));
}

#[test]
fn hyphenated_split_and_joined_words_match_each_other() {
    let d = FaqDir::new();
    d.write(
        "a.toml",
        &[
            common::faq(
                1,
                "What is a back-end developer?",
                "Someone who builds servers.",
            ),
            common::faq(
                2,
                "What is a front-end developer?",
                "Someone who builds pages.",
            ),
            common::faq(
                3,
                "How do I reset my password?",
                "Use the reset link on the login page.",
            ),
            common::faq(
                4,
                "Which Node.js version do you support?",
                "Node.js 20 and newer.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    // Written together what the FAQs write apart.
    assert_eq!(answered_id(&store, "which nodejs version"), Some(4));
    for q in [
        "what is a backend developer",
        "what is a back end developer",
        "what's a BACK-END developer?",
    ] {
        assert_eq!(answered_id(&store, q), Some(1), "{q:?}");
    }
    assert_eq!(
        answered_id(&store, "what is a front end developer"),
        Some(2)
    );
}

#[test]
fn synonyms_and_aliases_come_from_the_data() {
    let d = FaqDir::new();
    d.write("garden.toml", &garden_faqs());
    let store = d.store();
    let reads_fraise_as_strawberry = |store: &faqbot::store::Store| {
        let e = store.snapshot().explain("do fraises grow well in pots");
        e.terms
            .iter()
            .any(|t| t.term.starts_with("strawberr") && t.known())
    };
    assert!(!reads_fraise_as_strawberry(&store));
    d.write(
        "synonyms.toml",
        "[[synonyms]]\nwords = [\"strawberry\", \"fraise\"]\n",
    );
    store.reload().expect("reload");
    assert!(reads_fraise_as_strawberry(&store));
    assert_eq!(answered_id(&store, "do fraises grow well in pots"), Some(5));
}

#[test]
fn unrelated_questions_are_not_answered() {
    let d = FaqDir::new();
    d.write("garden.toml", &garden_faqs());
    let store = d.store();
    for q in [
        "what is the capital of france",
        "good night",
        "how do i change my avatar",
        "",
        "   ",
        "?!?!",
        "🙂🙂🙂",
    ] {
        let r = store.ask(q);
        assert_eq!(r.outcome, Outcome::NoMatch, "{q:?}: {r:?}");
        assert!(r.best.is_none() && r.answer.is_none() && r.further_reading.is_empty());
    }
}

#[test]
fn an_ambiguous_question_is_unsure_and_offers_candidates() {
    let d = FaqDir::new();
    d.write(
        "garden.toml",
        &format!(
            "{}{}",
            garden_faqs(),
            common::faq(
                6,
                "When is the best time to prune pear trees?",
                "Prune pear trees in winter, as apple trees."
            )
        ),
    );
    let store = d.store();
    // Fits apples and pears equally: the bot must not pick one at random.
    let r = store.ask("best time to prune trees");
    assert_eq!(r.outcome, Outcome::Unsure, "{r:?}");
    assert!(r.best.is_none() && r.answer.is_none());
    let ids: Vec<u32> = r.alternatives.iter().map(|c| c.id).collect();
    assert_eq!(&ids[..2], [2, 6], "{ids:?}");
    assert!(r.alternatives.len() <= 3);
    assert!(r.alternatives.windows(2).all(|w| w[0].score >= w[1].score));
    // Naming the tree settles it.
    assert_eq!(
        answered_id(&store, "best time to prune pear trees"),
        Some(6)
    );
}

#[test]
fn shipped_faqs_answer_with_the_answer_and_further_reading() {
    let store = common::shipped_store();
    let r = store.ask("how much do backend developers earn?");
    assert_eq!(r.outcome, Outcome::Answered);
    let best = r.best.expect("best");
    assert_eq!(best.id, 6);
    assert!(best.score > 0.42 && best.score <= 1.0);
    assert!(r.answer.expect("answer").contains("$60,000"));
    assert!((2..=3).contains(&r.further_reading.len()));
}

#[test]
fn overlong_input_is_cut_not_refused() {
    let store = common::shipped_store();
    let mut q = String::from("backend developer salary ");
    q.push_str(&"lorem ipsum ".repeat(10_000));
    let r = store.ask(&q);
    // Matching reads the first 500 characters: the question is there, the filler too.
    assert!(r.outcome != Outcome::Answered || r.best.as_ref().is_some_and(|b| b.id == 6));
}

#[test]
fn a_question_about_another_subject_is_not_answered_confidently() {
    // "coffee" is in most questions: the knowledge base's subject.
    let d = FaqDir::new();
    d.write(
        "coffee.toml",
        &[
            common::faq(
                1,
                "How do I brew coffee with a French press?",
                "Steep coarse grounds for four minutes, then press.",
            ),
            common::faq(
                2,
                "How much caffeine is in a cup of coffee?",
                "About 95 mg in a regular cup.",
            ),
            common::faq(
                3,
                "How should I store coffee beans?",
                "In an airtight container, away from light and heat.",
            ),
            common::faq(
                4,
                "What grind size suits espresso coffee?",
                "A fine grind, like table salt.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    assert_eq!(
        answered_id(&store, "how should i store coffee beans"),
        Some(3)
    );
    assert_eq!(
        answered_id(&store, "how to store beans"),
        Some(3),
        "naming the subject is not required"
    );
    let r = store.ask("how should i store potatoes");
    assert_ne!(r.outcome, Outcome::Answered, "{r:?}");
    // Still offered as a suggestion: it may be what the user meant.
    assert_eq!(r.alternatives.first().map(|c| c.id), Some(3));
}

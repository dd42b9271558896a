//! The matcher on a knowledge base nobody tuned it for: a small bike-rental FAQ with no
//! aliases, keywords or synonyms, asked the way chat users ask. Each test is one
//! mechanism of the matcher (see `src/matcher/mod.rs`), checked as a user would.

mod common;

use common::{faq, store_of, FaqDir};
use faqbot::matcher::{Outcome, Reading};
use faqbot::store::Store;

fn rental_faqs() -> Store {
    store_of(&[
        faq(1, "How do I delete my account?", "Open Settings, choose Account and press Delete account. Your rides and payment details are erased within 30 days."),
        faq(2, "How long does a rental last?", "A standard rental lasts 24 hours from pick-up. Bringing a bike back late costs 5 euros per extra hour, up to the price of one more day."),
        faq(3, "How do I reset my password?", "Tap Forgot password on the login screen and follow the link we email you. The link works for one hour."),
        faq(4, "Can I get my deposit back?", "The 50 euro deposit is refunded to your card within five working days after you return the bike undamaged. A deposit paid by credit card goes back to that card."),
        faq(5, "Do you rent electric bikes?", "Yes: e-bikes cost 35 euros a day and come with a charged battery and a charger. Helmets are kept in the chest by the door."),
        faq(6, "How much can I earn by referring friends?", "Each friend who completes a first rental earns you 10 euros in ride credit."),
    ])
}

/// The FAQ a reply answers with, or else the first one it offers.
fn top(store: &Store, q: &str) -> Option<u32> {
    let r = store.ask(q);
    r.best
        .or_else(|| r.alternatives.first().cloned())
        .map(|c| c.id)
}

fn answered(store: &Store, q: &str) -> Option<u32> {
    let r = store.ask(q);
    (r.outcome == Outcome::Answered)
        .then(|| r.best.map(|b| b.id))
        .flatten()
}

#[test]
fn a_question_about_another_product_is_not_answered_with_ours() {
    let store = rental_faqs();
    assert_eq!(answered(&store, "how do i delete my account"), Some(1));
    for q in [
        "how do i delete my instagram account",
        "how do i reset my netflix password",
    ] {
        let r = store.ask(q);
        assert_ne!(r.outcome, Outcome::Answered, "{q:?}: {r:?}");
    }
}

#[test]
fn two_words_that_name_another_thing_are_not_answered_with_ours() {
    let store = rental_faqs();
    // Each word alone is ours (a deposit; a password), but together they name something
    // these FAQs never talk about.
    for q in ["can i get my deposit back", "how do i reset my password"] {
        assert!(answered(&store, q).is_some(), "{q:?} is answered");
    }
    for q in [
        "how long does a bank deposit take to show up",
        "how do i reset my voice mail password",
    ] {
        let e = store.snapshot().explain(q);
        assert!(
            e.terms.iter().any(|t| t.reading == Reading::Compound),
            "{q:?} has a two-word noun: {:?}",
            e.terms
        );
        assert_ne!(e.reply.outcome, Outcome::Answered, "{q:?}: {:?}", e.reply);
    }
    // A two-word noun the FAQs write themselves ("credit card" in 4's answer) is
    // theirs: no guard, and it finds that FAQ.
    let e = store
        .snapshot()
        .explain("is the deposit refunded to my credit card");
    assert!(!e.terms.iter().any(|t| t.reading == Reading::Compound));
    assert_eq!(
        e.reply.best.as_ref().map(|b| b.id),
        Some(4),
        "{:?}",
        e.reply
    );
}

#[test]
fn a_two_word_noun_of_words_from_different_faqs_is_still_another_thing() {
    let d = FaqDir::new();
    d.write(
        "station.toml",
        &[
            faq(
                1,
                "When is the station open?",
                "The charging station is open from 6:00 to 23:00 every day.",
            ),
            faq(
                2,
                "What do I do if a charger catches fire?",
                "Press the red emergency button and leave the area; staff will come at once.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    assert_eq!(answered(&store, "when is the station open"), Some(1));
    // "fire" is FAQ 2's, "station" FAQ 1's: a fire station is neither's.
    let r = store.ask("when is the fire station open");
    assert_ne!(r.outcome, Outcome::Answered, "{r:?}");
}

#[test]
fn a_question_naming_what_another_faq_is_about_is_not_answered_with_the_one_that_never_says_it() {
    let d = FaqDir::new();
    d.write(
        "hall.toml",
        &[
            faq(
                1,
                "What are your opening hours?",
                "The hall is open from 9:00 to 18:00 on weekdays and from 10:00 to 16:00 on Saturdays. It is closed on Sundays. The lockers keep the hall's hours.",
            ),
            faq(
                2,
                "How does the garage work?",
                "The garage under the building has 80 spaces. The first two hours are free with a ticket stamped at the front desk.",
            ),
            faq(
                3,
                "Can I bring my dog?",
                "Only assistance dogs are allowed inside the hall; other dogs can wait in the garden.",
            ),
            faq(
                4,
                "Can I print here?",
                "Yes: the printer by the entrance prints for 10 cents a page.",
            ),
            faq(
                5,
                "How do I book a meeting room?",
                "Book a meeting room in the app, up to 14 days ahead.",
            ),
            faq(
                6,
                "Can I use the garden?",
                "The garden is open to members from May to September.",
            ),
            faq(7, "Is the studio heated?", "Yes, from October to April."),
            faq(8, "Can I smoke in the studio?", "No, nor in the garden."),
            faq(9, "How many people fit in the studio?", "Up to 300 standing."),
            faq(
                10,
                "Are there lockers?",
                "Yes, by the entrance. A locker costs 2 euros a day; bring your own padlock.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    let offered = |q: &str| {
        let r = store.ask(q);
        assert_eq!(r.outcome, Outcome::Unsure, "{q:?}: {r:?}");
        r.alternatives.iter().map(|c| c.id).collect::<Vec<u32>>()
    };
    assert_eq!(answered(&store, "are you open on saturdays"), Some(1));
    // The garage is what FAQ 2 asks about and the opening hours never mention it: the
    // hall's hours would be a guess. Both are offered instead.
    let ids = offered("is the garage open on saturdays");
    assert!(ids.contains(&1) && ids.contains(&2), "{ids:?}");
    // Also when the other FAQ asks with a word the noun is strongly related to: a
    // printer is what "Can I print here?" is about.
    assert_eq!(answered(&store, "how do i book a meeting room"), Some(5));
    let ids = offered("can i book a meeting room with a printer");
    assert!(ids.contains(&4) && ids.contains(&5), "{ids:?}");
    // A noun another FAQ asks about is no reason to hold back an FAQ that mentions it,
    // if only in its answer.
    assert_eq!(answered(&store, "can my dog wait in the garden"), Some(3));
    // Nor when the FAQ that asks about it is far behind: the lockers keep the hall's
    // hours, as the hours FAQ says in passing.
    assert_eq!(answered(&store, "are the lockers open on sundays"), Some(1));
    // But a close call between the FAQ that asks about the lockers and one that names
    // them in passing is the asker's to make: both are offered.
    let ids = offered("how much are the lockers on saturdays");
    assert!(ids.contains(&1) && ids.contains(&10), "{ids:?}");
    let e = store
        .snapshot()
        .explain("how much are the lockers on saturdays");
    assert!(
        e.held_back
            .as_deref()
            .is_some_and(|why| why.contains("only in passing")),
        "{:?}",
        e.held_back
    );
    // A word that several FAQs ask about is the knowledge base's topic, not another
    // FAQ's subject.
    assert_eq!(
        answered(&store, "how do i book a meeting room in the studio"),
        Some(5)
    );
}

#[test]
fn a_comparison_written_with_vs_is_answered_by_the_faq_that_holds_both_sides() {
    let d = FaqDir::new();
    d.write(
        "plans.toml",
        &[
            faq(
                1,
                "What do the Basic and Pro plans include?",
                "Basic includes 10 rides a month. Pro includes unlimited rides and a free helmet.",
            ),
            faq(
                2,
                "How do I cancel my plan?",
                "Open Settings, choose Plan and press Cancel. You keep your rides until the end of the month.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    // "vs" is a function word, not a name the FAQ fails to mention.
    assert_eq!(answered(&store, "basic vs pro plan"), Some(1));
    assert_eq!(
        answered(&store, "basic versus pro, which is better?"),
        Some(1)
    );
}

#[test]
fn common_words_alone_are_not_an_answer() {
    let store = rental_faqs();
    for q in [
        "what time is it",
        "how long",
        "can i get one",
        "how do i do it",
    ] {
        let r = store.ask(q);
        assert_ne!(r.outcome, Outcome::Answered, "{q:?}: {r:?}");
    }
}

#[test]
fn a_detail_only_the_answer_holds_finds_its_faq() {
    let store = rental_faqs();
    assert_eq!(
        top(&store, "what do you charge if i bring the bike back late"),
        Some(2)
    );
    assert_eq!(top(&store, "where are the helmets kept"), Some(5));
}

#[test]
fn chat_shorthand_and_typos_of_english_words_are_read() {
    let store = rental_faqs();
    assert_eq!(answered(&store, "hwo do i reset my pasword"), Some(3));
    assert_eq!(top(&store, "forgot my pw, how do i reset it"), Some(3));
    // Shorthand written with a slash is read whole: "w/o" is "without" (a stop word),
    // not "w" and an unexplained "o"; "y/o" is "years old".
    let read = |q: &str| {
        let e = store.snapshot().explain(q);
        e.terms.iter().map(|t| t.word.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        read("can i get my deposit back w/o a card"),
        ["deposit", "back", "card"]
    );
    assert_eq!(
        read("can my 12y/o rent a bike"),
        ["12", "years", "old", "rent", "bike"]
    );
    // Chat's spellings of common words are those words, not names the FAQ never
    // mentions: "em" is them (a stop word), "ded" dead, "rong" wrong.
    assert_eq!(
        read("battery is ded, whats rong with em"),
        ["battery", "dead", "wrong"]
    );
    // And so it is in the FAQs: one written with "w/o" meets a question without it.
    let d = FaqDir::new();
    d.write(
        "helmet.toml",
        &faq(
            1,
            "Can I ride w/o a helmet?",
            "No: helmets are required and free at the desk.",
        ),
    );
    let helmet = d.store();
    assert_eq!(answered(&helmet, "can i ride without a helmet"), Some(1));
    // The FAQ's question holds no stray "w" and "o" the question lacks: it fits fully.
    let e = helmet.snapshot().explain("can i ride without a helmet");
    assert!(e.ranked[0].1.fit > 0.99, "{:?}", e.ranked[0]);
    // Interjections are filler, not names the FAQ fails to mention.
    for q in [
        "how do i reset my password omg",
        "bruh how do i reset my password",
        "how do i reset my password wtf",
    ] {
        assert_eq!(answered(&store, q), Some(3), "{q:?}");
    }
    // Spoken spellings are their words: a dropped "g" ("gettin" is getting, a stop
    // word like get), a letter held down ("passworddd", whose own "ss" stays); a
    // dictionary word that ends in "in" stays itself ("thin" is no "thing").
    assert_eq!(
        read("gettin nowhere, how do i reset my passworddd"),
        ["nowhere", "how", "do", "reset", "password"]
    );
    let e = store.snapshot().explain("how do i reset my passworddd");
    let password = e.terms.iter().find(|t| t.word == "password").expect("read");
    assert_eq!(password.reading, Reading::Known, "{password:?}");
    assert_eq!(
        e.reply.best.as_ref().map(|b| b.id),
        Some(3),
        "{:?}",
        e.reply
    );
    assert_eq!(
        read("is the rental helmet too thin"),
        ["rental", "helmet", "thin"]
    );
    // A dropped "g" of the FAQs' own word finds it.
    let faqs = store_of(&[
        faq(
            1,
            "Is there parking?",
            "Yes: 40 spaces behind the hall, free after 6pm.",
        ),
        faq(
            2,
            "Can I bring food?",
            "Only snacks; the bar sells hot food.",
        ),
    ]);
    assert_eq!(answered(&faqs, "wheres the parkin"), Some(1));
    // So are the shorthand asides of chat: "ngl" (not going to lie) says nothing about
    // lying, "btw" nothing about a way, "ofc" nothing about a course.
    assert_eq!(
        read("ngl the rental was fine tbh, can i get my deposit back btw"),
        ["rental", "fine", "deposit", "back"]
    );
    assert_eq!(
        read("ofc i want my deposit back rn"),
        ["deposit", "back", "now"]
    );
    // A knowledge base that uses such a word as its own keeps it ("tf" for TensorFlow).
    let d = FaqDir::new();
    d.write(
        "ml.toml",
        &faq(1, "Which TF version do you use?", "TensorFlow 2.16."),
    );
    let ml = d.store();
    let e = ml.snapshot().explain("what tf version");
    assert!(
        e.terms
            .iter()
            .any(|t| t.word == "tf" && t.reading == Reading::Known),
        "{:?}",
        e.terms
    );
    assert_eq!(e.reply.best.map(|b| b.id), Some(1));
}

#[test]
fn a_real_word_is_not_taken_for_a_typo_of_ours() {
    let store = rental_faqs();
    // "chess" is one letter from the answer's "chest", but it is a word of its own.
    let e = store.snapshot().explain("what are the rules of chess");
    let chess = e.terms.iter().find(|t| t.word == "chess").expect("read");
    assert_eq!(chess.reading, Reading::Unknown);
    assert_ne!(e.reply.outcome, Outcome::Answered);
    // A real typo of ours is still corrected.
    let e = store.snapshot().explain("can i get my deposti back");
    assert!(e
        .terms
        .iter()
        .any(|t| matches!(&t.reading, Reading::Typo { typed } if typed == "deposti")));
}

#[test]
fn a_real_word_with_two_letters_of_ours_swapped_is_read_as_ours() {
    // A real word that is the FAQs' word with two letters swapped, which they never
    // write and the lexicon relates to none of their words, is a slip: "free trail".
    let app = store_of(&[
        faq(
            1,
            "Is there a free trial?",
            "Yes: 14 days, and no card is needed.",
        ),
        faq(2, "Where do I leave my bike?", "In the racks by the door."),
    ]);
    let e = app.snapshot().explain("is there a free trail?");
    assert!(
        e.terms
            .iter()
            .any(|t| matches!(&t.reading, Reading::Typo { typed } if typed == "trail")),
        "{:?}",
        e.terms
    );
    assert_eq!(answered(&app, "is there a free trail?"), Some(1));
    // Where the lexicon relates it to the FAQs' words ("trail" and "track"), it is
    // meant as written.
    let park = store_of(&[
        faq(
            1,
            "Is there a free trial?",
            "Yes: 14 days, and no card is needed.",
        ),
        faq(
            2,
            "Where does the track start?",
            "At the north gate of the park.",
        ),
    ]);
    let e = park.snapshot().explain("where does the trail start");
    let trail = e
        .terms
        .iter()
        .find(|t| t.word == "trail")
        .expect("read as written");
    assert_eq!(trail.reading, Reading::Related, "{trail:?}");
    assert_eq!(top(&park, "where does the trail start"), Some(2));
}

#[test]
fn a_typo_of_a_word_the_faqs_write_only_inflected_is_corrected() {
    let store = rental_faqs();
    // The FAQs write "refunded" only; "refnd" is one letter from "refund", three from that.
    let e = store.snapshot().explain("when do i get my refnd");
    let refund = e
        .terms
        .iter()
        .find(|t| t.word == "refund")
        .expect("corrected");
    assert!(matches!(&refund.reading, Reading::Typo { typed } if typed == "refnd"));
    assert_eq!(top(&store, "when do i get my refnd"), Some(4));
    // A stem that is another word is no base form: "organ" of "organization".
    let faqs = store_of(&[faq(
        1,
        "Which organization runs the club?",
        "A volunteer association.",
    )]);
    let e = faqs.snapshot().explain("is the orgn a charity");
    assert!(
        !e.terms
            .iter()
            .any(|t| matches!(t.reading, Reading::Typo { .. })),
        "{:?}",
        e.terms
    );
}

#[test]
fn british_and_american_spellings_are_one_word() {
    let d = FaqDir::new();
    d.write(
        "shop.toml",
        &[
            faq(
                1,
                "What license is the software under?",
                "The MIT license: use it for anything, including commercial work.",
            ),
            faq(
                2,
                "Can I change the colour of the theme?",
                "Yes: pick any colour under Settings, Appearance.",
            ),
            faq(
                3,
                "How do I organise my files into folders?",
                "Drag files onto a folder in the sidebar; new folders are made with the plus button.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    for (q, id) in [
        ("what licence is it under", 1),
        ("licences?", 1),
        ("can i change the color of the theme", 2),
        ("theme colors", 2),
        ("how do i organize my files", 3),
    ] {
        assert_eq!(answered(&store, q), Some(id), "{q:?}");
    }
}

#[test]
fn the_knowledge_bases_words_come_before_other_english_words() {
    let d = FaqDir::new();
    d.write(
        "blog.toml",
        &[
            faq(
                1,
                "How do I start a new site?",
                "Run quill new myblog: it makes a folder named myblog with a starter site.",
            ),
            faq(
                2,
                "Can my site be in several languages?",
                "Yes: add a folder per language, such as en and de, and list them in the config.",
            ),
            faq(
                3,
                "How do I write a blog post?",
                "Add a Markdown file to the posts folder; it appears on the front page.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    let read = |q: &str| {
        let e = store.snapshot().explain(q);
        e.terms.iter().map(|t| t.word.clone()).collect::<Vec<_>>()
    };
    // "my blog" is no "myblog" of the FAQs: a word that points at something is never
    // the first half of a word written apart.
    assert_eq!(
        read("how do i write a post for my blog"),
        ["how", "do", "write", "post", "blog"]
    );
    assert_eq!(
        answered(&store, "how do i write a post for my blog"),
        Some(3)
    );
    // A clipped plural of the FAQs' word ("langs") comes before an English word one
    // letter away ("lands").
    let e = store.snapshot().explain("can my site do multiple langs");
    assert!(
        e.terms.iter().any(
            |t| matches!(&t.reading, Reading::Typo { typed } if typed == "langs")
                && t.word.starts_with("language")
        ),
        "{:?}",
        e.terms
    );
    assert_eq!(top(&store, "can my site do multiple langs"), Some(2));
}

#[test]
fn a_name_a_letter_away_from_a_word_is_not_that_word() {
    let d = FaqDir::new();
    d.write(
        "site.toml",
        &[
            faq(
                1,
                "How do I preview my site while I edit it?",
                "Run the serve command: the site reloads in your browser whenever you save a file.",
            ),
            faq(
                2,
                "How do I publish my site?",
                "Run the build command and upload the public folder to any web host.",
            ),
            faq(
                3,
                "How do I turn on sync?",
                "Open Settings and switch Sync on; your drafts follow you to every device.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    assert_eq!(answered(&store, "how do i preview my site"), Some(1));
    // "vite" (another tool) is one letter from "site", but typing seldom changes a
    // word's first letter, and in a word this short a changed letter is as likely
    // another word ("vote"): it stays a name the FAQs never mention.
    let e = store
        .snapshot()
        .explain("how do i preview my changes in vite");
    let vite = e
        .terms
        .iter()
        .find(|t| t.word == "vite")
        .expect("read as typed");
    assert_eq!(vite.reading, Reading::Unknown);
    assert_ne!(e.reply.outcome, Outcome::Answered);
    // A short word English has never seen, a letter from ours, is ours mistyped: a
    // common one ("sitr") and one rarer in English ("synk": sync).
    assert_eq!(answered(&store, "how do i publish my sitr"), Some(2));
    let e = store.snapshot().explain("how do i turn on synk");
    assert!(
        e.terms
            .iter()
            .any(|t| matches!(&t.reading, Reading::Typo { typed } if typed == "synk")),
        "{:?}",
        e.terms
    );
    assert_eq!(e.reply.best.map(|b| b.id), Some(3));
}

/// A small app's FAQ: a discount, the computers it runs on, cancelling.
fn app_faqs() -> Store {
    store_of(&[
        faq(
            1,
            "Do you offer a student discount?",
            "Students get 20% off the annual plan with a valid student card.",
        ),
        faq(
            2,
            "What computers does it run on?",
            "It runs on Apple and Windows computers with 8 GB of memory.",
        ),
        faq(
            3,
            "How do I cancel my plan?",
            "Open Billing and press Cancel plan; you keep access until the period ends.",
        ),
    ])
}

#[test]
fn two_nouns_naming_something_the_faq_never_mentions_are_another_thing() {
    let store = app_faqs();
    assert_eq!(answered(&store, "is there a student discount"), Some(1));
    // "apple" is the knowledge base's word and "music" a common one: neither alone is
    // foreign, but together they name a product the discount FAQ never mentions.
    let e = store
        .snapshot()
        .explain("is there a student discount for apple music");
    assert!(
        e.terms
            .iter()
            .any(|t| t.reading == Reading::NounPair && t.word == "apple music"),
        "{:?}",
        e.terms
    );
    assert_ne!(e.reply.outcome, Outcome::Answered);
    assert_eq!(
        top(&store, "is there a student discount for apple music"),
        Some(1)
    );
    // A pair the FAQ holds a word of is its own: the annual plan is the discount's.
    assert_eq!(
        answered(&store, "student discount on the annual plan?"),
        Some(1)
    );
    // Two common words the knowledge base never uses only weigh less: no pair.
    let e = store
        .snapshot()
        .explain("how do i cancel my plan for health reasons");
    assert!(
        e.terms.iter().all(|t| t.reading != Reading::NounPair),
        "{:?}",
        e.terms
    );
    assert_eq!(e.reply.best.map(|b| b.id), Some(3));
}

#[test]
fn words_either_side_of_a_sentences_end_or_a_comma_are_not_read_together() {
    let store = app_faqs();
    let pairs = |q: &str| {
        let e = store.snapshot().explain(q);
        e.terms
            .iter()
            .filter(|t| t.reading == Reading::NounPair)
            .map(|t| t.word.clone())
            .collect::<Vec<_>>()
    };
    // "apple" ends one clause and "music" starts the next: no product "apple music".
    for q in [
        "does it run on my apple. music apps are what i need",
        "does it run on my apple? music apps are what i need",
        "does it run on apple, music apps included",
    ] {
        assert!(!pairs(q).contains(&"apple music".to_string()), "{q:?}");
    }
    assert_eq!(pairs("student discount for apple music"), ["apple music"]);
    // A question word is no noun: "card where" names nothing.
    assert!(pairs("i lost my student card where do i get a new one").is_empty());
    // Two words the FAQs write as one are not joined across a sentence's end: "login"
    // is theirs, "the log. in the app" is not it.
    let login = store_of(&[faq(
        1,
        "Why can't I log in?",
        "Reset your password from the login page.",
    )]);
    let read = |q: &str| {
        let e = login.snapshot().explain(q);
        e.terms.iter().map(|t| t.word.clone()).collect::<Vec<_>>()
    };
    assert!(read("the login page is broken").contains(&"login".to_string()));
    assert!(!read("i read the log. in the app it says nothing").contains(&"login".to_string()));
}

#[test]
fn shorthand_spelled_out_is_one_word_typed_not_two_in_a_row() {
    let store = app_faqs();
    // "pc" is "personal computer": one word typed, not a two-word noun the FAQ (which
    // says "computers") would have to hold both words of.
    let e = store.snapshot().explain("does it run on my pc");
    assert!(
        e.terms
            .iter()
            .all(|t| !matches!(t.reading, Reading::Compound | Reading::NounPair)),
        "{:?}",
        e.terms
    );
    assert_eq!(e.reply.outcome, Outcome::Answered, "{:?}", e.held_back);
    assert_eq!(e.reply.best.map(|b| b.id), Some(2));
}

#[test]
fn a_common_typo_english_lists_but_does_not_know_is_corrected_not_taken_for_a_name() {
    let store = rental_faqs();
    // "ther" is frequent enough in chat to be listed among English words, yet no
    // dictionary knows it: it is "the"/"there" mistyped, not a name the FAQ never says.
    let e = store
        .snapshot()
        .explain("is ther a way to get my deposit back");
    assert!(e.terms.iter().all(|t| t.word != "ther"), "{:?}", e.terms);
    assert_eq!(e.reply.outcome, Outcome::Answered, "{:?}", e.held_back);
    assert_eq!(e.reply.best.map(|b| b.id), Some(4));
    // Most such words are names and acronyms, not typos: they stay what they are.
    for (q, name) in [
        ("do you rent hdr bikes", "hdr"),
        ("can i pay for a rental with lyft", "lyft"),
    ] {
        let e = store.snapshot().explain(q);
        let t = e.terms.iter().find(|t| t.word == name);
        assert!(
            t.is_some_and(|t| t.reading == Reading::Unknown),
            "{q:?}: {:?}",
            e.terms
        );
    }
}

/// A café's FAQ with a hyphenated word and a help FAQ.
fn cafe_faqs() -> Store {
    store_of(&[
        faq(
            1,
            "What food do you serve?",
            "Sandwiches, soups and cakes, with gluten-free bread on request.",
        ),
        faq(
            2,
            "Do you have wifi?",
            "Yes: the network is Cafe-Guest and the password is on your receipt.",
        ),
        faq(
            3,
            "Can I book a table?",
            "Tables for six or more can be booked by phone a day ahead.",
        ),
        faq(
            4,
            "Where can I get help?",
            "Ask at the counter, or write to us: we answer within a day.",
        ),
    ])
}

#[test]
fn a_word_the_faq_writes_hyphenated_is_one_it_mentions() {
    let store = cafe_faqs();
    let e = store.snapshot().explain("is there any food without gluten");
    let gluten = e.terms.iter().find(|t| t.word == "gluten").expect("read");
    assert_eq!(
        gluten.reading,
        Reading::Part {
            of: "gluten-free".into()
        }
    );
    assert!(!gluten.foreign, "{gluten:?}");
    assert_eq!(top(&store, "is there any food without gluten"), Some(1));
    assert_eq!(answered(&store, "gluten free food?"), Some(1));
    // Mistyped, it is still the FAQs' word: a part is searched for typos like the rest.
    let e = store.snapshot().explain("any glutan free food");
    let gluten = e
        .terms
        .iter()
        .find(|t| t.word == "gluten")
        .expect("corrected");
    assert!(matches!(gluten.reading, Reading::Part { .. }), "{gluten:?}");
    assert_eq!(
        e.reply.best.as_ref().map(|b| b.id),
        Some(1),
        "{:?}",
        e.reply
    );
    // A name written with a hyphen ("Cafe-Guest") lends its parts to nothing.
    let e = store.snapshot().explain("can i bring a guest");
    let guest = e.terms.iter().find(|t| t.word == "guest").expect("read");
    assert_eq!(guest.reading, Reading::Unknown, "{guest:?}");
    assert_ne!(e.reply.outcome, Outcome::Answered);
}

#[test]
fn a_thank_you_is_not_a_question() {
    let store = cafe_faqs();
    for q in [
        "thanks, that helped a lot!",
        "thanks, you saved my day mate",
        "ty so much, great help",
        "thank you for the quick answer",
        // A verb after "that" or "it" tells what the answer did, though an FAQ asks it.
        "thanks, that booked it",
        "ty, it is booked now",
    ] {
        let r = store.ask(q);
        assert_eq!(r.outcome, Outcome::NoMatch, "{q:?}: {r:?}");
        assert!(r.alternatives.is_empty(), "{q:?}: {r:?}");
    }
    // Thanks with a request still asks: for "thanks in advance", and for a word an
    // FAQ's own question holds.
    for (q, faq) in [
        ("wifi password pls, thx", 2),
        ("table for six tonight, thanks in advance", 3),
    ] {
        assert_eq!(top(&store, q), Some(faq), "{q:?}");
    }
    // Thanks and a question: the question is answered.
    assert_eq!(
        answered(&store, "thanks! is the wifi password on the receipt"),
        Some(2)
    );
    assert_eq!(answered(&store, "ty, and can i book a table?"), Some(3));
    // The verb first asks, question mark or not; so does a question after "thank you".
    assert_eq!(top(&store, "thanks, is it booked"), Some(3));
    assert_eq!(
        top(&store, "thank you, can i book a table for six"),
        Some(3)
    );
}

#[test]
fn related_english_words_lead_to_the_faq() {
    let store = rental_faqs();
    // "make" is how people say "earn", in any of its forms.
    assert_eq!(top(&store, "how much do i make per referral"), Some(6));
    assert_eq!(
        top(&store, "how much money does one make per referral"),
        Some(6)
    );
    assert_eq!(top(&store, "how much am i making per referral"), Some(6));
    // The lexicon relates a pair from one side or the other: "trainer" leads to train,
    // though "training" does not list trainer. Either side will do.
    let gym = store_of(&[
        faq(
            1,
            "Do you offer personal training?",
            "Yes: sessions with a coach cost 40 euros an hour.",
        ),
        faq(
            2,
            "Where do I leave personal belongings?",
            "Lockers by the changing rooms take a 1 euro coin.",
        ),
    ]);
    let e = gym.snapshot().explain("is there a personal trainer");
    let trainer = e.terms.iter().find(|t| t.word == "trainer").expect("read");
    assert_eq!(trainer.reading, Reading::Related, "{trainer:?}");
    assert_eq!(top(&gym, "is there a personal trainer"), Some(1));
    // A word is followed as written or by its base form, never by its stem: "mobile"
    // and "mobilize" (related to "rally") share the stem "mobil" and nothing else.
    let club = store_of(&[faq(
        1,
        "When is the next rally?",
        "The spring rally starts at the town hall on 4 May.",
    )]);
    let e = club.snapshot().explain("is there a mobile app");
    let mobile = e.terms.iter().find(|t| t.word == "mobile").expect("read");
    assert!(!mobile.known(), "{mobile:?}");
    assert_eq!(e.reply.best, None, "{:?}", e.reply);
    // Nor the other way: "rally" leads to "mobilize", which is no "mobile".
    let faqs = store_of(&[faq(
        1,
        "Is there a mobile app?",
        "Yes, for iOS and Android.",
    )]);
    let e = faqs.snapshot().explain("when is the next rally");
    let rally = e.terms.iter().find(|t| t.word == "rally").expect("read");
    assert!(!rally.known(), "{rally:?}");
}

#[test]
fn a_word_of_ours_also_finds_the_faq_that_says_it_otherwise() {
    let shop = |receipt_alias: &str| {
        [
            faq(1, "Can I return something I bought?", "Yes, within 14 days, unused and in its box. Bring it to the counter with your order number."),
            faq(2, "Where do I find my receipt?", "Every purchase shows up under Orders in your account, with a receipt you can download.")
                .replace("\n\n", &format!("\n{receipt_alias}\n\n")),
            faq(3, "How long does delivery take?", "Parcels arrive in two to four working days."),
        ]
        .concat()
    };
    let d = FaqDir::new();
    d.write("shop.toml", &shop(""));
    let store = d.store();
    // "purchase" is in FAQ 2's answer, but the FAQ about returning one says "bought".
    assert_eq!(answered(&store, "can i return a purchase"), Some(1));
    // So does a typo of it.
    assert_eq!(answered(&store, "can i return a purchse"), Some(1));
    // The user's own word still comes first: a receipt for a purchase is FAQ 2's.
    assert_eq!(top(&store, "receipt for my purchase"), Some(2));
    // An alias (say, a user's phrasing approved for FAQ 2) that holds the word does not
    // make it FAQ 2's alone: FAQ 2's own question does not say "purchase".
    d.write(
        "shop.toml",
        &shop(r#"aliases = ["is there a receipt for every purchase"]"#),
    );
    let store = d.store();
    assert_eq!(answered(&store, "can i return a purchase"), Some(1));
}

#[test]
fn two_people_asking_the_same_thing_differently_get_the_same_faq() {
    let store = rental_faqs();
    for q in [
        "How do I delete my account?",
        "delete account",
        "pls delete my acct",
        "how can i remove my account and data",
    ] {
        assert_eq!(top(&store, q), Some(1), "{q:?}");
    }
}

#[test]
fn the_askers_own_numbers_and_quantities_do_not_pick_the_faq() {
    let store = rental_faqs();
    // "30" is the asker's age; the account FAQ's "30 days" shares it by chance.
    assert_eq!(answered(&store, "im 30, can i rent an e-bike"), Some(5));
    // A time or amount the FAQs never write names no subject: it weighs little and
    // does not hold the answer back as something the FAQ never mentions.
    let e = store
        .snapshot()
        .explain("i bring the bike back at 9pm, 3hrs late, what does each extra hour cost");
    let rare = e.terms.iter().map(|t| t.info).fold(0.0, f32::max);
    for quantity in ["9pm", "3hrs"] {
        let t = e.terms.iter().find(|t| t.word == quantity);
        assert!(
            t.is_some_and(|t| t.reading == Reading::Unknown && t.info < rare / 4.0),
            "{quantity}: {:?}",
            e.terms
        );
    }
    assert_eq!(e.reply.outcome, Outcome::Answered, "{:?}", e.held_back);
    assert_eq!(e.reply.best.map(|b| b.id), Some(2));
}

#[test]
fn an_abbreviation_in_the_plural_is_the_faqs_word() {
    let d = FaqDir::new();
    d.write(
        "shop.toml",
        &[
            faq(1, "Can I get an invoice?", "Every order comes with an invoice as a PDF, sent to your email once the order ships."),
            faq(2, "How do I change my email address?", "Open Settings, then Profile, and type the new address; we send a link to confirm it."),
        ]
        .concat(),
    );
    let store = d.store();
    // The stemmer keeps the "s" of a word without a vowel: "pdfs" is still the FAQs' PDF.
    let e = store.snapshot().explain("can i get all my orders as pdfs");
    let t = e.terms.iter().find(|t| t.word == "pdfs");
    assert!(
        t.is_some_and(|t| t.reading == Reading::Known),
        "{:?}",
        e.terms
    );
    assert_eq!(e.reply.best.map(|b| b.id), Some(1), "{:?}", e.held_back);
}

#[test]
fn two_common_words_written_together_weigh_what_they_are() {
    let d = FaqDir::new();
    d.write(
        "club.toml",
        &[
            faq(
                1,
                "Can children join the club?",
                "Children from 6 years old join with a parent; the junior fee is 40 euros a year.",
            ),
            faq(
                2,
                "Where do I park?",
                "Members park free in the yard behind the old mill.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    // "4-year-old" is read "4", "year", "old" (words the FAQs use), each as common
    // as it is: "yearold" is not one rare word.
    let e = store.snapshot().explain("can my 4-year-old join");
    let info = |w: &str| e.terms.iter().find(|t| t.word == w).map(|t| t.info);
    let join = info("join").unwrap_or(0.0);
    for w in ["year", "old"] {
        assert!(info(w).is_some_and(|i| i < join), "{w}: {:?}", e.terms);
    }
    assert_eq!(e.reply.best.map(|b| b.id), Some(1), "{:?}", e.held_back);
}

#[test]
fn the_chat_words_of_an_alias_do_not_tell_its_faq_apart() {
    let d = FaqDir::new();
    // An alias as the learning loop adds them: a person's question, word for word.
    let alias = "the app cant even start anymore, so annoying";
    let app = faq(1, "Why does the app not open?", "Update the app from your phone's store; if it still closes on start, reinstall it and sign in again.")
        .replace("\n\n", &format!("\naliases = [{alias:?}]\n\n"));
    d.write(
        "bikes.toml",
        &[
            app,
            faq(
                2,
                "How do I charge the e-bike battery?",
                "Plug the charger into the port under the saddle; a full charge takes four hours.",
            ),
        ]
        .concat(),
    );
    let store = d.store();
    // The alias still answers the way it was asked.
    assert_eq!(answered(&store, alias), Some(1));
    let e = store
        .snapshot()
        .explain("my battery cant charge anymore, so annoying");
    let info = |w: &str| e.terms.iter().find(|t| t.word == w).map(|t| t.info);
    // "anymore" and "annoying" are the FAQs' words only through that alias: they weigh
    // what they would if no FAQ used them, not what a word one FAQ writes does.
    let battery = info("battery").unwrap_or(0.0);
    for w in ["anymore", "annoying"] {
        assert!(
            info(w).is_some_and(|i| i < battery / 4.0),
            "{w}: {:?}",
            e.terms
        );
    }
    // Chat shorthand only an alias holds is read as in any question: "cant" is
    // "cannot", not a word of the app FAQ.
    assert_eq!(info("cant"), None, "{:?}", e.terms);
    assert_eq!(e.reply.outcome, Outcome::Answered, "{:?}", e.held_back);
    assert_eq!(e.reply.best.map(|b| b.id), Some(2));
}

#[test]
fn an_alias_does_not_make_another_faqs_words_commoner() {
    let battery = faq(
        1,
        "How do I charge the e-bike battery?",
        "Plug the charger into the port under the saddle; a full charge takes four hours.",
    );
    let app = |aliases: &str| {
        faq(
            2,
            "Why does the app not open?",
            "Update the app from your phone's store, then reinstall it.",
        )
        .replace("\n\n", &format!("\n{aliases}\n\n"))
    };
    // The battery FAQ's score, and how much "battery" weighs, for a question.
    let read = |aliases: &str, question: &str| {
        let d = FaqDir::new();
        d.write("bikes.toml", &[battery.clone(), app(aliases)].concat());
        let e = d.store().snapshot().explain(question);
        let score = e
            .ranked
            .iter()
            .find(|(c, _)| c.id == 1)
            .map(|(c, _)| c.score)
            .expect("the battery FAQ is ranked");
        let info = e.terms.iter().find(|t| t.word == "battery").map(|t| t.info);
        (score, info)
    };
    // A person's phrasing, learned for the app FAQ, names the battery and the saddle:
    // the battery is still the battery FAQ's word, as rare as the FAQs' own text makes
    // it, and the saddle still a detail only its answer holds.
    let learned = r#"aliases = ["my battery died under the saddle and now the app wont open"]"#;
    for question in [
        "how long does the battery take to charge",
        "where is the port under the saddle",
    ] {
        assert_eq!(read(learned, question), read("", question), "{question}");
    }
}

fn course_faqs() -> Store {
    store_of(&[
        faq(1, "When are assignments due?", "Weekly assignments are due on Fridays at 23:59, and the schedule is pinned in #announcements."),
        faq(2, "What happens if I hand in an assignment late?", "A late assignment loses 10% of its mark for each day it is late, up to three days."),
        faq(3, "How do I submit my work?", "Upload each assignment as a zip file on the course portal before the deadline."),
        faq(4, "Am I allowed to use AI tools like ChatGPT?", "You may use AI assistants to explain concepts, not to write the code you hand in. Add a note to your submission saying how you used one."),
        faq(5, "How do I get extra time in exams?", "Register with the accessibility office, which arranges extra time and a quiet room."),
        faq(6, "When are office hours?", "Office hours are on Tuesdays from 14:00 to 16:00 in room B12."),
        faq(7, "How is the final grade calculated?", "Assignments make up 40% of the grade, the midterm 20% and the final exam 40%."),
        faq(8, "How do I enrol?", "Enrol through the university's registration system during the registration window."),
    ])
}

#[test]
fn a_word_the_faqs_say_otherwise_throughout_is_their_theme_not_another_thing() {
    let store = course_faqs();
    // "homework" is no word of the FAQs, but the assignments it is related to run
    // through four of the eight: the AI FAQ, which never says it, is still the answer.
    for q in [
        "can i use chatgpt for my homework",
        "is chatgpt allowed for homework or nah",
    ] {
        assert_eq!(answered(&store, q), Some(4), "{q:?}");
    }
    // "quiz" is related to the exams of two FAQs only: another thing than AI tools.
    let q = "can i use chatgpt during the quiz";
    assert_eq!(answered(&store, q), None);
    assert_eq!(top(&store, q), Some(4));
    // A word related to none of the FAQs' words is another thing as before.
    assert_eq!(
        answered(&store, "can i use chatgpt for my dissertation"),
        None
    );
}

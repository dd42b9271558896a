//! Match latency on the shipped FAQs and on a generated knowledge base of 10,000 FAQs,
//! and index build time. Run with `cargo bench --bench matcher`.

#[path = "common/generated.rs"]
mod generated;

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use faqbot::knowledge::{load_dir, KnowledgeBase};
use faqbot::links::LinkSettings;
use faqbot::matcher::MatchSettings;
use faqbot::store::Snapshot;

const SEED_QUESTIONS: &[(&str, &str)] = &[
    ("answered", "how much does a backend developer earn a year"),
    ("typo", "what does a backnd devloper do"),
    ("unsure", "how much does a pilot earn"),
    ("no_match", "what's for dinner tonight"),
    ("long", "I am a junior developer and I have been wondering for a while now which skills and tools I should learn first to become a back-end web developer, any advice?"),
];

fn shipped() -> KnowledgeBase {
    load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("faq")).expect("shipped FAQs")
}

/// A knowledge base of `n` generated FAQs (ids 1..=n) and 10 readings.
fn generated(n: usize) -> KnowledgeBase {
    let text = generated::faqs_toml(
        n,
        &generated::Shape {
            seed: 42,
            vocabulary: 20_000,
            question_words: (6, 5),
            answer_words: (80, 40),
            first_id: 1,
            readings: 10,
        },
    );
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("generated.toml"), text).expect("write");
    load_dir(dir.path()).expect("generated FAQs load")
}

fn bench(c: &mut Criterion) {
    let links = LinkSettings::default();
    let seed = Snapshot::build(shipped(), MatchSettings::default(), &links);
    let mut group = c.benchmark_group("match_seed_20_faqs");
    for (name, q) in SEED_QUESTIONS {
        group.bench_function(*name, |b| b.iter(|| seed.ask(black_box(q))));
    }
    group.finish();

    let kb = generated(10_000);
    let big = Snapshot::build(kb.clone(), MatchSettings::default(), &links);
    // Questions made of words from real FAQs of the generated set, plus an unknown word.
    let questions: Vec<String> = [17u32, 4_242, 9_999]
        .iter()
        .map(|&id| {
            let f = kb.faq(id).expect("generated FAQ");
            let words: Vec<&str> = f.question.split(' ').take(4).collect();
            format!("how do I {} zzyzx", words.join(" "))
        })
        .collect();
    let mut group = c.benchmark_group("match_generated_10k_faqs");
    for (i, q) in questions.iter().enumerate() {
        group.bench_function(format!("question_{i}"), |b| {
            b.iter(|| big.ask(black_box(q)))
        });
    }
    group.bench_function("autocomplete", |b| {
        b.iter(|| big.suggest(black_box("kalo mi"), 25))
    });
    group.finish();

    let mut group = c.benchmark_group("index_build");
    group.sample_size(10);
    group.bench_function("seed_20_faqs", |b| {
        let kb = shipped();
        b.iter(|| Snapshot::build(kb.clone(), MatchSettings::default(), &links))
    });
    group.bench_function("generated_10k_faqs", |b| {
        b.iter(|| Snapshot::build(kb.clone(), MatchSettings::default(), &links))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

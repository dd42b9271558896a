//! Match latency on the shipped FAQs and on a generated knowledge base of 10,000 FAQs,
//! and index build time. Run with `cargo bench --bench matcher`.

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

/// Deterministic pseudo-random numbers: the benchmark data must be the same every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// A knowledge base of `n` FAQs over a vocabulary of made-up words, with the skewed word
/// frequencies of real text (a few words everywhere, most words rare).
fn generated(n: usize) -> KnowledgeBase {
    let mut rng = Lcg(42);
    let syllables = [
        "ka", "lo", "mi", "ter", "zan", "qui", "bro", "vel", "dor", "pha", "sen", "wu", "rix",
        "ton", "ael",
    ];
    let vocab: Vec<String> = (0..20_000)
        .map(|_| {
            (0..2 + rng.next(3))
                .map(|_| syllables[rng.next(syllables.len())])
                .collect()
        })
        .collect();
    let word = |rng: &mut Lcg| {
        // Squaring skews towards the front of the vocabulary: a Zipf-like spread.
        let r = rng.next(1000) as f64 / 1000.0;
        vocab[(r * r * vocab.len() as f64) as usize].clone()
    };
    let mut text = String::new();
    for id in 1..=n {
        let q: Vec<String> = (0..6 + rng.next(5)).map(|_| word(&mut rng)).collect();
        let a: Vec<String> = (0..80 + rng.next(40)).map(|_| word(&mut rng)).collect();
        text.push_str(&format!(
            "[[faq]]\nid = {id}\nquestion = \"{}?\"\nanswer = \"{}.\"\n\n",
            q.join(" "),
            a.join(" ")
        ));
    }
    for i in 0..10 {
        let t: Vec<String> = (0..6).map(|_| word(&mut rng)).collect();
        text.push_str(&format!(
            "[[reading]]\nid = \"r{i}\"\ntitle = \"{}\"\n\n",
            t.join(" ")
        ));
    }
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

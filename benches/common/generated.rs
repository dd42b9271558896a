//! Generated knowledge bases for the benchmarks: made-up words with the skewed word
//! frequencies of real text (a few words everywhere, most words rare), deterministic
//! so that every run measures the same data.

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

/// How a generated knowledge base looks. Each bench keeps its own, so its figures stay
/// comparable with the ones measured before.
pub struct Shape {
    pub seed: u64,
    /// Distinct words.
    pub vocabulary: usize,
    /// Words per question: at least the first, plus up to the second less one.
    pub question_words: (usize, usize),
    pub answer_words: (usize, usize),
    pub first_id: usize,
    /// `[[reading]]` entries after the FAQs.
    pub readings: usize,
}

/// `n` FAQs in faqbot's TOML format.
pub fn faqs_toml(n: usize, shape: &Shape) -> String {
    let mut rng = Lcg(shape.seed);
    let syllables = [
        "ka", "lo", "mi", "ter", "zan", "qui", "bro", "vel", "dor", "pha", "sen", "wu", "rix",
        "ton", "ael",
    ];
    let vocab: Vec<String> = (0..shape.vocabulary)
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
    let mut text = String::with_capacity(n * 250);
    for i in 0..n {
        let (q_min, q_spread) = shape.question_words;
        let (a_min, a_spread) = shape.answer_words;
        let q: Vec<String> = (0..q_min + rng.next(q_spread))
            .map(|_| word(&mut rng))
            .collect();
        let a: Vec<String> = (0..a_min + rng.next(a_spread))
            .map(|_| word(&mut rng))
            .collect();
        text.push_str(&format!(
            "[[faq]]\nid = {}\nquestion = \"{}?\"\nanswer = \"{}.\"\n\n",
            shape.first_id + i,
            q.join(" "),
            a.join(" ")
        ));
    }
    for i in 0..shape.readings {
        let t: Vec<String> = (0..6).map(|_| word(&mut rng)).collect();
        text.push_str(&format!(
            "[[reading]]\nid = \"r{i}\"\ntitle = \"{}\"\n\n",
            t.join(" ")
        ));
    }
    text
}

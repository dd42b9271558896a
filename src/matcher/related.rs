//! Choosing the Further Reading entries most related to each FAQ, from the texts alone,
//! so a server that adds FAQs gets links without curating them.

use std::collections::HashMap;

use super::Index;
use crate::knowledge::KnowledgeBase;

/// A third entry is shown only when it is at least this related, relative to the first.
const THIRD_ENTRY_SHARE: f32 = 0.6;

/// For each FAQ (same order as `kb.faqs`), positions in `kb.readings`: the FAQ's own
/// `further_reading` list when it has one, else the two or three closest titles.
pub fn related_readings(kb: &KnowledgeBase, index: &Index) -> Vec<Vec<usize>> {
    let titles: Vec<HashMap<String, f32>> = kb
        .readings
        .iter()
        .map(|r| index.weighted_terms(&r.title))
        .collect();
    kb.faqs
        .iter()
        .map(|faq| {
            if let Some(chosen) = &faq.further_reading {
                return chosen
                    .iter()
                    .filter_map(|id| kb.readings.iter().position(|r| &r.id == id))
                    .collect();
            }
            // The question counts twice: it names the topic, the answer wanders.
            let text = format!("{q} {q} {a}", q = faq.question, a = faq.answer);
            let faq_terms = index.weighted_terms(&text);
            let mut scored: Vec<(usize, f32)> = titles
                .iter()
                .enumerate()
                .map(|(i, t)| (i, cosine(&faq_terms, t)))
                .filter(|(_, s)| *s > 0.0)
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let top = scored.first().map_or(0.0, |s| s.1);
            scored
                .into_iter()
                .enumerate()
                .take_while(|(rank, (_, s))| *rank < 2 || (*rank == 2 && *s >= THIRD_ENTRY_SHARE * top))
                .map(|(_, (i, _))| i)
                .collect()
        })
        .collect()
}

fn cosine(a: &HashMap<String, f32>, b: &HashMap<String, f32>) -> f32 {
    let dot: f32 = a
        .iter()
        .filter_map(|(t, w)| b.get(t).map(|v| v * w))
        .sum();
    let norm = |m: &HashMap<String, f32>| m.values().map(|v| v * v).sum::<f32>().sqrt();
    let n = norm(a) * norm(b);
    if n > 0.0 {
        dot / n
    } else {
        0.0
    }
}

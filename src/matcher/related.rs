//! Choosing the Further Reading entries most related to each FAQ, from the texts alone,
//! so a server that adds FAQs gets links without curating them.

use super::Index;
use crate::knowledge::KnowledgeBase;

/// A third entry is shown only when it is at least this related, relative to the first.
const THIRD_ENTRY_SHARE: f32 = 0.6;

/// For each FAQ (same order as `kb.faqs`), positions in `kb.readings`: the FAQ's own
/// `further_reading` list when it has one, else the two or three closest titles.
pub fn related_readings(kb: &KnowledgeBase, index: &Index) -> Vec<Vec<usize>> {
    let norms = index.doc_norms();
    // Scored from the readings' side: a title has a handful of terms, so walking their
    // postings is cheap even with 10,000 FAQs.
    let mut per_doc: Vec<Vec<(usize, f32)>> = vec![Vec::new(); kb.faqs.len()];
    // How related each entry is to the knowledge base as a whole: the tie-breaker, so
    // that an FAQ sharing no topic with any title still gets the most general entries.
    let mut general = vec![0.0f32; kb.readings.len()];
    for (r, reading) in kb.readings.iter().enumerate() {
        for (doc, similarity) in index.similar_docs(&reading.title, &norms) {
            per_doc[doc].push((r, similarity));
            general[r] += similarity;
        }
    }
    kb.faqs
        .iter()
        .zip(per_doc)
        .map(|(faq, mut scored)| {
            if let Some(chosen) = &faq.further_reading {
                return chosen
                    .iter()
                    .filter_map(|id| kb.readings.iter().position(|r| &r.id == id))
                    .collect();
            }
            for r in 0..kb.readings.len() {
                if !scored.iter().any(|s| s.0 == r) {
                    scored.push((r, 0.0));
                }
            }
            scored.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then(general[b.0].total_cmp(&general[a.0]))
                    .then(a.0.cmp(&b.0))
            });
            let top = scored.first().map_or(0.0, |s| s.1);
            scored
                .into_iter()
                .enumerate()
                .take_while(|(rank, (_, s))| {
                    *rank < 2 || (*rank == 2 && *s >= THIRD_ENTRY_SHARE * top)
                })
                .map(|(_, (i, _))| i)
                .collect()
        })
        .collect()
}

//! `faqbot list` and `faqbot check`: looking at the knowledge base without asking.

use std::path::Path;

use super::{open_store, Failure};
use crate::config::Settings;
use crate::store::Store;

pub fn list(store: &Store) -> Result<(), Failure> {
    let knowledge = store.snapshot();
    for faq in knowledge.faqs() {
        println!("{:>3}  {}  [{}]", faq.id, faq.question, faq.slug);
        for link in knowledge.further_reading(faq.id) {
            println!("       - {}  <{}>", link.title, link.url);
        }
    }
    Ok(())
}

pub fn check(faq_dir: &Path, config: &Path, settings: &Settings) -> Result<(), Failure> {
    let store = open_store(faq_dir, settings)?;
    let knowledge = store.snapshot();
    let kb = knowledge.knowledge_base();
    println!("config {}: ok", config.display());
    println!(
        "faq folder {}: ok: {} FAQs, {} Further Reading entries, {} synonym groups, from {} files",
        faq_dir.display(),
        kb.faqs.len(),
        kb.readings.len(),
        kb.synonyms.len(),
        kb.files.len()
    );
    Ok(())
}

//! `faqbot list` and `faqbot check`: looking at the knowledge base without asking.

use std::path::Path;

use super::{open_store, Failure};
use faqbot::config::Settings;
use faqbot::store::Store;

pub fn list(store: &Store) -> Result<(), Failure> {
    let snapshot = store.snapshot();
    for faq in snapshot.faqs() {
        println!("{:>3}  {}  [{}]", faq.id, faq.question, faq.slug);
        for link in snapshot.further_reading(faq.id) {
            println!("       - {}  <{}>", link.title, link.url);
        }
    }
    Ok(())
}

/// `config` is the file the settings came from; `None`: built-in defaults.
pub fn check(faq_dir: &Path, config: Option<&Path>, settings: &Settings) -> Result<(), Failure> {
    let store = open_store(faq_dir, settings)?;
    let snapshot = store.snapshot();
    let kb = snapshot.knowledge_base();
    match config {
        Some(config) => println!("config {}: ok", config.display()),
        None => println!("config: none found, built-in defaults"),
    }
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

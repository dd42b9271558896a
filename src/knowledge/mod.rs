//! The knowledge base: FAQs, the Further Reading list and the vocabulary hints
//! (synonyms, extra stop words) of one server, as loaded from a folder of TOML files.
//!
//! A [`KnowledgeBase`] only exists once every file parsed and validated, so the
//! matcher and the front ends never check it again.

mod error;
mod load;

pub use error::{LoadError, Problem};
pub(crate) use load::check_link;
pub use load::{is_faq_file, load_dir};

use std::path::PathBuf;

/// The stable number an FAQ is known by (its number in the source article for the seed).
pub type FaqId = u32;

/// The longest answer an FAQ may have: it is shown as an embed's description.
pub const FAQ_ANSWER_MAX_CHARS: usize = crate::limits::EMBED_DESCRIPTION_CHARS;
/// The longest question an FAQ may have: it is shown as an embed's title.
pub const FAQ_QUESTION_MAX_CHARS: usize = crate::limits::EMBED_TITLE_CHARS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faq {
    pub id: FaqId,
    pub slug: String,
    pub question: String,
    pub answer: String,
    /// Other phrasings of the question; matched like the question itself.
    pub aliases: Vec<String>,
    /// Words or phrases people use for the topic; matched like the question, but an FAQ's
    /// confidence is never judged on how much of its keyword list a question covers.
    pub keywords: Vec<String>,
    /// Reading ids chosen by hand; `None` lets faqbot pick the most related entries.
    pub further_reading: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub id: String,
    pub title: String,
    /// A real address given in the data; otherwise the link comes from the URL template.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    /// Sorted by id.
    pub faqs: Vec<Faq>,
    pub readings: Vec<Reading>,
    /// Groups of words that mean the same thing in this knowledge base.
    pub synonyms: Vec<Vec<String>>,
    /// Words to ignore on top of the built-in English stop words.
    pub stop_words: Vec<String>,
    /// The files it was read from, for logs and `faqbot check`.
    pub files: Vec<PathBuf>,
}

impl KnowledgeBase {
    pub fn faq(&self, id: FaqId) -> Option<&Faq> {
        self.faqs
            .binary_search_by_key(&id, |f| f.id)
            .ok()
            .map(|i| &self.faqs[i])
    }

    pub fn reading(&self, id: &str) -> Option<&Reading> {
        self.readings.iter().find(|r| r.id == id)
    }
}

//! What a button or menu on one of the bot's messages does, carried in its custom id.
//!
//! Discord hands a component's custom id back verbatim when it is pressed, possibly
//! days later and after restarts, and anyone can forge one: so the id holds every
//! fact the press needs (which FAQ, which logged question, who may remove the
//! message), nothing is kept in memory between the message and the press, and
//! [`Action::parse`] refuses anything it did not write. One design for every
//! component: "did you mean" choices, feedback, remove, related questions, the
//! question list's pages and the admin's suggestion review.
//!
//! Ids stay within Discord's 100 characters: the longest, a helper's pick after "Find
//! FAQ answer" (FAQ, message, author and question), is at most 80 ([`tests::every_id_fits_discord`]).

use std::fmt::Write as _;

use crate::knowledge::FaqId;
use crate::learning::QuestionId;

/// Most FAQs a "Not helpful" button carries to offer next.
pub const MAX_NEXT: usize = 3;

/// Who may remove a public answer besides members with Manage Messages: the person
/// the answer is for (the asker, the member an FAQ was sent to, the author of the
/// message a helper answered) and the person who made the bot post it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owners {
    pub for_user: u64,
    pub by_user: u64,
}

impl Owners {
    /// An answer somebody asked for themselves.
    pub fn asker(user: u64) -> Self {
        Owners {
            for_user: user,
            by_user: user,
        }
    }

    pub fn contains(&self, user: u64) -> bool {
        user == self.for_user || user == self.by_user
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Show an FAQ: a "did you mean" choice, a nearest topic, or another FAQ offered
    /// after "Not helpful". When it carries the logged question, the press records
    /// that the question meant this FAQ.
    Show {
        faq: FaqId,
        question: Option<QuestionId>,
    },
    /// Post an FAQ as a reply to someone's message: the choice a helper makes
    /// privately after "Find FAQ answer" was unsure.
    PostReply {
        faq: FaqId,
        message: u64,
        author: u64,
        /// The logged question (the message's text): the pick records what it meant.
        question: Option<QuestionId>,
    },
    /// "Helpful" / "Not helpful" on the answer to a logged question; "Not helpful"
    /// carries the next FAQs to offer.
    Vote {
        helpful: bool,
        faq: FaqId,
        question: QuestionId,
        next: Vec<FaqId>,
    },
    /// Remove the public answer this button is on.
    Remove(Owners),
    /// The related-questions menu; the FAQ is the picked value.
    Related,
    /// Show page `page` (0-based) of the question list in place. `forward` only keeps
    /// the Previous and Next buttons' ids apart (Discord wants them unique).
    Page { page: u32, forward: bool },
    /// An admin's decision on a pending suggestion.
    Decide { approve: bool, suggestion: String },
}

impl Action {
    pub fn encode(&self) -> String {
        match self {
            Action::Show {
                faq,
                question: None,
            } => format!("faq:{faq}"),
            Action::Show {
                faq,
                question: Some(q),
            } => format!("faq:{faq}:{}", q.0),
            Action::PostReply {
                faq,
                message,
                author,
                question,
            } => match question {
                Some(q) => format!("post:{faq}:{message}:{author}:{}", q.0),
                None => format!("post:{faq}:{message}:{author}"),
            },
            Action::Vote {
                helpful,
                faq,
                question,
                next,
            } => {
                let mut id = format!(
                    "vote:{}:{faq}:{}",
                    if *helpful { 'y' } else { 'n' },
                    question.0
                );
                for (i, n) in next.iter().take(MAX_NEXT).enumerate() {
                    let _ = write!(id, "{}{n}", if i == 0 { ':' } else { ',' });
                }
                id
            }
            Action::Remove(o) => format!("del:{}:{}", o.for_user, o.by_user),
            Action::Related => "rel".to_string(),
            Action::Page { page, forward } => {
                format!("page:{page}:{}", if *forward { "next" } else { "prev" })
            }
            Action::Decide {
                approve,
                suggestion,
            } => format!("sug:{}:{suggestion}", if *approve { 'a' } else { 'r' }),
        }
    }

    /// The action of a custom id this bot wrote; `None` for anything else (another
    /// bot's, an older format, a forgery).
    pub fn parse(id: &str) -> Option<Action> {
        let mut parts = id.split(':');
        let kind = parts.next()?;
        let fields: Vec<&str> = parts.collect();
        let action = match (kind, fields.as_slice()) {
            ("faq", [faq]) => Action::Show {
                faq: faq_id(faq)?,
                question: None,
            },
            ("faq", [faq, q]) => Action::Show {
                faq: faq_id(faq)?,
                question: Some(question_id(q)?),
            },
            ("post", [faq, message, author]) => Action::PostReply {
                faq: faq_id(faq)?,
                message: snowflake(message)?,
                author: snowflake(author)?,
                question: None,
            },
            ("post", [faq, message, author, q]) => Action::PostReply {
                faq: faq_id(faq)?,
                message: snowflake(message)?,
                author: snowflake(author)?,
                question: Some(question_id(q)?),
            },
            ("vote", [vote, faq, q, rest @ ..]) if rest.len() <= 1 => {
                let helpful = match *vote {
                    "y" => true,
                    "n" => false,
                    _ => return None,
                };
                let next = match rest {
                    [] => Vec::new(),
                    [list] => list
                        .split(',')
                        .map(faq_id)
                        .collect::<Option<Vec<_>>>()
                        .filter(|n| n.len() <= MAX_NEXT)?,
                    _ => return None,
                };
                Action::Vote {
                    helpful,
                    faq: faq_id(faq)?,
                    question: question_id(q)?,
                    next,
                }
            }
            ("del", [for_user, by_user]) => Action::Remove(Owners {
                for_user: snowflake(for_user)?,
                by_user: snowflake(by_user)?,
            }),
            ("rel", []) => Action::Related,
            ("page", [page, dir]) => Action::Page {
                page: page.parse().ok().filter(|_| is_number(page))?,
                forward: match *dir {
                    "next" => true,
                    "prev" => false,
                    _ => return None,
                },
            },
            ("sug", [decision, suggestion])
                if !suggestion.is_empty()
                    && suggestion.len() <= 32
                    && suggestion.chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                Action::Decide {
                    approve: match *decision {
                        "a" => true,
                        "r" => false,
                        _ => return None,
                    },
                    suggestion: (*suggestion).to_string(),
                }
            }
            _ => return None,
        };
        Some(action)
    }
}

/// Digits only: `str::parse` also takes a leading `+`, which this bot never writes.
fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

fn faq_id(text: &str) -> Option<FaqId> {
    is_number(text).then(|| text.parse().ok())?
}

fn question_id(text: &str) -> Option<QuestionId> {
    let id: i64 = is_number(text).then(|| text.parse().ok())??;
    (id > 0).then_some(QuestionId(id))
}

/// A Discord id: a positive 64-bit number.
fn snowflake(text: &str) -> Option<u64> {
    let id: u64 = is_number(text).then(|| text.parse().ok())??;
    (id > 0).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::CUSTOM_ID_CHARS;

    fn examples() -> Vec<Action> {
        let q = QuestionId(i64::MAX);
        vec![
            Action::Show {
                faq: 7,
                question: None,
            },
            Action::Show {
                faq: u32::MAX,
                question: Some(q),
            },
            Action::PostReply {
                faq: u32::MAX,
                message: u64::MAX,
                author: u64::MAX,
                question: Some(q),
            },
            Action::PostReply {
                faq: 1,
                message: 2,
                author: 3,
                question: None,
            },
            Action::Vote {
                helpful: true,
                faq: 3,
                question: q,
                next: vec![],
            },
            Action::Vote {
                helpful: false,
                faq: u32::MAX,
                question: q,
                next: vec![u32::MAX; MAX_NEXT],
            },
            Action::Remove(Owners {
                for_user: u64::MAX,
                by_user: u64::MAX,
            }),
            Action::Related,
            Action::Page {
                page: u32::MAX,
                forward: true,
            },
            Action::Page {
                page: 0,
                forward: false,
            },
            Action::Decide {
                approve: true,
                suggestion: "0123456789".into(),
            },
        ]
    }

    #[test]
    fn every_id_round_trips() {
        for action in examples() {
            assert_eq!(Action::parse(&action.encode()), Some(action.clone()));
        }
    }

    #[test]
    fn every_id_fits_discord() {
        for action in examples() {
            let id = action.encode();
            assert!(id.len() <= CUSTOM_ID_CHARS, "{id} is {} long", id.len());
        }
    }

    #[test]
    fn forged_and_foreign_ids_are_refused() {
        for id in [
            "",
            "faq:",
            "faq:-1",
            "faq:+1",
            "FAQ:6",
            "faq:6:0",
            "faq:6:-5",
            "faq:99999999999",
            "vote:x:1:2",
            "vote:y:1:2:3,4,5,6",
            "vote:y:1:2:3:4",
            "del:1",
            "del:0:1",
            "del:1:2:3",
            "page:-1:next",
            "page:1:up",
            "sug:a:",
            "sug:a:not-hex",
            "rel:1",
            "other:17",
            &"x".repeat(100),
        ] {
            assert_eq!(Action::parse(id), None, "{id:?} was accepted");
        }
    }

    #[test]
    fn owners_are_the_person_served_and_the_one_who_asked() {
        let o = Owners {
            for_user: 1,
            by_user: 2,
        };
        assert!(o.contains(1) && o.contains(2) && !o.contains(3));
        assert!(Owners::asker(5).contains(5));
    }
}

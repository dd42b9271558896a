//! `faqbot ask`: one question from the arguments, or one per line from stdin.

use std::io::{BufRead, Write};

use clap::Args;

use super::Failure;
use faqbot::matcher::{Outcome, Reading};
use faqbot::reply::Reply;
use faqbot::store::{Explanation, Store};

#[derive(Args, Debug)]
pub struct AskArgs {
    /// Print one JSON object per question instead of text.
    #[arg(long)]
    pub json: bool,
    /// Show how the question was read and the top candidates' scores (to stderr with --json).
    #[arg(long)]
    pub explain: bool,
    /// The question; several words need no quotes. "-" reads one question per line from stdin.
    #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
    pub question: Vec<String>,
}

pub fn run(store: &Store, args: &AskArgs) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.question.len() == 1 && args.question[0] == "-" {
        let stdin = std::io::stdin();
        for (n, line) in stdin.lock().split(b'\n').enumerate() {
            let bytes = line.map_err(|e| Failure::problem(format!("reading stdin: {e}")))?;
            let text = match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => {
                    // Keep one answer per line: answer what is readable, and say so.
                    eprintln!(
                        "warning: line {} is not valid UTF-8; unreadable bytes replaced",
                        n + 1
                    );
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            };
            let question = text.trim_end_matches('\r');
            if !args.json && question.trim().is_empty() {
                continue;
            }
            answer(store, question, args, &mut out)?;
        }
        Ok(())
    } else {
        answer(store, &args.question.join(" "), args, &mut out)
    }
}

fn answer(
    store: &Store,
    question: &str,
    args: &AskArgs,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let knowledge = store.snapshot();
    let explanation = knowledge.explain(question);
    let written = if args.json {
        if args.explain {
            eprint!("{}", render_explanation(&explanation));
        }
        serde_json::to_string(&explanation.reply)
            .map_err(|e| Failure::problem(format!("encoding JSON: {e}")))
            .and_then(|json| writeln!(out, "{json}").map_err(io_failure))
    } else {
        let mut text = render_text(&explanation.reply);
        if args.explain {
            text.push('\n');
            text.push_str(&render_explanation(&explanation));
        }
        writeln!(out, "{text}").map_err(io_failure)
    };
    written.and_then(|()| out.flush().map_err(io_failure))
}

fn io_failure(e: std::io::Error) -> Failure {
    Failure::problem(format!("writing the answer: {e}"))
}

/// The reply as a person reads it in a terminal.
pub fn render_text(reply: &Reply) -> String {
    let mut s = String::new();
    let list = |s: &mut String, title: &str, reply: &Reply| {
        s.push_str(title);
        for c in &reply.alternatives {
            s.push_str(&format!(
                "\n  {:>3}. {}  (score {:.2})",
                c.id, c.question, c.score
            ));
        }
    };
    match reply.outcome {
        Outcome::Answered => {
            if let (Some(best), Some(answer)) = (&reply.best, &reply.answer) {
                s.push_str(&format!(
                    "{}  [FAQ {}, confidence {:.2}]\n\n{}\n",
                    best.question, best.id, best.score, answer
                ));
            }
            if !reply.further_reading.is_empty() {
                s.push_str("\nFurther Reading:");
                for link in &reply.further_reading {
                    s.push_str(&format!("\n  - {}\n    {}", link.title, link.url));
                }
                s.push('\n');
            }
            if !reply.related.is_empty() {
                s.push_str("\nRelated questions:");
                for c in &reply.related {
                    s.push_str(&format!("\n  {:>3}. {}", c.id, c.question));
                }
                s.push('\n');
            }
        }
        Outcome::Unsure => {
            list(
                &mut s,
                "I'm not sure which FAQ you mean. Did you mean:",
                reply,
            );
            s.push_str(
                "\n\nAsk again in other words, or run `faqbot list` to see every question.\n",
            );
        }
        Outcome::NoMatch => {
            s.push_str("Sorry, none of the FAQs answers that.");
            if !reply.alternatives.is_empty() {
                s.push('\n');
                list(&mut s, "The nearest topics:", reply);
            }
            s.push_str("\nRun `faqbot list` to see every question.\n");
        }
    }
    s
}

pub(super) fn render_explanation(e: &Explanation) -> String {
    let mut s = String::from("How the question was read (term: information):\n");
    if e.terms.is_empty() {
        s.push_str("  (no meaningful words)\n");
    }
    for t in &e.terms {
        let note = match &t.reading {
            Reading::Typo { typed } => format!("  (typo for \"{}\", typed \"{typed}\")", t.word),
            Reading::Part { of } => format!("  (part of \"{of}\" in the knowledge base)"),
            Reading::Related if t.foreign => {
                "  (not in the knowledge base; related words are: about something else?)"
                    .to_string()
            }
            Reading::Related => "  (not in the knowledge base; related words are)".to_string(),
            Reading::Unknown if t.foreign => {
                "  (not in the knowledge base: about something else?)".to_string()
            }
            Reading::Unknown => "  (not in the knowledge base)".to_string(),
            Reading::Known => String::new(),
            Reading::Compound => "  (one thing: an FAQ must hold both words)".to_string(),
            Reading::NounPair => "  (two nouns in a row: an FAQ must hold one of them)".to_string(),
        };
        s.push_str(&format!("  {} [{}]: {:.2}{note}\n", t.word, t.term, t.info));
    }
    let formula = e
        .ranked
        .first()
        .map(|(_, signals)| {
            signals
                .named()
                .iter()
                .map(|sig| format!("{:.2} {}", sig.weight, sig.name))
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .unwrap_or_default();
    s.push_str(&format!("Top candidates (score = {formula}):\n"));
    if e.ranked.is_empty() {
        s.push_str("  (none)\n");
    }
    for (c, signals) in &e.ranked {
        let parts = signals
            .named()
            .iter()
            .map(|sig| format!("{} {:.2}", sig.name, sig.value))
            .collect::<Vec<_>>()
            .join("  ");
        s.push_str(&format!(
            "  {:>3}. {:.3}  {parts}  {}\n",
            c.id, c.score, c.question
        ));
    }
    if let Some(why) = &e.held_back {
        s.push_str(&format!("Not answered outright: {why}\n"));
    }
    if let Some((_, signals)) = e.ranked.first().filter(|_| e.on_evidence) {
        s.push_str(&format!(
            "Answered below the answer bar: evidence {:.2} says the matched words pin the FAQ \
             down on their own\n",
            signals.evidence
        ));
    }
    s.push_str(&format!("Outcome: {}\n", e.reply.outcome.as_str()));
    s
}

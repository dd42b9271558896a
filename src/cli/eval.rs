//! `faqbot eval`: scores the matcher on labelled questions (the `dev.jsonl` form:
//! `query`, `expect` id or null, `also` acceptable ids, `kind`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use serde::Deserialize;

use super::Failure;
use faqbot::knowledge::FaqId;
use faqbot::matcher::Outcome;
use faqbot::store::Store;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Labelled questions, one JSON object per line.
    #[arg(long)]
    pub cases: PathBuf,
    /// Print every miss with how the question was read and scored.
    #[arg(long)]
    pub misses: bool,
    /// Fail (exit 1) when the overall share of correct cases is below this (0 to 1).
    #[arg(long)]
    pub min_score: Option<f64>,
    /// Fail when the share of in-scope questions answered with the right FAQ is below this.
    #[arg(long)]
    pub min_in_scope: Option<f64>,
    /// Fail when the share of in-scope questions answered right, or with the right FAQ
    /// among the offered choices, is below this.
    #[arg(long)]
    pub min_helpful: Option<f64>,
    /// Fail when the share of questions to decline (off-topic and traps) that were not
    /// answered is below this.
    #[arg(long)]
    pub min_declined: Option<f64>,
    /// Fail when the share of off-topic questions (kind `oos`) declined is below this.
    #[arg(long)]
    pub min_off_topic: Option<f64>,
    /// Fail when the share of traps (kind `trap`) declined is below this.
    #[arg(long)]
    pub min_traps: Option<f64>,
    /// Fail when the share of all questions answered with a wrong FAQ is above this.
    #[arg(long)]
    pub max_wrong: Option<f64>,
}

#[derive(Deserialize)]
struct Case {
    query: String,
    expect: Option<FaqId>,
    #[serde(default)]
    also: Vec<FaqId>,
    #[serde(default)]
    kind: Option<String>,
}

#[derive(Default)]
struct Tally {
    cases: usize,
    hits: usize,
}

impl Tally {
    fn add(&mut self, hit: bool) {
        self.cases += 1;
        self.hits += usize::from(hit);
    }
    fn rate(&self) -> f64 {
        if self.cases == 0 {
            1.0
        } else {
            self.hits as f64 / self.cases as f64
        }
    }
    fn line(&self, label: &str) -> String {
        format!(
            "{label}: {}/{} ({:.1}%)",
            self.hits,
            self.cases,
            100.0 * self.rate()
        )
    }
}

/// Every figure `eval` reports.
#[derive(Default)]
struct Figures {
    in_scope: Tally,
    helpful: Tally,
    declined: Tally,
    off_topic: Tally,
    traps: Tally,
    wrong: Tally,
    overall: Tally,
    by_kind: BTreeMap<String, Tally>,
}

pub fn run(store: &Store, args: &EvalArgs) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&args.cases)
        .map_err(|e| Failure::setup(format!("cannot read {}: {e}", args.cases.display())))?;
    let knowledge = store.snapshot();
    let mut f = Figures::default();
    let mut misses = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(line).map_err(|e| {
            Failure::setup(format!(
                "{}:{}: not a case: {e}",
                args.cases.display(),
                n + 1
            ))
        })?;
        let reply = knowledge.ask(&case.query);
        let acceptable = |id: FaqId| Some(id) == case.expect || case.also.contains(&id);
        let answered = reply.outcome == Outcome::Answered;
        let answered_with = reply.best.as_ref().map(|b| b.id).filter(|_| answered);
        let kind = case.kind.clone().unwrap_or_else(|| "-".into());
        let ok = match case.expect {
            Some(_) => {
                let right = answered_with.is_some_and(acceptable);
                f.in_scope.add(right);
                f.helpful.add(
                    right || (!answered && reply.alternatives.iter().any(|c| acceptable(c.id))),
                );
                right
            }
            None => {
                f.declined.add(!answered);
                match kind.as_str() {
                    "trap" => f.traps.add(!answered),
                    _ => f.off_topic.add(!answered),
                }
                !answered
            }
        };
        f.wrong.add(answered_with.is_some_and(|id| !acceptable(id)));
        f.overall.add(ok);
        f.by_kind.entry(kind.clone()).or_default().add(ok);
        if !ok {
            let candidates = reply
                .best
                .iter()
                .chain(&reply.alternatives)
                .map(|c| format!("{} {:.2}", c.id, c.score))
                .collect::<Vec<_>>()
                .join(", ");
            let expect = case
                .expect
                .map_or("decline".to_string(), |e| format!("FAQ {e}"));
            let mut miss = format!(
                "  [{kind}] {:?}: expected {expect}, got {} ({candidates})",
                case.query,
                reply.outcome.as_str()
            );
            if args.misses {
                let explanation = super::ask::render_explanation(&knowledge.explain(&case.query));
                for l in explanation.lines() {
                    miss.push_str("\n      ");
                    miss.push_str(l);
                }
            }
            misses.push(miss);
        }
    }
    let kinds = f
        .by_kind
        .iter()
        .map(|(kind, t)| format!("{kind} {}/{}", t.hits, t.cases))
        .collect::<Vec<_>>()
        .join(", ");
    println!("by kind: {kinds}");
    if args.misses {
        if misses.is_empty() {
            println!("misses: none");
        } else {
            println!("misses:");
            for m in &misses {
                println!("{m}");
            }
        }
    } else if !misses.is_empty() {
        println!(
            "misses: {} (--misses lists them with how each was read)",
            misses.len()
        );
    }
    println!("{}", f.in_scope.line("in-scope answered correctly"));
    println!(
        "{}",
        f.helpful
            .line("helpful (right answer, or the right FAQ offered)")
    );
    println!("{}", f.declined.line("out-of-scope declined"));
    println!("{}", f.off_topic.line("  off-topic declined"));
    println!("{}", f.traps.line("  traps declined"));
    println!("{}", f.wrong.line("wrong answers"));
    println!("{}", f.overall.line("overall"));
    let at_least = [
        ("overall", args.min_score, f.overall.rate()),
        ("in-scope", args.min_in_scope, f.in_scope.rate()),
        ("helpful", args.min_helpful, f.helpful.rate()),
        (
            "out-of-scope declined",
            args.min_declined,
            f.declined.rate(),
        ),
        ("off-topic declined", args.min_off_topic, f.off_topic.rate()),
        ("traps declined", args.min_traps, f.traps.rate()),
    ];
    for (label, bar, rate) in at_least {
        if let Some(bar) = bar {
            if rate < bar {
                return Err(Failure::problem(format!(
                    "{label} {:.1}% is below the bar of {:.1}%",
                    100.0 * rate,
                    100.0 * bar
                )));
            }
        }
    }
    if let Some(bar) = args.max_wrong {
        if f.wrong.rate() > bar {
            return Err(Failure::problem(format!(
                "wrong answers {:.1}% are above the bar of {:.1}%",
                100.0 * f.wrong.rate(),
                100.0 * bar
            )));
        }
    }
    Ok(())
}

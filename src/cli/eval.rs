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
    /// Fail (exit 1) when the overall share of correct cases is below this (0 to 1).
    #[arg(long)]
    pub min_score: Option<f64>,
    /// Fail when the share of in-scope questions answered with the right FAQ is below this.
    #[arg(long)]
    pub min_in_scope: Option<f64>,
    /// Fail when the share of out-of-scope questions not answered is below this.
    #[arg(long)]
    pub min_declined: Option<f64>,
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
    correct: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.cases += 1;
        self.correct += usize::from(ok);
    }
    fn rate(&self) -> f64 {
        if self.cases == 0 {
            1.0
        } else {
            self.correct as f64 / self.cases as f64
        }
    }
    fn line(&self, label: &str) -> String {
        format!(
            "{label}: {}/{} ({:.1}%)",
            self.correct,
            self.cases,
            100.0 * self.rate()
        )
    }
}

pub fn run(store: &Store, args: &EvalArgs) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&args.cases)
        .map_err(|e| Failure::setup(format!("cannot read {}: {e}", args.cases.display())))?;
    let knowledge = store.snapshot();
    let (mut in_scope, mut declined, mut overall) =
        (Tally::default(), Tally::default(), Tally::default());
    let mut by_kind: BTreeMap<String, Tally> = BTreeMap::new();
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
        let got = reply.best.as_ref().map(|b| b.id);
        let ok = match case.expect {
            Some(expect) => {
                let ok = reply.outcome == Outcome::Answered
                    && got.is_some_and(|id| id == expect || case.also.contains(&id));
                in_scope.add(ok);
                ok
            }
            None => {
                let ok = reply.outcome != Outcome::Answered;
                declined.add(ok);
                ok
            }
        };
        overall.add(ok);
        let kind = case.kind.clone().unwrap_or_else(|| "-".into());
        by_kind.entry(kind.clone()).or_default().add(ok);
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
            misses.push(format!(
                "  [{kind}] {:?}: expected {expect}, got {} ({candidates})",
                case.query,
                reply.outcome.as_str()
            ));
        }
    }
    for (kind, tally) in &by_kind {
        println!("{}", tally.line(&format!("kind {kind}")));
    }
    if misses.is_empty() {
        println!("misses: none");
    } else {
        println!("misses:");
        for m in &misses {
            println!("{m}");
        }
    }
    println!("{}", in_scope.line("in-scope answered correctly"));
    println!("{}", declined.line("out-of-scope declined"));
    println!("{}", overall.line("overall"));
    let bars = [
        ("overall", args.min_score, overall.rate()),
        ("in-scope", args.min_in_scope, in_scope.rate()),
        ("out-of-scope declined", args.min_declined, declined.rate()),
    ];
    for (label, bar, rate) in bars {
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
    Ok(())
}

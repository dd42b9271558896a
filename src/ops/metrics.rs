//! Prometheus metrics: questions by outcome and front end, match latency, reloads by
//! result, FAQ count, gateway reconnects, and Discord rate limits met.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::learning::LearningMetrics;
use crate::matcher::Outcome;

/// Where a question came in.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum FrontEnd {
    /// `/ask`
    Slash,
    /// `/faq topic:` with typed text
    Faq,
    /// A "did you mean" button pressed
    Button,
    Mention,
    Dm,
    HelpChannel,
    /// "Find FAQ answer" on a message (the Apps menu)
    ContextMenu,
    /// A new post in a help forum
    Forum,
}

/// What started a reload.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum ReloadTrigger {
    /// `/reload`
    Command,
    Watcher,
    Sighup,
}

/// How a reload ended.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub enum ReloadResult {
    Ok,
    Error,
}

impl FrontEnd {
    pub fn as_str(self) -> &'static str {
        match self {
            FrontEnd::Slash => "slash",
            FrontEnd::Faq => "faq",
            FrontEnd::Button => "button",
            FrontEnd::Mention => "mention",
            FrontEnd::Dm => "dm",
            FrontEnd::HelpChannel => "help_channel",
            FrontEnd::ContextMenu => "context_menu",
            FrontEnd::Forum => "forum",
        }
    }
}

impl ReloadTrigger {
    pub fn as_str(self) -> &'static str {
        match self {
            ReloadTrigger::Command => "command",
            ReloadTrigger::Watcher => "watcher",
            ReloadTrigger::Sighup => "sighup",
        }
    }
}

impl ReloadResult {
    pub fn as_str(self) -> &'static str {
        match self {
            ReloadResult::Ok => "ok",
            ReloadResult::Error => "error",
        }
    }
}

// Written out rather than derived: the derive writes the variant's name as it is
// (`HelpChannel`), and the label values are snake_case (`help_channel`) in dashboards
// and alerts already.
macro_rules! label_value_as_str {
    ($($t:ty),*) => {$(
        impl EncodeLabelValue for $t {
            fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
                self.as_str().encode(encoder)
            }
        }
    )*};
}
label_value_as_str!(FrontEnd, OutcomeLabel, ReloadTrigger, ReloadResult);

/// The matcher's [`Outcome`] as a label (a label must hash; the core's type need not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutcomeLabel(pub Outcome);

impl OutcomeLabel {
    pub fn as_str(self) -> &'static str {
        self.0.as_str()
    }
}

impl std::hash::Hash for OutcomeLabel {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct QuestionLabels {
    pub front_end: FrontEnd,
    pub outcome: OutcomeLabel,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReloadLabels {
    pub trigger: ReloadTrigger,
    pub result: ReloadResult,
}

pub struct Metrics {
    registry: Registry,
    pub questions: Family<QuestionLabels, Counter>,
    pub match_seconds: Histogram,
    pub reloads: Family<ReloadLabels, Counter>,
    pub faqs: Gauge,
    pub gateway_reconnects: Counter,
    pub rate_limited: Counter,
    pub cooldowns: Counter,
    pub flood_silenced: Counter,
    /// The question log and the learning loop (registered here, counted there).
    pub learning: LearningMetrics,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("faqbot");
        let questions = Family::<QuestionLabels, Counter>::default();
        registry.register(
            "questions",
            "Questions answered, by front end and outcome",
            questions.clone(),
        );
        // 1 µs to ~16 ms: matching is microseconds; the top buckets catch pathologies.
        let match_seconds = Histogram::new(
            prometheus_client::metrics::histogram::exponential_buckets(1e-6, 2.0, 15),
        );
        registry.register(
            "match_seconds",
            "Time to match one question",
            match_seconds.clone(),
        );
        let reloads = Family::<ReloadLabels, Counter>::default();
        registry.register(
            "reloads",
            "Knowledge base reloads, by trigger and result",
            reloads.clone(),
        );
        let faqs = Gauge::default();
        registry.register("faqs", "FAQs in the live knowledge base", faqs.clone());
        let gateway_reconnects = Counter::default();
        registry.register(
            "gateway_reconnects",
            "Gateway sessions resumed or re-identified after the first",
            gateway_reconnects.clone(),
        );
        let rate_limited = Counter::default();
        registry.register(
            "discord_rate_limited",
            "REST calls answered 429 by Discord (then retried)",
            rate_limited.clone(),
        );
        let cooldowns = Counter::default();
        registry.register(
            "cooldowns",
            "Notices sent by flood control (a user or a channel over its limit)",
            cooldowns.clone(),
        );
        let flood_silenced = Counter::default();
        registry.register(
            "flood_silenced",
            "Replies withheld by flood control after its one notice per window",
            flood_silenced.clone(),
        );
        let learning = LearningMetrics::default();
        registry.register(
            "questionlog_logged",
            "Questions written to the question log",
            learning.logged.clone(),
        );
        registry.register(
            "questionlog_dropped",
            "Questions not logged because the log's queue was full",
            learning.dropped.clone(),
        );
        registry.register(
            "questionlog_errors",
            "Questions not logged because the database failed",
            learning.errors.clone(),
        );
        registry.register(
            "feedback",
            "Feedback votes on answers, by vote",
            learning.votes.clone(),
        );
        registry.register(
            "suggestions_pending",
            "Suggestions from the question log waiting for an admin",
            learning.suggestions_pending.clone(),
        );
        Metrics {
            registry,
            learning,
            questions,
            match_seconds,
            reloads,
            faqs,
            gateway_reconnects,
            rate_limited,
            cooldowns,
            flood_silenced,
        }
    }

    pub fn question(&self, front_end: FrontEnd, outcome: Outcome, seconds: f64) {
        self.questions
            .get_or_create(&QuestionLabels {
                front_end,
                outcome: OutcomeLabel(outcome),
            })
            .inc();
        self.match_seconds.observe(seconds);
    }

    pub fn reload(&self, trigger: ReloadTrigger, ok: bool) {
        let result = if ok {
            ReloadResult::Ok
        } else {
            ReloadResult::Error
        };
        self.reloads
            .get_or_create(&ReloadLabels { trigger, result })
            .inc();
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!("encoding metrics: {e}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_written_in_snake_case() {
        let m = Metrics::new();
        m.question(FrontEnd::HelpChannel, Outcome::NoMatch, 0.0);
        m.reload(ReloadTrigger::Sighup, false);
        let text = m.render();
        assert!(
            text.contains(
                r#"faqbot_questions_total{front_end="help_channel",outcome="no_match"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"faqbot_reloads_total{trigger="sighup",result="error"} 1"#),
            "{text}"
        );
    }
}

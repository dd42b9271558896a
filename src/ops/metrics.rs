//! Prometheus metrics: questions by outcome and front end, match latency, reloads by
//! result, FAQ count, gateway reconnects, and Discord rate limits met.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct QuestionLabels {
    pub front_end: &'static str,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReloadLabels {
    pub trigger: &'static str,
    pub result: &'static str,
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
            "Questions refused by the per-user cooldown",
            cooldowns.clone(),
        );
        Metrics {
            registry,
            questions,
            match_seconds,
            reloads,
            faqs,
            gateway_reconnects,
            rate_limited,
            cooldowns,
        }
    }

    pub fn question(&self, front_end: &'static str, outcome: &'static str, seconds: f64) {
        self.questions
            .get_or_create(&QuestionLabels { front_end, outcome })
            .inc();
        self.match_seconds.observe(seconds);
    }

    pub fn reload(&self, trigger: &'static str, ok: bool) {
        let result = if ok { "ok" } else { "error" };
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

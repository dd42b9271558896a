//! Usage figures for `faqbot stats` and the admin page, and the log's export
//! (`faqbot export`): the admins' own data; no user ids exist to export.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use sqlx::Row;

use super::db::{Database, DbError};
use super::suggest::{unanswered, votes, UnansweredGroup, Votes};
use crate::knowledge::FaqId;
use crate::store::Snapshot;

const DAY_MS: i64 = 86_400_000;

/// Questions of one day (UTC) by outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD`
    pub date: String,
    pub answered: u64,
    pub unsure: u64,
    /// No match: the bot said it has no answer.
    pub declined: u64,
}

impl Day {
    pub fn total(&self) -> u64 {
        self.answered + self.unsure + self.declined
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaqCount {
    pub faq: FaqId,
    pub question: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaqVotes {
    pub faq: FaqId,
    pub question: String,
    #[serde(flatten)]
    pub votes: Votes,
    pub not_helpful_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Unix milliseconds the figures start from.
    pub since_ms: i64,
    /// Every day from `since` to today, oldest first.
    pub days: Vec<Day>,
    /// All days together.
    pub total: Day,
    pub top_faqs: Vec<FaqCount>,
    pub top_unanswered: Vec<UnansweredGroup>,
    /// Least helpful first.
    pub helpfulness: Vec<FaqVotes>,
}

/// The figures for questions asked since `since_ms`; `top` bounds the lists.
pub async fn stats(
    db: &Database,
    snapshot: &Snapshot,
    since_ms: i64,
    top: usize,
) -> Result<Stats, DbError> {
    db.ready().await?;
    let rows = sqlx::query(
        "SELECT asked_at / 86400000, outcome, COUNT(*) FROM questions WHERE asked_at >= $1 \
         GROUP BY asked_at / 86400000, outcome",
    )
    .bind(since_ms)
    .fetch_all(db.pool())
    .await?;
    let mut by_day: BTreeMap<i64, Day> = BTreeMap::new();
    for row in &rows {
        let day: i64 = row.try_get(0)?;
        let outcome: String = row.try_get(1)?;
        let n = u64::try_from(row.try_get::<i64, _>(2)?).unwrap_or(0);
        let d = by_day.entry(day).or_default();
        match outcome.as_str() {
            "answered" => d.answered += n,
            "unsure" => d.unsure += n,
            _ => d.declined += n,
        }
    }
    // Days without questions are days too (a chart with gaps would lie): every day
    // from `since` (at most ten years back) to today.
    let today = super::now_ms().div_euclid(DAY_MS);
    let first = since_ms
        .div_euclid(DAY_MS)
        .max(today - 3660)
        .min(by_day.keys().next().copied().unwrap_or(today));
    let mut days = Vec::new();
    let mut total = Day {
        date: "total".into(),
        ..Day::default()
    };
    for day in first..=today.max(first) {
        let mut d = by_day.remove(&day).unwrap_or_default();
        d.date = date(day);
        total.answered += d.answered;
        total.unsure += d.unsure;
        total.declined += d.declined;
        days.push(d);
    }
    let question = |faq: FaqId| {
        snapshot.knowledge_base().faq(faq).map_or_else(
            || format!("(FAQ {faq}, since removed)"),
            |f| f.question.clone(),
        )
    };
    let limit = i64::try_from(top).unwrap_or(i64::MAX);
    let mut top_faqs = Vec::new();
    for row in sqlx::query(
        "SELECT faq_id, COUNT(*) FROM questions WHERE asked_at >= $1 AND faq_id IS NOT NULL \
         GROUP BY faq_id ORDER BY COUNT(*) DESC, faq_id LIMIT $2",
    )
    .bind(since_ms)
    .bind(limit)
    .fetch_all(db.pool())
    .await?
    {
        let Ok(faq) = FaqId::try_from(row.try_get::<i64, _>(0)?) else {
            continue;
        };
        top_faqs.push(FaqCount {
            faq,
            question: question(faq),
            count: u64::try_from(row.try_get::<i64, _>(1)?).unwrap_or(0),
        });
    }
    let mut top_unanswered = unanswered(db, since_ms).await?;
    top_unanswered.truncate(top);
    let mut helpfulness: Vec<FaqVotes> = votes(db, since_ms)
        .await?
        .into_iter()
        .map(|v| FaqVotes {
            faq: v.faq,
            question: question(v.faq),
            not_helpful_share: v.not_helpful_share(),
            votes: v,
        })
        .collect();
    helpfulness.truncate(top);
    Ok(Stats {
        since_ms,
        days,
        total,
        top_faqs,
        top_unanswered,
        helpfulness,
    })
}

/// How many questions the log holds.
pub async fn count(db: &Database) -> Result<u64, DbError> {
    db.ready().await?;
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM questions")
        .fetch_one(db.pool())
        .await?
        .try_get(0)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Midnight (UTC) today, in Unix milliseconds.
pub fn today_ms() -> i64 {
    super::now_ms().div_euclid(DAY_MS) * DAY_MS
}

/// The export's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

const EXPORT_COLUMNS: [&str; 11] = [
    "id",
    "asked_at",
    "guild_id",
    "channel_kind",
    "front_end",
    "question",
    "outcome",
    "faq_id",
    "candidates",
    "latency_us",
    "reply_message_id",
];

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("writing the export: {0}")]
    Write(#[from] std::io::Error),
}

impl From<sqlx::Error> for ExportError {
    fn from(e: sqlx::Error) -> Self {
        ExportError::Db(e.into())
    }
}

/// Writes every logged question, oldest first; returns how many. The person hash is
/// left out: it means nothing outside this database.
pub async fn export(
    db: &Database,
    format: ExportFormat,
    out: &mut impl Write,
) -> Result<u64, ExportError> {
    db.ready().await?;
    let rows = sqlx::query(&format!(
        "SELECT {} FROM questions ORDER BY asked_at, id",
        EXPORT_COLUMNS.join(", ")
    ))
    .fetch_all(db.pool())
    .await?;
    if format == ExportFormat::Csv {
        writeln!(out, "{}", EXPORT_COLUMNS.join(","))?;
    }
    for row in &rows {
        let int = |i: usize| row.try_get::<Option<i64>, _>(i);
        let text = |i: usize| row.try_get::<String, _>(i);
        let asked_at = int(1)?.unwrap_or(0);
        let candidates = text(8)?;
        match format {
            ExportFormat::Jsonl => {
                let object = serde_json::json!({
                    "id": int(0)?,
                    "asked_at": rfc3339(asked_at),
                    "guild_id": int(2)?.map(|g| g.to_string()),
                    "channel_kind": text(3)?,
                    "front_end": text(4)?,
                    "question": text(5)?,
                    "outcome": text(6)?,
                    "faq_id": int(7)?,
                    "candidates": serde_json::from_str::<serde_json::Value>(&candidates)
                        .unwrap_or(serde_json::Value::Null),
                    "latency_us": int(9)?,
                    "reply_message_id": int(10)?.map(|m| m.to_string()),
                });
                writeln!(out, "{object}")?;
            }
            ExportFormat::Csv => {
                let opt = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
                let fields = [
                    opt(int(0)?),
                    rfc3339(asked_at),
                    opt(int(2)?),
                    text(3)?,
                    text(4)?,
                    text(5)?,
                    text(6)?,
                    opt(int(7)?),
                    candidates,
                    opt(int(9)?),
                    opt(int(10)?),
                ];
                let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
    }
    Ok(rows.len() as u64)
}

/// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. A
/// leading `=`, `+`, `-` or `@` is prefixed with `'` so that a spreadsheet does not
/// run a question as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `YYYY-MM-DD` of a day number since 1970-01-01 (Howard Hinnant's civil_from_days).
pub fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` of Unix milliseconds.
pub fn rfc3339(ms: i64) -> String {
    let day = ms.div_euclid(DAY_MS);
    let rest = ms.rem_euclid(DAY_MS);
    format!(
        "{}T{:02}:{:02}:{:02}.{:03}Z",
        date(day),
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(19_782), "2024-02-29");
        assert_eq!(date(-1), "1969-12-31");
        assert_eq!(
            rfc3339(1_709_164_800_123 + 3_723_000),
            "2024-02-29T01:02:03.123Z"
        );
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}

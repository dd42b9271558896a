//! The admin page (`/admin` on the health listener): what people ask and how the bot
//! does, read-only. Off unless `http.admin_token` is set; every request must carry the
//! token (`Authorization: Bearer ...` or `?token=`), compared in constant time.
//! Server-rendered HTML with inline SVG charts: no JavaScript, nothing to build. Every
//! piece of user text (questions) is escaped. The chart elements carry their figures
//! in `data-*` attributes and `<title>`s, for people hovering and for tests.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::Shared;
use crate::config::{AdminToken, LearningSettings};
use crate::learning::stats::{stats, Day, Stats};
use crate::learning::suggest::{self, Kind, Suggestion};

/// How far back the page looks.
pub const DAYS: i64 = 30;
/// Rows per list.
const TOP: usize = 10;

/// What the page needs beyond [`Shared`].
pub struct Admin {
    pub token: AdminToken,
    pub learning: LearningSettings,
}

impl Admin {
    pub fn new(token: AdminToken, learning: LearningSettings) -> Arc<Self> {
        Arc::new(Admin { token, learning })
    }
}

/// `GET /admin`.
pub async fn page(State(shared): State<Shared>, headers: HeaderMap, uri: Uri) -> Response {
    let Some(admin) = shared.admin.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !authorized(&admin.token, &headers, &uri) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "401 Unauthorized: the admin token is missing or wrong\n",
        )
            .into_response();
    }
    let body = match shared.questions.database() {
        None => html_page(
            "<p>Question logging is off (<code>privacy.log_questions = false</code>): nothing to show.</p>",
        ),
        Some(db) => {
            let snapshot = shared.store.snapshot();
            let since = crate::learning::stats::today_ms() - (DAYS - 1) * 86_400_000;
            let figures = stats(db, &snapshot, since, TOP).await;
            let pending = suggest::pending(db, &snapshot, &admin.learning).await;
            match (figures, pending) {
                (Ok(figures), Ok(pending)) => {
                    shared
                        .metrics
                        .learning
                        .suggestions_pending
                        .set(pending.len() as i64);
                    html_page(&render(&figures, &pending))
                }
                (Err(e), _) | (_, Err(e)) => {
                    tracing::warn!("admin page: {e}");
                    let body = format!(
                        "<p class=\"error\">The question log cannot be read right now: {}</p>",
                        escape(&e.to_string())
                    );
                    return (StatusCode::SERVICE_UNAVAILABLE, headers_for_page(), html_page(&body))
                        .into_response();
                }
            }
        }
    };
    (StatusCode::OK, headers_for_page(), body).into_response()
}

fn headers_for_page() -> [(header::HeaderName, &'static str); 5] {
    [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
        // The token may be in the address: never send it on.
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ]
}

/// The token from `Authorization: Bearer` or `?token=`, equal to the configured one.
pub fn authorized(expected: &AdminToken, headers: &HeaderMap, uri: &Uri) -> bool {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let from_query = uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned())
    });
    from_header
        .or(from_query)
        .is_some_and(|given| same_secret(given.as_bytes(), expected.expose().as_bytes()))
}

/// Equal, in time that depends on neither content nor length: both are hashed first,
/// then every byte of the digests is compared.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// HTML-escapes text for element content and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html_page(body: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>faqbot: what people ask</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; padding: 0 1rem; }}
h1 {{ font-size: 1.5rem; }} h2 {{ font-size: 1.15rem; margin-top: 2rem; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.answered {{ fill: #2e7d32; }} .unsure {{ fill: #f9a825; }} .declined {{ fill: #9e9e9e; }}
.legend span {{ display: inline-block; margin-right: 1rem; }} .swatch {{ display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; }}
.error {{ color: #b00020; }} code {{ background: #f3f3f3; padding: 0 .2rem; }} .muted {{ color: #666; }}
</style></head>
<body><h1>faqbot: what people ask</h1>
{body}
</body></html>
"#
    )
}

fn render(s: &Stats, pending: &[Suggestion]) -> String {
    let mut out = String::new();
    let t = &s.total;
    let _ = write!(
        out,
        r#"<p id="total" data-total="{}" data-answered="{}" data-unsure="{}" data-declined="{}">The last {DAYS} days: <strong>{}</strong> questions; {} answered, {} unsure ("did you mean"), {} declined.</p>"#,
        t.total(),
        t.answered,
        t.unsure,
        t.declined,
        t.total(),
        t.answered,
        t.unsure,
        t.declined
    );
    out.push_str(r#"<p class="legend"><span><svg class="swatch" viewBox="0 0 1 1"><rect class="answered" width="1" height="1"/></svg>answered</span><span><svg class="swatch" viewBox="0 0 1 1"><rect class="unsure" width="1" height="1"/></svg>unsure</span><span><svg class="swatch" viewBox="0 0 1 1"><rect class="declined" width="1" height="1"/></svg>declined</span></p>"#);
    out.push_str("<h2>Questions per day</h2>\n");
    out.push_str(&per_day_chart(&s.days));
    out.push_str("<h2>Outcomes</h2>\n");
    out.push_str(&share_chart(t));

    out.push_str("<h2>Top unanswered questions</h2>\n");
    if s.top_unanswered.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>\n");
    } else {
        out.push_str("<table id=\"unanswered\"><tr><th>Question</th><th>People</th><th>Asked</th><th>Also asked as</th></tr>\n");
        for g in &s.top_unanswered {
            let also: Vec<String> = g.examples.iter().map(|e| escape(e)).collect();
            let _ = writeln!(
                out,
                r#"<tr class="unanswered" data-people="{}" data-asked="{}"><td>{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>"#,
                g.people,
                g.asked,
                escape(&g.text),
                g.people,
                g.asked,
                also.join("<br>")
            );
        }
        out.push_str("</table>\n");
    }

    out.push_str("<h2>Least helpful FAQs</h2>\n");
    if s.helpfulness.is_empty() {
        out.push_str("<p class=\"muted\">No votes yet.</p>\n");
    } else {
        out.push_str(
            "<table id=\"helpfulness\"><tr><th>FAQ</th><th>Not helpful</th><th>Votes</th></tr>\n",
        );
        for v in &s.helpfulness {
            let _ = writeln!(
                out,
                r#"<tr class="faq-votes" data-faq="{}" data-not-helpful="{}" data-votes="{}"><td>{} <span class="muted">(#{})</span></td><td class="n">{:.0}%</td><td class="n">{}</td></tr>"#,
                v.faq,
                v.votes.not_helpful,
                v.votes.total(),
                escape(&v.question),
                v.faq,
                v.not_helpful_share * 100.0,
                v.votes.total()
            );
        }
        out.push_str("</table>\n");
    }

    out.push_str("<h2>Pending suggestions</h2>\n");
    if pending.is_empty() {
        out.push_str("<p class=\"muted\">None.</p>\n");
    } else {
        out.push_str("<p class=\"muted\">Approve or reject with <code>faqbot suggestions --approve ID</code> / <code>--reject ID</code>.</p>\n");
        out.push_str("<table id=\"suggestions\"><tr><th>Id</th><th>Kind</th><th>FAQ</th><th>Text</th><th>People</th></tr>\n");
        for p in pending {
            let kind = match p.kind {
                Kind::Alias => "new alias",
                Kind::MissingFaq => "missing FAQ",
                Kind::UnhelpfulFaq => "unhelpful FAQ",
            };
            let _ = writeln!(
                out,
                r#"<tr class="suggestion" data-id="{}" data-kind="{}"><td><code>{}</code></td><td>{kind}</td><td class="n">{}</td><td>{}</td><td class="n">{}</td></tr>"#,
                p.id,
                p.kind.as_str(),
                p.id,
                p.faq.map_or_else(String::new, |f| f.to_string()),
                escape(&p.text),
                p.people
            );
        }
        out.push_str("</table>\n");
    }
    out
}

/// Stacked bars, one per day: answered at the bottom, then unsure, then declined.
fn per_day_chart(days: &[Day]) -> String {
    const W: f64 = 720.0;
    const H: f64 = 200.0;
    const PAD: f64 = 24.0;
    let max = days.iter().map(Day::total).max().unwrap_or(0).max(1) as f64;
    let slot = (W - PAD) / days.len().max(1) as f64;
    let bar = (slot * 0.8).max(1.0);
    let mut svg = format!(
        r#"<svg id="per-day" role="img" aria-label="Questions per day" viewBox="0 0 {W} {}" width="100%">"#,
        H + 20.0
    );
    let _ = write!(
        svg,
        r##"<text x="0" y="12" font-size="11" fill="#666">{max}</text><line x1="{PAD}" y1="{H}" x2="{W}" y2="{H}" stroke="#999"/>"##
    );
    for (i, d) in days.iter().enumerate() {
        let x = PAD + i as f64 * slot + (slot - bar) / 2.0;
        let _ = write!(
            svg,
            r#"<g class="day" data-date="{}" data-total="{}" data-answered="{}" data-unsure="{}" data-declined="{}"><title>{}: {} questions; {} answered, {} unsure, {} declined</title>"#,
            d.date,
            d.total(),
            d.answered,
            d.unsure,
            d.declined,
            d.date,
            d.total(),
            d.answered,
            d.unsure,
            d.declined
        );
        let mut y = H;
        for (class, n) in [
            ("answered", d.answered),
            ("unsure", d.unsure),
            ("declined", d.declined),
        ] {
            let h = n as f64 / max * (H - PAD);
            y -= h;
            let _ = write!(
                svg,
                r#"<rect class="{class}" x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}"/>"#
            );
        }
        svg.push_str("</g>");
        // A date under every seventh bar, and under the last unless one is near.
        if i % 7 == 0 || (i + 1 == days.len() && i % 7 >= 3) {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{}" font-size="10" fill="#666" text-anchor="middle">{}</text>"##,
                (x + bar / 2.0).clamp(14.0, W - 14.0),
                H + 14.0,
                d.date.get(5..).unwrap_or(&d.date)
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// One bar split by outcome share.
fn share_chart(total: &Day) -> String {
    const W: f64 = 720.0;
    let n = total.total();
    let mut svg = format!(
        r#"<svg id="shares" role="img" aria-label="Answered, unsure and declined shares" viewBox="0 0 {W} 40" width="100%">"#
    );
    let mut x = 0.0;
    for (class, count) in [
        ("answered", total.answered),
        ("unsure", total.unsure),
        ("declined", total.declined),
    ] {
        let share = if n == 0 { 0.0 } else { count as f64 / n as f64 };
        let w = share * W;
        let _ = write!(
            svg,
            r#"<rect class="share {class}" data-outcome="{class}" data-count="{count}" data-share="{share:.3}" x="{x:.1}" y="0" width="{w:.1}" height="28"><title>{class}: {:.0}% ({count})</title></rect>"#,
            share * 100.0
        );
        if w > 60.0 {
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="19" font-size="12" fill="#fff">{class} {:.0}%</text>"##,
                x + 6.0,
                share * 100.0
            );
        }
        x += w;
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn only_the_right_token_is_let_in() {
        let token = AdminToken::try_from("a-long-enough-admin-token".to_string()).expect("token");
        let uri = |s: &str| s.parse::<Uri>().expect("uri");
        let mut bearer = HeaderMap::new();
        bearer.insert(
            header::AUTHORIZATION,
            "Bearer a-long-enough-admin-token".parse().expect("header"),
        );
        assert!(authorized(&token, &bearer, &uri("/admin")));
        assert!(authorized(
            &token,
            &HeaderMap::new(),
            &uri("/admin?token=a-long-enough-admin-token")
        ));
        assert!(!authorized(&token, &HeaderMap::new(), &uri("/admin")));
        assert!(!authorized(
            &token,
            &HeaderMap::new(),
            &uri("/admin?token=a-long-enough-admin-tokeN")
        ));
        assert!(!same_secret(b"abc", b"abcd"));
    }
}

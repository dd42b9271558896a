//! Addresses for Further Reading entries. An entry may carry its own `url`; the rest
//! get one from a template, so that a server can point titles at its own site (or a
//! search engine) without inventing addresses that pretend to be real pages.

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use crate::knowledge::Reading;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinkSettings {
    /// `{title}` and `{id}` are replaced, URL-encoded, by the entry's title and id.
    pub url_template: String,
}

impl Default for LinkSettings {
    fn default() -> Self {
        LinkSettings {
            url_template: "https://duckduckgo.com/?q={title}".to_string(),
        }
    }
}

impl LinkSettings {
    pub fn validate(&self) -> Result<(), String> {
        let sample = self.fill("sample-id", "Sample title");
        crate::knowledge::check_link(&sample)
            .map_err(|why| format!("links.url_template gives a bad link: {why}"))
    }

    pub fn url_for(&self, reading: &Reading) -> String {
        match &reading.url {
            Some(url) => url.clone(),
            None => self.fill(&reading.id, &reading.title),
        }
    }

    fn fill(&self, id: &str, title: &str) -> String {
        self.url_template
            .replace(
                "{title}",
                &utf8_percent_encode(title, NON_ALPHANUMERIC).to_string(),
            )
            .replace(
                "{id}",
                &utf8_percent_encode(id, NON_ALPHANUMERIC).to_string(),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_url_wins_over_the_template() {
        let links = LinkSettings::default();
        let own = Reading {
            id: "a".into(),
            title: "A & B?".into(),
            url: Some("https://example.org/a".into()),
        };
        assert_eq!(links.url_for(&own), "https://example.org/a");
        let templated = Reading { url: None, ..own };
        assert_eq!(
            links.url_for(&templated),
            "https://duckduckgo.com/?q=A%20%26%20B%3F"
        );
    }

    #[test]
    fn a_template_that_is_not_a_web_link_is_refused() {
        let bad = LinkSettings {
            url_template: "javascript:{title}".into(),
        };
        assert!(bad.validate().is_err());
        assert!(LinkSettings::default().validate().is_ok());
    }
}

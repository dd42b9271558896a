//! Settings, read once at start: `config/faqbot.toml` (committed, documented), then
//! `FAQBOT_<SECTION>_<KEY>` environment variables over it. The Discord token never
//! lives in the file: it comes from `DISCORD_TOKEN` or a file named in the config, and
//! is held as a secret so that it cannot be logged by accident.

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::links::LinkSettings;
use crate::matcher::MatchSettings;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub matcher: MatchSettings,
    pub links: LinkSettings,
    pub discord: DiscordSettings,
    pub http: HttpSettings,
    pub limits: LimitSettings,
    pub reload: ReloadSettings,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordSettings {
    /// A file holding the token (e.g. a container secret); `DISCORD_TOKEN` wins over it.
    pub token_file: Option<PathBuf>,
    /// Base URL of the Discord API, for a rate-limit proxy (or the tests' fake Discord).
    /// Unset: Discord itself, with serenity's own rate limiter.
    pub api_base_url: Option<String>,
    /// Development guild: commands are registered there (instantly) instead of globally.
    pub guild_id: Option<u64>,
    /// Answer `/ask` so that only the asker sees it.
    pub ephemeral: bool,
    /// Channels where the bot answers every message it is confident about. Needs the
    /// privileged MESSAGE_CONTENT intent.
    pub help_channels: Vec<u64>,
    /// Who may `/reload`, on top of Discord's Manage Server permission check.
    pub admin_roles: Vec<u64>,
    pub admin_users: Vec<u64>,
    /// Sharding: total shards across all processes, and this process's range.
    pub shard_count: Option<u32>,
    pub shard_first: Option<u32>,
    pub shard_last: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSettings {
    /// Address for `/healthz` and `/metrics`, e.g. "127.0.0.1:9090". Unset: off.
    pub listen: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitSettings {
    /// Questions one user may ask per `cooldown_seconds`; 0 turns the cooldown off.
    pub questions_per_window: u32,
    pub cooldown_seconds: u64,
    /// How long shutdown waits for replies in flight.
    pub shutdown_grace_seconds: u64,
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            questions_per_window: 5,
            cooldown_seconds: 30,
            shutdown_grace_seconds: 5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReloadSettings {
    /// Reload when files in the FAQ folder change.
    pub watch: bool,
    /// Changes closer together than this are one reload (an editor's save is several).
    pub debounce_ms: u64,
}

impl Default for ReloadSettings {
    fn default() -> Self {
        ReloadSettings {
            watch: true,
            debounce_ms: 500,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("no Discord token: set DISCORD_TOKEN, or discord.token_file in the config")]
    MissingToken,
    #[error("cannot read the token file {path}: {source}")]
    TokenFile {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Environment variables read by the command line itself, not settings.
const NOT_SETTINGS: &[&str] = &["faq_dir", "config"];

impl Settings {
    /// Reads the file, then the `FAQBOT_*` environment over it, and checks the values.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_sources(path, &text, Env::prefixed("FAQBOT_"))
    }

    fn from_sources(path: &Path, text: &str, env: Env) -> Result<Settings, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        // FAQBOT_DISCORD_API_BASE_URL → discord.api_base_url: the section is the first word.
        let env = env
            .ignore(NOT_SETTINGS)
            .map(|key| key.as_str().replacen('_', ".", 1).into());
        let settings: Settings = Figment::new()
            .merge(Toml::string(text))
            .merge(env)
            .extract()
            .map_err(|e| invalid(e.to_string()))?;
        settings.matcher.validate().map_err(invalid)?;
        settings.links.validate().map_err(invalid)?;
        if let Some(url) = &settings.discord.api_base_url {
            crate::knowledge::check_link(url)
                .map_err(|why| invalid(format!("discord.api_base_url: {why}")))?;
        }
        let d = &settings.discord;
        match (d.shard_count, d.shard_first, d.shard_last) {
            (None, None, None) => {}
            (Some(n), first, last) => {
                let first = first.unwrap_or(0);
                let last = last.unwrap_or(n.saturating_sub(1));
                if n == 0 || first > last || last >= n {
                    return Err(invalid(format!(
                        "discord shards: need 0 <= shard_first <= shard_last < shard_count, got {first}..={last} of {n}"
                    )));
                }
            }
            _ => {
                return Err(invalid(
                    "discord.shard_first/shard_last need discord.shard_count".into(),
                ))
            }
        }
        Ok(settings)
    }

    /// The token from `DISCORD_TOKEN`, else from `discord.token_file`.
    pub fn token(&self) -> Result<SecretString, ConfigError> {
        if let Ok(token) = std::env::var("DISCORD_TOKEN") {
            if !token.trim().is_empty() {
                return Ok(SecretString::new(token.trim().to_string()));
            }
        }
        if let Some(path) = &self.discord.token_file {
            let token = std::fs::read_to_string(path).map_err(|source| ConfigError::TokenFile {
                path: path.clone(),
                source,
            })?;
            if !token.trim().is_empty() {
                return Ok(SecretString::new(token.trim().to_string()));
            }
        }
        Err(ConfigError::MissingToken)
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment's error
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("FAQBOT_DISCORD_API_BASE_URL", "http://127.0.0.1:9999");
            jail.set_env("FAQBOT_DISCORD_GUILD_ID", "123456789012345678");
            jail.set_env("FAQBOT_MATCHER_ANSWER", "0.7");
            jail.set_env("FAQBOT_FAQ_DIR", "somewhere");
            jail.set_env("FAQBOT_DISCORD_ADMIN_ROLES", "[111, 222]");
            jail.set_env("FAQBOT_HTTP_LISTEN", "0.0.0.0:9090");
            let s = Settings::from_sources(
                Path::new("t.toml"),
                "[matcher]\nanswer = 0.6\n[discord]\nephemeral = true\n",
                Env::prefixed("FAQBOT_"),
            )
            .map_err(|e| e.to_string())?;
            assert_eq!(
                s.discord.api_base_url.as_deref(),
                Some("http://127.0.0.1:9999")
            );
            assert_eq!(s.discord.guild_id, Some(123456789012345678));
            assert!(s.discord.ephemeral);
            assert_eq!(s.matcher.answer, 0.7);
            assert_eq!(s.discord.admin_roles, [111, 222]);
            assert_eq!(s.http.listen.as_deref(), Some("0.0.0.0:9090"));
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        figment::Jail::expect_with(|_| {
            let env = || Env::prefixed("FAQBOT_");
            let e = Settings::from_sources(Path::new("t.toml"), "[matcher]\nanser = 0.6\n", env())
                .unwrap_err()
                .to_string();
            assert!(e.contains("anser"), "{e}");
            let e = Settings::from_sources(Path::new("t.toml"), "[matcher]\nanswer = 0.1\n", env())
                .unwrap_err()
                .to_string();
            assert!(e.contains("suggest <= unsure <= answer"), "{e}");
            let e = Settings::from_sources(
                Path::new("t.toml"),
                "[discord]\nshard_count = 2\nshard_first = 2\n",
                env(),
            )
            .unwrap_err()
            .to_string();
            assert!(e.contains("shard"), "{e}");
            Ok(())
        });
    }
}

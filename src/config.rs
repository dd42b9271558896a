//! Settings, read once at start: `config/faqbot.toml` (committed, documented), then
//! `FAQBOT_<SECTION>_<KEY>` environment variables over it. The Discord token never
//! lives in the file: it comes from `DISCORD_TOKEN` or a file named in the config, and
//! is held as a secret so that it cannot be logged by accident.
//!
//! Parsed, not validated: a [`Settings`] holds an address, a URL and a shard range
//! that are known good, so nothing downstream checks them again.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use crate::links::LinkSettings;
use crate::matcher::MatchSettings;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub matcher: MatchSettings,
    pub links: LinkSettings,
    pub discord: DiscordSettings,
    pub http: HttpSettings,
    pub limits: LimitSettings,
    pub reload: ReloadSettings,
    pub database: DatabaseSettings,
    pub privacy: PrivacySettings,
    pub learning: LearningSettings,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(try_from = "DiscordFile")]
pub struct DiscordSettings {
    /// A file holding the token (e.g. a container secret); `DISCORD_TOKEN` wins over it.
    pub token_file: Option<PathBuf>,
    /// Base URL of the Discord API (http or https), for a rate-limit proxy or the
    /// tests' fake Discord. Unset: Discord itself.
    pub api_base_url: Option<Url>,
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
    /// This process's shards (keys `shard_count`, `shard_first`, `shard_last`). Unset:
    /// one process serves every guild.
    pub shards: Option<ShardRange>,
}

/// `[discord]` as written in the file and the environment.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct DiscordFile {
    token_file: Option<PathBuf>,
    api_base_url: Option<String>,
    guild_id: Option<u64>,
    ephemeral: bool,
    help_channels: Vec<u64>,
    admin_roles: Vec<u64>,
    admin_users: Vec<u64>,
    shard_count: Option<u32>,
    shard_first: Option<u32>,
    shard_last: Option<u32>,
}

impl TryFrom<DiscordFile> for DiscordSettings {
    type Error = String;

    fn try_from(f: DiscordFile) -> Result<Self, String> {
        let api_base_url = f
            .api_base_url
            .as_deref()
            .map(parse_http_url)
            .transpose()
            .map_err(|why| format!("discord.api_base_url: {why}"))?;
        let shards = ShardRange::from_keys(f.shard_count, f.shard_first, f.shard_last)?;
        Ok(DiscordSettings {
            token_file: f.token_file,
            api_base_url,
            guild_id: f.guild_id,
            ephemeral: f.ephemeral,
            help_channels: f.help_channels,
            admin_roles: f.admin_roles,
            admin_users: f.admin_users,
            shards,
        })
    }
}

/// An http(s) URL with a host.
fn parse_http_url(text: &str) -> Result<Url, String> {
    crate::knowledge::check_link(text)?;
    Url::parse(text).map_err(|e| format!("\"{text}\" is not a link: {e}"))
}

/// The shards one process runs: `first..=last` of `total`, with
/// `first <= last < total`. Discord assigns guilds to shards by id; every process of a
/// deployment runs its own range of the same total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    first: u32,
    last: u32,
    total: u32,
}

impl ShardRange {
    pub fn new(first: u32, last: u32, total: u32) -> Result<Self, String> {
        if total == 0 || first > last || last >= total {
            return Err(format!(
                "discord shards: need 0 <= shard_first <= shard_last < shard_count, got {first}..={last} of {total}"
            ));
        }
        Ok(ShardRange { first, last, total })
    }

    /// From the config keys: none set is no sharding; `shard_count` alone is all of
    /// them; `shard_first` / `shard_last` default to the ends.
    pub fn from_keys(
        count: Option<u32>,
        first: Option<u32>,
        last: Option<u32>,
    ) -> Result<Option<Self>, String> {
        match (count, first, last) {
            (None, None, None) => Ok(None),
            (Some(total), first, last) => Self::new(
                first.unwrap_or(0),
                last.unwrap_or(total.saturating_sub(1)),
                total,
            )
            .map(Some),
            _ => Err("discord.shard_first/shard_last need discord.shard_count".into()),
        }
    }

    pub fn first(&self) -> u32 {
        self.first
    }

    /// Inclusive.
    pub fn last(&self) -> u32 {
        self.last
    }

    pub fn total(&self) -> u32 {
        self.total
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpSettings {
    /// Address for `/healthz` and `/metrics`, e.g. "127.0.0.1:9090" (port 0: any free
    /// port). Unset: off.
    pub listen: Option<SocketAddr>,
    /// Turns on the read-only admin page (`/admin`) on the listener; every request must
    /// carry it (`Authorization: Bearer ...` or `?token=`). Unset: no admin page.
    pub admin_token: Option<AdminToken>,
}

/// The admin page's token: never printed by `Debug`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct AdminToken(String);

impl AdminToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AdminToken {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        // A short token is guessable; the page shows what people ask.
        if s.trim().chars().count() < 16 {
            return Err("http.admin_token: use at least 16 characters".into());
        }
        Ok(AdminToken(s.trim().to_string()))
    }
}

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(..)")
    }
}

/// Where the question log lives (see `learning`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// The SQLite file, relative to the working directory; created on first use.
    pub path: PathBuf,
    /// A database URL instead of the file: `postgres://user:pass@host/db` for a
    /// deployment whose processes (shard ranges) share one log, or `sqlite://...`.
    pub url: Option<DatabaseUrl>,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            path: PathBuf::from("data/faqbot.sqlite3"),
            url: None,
        }
    }
}

/// A `postgres://`, `postgresql://` or `sqlite:` URL. `Debug` shows the scheme only
/// (the URL may hold a password).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://") || self.0.starts_with("postgresql://")
    }
}

impl TryFrom<String> for DatabaseUrl {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        let s = s.trim().to_string();
        if ["postgres://", "postgresql://", "sqlite:"]
            .iter()
            .any(|p| s.starts_with(p))
        {
            Ok(DatabaseUrl(s))
        } else {
            Err("database.url: must start with postgres://, postgresql:// or sqlite:".into())
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = self.0.split(':').next().unwrap_or("");
        write!(f, "DatabaseUrl({scheme}:..)")
    }
}

/// What is kept about the questions people ask.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacySettings {
    /// Log questions (text, outcome, candidates; never user ids). Off: nothing is written.
    pub log_questions: bool,
    /// Questions, votes and resolutions older than this are deleted (at start, daily,
    /// and by `faqbot prune`).
    pub retention_days: u32,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        PrivacySettings {
            log_questions: true,
            retention_days: 90,
        }
    }
}

/// When the question log turns into suggestions.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LearningSettings {
    /// Distinct people who must have used a phrasing (or asked an unanswered question)
    /// before it is suggested.
    pub min_people: u32,
    /// FAQs whose share of "not helpful" votes reaches this (with at least 3 votes)
    /// are flagged.
    pub not_helpful_share: f64,
}

impl Default for LearningSettings {
    fn default() -> Self {
        LearningSettings {
            min_people: 2,
            not_helpful_share: 0.5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
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

#[derive(Debug, Clone, PartialEq, Deserialize)]
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
    /// The file must exist.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_sources(path, &text, Env::prefixed("FAQBOT_"))
    }

    /// The built-in defaults with the `FAQBOT_*` environment over them: for when no
    /// config file was named and the default one is absent.
    pub fn from_environment() -> Result<Settings, ConfigError> {
        Self::from_sources(
            Path::new("(no file; FAQBOT_* environment)"),
            "",
            Env::prefixed("FAQBOT_"),
        )
    }

    fn from_sources(path: &Path, text: &str, env: Env) -> Result<Settings, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        // FAQBOT_DISCORD_API_BASE_URL → discord.api_base_url: the section is the first word.
        // FAQBOT_TEST_* belong to the test suite (e.g. FAQBOT_TEST_POSTGRES_URL).
        let env = env
            .ignore(NOT_SETTINGS)
            .filter(|key| !key.as_str().to_ascii_lowercase().starts_with("test_"))
            .map(|key| key.as_str().replacen('_', ".", 1).into());
        let settings: Settings = Figment::new()
            .merge(Toml::string(text))
            .merge(env)
            .extract()
            .map_err(|e| invalid(e.to_string()))?;
        settings.matcher.validate().map_err(invalid)?;
        settings.links.validate().map_err(invalid)?;
        if !(0.0..=1.0).contains(&settings.learning.not_helpful_share)
            || settings.learning.min_people == 0
        {
            return Err(invalid(
                "learning: need min_people >= 1 and 0 <= not_helpful_share <= 1".into(),
            ));
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
                s.discord.api_base_url.as_ref().map(Url::as_str),
                Some("http://127.0.0.1:9999/")
            );
            assert_eq!(s.discord.guild_id, Some(123456789012345678));
            assert!(s.discord.ephemeral);
            assert_eq!(s.matcher.answer, 0.7);
            assert_eq!(s.discord.admin_roles, [111, 222]);
            assert_eq!(s.http.listen, Some(SocketAddr::from(([0, 0, 0, 0], 9090))));
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
            let e = Settings::from_sources(
                Path::new("t.toml"),
                "[discord]\napi_base_url = \"ftp://example.org\"\n",
                env(),
            )
            .unwrap_err()
            .to_string();
            assert!(e.contains("api_base_url") && e.contains("http"), "{e}");
            let e =
                Settings::from_sources(Path::new("t.toml"), "[http]\nlisten = \"9090\"\n", env())
                    .unwrap_err()
                    .to_string();
            assert!(e.contains("listen"), "{e}");
            Ok(())
        });
    }

    #[test]
    fn the_question_log_keys_are_read_and_checked() {
        figment::Jail::expect_with(|jail| {
            let env = || Env::prefixed("FAQBOT_");
            // The test suite's own variables are not settings.
            jail.set_env(
                "FAQBOT_TEST_POSTGRES_URL",
                "postgres://postgres@127.0.0.1/x",
            );
            let s = Settings::from_sources(Path::new("t.toml"), "", env())
                .map_err(|e| e.to_string())?;
            assert!(s.privacy.log_questions);
            assert_eq!(s.privacy.retention_days, 90);
            assert_eq!(s.database.path, PathBuf::from("data/faqbot.sqlite3"));
            assert_eq!(s.http.admin_token, None);
            jail.set_env("FAQBOT_PRIVACY_LOG_QUESTIONS", "false");
            jail.set_env("FAQBOT_DATABASE_URL", "postgres://u:hunter2@db/faqbot");
            jail.set_env("FAQBOT_HTTP_ADMIN_TOKEN", "a-token-of-sixteen-chars");
            let s = Settings::from_sources(Path::new("t.toml"), "", env())
                .map_err(|e| e.to_string())?;
            assert!(!s.privacy.log_questions);
            let url = s.database.url.as_ref().ok_or("a url")?;
            assert!(url.is_postgres());
            assert!(
                !format!("{s:?}").contains("hunter2"),
                "no password in Debug"
            );
            assert!(!format!("{s:?}").contains("sixteen"), "no token in Debug");
            jail.set_env("FAQBOT_DATABASE_URL", "mysql://db/faqbot");
            let e = Settings::from_sources(Path::new("t.toml"), "", env())
                .unwrap_err()
                .to_string();
            assert!(e.contains("database.url"), "{e}");
            jail.set_env("FAQBOT_DATABASE_URL", "sqlite:///tmp/x.sqlite3");
            jail.set_env("FAQBOT_HTTP_ADMIN_TOKEN", "short");
            let e = Settings::from_sources(Path::new("t.toml"), "", env())
                .unwrap_err()
                .to_string();
            assert!(e.contains("admin_token"), "{e}");
            Ok(())
        });
    }

    #[test]
    fn the_shard_keys_become_one_range() {
        figment::Jail::expect_with(|jail| {
            let s = Settings::from_sources(Path::new("t.toml"), "", Env::prefixed("FAQBOT_"))
                .map_err(|e| e.to_string())?;
            assert_eq!(s.discord.shards, None);
            jail.set_env("FAQBOT_DISCORD_SHARD_COUNT", "4");
            jail.set_env("FAQBOT_DISCORD_SHARD_FIRST", "2");
            let s = Settings::from_sources(Path::new("t.toml"), "", Env::prefixed("FAQBOT_"))
                .map_err(|e| e.to_string())?;
            assert_eq!(s.discord.shards, Some(ShardRange::new(2, 3, 4)?));
            let s = Settings::from_sources(
                Path::new("t.toml"),
                "[discord]\nshard_last = 2\n",
                Env::prefixed("FAQBOT_"),
            )
            .map_err(|e| e.to_string())?;
            assert_eq!(s.discord.shards, Some(ShardRange::new(2, 2, 4)?));
            Ok(())
        });
        assert!(ShardRange::from_keys(None, Some(1), None).is_err());
        assert!(ShardRange::new(0, 0, 0).is_err());
        assert!(ShardRange::new(3, 2, 4).is_err());
    }
}

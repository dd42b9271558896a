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
    /// Forum channels where the bot answers new posts it is confident about (from the
    /// title; with MESSAGE_CONTENT also from the first message).
    pub help_forums: Vec<u64>,
    /// A forum tag (by name) the bot adds to a post it answered, if the forum has it.
    pub answered_tag: Option<String>,
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
    help_forums: Vec<u64>,
    answered_tag: Option<String>,
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
        // Discord ids (snowflakes) are never 0; a 0 would be accepted by Discord's API
        // nowhere, e.g. commands registered in guild 0 are simply never seen.
        if f.guild_id == Some(0) {
            return Err("discord.guild_id: 0 is not a Discord id (ids are numbers above 0)".into());
        }
        for (key, ids) in [
            ("help_channels", &f.help_channels),
            ("help_forums", &f.help_forums),
            ("admin_roles", &f.admin_roles),
            ("admin_users", &f.admin_users),
        ] {
            if ids.contains(&0) {
                return Err(format!(
                    "discord.{key}: 0 is not a Discord id (ids are numbers above 0)"
                ));
            }
        }
        Ok(DiscordSettings {
            token_file: f.token_file,
            api_base_url,
            guild_id: f.guild_id,
            ephemeral: f.ephemeral,
            help_channels: f.help_channels,
            help_forums: f.help_forums,
            answered_tag: f
                .answered_tag
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
            admin_roles: f.admin_roles,
            admin_users: f.admin_users,
            shards,
        })
    }
}

/// An http(s) URL with a host. The message never quotes the text: a token pasted into
/// the wrong setting must not end up in a log.
fn parse_http_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("not a link ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("not an http(s) link".into());
    }
    if url.host().is_none() {
        return Err("the link has no host".into());
    }
    Ok(url)
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
#[serde(try_from = "LimitsFile")]
pub struct LimitSettings {
    /// Replies one user may get per `cooldown_seconds` (questions, button presses,
    /// hints; whatever makes the bot speak to them); 0 turns the cooldown off.
    pub questions_per_window: u32,
    /// At most [`MAX_COOLDOWN_SECONDS`].
    pub cooldown_seconds: u64,
    /// Public messages the bot posts in one channel per `cooldown_seconds`, whoever
    /// asked; past it, interactions are answered privately and mentions get one notice,
    /// then silence. 0 turns it off.
    pub channel_replies_per_window: u32,
    /// How long shutdown waits for replies in flight; at most
    /// [`MAX_SHUTDOWN_GRACE_SECONDS`].
    pub shutdown_grace_seconds: u64,
    /// How long after an interaction arrives its first reply is still worth sending
    /// (Discord takes it within 3 s); a reply queued or rate-limited past this is
    /// dropped, which sheds load when the bot is behind. Raise it only for a Discord
    /// without that limit (the tests' fake, on a busy machine).
    pub reply_deadline_ms: u64,
}

/// A longer wait for replies in flight cannot work: a reply to an interaction is
/// useless after Discord's 15 minutes, a channel message long before; Kubernetes
/// (30 s by default) and Docker (10 s) kill a process that takes longer than their own
/// grace period anyway, and a larger value only makes SIGTERM look hung.
pub const MAX_SHUTDOWN_GRACE_SECONDS: u64 = 300;

/// A day. A longer per-user cooldown is a typo, not a policy (and far beyond it the
/// window's end no longer fits in a clock value).
pub const MAX_COOLDOWN_SECONDS: u64 = 86_400;

/// `[limits]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct LimitsFile {
    questions_per_window: u32,
    cooldown_seconds: u64,
    channel_replies_per_window: u32,
    shutdown_grace_seconds: u64,
    reply_deadline_ms: u64,
}

impl Default for LimitsFile {
    fn default() -> Self {
        let d = LimitSettings::default();
        LimitsFile {
            questions_per_window: d.questions_per_window,
            cooldown_seconds: d.cooldown_seconds,
            channel_replies_per_window: d.channel_replies_per_window,
            shutdown_grace_seconds: d.shutdown_grace_seconds,
            reply_deadline_ms: d.reply_deadline_ms,
        }
    }
}

impl TryFrom<LimitsFile> for LimitSettings {
    type Error = String;

    fn try_from(f: LimitsFile) -> Result<Self, String> {
        if f.shutdown_grace_seconds > MAX_SHUTDOWN_GRACE_SECONDS {
            return Err(format!(
                "limits.shutdown_grace_seconds: at most {MAX_SHUTDOWN_GRACE_SECONDS} (orchestrators kill the process long before)"
            ));
        }
        if f.cooldown_seconds > MAX_COOLDOWN_SECONDS {
            return Err(format!(
                "limits.cooldown_seconds: at most {MAX_COOLDOWN_SECONDS} (a day)"
            ));
        }
        if f.reply_deadline_ms == 0 {
            return Err("limits.reply_deadline_ms: at least 1".to_string());
        }
        Ok(LimitSettings {
            questions_per_window: f.questions_per_window,
            cooldown_seconds: f.cooldown_seconds,
            channel_replies_per_window: f.channel_replies_per_window,
            shutdown_grace_seconds: f.shutdown_grace_seconds,
            reply_deadline_ms: f.reply_deadline_ms,
        })
    }
}

impl Default for LimitSettings {
    fn default() -> Self {
        LimitSettings {
            questions_per_window: 5,
            cooldown_seconds: 30,
            channel_replies_per_window: 20,
            shutdown_grace_seconds: 5,
            reply_deadline_ms: 2_800,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "ReloadFile")]
pub struct ReloadSettings {
    /// Reload when files in the FAQ folder change.
    pub watch: bool,
    /// Changes closer together than this are one reload (an editor's save is several),
    /// and the folder must stay unchanged this long before a reload (a file written
    /// in pieces). From 1 to [`MAX_DEBOUNCE_MS`].
    pub debounce_ms: u64,
}

/// A minute: longer and a save seems ignored.
pub const MAX_DEBOUNCE_MS: u64 = 60_000;

/// `[reload]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ReloadFile {
    watch: bool,
    debounce_ms: u64,
}

impl Default for ReloadFile {
    fn default() -> Self {
        let d = ReloadSettings::default();
        ReloadFile {
            watch: d.watch,
            debounce_ms: d.debounce_ms,
        }
    }
}

impl TryFrom<ReloadFile> for ReloadSettings {
    type Error = String;

    fn try_from(f: ReloadFile) -> Result<Self, String> {
        if !(1..=MAX_DEBOUNCE_MS).contains(&f.debounce_ms) {
            return Err(format!(
                "reload.debounce_ms: from 1 to {MAX_DEBOUNCE_MS} (0 would reload on every event of a save)"
            ));
        }
        Ok(ReloadSettings {
            watch: f.watch,
            debounce_ms: f.debounce_ms,
        })
    }
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
    /// The path is not shown: it is a setting's value, and a token pasted into
    /// `token_file` would be printed.
    #[error("discord.token_file: cannot read the file it names: {source}")]
    TokenFile {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The sections a `FAQBOT_<SECTION>_<KEY>` variable can set. Other `FAQBOT_*`
/// variables are not settings and are ignored: `FAQBOT_FAQ_DIR` and `FAQBOT_CONFIG`
/// belong to the command line, and Kubernetes defines `FAQBOT_PORT`,
/// `FAQBOT_SERVICE_HOST`, ... in every pod of a namespace with a Service named
/// `faqbot` (refusing them was a crash loop).
const SECTIONS: &[&str] = &[
    "matcher", "links", "discord", "http", "limits", "reload", "database", "privacy", "learning",
];

/// Whether a `FAQBOT_*` variable (lower case, without the prefix) is a setting: its
/// first word is a section, and it is not a Kubernetes service link (a Service named
/// `faqbot-http` gives `FAQBOT_HTTP_PORT`, `FAQBOT_HTTP_SERVICE_HOST`, ...).
fn is_setting(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.split_once('_')
        .is_some_and(|(section, rest)| SECTIONS.contains(&section) && !rest.is_empty())
        && !is_service_link(&key)
}

/// Kubernetes' service-link variables, without the `FAQBOT_` prefix: `PORT`,
/// `PORT_80_TCP`, `PORT_80_TCP_ADDR` / `_PORT` / `_PROTO`, `SERVICE_HOST`,
/// `SERVICE_PORT`, `SERVICE_PORT_<NAME>`, each maybe after the rest of a Service name
/// (`HTTP_SERVICE_HOST` for a Service `faqbot-http`). No setting is named like these.
fn is_service_link(key: &str) -> bool {
    let words: Vec<&str> = key.split('_').collect();
    let protocol = |w: &str| matches!(w, "tcp" | "udp" | "sctp");
    words.last() == Some(&"port")
        || words
            .windows(2)
            .any(|w| w[0] == "service" && matches!(w[1], "host" | "port"))
        || words.windows(3).any(|w| {
            w[0] == "port"
                && !w[1].is_empty()
                && w[1].bytes().all(|b| b.is_ascii_digit())
                && protocol(w[2])
        })
}

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
            .filter(|key| is_setting(key.as_str()))
            .map(|key| key.as_str().replacen('_', ".", 1).into());
        let settings: Settings = Figment::new()
            .merge(Toml::string(text))
            .merge(env)
            .extract()
            .map_err(|e| invalid(describe(e)))?;
        settings
            .matcher
            .validate()
            .map_err(|why| invalid(redact(&why)))?;
        settings.links.validate().map_err(|_| {
            invalid(
                "links.url_template: must give an http(s) link with a host, e.g. https://wiki.example.org/search?q={title}"
                    .into(),
            )
        })?;
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

/// A settings error, told without the offending value: a value may be a secret pasted
/// into the wrong setting (the token into `guild_id`, say). Names the setting and what
/// is wrong with it.
fn describe(e: figment::Error) -> String {
    e.into_iter()
        .map(|e| describe_one(&e))
        .collect::<Vec<_>>()
        .join("; ")
}

fn describe_one(e: &figment::Error) -> String {
    use figment::error::Kind;
    let what = match &e.kind {
        // This file's own messages (they name the setting, never the value) and parse
        // errors of the file, which may quote the line.
        Kind::Message(message) => redact(message),
        Kind::InvalidType(actual, expected) => {
            format!("expected {expected}, found {}", kind_of(actual))
        }
        Kind::InvalidValue(actual, expected) => {
            format!("invalid {}, expected {expected}", kind_of(actual))
        }
        Kind::InvalidLength(n, expected) => format!("{n} values, expected {expected}"),
        Kind::UnknownVariant(_, expected) => {
            format!("unknown value, expected one of: {}", expected.join(", "))
        }
        Kind::UnknownField(field, expected) => format!(
            "unknown setting `{}`, expected one of: {}",
            redact(field),
            expected.join(", ")
        ),
        Kind::MissingField(field) => format!("missing `{field}`"),
        Kind::DuplicateField(field) => format!("`{field}` is given twice"),
        Kind::ISizeOutOfRange(_) | Kind::USizeOutOfRange(_) => "number out of range".into(),
        Kind::Unsupported(actual) => format!("unsupported {}", kind_of(actual)),
        Kind::UnsupportedKey(actual, expected) => {
            format!("a {} cannot be a key, expected {expected}", kind_of(actual))
        }
    };
    let key = e.path.join(".");
    let from_env = e
        .metadata
        .as_ref()
        .is_some_and(|m| m.name.contains("environment"));
    let source = if from_env {
        " (set in the environment)"
    } else {
        ""
    };
    if key.is_empty()
        || what.starts_with(&format!("{key}."))
        || what.starts_with(&format!("{key}:"))
    {
        format!("{what}{source}")
    } else {
        format!("{key}: {what}{source}")
    }
}

/// What kind of value was found, without the value.
fn kind_of(actual: &figment::error::Actual) -> &'static str {
    use figment::error::Actual;
    match actual {
        Actual::Bool(_) => "a boolean",
        Actual::Unsigned(_) | Actual::Signed(_) => "an integer",
        Actual::Float(_) => "a decimal number",
        Actual::Char(_) | Actual::Str(_) | Actual::Other(_) => "a string",
        Actual::Bytes(_) => "bytes",
        Actual::Unit | Actual::Option => "nothing",
        Actual::Seq => "a list",
        Actual::Map | Actual::NewtypeStruct | Actual::StructVariant => "a table",
        Actual::Enum | Actual::UnitVariant | Actual::NewtypeVariant | Actual::TupleVariant => {
            "a variant"
        }
    }
}

/// Whether a value looks like a Discord bot token: three base64url parts joined by
/// dots (the bot's id, a timestamp, a signature), or `Bot <token>` as an
/// Authorization header has it.
pub fn looks_like_token(text: &str) -> bool {
    let t = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if let Some(rest) = t.strip_prefix("Bot ").or_else(|| t.strip_prefix("bot ")) {
        return !rest.trim().is_empty();
    }
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        && parts[0].len() >= 16
        && parts[1].len() >= 4
        && parts[2].len() >= 20
}

/// A message with anything token-shaped replaced, and without the source excerpt a
/// TOML parse error quotes (`3 | guild_id = <the value>`).
fn redact(message: &str) -> String {
    let kept: Vec<&str> = message
        .lines()
        .filter(|l| !l.contains('|'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let text = kept.join(": ");
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let flush = |word: &mut String, out: &mut String| {
        let after_bot = out.ends_with("Bot ") || out.ends_with("bot ");
        if !word.is_empty() && (after_bot || looks_like_token(word.trim_matches('.'))) {
            out.push_str("[redacted]");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if is_token_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
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
    const TOKEN: &str = "MTA1NjQ3ODkwMTIzNDU2Nzg5MA.GhX3kP.aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3bD";

    #[test]
    fn kubernetes_service_links_are_ignored_and_typos_in_a_section_refused() {
        figment::Jail::expect_with(|jail| {
            for (k, v) in [
                ("FAQBOT_PORT", "tcp://10.0.0.1:80"),
                ("FAQBOT_PORT_80_TCP", "tcp://10.0.0.1:80"),
                ("FAQBOT_PORT_80_TCP_ADDR", "10.0.0.1"),
                ("FAQBOT_PORT_80_TCP_PORT", "80"),
                ("FAQBOT_PORT_80_TCP_PROTO", "tcp"),
                ("FAQBOT_SERVICE_HOST", "10.0.0.1"),
                ("FAQBOT_SERVICE_PORT", "80"),
                ("FAQBOT_SERVICE_PORT_HTTP", "80"),
                // A Service named faqbot-http.
                ("FAQBOT_HTTP_PORT", "tcp://10.0.0.2:80"),
                ("FAQBOT_HTTP_SERVICE_HOST", "10.0.0.2"),
                ("FAQBOT_HTTP_PORT_9090_TCP_ADDR", "10.0.0.2"),
            ] {
                jail.set_env(k, v);
            }
            jail.set_env("FAQBOT_MATCHER_ANSWER", "0.7");
            let s = Settings::from_sources(Path::new("t.toml"), "", Env::prefixed("FAQBOT_"))
                .map_err(|e| e.to_string())?;
            assert_eq!(s.matcher.answer, 0.7);
            jail.set_env("FAQBOT_MATCHER_ANSER", "0.7");
            let e = Settings::from_sources(Path::new("t.toml"), "", Env::prefixed("FAQBOT_"))
                .expect_err("a typo in a known section")
                .to_string();
            assert!(e.contains("anser"), "{e}");
            Ok(())
        });
        assert!(!is_setting("port_80_tcp"));
        assert!(is_setting("limits_shutdown_grace_seconds"));
        assert!(is_setting("discord_shard_count"));
        assert!(!is_setting("faq_dir"));
    }

    #[test]
    fn values_that_cannot_work_are_refused() {
        figment::Jail::expect_with(|_| {
            let refused = |text: &str, key: &str| {
                let e = Settings::from_sources(Path::new("t.toml"), text, Env::prefixed("FAQBOT_"))
                    .expect_err(text)
                    .to_string();
                assert!(e.contains(key), "{key} in {e}");
            };
            refused("[discord]\nguild_id = 0\n", "discord.guild_id");
            refused("[discord]\nadmin_roles = [0]\n", "discord.admin_roles");
            refused(
                "[limits]\nshutdown_grace_seconds = 301\n",
                "limits.shutdown_grace_seconds",
            );
            refused(
                "[limits]\ncooldown_seconds = 99999999999\n",
                "limits.cooldown_seconds",
            );
            refused("[reload]\ndebounce_ms = 0\n", "reload.debounce_ms");
            refused("[reload]\ndebounce_ms = 3600000\n", "reload.debounce_ms");
            let s = Settings::from_sources(
                Path::new("t.toml"),
                "[limits]\nshutdown_grace_seconds = 300\n[reload]\ndebounce_ms = 1\n",
                Env::prefixed("FAQBOT_"),
            )
            .map_err(|e| e.to_string())?;
            assert_eq!(s.limits.shutdown_grace_seconds, 300);
            assert_eq!(s.limits.questions_per_window, 5, "defaults still apply");
            Ok(())
        });
    }

    #[test]
    fn a_token_in_the_wrong_setting_is_never_shown() {
        figment::Jail::expect_with(|jail| {
            for (key, var) in [
                ("discord.guild_id", "FAQBOT_DISCORD_GUILD_ID"),
                ("discord.api_base_url", "FAQBOT_DISCORD_API_BASE_URL"),
                ("http.listen", "FAQBOT_HTTP_LISTEN"),
                ("discord.help_channels", "FAQBOT_DISCORD_HELP_CHANNELS"),
            ] {
                for value in [TOKEN.to_string(), format!("Bot {TOKEN}")] {
                    jail.set_env(var, &value);
                    let e =
                        Settings::from_sources(Path::new("t.toml"), "", Env::prefixed("FAQBOT_"))
                            .expect_err(var)
                            .to_string();
                    assert!(e.contains(key), "{key} in {e}");
                    assert!(!e.contains(&TOKEN[30..]), "{e}");
                    jail.clear_env();
                }
            }
            // Unquoted in the file: a TOML syntax error, which quotes the line.
            let e = Settings::from_sources(
                Path::new("t.toml"),
                &format!("[discord]\nguild_id = {TOKEN}\n"),
                Env::prefixed("FAQBOT_"),
            )
            .expect_err("not TOML")
            .to_string();
            assert!(!e.contains(&TOKEN[30..]), "{e}");
            Ok(())
        });
        assert!(looks_like_token(TOKEN));
        assert!(looks_like_token("Bot abc"));
        assert!(!looks_like_token("www.example.org"));
        assert!(!looks_like_token("127.0.0.1:9090"));
        assert_eq!(redact(&format!("x {TOKEN}, y")), "x [redacted], y");
    }
}

//! One data-access layer for SQLite (the default, a file) and PostgreSQL (several
//! processes sharing one log): sqlx's `Any` driver, portable SQL with `$n` parameters
//! (SQLite reads them too), and one set of migrations (`migrations/`) for both.
//!
//! Connecting is lazy and the schema is made ready on first use, so a database that is
//! down when the bot starts costs the log, never the bot; it is retried on every write.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, ConnectOptions, Row};
use tokio::sync::OnceCell;

use super::{now_ms, LearningMetrics, QuestionId, VoteLabels};
use crate::config::DatabaseSettings;
use crate::knowledge::FaqId;

/// The schema, embedded: the binary carries its migrations.
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "question log",
    include_str!("../../migrations/0001_question_log.sql"),
)];

/// How long a write waits for a connection before it counts as failed: short, so a
/// database that is down shows in the metrics at once instead of stalling the writer.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the folder {path} for the database: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the log's database. Cheap to clone.
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

struct Inner {
    pool: AnyPool,
    backend: Backend,
    /// The salt for person hashes, once the schema is ready.
    salt: OnceCell<Vec<u8>>,
    /// Where it is, for messages (a file path, or the URL's scheme and host).
    place: String,
    metrics: LearningMetrics,
}

/// Pages SQLite caches per connection, in KiB (negative: a size, not a page count).
const SQLITE_CACHE: &str = "PRAGMA cache_size = -256";

impl Database {
    /// The database the settings name; connects on first use. Votes are counted in
    /// `metrics`.
    pub fn connect_lazy(
        settings: &DatabaseSettings,
        metrics: LearningMetrics,
    ) -> Result<Self, DbError> {
        sqlx::any::install_default_drivers();
        let (url, backend, place) = match &settings.url {
            Some(url) if url.is_postgres() => {
                let place = url::Url::parse(url.as_str())
                    .ok()
                    .and_then(|u| Some(format!("postgres://{}", u.host_str()?)))
                    .unwrap_or_else(|| "postgres".into());
                (url.as_str().to_string(), Backend::Postgres, place)
            }
            Some(url) => (
                url.as_str().to_string(),
                Backend::Sqlite,
                url.as_str().into(),
            ),
            None => {
                let path = &settings.path;
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                        path: parent.to_path_buf(),
                        source,
                    })?;
                }
                (
                    sqlite_url(path),
                    Backend::Sqlite,
                    path.display().to_string(),
                )
            }
        };
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let sqlite = backend == Backend::Sqlite;
        let pool = AnyPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // With WAL, NORMAL survives a crash of the bot (not of the
                        // machine) without an fsync per batch: right for a log that
                        // shares two cores with the replies.
                        sqlx::query("PRAGMA synchronous = NORMAL")
                            .execute(&mut *conn)
                            .await?;
                        // The log is appended to and read now and then: a small page
                        // cache per connection is enough (the OS caches the file).
                        // SQLite's default, 2 MiB per connection, stays resident once
                        // filled (four connections: 8 MiB on a long-running bot), and
                        // a burst fills it in pieces among what the burst frees.
                        sqlx::query(SQLITE_CACHE).execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect_lazy_with(options);
        Ok(Database {
            inner: Arc::new(Inner {
                pool,
                backend,
                salt: OnceCell::new(),
                place,
                metrics,
            }),
        })
    }

    /// Connects and makes the schema ready now: for the commands, which need the data.
    pub async fn open(
        settings: &DatabaseSettings,
        metrics: LearningMetrics,
    ) -> Result<Self, DbError> {
        let db = Self::connect_lazy(settings, metrics)?;
        db.ready().await?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.inner.backend
    }

    /// Where the database is (no password), for messages.
    pub fn place(&self) -> &str {
        &self.inner.place
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.inner.pool
    }

    /// Migrates the schema and reads (or creates) the salt; once per process, retried
    /// until it succeeds.
    pub async fn ready(&self) -> Result<&[u8], DbError> {
        self.inner
            .salt
            .get_or_try_init(|| async {
                if self.inner.backend == Backend::Sqlite {
                    // Readers (the CLI, the admin page) do not block the writer.
                    sqlx::query("PRAGMA journal_mode = WAL")
                        .execute(self.pool())
                        .await?;
                }
                migrator().run(self.pool()).await?;
                let mut fresh = [0u8; 32];
                rand::thread_rng().fill_bytes(&mut fresh);
                // Several processes may start at once: the first salt written wins.
                sqlx::query(
                    "INSERT INTO learning_settings (key, value) VALUES ('person_salt', $1) \
                     ON CONFLICT (key) DO NOTHING",
                )
                .bind(hex(&fresh))
                .execute(self.pool())
                .await?;
                let salt: String =
                    sqlx::query("SELECT value FROM learning_settings WHERE key = 'person_salt'")
                        .fetch_one(self.pool())
                        .await?
                        .try_get(0)?;
                Ok::<_, DbError>(salt.into_bytes())
            })
            .await
            .map(Vec::as_slice)
    }

    /// A person as the log knows them: HMAC-SHA-256 of the user id under this
    /// database's salt, so people can be counted but not named.
    pub async fn person(&self, user: u64) -> Result<String, DbError> {
        let salt = self.ready().await?;
        Ok(person_hash(salt, user))
    }

    /// A "helpful" / "not helpful" vote on the answer to a question; a person's second
    /// vote on the same question replaces the first.
    pub async fn record_vote(
        &self,
        question: QuestionId,
        faq: FaqId,
        helpful: bool,
        user: u64,
    ) -> Result<(), DbError> {
        let person = self.person(user).await?;
        sqlx::query(
            "INSERT INTO feedback (question_id, faq_id, helpful, person, voted_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (question_id, person) DO UPDATE SET \
             faq_id = excluded.faq_id, helpful = excluded.helpful, voted_at = excluded.voted_at",
        )
        .bind(question.0)
        .bind(i64::from(faq))
        .bind(i64::from(helpful))
        .bind(person)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        let vote = if helpful { "helpful" } else { "not_helpful" };
        self.inner
            .metrics
            .votes
            .get_or_create(&VoteLabels { vote: vote.into() })
            .inc();
        Ok(())
    }

    /// The FAQ a person picked for a question ("did you mean", or another after "not
    /// helpful"); the latest pick per person and question counts.
    pub async fn record_resolution(
        &self,
        question: QuestionId,
        faq: FaqId,
        user: u64,
    ) -> Result<(), DbError> {
        let person = self.person(user).await?;
        sqlx::query(
            "INSERT INTO resolutions (question_id, faq_id, person, resolved_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (question_id, person) DO UPDATE SET \
             faq_id = excluded.faq_id, resolved_at = excluded.resolved_at",
        )
        .bind(question.0)
        .bind(i64::from(faq))
        .bind(person)
        .bind(now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Deletes questions, votes and resolutions older than `retention_days`.
    pub async fn prune(&self, retention_days: u32) -> Result<Pruned, DbError> {
        self.ready().await?;
        let cutoff = now_ms() - i64::from(retention_days) * 86_400_000;
        let mut tx = self.pool().begin().await?;
        let delete = |sql: &'static str| sqlx::query(sql).bind(cutoff);
        let questions = delete("DELETE FROM questions WHERE asked_at < $1")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let votes = delete("DELETE FROM feedback WHERE voted_at < $1")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let resolutions = delete("DELETE FROM resolutions WHERE resolved_at < $1")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(Pruned {
            questions,
            votes,
            resolutions,
        })
    }

    /// Closes the connections (the CLI, before it exits).
    pub async fn close(&self) {
        self.inner.pool.close().await;
    }
}

/// What `prune` deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    pub questions: u64,
    pub votes: u64,
    pub resolutions: u64,
}

fn migrator() -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// `sqlite:///absolute/path?mode=rwc`, the path percent-encoded (a `?` or `#` in a
/// file name would otherwise end it).
fn sqlite_url(path: &Path) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy();
    let encoded = percent_encoding::utf8_percent_encode(&text, KEEP);
    format!("sqlite://{encoded}?mode=rwc")
}

pub(crate) fn person_hash(salt: &[u8], user: u64) -> String {
    // HMAC accepts keys of any length: this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(salt)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(user.to_string().as_bytes());
    hex(&mac.finalize().into_bytes()[..16])
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_hash_depends_on_the_salt_and_is_not_the_id() {
        let a = person_hash(b"salt-one", 1234);
        assert_eq!(a, person_hash(b"salt-one", 1234));
        assert_ne!(a, person_hash(b"salt-two", 1234));
        assert_ne!(a, person_hash(b"salt-one", 1235));
        assert!(!a.contains("1234"));
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn sqlite_urls_keep_odd_file_names_whole() {
        let url = sqlite_url(Path::new("/tmp/a dir/log?.sqlite3"));
        assert_eq!(url, "sqlite:///tmp/a%20dir/log%3F.sqlite3?mode=rwc");
    }
}

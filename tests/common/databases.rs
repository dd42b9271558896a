//! Databases for the question-log tests: an SQLite file always, and a fresh PostgreSQL
//! database per test when `FAQBOT_TEST_POSTGRES_URL` names a server (`.ci/run` starts
//! one). Also a TCP proxy that can take a database away mid-test and bring it back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use faqbot::config::{DatabaseSettings, DatabaseUrl};
use faqbot::learning::{Database, LearningMetrics};

pub const POSTGRES_ENV: &str = "FAQBOT_TEST_POSTGRES_URL";

pub struct TestDb {
    pub name: &'static str,
    pub settings: DatabaseSettings,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn open(&self) -> Database {
        Database::open(&self.settings, LearningMetrics::default())
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", self.name))
    }
}

pub fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    TestDb {
        name: "sqlite",
        settings: DatabaseSettings {
            path: dir.path().join("log.sqlite3"),
            url: None,
        },
        _dir: Some(dir),
    }
}

/// The server's URL, or `None` with a note that the PostgreSQL half is skipped.
pub fn postgres_server() -> Option<url::Url> {
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url.parse().expect("a postgres:// URL")),
        _ => {
            eprintln!(
                "note: PostgreSQL part skipped: {POSTGRES_ENV} is not set (.ci/run starts a server and sets it)"
            );
            None
        }
    }
}

/// A new, empty database on the test server.
pub async fn postgres(server: &url::Url) -> TestDb {
    use sqlx::Connection;
    let name = format!("faqbot_test_{:016x}", rand::random::<u64>());
    let mut admin = sqlx::PgConnection::connect(server.as_str())
        .await
        .expect("the test PostgreSQL server answers");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    let _ = admin.close().await;
    let mut url = server.clone();
    url.set_path(&name);
    TestDb {
        name: "postgres",
        settings: DatabaseSettings {
            path: "unused".into(),
            url: Some(DatabaseUrl::try_from(url.to_string()).expect("a database URL")),
        },
        _dir: None,
    }
}

/// SQLite, and PostgreSQL when a server is configured.
pub async fn backends() -> Vec<TestDb> {
    let mut all = vec![sqlite()];
    if let Some(server) = postgres_server() {
        all.push(postgres(&server).await);
    }
    all
}

/// Forwards TCP to `target` while up; `down()` cuts every connection and refuses new
/// ones, like a database server that stopped.
pub struct Proxy {
    pub addr: std::net::SocketAddr,
    up: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Proxy {
    pub async fn start(target: std::net::SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let up = Arc::new(AtomicBool::new(true));
        let connections = Arc::new(Mutex::new(Vec::new()));
        let (up2, conns2) = (Arc::clone(&up), Arc::clone(&connections));
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                conns2.lock().expect("lock").push(task);
            }
        });
        Proxy {
            addr,
            up,
            connections,
        }
    }

    pub fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        for task in self.connections.lock().expect("lock").drain(..) {
            task.abort();
        }
    }

    pub fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// `url` with its host and port replaced by the proxy's.
pub fn through(url: &DatabaseUrl, proxy: &Proxy) -> DatabaseUrl {
    let mut u: url::Url = url.as_str().parse().expect("url");
    u.set_host(Some("127.0.0.1")).expect("host");
    u.set_port(Some(proxy.addr.port())).expect("port");
    DatabaseUrl::try_from(u.to_string()).expect("url")
}

/// Where a postgres URL points.
pub fn target_of(url: &DatabaseUrl) -> std::net::SocketAddr {
    use std::net::ToSocketAddrs;
    let u: url::Url = url.as_str().parse().expect("url");
    (u.host_str().expect("host"), u.port().unwrap_or(5432))
        .to_socket_addrs()
        .expect("resolves")
        .next()
        .expect("an address")
}

/// A PostgreSQL URL where nothing listens: the bot starts, and every write fails.
pub fn unreachable_postgres() -> faqbot::config::DatabaseUrl {
    faqbot::config::DatabaseUrl::try_from("postgres://postgres@127.0.0.1:1/none".to_string())
        .expect("url")
}

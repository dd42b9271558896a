//! A fake Discord on 127.0.0.1 for end-to-end tests: REST (gateway lookup, current
//! user, command registration, interaction callbacks, follow-ups, channel messages,
//! channels and their messages as a test set them up, thread edits) and a gateway
//! websocket (HELLO, IDENTIFY → READY, heartbeats, RESUME, dispatches).
//! The real serenity client connects to it through faqbot's base-URL setting. Every
//! REST call is recorded, so tests assert on the JSON that reached "Discord".
//!
//! Faults on demand: 429s with any body, failing or hung routes, a gateway that never
//! says HELLO or closes on IDENTIFY with a code, an outage of N seconds, and
//! [`refused_url`] for a Discord that is not there at all.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::{mpsc, Notify};

pub const BOT_ID: u64 = 900_000_000_000_000_001;
pub const APP_ID: u64 = 900_000_000_000_000_002;
pub const GUILD_ID: u64 = 900_000_000_000_000_003;
pub const CHANNEL_ID: u64 = 900_000_000_000_000_004;
pub const ADMIN_ROLE: u64 = 900_000_000_000_000_005;
/// Discord's epoch (2015-01-01T00:00:00Z), in milliseconds since the Unix epoch.
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// A snowflake made `ago` before now (its top 42 bits are milliseconds since Discord's
/// epoch), with `n` in the low bits so that ids made together differ.
pub fn snowflake_ago(ago: Duration, n: u64) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as u64;
    let ms = now - ago.as_millis() as u64 - DISCORD_EPOCH_MS;
    (ms << 22) | (n & 0x3f_ffff)
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub headers: Vec<(String, String)>,
    pub at: Instant,
}

enum GatewayCommand {
    Send(Value),
    Close(u16),
    /// The connection drops without a close frame (a network outage).
    Drop,
}

/// How the gateway greets a new connection.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum Greeting {
    #[default]
    Normal,
    /// Accepts the websocket, then never sends HELLO.
    NoHello,
    /// Sends HELLO, and closes with this code when the client identifies (4004: bad
    /// token, 4014: disallowed intents).
    CloseOnIdentify(u16),
}

#[derive(Default)]
struct Inner {
    port: u16,
    requests: Mutex<Vec<Recorded>>,
    gateway_messages: Mutex<Vec<Value>>,
    connections: Mutex<Vec<mpsc::UnboundedSender<GatewayCommand>>>,
    changed: Notify,
    seq: AtomicU64,
    ids: AtomicU64,
    /// Answer the next N interaction callbacks with 429 and this body.
    rate_limits: Mutex<Option<(u32, Value)>>,
    /// Answer every interaction callback with this status.
    callback_status: Mutex<Option<u16>>,
    /// Requests whose path starts with one of these are never answered.
    hung: Mutex<Vec<String>>,
    greeting: Mutex<Greeting>,
    /// Until then the gateway (lookup and websocket) answers 503.
    down_until: Mutex<Option<Instant>>,
    /// Hold every interaction callback this long before answering (a slow Discord).
    callback_delay: Mutex<Duration>,
    /// When each dispatched payload with an id left the fake (for latency figures).
    sent_at: Mutex<std::collections::HashMap<String, Instant>>,
    /// Channels by id, for GET /channels/{id} (a forum with its `available_tags`).
    channels: Mutex<std::collections::HashMap<String, Value>>,
    /// Messages by channel id, oldest first, for GET /channels/{id}/messages (newest
    /// first, as Discord answers); messages the bot posts are added.
    messages: Mutex<std::collections::HashMap<String, Vec<Value>>>,
    /// Requests answered with a status instead: (method, path prefix, status).
    failing: Mutex<Vec<(String, String, u16)>>,
}

#[derive(Clone)]
pub struct FakeDiscord {
    inner: Arc<Inner>,
    pub base_url: String,
}

impl FakeDiscord {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake Discord");
        let port = listener.local_addr().expect("addr").port();
        let inner = Arc::new(Inner {
            port,
            ids: AtomicU64::new(1),
            ..Inner::default()
        });
        let app = Router::new()
            .route("/api/v10/gateway", get(gateway))
            .route("/api/v10/gateway/bot", get(gateway))
            .route("/ws", get(websocket))
            .fallback(rest)
            .with_state(Arc::clone(&inner));
        tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("fake Discord serves");
        });
        FakeDiscord {
            base_url: format!("http://127.0.0.1:{port}"),
            inner,
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.requests.lock().expect("lock").clone()
    }

    /// Gateway payloads the bot sent (IDENTIFY, RESUME, heartbeats).
    pub fn gateway_messages(&self) -> Vec<Value> {
        self.inner.gateway_messages.lock().expect("lock").clone()
    }

    /// Waits until `n` recorded requests match; returns them (fewer on timeout).
    pub async fn wait_for_count(
        &self,
        n: usize,
        timeout: Duration,
        pred: impl Fn(&Recorded) -> bool,
    ) -> Vec<Recorded> {
        let until = Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            // Count under the lock and clone only at the end: load tests wait for
            // thousands of requests, and cloning them on every arrival would take
            // the CPU the bot under test needs.
            let count = self
                .inner
                .requests
                .lock()
                .expect("lock")
                .iter()
                .filter(|r| pred(r))
                .count();
            if count >= n
                || tokio::time::timeout_at(until.into(), notified)
                    .await
                    .is_err()
            {
                return self
                    .inner
                    .requests
                    .lock()
                    .expect("lock")
                    .iter()
                    .filter(|r| pred(r))
                    .cloned()
                    .collect();
            }
        }
    }

    /// Waits until a recorded REST request matches, or the timeout passes.
    pub async fn wait_for_request(
        &self,
        timeout: Duration,
        pred: impl Fn(&Recorded) -> bool,
    ) -> Option<Recorded> {
        self.wait_for_count(1, timeout, pred)
            .await
            .into_iter()
            .next()
    }

    pub async fn wait_for_gateway(
        &self,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        let until = Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            if let Some(m) = self.gateway_messages().into_iter().find(|m| pred(m)) {
                return Some(m);
            }
            if tokio::time::timeout_at(until.into(), notified)
                .await
                .is_err()
            {
                return None;
            }
        }
    }

    /// The callback for one interaction id, once it arrives.
    pub async fn callback_for(&self, interaction_id: u64, timeout: Duration) -> Option<Recorded> {
        let prefix = format!("/api/v10/interactions/{interaction_id}/");
        self.wait_for_request(timeout, |r| {
            r.path.starts_with(&prefix) && r.path.ends_with("/callback") && r.method == "POST"
        })
        .await
    }

    /// The next `count` interaction callbacks get a 429 with this `retry_after`.
    pub fn rate_limit_callbacks(&self, count: u32, retry_after: f64) {
        self.rate_limit_callbacks_with(
            count,
            json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": false}),
        );
    }

    /// The next `count` interaction callbacks get a 429 with this JSON body (any
    /// `retry_after`, or none).
    pub fn rate_limit_callbacks_with(&self, count: u32, body: Value) {
        *self.inner.rate_limits.lock().expect("lock") = Some((count, body));
    }

    /// Every interaction callback from now on is answered with this status.
    pub fn fail_callbacks(&self, status: u16) {
        *self.inner.callback_status.lock().expect("lock") = Some(status);
    }

    /// Requests whose path starts with `prefix` (e.g. `/api/v10/gateway`) are never
    /// answered.
    pub fn hang(&self, prefix: &str) {
        self.inner
            .hung
            .lock()
            .expect("lock")
            .push(prefix.to_string());
    }

    /// How the gateway treats connections from now on.
    pub fn set_greeting(&self, greeting: Greeting) {
        *self.inner.greeting.lock().expect("lock") = greeting;
    }

    /// Drops every gateway connection and refuses new ones (HTTP 503, also for the
    /// gateway lookup) for `duration`.
    pub fn outage(&self, duration: Duration) {
        *self.inner.down_until.lock().expect("lock") = Some(Instant::now() + duration);
        for tx in self.inner.connections.lock().expect("lock").iter() {
            let _ = tx.send(GatewayCommand::Drop);
        }
    }

    /// How many websocket connections the gateway has accepted.
    pub fn gateway_connections(&self) -> usize {
        self.inner.connections.lock().expect("lock").len()
    }

    /// Every interaction callback is answered only after this delay.
    pub fn delay_callbacks(&self, delay: Duration) {
        *self.inner.callback_delay.lock().expect("lock") = delay;
    }

    /// When the dispatch carrying this id was written to the gateway socket.
    pub fn sent_at(&self, id: u64) -> Option<Instant> {
        self.inner
            .sent_at
            .lock()
            .expect("lock")
            .get(&id.to_string())
            .copied()
    }

    /// GET /channels/{id} answers `channel` from now on.
    pub fn put_channel(&self, id: u64, channel: Value) {
        self.inner
            .channels
            .lock()
            .expect("lock")
            .insert(id.to_string(), channel);
    }

    /// Adds a message to a channel's history (what GET /channels/{id}/messages shows).
    pub fn put_message(&self, channel: u64, message: Value) {
        self.inner
            .messages
            .lock()
            .expect("lock")
            .entry(channel.to_string())
            .or_default()
            .push(message);
    }

    /// Requests with this method and a path starting with `prefix` are answered with
    /// `status` (and recorded as `<path>#<status>`).
    pub fn fail_route(&self, method: &str, prefix: &str, status: u16) {
        self.inner.failing.lock().expect("lock").push((
            method.to_string(),
            prefix.to_string(),
            status,
        ));
    }

    /// A new post (thread) in a forum, as THREAD_CREATE: its first message (same id as
    /// the thread) goes into the thread's history with `content` (empty: what a bot
    /// without the Message Content intent gets), then the event is dispatched.
    pub fn forum_post(&self, post: &ForumPost) {
        self.put_message(
            post.id,
            json!({
                "id": post.id.to_string(),
                "channel_id": post.id.to_string(),
                "author": user(post.owner, "poster", false),
                "content": post.content,
                "mentions": [],
                "type": 0,
            }),
        );
        self.dispatch_thread_create(post);
    }

    /// THREAD_CREATE for `post` alone (again, or for a post whose history the test
    /// wrote itself).
    pub fn dispatch_thread_create(&self, post: &ForumPost) {
        self.dispatch(
            "THREAD_CREATE",
            json!({
                "id": post.id.to_string(),
                "guild_id": GUILD_ID.to_string(),
                "parent_id": post.forum.to_string(),
                "owner_id": post.owner.to_string(),
                "type": 11,
                "name": post.title,
                "last_message_id": post.id.to_string(),
                "rate_limit_per_user": 0,
                "flags": 0,
                "message_count": 0,
                "member_count": 1,
                "total_message_sent": 0,
                "thread_metadata": {
                    "archived": false,
                    "auto_archive_duration": 4320,
                    "archive_timestamp": "2024-01-01T00:00:00.000000+00:00",
                    "locked": false,
                },
                "applied_tags": post.tags.iter().map(u64::to_string).collect::<Vec<_>>(),
                "newly_created": true,
            }),
        );
    }

    pub fn next_id(&self) -> u64 {
        800_000_000_000_000_000 + self.inner.ids.fetch_add(1, Ordering::SeqCst)
    }

    /// Sends a dispatch (op 0) on the newest gateway connection.
    pub fn dispatch(&self, event: &str, data: Value) {
        let seq = self.inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
        self.send(json!({"op": 0, "t": event, "s": seq, "d": data}));
    }

    fn send(&self, payload: Value) {
        if let Some(tx) = self.inner.connections.lock().expect("lock").last() {
            let _ = tx.send(GatewayCommand::Send(payload));
        }
    }

    /// Closes the newest gateway connection with a close code (4000: unknown error,
    /// after which a client resumes).
    pub fn close_gateway(&self, code: u16) {
        if let Some(tx) = self.inner.connections.lock().expect("lock").last() {
            let _ = tx.send(GatewayCommand::Close(code));
        }
    }

    /// Sends an application command interaction; returns its id.
    pub fn command(&self, name: &str, options: Value, member: Value) -> u64 {
        let id = self.next_id();
        self.dispatch(
            "INTERACTION_CREATE",
            interaction(
                id,
                2,
                json!({"id": "1", "name": name, "type": 1, "options": options}),
                member,
            ),
        );
        id
    }

    /// `/ask question:<question>` from a guild member without special roles.
    pub fn ask(&self, question: &str, user_id: u64) -> u64 {
        self.command(
            "ask",
            json!([{"name": "question", "type": 3, "value": question}]),
            member(user_id, &[], "0"),
        )
    }

    pub fn autocomplete(&self, name: &str, options: Value) -> u64 {
        let id = self.next_id();
        self.dispatch(
            "INTERACTION_CREATE",
            interaction(
                id,
                4,
                json!({"id": "1", "name": name, "type": 1, "options": options}),
                member(100, &[], "0"),
            ),
        );
        id
    }

    pub fn button(&self, custom_id: &str) -> u64 {
        self.press(custom_id, member(100, &[], "0"), None, 0)
    }

    /// A press on a component of a bot message: a button (`values` None) or a select
    /// menu with the picked values, by `member`, on a message with these flags (64:
    /// ephemeral) that carries that component, as Discord sends it.
    pub fn press(
        &self,
        custom_id: &str,
        member: Value,
        values: Option<&[&str]>,
        flags: u64,
    ) -> u64 {
        let component = match values {
            None => json!({"type": 2, "style": 2, "label": "a button", "custom_id": custom_id}),
            Some(values) => json!({"type": 3, "custom_id": custom_id, "options":
                values.iter().map(|v| json!({"label": v, "value": v})).collect::<Vec<_>>()}),
        };
        let on_message = json!([{"type": 1, "components": [component]}]);
        self.press_on(custom_id, member, values, flags, on_message)
    }

    /// A press claiming `custom_id` on a message whose components are `on_message`
    /// (what a modified client can send: any id, against any message).
    pub fn press_on(
        &self,
        custom_id: &str,
        member: Value,
        values: Option<&[&str]>,
        flags: u64,
        on_message: Value,
    ) -> u64 {
        let id = self.next_id();
        let data = match values {
            None => json!({"custom_id": custom_id, "component_type": 2}),
            Some(values) => json!({"custom_id": custom_id, "component_type": 3, "values": values}),
        };
        let mut i = interaction(id, 3, data, member);
        let mut m = message(
            self.next_id(),
            user(BOT_ID, "faqbot", true),
            "Did you mean…",
            &[],
            Some(GUILD_ID),
        );
        m["flags"] = json!(flags);
        m["components"] = on_message;
        i["message"] = m;
        self.dispatch("INTERACTION_CREATE", i);
        id
    }

    /// An application command with `resolved` data (users picked in options, or the
    /// target of a message command).
    pub fn command_resolved(
        &self,
        name: &str,
        kind: u8,
        options: Value,
        resolved: Value,
        target: Option<u64>,
        member: Value,
    ) -> u64 {
        let id = self.next_id();
        let mut data = json!({"id": "1", "name": name, "type": kind, "options": options, "resolved": resolved});
        if let Some(target) = target {
            data["target_id"] = json!(target.to_string());
        }
        self.dispatch("INTERACTION_CREATE", interaction(id, 2, data, member));
        id
    }

    /// "Find FAQ answer" (a message command) on a message by `author` with `content`;
    /// returns (interaction id, target message id).
    pub fn find_answer(&self, author: u64, content: &str, invoker: Value) -> (u64, u64) {
        let target = self.next_id();
        let m = message(
            target,
            user(author, "asker", false),
            content,
            &[],
            Some(GUILD_ID),
        );
        let id = self.command_resolved(
            "Find FAQ answer",
            3,
            json!([]),
            json!({"messages": {target.to_string(): m}}),
            Some(target),
            invoker,
        );
        (id, target)
    }

    /// A message by `author` written as a reply to `original` (a message JSON, see
    /// [`message_json`]).
    pub fn reply_message(
        &self,
        author: u64,
        content: &str,
        mentions: &[Value],
        original: Value,
    ) -> u64 {
        let id = self.next_id();
        let mut m = message(
            id,
            user(author, "helper", false),
            content,
            mentions,
            Some(GUILD_ID),
        );
        m["message_reference"] = json!({"message_id": original["id"], "channel_id": CHANNEL_ID.to_string(), "guild_id": GUILD_ID.to_string()});
        m["referenced_message"] = original;
        m["type"] = json!(19);
        self.dispatch("MESSAGE_CREATE", m);
        id
    }

    /// A channel message by a user; `guild` None makes it a DM.
    pub fn user_message(
        &self,
        author: u64,
        content: &str,
        mentions: &[Value],
        guild: Option<u64>,
    ) -> u64 {
        let id = self.next_id();
        self.dispatch(
            "MESSAGE_CREATE",
            message(id, user(author, "someone", false), content, mentions, guild),
        );
        id
    }
}

/// A forum post for [`FakeDiscord::forum_post`].
#[derive(Debug, Clone)]
pub struct ForumPost {
    /// The thread's id, also its first message's.
    pub id: u64,
    pub forum: u64,
    pub owner: u64,
    pub title: String,
    /// The first message's text.
    pub content: String,
    /// Tags already on the post.
    pub tags: Vec<u64>,
}

pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": null, "avatar": null, "bot": bot})
}

/// A guild member with roles and computed permissions (a decimal bit string).
pub fn member(user_id: u64, roles: &[u64], permissions: &str) -> Value {
    json!({
        "user": user(user_id, "member", false),
        "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": "2024-01-01T00:00:00.000000+00:00",
        "deaf": false, "mute": false, "flags": 0,
        "permissions": permissions,
    })
}

fn interaction(id: u64, kind: u8, data: Value, member: Value) -> Value {
    json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "data": data,
        "guild_id": GUILD_ID.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "member": member,
        "token": format!("token-{id}"),
        "version": 1,
        "app_permissions": "0",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": 8_388_608,
    })
}

/// A guild message by `author` in the test channel, as Discord sends it.
pub fn message_json(id: u64, author: u64, content: &str) -> Value {
    message(
        id,
        user(author, "someone", false),
        content,
        &[],
        Some(GUILD_ID),
    )
}

fn message(id: u64, author: Value, content: &str, mentions: &[Value], guild: Option<u64>) -> Value {
    let mut m = json!({
        "id": id.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "author": author,
        "content": content,
        "timestamp": "2024-01-01T00:00:00.000000+00:00",
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": mentions,
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
    });
    if let Some(g) = guild {
        m["guild_id"] = json!(g.to_string());
    }
    m
}

/// A base URL where nothing listens: every connection is refused.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn notify(inner: &Inner) {
    inner.changed.notify_waiters();
}

fn is_down(inner: &Inner) -> bool {
    inner
        .down_until
        .lock()
        .expect("lock")
        .is_some_and(|until| Instant::now() < until)
}

/// Records a request (now) and wakes the tests waiting for one.
fn record(
    inner: &Inner,
    method: String,
    path: String,
    body: Value,
    headers: Vec<(String, String)>,
) {
    inner.requests.lock().expect("lock").push(Recorded {
        method,
        path,
        body,
        headers,
        at: Instant::now(),
    });
    notify(inner);
}

/// Records a request the fake does not answer normally, as `<path>#<what>`.
fn record_fault(inner: &Inner, method: &str, path: &str, what: &str) {
    let path = format!("{path}#{what}");
    record(inner, method.to_string(), path, Value::Null, Vec::new());
}

async fn hang_if_asked(inner: &Inner, method: &str, path: &str) {
    let hung = inner
        .hung
        .lock()
        .expect("lock")
        .iter()
        .any(|p| path.starts_with(p.as_str()));
    if hung {
        record_fault(inner, method, path, "hung");
        std::future::pending::<()>().await;
    }
}

async fn gateway(State(inner): State<Arc<Inner>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    hang_if_asked(&inner, "GET", &path).await;
    if is_down(&inner) {
        record_fault(&inner, "GET", &path, "503");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    Json(json!({
        "url": format!("ws://127.0.0.1:{}/ws", inner.port),
        "shards": 1,
        "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
    }))
    .into_response()
}

/// Records a request answered with an injected failure (`<path>#<status>`), and
/// answers it so.
fn fail(
    inner: &Inner,
    method: String,
    path: &str,
    body: Value,
    headers: Vec<(String, String)>,
    status: u16,
) -> Response {
    record(inner, method, format!("{path}#{status}"), body, headers);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(json!({"message": "test failure", "code": 0}))).into_response()
}

async fn rest(State(inner): State<Arc<Inner>>, request: Request) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let headers = request
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let bytes = axum::body::to_bytes(request.into_body(), 10 << 20)
        .await
        .unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    hang_if_asked(&inner, &method, &path).await;
    let is_callback = method == "POST" && path.starts_with("/api/v10/interactions/");
    if is_callback {
        let delay = *inner.callback_delay.lock().expect("lock");
        if !delay.is_zero() {
            // Recorded on arrival too, so a test knows the reply is now in flight.
            record(
                &inner,
                method.clone(),
                format!("{path}#held"),
                body.clone(),
                Vec::new(),
            );
            tokio::time::sleep(delay).await;
        }
        let mut limits = inner.rate_limits.lock().expect("lock");
        if let Some((count, limited)) = limits.take() {
            *limits = (count > 1).then(|| (count - 1, limited.clone()));
            drop(limits);
            record(&inner, method, format!("{path}#429"), body, headers);
            return (StatusCode::TOO_MANY_REQUESTS, Json(limited)).into_response();
        }
        drop(limits);
        let failing = *inner.callback_status.lock().expect("lock");
        if let Some(status) = failing {
            return fail(&inner, method, &path, body, headers, status);
        }
    }
    let failing = inner
        .failing
        .lock()
        .expect("lock")
        .iter()
        .find(|(m, prefix, _)| *m == method && path.starts_with(prefix.as_str()))
        .map(|(_, _, status)| *status);
    if let Some(status) = failing {
        return fail(&inner, method, &path, body, headers, status);
    }
    record(&inner, method.clone(), path.clone(), body.clone(), headers);
    let channel = path
        .strip_prefix("/api/v10/channels/")
        .map(|rest| rest.split('/').collect::<Vec<_>>());
    match (method.as_str(), channel.as_deref()) {
        ("GET", Some([id])) => {
            return match inner.channels.lock().expect("lock").get(*id) {
                Some(c) => Json(c.clone()).into_response(),
                None => (
                    StatusCode::NOT_FOUND,
                    Json(json!({"code": 10003, "message": "Unknown Channel"})),
                )
                    .into_response(),
            };
        }
        ("GET", Some([id, "messages"])) => {
            let mut list = inner
                .messages
                .lock()
                .expect("lock")
                .get(*id)
                .cloned()
                .unwrap_or_default();
            list.reverse();
            return Json(Value::Array(list)).into_response();
        }
        ("POST", Some([id, "messages"])) => {
            let posted = json!({
                "id": (800_000_000_000_000_000 + inner.ids.fetch_add(1, Ordering::SeqCst)).to_string(),
                "channel_id": id,
                "author": user(BOT_ID, "faqbot", true),
                "content": body["content"].as_str().unwrap_or(""),
                "mentions": [],
                "type": 19,
            });
            inner
                .messages
                .lock()
                .expect("lock")
                .entry(id.to_string())
                .or_default()
                .push(posted.clone());
            return Json(posted).into_response();
        }
        _ => {}
    }
    match (method.as_str(), path.as_str()) {
        ("GET", "/api/v10/users/@me") => Json(user(BOT_ID, "faqbot", true)).into_response(),
        ("GET", "/api/v10/oauth2/applications/@me") => Json(json!({
            "id": APP_ID.to_string(), "name": "faqbot", "icon": null, "description": "",
            "bot_public": true, "bot_require_code_grant": false, "verify_key": "", "flags": 0,
            "owner": user(1, "owner", false),
        }))
        .into_response(),
        ("PUT", p) if p.ends_with("/commands") => {
            let commands: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, mut c)| {
                    c["id"] = json!((700 + i).to_string());
                    c["application_id"] = json!(APP_ID.to_string());
                    c["version"] = json!("1");
                    c["type"] = c.get("type").cloned().unwrap_or(json!(1));
                    // As Discord does: message commands have an empty description.
                    c["description"] = c.get("description").cloned().unwrap_or(json!(""));
                    c
                })
                .collect();
            Json(Value::Array(commands)).into_response()
        }
        ("POST", p) if p.ends_with("/callback") => StatusCode::NO_CONTENT.into_response(),
        ("POST", p) if p.starts_with("/api/v10/channels/") && p.ends_with("/messages") => {
            // Discord answers with the message; faqbot notes its id in the question log.
            let id = 850_000_000_000_000_000 + inner.ids.fetch_add(1, Ordering::SeqCst);
            let mut sent = body.clone();
            sent["id"] = json!(id.to_string());
            Json(sent).into_response()
        }
        ("POST", _) | ("PATCH", _) => Json(json!({})).into_response(),
        ("DELETE", _) => StatusCode::NO_CONTENT.into_response(),
        _ => (
            StatusCode::NOT_FOUND,
            Json(json!({"code": 0, "message": "404: Not Found"})),
        )
            .into_response(),
    }
}

async fn websocket(State(inner): State<Arc<Inner>>, ws: WebSocketUpgrade) -> Response {
    if is_down(&inner) {
        record_fault(&inner, "GET", "/ws", "503");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    ws.on_upgrade(move |socket| connection(socket, inner))
}

async fn connection(mut socket: WebSocket, inner: Arc<Inner>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    inner.connections.lock().expect("lock").push(tx);
    let greeting = *inner.greeting.lock().expect("lock");
    if greeting == Greeting::NoHello {
        // Hold the connection open, say nothing, until the test or the client ends it.
        loop {
            tokio::select! {
                incoming = socket.recv() => if !matches!(incoming, Some(Ok(_))) { return },
                command = rx.recv() => if !matches!(command, Some(GatewayCommand::Send(_))) { return },
            }
        }
    }
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 41_250}});
    if socket
        .send(WsMessage::Text(hello.to_string()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let Some(Ok(msg)) = incoming else { return };
                if let WsMessage::Close(frame) = &msg {
                    // Recorded so tests can check the bot closed the session cleanly.
                    let code = frame.as_ref().map(|f| f.code);
                    inner.gateway_messages.lock().expect("lock").push(json!({"close": code}));
                    notify(&inner);
                    // Answer the close, as Discord does.
                    let _ = socket.send(WsMessage::Close(frame.clone())).await;
                    return;
                }
                let WsMessage::Text(text) = msg else { continue };
                let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
                let op = payload["op"].as_u64();
                inner.gateway_messages.lock().expect("lock").push(payload.clone());
                notify(&inner);
                if let (Some(2), Greeting::CloseOnIdentify(code)) = (op, greeting) {
                    let frame = CloseFrame { code, reason: "test close on identify".into() };
                    let _ = socket.send(WsMessage::Close(Some(frame))).await;
                    return;
                }
                let reply = match op {
                    Some(1) => Some(json!({"op": 11})),
                    Some(2) => {
                        let shard = payload["d"]["shard"].clone();
                        let seq = inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
                        Some(json!({"op": 0, "t": "READY", "s": seq, "d": {
                            "v": 10,
                            "user": user(BOT_ID, "faqbot", true),
                            "guilds": [],
                            "session_id": format!("session-{seq}"),
                            "resume_gateway_url": format!("ws://127.0.0.1:{}/ws", inner.port),
                            "shard": if shard.is_null() { json!([0, 1]) } else { shard },
                            "application": {"id": APP_ID.to_string(), "flags": 0},
                        }}))
                    }
                    Some(6) => {
                        let seq = inner.seq.fetch_add(1, Ordering::SeqCst) + 1;
                        Some(json!({"op": 0, "t": "RESUMED", "s": seq, "d": {}}))
                    }
                    _ => None,
                };
                if let Some(r) = reply {
                    if socket.send(WsMessage::Text(r.to_string())).await.is_err() {
                        return;
                    }
                }
            }
            command = rx.recv() => match command {
                Some(GatewayCommand::Send(v)) => {
                    if socket.send(WsMessage::Text(v.to_string())).await.is_err() {
                        return;
                    }
                    if let Some(id) = v["d"]["id"].as_str() {
                        inner.sent_at.lock().expect("lock").insert(id.to_string(), Instant::now());
                    }
                }
                Some(GatewayCommand::Close(code)) => {
                    let _ = socket.send(WsMessage::Close(Some(CloseFrame { code, reason: "test close".into() }))).await;
                    return;
                }
                Some(GatewayCommand::Drop) | None => return,
            }
        }
    }
}

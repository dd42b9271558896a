-- The question log and what people told us about the answers. Portable SQL: the same
-- file runs on SQLite and PostgreSQL (BIGINT ids chosen by the application, times in
-- Unix milliseconds, no user ids: `person` is a salted HMAC of one).

CREATE TABLE learning_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE questions (
    id BIGINT PRIMARY KEY,
    asked_at BIGINT NOT NULL,
    guild_id BIGINT,
    channel_kind TEXT NOT NULL,
    front_end TEXT NOT NULL,
    person TEXT,
    question TEXT NOT NULL,
    normalized TEXT NOT NULL,
    outcome TEXT NOT NULL,
    faq_id BIGINT,
    candidates TEXT NOT NULL,
    latency_us BIGINT NOT NULL,
    reply_message_id BIGINT
);
CREATE INDEX questions_asked_at ON questions (asked_at);
CREATE INDEX questions_outcome ON questions (outcome);

CREATE TABLE feedback (
    question_id BIGINT NOT NULL,
    faq_id BIGINT NOT NULL,
    helpful BIGINT NOT NULL,
    person TEXT NOT NULL,
    voted_at BIGINT NOT NULL,
    PRIMARY KEY (question_id, person)
);
CREATE INDEX feedback_faq ON feedback (faq_id);

CREATE TABLE resolutions (
    question_id BIGINT NOT NULL,
    faq_id BIGINT NOT NULL,
    person TEXT NOT NULL,
    resolved_at BIGINT NOT NULL,
    PRIMARY KEY (question_id, person)
);

CREATE TABLE suggestion_decisions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    faq_id BIGINT,
    text TEXT NOT NULL,
    decision TEXT NOT NULL,
    decided_at BIGINT NOT NULL
);

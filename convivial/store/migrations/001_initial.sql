-- convivial store, version 1. All times are UTC (TIMESTAMP without zone).
-- Keys are "platform:native id", so the same record imported twice has the same key. The data
-- tables hold each key once (messages, accounts), or each (kind, actor, target, message) once
-- (interactions), by construction of the importer (store/writer.py), not by index: bulk loads
-- into indexed tables are several times slower.

CREATE SEQUENCE import_ids START 1;

CREATE TABLE imports (
    import_id      INTEGER PRIMARY KEY,
    source         VARCHAR NOT NULL,
    source_version VARCHAR NOT NULL,
    file           VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP NOT NULL,
    rows_read      BIGINT NOT NULL,
    accounts_added BIGINT NOT NULL,
    messages_added BIGINT NOT NULL,
    interactions_added BIGINT NOT NULL,
    follows_added  BIGINT NOT NULL,
    rejects        BIGINT NOT NULL
);

CREATE TABLE rejects (
    import_id INTEGER NOT NULL,
    file      VARCHAR NOT NULL,
    line      BIGINT,
    reason    VARCHAR NOT NULL,
    raw       VARCHAR
);

CREATE TABLE accounts (
    account_key    VARCHAR NOT NULL,
    platform       VARCHAR NOT NULL,
    account_id     VARCHAR NOT NULL,
    handle         VARCHAR,
    display_name   VARCHAR,
    followers      BIGINT,
    following      BIGINT,
    posts          BIGINT,
    bio            VARCHAR,
    avatar_url     VARCHAR,
    default_avatar BOOLEAN,
    profile_url    VARCHAR,
    created_at     TIMESTAMP,
    verified       BOOLEAN,
    listed         BIGINT,
    last_post_at   TIMESTAMP,
    import_id      INTEGER NOT NULL
);

-- Teams come from convivial.toml (origin 'config') or from a source that knows its owner
-- (origin 'import'). An account is named by id or handle; host_accounts resolves it.
CREATE TABLE teams (
    team   VARCHAR PRIMARY KEY,
    origin VARCHAR NOT NULL
);

CREATE TABLE team_accounts (
    team        VARCHAR NOT NULL,
    platform    VARCHAR NOT NULL,
    account_ref VARCHAR NOT NULL,
    role        VARCHAR NOT NULL CHECK (role IN ('brand', 'staff')),
    PRIMARY KEY (team, platform, account_ref)
);

CREATE TABLE messages (
    message_key VARCHAR NOT NULL,
    platform    VARCHAR NOT NULL,
    author_key  VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    text        VARCHAR,
    parent_key  VARCHAR,
    root_key    VARCHAR,
    kind        VARCHAR NOT NULL CHECK (kind IN ('post', 'reply', 'share', 'quote')),
    is_public   BOOLEAN NOT NULL,
    likes       BIGINT,
    shares      BIGINT,
    replies     BIGINT,
    mentions    VARCHAR[] NOT NULL,
    import_id   INTEGER NOT NULL
);

CREATE TABLE interactions (
    platform    VARCHAR NOT NULL,
    actor_key   VARCHAR NOT NULL,
    target_key  VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL
                CHECK (kind IN ('reply', 'mention', 'share', 'quote', 'like', 'follow')),
    created_at  TIMESTAMP NOT NULL,
    message_key VARCHAR,
    import_id   INTEGER NOT NULL
);

CREATE TABLE follows (
    platform     VARCHAR NOT NULL,
    follower_key VARCHAR NOT NULL,
    followed_key VARCHAR NOT NULL,
    followed_at  TIMESTAMP,
    import_id    INTEGER NOT NULL
);

CREATE VIEW host_accounts AS
SELECT ta.team, a.account_key, ta.role
FROM team_accounts ta
JOIN accounts a ON a.platform = ta.platform AND a.account_id = ta.account_ref
UNION
SELECT ta.team, a.account_key, ta.role
FROM team_accounts ta
JOIN accounts a ON a.platform = ta.platform AND lower(a.handle) = lower(ta.account_ref);

"""Writing one file's batches: stage them through Arrow, then merge in one transaction.

The merge adds keys (`platform:native id`), skips what the store already holds, creates the
accounts that messages, follows and mentions name, and derives interactions from messages as
METRICS.md defines them:

- a reply, share or quote gives author -> the parent's author;
- each mention gives author -> mentioned account, except the leading mentions of a reply that
  name the parent's author or an account the parent mentions (the platform adds those itself;
  they are the reply, not extra mentions);
- a follow with a known time gives follower -> followed;
- self-interactions are dropped.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa

from convivial.sources.base import (
    ACCOUNT_SCHEMA,
    FOLLOW_SCHEMA,
    HOST_SCHEMA,
    INTERACTION_SCHEMA,
    MESSAGE_SCHEMA,
    Batch,
    Reject,
)

__all__ = ["MENTION_PATTERN", "ImportWriter"]

MENTION_PATTERN = r"(?:^|[^\w@/.])@(\w(?:[\w.]*\w)?(?:@\w[\w.-]*\w)?)"
"""An @handle in text: Twitter and Instagram handles, Bluesky domains, Mastodon user@server."""

_LEADING = r"^(?:\s*@\S+)+"

_STAGES = {
    "accounts": ACCOUNT_SCHEMA,
    "messages": MESSAGE_SCHEMA,
    "interactions": INTERACTION_SCHEMA,
    "follows": FOLLOW_SCHEMA,
    "hosts": HOST_SCHEMA,
}

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.bool_(): "BOOLEAN",
    pa.timestamp("us"): "TIMESTAMP",
    pa.list_(pa.string()): "VARCHAR[]",
}


class ImportWriter:
    """Stages the batches of one file and merges them into the store when finished."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        source: str,
        source_version: str,
        file: str,
        sha256: str,
        started_at: datetime,
    ) -> None:
        self._con = con
        self.source, self.source_version, self.file, self.sha256 = (
            source,
            source_version,
            file,
            sha256,
        )
        self.started_at = started_at
        row = con.execute("SELECT nextval('import_ids')").fetchone()
        assert row is not None
        self.import_id = int(row[0])
        self.rows_read = 0
        self.rejected = 0
        self.added: dict[str, int] = {}
        for name, schema in _STAGES.items():
            columns = ", ".join(f'"{f.name}" {_DUCK_TYPES[f.type]}' for f in schema)
            con.execute(f"CREATE OR REPLACE TEMP TABLE stage_{name} ({columns})")

    def write(self, batch: Batch) -> None:
        """Stage one batch."""
        self.rows_read += batch.rows
        for name in _STAGES:
            data: pa.Table | None = getattr(batch, name)
            if data is not None and data.num_rows:
                self._con.register("incoming", data)
                try:
                    self._con.execute(f"INSERT INTO stage_{name} BY NAME SELECT * FROM incoming")
                finally:
                    self._con.unregister("incoming")
        self.write_rejects(batch.rejects)

    def write_rejects(self, rejects: list[Reject]) -> None:
        if not rejects:
            return
        self.rejected += len(rejects)
        self._con.executemany(
            "INSERT INTO rejects VALUES (?, ?, ?, ?, ?)",
            [[self.import_id, self.file, r.line, r.reason, r.raw] for r in rejects],
        )

    def finish(self, finished_at: datetime) -> None:
        """Merge what was staged, derive interactions and record the import."""
        before = self._counts()
        for statement in _MERGE:
            self._con.execute(statement.replace("$import", str(self.import_id)))
        after = self._counts()
        self.added = {name: after[name] - before[name] for name in after}
        self._con.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.import_id,
                self.source,
                self.source_version,
                self.file,
                self.sha256,
                self.started_at,
                finished_at,
                self.rows_read,
                self.added["accounts"],
                self.added["messages"],
                self.added["interactions"],
                self.added["follows"],
                self.rejected,
            ],
        )
        for name in _STAGES:
            self._con.execute(f"DROP TABLE IF EXISTS stage_{name}")

    def _counts(self) -> dict[str, int]:
        out = {}
        for name in ("accounts", "messages", "interactions", "follows"):
            row = self._con.execute(f"SELECT count(*) FROM {name}").fetchone()
            out[name] = int(row[0]) if row else 0
        return out


_PROFILE = (
    "handle",
    "display_name",
    "followers",
    "following",
    "posts",
    "bio",
    "avatar_url",
    "default_avatar",
    "profile_url",
    "created_at",
    "verified",
    "listed",
    "last_post_at",
)

_MERGE = [
    # Accounts with profiles: the last record of the file wins, known fields fill the store's.
    f"""
    INSERT INTO accounts
    SELECT platform || ':' || account_id, platform, account_id, {", ".join(_PROFILE)}, $import
    FROM stage_accounts
    QUALIFY row_number() OVER (PARTITION BY platform, account_id ORDER BY line DESC) = 1
    ON CONFLICT (account_key) DO UPDATE SET
    {", ".join(f"{c} = COALESCE(EXCLUDED.{c}, accounts.{c})" for c in _PROFILE)}
    """,
    # Accounts that messages, follows and interactions name without a profile.
    """
    INSERT INTO accounts (account_key, platform, account_id, handle, import_id)
    SELECT DISTINCT ON (key) key, platform, id, handle, $import FROM (
        SELECT platform || ':' || author_id AS key, platform, author_id AS id,
               author_handle AS handle FROM stage_messages
        UNION ALL SELECT platform || ':' || follower_id, platform, follower_id, NULL
                  FROM stage_follows
        UNION ALL SELECT platform || ':' || followed_id, platform, followed_id, NULL
                  FROM stage_follows
        UNION ALL SELECT platform || ':' || actor_id, platform, actor_id, NULL
                  FROM stage_interactions
        UNION ALL SELECT platform || ':' || target_id, platform, target_id, NULL
                  FROM stage_interactions
    ) ORDER BY key, handle NULLS LAST
    ON CONFLICT DO NOTHING
    """,
    f"""
    INSERT INTO messages
    SELECT platform || ':' || message_id, platform, message_id, platform || ':' || author_id,
           created_at, text,
           CASE WHEN parent_id IS NOT NULL THEN platform || ':' || parent_id END,
           CASE WHEN root_id IS NOT NULL THEN platform || ':' || root_id END,
           COALESCE(kind, CASE WHEN parent_id IS NOT NULL THEN 'reply' ELSE 'post' END),
           COALESCE(is_public, true), likes, shares, replies,
           list_transform(
               COALESCE(mentions, regexp_extract_all(COALESCE(text, ''), '{MENTION_PATTERN}', 1)),
               lambda m: lower(ltrim(m, '@'))),
           $import
    FROM stage_messages
    QUALIFY row_number() OVER (PARTITION BY platform, message_id ORDER BY line) = 1
    ON CONFLICT DO NOTHING
    """,
    # Messages whose interactions must be derived now: the new ones, and older replies whose
    # parent has just arrived.
    """
    CREATE OR REPLACE TEMP TABLE touched AS
    SELECT message_key FROM messages WHERE import_id = $import
    UNION
    SELECT c.message_key FROM messages c JOIN messages p ON c.parent_key = p.message_key
    WHERE p.import_id = $import AND c.import_id <> $import
    """,
    # Threads: a message's root is its earliest ancestor in the store.
    """
    UPDATE messages SET root_key = chains.root FROM (
        WITH RECURSIVE up(message_key, cur, depth) AS (
            SELECT m.message_key, m.parent_key, 1
            FROM messages m JOIN touched USING (message_key)
            WHERE m.parent_key IS NOT NULL AND m.root_key IS NULL
            UNION ALL
            SELECT up.message_key, p.parent_key, up.depth + 1
            FROM up JOIN messages p ON p.message_key = up.cur
            WHERE p.parent_key IS NOT NULL AND up.depth < 10000
        )
        SELECT up.message_key, arg_max(up.cur, up.depth) AS root
        FROM up JOIN messages a ON a.message_key = up.cur
        GROUP BY up.message_key
    ) AS chains
    WHERE messages.message_key = chains.message_key
    """,
    """
    UPDATE messages SET root_key = message_key
    WHERE import_id = $import AND root_key IS NULL AND parent_key IS NULL
    """,
    # Every @reference of the touched messages, resolved to an account: by handle, else by id,
    # else a new account named by that handle.
    """
    CREATE OR REPLACE TEMP TABLE refs AS
    SELECT DISTINCT m.platform, unnest(m.mentions) AS ref
    FROM messages m JOIN touched USING (message_key)
    """,
    """
    INSERT INTO accounts (account_key, platform, account_id, handle, import_id)
    SELECT r.platform || ':' || r.ref, r.platform, r.ref, r.ref, $import
    FROM refs r
    WHERE NOT EXISTS (SELECT 1 FROM accounts a
                      WHERE a.platform = r.platform AND lower(a.handle) = r.ref)
      AND NOT EXISTS (SELECT 1 FROM accounts a
                      WHERE a.platform = r.platform AND lower(a.account_id) = r.ref)
    ON CONFLICT DO NOTHING
    """,
    """
    CREATE OR REPLACE TEMP TABLE resolved AS
    SELECT DISTINCT ON (platform, ref) platform, ref, account_key FROM (
        SELECT r.platform, r.ref, a.account_key, 0 AS rank FROM refs r
        JOIN accounts a ON a.platform = r.platform AND lower(a.handle) = r.ref
        UNION ALL
        SELECT r.platform, r.ref, a.account_key, 1 FROM refs r
        JOIN accounts a ON a.platform = r.platform AND lower(a.account_id) = r.ref
    ) ORDER BY platform, ref, rank, account_key
    """,
    """
    INSERT INTO interactions
    SELECT c.kind || ':' || c.message_key, c.platform, c.author_key, p.author_key, c.kind,
           c.created_at, c.message_key, $import
    FROM messages c JOIN touched USING (message_key)
    JOIN messages p ON p.message_key = c.parent_key
    WHERE c.kind IN ('reply', 'share', 'quote') AND c.author_key <> p.author_key
    ON CONFLICT DO NOTHING
    """,
    f"""
    INSERT INTO interactions
    SELECT DISTINCT ON (key) 'mention:' || m.message_key || '>' || r.account_key AS key,
           m.platform, m.author_key, r.account_key, 'mention', m.created_at, m.message_key,
           $import
    FROM (
        SELECT c.message_key, c.platform, c.author_key, c.created_at, c.parent_key, c.kind,
               len(regexp_extract_all(regexp_extract(COALESCE(c.text, ''), '{_LEADING}'),
                                      '@\\S+')) AS leading,
               unnest(c.mentions) AS ref, generate_subscripts(c.mentions, 1) AS pos
        FROM messages c JOIN touched USING (message_key)
    ) m
    JOIN resolved r ON r.platform = m.platform AND r.ref = m.ref
    LEFT JOIN messages p ON p.message_key = m.parent_key
    WHERE r.account_key <> m.author_key
      AND NOT (m.kind = 'reply' AND m.pos <= m.leading AND p.message_key IS NOT NULL
               AND (r.account_key = p.author_key OR list_contains(p.mentions, m.ref)))
    ORDER BY key
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO follows
    SELECT DISTINCT ON (key) platform || ':' || follower_id || '>' || followed_id AS key,
           platform, platform || ':' || follower_id, platform || ':' || followed_id,
           followed_at, $import
    FROM stage_follows WHERE follower_id <> followed_id
    ORDER BY key, followed_at NULLS LAST
    ON CONFLICT DO UPDATE SET followed_at = COALESCE(follows.followed_at, EXCLUDED.followed_at)
    """,
    """
    INSERT INTO interactions
    SELECT 'follow:' || follow_key, platform, follower_key, followed_key, 'follow', followed_at,
           NULL, $import
    FROM follows WHERE import_id = $import AND followed_at IS NOT NULL
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO interactions
    SELECT DISTINCT ON (key)
           kind || ':' || platform || ':' || actor_id || '>' || platform || ':' || target_id
           || ':' || COALESCE(message_id, strftime(created_at, '%Y%m%dT%H%M%S')) AS key,
           platform, platform || ':' || actor_id, platform || ':' || target_id, kind, created_at,
           CASE WHEN message_id IS NOT NULL THEN platform || ':' || message_id END, $import
    FROM stage_interactions WHERE actor_id <> target_id
    ORDER BY key
    ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO teams SELECT DISTINCT team, 'import' FROM stage_hosts ON CONFLICT DO NOTHING
    """,
    """
    INSERT INTO team_accounts SELECT DISTINCT team, platform, account_ref, role FROM stage_hosts
    ON CONFLICT DO NOTHING
    """,
]

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

An @reference that names no known account makes a placeholder account, which gives way to the
account it names when that arrives; a reply's mentions are derived again when its parent
arrives. The same files give the same store in any order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.sources.base import (
    ACCOUNT_SCHEMA,
    FOLLOW_SCHEMA,
    HOST_SCHEMA,
    INSIGHT_SCHEMA,
    INTERACTION_SCHEMA,
    Batch,
    Reject,
)

__all__ = ["MENTION_PATTERN", "ImportWriter", "purge_erased"]

MENTION_PATTERN = r"(?:^|[^\w@/.])@(\w+(?:\.\w+)*(?:@\w+(?:[.-]\w+)*)?)"
"""An @handle in text: Twitter and Instagram handles, Bluesky domains, Mastodon user@server."""

_LEADING = r"^(?:\s*@\S+)+"


def _opening(text: str, parent: str) -> str:
    """SQL: how many @handles a reply (a message with a `parent`) opens with, else 0."""
    return (
        f"CASE WHEN {parent} IS NOT NULL THEN len(regexp_extract_all("
        f"regexp_extract(COALESCE({text}, ''), '{_LEADING}'), '@\\S+')) ELSE 0 END"
    )


_STAGE_BYTES = 256 << 20
"""Batches are staged this many bytes at a time: DuckDB inserts one big table on every core,
and each small one on a single core, at a cost per statement."""

_STAGES = {
    "accounts": ACCOUNT_SCHEMA,
    "interactions": INTERACTION_SCHEMA,
    "follows": FOLLOW_SCHEMA,
    "hosts": HOST_SCHEMA,
    "insights": INSIGHT_SCHEMA,
}

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.bool_(): "BOOLEAN",
    pa.timestamp("us"): "TIMESTAMP",
}


class ImportWriter:
    """Writes the batches of one file; `finish` merges what needs the whole file."""

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
        row = con.execute("SELECT nextval('import_ids')").fetchall()[0]
        assert row is not None
        self.import_id = int(row[0])
        self.rows_read = 0
        self.rejected = 0
        self.added: dict[str, int] = {}
        self._before = self._counts()
        for name, schema in _STAGES.items():
            columns = ", ".join(f'"{f.name}" {_DUCK_TYPES[f.type]}' for f in schema)
            con.execute(f"CREATE OR REPLACE TEMP TABLE stage_{name} ({columns})")
        con.execute(_NEW_MESSAGES)
        self._pending: dict[str, list[pa.Table]] = {name: [] for name in ("messages", *_STAGES)}
        self._pending_bytes = 0

    def write(self, batch: Batch) -> None:
        """Take one batch; its rows are staged with the batches before it once they hold
        `_STAGE_BYTES`, or when the file ends."""
        self.rows_read += batch.rows
        for name, pending in self._pending.items():
            data: pa.Table | None = getattr(batch, name)
            if data is not None and data.num_rows:
                pending.append(data)
                self._pending_bytes += data.nbytes
        self.write_rejects(batch.rejects)
        if self._pending_bytes >= _STAGE_BYTES:
            self._stage()

    def _stage(self) -> None:
        """Stage the pending batches in temporary tables (which spill to disk when memory runs
        short), one statement per table: messages are keyed on the way into `new_messages`,
        their authors staged as accounts."""
        for name, pending in self._pending.items():
            if not pending:
                continue
            # A relation, not a registered view: the transaction would keep a view's Arrow
            # data alive until it commits, the whole file's worth.
            incoming = self._con.from_arrow(pa.concat_tables(pending, promote_options="default"))
            pending.clear()
            if name == "messages":
                incoming.query("incoming", _STAGE_MESSAGES)
                incoming.query("incoming", _STAGE_AUTHORS)
            else:
                incoming.query(
                    "incoming", f"INSERT INTO stage_{name} BY NAME SELECT * FROM incoming"
                )
        self._pending_bytes = 0

    def write_rejects(self, rejects: list[Reject]) -> None:
        if not rejects:
            return
        self.rejected += len(rejects)
        self._con.executemany(
            "INSERT INTO rejects VALUES (?, ?, ?, ?, ?)",
            [[self.import_id, self.file, r.line, r.reason, r.raw] for r in rejects],
        )

    def finish(self, finished_at: datetime) -> None:
        """Merge what was staged, derive threads and interactions, and record the import."""
        self._stage()
        if self._con.execute(_REPEATED).fetchall()[0][0]:
            self._run(_KEEP_FIRST)
        self._run(_DROP_KNOWN)
        self._set_roots()
        self._run(_INSERT_MESSAGES)
        self._join_threads()
        for statement in (*_MERGE, *_DERIVE):
            self._run(statement)
        purge_erased(self._con, self.import_id)
        after = self._counts()
        self.added = {name: after[name] - self._before[name] for name in after}
        self._con.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                self.added["post_insights"],
            ],
        )
        for name in (*(f"stage_{n}" for n in _STAGES), *_SCRATCH):
            self._con.execute(f"DROP TABLE IF EXISTS {name}")

    def _run(self, statement: str) -> None:
        self._con.execute(statement.replace("$import", str(self.import_id)))

    def _set_roots(self) -> None:
        """A message's root is its earliest ancestor in the store: the top of its chain of
        parents among the file's new messages, then that top's parent (`up.cur`: an older
        message, whose root it takes, or a message not in the store). The chains are followed
        by pointer jumping on row numbers, so a thread of depth d takes log2(d) steps; a cycle
        of parents stops after 64."""
        pairs = self._con.sql(
            "SELECT message_key, parent_key FROM new_messages"
            " WHERE root_key IS NULL AND parent_key IS NOT NULL"
        ).to_arrow_table()
        keys = pairs.column("message_key").combine_chunks()
        parents = pairs.column("parent_key").combine_chunks()
        found = pc.index_in(parents, value_set=keys).fill_null(-1).to_numpy()
        top = np.where(found >= 0, found, np.arange(len(found)))
        for _ in range(64):
            higher = top[top]
            if np.array_equal(higher, top):
                break
            top = higher
        up = pa.table({"message_key": keys, "cur": parents.take(pa.array(top))})
        self._con.from_arrow(up).query("chains", "CREATE OR REPLACE TEMP TABLE up AS FROM chains")

    def _join_threads(self) -> None:
        """Threads the store held without their start: their root is the earliest ancestor they
        named, which was missing. When it arrives, they take its root (following such joins
        from one thread to the next, at most 64 deep)."""
        self._run(_JOINS)
        for _ in range(64):
            row = self._con.execute(_JOINS_STEP).fetchall()[0]
            if not row or not row[0]:
                break
        self._run(_JOIN_THREADS)

    def _counts(self) -> dict[str, int]:
        out = {}
        for name in ("accounts", "messages", "interactions", "follows", "post_insights"):
            row = self._con.execute(f"SELECT count(*) FROM {name}").fetchall()[0]
            out[name] = int(row[0]) if row else 0
        return out


_SCRATCH = ("new_messages", "up", "joins", "touched", "refs", "resolved")

_NEW_MESSAGES = """
CREATE OR REPLACE TEMP TABLE new_messages (
    message_key VARCHAR, platform VARCHAR, author_key VARCHAR, created_at TIMESTAMP,
    text VARCHAR, parent_key VARCHAR, root_key VARCHAR, kind VARCHAR, is_public BOOLEAN,
    likes BIGINT, shares BIGINT, replies BIGINT, mentions VARCHAR[], team VARCHAR, line BIGINT,
    opening INTEGER)
"""
"""The file's messages, keyed, on their way into `messages`; `opening` counts the @handles a
reply opens with (see `_opening`)."""

_STAGE_MESSAGES = f"""
INSERT INTO new_messages
SELECT platform || ':' || message_id, platform, platform || ':' || author_id, created_at, text,
       CASE WHEN parent_id IS NOT NULL THEN platform || ':' || parent_id END,
       CASE WHEN root_id IS NOT NULL THEN platform || ':' || root_id END,
       COALESCE(kind, CASE WHEN parent_id IS NOT NULL THEN 'reply' ELSE 'post' END),
       COALESCE(is_public, true), likes, shares, replies,
       list_transform(
           COALESCE(mentions, regexp_extract_all(COALESCE(text, ''), '{MENTION_PATTERN}', 1)),
           lambda m: lower(ltrim(m, '@'))),
       team, line, {_opening("text", "parent_id")}
FROM incoming
"""

_STAGE_AUTHORS = """
INSERT INTO stage_accounts (platform, account_id, handle)
SELECT platform, author_id, any_value(author_handle) FROM incoming GROUP BY ALL
"""
"""Authors are accounts too, with the handle the messages give."""

_REPEATED = "SELECT count(*) > count(DISTINCT message_key) FROM new_messages"
_KEEP_FIRST = """
DELETE FROM new_messages WHERE rowid IN (
    SELECT rowid FROM new_messages
    QUALIFY row_number() OVER (PARTITION BY message_key ORDER BY line) > 1)
"""
"""A message the file repeats counts once, as first seen; only such files pay for this."""

_DROP_KNOWN = """
DELETE FROM new_messages WHERE message_key IN (SELECT message_key FROM messages)
"""
"""Messages the store already holds are not imported again."""

_INSERT_MESSAGES = """
INSERT INTO messages
SELECT n.message_key, n.platform, n.author_key, n.created_at, n.text, n.parent_key,
       COALESCE(n.root_key, old.root_key, up.cur, n.message_key), n.kind, n.is_public,
       n.likes, n.shares, n.replies, n.mentions, $import, n.team
FROM new_messages n
LEFT JOIN up USING (message_key)
LEFT JOIN messages old ON old.message_key = up.cur
"""

_JOINS = """
CREATE OR REPLACE TEMP TABLE joins AS
SELECT message_key AS old_root, root_key AS new_root FROM messages
WHERE import_id = $import AND root_key <> message_key
  AND message_key IN (SELECT root_key FROM messages WHERE import_id <> $import)
"""
_JOINS_STEP = """
UPDATE joins SET new_root = j.new_root FROM joins j
WHERE joins.new_root = j.old_root AND j.new_root <> joins.old_root
"""
_JOIN_THREADS = """
UPDATE messages SET root_key = joins.new_root FROM joins WHERE messages.root_key = joins.old_root
"""

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
    # Accounts: the last profile of the file wins; known fields fill in the store's.
    f"""
    CREATE OR REPLACE TEMP TABLE incoming_accounts AS
    SELECT platform || ':' || account_id AS account_key, platform, account_id,
           {
        ", ".join(
            f"arg_max({c}, COALESCE(line, -1)) FILTER (WHERE {c} IS NOT NULL) AS {c}"
            for c in _PROFILE
        )
    }
    FROM (
        SELECT * FROM stage_accounts
        UNION ALL BY NAME SELECT platform, follower_id AS account_id FROM stage_follows
        UNION ALL BY NAME SELECT platform, followed_id AS account_id FROM stage_follows
        UNION ALL BY NAME SELECT platform, actor_id AS account_id FROM stage_interactions
        UNION ALL BY NAME SELECT platform, target_id AS account_id FROM stage_interactions
    ) GROUP BY platform, account_id
    """,
    f"""
    UPDATE accounts SET
    {", ".join(f"{c} = COALESCE(i.{c}, accounts.{c})" for c in _PROFILE)}
    FROM incoming_accounts i WHERE accounts.account_key = i.account_key
    """,
    f"""
    INSERT INTO accounts
    SELECT account_key, platform, account_id, {", ".join(_PROFILE)}, $import
    FROM incoming_accounts i
    WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_key = i.account_key)
    """,
    # An account named so far only by an @reference (a placeholder: its id and handle the
    # reference, no profile, no message) gives way to the account arriving now that the
    # reference names, as it would have if that account had come first.
    f"""
    CREATE OR REPLACE TEMP TABLE adopted AS
    SELECT p.account_key AS placeholder, arg_min(a.account_key, a.rank) AS account_key
    FROM (
        SELECT account_key, platform, lower(handle) AS ref, 0 AS rank FROM incoming_accounts
        WHERE lower(handle) <> account_id
        UNION ALL
        SELECT account_key, platform, lower(account_id), 1 FROM incoming_accounts
        WHERE lower(account_id) <> account_id
    ) a
    JOIN accounts p ON p.platform = a.platform AND p.account_id = a.ref
    WHERE p.handle = p.account_id AND {" AND ".join(f"p.{c} IS NULL" for c in _PROFILE[1:])}
    GROUP BY p.account_key
    """,
    """
    DELETE FROM adopted WHERE placeholder IN (
        SELECT author_key FROM messages WHERE author_key IN (SELECT placeholder FROM adopted))
    """,
    """
    UPDATE interactions SET target_key = adopted.account_key
    FROM adopted WHERE interactions.target_key = adopted.placeholder
    """,
    "DELETE FROM accounts WHERE account_key IN (SELECT placeholder FROM adopted)",
    "DROP TABLE incoming_accounts",
    "DROP TABLE adopted",
    """
    INSERT INTO follows
    SELECT platform, platform || ':' || follower_id AS follower_key,
           platform || ':' || followed_id AS followed_key, min(followed_at), $import
    FROM stage_follows s WHERE follower_id <> followed_id
      AND NOT EXISTS (SELECT 1 FROM follows f
                      WHERE f.follower_key = s.platform || ':' || s.follower_id
                        AND f.followed_key = s.platform || ':' || s.followed_id)
    GROUP BY ALL
    """,
    """
    INSERT INTO teams SELECT DISTINCT team, 'import' FROM stage_hosts
    UNION SELECT DISTINCT team, 'import' FROM new_messages WHERE team IS NOT NULL
    UNION SELECT DISTINCT team, 'import' FROM stage_insights
    ON CONFLICT DO NOTHING
    """,
    # A newer export of the same posts replaces their lifetime figures.
    """
    DELETE FROM post_insights WHERE post_key IN
        (SELECT platform || ':' || post_ref FROM stage_insights)
    """,
    """
    INSERT INTO post_insights
    SELECT DISTINCT ON (post_key) team, platform || ':' || post_ref AS post_key, platform,
           post_type, category, paid, month, weekday, hour, reach, impressions, engaged_users,
           consumers, comments, likes, shares, $import
    FROM stage_insights
    """,
    """
    INSERT INTO team_accounts
    SELECT DISTINCT team, platform, account_ref, role, 'import' FROM stage_hosts
    ON CONFLICT DO NOTHING
    """,
]
"""Merging the staged accounts, follows and teams."""

_NEW_INTERACTION = """
    NOT EXISTS (SELECT 1 FROM interactions o
                WHERE o.kind = n.kind AND o.actor_key = n.actor_key
                  AND o.target_key = n.target_key
                  AND o.message_key IS NOT DISTINCT FROM n.message_key
                  AND o.created_at = n.created_at)
"""

_DERIVE = [
    # Messages whose interactions are derived now: the new ones, and older replies whose
    # parent has just arrived; each with its parent's author and mentions.
    f"""
    CREATE OR REPLACE TEMP TABLE touched AS
    SELECT t.*, p.author_key AS p_author, p.mentions AS p_mentions FROM (
        SELECT message_key, platform, author_key, created_at, parent_key, kind, mentions,
               opening, false AS earlier
        FROM new_messages
        UNION ALL
        SELECT c.message_key, c.platform, c.author_key, c.created_at, c.parent_key, c.kind,
               c.mentions, {_opening("c.text", "c.parent_key")}, true
        FROM messages c JOIN new_messages p ON c.parent_key = p.message_key
        WHERE c.import_id <> $import
    ) t
    LEFT JOIN messages p ON p.message_key = t.parent_key
    """,
    # An earlier reply's mentions were derived without its parent: derived again now (those
    # derived here carry their position; a source's own mentions have none and stay).
    """
    DELETE FROM interactions WHERE kind = 'mention' AND position IS NOT NULL
      AND message_key IN (SELECT message_key FROM touched WHERE earlier)
    """,
    # Every @reference of the touched messages, resolved to an account: by handle, else by id,
    # else a new account named by that handle.
    """
    CREATE OR REPLACE TEMP TABLE refs AS
    SELECT DISTINCT platform, unnest(mentions) AS ref FROM touched
    """,
    """
    CREATE OR REPLACE TEMP TABLE resolved AS
    SELECT platform, ref, arg_min(account_key, rank) AS account_key FROM (
        SELECT r.platform, r.ref, a.account_key, 0 AS rank FROM refs r
        JOIN accounts a ON a.platform = r.platform AND lower(a.handle) = r.ref
        UNION ALL
        SELECT r.platform, r.ref, a.account_key, 1 FROM refs r
        JOIN accounts a ON a.platform = r.platform AND lower(a.account_id) = r.ref
    ) GROUP BY platform, ref
    """,
    """
    INSERT INTO accounts (account_key, platform, account_id, handle, import_id)
    SELECT r.platform || ':' || r.ref, r.platform, r.ref, r.ref, $import
    FROM refs r ANTI JOIN resolved USING (platform, ref)
    """,
    """
    INSERT INTO resolved
    SELECT r.platform, r.ref, r.platform || ':' || r.ref
    FROM refs r ANTI JOIN resolved USING (platform, ref)
    """,
    f"""
    INSERT INTO interactions
    SELECT * FROM (
        SELECT platform, author_key AS actor_key, p_author AS target_key, kind, created_at,
               message_key, $import AS import_id, NULL::INTEGER AS position
        FROM touched
        WHERE kind IN ('reply', 'share', 'quote') AND author_key <> p_author
        UNION ALL
        SELECT m.platform, m.author_key, r.account_key, 'mention', m.created_at,
               m.message_key, $import, min(m.pos)
        FROM (
            SELECT message_key, platform, author_key, created_at, kind, opening, p_author,
                   p_mentions, unnest(mentions) AS ref, generate_subscripts(mentions, 1) AS pos
            FROM touched WHERE len(mentions) > 0
        ) m
        JOIN resolved r ON r.platform = m.platform AND r.ref = m.ref
        WHERE r.account_key <> m.author_key
          AND NOT (m.kind = 'reply' AND m.pos <= m.opening AND m.p_author IS NOT NULL
                   AND (r.account_key = m.p_author OR list_contains(m.p_mentions, m.ref)))
        GROUP BY m.platform, m.author_key, r.account_key, m.created_at, m.message_key
    ) n
    WHERE {_NEW_INTERACTION}
    """,
    f"""
    INSERT INTO interactions
    SELECT * FROM (
        SELECT platform, follower_key AS actor_key, followed_key AS target_key,
               'follow' AS kind, followed_at AS created_at, NULL AS message_key, $import,
               NULL::INTEGER AS position
        FROM follows WHERE import_id = $import AND followed_at IS NOT NULL
        UNION
        SELECT platform, platform || ':' || actor_id, platform || ':' || target_id, kind,
               created_at,
               CASE WHEN message_id IS NOT NULL THEN platform || ':' || message_id END, $import,
               NULL
        FROM stage_interactions WHERE actor_id <> target_id
    ) n
    WHERE {_NEW_INTERACTION}
    """,
]
"""Deriving threads and interactions (see the module docstring)."""


def purge_erased(
    con: duckdb.DuckDBPyConnection,
    import_id: int | None,
    names: Sequence[tuple[str, str]] = (),
) -> dict[str, int]:
    """Delete the accounts that `erasures` names (by key or by handle) and every message,
    label, team assignment, interaction, follow and merge into a person they take part in:
    those of one import, or all of them. In other people's messages their name is redacted
    (`names`: the (platform, handle or id) that `forget` knows) and links to their messages
    are cut. Every team's kept scope is dropped (derived: the next report computes it again).
    Returns the rows changed per table."""
    if not con.execute("SELECT count(*) FROM erasures").fetchall()[0][0]:
        return {}
    erased = "(SELECT key_hash FROM erasures)"
    salt = "(SELECT secret FROM workspace_secret)"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gone AS SELECT account_key FROM accounts"
        f" WHERE sha256({salt} || account_key) IN {erased}"
        f" OR (handle IS NOT NULL AND sha256({salt} || platform || ':@' || lower(handle))"
        f" IN {erased})"
        f" UNION SELECT DISTINCT author_key FROM messages WHERE sha256({salt} || author_key)"
        f" IN {erased}"
    )
    only = "" if import_id is None else f" AND import_id = {int(import_id)}"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gone_messages AS SELECT message_key FROM messages"
        f" WHERE author_key IN (SELECT account_key FROM gone){only}"
    )
    statements = {
        "message_labels": "DELETE FROM message_labels"
        " WHERE message_key IN (SELECT message_key FROM gone_messages)",
        "message_team": "DELETE FROM message_team"
        " WHERE message_key IN (SELECT message_key FROM gone_messages)",
        "handled_requests": "DELETE FROM handled_requests"
        " WHERE message_key IN (SELECT message_key FROM gone_messages)",
        "messages": "DELETE FROM messages"
        " WHERE message_key IN (SELECT message_key FROM gone_messages)",
        "interactions": "DELETE FROM interactions WHERE (actor_key IN (SELECT account_key FROM"
        " gone) OR target_key IN (SELECT account_key FROM gone) OR message_key IN"
        f" (SELECT message_key FROM gone_messages)){only}",
        "follows": "DELETE FROM follows WHERE (follower_key IN (SELECT account_key FROM gone)"
        f" OR followed_key IN (SELECT account_key FROM gone)){only}",
        "accounts": "DELETE FROM accounts"
        f" WHERE account_key IN (SELECT account_key FROM gone){only}",
        "merges": "DELETE FROM merges WHERE a IN (SELECT account_key FROM gone)"
        " OR b IN (SELECT account_key FROM gone)",
    }
    out = {}
    for table, statement in statements.items():
        out[table] = int(con.execute(statement).fetchall()[0][0])
    con.execute("DROP TABLE gone")
    out["others' messages redacted"] = _redact_mentions(con, only, names)
    con.execute(f"UPDATE messages SET parent_key = NULL WHERE parent_key IN {_GONE}")
    con.execute(f"UPDATE messages SET root_key = message_key WHERE root_key IN {_GONE}")
    con.execute("DROP TABLE gone_messages")
    con.execute("DELETE FROM team_scope_version")
    for kept in ("team_messages", "team_interactions"):
        con.execute(f"DROP TABLE IF EXISTS {kept}")
    return out


_GONE = "(SELECT message_key FROM gone_messages)"


ERASED = "@[erased]"
"""What an erased person's @handle becomes in other people's messages."""


def _redact_mentions(
    con: duckdb.DuckDBPyConnection, only: str, names: Sequence[tuple[str, str]] = ()
) -> int:
    """In other people's messages (of one import, or all), an erased person's name becomes
    `ERASED` in the text and leaves the mentions: every mention that an erasure names, and the
    `names` (platform, handle or id) that `forget` knows. Returns how many messages changed."""
    erased = "(SELECT key_hash FROM erasures)"
    salt = "(SELECT secret FROM workspace_secret)"
    found = con.execute(
        "SELECT DISTINCT platform, mention FROM (SELECT platform, unnest(mentions) AS mention"
        f" FROM messages WHERE mentions IS NOT NULL{only})"
        f" WHERE sha256({salt} || platform || ':@' || lower(ltrim(mention, '@'))) IN {erased}"
    ).fetchall()
    wanted = {(str(p), str(m).lstrip("@").lower()) for p, m in [*found, *names] if m}
    changed: set[str] = set()
    for platform, name in sorted(wanted):
        for pattern, replacement in _written(platform, name):
            rows = con.execute(
                "UPDATE messages SET text = regexp_replace(text, ?, ?, 'gi'),"
                " mentions = list_filter(mentions, lambda m: lower(ltrim(m, '@')) <> ?)"
                " WHERE platform = ? AND (list_contains(mentions, ?)"
                f" OR regexp_matches(text, ?, 'i')){only} RETURNING message_key",
                [pattern, replacement, name, platform, name, pattern],
            ).fetchall()
            changed |= {str(r[0]) for r in rows}
        address = _address(platform, name)
        if address is None:
            continue
        for column, cut in (("parent_key", "NULL"), ("root_key", "message_key")):
            con.execute(
                f"UPDATE messages SET {column} = {cut} WHERE platform = ?"
                f" AND lower({column}) LIKE ?{only}",
                [platform, address],
            )
    return len(changed)


def _address(platform: str, name: str) -> str | None:
    """The keys (a LIKE pattern) of the messages whose address names their author: a Mastodon
    status's URL by `user@server`, a Bluesky post's at:// URI by DID."""
    if platform == "mastodon" and "@" in name:
        user, server = name.split("@", 1)
        return f"mastodon:https://{server}/users/{user}/%"
    if platform == "bluesky" and name.startswith("did:"):
        return f"bluesky:at://{name}/%"
    return None


def _written(platform: str, name: str) -> list[tuple[str, str]]:
    """How `name` is written in a message of `platform`, as (RE2 pattern, replacement) pairs:
    `@name` everywhere, `u/name` on Reddit, and for a Mastodon `user@server` also `@user`."""
    tail = r"([^\w@.-]|$)"
    forms = [("@" + re.escape(name) + tail, ERASED + r"\1")]
    if platform == "mastodon" and "@" in name:
        user = name.split("@", 1)[0]
        forms.append(("@" + re.escape(user) + r"([^\w@]|$)", ERASED + r"\1"))
    if platform == "reddit":
        forms.append((r"(^|[^\w/])(/?u/)" + re.escape(name) + r"([^\w-]|$)", r"\1\2[erased]\3"))
    return forms

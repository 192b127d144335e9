"""The DuckDB store: the one owner of connections, migrations and bulk writes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import duckdb
import ibis
import pyarrow as pa

from convivial.store.writer import ImportWriter, purge_erased

__all__ = [
    "MIGRATIONS",
    "FetchCursor",
    "ImportRecord",
    "Store",
    "TeamAccounts",
    "WorkspaceBusy",
]


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("convivial.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version, _, name = entry.name.removesuffix(".sql").partition("_")
            found.append((int(version), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


MIGRATIONS = _migrations()
"""(version, name, sql) of every schema migration, in order."""


@dataclass(frozen=True)
class ImportRecord:
    """Provenance of one imported file."""

    import_id: int
    source: str
    source_version: str
    file: str
    sha256: str
    finished_at: datetime
    rows_read: int
    accounts_added: int
    messages_added: int
    interactions_added: int
    follows_added: int
    rejects: int
    insights_added: int


@dataclass(frozen=True)
class TeamAccounts:
    """A team's host accounts as written in the configuration: PLATFORM:HANDLE or PLATFORM:ID."""

    name: str
    brand: tuple[str, ...]
    staff: tuple[str, ...]


class Labeller(Protocol):
    """The text classifiers: a version and a function from texts to their label columns."""

    @property
    def version(self) -> str: ...

    def __call__(self, texts: pa.Array) -> pa.Table: ...


LabelProgress = Callable[[int, int], None]
"""Called with (messages labelled so far, messages to label)."""

_LABEL_CHUNK = 250_000


@dataclass(frozen=True)
class FetchCursor:
    """Where a fetch stream of one account now stands."""

    account: str
    stream: str
    value: str


class WorkspaceBusy(Exception):
    """Another process holds the store (DuckDB lets one process write). One line."""


class BadSetting(Exception):
    """A setting from the environment is not one the store takes. One line."""


MEMORY = "CONVIVIAL_DUCKDB_MEMORY"
"""Names DuckDB's memory limit (a DuckDB size: `8GB`, `500MB`), in place of `memory_limit()`."""


IMPORT_MEMORY = "1GB"
"""DuckDB's memory limit while a file is imported, unless `$CONVIVIAL_DUCKDB_MEMORY` names one:
an import stages the file and spills what does not fit to disk, so more memory only makes the
process bigger (2.8 million TWCS tweets: 1.5 GiB at the peak, 4.1 GiB under the default limit,
in the same CPU time)."""


def memory_limit(default: str | None = None) -> str:
    """DuckDB's memory limit: `$CONVIVIAL_DUCKDB_MEMORY`, else `default`, else half the
    machine's memory. DuckDB alone would take 80%, but the metrics hold their results in Python,
    in the same process, beside it (at 3 x 10^7 events, several GiB)."""
    given = os.environ.get(MEMORY) or default
    if given:
        return given
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{physical // 2 // 2**20}MB"


class Store:
    """A convivial.duckdb file, migrated to the current schema on open."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        limit = memory_limit()
        try:
            self._con = duckdb.connect(
                str(path), read_only=read_only, config={"memory_limit": limit}
            )
        except duckdb.ParserException:
            raise BadSetting(f"${MEMORY} = {limit!r}: not a size DuckDB takes (say 8GB)") from None
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            raise WorkspaceBusy(
                f"{path} is open in another convivial process (the dashboard?):"
                " stop it, then run this again"
            ) from None
        self._con.execute("SET TimeZone = 'UTC'")
        self._ibis: Any = None
        if not read_only:
            self.migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    # -- schema -----------------------------------------------------------------------------

    def schema_version(self) -> int:
        exists = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        ).fetchall()[0]
        if not exists or not exists[0]:
            return 0
        row = self._con.execute("SELECT max(version) FROM schema_migrations").fetchall()[0]
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self) -> None:
        """Apply every migration newer than the database, each in its own transaction."""
        self._con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
        )
        current = self.schema_version()
        for version, name, sql in MIGRATIONS:
            if version <= current:
                continue
            self._con.execute("BEGIN TRANSACTION")
            try:
                self._con.execute(sql)
                self._con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [version, name, _now()],
                )
                self._con.execute("COMMIT")
            except BaseException:
                self._con.execute("ROLLBACK")
                raise

    # -- teams ------------------------------------------------------------------------------

    def sync_config_teams(self, teams: Sequence[TeamAccounts]) -> None:
        """Make the configured teams and their accounts what the store holds for them."""
        self._con.execute("BEGIN TRANSACTION")
        try:
            for team in teams:
                self._con.execute(
                    "INSERT INTO teams VALUES (?, 'config')"
                    " ON CONFLICT DO UPDATE SET origin = 'config'",
                    [team.name],
                )
                self._con.execute(
                    "DELETE FROM team_accounts WHERE team = ? AND origin = 'config'", [team.name]
                )
                for role, refs in (("brand", team.brand), ("staff", team.staff)):
                    for ref in refs:
                        platform, _, account = ref.partition(":")
                        self._con.execute(
                            "INSERT INTO team_accounts VALUES (?, ?, ?, ?, 'config')"
                            " ON CONFLICT DO UPDATE SET role = EXCLUDED.role, origin = 'config'",
                            [team.name, platform, account.lstrip("@"), role],
                        )
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise

    def teams(self) -> list[tuple[str, str, int, int]]:
        """(team, origin, brand accounts, staff accounts), by name."""
        rows = self._con.execute(
            """SELECT t.team, t.origin,
                      count(*) FILTER (WHERE ta.role = 'brand'),
                      count(*) FILTER (WHERE ta.role = 'staff')
               FROM teams t LEFT JOIN team_accounts ta USING (team)
               GROUP BY ALL ORDER BY t.team"""
        ).fetchall()
        return [(str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]

    def team_names(self) -> list[str]:
        """The teams' names, in order."""
        rows = self._con.execute("SELECT team FROM teams ORDER BY team").fetchall()
        return [str(r[0]) for r in rows]

    # -- imports ----------------------------------------------------------------------------

    def find_import(self, source: str, sha256: str) -> ImportRecord | None:
        """The earlier import of the same bytes by the same source, if any."""
        rows = self._con.execute(
            f"SELECT {_IMPORT_COLUMNS} FROM imports WHERE source = ? AND sha256 = ?"
            " ORDER BY import_id LIMIT 1",
            [source, sha256],
        ).fetchall()
        return ImportRecord(*rows[0]) if rows else None

    def imports(self) -> list[ImportRecord]:
        rows = self._con.execute(
            f"SELECT {_IMPORT_COLUMNS} FROM imports ORDER BY import_id"
        ).fetchall()
        return [ImportRecord(*r) for r in rows]

    def rejects(self, import_id: int | None = None) -> list[tuple[str, int | None, str, str]]:
        """(file, line, reason, raw) of the rejected rows, of one import or all."""
        where = "WHERE import_id = ?" if import_id is not None else ""
        params = [import_id] if import_id is not None else []
        rows = self._con.execute(
            f"SELECT file, line, reason, raw FROM rejects {where} ORDER BY import_id, line",
            params,
        ).fetchall()
        return [(str(r[0]), r[1], str(r[2]), str(r[3])) for r in rows]

    @contextmanager
    def begin_import(
        self, source: str, source_version: str, file: str, sha256: str
    ) -> Iterator[ImportWriter]:
        """One transaction for one file: commits when the block ends, rolls back on error."""
        self._con.execute(f"SET memory_limit = '{memory_limit(IMPORT_MEMORY)}'")
        self._con.execute("BEGIN TRANSACTION")
        try:
            writer = ImportWriter(self._con, source, source_version, file, sha256, _now())
            yield writer
            writer.finish(_now())
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        finally:
            self._con.execute(f"SET memory_limit = '{memory_limit()}'")

    def cursor(self, source: str, account: str, stream: str) -> str | None:
        """Where the last fetch of this stream stopped, if it ran."""
        rows = self._con.execute(
            "SELECT cursor FROM fetch_cursors WHERE source = ? AND account = ? AND stream = ?",
            [source, account, stream],
        ).fetchall()
        return str(rows[0][0]) if rows else None

    @contextmanager
    def begin_fetch(
        self, source: str, source_version: str, file: str, sha256: str, cursor: FetchCursor
    ) -> Iterator[ImportWriter]:
        """One transaction for one fetched chunk, its cursor saved with it: both or neither."""
        with self.begin_import(source, source_version, file, sha256) as writer:
            yield writer
            self._con.execute(
                "INSERT OR REPLACE INTO fetch_cursors VALUES (?, ?, ?, ?, ?)",
                [source, cursor.account, cursor.stream, cursor.value, _now()],
            )

    # -- labels ---------------------------------------------------------------------------

    def refresh_labels(self, labeller: Labeller, progress: LabelProgress | None = None) -> int:
        """Label every message not labelled by this `labeller` version, in one transaction;
        returns how many. Labels are derived: an import commits without them, and whatever
        is left unlabelled (a new import, new classifiers) is labelled here."""
        self._con.execute("BEGIN TRANSACTION")
        try:
            done = self._label(labeller, progress)
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        return done

    def _label(self, labeller: Labeller, progress: LabelProgress | None) -> int:
        con = self._con
        stored = con.execute("SELECT version FROM label_version").fetchall()
        counts = con.execute(
            "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM message_labels)"
        ).fetchall()[0]
        if stored == [(labeller.version,)] and counts[0] == counts[1]:
            return 0  # every message labelled (labels exist only for messages)
        if stored != [(labeller.version,)]:
            con.execute("DELETE FROM message_labels")
            con.execute("DELETE FROM label_version")
            con.execute("INSERT INTO label_version VALUES (?)", [labeller.version])
        con.execute(
            "CREATE OR REPLACE TEMP TABLE to_label AS SELECT row_number() OVER () AS n,"
            " m.message_key FROM messages m ANTI JOIN message_labels USING (message_key)"
        )
        total = int(con.execute("SELECT count(*) FROM to_label").fetchall()[0][0])
        for start in range(0, total, _LABEL_CHUNK):
            chunk = con.sql(
                "SELECT message_key, m.text FROM to_label JOIN messages m USING (message_key)"
                " WHERE n > ? AND n <= ?",
                params=[start, start + _LABEL_CHUNK],
            ).to_arrow_table()
            labels = labeller(chunk.column("text").combine_chunks())
            con.from_arrow(labels.add_column(0, "message_key", chunk["message_key"])).query(
                "label_rows", "INSERT INTO message_labels BY NAME SELECT * FROM label_rows"
            )  # a relation: a registered view's data would live until the transaction ends
            if progress is not None:
                progress(min(start + _LABEL_CHUNK, total), total)
        con.execute("DROP TABLE to_label")
        return total

    # -- team assignment ------------------------------------------------------------------

    def assignment_inputs(self) -> str:
        """A fingerprint of what each message's team depends on: the teams' accounts (as
        configured or imported; which accounts they are changes only with an import or an
        erasure) and the messages (their count and the imports that brought them)."""
        row = self._con.execute(
            "SELECT (SELECT coalesce(md5(string_agg(team || '|' || platform || '|' || account_ref,"
            "        ',' ORDER BY team, platform, account_ref)), '') FROM team_accounts)"
            " || '-' || (SELECT count(*) FROM messages)"
            " || '-' || (SELECT coalesce(max(import_id), 0) FROM imports)"
            " || '-' || (SELECT count(*) FROM erasures)"
        ).fetchall()[0]
        return str(row[0])

    def assignment_is_current(self) -> bool:
        """Whether `message_team` was computed from the store as it is."""
        return self._kept_version("message_team_version") == self.assignment_inputs()

    def save_assignment(self, sql: str) -> None:
        """Replace `message_team` with the rows (message_key, team) of `sql`, in one
        transaction, and record what they were computed from."""
        self._keep(
            "message_team_version",
            self.assignment_inputs,
            ["DELETE FROM message_team", f"INSERT INTO message_team BY NAME {sql}"],
        )

    # -- every team's scope, kept -------------------------------------------------------------

    def scope_inputs(self) -> str:
        """A fingerprint of what the kept scope (`team_messages`, `team_interactions`) depends
        on: what each message's team does (`assignment_inputs`), the roles of the teams'
        accounts, the labels (their version and count) and the schema (a migration may add a
        column the scope carries)."""
        row = self._con.execute(
            "SELECT (SELECT coalesce(md5(string_agg(role, ','"
            "        ORDER BY team, platform, account_ref)), '') FROM team_accounts)"
            " || '-' || coalesce((SELECT max(version) FROM label_version), '')"
            " || '-' || (SELECT count(*) FROM message_labels)"
            " || '-' || (SELECT max(version) FROM schema_migrations)"
        ).fetchall()[0]
        return f"{self.assignment_inputs()}-{row[0]}"

    def scope_is_current(self) -> bool:
        """Whether `team_messages` and `team_interactions` were computed from the store as it
        is."""
        return self._kept_version("team_scope_version") == self.scope_inputs()

    def save_scope(self, messages_sql: str, interactions_sql: str) -> None:
        """Replace `team_messages` and `team_interactions` with the rows of these queries,
        ordered by team (so that one team's rows are read without the others'), in one
        transaction, and record what they were computed from."""
        self._keep(
            "team_scope_version",
            self.scope_inputs,
            [
                f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM ({sql}) ORDER BY team"
                for table, sql in (
                    ("team_messages", messages_sql),
                    ("team_interactions", interactions_sql),
                )
            ],
        )

    def kept_scope(self) -> tuple[Any, Any] | None:
        """The kept (team_messages, team_interactions) Ibis tables when they are current, else
        None."""
        if not self.scope_is_current():
            return None
        con = self.ibis()
        return con.table("team_messages"), con.table("team_interactions")

    # -- the suggested merges of people, checked ----------------------------------------------

    def merges_checked(self, threshold: float) -> bool:
        """Whether the suggested merges were last made at `threshold` with the store as it is
        (its accounts, interactions and merges): then no new suggestion can reach it."""
        return self._kept_version("merge_check_version") == self._merge_inputs(threshold)

    def save_merges_checked(self, threshold: float) -> None:
        """Record that the suggested merges at `threshold` were made with the store as it is."""
        self._keep("merge_check_version", lambda: self._merge_inputs(threshold), [])

    def _merge_inputs(self, threshold: float) -> str:
        return f"{threshold!r}-{self.data_state()}"

    def _kept_version(self, table: str) -> str | None:
        """The fingerprint a derived table was saved with, if any."""
        rows = self._con.execute(f"SELECT version FROM {table}").fetchall()
        return str(rows[0][0]) if len(rows) == 1 else None

    def _keep(self, table: str, inputs: Callable[[], str], statements: Sequence[str]) -> None:
        """Run `statements`, which write a derived table, and record in the version `table`
        what it was computed from (`inputs`), in one transaction."""
        self._con.execute("BEGIN TRANSACTION")
        try:
            version = inputs()
            for statement in statements:
                self._con.execute(statement)
            self._con.execute(f"DELETE FROM {table}")
            self._con.execute(f"INSERT INTO {table} VALUES (?)", [version])
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise

    # -- report cache and inbox state ---------------------------------------------------------

    def data_state(self) -> str:
        """A fingerprint of everything a report is computed from in the store: the imports, the
        messages and their teams, the classifiers' version and the erasures."""
        row = self._con.execute(
            "SELECT (SELECT count(*) FROM imports) || '-' || (SELECT count(*) FROM erasures)"
            " || '-' || (SELECT count(*) FROM follows) || '-' || (SELECT count(*) FROM accounts)"
            " || '-' || coalesce((SELECT max(version) FROM label_version), '')"
            " || '-' || (SELECT coalesce(md5(string_agg(a || b, ',' ORDER BY a, b)), '')"
            "            FROM merges WHERE NOT refused)"
        ).fetchall()[0]
        return f"{self.assignment_inputs()}-{row[0]}"

    def cached_report(self, key: str) -> tuple[str, list[bytes]] | None:
        """The report body saved under `key` and its long lists (Arrow IPC), if any."""
        rows = self._con.execute("SELECT body FROM report_cache WHERE key = ?", [key]).fetchall()
        if not rows:
            return None
        lists = self._con.execute(
            "SELECT data FROM report_rows WHERE key = ? ORDER BY position", [key]
        ).fetchall()
        return str(rows[0][0]), [bytes(data) for (data,) in lists]

    def save_report(self, key: str, state: str, body: str, lists: Sequence[bytes] = ()) -> None:
        """Keep `body` and its long lists under `key`, and drop the reports of any other
        `state`."""
        self._con.execute("BEGIN TRANSACTION")
        try:
            self._con.execute("DELETE FROM report_cache WHERE state <> ? OR key = ?", [state, key])
            self._con.execute(
                "DELETE FROM report_rows"
                " WHERE key = ? OR key NOT IN (SELECT key FROM report_cache)",
                [key],
            )
            self._con.execute(
                "INSERT INTO report_cache VALUES (?, ?, ?, ?)", [key, state, body, _now()]
            )
            for position, data in enumerate(lists):
                self._con.execute("INSERT INTO report_rows VALUES (?, ?, ?)", [key, position, data])
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise

    def handled(self) -> dict[str, datetime]:
        """The requests marked handled in the inbox, with when."""
        rows = self._con.execute("SELECT message_key, handled_at FROM handled_requests").fetchall()
        return {str(key): at for key, at in rows}

    def mark_handled(self, message_key: str, handled: bool = True) -> bool:
        """Mark a message handled (or not any more); False when there is no such message."""
        known = self._con.execute(
            "SELECT count(*) FROM messages WHERE message_key = ?", [message_key]
        ).fetchall()[0][0]
        if not known:
            return False
        if handled:
            self._con.execute(
                "INSERT INTO handled_requests VALUES (?, ?) ON CONFLICT DO NOTHING",
                [message_key, _now()],
            )
        else:
            self._con.execute("DELETE FROM handled_requests WHERE message_key = ?", [message_key])
        return True

    # -- people ---------------------------------------------------------------------------

    def merges(self) -> list[dict[str, Any]]:
        """Every pair of accounts tied as one person (refused automatic ones included)."""
        rows: list[dict[str, Any]] = self.arrow("SELECT * FROM merges ORDER BY a, b").to_pylist()
        return rows

    def account_key(self, platform: str, ref: str) -> str | None:
        """The key of the account `ref` (its id or handle, any case) on `platform`."""
        rows = self._con.execute(
            "SELECT account_key FROM accounts WHERE platform = ?"
            " AND (account_id = ? OR lower(handle) = lower(?)) ORDER BY account_id = ? DESC",
            [platform, ref, ref, ref],
        ).fetchall()
        return str(rows[0][0]) if rows else None

    def merge(self, a: str, b: str, confidence: float, reason: str, by: str) -> None:
        """Tie accounts `a` and `b` as one person (again, if a merge of them was refused: it
        keeps who merged them first, so undoing it again refuses it again)."""
        first, second = sorted((a, b))
        self._con.execute(
            "INSERT INTO merges VALUES (?, ?, ?, ?, ?, false, ?)"
            " ON CONFLICT (a, b) DO UPDATE SET refused = false, merged_at = excluded.merged_at",
            [first, second, confidence, reason, by, _now()],
        )

    def unmerge(self, a: str, b: str) -> bool:
        """Untie `a` and `b`: a merge by hand goes; an automatic one is kept as refused, so it is
        not made again. False when they were not tied."""
        first, second = sorted((a, b))
        found = self._con.execute(
            "SELECT merged_by FROM merges WHERE a = ? AND b = ? AND NOT refused", [first, second]
        ).fetchall()
        if not found:
            return False
        if found[0][0] == "auto":
            self._con.execute(
                "UPDATE merges SET refused = true WHERE a = ? AND b = ?", [first, second]
            )
        else:
            self._con.execute("DELETE FROM merges WHERE a = ? AND b = ?", [first, second])
        return True

    # -- erasure ----------------------------------------------------------------------------

    def forget(self, platform: str, ref: str) -> dict[str, int]:
        """Erase the account `platform:ref` (its id or handle) everywhere: its profile, its
        messages with their labels and team, every interaction and follow it takes part in, and
        the rejected rows that name it; record that an erasure happened (keyed hashes of its key
        and handle, not the data), so that no later import brings it back. One transaction.
        Returns how many rows of each kind went."""
        con = self._con
        con.execute("BEGIN TRANSACTION")
        try:
            found = con.execute(
                "SELECT account_key, account_id, handle FROM accounts"
                " WHERE platform = ? AND (account_id = ? OR lower(handle) = lower(?))",
                [platform, ref, ref],
            ).fetchall()
            names = {ref.lower(), *(str(r[1]).lower() for r in found)}
            names |= {str(r[2]).lower() for r in found if r[2]}
            identities = {f"{platform}:{n}" for n in names} | {f"{platform}:@{n}" for n in names}
            identities |= {str(r[0]) for r in found}
            for identity in sorted(identities):
                con.execute(
                    "INSERT INTO erasures SELECT sha256(secret || ?), ? FROM workspace_secret"
                    " ON CONFLICT DO NOTHING",
                    [identity, _now()],
                )
            gone = purge_erased(con, None, [(platform, n) for n in sorted(names)])
            gone["report_cache"] = int(con.execute("DELETE FROM report_cache").fetchall()[0][0])
            con.execute("DELETE FROM report_rows")
            # a fetch's place may name them (a Bluesky follower's id): fetches start afresh,
            # which their idempotent writes make harmless
            gone["fetch_cursors"] = int(con.execute("DELETE FROM fetch_cursors").fetchall()[0][0])
            patterns = [f"%{n}%" for n in names]
            gone["rejects"] = int(
                con.execute(
                    "DELETE FROM rejects WHERE " + " OR ".join(["raw ILIKE ?"] * len(patterns)),
                    patterns,
                ).fetchall()[0][0]
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return gone

    # -- export -----------------------------------------------------------------------------

    def export_parquet(self, directory: Path) -> dict[str, int]:
        """Every table as Parquet under `directory`, one folder per table, replacing what an
        earlier export wrote there; the event tables partitioned by platform and month
        (`platform=twitter/month=2017-10/`, `month=unknown` where a follow has no time; an empty
        one in one file, which keeps its columns). Returns the rows written per table."""
        directory.mkdir(parents=True, exist_ok=True)
        written = {}
        for table, time_column in _EXPORTS.items():
            target = directory / table
            count = int(self._con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
            if time_column is None or count == 0:  # an empty table keeps its columns in one file
                query = f"SELECT * FROM {table}"
                options = "FORMAT parquet"
                shutil.rmtree(target, ignore_errors=True)
                target.mkdir()
                target = target / "data.parquet"
            else:
                month = f"coalesce(strftime({time_column}, '%Y-%m'), 'unknown')"
                query = f"SELECT *, {month} AS month FROM {table}"
                options = "FORMAT parquet, PARTITION_BY (platform, month), OVERWRITE"
            self._con.execute(f"COPY ({query}) TO '{_quoted(target)}' ({options})")
            written[table] = count
        return written

    # -- readers ----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per data table."""
        out = {}
        for name in ("accounts", "messages", "interactions", "follows", "teams", "rejects"):
            row = self._con.execute(f"SELECT count(*) FROM {name}").fetchall()[0]
            out[name] = int(row[0]) if row else 0
        return out

    def arrow(self, sql: str, params: Sequence[Any] = ()) -> pa.Table:
        """A query's result as Arrow, for tests and exports."""
        result: pa.Table = self._con.sql(sql, params=list(params) or None).to_arrow_table()
        return result

    def ibis(self) -> Any:
        """An Ibis backend over this store, for metrics (one per store)."""
        if self._ibis is None:
            self._ibis = ibis.duckdb.from_connection(self._con)
        return self._ibis

    def kept_message_teams(self) -> Any | None:
        """The kept (message_key, team) Ibis table when it is current, else None."""
        return self.ibis().table("message_team") if self.assignment_is_current() else None


_IMPORT_COLUMNS = (
    "import_id, source, source_version, file, sha256, finished_at, rows_read, accounts_added,"
    " messages_added, interactions_added, follows_added, rejects, insights_added"
)


_EXPORTS: dict[str, str | None] = {
    "messages": "created_at",
    "interactions": "created_at",
    "follows": "followed_at",
    "accounts": None,
    "teams": None,
    "team_accounts": None,
    "host_accounts": None,
    "message_labels": None,
    "message_team": None,
    "post_insights": None,
    "imports": None,
}
"""The tables `export_parquet` writes, and the time that partitions each event table by month.
Rejects (the raw text of unreadable rows) stay in the workspace."""


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)

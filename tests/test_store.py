"""Schema migrations: a new store is current, reopening runs nothing, each version is recorded."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, count

from convivial.store import Store, TeamAccounts
from convivial.store import store as store_module

MIGRATION_FILES = sorted((ROOT / "convivial" / "store" / "migrations").glob("*.sql"))


def expected_versions() -> list[tuple[int, str]]:
    """(version, name) of each migration file, `NNN_name.sql`, read here from the file names."""
    out = []
    for path in MIGRATION_FILES:
        version, _, name = path.stem.partition("_")
        out.append((int(version), name))
    return sorted(out)


def recorded(store: Store) -> list[tuple[int, str, datetime]]:
    rows = store.arrow(
        "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
    ).to_pylist()
    return [(r["version"], r["name"], r["applied_at"]) for r in rows]


def test_there_are_migrations() -> None:
    assert MIGRATION_FILES
    assert expected_versions()[0][0] == 1
    versions = [v for v, _ in expected_versions()]
    assert len(versions) == len(set(versions))


def test_a_new_store_is_at_the_latest_version(store: Store) -> None:
    latest = expected_versions()[-1][0]
    assert store.schema_version() == latest
    counts = store.counts()
    assert set(counts) >= {"accounts", "messages", "interactions", "follows", "teams", "rejects"}
    assert all(n == 0 for n in counts.values())
    assert store.imports() == []


def test_schema_migrations_records_each_version(store: Store) -> None:
    rows = recorded(store)
    assert [(v, name) for v, name, _ in rows] == expected_versions()
    assert all(isinstance(applied, datetime) for _, _, applied in rows)


def test_opening_again_does_not_rerun_migrations(tmp_path: Path) -> None:
    path = tmp_path / "convivial.duckdb"
    with Store(path) as first:
        before = recorded(first)
        first.sync_config_teams([TeamAccounts("shop", ("twitter:shop",), ())])
    for _ in range(2):
        with Store(path) as again:
            assert recorded(again) == before
            assert again.schema_version() == expected_versions()[-1][0]
            assert again.teams() == [("shop", "config", 1, 0)]
    with Store(path, read_only=True) as reader:
        assert recorded(reader) == before


def test_a_new_migration_is_applied_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "convivial.duckdb"
    with Store(path) as old:
        before = recorded(old)
    latest = before[-1][0]
    extra = (latest + 1, "probe", "CREATE TABLE probe (x INTEGER); INSERT INTO probe VALUES (1);")
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, extra])
    for _ in range(2):
        with Store(path) as new:
            assert new.schema_version() == latest + 1
            rows = recorded(new)
            assert rows[:-1] == before
            assert [(v, name) for v, name, _ in rows[-1:]] == [(latest + 1, "probe")]
            assert count(new, "SELECT count(*) FROM probe") == 1


def test_a_failing_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "convivial.duckdb"
    with Store(path) as old:
        before = recorded(old)
    latest = before[-1][0]
    broken = (latest + 1, "broken", "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;")
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, broken])
        with pytest.raises(duckdb.Error):
            Store(path)
    with Store(path) as reopened:
        assert recorded(reopened) == before
        tables = count(
            reopened,
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'half'",
        )
        assert tables == 0

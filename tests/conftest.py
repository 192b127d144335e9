"""Shared fixtures: real stores in tmp_path, the shared real data, and the command line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from convivial.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

CliRun = Callable[..., tuple[int, str, str]]
"""Runs `convivial ARGS...`; returns (exit code, stdout, stderr)."""


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared real data (../shared/data beside the checkout)."""
    assert SHARED.is_dir(), f"the shared data is missing: {SHARED}"
    return SHARED


@pytest.fixture(scope="session")
def twcs_head(shared: Path) -> Path:
    """The first 5,000 rows of the real TWCS file."""
    return shared / "twcs" / "twcs_head5000.csv"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store file in tmp_path."""
    with Store(tmp_path / "convivial.duckdb") as opened:
        yield opened


def scalar(store: Store, sql: str, *params: object) -> object:
    """The one value a query returns."""
    result = store.arrow(sql, params)
    assert result.num_rows == 1 and result.num_columns == 1, sql
    return result.column(0)[0].as_py()


def count(store: Store, sql: str, *params: object) -> int:
    """A count(*) query's value."""
    value = scalar(store, sql, *params)
    assert isinstance(value, int)
    return value


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> CliRun:
    """The real entry point (`convivial.cli.main`), with its exit code and output captured."""
    monkeypatch.delenv("CONVIVIAL_WORKSPACE", raising=False)

    from convivial.cli import main

    def run(*args: str | Path) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["convivial", *(str(a) for a in args)])
        capsys.readouterr()
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def workspace(tmp_path: Path, cli: CliRun) -> Path:
    """An initialised, empty workspace folder."""
    root = tmp_path / "ws"
    code, _, err = cli("-w", root, "init")
    assert code == 0, err
    return root

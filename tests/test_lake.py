"""`--engine` and `--lake` on `report`, `inbox` and `members`: checked before anything runs; the
workspace's own lake is read while current, exported again when the data changes, and removed by
`forget`; a lake exported elsewhere is read as it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds
from conftest import CliRun
from engines import SPARK_SOCKETS

from convivial.parity import differences
from convivial.workspace import Workspace

pytestmark = SPARK_SOCKETS

ON_SPARK = ("--engine", "spark=local[2]")


def test_the_engine_and_the_lake_are_checked_first(workspace: Path, cli: CliRun) -> None:
    code, out, err = cli("-w", workspace, "report", "--engine", "bigquery")
    assert (code, out) == (1, "")
    assert "unknown engine 'bigquery': use duckdb, spark or spark=MASTER" in err
    code, _, err = cli("-w", workspace, "members", "--engine", "duckdb", "--lake", "lake")
    assert code == 1 and "duckdb runs in the workspace: it takes no master and no --lake" in err
    nowhere = workspace / "nowhere"
    code, _, err = cli("-w", workspace, "inbox", "--engine", "spark", "--lake", nowhere)
    assert code == 1
    assert f"{nowhere} is not a convivial lake: messages/ is missing" in err
    assert "Traceback" not in err


def test_the_workspace_lake_follows_the_data_and_forget_removes_it(
    workspace: Path, cli: CliRun, shared: Path
) -> None:
    twcs = shared / "twcs"
    assert cli("-w", workspace, "import", "twcs", twcs / "twcs_head5000.csv")[0] == 0
    spark = _json(cli("-w", workspace, "inbox", "--format", "json", *ON_SPARK))
    assert differences(_json(cli("-w", workspace, "inbox", "--format", "json")), spark) == []
    assert any(team["unanswered"] for team in spark)
    lake = Workspace(workspace).lake
    assert _rows(lake / "messages") == 5_000

    assert cli("-w", workspace, "import", "twcs", twcs / "twcs_random5000.csv")[0] == 0
    spark = _json(cli("-w", workspace, "members", "--format", "json", *ON_SPARK))
    assert differences(_json(cli("-w", workspace, "members", "--format", "json")), spark) == []
    assert _rows(lake / "messages") > 5_000  # exported again with the new file's messages

    code, out, _ = cli("-w", workspace, "forget", "twitter:115712")
    assert code == 0 and "Removed the workspace's lake" in out
    assert not lake.exists()


def test_a_lake_exported_elsewhere_is_read_as_it_is(
    workspace: Path, cli: CliRun, twcs_head: Path, tmp_path: Path
) -> None:
    assert cli("-w", workspace, "import", "twcs", twcs_head)[0] == 0
    elsewhere = tmp_path / "lake"
    code, out, err = cli("-w", workspace, "export", "--parquet", elsewhere)
    assert code == 0, err
    assert f"{elsewhere / 'messages'}: 5,000 rows" in out
    args = ("-w", workspace, "report", "--format", "json", "--team", "AppleSupport")
    code, out, err = cli(*args, *ON_SPARK, "--lake", elsewhere)
    assert code == 0, err
    assert f"over {elsewhere}" in err
    spark = json.loads(out)
    assert spark["metrics"]["directed_count"] > 0
    assert differences(_json(cli(*args)), spark) == []
    assert not Workspace(workspace).lake.exists()  # the workspace's own lake was not needed


def _json(result: tuple[int, str, str]) -> Any:
    code, out, err = result
    assert code == 0, err
    return json.loads(out)


def _rows(table: Path) -> int:
    rows: int = ds.dataset(table, format="parquet", partitioning="hive").count_rows()
    return rows

"""`convivial export --parquet`: every table written, events partitioned by platform and month,
read back whole."""

from __future__ import annotations

from pathlib import Path

import pyarrow.dataset as ds
from conftest import CliRun

from convivial.workspace import Workspace


def test_the_demo_exports_and_reads_back_whole(tmp_path: Path, cli: CliRun) -> None:
    root, lake = tmp_path / "demo", tmp_path / "lake"
    assert cli("demo", root)[0] == 0
    code, out, err = cli("-w", root, "export", "--parquet", lake)
    assert code == 0, err
    with Workspace(root).open_store(read_only=True) as store:
        counts = {
            name: int(store.arrow(f"SELECT count(*) AS n FROM {name}").column("n")[0].as_py())
            for name in ("messages", "interactions", "follows", "accounts", "message_labels")
        }
        months = store.arrow(
            "SELECT DISTINCT platform, strftime(created_at, '%Y-%m') AS month FROM messages"
        ).to_pylist()
    for name, rows in counts.items():
        assert rows > 0 and f"{lake / name}: {rows:,} rows" in out
        data = ds.dataset(lake / name, format="parquet", partitioning="hive")
        assert data.count_rows() == rows, name
    folders = {(p.parent.name, p.name) for p in (lake / "messages").glob("platform=*/month=*")}
    assert folders == {(f"platform={m['platform']}", f"month={m['month']}") for m in months}
    assert {p.name for p in (lake / "messages").glob("platform=*")} == {
        "platform=twitter",
        "platform=mastodon",
        "platform=facebook",
    }

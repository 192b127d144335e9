"""One parity suite over the engines: every value of every report is the same whether the metrics
run on DuckDB in the workspace or on Spark (local mode) over the workspace's Parquet lake. Counts
and every other exact value are equal; real numbers agree to 1e-9. A metric Spark cannot run fails
loudly, with no fallback to DuckDB."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import ibis.common.exceptions
import pytest
from conftest import CliRun
from engines import SPARK, SPARK_SOCKETS

from convivial.analysis import Engine, workspace_reports
from convivial.cli import main
from convivial.metrics import build_reports
from convivial.metrics.counts import counts
from convivial.metrics.scope import Scope
from convivial.parity import differences, leaves
from convivial.people import merge_suggested, person_of
from convivial.report.model import TeamReport
from convivial.workspace import Workspace

pytestmark = SPARK_SOCKETS

ENGINES = {"duckdb": Engine(), "spark": SPARK}


def _convivial(*args: str | Path) -> None:
    """Runs the command line as a user would, failing the fixture on a non-zero exit."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", ["convivial", *(str(a) for a in args)])
        try:
            main()
        except SystemExit as exc:
            assert exc.code in (0, None), f"convivial {args}: exit {exc.code}"


@pytest.fixture(scope="module", params=["demo", "twcs", "reddit"])
def workspace(request: pytest.FixtureRequest, shared: Path) -> Iterator[Workspace]:
    """The demo community, the first 5,000 real TWCS tweets (one team per brand), and the real
    Reddit threads with one team per subreddit, each in its own workspace."""
    name: str = request.param
    factory: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
    root = factory.mktemp(name) / "ws"
    if name == "demo":
        _convivial("demo", root)
    else:
        _convivial("-w", root, "init")
        if name == "twcs":
            _convivial("-w", root, "import", "twcs", shared / "twcs" / "twcs_head5000.csv")
        else:
            data = shared / "reddit" / "reddit_college_3subs.csv.gz"
            _convivial("-w", root, "import", "reddit", data, "--team-by", "subreddit")
    yield Workspace(root)


@pytest.fixture(scope="module")
def expected(workspace: Workspace) -> list[TeamReport]:
    """The reports as the definitions give them: `build_reports` on the store, nothing kept."""
    config = workspace.config()
    with workspace.open_store() as store:
        workspace_reports(workspace, store)  # labels, teams and people brought up to date
        merge_suggested(store, config.merge_above)
        return build_reports(
            store,
            window_days=config.window_days,
            bands=config.bands,
            hours={t.name: h for t in config.teams if (h := t.opening_hours()) is not None},
            people=person_of(store.merges()),
        )


@pytest.mark.parametrize("engine", list(ENGINES))
def test_every_value_is_the_same_on_every_engine(
    workspace: Workspace, expected: list[TeamReport], engine: str
) -> None:
    with workspace.open_store() as store:
        got = workspace_reports(workspace, store, engine=ENGINES[engine])
    assert [r.team for r in got] == [r.team for r in expected]
    want = [r.as_json() for r in expected]
    assert len(leaves(want)) > 200 * len(expected)  # every metric, list and feature, not a few
    differing = differences(want, [r.as_json() for r in got])
    assert not differing, f"{len(differing)} values differ:\n" + "\n".join(differing[:30])
    if engine == "spark":
        assert (workspace.lake / "messages").is_dir()


def test_a_metric_spark_cannot_run_fails_loudly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cli: CliRun, twcs_head: Path
) -> None:
    """A count by hourly bucket (a DuckDB-only operation) runs on DuckDB and stops Spark with
    the operation named: no report, nothing computed elsewhere in its place."""

    def bucketed(scope: Scope) -> dict[str, dict[str, int | None]]:
        m = scope.messages
        hours = m.group_by(hour=m.created_at.bucket(hours=1)).aggregate(n=m.count())
        assert hours.n.sum().to_pyarrow().as_py() > 0
        result: dict[str, dict[str, int | None]] = counts(scope)
        return result

    monkeypatch.setattr("convivial.metrics.counts", bucketed)
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    assert cli("-w", root, "import", "twcs", twcs_head)[0] == 0
    code, _, err = cli("-w", root, "report", "--format", "json")
    assert code == 0, err
    ws = Workspace(root)
    with ws.open_store() as store, pytest.raises(ibis.common.exceptions.OperationNotDefinedError):
        workspace_reports(ws, store, engine=SPARK)
    code, out, err = cli("-w", root, "report", "--format", "json", "--engine", "spark=local[2]")
    assert code == 2 and out == ""
    assert "TimestampBucket" in err, err

"""The facebook-insights source on the real page of ../shared/data/facebook, and what the report
says of it, checked against the figures published with the data (its SOURCE file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SHARED, CliRun, count

from convivial.importer import ImportFailed, import_file
from convivial.metrics.insights import post_insights
from convivial.sources import SourceError, SourceOptions
from convivial.sources.facebook_insights import FacebookInsightsSource
from convivial.store import Store

PAGE = SHARED / "facebook" / "dataset_Facebook.csv"


def _import(store: Store, path: Path = PAGE) -> None:
    source = FacebookInsightsSource(SourceOptions(team="Cosmetics"))
    import_file(store, "facebook-insights", path, source=source)


def test_every_post_is_read_and_reimporting_adds_nothing(store: Store) -> None:
    _import(store)
    assert count(store, "SELECT count(*) FROM post_insights") == 500
    assert count(store, "SELECT count(DISTINCT post_key) FROM post_insights") == 500
    _import(store)
    assert count(store, "SELECT count(*) FROM post_insights") == 500
    rows = store.arrow("SELECT paid, count(*) AS n FROM post_insights GROUP BY 1").to_pylist()
    paid = {r["paid"]: r["n"] for r in rows}
    assert paid == {True: 139, False: 360, None: 1}  # the file's one missing Paid stays missing


def test_the_published_finding_holds(store: Store) -> None:
    """SOURCE: mean Lifetime Post Consumers Status 1950, Video 1585, Photo 690, Link 293; "a
    status post captures around twice the attention of the remaining three types"."""
    _import(store)
    found = post_insights(store.ibis(), ["Cosmetics"])["Cosmetics"]
    means = {r["group"]: r["consumers_per_post"] for r in found["by_type"]}
    assert means == pytest.approx({"Status": 1950, "Video": 1585, "Photo": 690, "Link": 293}, abs=1)
    lead = found["attention_lead"]
    assert lead["post_type"] == "Status" and lead["ratio"] >= 2


def test_a_newer_export_replaces_the_figures_of_the_same_posts(
    store: Store, tmp_path: Path
) -> None:
    _import(store)
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(";")
    cells[10] = str(int(cells[10]) + 1000)  # Lifetime Post Consumers grew
    newer = tmp_path / "newer.csv"
    newer.write_text("\n".join([lines[0], ";".join(cells)]) + "\n", encoding="utf-8")
    _import(store, newer)
    assert count(store, "SELECT count(*) FROM post_insights") == 500
    assert (
        count(store, "SELECT count(*) FROM post_insights WHERE consumers = ?", int(cells[10])) == 1
    )


def test_bad_rows_are_kept_aside_with_their_line(store: Store, tmp_path: Path) -> None:
    lines = PAGE.read_text(encoding="utf-8").splitlines()
    broken = [*lines[:3], "139441;Photo;2;12;4;3;0;lots;5091", *lines[3:5]]
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    _import(store, path)
    assert count(store, "SELECT count(*) FROM post_insights") == 4
    [(_, line, reason, _)] = store.rejects()
    assert line == 4 and "fields where the header has 19" in reason


def test_no_team_and_no_type_column_are_clear_errors(store: Store, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="--team NAME"):
        FacebookInsightsSource(SourceOptions())
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"wrong.csv:1: no Type column"):
        _import(store, wrong)


def test_the_report_shows_what_draws_attention(tmp_path: Path, cli: CliRun) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init", "--team", "Cosmetics")[0] == 0
    code, out, _ = cli("-w", root, "import", "facebook-insights", PAGE, "--team", "Cosmetics")
    assert code == 0 and "500 posts' Insights added" in out
    code, out, _ = cli("-w", root, "report", "--team", "Cosmetics")
    assert code == 0
    assert "Status posts drew 2.8 times the attention" in out
    code, out, _ = cli("-w", root, "report", "--team", "Cosmetics", "--format", "json")
    report = json.loads(out)
    assert report["metrics"]["attention_lead_type"] == "Status"
    assert [r["group"] for r in report["lists"]["insights_by_paid"]] == [
        "not known",
        "organic",
        "paid",
    ]

"""`convivial demo` end to end: the report reads as what the community was generated to be."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import CliRun

from convivial import synth


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "bikes"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.argv", ["convivial", "demo", str(root)])
        from convivial.cli import main

        main()  # returns on success; exits non-zero on any error
    return root


@pytest.fixture(scope="module")
def report(demo: Path) -> dict[str, object]:
    from convivial.metrics import build_reports
    from convivial.workspace import Workspace

    with Workspace(demo).open_store(read_only=True) as store:
        (only,) = build_reports(store)
    return only.as_json()


def _core_circles(data: Path) -> set[str]:
    """Members who reply to other members in both directions, read from the generated CSV."""
    with (data / "messages.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    author = {(r["platform"], r["message_id"]): r["author_id"] for r in rows}
    hosts = {"spokesbikes", "anna_spokes", "tom_wrench"}
    replied: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        parent = author.get((r["platform"], r["parent_id"]))
        if parent and r["author_id"] not in hosts and parent not in hosts:
            replied[f"{r['platform']}:{r['author_id']}"].add(f"{r['platform']}:{parent}")
    return {a for a, targets in replied.items() if any(a in replied.get(t, ()) for t in targets)}


def test_the_demo_writes_the_report(demo: Path) -> None:
    html = (demo / "report.html").read_text(encoding="utf-8")
    assert "Spokes &amp; Sprockets" in html
    assert "<script" not in html


def test_members_talk_to_each_other(report: dict[str, object]) -> None:
    metrics = report["metrics"]
    assert isinstance(metrics, dict)
    assert metrics["member_to_member_share"] >= 0.30
    assert report["statuses"] == {
        "member_to_member_share": "community",
        "conversation_share": "party host",
    }


def test_the_advocates_are_the_core_not_the_most_followed(
    report: dict[str, object], demo: Path
) -> None:
    lists = report["lists"]
    assert isinstance(lists, dict)
    core = _core_circles(demo / "data")
    advocates = [a["account_key"] for a in lists["advocates"]]
    assert len(advocates) == 10
    assert sum(a in core for a in advocates) >= 8, (advocates, sorted(core))
    metrics = report["metrics"]
    assert isinstance(metrics, dict)
    assert metrics["advocates_among_most_followed"] == 0


def test_core_members_slip_away(report: dict[str, object], demo: Path) -> None:
    lists = report["lists"]
    assert isinstance(lists, dict)
    gone = {g["account_key"] for g in lists["slipping_away"]}
    silent_core = _core_circles(demo / "data") & gone
    # one member of each of the three core circles goes silent 36 days before the end
    assert len(silent_core) >= synth.SLIPPING_PER_CIRCLE * 3


def test_members_and_json_commands(demo: Path, cli: CliRun) -> None:
    code, out, err = cli("-w", demo, "members", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data[0]["team"] == "Spokes & Sprockets"
    assert {m["level"] for m in data[0]["members"]} == {1, 2, 3, 4}

"""The docs cannot drift: every metric the report shows and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from convivial.cli import app
from convivial.report.wording import BEHAVIOUR, SCORECARD, SERVICE
from convivial.sources import source_names

ROOT = Path(__file__).resolve().parents[1]


def test_every_scorecard_metric_is_defined_in_the_docs() -> None:
    text = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z0-9_]+)`", text))
    lines = (*SCORECARD, *SERVICE, *BEHAVIOUR)
    missing = [line.key for line in lines if line.key not in documented]
    assert not missing, f"docs/metrics.md does not define: {missing}"


def test_every_command_and_source_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = sorted(get_command(app).commands)  # type: ignore[attr-defined]
    assert [c for c in commands if f"convivial [-w WS] {c}" not in readme and c != "demo"] == []
    assert "convivial demo" in readme
    assert [s for s in source_names() if f"`{s}`" not in readme] == []

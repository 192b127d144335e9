"""Message labels in the store: written by the first report after an import, rebuilt when the
classifiers change, and never half-written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import CliRun, count, scalar

from convivial import analysis
from convivial.importer import import_file
from convivial.store import Store
from convivial.text.labels import LABELS, VERSION, Classifiers
from convivial.workspace import Workspace


def test_the_first_report_labels_every_message_the_import_added(
    workspace: Path, cli: CliRun, twcs_head: Path
) -> None:
    assert cli("-w", workspace, "import", "twcs", twcs_head)[0] == 0
    with Workspace(workspace).open_store() as store:
        assert count(store, "SELECT count(*) FROM message_labels") == 0  # the import only imports
    code, _, err = cli("-w", workspace, "report", "--format", "json")
    assert code == 0, err
    with Workspace(workspace).open_store() as store:
        _all_labelled(store)


def _all_labelled(store: Store) -> None:
    assert count(store, "SELECT count(*) FROM message_labels") == 5000
    assert count(store, "SELECT count(DISTINCT message_key) FROM message_labels") == 5000
    assert scalar(store, "SELECT version FROM label_version") == VERSION
    # Delta signs with initials, so most of its replies read as personal
    signed = scalar(
        store,
        "SELECT avg(l.signed::INT) FROM messages m JOIN message_labels l USING (message_key)"
        " WHERE m.author_key = 'twitter:Delta' AND m.kind = 'reply'",
    )
    assert isinstance(signed, float) and signed > 0.8
    assert store.refresh_labels(Classifiers()) == 0  # nothing left to label


@dataclass(frozen=True)
class Everything:
    """Labels every text as everything, under its own version."""

    version: str = "test-everything"

    def __call__(self, texts: pa.Array) -> pa.Table:
        yes = pa.array([True] * len(texts))
        return pa.table({name: yes for name in LABELS})


@dataclass(frozen=True)
class Broken:
    version: str = "test-broken"

    def __call__(self, texts: pa.Array) -> pa.Table:
        raise RuntimeError("the classifier failed")


def test_new_classifiers_relabel_every_message(store: Store, twcs_head: Path) -> None:
    import_file(store, "twcs", twcs_head)
    seen: list[tuple[int, int]] = []
    assert (
        store.refresh_labels(Everything(), lambda done, total: seen.append((done, total))) == 5000
    )
    assert seen[-1] == (5000, 5000)
    assert count(store, "SELECT count(*) FROM message_labels WHERE signed") == 5000
    assert scalar(store, "SELECT version FROM label_version") == "test-everything"


def test_a_failed_relabelling_keeps_the_labels_there_were(store: Store, twcs_head: Path) -> None:
    import_file(store, "twcs", twcs_head)
    store.refresh_labels(Classifiers())
    before = count(store, "SELECT count(*) FROM message_labels WHERE signed")
    assert before > 0
    with pytest.raises(RuntimeError, match="classifier failed"):
        store.refresh_labels(Broken())
    assert count(store, "SELECT count(*) FROM message_labels WHERE signed") == before
    assert scalar(store, "SELECT version FROM label_version") == VERSION


def test_a_failed_labelling_keeps_the_import_and_the_next_report_labels(
    workspace: Path, twcs_head: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = Workspace(workspace)
    with ws.open_store() as store:
        import_file(store, "twcs", twcs_head)
        with monkeypatch.context() as patched:
            patched.setattr(analysis, "CLASSIFIERS", Broken())
            with pytest.raises(RuntimeError, match="classifier failed"):
                analysis.workspace_reports(ws, store)
        assert count(store, "SELECT count(*) FROM messages") == 5000
        assert count(store, "SELECT count(*) FROM message_labels") == 0
        analysis.workspace_reports(ws, store)
        _all_labelled(store)
        import_file(store, "twcs", twcs_head)  # already imported: nothing to add or label
        assert count(store, "SELECT count(*) FROM message_labels") == 5000


def test_the_store_keeps_a_column_for_each_label_and_no_other(store: Store) -> None:
    columns = store.arrow("DESCRIBE message_labels").column("column_name").to_pylist()
    assert columns == ["message_key", *LABELS]

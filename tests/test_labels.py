"""Message labels in the store: written with each import, rebuilt when the classifiers change,
and never half-written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import count, scalar

from convivial import importer
from convivial.importer import import_file
from convivial.store import Store
from convivial.text.labels import LABELS, VERSION, Classifiers


def test_an_import_labels_every_message_it_adds(store: Store, twcs_head: Path) -> None:
    import_file(store, "twcs", twcs_head)
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
    before = count(store, "SELECT count(*) FROM message_labels WHERE signed")
    with pytest.raises(RuntimeError, match="classifier failed"):
        store.refresh_labels(Broken())
    assert count(store, "SELECT count(*) FROM message_labels WHERE signed") == before
    assert scalar(store, "SELECT version FROM label_version") == VERSION


def test_a_failed_labelling_leaves_the_import_whole_and_is_done_later(
    store: Store, twcs_head: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        patched.setattr(importer, "CLASSIFIERS", Broken())
        with pytest.raises(RuntimeError, match="classifier failed"):
            import_file(store, "twcs", twcs_head)
    assert count(store, "SELECT count(*) FROM messages") == 5000
    assert count(store, "SELECT count(*) FROM message_labels") == 0
    assert store.refresh_labels(Classifiers()) == 5000  # what report, inbox and members do first
    import_file(store, "twcs", twcs_head)  # already imported: nothing to add or label
    assert count(store, "SELECT count(*) FROM message_labels") == 5000

"""Rows: a long list kept as Arrow columns, read as row dicts; and how two engines' are judged."""

from __future__ import annotations

import json
from datetime import datetime

import pyarrow as pa
import pytest

from convivial.parity import table_differences
from convivial.rows import Rows, as_plain

WHEN = datetime(2026, 3, 29, 1, 30)
ROWS = [
    {"account_key": "twitter:ann", "score": 0.9312, "followers": 12, "followed_at": WHEN},
    {"account_key": "twitter:bob", "score": 0.5, "followers": None, "followed_at": None},
    {"account_key": "mastodon:cy", "score": 0.0, "followers": 3, "followed_at": WHEN},
]


def _rows() -> Rows:
    return Rows(pa.Table.from_pylist(ROWS))


def test_rows_read_as_the_list_they_hold() -> None:
    rows = _rows()
    assert len(rows) == 3 and list(rows) == ROWS and rows == ROWS
    assert rows[0] == ROWS[0] and rows[-1] == ROWS[-1]
    assert rows[1:] == ROWS[1:] and rows[::2] == ROWS[::2] and rows[5:9] == []
    assert rows.column("followers") == [12, None, 3]
    assert rows != ROWS[:2] and rows != "not rows"
    with pytest.raises(IndexError):
        rows[3]
    with pytest.raises(IndexError):
        rows[-4]


def test_rows_survive_arrow_ipc_with_their_types() -> None:
    back = Rows.from_ipc(_rows().to_ipc())
    assert list(back) == ROWS
    assert isinstance(back[0]["followed_at"], datetime) and back[1]["followers"] is None


def test_rows_write_out_in_full_as_json() -> None:
    written = json.loads(json.dumps({"followers": _rows()}, default=as_plain))
    assert [r["account_key"] for r in written["followers"]] == [r["account_key"] for r in ROWS]
    assert written["followers"][0]["followed_at"] == str(WHEN)


def test_tables_are_judged_as_the_parity_suite_judges_values() -> None:
    table = pa.Table.from_pylist(ROWS)
    assert table_differences(table, table) == []
    nudged = table.set_column(1, "score", pa.array([0.9312 * (1 + 1e-12), 0.5, 0.0]))
    assert table_differences(table, nudged) == []
    moved = table.set_column(2, "followers", pa.array([12, 4, 3]))
    assert table_differences(table, moved, "lists.members") == [
        ("lists.members.followers", 1, "[1]: None != 4")
    ]
    scored = table.set_column(1, "score", pa.array([0.9312, 0.51, 0.0]))
    assert [path for path, _, _ in table_differences(table, scored)] == [".score"]
    shorter = table.slice(0, 2)
    assert table_differences(table, shorter, "x")[0][:2] == ("x", 3)
    nothing = pa.table({"a": pa.nulls(2)})
    assert table_differences(nothing, pa.table({"a": pa.array([None, None], pa.int64())})) == []


def test_tables_with_lists_in_their_cells() -> None:
    table = pa.table({"watchers": [["twitter:ann"], [], ["a", "b"]]})
    assert table_differences(table, table) == []
    other = pa.table({"watchers": [["twitter:ann"], [], ["b", "a"]]})
    assert table_differences(table, other) == [(".watchers", 1, "[2]: ['a', 'b'] != ['b', 'a']")]

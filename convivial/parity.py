"""When two engines' reports are the same: every leaf of their JSON equal and of one type, except
that real numbers agree to 1e-9 (relative, or absolute near zero), since engines may sum or
interpolate in another order. The parity suite and the scale benchmark judge by this."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["TOLERANCE", "differences", "leaves", "table_differences"]

TOLERANCE = 1e-9


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    """Every leaf of a JSON value under its path (`[0].metrics.bus_factor`), and each list's
    length under `path#`."""
    found: dict[str, Any] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            found.update(leaves(item, f"{path}.{key}"))
        return found
    if isinstance(value, list):
        found[f"{path}#"] = len(value)
        for i, item in enumerate(value):
            found.update(leaves(item, f"{path}[{i}]"))
        return found
    return {path: value}


def differences(want: Any, have: Any) -> list[str]:
    """The leaves that differ, one line each: `path: want != have`."""
    a, b = leaves(want), leaves(have)
    return [
        f"{path}: {a.get(path, '<missing>')!r} != {b.get(path, '<missing>')!r}"
        for path in sorted(set(a) | set(b))
        if path not in a or path not in b or not _same(a[path], b[path])
    ]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return type(a) is type(b) and a == b


def table_differences(want: pa.Table, have: pa.Table, name: str = "") -> list[tuple[str, int, str]]:
    """The same judgement over two tables of rows (a report's long lists, `Rows`), column by
    column without making rows: for each column whose values differ, its path, how many rows
    differ, and the first that does as `[row]: want != have`."""
    if want.column_names != have.column_names or want.num_rows != have.num_rows:
        shapes = (
            f"{want.num_rows} rows of {want.column_names}"
            f" != {have.num_rows} rows of {have.column_names}"
        )
        return [(name, max(want.num_rows, have.num_rows), shapes)]
    found = []
    for column in want.column_names:
        a, b = want.column(column), have.column(column)
        if pa.types.is_null(a.type) != pa.types.is_null(b.type):  # all None on one side
            a, b = (a.cast(b.type), b) if pa.types.is_null(a.type) else (a, b.cast(a.type))
        if pa.types.is_floating(a.type) and pa.types.is_floating(b.type):
            x, y = (c.to_numpy(zero_copy_only=False) for c in (a, b))
            same = np.isclose(x, y, rtol=TOLERANCE, atol=TOLERANCE) | (np.isnan(x) & np.isnan(y))
        elif a.type != b.type:
            found.append((f"{name}.{column}", len(a), f"type {a.type} != {b.type}"))
            continue
        elif pa.types.is_nested(a.type):  # lists of names (watchers): compared as values
            same = np.array([x == y for x, y in zip(a.to_pylist(), b.to_pylist(), strict=True)])
        else:
            equal = pc.fill_null(pc.equal(a, b), False)
            both_null = pc.and_(pc.is_null(a), pc.is_null(b))
            same = pc.or_(equal, both_null).to_numpy(zero_copy_only=False)
        wrong = np.flatnonzero(~same)
        if wrong.size:
            i = int(wrong[0])
            found.append(
                (
                    f"{name}.{column}",
                    int(wrong.size),
                    f"[{i}]: {a[i].as_py()!r} != {b[i].as_py()!r}",
                )
            )
    return found

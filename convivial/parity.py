"""When two engines' reports are the same: every leaf of their JSON equal and of one type, except
that real numbers agree to 1e-9 (relative, or absolute near zero), since engines may sum or
interpolate in another order. The parity suite and the scale benchmark judge by this."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["TOLERANCE", "differences", "leaves"]

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

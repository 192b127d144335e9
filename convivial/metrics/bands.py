"""Status bands: the reading of a metric's value (METRICS.md "reads as"), overridable per workspace.

A band list holds (upper bound, status) pairs in increasing order; a value takes the first status
whose bound it is below, and the last status when it is above them all. convivial.toml may set
other bounds under [bands], e.g. `member_to_member_share = [0.15, 0.35]`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["DEFAULT_BANDS", "bands_with", "status"]

DEFAULT_BANDS: dict[str, tuple[tuple[float, ...], tuple[str, ...]]] = {
    "member_to_member_share": ((0.10, 0.30), ("audience", "forming", "community")),
    "conversation_share": ((0.30,), ("rock star", "party host")),
}
"""Bounds and statuses, one more status than bounds."""


def bands_with(
    overrides: Mapping[str, Sequence[float]],
) -> dict[str, tuple[tuple[float, ...], tuple[str, ...]]]:
    """The default bands with the workspace's bounds where it sets them (same number of bounds)."""
    bands = dict(DEFAULT_BANDS)
    for key, bounds in overrides.items():
        if key not in bands:
            raise ValueError(f"[bands] {key}: no bands for this metric ({', '.join(bands)})")
        default_bounds, statuses = bands[key]
        new = tuple(float(b) for b in bounds)
        if len(new) != len(default_bounds) or list(new) != sorted(new):
            raise ValueError(
                f"[bands] {key}: give {len(default_bounds)} increasing bounds"
                f" for {', '.join(statuses)}"
            )
        bands[key] = (new, statuses)
    return bands


def status(value: Any, bounds: tuple[float, ...], statuses: tuple[str, ...]) -> str | None:
    """The status of `value`, or None when the value is None."""
    if value is None:
        return None
    for bound, name in zip(bounds, statuses, strict=False):
        if value < bound:
            return name
    return statuses[-1]

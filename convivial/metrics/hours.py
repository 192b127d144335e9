"""Business hours: when a team answers, in its own time zone.

Written like `Mon-Fri 09:00-18:00, Sat 10:00-16:00`: comma-separated parts, each a day or a day
range (`Mon`..`Sun`, or `Daily`) and a time range. Stored times are UTC; `in_hours` reads each in
the team's zone (so a 09:00 opening follows the clock across daylight-saving changes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["OpeningHours", "parse_hours"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PART = re.compile(
    r"^\s*(?P<days>[A-Za-z]{3,5})(?:\s*-\s*(?P<last>[A-Za-z]{3}))?\s+"
    r"(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})\s*$"
)


@dataclass(frozen=True)
class OpeningHours:
    """Opening minutes (from midnight, local) per weekday (0 = Monday), in one time zone."""

    zone: str
    spans: tuple[tuple[int, int, int], ...]
    """(weekday, opens at minute, closes at minute), closing exclusive."""

    def in_hours(self, utc_times: pa.Array) -> np.ndarray:
        """Whether each UTC time falls in opening hours, read in the team's zone."""
        aware = pc.assume_timezone(utc_times.cast(pa.timestamp("us")), "UTC")
        local = pc.local_timestamp(aware.cast(pa.timestamp("us", tz=self.zone)))
        weekday = pc.day_of_week(local).to_numpy(zero_copy_only=False)
        minute = pc.hour(local).to_numpy(zero_copy_only=False) * 60 + pc.minute(local).to_numpy(
            zero_copy_only=False
        )
        out = np.zeros(len(utc_times), dtype=bool)
        for day, opens, closes in self.spans:
            out |= (weekday == day) & (minute >= opens) & (minute < closes)
        return out


def parse_hours(spec: str, zone: str) -> OpeningHours:
    """`spec` read as opening hours in `zone`; ValueError says which part is wrong."""
    ZoneInfo(zone)
    spans: list[tuple[int, int, int]] = []
    for part in spec.split(","):
        found = _PART.match(part)
        if not found:
            raise ValueError(f"{part.strip()!r} is not like 'Mon-Fri 09:00-18:00'")
        days = _days(found["days"], found["last"])
        opens, closes = _minute(found["open"]), _minute(found["close"])
        if closes <= opens:
            raise ValueError(f"{part.strip()!r}: closes before it opens")
        spans.extend((day, opens, closes) for day in days)
    return OpeningHours(zone, tuple(spans))


def _days(first: str, last: str | None) -> list[int]:
    if first.lower() == "daily" and last is None:
        return list(range(7))
    names = [first.lower()[:3], (last or first).lower()[:3]]
    if any(n not in DAYS for n in names):
        raise ValueError(f"unknown day in {first}{'-' + last if last else ''} (use Mon..Sun)")
    start, end = DAYS.index(names[0]), DAYS.index(names[1])
    return list(range(start, end + 1)) if start <= end else [*range(start, 7), *range(end + 1)]


def _minute(clock: str) -> int:
    hour, minute = (int(x) for x in clock.split(":"))
    if hour > 24 or minute > 59 or hour * 60 + minute > 24 * 60:
        raise ValueError(f"{clock} is not a time of day")
    return hour * 60 + minute

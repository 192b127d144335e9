"""The `facebook-insights` source: a Facebook Page's post-level Insights export (CSV).

One row per post with its lifetime figures: the columns of the UCI "Facebook metrics" data
(Moro et al. 2016), which are Facebook's own export names: `Type`, `Category`, `Post Month`,
`Post Weekday`, `Post Hour`, `Paid`, `Lifetime Post Total Reach`, `Lifetime Post Total
Impressions`, `Lifetime Engaged Users`, `Lifetime Post Consumers`, `comment`, `like`, `share`.
Semicolon- or comma-separated; header names in any letter case; columns it does not use are
ignored, as the export has dozens. Only `Type` is required; an empty cell is not known.

The export names no page: the team is `--team`, which is required. Nor does it always give a
post id: with a `Post ID` column that is the post's id; without one, a post is known by its type,
category, paid flag, posting month, weekday and hour and the page's like count at the time, so
importing the same export, or a newer one with updated figures, keeps one row per post.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from convivial.sources.base import (
    INSIGHT_SCHEMA,
    Batch,
    Reject,
    SourceError,
    SourceOptions,
    register,
    table,
)

__all__ = ["FacebookInsightsSource"]

COLUMNS = {
    "post_type": ("type",),
    "category": ("category",),
    "paid": ("paid",),
    "month": ("post month",),
    "weekday": ("post weekday",),
    "hour": ("post hour",),
    "reach": ("lifetime post total reach",),
    "impressions": ("lifetime post total impressions",),
    "engaged_users": ("lifetime engaged users",),
    "consumers": ("lifetime post consumers",),
    "comments": ("comment", "comments"),
    "likes": ("like", "likes"),
    "shares": ("share", "shares"),
    "post_id": ("post id",),
    "page_likes": ("page total likes",),
}
NUMBERS = frozenset(
    {"month", "weekday", "hour", "reach", "impressions", "engaged_users", "consumers"}
    | {"comments", "likes", "shares"}
)
PAID = {"1": True, "0": False, "true": True, "false": False, "yes": True, "no": False}


@register
class FacebookInsightsSource:
    """Reads a Page's post-level Insights export into the `post_insights` table."""

    name: ClassVar[str] = "facebook-insights"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        if not options.team:
            raise SourceError(
                "facebook-insights: the export does not name its page; say whose it is with"
                " --team NAME"
            )
        self.team = options.team

    def read(self, path: Path) -> Iterator[Batch]:
        text = path.read_text(encoding="utf-8-sig")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = next(reader, None)
        if not header:
            raise SourceError(f"{path}: empty file")
        where = _columns(path, header)
        rows: dict[str, list[object]] = {name: [] for name in INSIGHT_SCHEMA.names}
        rejects: list[Reject] = []
        seen: Counter[str] = Counter()
        read = 0
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            read += 1
            raw = delimiter.join(cells)
            if len(cells) != len(header):
                reason = f"{len(cells)} fields where the header has {len(header)}"
                rejects.append(Reject(line, reason, raw))
                continue
            try:
                record = _record(cells, where)
            except ValueError as exc:
                rejects.append(Reject(line, str(exc), raw))
                continue
            native = record.pop("post_id", None)
            key = str(native or _fingerprint(record, cells, where))
            seen[key] += 1
            if not native and seen[key] > 1:  # posts alike in every known field
                key = f"{key}-{seen[key]}"
            record.update(team=self.team, platform="facebook", post_ref=key)
            for name in INSIGHT_SCHEMA.names:
                rows[name].append(record.get(name))
        yield Batch(
            insights=table(INSIGHT_SCHEMA, rows),
            rejects=rejects,
            rows=read,
            progress=len(text.encode("utf-8")),
        )


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    where = {}
    for field, accepted in COLUMNS.items():
        for name in accepted:
            if name in names:
                where[field] = names.index(name)
                break
    if "post_type" not in where:
        raise SourceError(f"{path}:1: no Type column; is this a post-level Insights export?")
    return where


def _record(cells: list[str], where: dict[str, int]) -> dict[str, object]:
    """One row's fields; ValueError names the cell that does not read."""
    out: dict[str, object] = {}
    for field, at in where.items():
        value = cells[at].strip()
        if field in NUMBERS:
            out[field] = _number(value, field)
        elif field == "paid":
            if value and value.lower() not in PAID:
                raise ValueError(f"Paid is {value!r}, not 1 or 0")
            out[field] = PAID.get(value.lower()) if value else None
        else:
            out[field] = value or None
    if not out.get("post_type"):
        raise ValueError("no Type")
    return out


def _number(value: str, field: str) -> int | None:
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        raise ValueError(f"{field} is {value!r}, not a number") from None


def _fingerprint(record: dict[str, object], cells: list[str], where: dict[str, int]) -> str:
    parts = [str(record.get(k)) for k in ("post_type", "category", "paid", "month", "weekday")]
    parts += [str(record.get("hour"))]
    if "page_likes" in where:
        parts.append(cells[where["page_likes"]].strip())
    return "insights-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

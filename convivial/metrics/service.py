"""Service: everyone is watching (METRICS.md, "Service"), per team over the window.

- `directed_*`: members' messages in the window that reply to a host message or mention a host
  account; `request_*`: those of them that ask or complain (`text.requests`);
- `*_count`; `*_answered`: got a direct host reply (its parent is the message) from the same
  team, at or after the message, at any time; `*_response_rate`: answered / count;
- `*_median_frt_s`, `*_p90_frt_s`: first response time, the earliest such reply's time minus the
  message's time in seconds, over answered messages only; the median and the 90th percentile by
  linear interpolation between the closest ranks;
- `unanswered`: requests with no such reply, each with its age at the window's end and its
  visibility: likes + shares the platform counted + messages by others that reply to, quote or
  share it in the data (the people watching); `unanswered_count` and its split by age
  (`unanswered_under_1h`, `_under_1d`, `_under_1w`, `unanswered_older`);
- `deflection_share`: the window's host replies that deflect (`text.deflection`) / host replies;
- `personal_share`: host replies written by a staff account or signed by a person
  (`text.signatures`) / host replies;
- with business hours set: `business_hours_*` and `off_hours_*` (`count`, `response_rate`,
  `median_frt_s`) split the directed messages by whether they arrived while the team was open,
  read in its time zone;
- `responders`: per host account, its replies in the window and the directed messages it
  answered first, with their median first response time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from convivial.metrics.community import first_messages
from convivial.metrics.hours import OpeningHours
from convivial.metrics.listening import directed_messages
from convivial.metrics.scope import Scope, table_rows
from convivial.rows import Rows

__all__ = ["AGE_BUCKETS", "ServiceResult", "message_link", "service_metrics"]

AGE_BUCKETS = (
    ("unanswered_under_1h", 3600),
    ("unanswered_under_1d", 86400),
    ("unanswered_under_1w", 7 * 86400),
    ("unanswered_older", None),
)
WATCHERS_SHOWN = 5
EXCERPT_CHARS = 160

Values = dict[str, float | int | None]


@dataclass
class ServiceResult:
    """One team's service metrics, its unanswered requests and its responders."""

    values: Values = field(default_factory=dict)
    unanswered: Rows | list[dict[str, Any]] = field(default_factory=list)
    responders: list[dict[str, Any]] = field(default_factory=list)


def service_metrics(
    scope: Scope,
    hours: Mapping[str, OpeningHours] | None = None,
    core: Mapping[str, Set[str]] | None = None,
) -> dict[str, ServiceResult]:
    """Per team: the service keys, the unanswered list (askers marked core from `core`, or
    newcomer) and the responders; None where a ratio or time has nothing to count."""
    d = directed_messages(scope)
    d = d.mutate(frt=d.first_reply_at.epoch_seconds() - d.asked_at.epoch_seconds())
    out = {team: ServiceResult() for team in scope.teams}
    for team, values in _response_keys(d, scope.teams).items():
        out[team].values.update(values)
    for team, values in _reply_shares(scope).items():
        out[team].values.update(values)
    for team, opening in (hours or {}).items():
        if team in out:
            out[team].values.update(_hours_split(d, team, opening))
    for team, rows in _responders(scope, d).items():
        out[team].responders = rows
    unanswered = _unanswered(scope, d, core or {})
    for team, result in out.items():
        waiting = unanswered.get(team, [])
        result.values.update(_age_counts(waiting))
        result.values["unanswered_count"] = len(waiting)
        result.unanswered = Rows(pa.Table.from_pylist(waiting)) if waiting else []
    return out


def _response_keys(d: Any, teams: tuple[str, ...]) -> dict[str, Values]:
    answered = d.first_reply_at.notnull()
    parts: dict[str, Any] = {}
    for prefix, chosen in (("directed", None), ("request", d.request)):
        both = answered if chosen is None else answered & chosen
        parts[f"{prefix}_count"] = d.count() if chosen is None else d.count(where=chosen)
        parts[f"{prefix}_answered"] = d.count(where=both)
        parts[f"{prefix}_median"] = d.frt.quantile(0.5, where=both)
        parts[f"{prefix}_p90"] = d.frt.quantile(0.9, where=both)
    rows = {r["team"]: r for r in table_rows(d.group_by("team").aggregate(**parts))}
    out: dict[str, Values] = {}
    for team in teams:
        r = rows.get(team, {})
        out[team] = {}
        for prefix in ("directed", "request"):
            count, done = int(r.get(f"{prefix}_count", 0)), int(r.get(f"{prefix}_answered", 0))
            median, p90 = r.get(f"{prefix}_median"), r.get(f"{prefix}_p90")
            out[team].update(
                {
                    f"{prefix}_count": count,
                    f"{prefix}_answered": done,
                    f"{prefix}_response_rate": done / count if count else None,
                    f"{prefix}_median_frt_s": float(median) if median is not None else None,
                    f"{prefix}_p90_frt_s": float(p90) if p90 is not None else None,
                }
            )
    return out


def _reply_shares(scope: Scope) -> dict[str, Values]:
    m = scope.within(scope.messages)
    replies = m.filter(m.author_is_host & (m.kind == "reply"))
    rows = table_rows(
        replies.group_by("team").aggregate(
            replies=replies.count(),
            deflections=replies.count(where=replies.deflection),
            personal=replies.count(where=replies.author_is_staff | replies.signed),
        )
    )
    found = {r["team"]: r for r in rows}
    out: dict[str, Values] = {}
    for team in scope.teams:
        r = found.get(team, {"replies": 0, "deflections": 0, "personal": 0})
        total = int(r["replies"])
        out[team] = {
            "host_replies": total,
            "deflection_share": int(r["deflections"]) / total if total else None,
            "personal_share": int(r["personal"]) / total if total else None,
        }
    return out


def _hours_split(d: Any, team: str, opening: OpeningHours) -> Values:
    rows = d.filter(d.team == team).select("asked_at", "frt").to_pyarrow()
    open_now = opening.in_hours(rows.column("asked_at").combine_chunks())
    frt = np.array(rows.column("frt").to_pylist(), dtype=float)
    out: Values = {}
    for prefix, chosen in (("business_hours", open_now), ("off_hours", ~open_now)):
        times = frt[chosen]
        done = times[~np.isnan(times)]
        count = int(chosen.sum())
        out[f"{prefix}_count"] = count
        out[f"{prefix}_response_rate"] = len(done) / count if count else None
        out[f"{prefix}_median_frt_s"] = float(np.quantile(done, 0.5)) if len(done) else None
    return out


def _unanswered(
    scope: Scope, d: Any, core: Mapping[str, Set[str]]
) -> dict[str, list[dict[str, Any]]]:
    """Each team's unanswered requests, oldest day first and the most watched first within it."""
    open_ = d.filter(d.request & d.first_reply_at.isnull()).select(
        "team", "message_key", "author_key", "asked_at"
    )
    m = scope.messages
    children = m.filter(m.parent_key.notnull()).select(
        c_team="team", c_parent="parent_key", c_author="author_key", c_at="created_at"
    )
    watched = open_.join(
        children, (open_.message_key == children.c_parent) & (open_.team == children.c_team)
    ).filter(lambda t: t.c_author != t.author_key)
    watched = _named(scope, watched, "c_author", "watcher")
    watchers = table_rows(
        watched.select("team", "message_key", "watcher", "c_at").order_by(["c_at", "watcher"])
    )
    counts = m.select(k_team="team", k_key="message_key", k_likes="likes", k_shares="shares")
    first = first_messages(scope).select(f_team="team", f_key="author_key", first_at="first_at")
    texts = scope.within(scope.texts)  # every request listed is one of the window's messages
    texts = texts.select(t_key="message_key", full_text="text")
    listed = (
        open_.left_join(counts, (open_.message_key == counts.k_key) & (open_.team == counts.k_team))
        .left_join(first, (open_.team == first.f_team) & (open_.author_key == first.f_key))
        .left_join(texts, open_.message_key == texts.t_key)
    )
    listed = _named(
        scope,
        listed.select(
            "team",
            "message_key",
            "author_key",
            "asked_at",
            text=listed.full_text.substr(0, EXCERPT_CHARS),  # cut once joined: few are listed
            likes=listed.k_likes.fill_null(0),
            shares=listed.k_shares.fill_null(0),
            newcomer=listed.first_at >= scope.window.start,
        ),
        "author_key",
        "asker",
    )
    rows = table_rows(listed)
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for w in watchers:
        seen[(w["team"], w["message_key"])].append(w["watcher"])
    end = scope.window.end
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        team, key = r["team"], r["message_key"]
        others = list(dict.fromkeys(seen[(team, key)]))
        status = "core" if r["author_key"] in core.get(team, set()) else None
        out[team].append(
            {
                "message_key": key,
                "link": message_link(key),
                "asked_at": r["asked_at"],
                "age_s": _age(r["asked_at"], end),
                "visibility": int(r["likes"]) + int(r["shares"]) + len(seen[(team, key)]),
                "watchers": others[:WATCHERS_SHOWN],
                "asker": r["asker"],
                "asker_status": status or ("newcomer" if r["newcomer"] else "member"),
                "text": r["text"] or "",
            }
        )
    for listing in out.values():
        listing.sort(
            key=lambda u: (u["asked_at"].date(), -u["visibility"], u["asked_at"], u["message_key"])
        )
    return out


def _responders(scope: Scope, d: Any) -> dict[str, list[dict[str, Any]]]:
    m = scope.within(scope.messages)
    replies = m.filter(m.author_is_host & (m.kind == "reply"))
    accounts = scope.accounts.select(h_key="account_key", handle="handle")
    per_account = replies.group_by(["team", "author_key"]).aggregate(
        replies=replies.count(), staff=replies.author_is_staff.any()
    )
    counted = table_rows(
        per_account.left_join(accounts, per_account.author_key == accounts.h_key).drop("h_key")
    )
    firsts = d.filter(d.first_reply_at.notnull())
    timed = {
        (r["team"], r["first_responder"]): r
        for r in table_rows(
            firsts.group_by(["team", "first_responder"]).aggregate(
                answered_first=firsts.count(), median_frt_s=firsts.frt.quantile(0.5)
            )
        )
    }
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in counted:
        t = timed.get((r["team"], r["author_key"]), {})
        out[r["team"]].append(
            {
                "account_key": r["author_key"],
                "handle": r["handle"],
                "role": "staff" if r["staff"] else "brand",
                "replies": int(r["replies"]),
                "answered_first": int(t.get("answered_first", 0)),
                "median_frt_s": float(t["median_frt_s"]) if t else None,
            }
        )
    for listing in out.values():
        listing.sort(key=lambda s: (-s["replies"], s["account_key"]))
    return out


def _age_counts(unanswered: list[dict[str, Any]]) -> Values:
    out: Values = {key: 0 for key, _ in AGE_BUCKETS}
    for u in unanswered:
        for key, limit in AGE_BUCKETS:
            if limit is None or u["age_s"] < limit:
                out[key] = int(out[key] or 0) + 1
                break
    return out


def message_link(message_key: str) -> str | None:
    """A web address where the message can be answered, for platforms whose ids make one."""
    platform, _, native = message_key.partition(":")
    if platform == "twitter" and native.isdigit():
        return f"https://x.com/i/web/status/{native}"
    if platform == "reddit" and native.startswith("t3_"):
        return f"https://www.reddit.com/comments/{native[3:]}/"
    return None


def _age(asked_at: datetime, end: datetime) -> float:
    return float(max(int((end - asked_at).total_seconds()), 0))


def _named(scope: Scope, table: Any, key: str, name: str) -> Any:
    """`table` with column `name`: the account in column `key` as PLATFORM:HANDLE when its
    handle is known, else its key (PLATFORM:ID)."""
    a = scope.accounts
    accounts = a.select(n_key=a.account_key, n_handle=a.platform.concat(":", a.handle))
    joined = table.left_join(accounts, table[key] == accounts.n_key)
    return joined.mutate(**{name: joined.n_handle.fill_null(joined[key])}).drop("n_key", "n_handle")

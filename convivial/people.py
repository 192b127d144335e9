"""One person, many accounts: which accounts look like the same person, the merges made by hand
or automatically above the workspace's threshold, and the person each account belongs to.

Suggestions, each with a confidence, for accounts on different platforms (never a team's own
accounts, which are the team already):
- **linked**: one account's bio links the other: a profile address (`mastodon.social/@anna`,
  `twitter.com/anna`, `x.com/anna`, `bsky.app/profile/anna.bsky.social`) or a Mastodon address
  (`@anna@mastodon.social`) naming it. Confidence 0.95.
- **same handle**: the same name before any `@server` or `.bsky.social` (at least 3 characters).
  Confidence 0.6.
- **same name**: the same display name (at least 5 characters), 0.4, plus 0.15 for each contact
  handle they share (accounts each interacted with, compared by handle), up to three: 0.85.
Reasons for the same pair combine as independent evidence: 1 - (1 - c1)(1 - c2). A handle or
display name that more than three accounts of one platform bear says nothing of who is behind
it, and is not compared (so a workspace of millions suggests in time linear in its accounts).

A person is a connected group of merged accounts, keyed by its smallest account key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from convivial.store import Store

__all__ = [
    "LINKED",
    "SAME_HANDLE",
    "People",
    "Suggestion",
    "listing",
    "merge_suggested",
    "person_of",
    "suggestions",
]

LINKED, SAME_HANDLE, SAME_NAME, PER_CONTACT, CONTACTS_COUNTED = 0.95, 0.6, 0.4, 0.15, 3


@dataclass(frozen=True)
class Suggestion:
    """Two accounts (a < b) that look like one person, how sure, and why."""

    a: str
    b: str
    confidence: float
    reasons: tuple[str, ...]


_NOT_HOSTS = "account_key NOT IN (SELECT account_key FROM host_accounts)"
_NAME = (
    "regexp_replace(regexp_replace(lower(ltrim({column}, '@')), '@.*$', ''),"
    " '\\.bsky\\.social$', '')"
)
"""A handle as a name across platforms: no leading @, no @server, no .bsky.social."""

_RARE = 3
"""The most accounts of one platform that may bear a name for it to be compared."""

_SAME_HANDLE = f"""
WITH named AS (
    SELECT account_key, platform, name FROM (
        SELECT account_key, platform, {_NAME.format(column="handle")} AS name,
               count(*) OVER (PARTITION BY platform, {_NAME.format(column="handle")}) AS bearers
        FROM accounts WHERE handle IS NOT NULL AND {_NOT_HOSTS})
    WHERE bearers <= {_RARE})
SELECT x.account_key AS a, y.account_key AS b
FROM named x JOIN named y ON x.name = y.name AND x.platform < y.platform
WHERE length(x.name) >= 3
"""

_LINKED = f"""
WITH bios AS (SELECT account_key, platform, lower(bio) AS bio FROM accounts
              WHERE bio IS NOT NULL AND {_NOT_HOSTS}),
refs AS (
    SELECT account_key AS a, platform AS own, 'twitter' AS target,
           unnest(regexp_extract_all(bio, '(?:twitter\\.com|x\\.com)/([a-z0-9_]+)', 1)) AS ref
    FROM bios
    UNION ALL
    SELECT account_key, platform, 'bluesky',
           unnest(regexp_extract_all(bio, 'bsky\\.app/profile/([a-z0-9_.-]+)', 1))
    FROM bios
    UNION ALL
    SELECT account_key, platform, 'mastodon',
           unnest(regexp_extract_all(bio, '([a-z0-9.-]+\\.[a-z]{{2,}}/@[a-z0-9_]+)', 1))
    FROM bios
    UNION ALL
    SELECT account_key, platform, 'mastodon', regexp_replace(m, '^@([a-z0-9_]+)@(.+)$', '\\2/@\\1')
    FROM (SELECT account_key, platform,
                 unnest(regexp_extract_all(bio, '@[a-z0-9_]+@[a-z0-9.-]+\\.[a-z]{{2,}}')) AS m
          FROM bios))
SELECT DISTINCT r.a, t.account_key AS b
FROM refs r JOIN accounts t ON t.platform = r.target AND r.own <> r.target AND (
    lower(ltrim(t.handle, '@')) = r.ref
    OR regexp_replace(lower(t.profile_url), '^https?://', '') = r.ref
    OR lower(t.handle) = regexp_replace(r.ref, '^(.+)/@(.+)$', '\\2@\\1'))
WHERE t.{_NOT_HOSTS}
"""

_SAME_NAME = f"""
WITH spelled AS (
    SELECT account_key, platform, lower(trim(regexp_replace(display_name, '\\s+', ' ', 'g')))
           AS name
    FROM accounts WHERE display_name IS NOT NULL AND {_NOT_HOSTS}),
named AS (
    SELECT account_key, platform, name FROM (
        SELECT *, count(*) OVER (PARTITION BY platform, name) AS bearers FROM spelled)
    WHERE bearers <= {_RARE}),
pairs AS (
    SELECT x.account_key AS a, y.account_key AS b
    FROM named x JOIN named y ON x.name = y.name AND x.platform < y.platform
    WHERE length(x.name) >= 5),
contacts AS (
    SELECT i.actor_key AS account_key, {_NAME.format(column="c.handle")} AS contact
    FROM interactions i JOIN accounts c ON c.account_key = i.target_key
    WHERE c.handle IS NOT NULL AND i.actor_key IN (SELECT a FROM pairs UNION SELECT b FROM pairs)
    UNION
    SELECT i.target_key, {_NAME.format(column="c.handle")}
    FROM interactions i JOIN accounts c ON c.account_key = i.actor_key
    WHERE c.handle IS NOT NULL AND i.target_key IN (SELECT a FROM pairs UNION SELECT b FROM pairs))
SELECT p.a, p.b, count(DISTINCT cb.contact) AS shared
FROM pairs p
LEFT JOIN contacts ca ON ca.account_key = p.a
LEFT JOIN contacts cb ON cb.account_key = p.b AND cb.contact = ca.contact
GROUP BY p.a, p.b
"""


def suggestions(store: Store) -> list[Suggestion]:
    """Every pair of accounts that looks like one person, surest first; none while every
    account is on one platform (each pair is of two platforms)."""
    platforms = store.arrow("SELECT count(DISTINCT platform) AS n FROM accounts")
    if platforms.column("n")[0].as_py() < 2:
        return []
    found: dict[tuple[str, str], list[tuple[str, float]]] = {}

    def add(rows: Iterable[Mapping[str, Any]], reason: str, confidence: float) -> None:
        for row in rows:
            pair = (min(row["a"], row["b"]), max(row["a"], row["b"]))
            found.setdefault(pair, []).append((reason, confidence))

    add(store.arrow(_LINKED).to_pylist(), "a bio links the other account", LINKED)
    add(store.arrow(_SAME_HANDLE).to_pylist(), "the same handle", SAME_HANDLE)
    for row in store.arrow(_SAME_NAME).to_pylist():
        shared = min(int(row["shared"] or 0), CONTACTS_COUNTED)
        why = "the same name" + (f" and {shared} shared contact(s)" if shared else "")
        add([row], why, SAME_NAME + PER_CONTACT * shared)
    out = []
    for (a, b), reasons in found.items():
        doubt = 1.0
        for _, confidence in reasons:
            doubt *= 1 - confidence
        out.append(Suggestion(a, b, round(1 - doubt, 4), tuple(r for r, _ in reasons)))
    return sorted(out, key=lambda s: (-s.confidence, s.a, s.b))


def merge_suggested(store: Store, threshold: float) -> list[Suggestion]:
    """Merge every suggestion at or above `threshold` that was never merged nor refused;
    returns those merged. Nothing to do while the store is as it was after the last merge at
    this threshold."""
    if store.merges_checked(threshold):
        return []
    known = {(m["a"], m["b"]) for m in store.merges()}
    made = []
    for found in suggestions(store):
        if found.confidence >= threshold and (found.a, found.b) not in known:
            store.merge(found.a, found.b, found.confidence, "; ".join(found.reasons), "auto")
            made.append(found)
    store.save_merges_checked(threshold)
    return made


def person_of(merges: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Account key -> person key (the smallest key of its merged group), for merged accounts
    only (refused merges do not count); an account not in it is a person of its own."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for merge in merges:
        if merge.get("refused"):
            continue
        first, second = root(str(merge["a"])), root(str(merge["b"]))
        if first != second:
            parent[max(first, second)] = min(first, second)
    return {key: root(key) for key in list(parent)}


@dataclass(frozen=True)
class People:
    """What `convivial people list` shows: each person with several accounts (person key ->
    account keys), every merge row, and the suggestions not merged (with whether an automatic
    merge of the pair was undone by hand)."""

    groups: dict[str, list[str]]
    merges: list[dict[str, Any]]
    pending: list[tuple[Suggestion, bool]]


def listing(store: Store) -> People:
    """The people and the suggestions still open, as `convivial people list` shows them."""
    merges = store.merges()
    groups: dict[str, list[str]] = {}
    for account, person in sorted(person_of(merges).items()):
        groups.setdefault(person, []).append(account)
    merged = {(m["a"], m["b"]) for m in merges if not m["refused"]}
    refused = {(m["a"], m["b"]) for m in merges if m["refused"]}
    pending = [(s, (s.a, s.b) in refused) for s in suggestions(store) if (s.a, s.b) not in merged]
    return People(dict(sorted(groups.items())), merges, pending)

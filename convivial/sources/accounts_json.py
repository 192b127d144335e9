"""The `accounts-json` source: account objects as the platforms' APIs return them, for auditing
a follower list: Mastodon `Account`s, Bluesky profile views (`app.bsky.actor.defs`), and Twitter
v1.1 user objects, each told by its keys (`acct`, `did`, `screen_name`).

A file is JSON or JSON Lines: a list of accounts, an object holding one under `accounts`,
`followers`, `follows` or `users`, one account, or saved API exchanges (objects with a `body`)
holding any of these. Fields read:
- Mastodon: `acct` (the id and handle), `display_name`, `followers_count`, `following_count`,
  `statuses_count`, `note` (HTML, read as text), `url`, `avatar` (the default `missing.png` is a
  default avatar), `created_at`, `last_status_at`, `bot`;
- Bluesky: `handle` (id and handle), `displayName`, `followersCount`, `followsCount`,
  `postsCount` (in full profiles only), `description`, `avatar` (none: the default), `createdAt`;
- Twitter: as the `twitter-users` source.
An object of none of these kinds is rejected with its place in the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from convivial.sources.base import Batch, Reject, SourceOptions, register
from convivial.sources.bluesky import account_record as bluesky_account
from convivial.sources.mastodon import account_record
from convivial.sources.profiles import (
    account_objects,
    profile_batch,
)
from convivial.sources.twitter_users import twitter_profile

__all__ = ["AccountsJsonSource"]

BATCH_ROWS = 50_000


@register
class AccountsJsonSource:
    """Reads platform account objects into account profiles (and follows of a team's)."""

    name: ClassVar[str] = "accounts-json"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.followed = options.followed

    def read(self, path: Path) -> Iterator[Batch]:
        accounts: list[dict[str, Any]] = []
        rejects: list[Reject] = []
        for line, obj in account_objects(path):
            try:
                accounts.append({**_profile(obj), "line": line})
            except ValueError as exc:
                rejects.append(Reject(line, str(exc), json.dumps(obj)[:10_000]))
            if len(accounts) + len(rejects) >= BATCH_ROWS:
                yield profile_batch(accounts, rejects, len(accounts) + len(rejects), self.followed)
                accounts, rejects = [], []
        yield profile_batch(accounts, rejects, len(accounts) + len(rejects), self.followed)


def _profile(obj: Any) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise ValueError("not an account object")
    if "acct" in obj:
        return account_record(obj)
    if "did" in obj:
        return bluesky_account(obj)
    if "screen_name" in obj or "_error" in obj:  # "_error": a line that is not JSON
        return twitter_profile(obj)
    raise ValueError("no acct, did or screen_name: not a Mastodon, Bluesky or Twitter account")

"""What the profile sources share: a batch of account profiles, and the follows of a team's
accounts that `--followers-of` adds for every profile on the same platform."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from convivial.sources.base import ACCOUNT_SCHEMA, FOLLOW_SCHEMA, Batch, Reject, table

__all__ = ["profile_batch"]


def profile_batch(
    accounts: Sequence[dict[str, Any]], rejects: list[Reject], rows: int, followed: Sequence[str]
) -> Batch:
    """Profiles (dicts of ACCOUNT_SCHEMA fields and `line`) and, for each, a follow of every
    `followed` account (written PLATFORM:REF) on its platform; a follow's time is not known."""
    columns = {name: [a.get(name) for a in accounts] for name in ACCOUNT_SCHEMA.names}
    follows = [
        (a["platform"], a["account_id"], ref, a["line"])
        for a in accounts
        for platform, _, ref in (f.partition(":") for f in followed)
        if platform == a["platform"]
    ]
    return Batch(
        accounts=table(ACCOUNT_SCHEMA, columns),
        follows=table(
            FOLLOW_SCHEMA,
            {
                "platform": [f[0] for f in follows],
                "follower_id": [f[1] for f in follows],
                "followed_id": [f[2] for f in follows],
                "line": [f[3] for f in follows],
            },
        ),
        rejects=rejects,
        rows=rows,
    )

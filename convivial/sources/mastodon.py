"""Mastodon API entities (Status, Account, Notification; as JSON or as Mastodon.py returns them)
as convivial's records. Accounts are keyed by `acct` as the queried server writes it (`user` on
that server, `user@domain` elsewhere), as the `accounts-json` source keys them.

- A Status is a message: `in_reply_to_id` its parent, `mentions` its mentions, `visibility`
  public or unlisted is public, a reblog is a `share` whose parent is the reblogged status (which
  is a message too), counts from `favourites_count`, `reblogs_count`, `replies_count`; its HTML
  `content` is read as text.
- A Notification of type `mention` carries a Status; `favourite` is a like and `reblog` a share of
  the owner's status by the notifying account; `follow` is a follow of the owner.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from convivial.sources.fetching import Records, merge_records
from convivial.sources.profiles import profile_text, profile_time, whole_count

__all__ = ["PLATFORM", "account_record", "html_text", "notification_records", "status_records"]

PLATFORM = "mastodon"
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p>", re.IGNORECASE)


def html_text(value: Any) -> str | None:
    """Mastodon's HTML as plain text: paragraphs and line breaks become new lines."""
    text = profile_text(value)
    if text is None:
        return None
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", text))).strip()


def when(value: Any) -> datetime | None:
    """A time as Mastodon.py gives it (datetime) or as JSON writes it, naive UTC."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return profile_time(value)


def account_record(account: Mapping[str, Any]) -> dict[str, Any]:
    """An Account as an ACCOUNT_SCHEMA record."""
    avatar = profile_text(account.get("avatar"))
    return {
        "platform": PLATFORM,
        "account_id": str(account["acct"]),
        "handle": str(account["acct"]),
        "display_name": profile_text(account.get("display_name")),
        "followers": whole_count(account.get("followers_count"), "followers_count"),
        "following": whole_count(account.get("following_count"), "following_count"),
        "posts": whole_count(account.get("statuses_count"), "statuses_count"),
        "bio": html_text(account.get("note")),
        "profile_url": profile_text(account.get("url")),
        "avatar_url": avatar,
        "default_avatar": avatar is None or "missing.png" in avatar,
        "created_at": when(account.get("created_at")),
        "last_post_at": when(account.get("last_status_at")),
    }


def status_records(status: Mapping[str, Any]) -> Records:
    """A Status (and, for a reblog, the reblogged one) as messages and their authors."""
    shared = status.get("reblog")
    out = status_records(shared) if shared else {"messages": [], "accounts": []}
    out["accounts"].append(account_record(status["account"]))
    out["messages"].append(
        {
            "platform": PLATFORM,
            "message_id": str(status["id"]),
            "author_id": str(status["account"]["acct"]),
            "author_handle": str(status["account"]["acct"]),
            "created_at": when(status.get("created_at")),
            "text": html_text(status.get("content")) or "",
            "parent_id": str(shared["id"]) if shared else _id(status.get("in_reply_to_id")),
            "kind": "share" if shared else None,
            "is_public": status.get("visibility") in ("public", "unlisted"),
            "likes": whole_count(status.get("favourites_count"), "favourites_count"),
            "shares": whole_count(status.get("reblogs_count"), "reblogs_count"),
            "replies": whole_count(status.get("replies_count"), "replies_count"),
            "mentions": [str(m["acct"]) for m in status.get("mentions") or []],
        }
    )
    return out


def notification_records(notification: Mapping[str, Any], owner: str) -> Records:
    """A Notification to `owner` (an acct) as messages, interactions, follows and accounts."""
    kind = notification.get("type")
    actor = notification["account"]
    out: Records = {"accounts": [account_record(actor)]}
    status = notification.get("status")
    at = when(notification.get("created_at"))
    if kind == "mention" and status:
        merge_records(out, status_records(status))
    elif kind in ("favourite", "reblog") and status:
        out["interactions"] = [
            {
                "platform": PLATFORM,
                "actor_id": str(actor["acct"]),
                "target_id": owner,
                "kind": "like" if kind == "favourite" else "share",
                "created_at": at,
                "message_id": str(status["id"]),
            }
        ]
    elif kind == "follow":
        out["follows"] = [
            {
                "platform": PLATFORM,
                "follower_id": str(actor["acct"]),
                "followed_id": owner,
                "followed_at": at,
            }
        ]
    return out


def _id(value: Any) -> str | None:
    return None if value is None else str(value)

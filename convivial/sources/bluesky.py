"""Bluesky (AT Protocol) views as convivial's records: profiles (`app.bsky.actor.defs`), posts
(`app.bsky.feed.defs#postView`), likes and reposts. Accounts are keyed by handle, as the
`accounts-json` source keys them; posts by their `at://` URI.

- A post is a message: `record.reply.parent` its parent and `record.reply.root` its thread's root;
  a post embedding another (`app.bsky.embed.record`, with or without media) that is not a reply
  is a `quote` of it; its mentions are the `@handles` of its text; counts from `likeCount`,
  `repostCount` and `replyCount`.
- A like is a `like` of the post's author; a repost a `share`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from convivial.sources.fetching import Records
from convivial.sources.profiles import profile_text, profile_time, whole_count

__all__ = ["PLATFORM", "account_record", "post_records", "reaction_records"]

PLATFORM = "bluesky"
_MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+)", re.IGNORECASE)
_QUOTES = ("app.bsky.embed.record", "app.bsky.embed.recordWithMedia")


def account_record(profile: Mapping[str, Any]) -> dict[str, Any]:
    """A profile view as an ACCOUNT_SCHEMA record."""
    handle = profile_text(profile.get("handle")) or str(profile["did"])
    avatar = profile_text(profile.get("avatar"))
    return {
        "platform": PLATFORM,
        "account_id": handle,
        "handle": handle,
        "display_name": profile_text(profile.get("displayName")),
        "followers": whole_count(profile.get("followersCount"), "followersCount"),
        "following": whole_count(profile.get("followsCount"), "followsCount"),
        "posts": whole_count(profile.get("postsCount"), "postsCount"),
        "bio": profile_text(profile.get("description")),
        "avatar_url": avatar,
        "default_avatar": avatar is None,
        "created_at": profile_time(profile.get("createdAt")),
    }


def post_records(post: Mapping[str, Any]) -> Records:
    """A post view as a message and its author."""
    record = post.get("record") or {}
    reply = record.get("reply") or {}
    embed = record.get("embed") or {}
    quoted = None
    if embed.get("$type") in _QUOTES:
        inner = embed.get("record") or {}
        quoted = (inner.get("record") or inner).get("uri")
    parent = (reply.get("parent") or {}).get("uri")
    text = str(record.get("text") or "")
    author = post["author"]
    message = {
        "platform": PLATFORM,
        "message_id": str(post["uri"]),
        "author_id": account_record(author)["account_id"],
        "author_handle": profile_text(author.get("handle")),
        "created_at": profile_time(record.get("createdAt")) or profile_time(post.get("indexedAt")),
        "text": text,
        "parent_id": parent or quoted,
        "root_id": (reply.get("root") or {}).get("uri"),
        "kind": "reply" if parent else "quote" if quoted else "post",
        "likes": whole_count(post.get("likeCount"), "likeCount"),
        "shares": whole_count(post.get("repostCount"), "repostCount"),
        "replies": whole_count(post.get("replyCount"), "replyCount"),
        "mentions": [m.lower() for m in _MENTION.findall(text)],
    }
    return {"messages": [message], "accounts": [account_record(author)]}


def reaction_records(
    actor: Mapping[str, Any], post: Mapping[str, Any], kind: str, at: Any
) -> Records:
    """`actor` liked or reposted (`kind` like or share) `post`, at `at`."""
    who = account_record(actor)
    return {
        "accounts": [who],
        "interactions": [
            {
                "platform": PLATFORM,
                "actor_id": who["account_id"],
                "target_id": account_record(post["author"])["account_id"],
                "kind": kind,
                "created_at": profile_time(at) if isinstance(at, str) else at,
                "message_id": str(post["uri"]),
            }
        ],
    }

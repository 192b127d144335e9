"""`convivial fetch bluesky`: one account's posts and reposts with the threads around them, the
likes and reposts of its posts, its followers and follows, from Bluesky's public AppView API
through the atproto SDK. Everything read is public: no credential is needed or kept.

Replies, likes and reposts that come to a post after it was fetched are read again when its
counts change, for the posts of the newest page (the last `PAGE`).

Incremental and resumable. Bluesky pages newest first with opaque cursors, so each stream keeps
`{"newest": the first item of the last complete pass, "top": the first item of the pass under
way, "resume": the cursor to go on from}`: a pass reads from the newest item down to the newest
of the last complete pass, each page written in one transaction with that state; an interrupted
pass goes on from `resume`, and what arrived meanwhile is read by the next pass. Rate limits and
server errors (429, 5xx) are retried after the server's `Retry-After` (else `RateLimit-Reset`,
else a growing pause).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from atproto import Client
from atproto_client.exceptions import RequestErrorBase
from atproto_core.exceptions import AtProtocolError

from convivial.sources.base import brand
from convivial.sources.bluesky import PLATFORM, account_record, post_records, reaction_records
from convivial.sources.fetching import (
    Chunk,
    FetchFailed,
    Records,
    chunk_of,
    merge_records,
)
from convivial.store import FetchCursor

__all__ = ["PUBLIC_API", "SOURCE", "STREAMS", "VERSION", "bluesky_client", "fetch_bluesky"]

SOURCE = "bluesky-api"
VERSION = "1"
PUBLIC_API = "https://public.api.bsky.app/xrpc"
STREAMS = ("posts", "followers", "follows")
PAGE = 100


class _Api:
    """The atproto client's calls as plain JSON, retried on rate limits and server errors."""

    def __init__(self, client: Client, retries: int, backoff: float) -> None:
        self.client, self.retries, self.backoff = client, retries, backoff

    def get(self, call: Callable[[], Any], doing: str) -> dict[str, Any]:
        for attempt in range(self.retries + 1):
            try:
                answer: dict[str, Any] = call().model_dump(
                    mode="json", by_alias=True, exclude_none=True
                )
                return answer
            except RequestErrorBase as exc:
                status = exc.response.status_code if exc.response is not None else None
                lasting = status is not None and status != 429 and status < 500
                if attempt == self.retries or lasting:
                    raise FetchFailed(f"{doing}: {_reason(exc)}") from None
                time.sleep(self._pause(exc, attempt))
            except (AtProtocolError, ValueError) as exc:  # ValueError: a body that is not JSON
                raise FetchFailed(f"{doing}: {_reason(exc)}") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _pause(self, exc: RequestErrorBase, attempt: int) -> float:
        headers = exc.response.headers if exc.response is not None else {}
        after = headers.get("retry-after")
        if after is not None and str(after).isdigit():
            return float(after)
        reset = headers.get("ratelimit-reset")
        if reset is not None and str(reset).isdigit():
            return max(0.0, float(reset) - time.time())
        return float(self.backoff * 2**attempt)


def bluesky_client(service: str = PUBLIC_API) -> Client:
    """An atproto client of `service` (an AppView's XRPC address), not logged in."""
    return Client(base_url=service)


def fetch_bluesky(
    client: Client,
    handle: str,
    cursor: Callable[[str, str], str | None],
    team: str | None = None,
    streams: Sequence[str] = STREAMS,
    *,
    retries: int = 5,
    backoff: float = 1.0,
) -> Iterator[Chunk]:
    """The chunks of each of `streams` of `handle` that came after the last fetch."""
    api = _Api(client, retries, backoff)
    profile = api.get(
        lambda: client.app.bsky.actor.get_profile({"actor": handle.lstrip("@")}),
        "looking up the account",
    )
    owner = account_record(profile)["account_id"]
    host: dict[str, str] | None = brand(team, PLATFORM, owner)
    for stream in streams:
        saved = cursor(owner, stream)
        state = json.loads(saved or "{}")
        resume, top = state.get("resume"), state.get("top")
        newest, counts = state.get("newest"), state.get("counts", {})
        first = resume is None
        while True:
            page = api.get(_page_call(client, stream, owner, resume), f"reading {stream}")
            items = page.get("feed") or page.get("followers") or page.get("follows") or []
            if top is None and items:
                top = _key(stream, items[0])
            fresh = []
            for item in items:
                if _key(stream, item) == newest:
                    break
                fresh.append(item)
            again: list[dict[str, Any]] = []
            if first and stream == "posts":
                again, counts = _changed(items, len(fresh), counts, owner)
                first = False
            done = len(fresh) < len(items) or not page.get("cursor") or not items
            resume = None if done else page["cursor"]
            state = {"newest": top if done else newest, "top": None if done else top}
            state.update(resume=resume, counts=counts)
            if fresh or again or json.dumps(state) != saved:
                records = _records(api, client, stream, fresh, owner, profile)
                for post in again:
                    merge_records(records, _around(api, client, post))
                saved = json.dumps(state)
                position = FetchCursor(owner, stream, saved)
                label = f"bluesky:{owner} {stream}"
                yield chunk_of(label, [*fresh, *again], records, position, host)
                host = None
            if done:
                break


def _changed(
    items: list[dict[str, Any]], fresh: int, counts: dict[str, list[int]], owner: str
) -> tuple[list[dict[str, Any]], dict[str, list[int]]]:
    """Of the newest page's own posts: those known before (after the first `fresh` items) whose
    reply, like or repost count changed since the last fetch, and every one's counts to keep
    for the next."""
    again, now = [], {}
    for index, item in enumerate(items):
        post = item["post"]
        if item.get("reason") or account_record(post["author"])["account_id"] != owner:
            continue
        seen = [post.get("replyCount", 0), post.get("likeCount", 0), post.get("repostCount", 0)]
        now[post["uri"]] = seen
        if index >= fresh and counts.get(post["uri"], seen) != seen:
            again.append(post)
    return again, now


def _page_call(client: Client, stream: str, owner: str, cursor: str | None) -> Callable[[], Any]:
    params: dict[str, Any] = {"actor": owner, "limit": PAGE}
    if cursor:
        params["cursor"] = cursor
    if stream == "posts":
        params["filter"] = "posts_with_replies"
        return lambda: client.app.bsky.feed.get_author_feed(params)
    if stream == "followers":
        return lambda: client.app.bsky.graph.get_followers(params)
    return lambda: client.app.bsky.graph.get_follows(params)


def _key(stream: str, item: dict[str, Any]) -> str:
    """What tells an item from the others: a post (or a repost of it) or an account."""
    if stream == "posts":
        reason = item.get("reason") or {}
        return f"{item['post']['uri']} {reason.get('indexedAt', '')}"
    return str(item["did"])


def _records(
    api: _Api,
    client: Client,
    stream: str,
    items: list[dict[str, Any]],
    owner: str,
    profile: dict[str, Any],
) -> Records:
    out: Records = {}
    add = partial(merge_records, out)
    for item in items:
        if stream == "posts":
            post = item["post"]
            add(post_records(post))
            reason = item.get("reason") or {}
            if reason.get("$type", "").endswith("reasonRepost"):
                add(reaction_records(profile, post, "share", reason.get("indexedAt")))
            elif account_record(post["author"])["account_id"] == owner:
                add(_around(api, client, post))
        else:
            account = account_record(item)
            add({"accounts": [account]})
            them = account["account_id"]
            pair = (them, owner) if stream == "followers" else (owner, them)
            follow = {"platform": PLATFORM, "follower_id": pair[0], "followed_id": pair[1]}
            add({"follows": [follow]})
    return out


def _around(api: _Api, client: Client, post: dict[str, Any]) -> Records:
    """The owner's post's thread (replies at any depth), its likes and its reposts."""
    out: Records = {}
    add = partial(merge_records, out)
    uri = post["uri"]
    if post.get("replyCount"):
        thread = api.get(
            lambda: client.app.bsky.feed.get_post_thread({"uri": uri, "depth": 20}),
            "reading a thread",
        )["thread"]
        waiting = list(thread.get("replies") or [])
        while waiting:
            node = waiting.pop()
            if "post" in node:
                add(post_records(node["post"]))
                waiting.extend(node.get("replies") or [])
    if post.get("likeCount"):
        likes = api.get(
            lambda: client.app.bsky.feed.get_likes({"uri": uri, "limit": PAGE}), "reading likes"
        )
        for like in likes.get("likes") or []:
            add(reaction_records(like["actor"], post, "like", like.get("createdAt")))
    if post.get("repostCount"):
        reposts = api.get(
            lambda: client.app.bsky.feed.get_reposted_by({"uri": uri, "limit": PAGE}),
            "reading reposts",
        )
        at = (post.get("record") or {}).get("createdAt")
        for actor in reposts.get("repostedBy") or []:
            add(reaction_records(actor, post, "share", at))
    return out


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__

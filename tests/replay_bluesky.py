"""A local Bluesky AppView for connector tests, on 127.0.0.1, answering the XRPC reads a fetch
makes with the real recorded objects of ../shared/data/formats/bluesky_atproto (the atproto SDK's
own test data: a post view with its author, post records, a like, a follows list of six real
profiles): the owner's posts are the recorded posts, the six profiles reply to them, like and
repost them, and follow the owner. Pages, newest first, with cursors; faults a test can plan; a
log of every request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from replay import JsonHandler, Recording, serving

RECORDED = Path(__file__).resolve().parents[2] / "shared" / "data" / "formats" / "bluesky_atproto"


def _load(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


@dataclass
class Network:
    """What the AppView holds for one owner."""

    owner: dict[str, Any]
    posts: list[dict[str, Any]]
    """The owner's feed, newest first: feed items ({"post": ...})."""
    replies: dict[str, list[dict[str, Any]]]
    likes: dict[str, list[dict[str, Any]]]
    reposts: dict[str, list[dict[str, Any]]]
    followers: list[dict[str, Any]]
    follows: list[dict[str, Any]]
    max_limit: int = 100
    recording: Recording = field(default_factory=Recording)


def _post(uri: str, cid: str, author: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    return {
        "uri": uri,
        "cid": cid,
        "author": author,
        "record": {"$type": "app.bsky.feed.post", **record},
        "replyCount": 0,
        "repostCount": 0,
        "likeCount": 0,
        "indexedAt": record["createdAt"],
    }


def network() -> Network:
    """The recorded owner (the author of the recorded thread's post), its recorded posts (the
    thread's post, post_record, extended_post_record), and the six recorded profiles of
    get_follows as its community: each replies to one post, likes and reposts some."""
    thread = _load("thread_view_post_with_embed_media.json")["thread"]["post"]
    owner = {k: v for k, v in thread["author"].items() if k in ("did", "handle", "displayName")}
    people = [
        {k: v for k, v in p.items() if k in ("did", "handle", "displayName", "avatar")}
        for p in _load("get_follows.json")["follows"]
    ]
    posts = [thread]
    for name in ("post_record.json", "extended_post_record.json"):
        found = _load(name)
        record = {k: v for k, v in found["value"].items() if k != "$type"}
        posts.append(_post(found["uri"], found["cid"], owner, record))
    posts.sort(key=lambda p: p["record"]["createdAt"], reverse=True)
    replies: dict[str, list[dict[str, Any]]] = {}
    likes: dict[str, list[dict[str, Any]]] = {}
    reposts: dict[str, list[dict[str, Any]]] = {}
    like_time = _load("like_record.json")["value"]["createdAt"]
    for i, person in enumerate(people):
        parent = posts[i % len(posts)]
        ref = {"uri": parent["uri"], "cid": parent["cid"]}
        text = f"@{owner['handle']} thank you!" if i % 2 else "Great, see you there"
        reply = _post(
            f"{person['did']}/app.bsky.feed.post/reply{i}".replace("did:", "at://did:", 1),
            parent["cid"],
            person,
            {
                "text": text,
                "createdAt": parent["record"]["createdAt"],
                "reply": {"root": ref, "parent": ref},
            },
        )
        replies.setdefault(parent["uri"], []).append(
            {"$type": "app.bsky.feed.defs#threadViewPost", "post": reply, "replies": []}
        )
        likes.setdefault(parent["uri"], []).append(
            {"actor": person, "createdAt": like_time, "indexedAt": like_time}
        )
        if i % 3 == 0:
            reposts.setdefault(parent["uri"], []).append(person)
    for post in posts:
        post["replyCount"] = len(replies.get(post["uri"], []))
        post["likeCount"] = len(likes.get(post["uri"], []))
        post["repostCount"] = len(reposts.get(post["uri"], []))
    return Network(
        owner=owner,
        posts=[{"post": p} for p in posts],
        replies=replies,
        likes=likes,
        reposts=reposts,
        followers=people,
        follows=people[:2],
    )


def add_post(data: Network, text: str, at: str) -> dict[str, Any]:
    """A new post of the owner, on top of the feed."""
    uri = f"at://{data.owner['did']}/app.bsky.feed.post/new{len(data.posts)}"
    post = _post(uri, "bafyreinew", data.owner, {"text": text, "createdAt": at})
    data.posts.insert(0, {"post": post})
    return post


class _Handler(JsonHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server names it)
        data = self.server.data
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        method = url.path.removeprefix("/xrpc/")
        if self.faulted(method):
            return
        self._route(data, method, query)

    def _route(self, data: Network, method: str, query: dict[str, str]) -> None:
        if method == "app.bsky.actor.getProfile":
            if query.get("actor") not in (data.owner["handle"], data.owner["did"]):
                self.send(400, '{"error": "InvalidRequest", "message": "Profile not found"}')
                return
            self.json({**data.owner, "followersCount": len(data.followers)})
            return
        lists = {
            "app.bsky.feed.getAuthorFeed": ("feed", data.posts, {}),
            "app.bsky.graph.getFollowers": ("followers", data.followers, {"subject": data.owner}),
            "app.bsky.graph.getFollows": ("follows", data.follows, {"subject": data.owner}),
        }
        if method in lists:
            key, items, extra = lists[method]
            start = int(query.get("cursor", "0"))
            limit = min(int(query.get("limit", "50")), data.max_limit)
            page = items[start : start + limit]
            body: dict[str, Any] = {**extra, key: page}
            if start + limit < len(items):
                body["cursor"] = str(start + limit)
            self.json(body)
            return
        uri = query.get("uri", "")
        post = next((p["post"] for p in data.posts if p["post"]["uri"] == uri), None)
        if post is None:
            self.send(400, '{"error": "NotFound", "message": "Post not found"}')
        elif method == "app.bsky.feed.getPostThread":
            thread = {"$type": "app.bsky.feed.defs#threadViewPost", "post": post}
            self.json({"thread": {**thread, "replies": data.replies.get(uri, [])}})
        elif method == "app.bsky.feed.getLikes":
            self.json({"uri": uri, "likes": data.likes.get(uri, [])})
        elif method == "app.bsky.feed.getRepostedBy":
            self.json({"uri": uri, "repostedBy": data.reposts.get(uri, [])})
        else:
            self.send(404, '{"error": "MethodNotImplemented"}')


@contextmanager
def replaying(data: Network) -> Iterator[str]:
    """Serve `data` on 127.0.0.1 until the block ends; yields the server's base address."""
    with serving(data, _Handler) as port:
        yield f"http://127.0.0.1:{port}/xrpc"

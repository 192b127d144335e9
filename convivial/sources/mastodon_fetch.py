"""`convivial fetch mastodon`: one account's statuses with the conversations around them, its
notifications (mentions, favourites, reblogs, follows), followers and following, from a Mastodon
server's API through Mastodon.py.

Incremental and resumable: each stream pages forward in time from its cursor (`min_id`, as the
server's `Link: rel="prev"` header gives it), and every chunk of pages is written in one
transaction together with the cursor past it. A second fetch asks only for what came after; an
interrupted one starts again where the last chunk ended, and deterministic ids make any overlap
harmless. Rate limits: a 429 or 503 is retried after the server's `Retry-After` (urllib3's
`Retry`), then Mastodon.py waits for `X-RateLimit-Reset`. The token is only ever in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any
from urllib.parse import urlparse

import requests
from mastodon import Mastodon, MastodonError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from convivial.sources.base import brand
from convivial.sources.fetching import (
    Chunk,
    FetchFailed,
    Records,
    chunk_of,
    merge_records,
)
from convivial.sources.mastodon import (
    PLATFORM,
    account_record,
    notification_records,
    status_records,
)
from convivial.store import FetchCursor

__all__ = ["SOURCE", "VERSION", "Chunk", "FetchFailed", "fetch_mastodon", "mastodon_client"]

SOURCE = "mastodon-api"
VERSION = "1"
STREAMS = ("statuses", "notifications", "followers", "following")
NOTIFICATION_TYPES = ["mention", "favourite", "reblog", "follow"]
PAGE_SIZE = {"statuses": 40, "notifications": 40, "followers": 80, "following": 80}
CHUNK_PAGES = 10
"""Pages written per transaction: what an interruption can cost at most."""


def mastodon_client(
    instance: str, token: str | None, *, retries: int = 5, backoff: float = 0.5
) -> Mastodon:
    """A Mastodon.py client whose HTTP session retries 429, 500, 502, 503 and 504 after the
    server's Retry-After (or an exponential backoff), up to `retries` times."""
    retry = Retry(
        total=retries,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=("GET",),
        respect_retry_after_header=True,
        backoff_factor=backoff,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return Mastodon(
        api_base_url=instance,
        access_token=token,
        session=session,
        ratelimit_method="wait",
        version_check_mode="none",
        request_timeout=60,
    )


def fetch_mastodon(
    api: Mastodon,
    handle: str,
    cursor: Callable[[str, str], str | None],
    team: str | None = None,
    streams: Sequence[str] = STREAMS,
) -> Iterator[Chunk]:
    """The chunks of each of `streams` of `handle` after its cursor (`cursor(account, stream)`,
    the account written `acct@server`, as a cursor is one server's); the first chunk makes the
    account a brand of `team` (default: its own name)."""
    owner = _call(lambda: api.account_lookup(handle.lstrip("@")), "looking up the account")
    acct, account_id = str(owner["acct"]), owner["id"]
    where = f"{acct}@{urlparse(str(api.api_base_url)).netloc}"
    host: dict[str, str] | None = brand(team, PLATFORM, acct)
    for stream in streams:
        since = cursor(where, stream) or None
        pages: list[Sequence[Any]] = []
        position = since or ""
        found = (
            _forward(api, stream, account_id, since)
            if stream in FORWARD
            else _backward(api, stream, account_id, since)
        )
        for page, after in found:
            pages.append(page)
            position = after
            if len(pages) == CHUNK_PAGES:
                yield _chunk(api, acct, where, stream, pages, position, host)
                pages, host = [], None
        if pages:
            yield _chunk(api, acct, where, stream, pages, position, host)
            host = None


FORWARD = ("statuses", "notifications")
"""Streams a server pages forward in time from a `min_id`. Followers and following it pages only
backward (`max_id`), newest first, down to a `since_id`."""


def _forward(
    api: Mastodon, stream: str, account_id: Any, since: str | None
) -> Iterator[tuple[Sequence[Any], str]]:
    """Each non-empty page after `since`, oldest first, with the cursor past it."""
    start = since or "0"
    calls: dict[str, Callable[[], Any]] = {
        "statuses": lambda: api.account_statuses(account_id, min_id=start, limit=40),
        "notifications": lambda: api.notifications(
            min_id=start, limit=40, types=NOTIFICATION_TYPES
        ),
    }
    page = _call(calls[stream], f"reading {stream}")
    while page:
        after = getattr(page, "_pagination_prev", None) or {}
        if "min_id" not in after:
            raise FetchFailed(f"the server gave no link past this page of {stream}")
        yield page, str(after["min_id"])
        page = _call(partial(api.fetch_previous, page), f"reading {stream}")


def _backward(
    api: Mastodon, stream: str, account_id: Any, since: str | None
) -> Iterator[tuple[Sequence[Any], str]]:
    """Each non-empty page newer than `since`, newest first, down to the page that reaches
    `since` (Mastodon's next links drop `since_id`, so the pass stops itself; the last page may
    repeat some known follows, harmlessly). The cursor stays `since` until the last page, which
    moves it to the newest item: a pass cut short is read again from the top rather than
    leaving a gap."""
    read = api.account_followers if stream == "followers" else api.account_following
    page = _call(lambda: read(account_id, since_id=since, limit=80), f"reading {stream}")
    newest = None
    while page:
        if newest is None:
            ahead = getattr(page, "_pagination_prev", None) or {}
            newest = ahead.get("since_id") or ahead.get("min_id")
            if newest is None:
                raise FetchFailed(f"the server gave no link back to this page of {stream}")
        older = (getattr(page, "_pagination_next", None) or {}).get("max_id")
        done = older is None or (since is not None and int(older) <= int(since))
        following = None if done else _call(partial(api.fetch_next, page), f"reading {stream}")
        yield page, str(newest) if not following else since or ""
        page = following


def _chunk(
    api: Mastodon,
    acct: str,
    where: str,
    stream: str,
    pages: list[Sequence[Any]],
    position: str,
    host: dict[str, str] | None,
) -> Chunk:
    items = [item for page in pages for item in page]
    records = merge_records({}, *(_records(api, stream, item, acct) for item in items))
    label = f"{str(api.api_base_url).rstrip('/')}/@{acct} {stream}"
    return chunk_of(label, items, records, FetchCursor(where, stream, position), host)


def _records(api: Mastodon, stream: str, item: Any, owner: str) -> Records:
    if stream == "statuses":
        found = status_records(item)
        if item.get("replies_count") or item.get("in_reply_to_id"):
            context = _call(lambda: api.status_context(item["id"]), "reading a conversation")
            around = [*context["ancestors"], *context["descendants"]]
            merge_records(found, *(status_records(other) for other in around))
        return found
    if stream == "notifications":
        return notification_records(item, owner)
    account = account_record(item)
    follow = (
        (account["account_id"], owner) if stream == "followers" else (owner, account["account_id"])
    )
    return {
        "accounts": [account],
        "follows": [{"platform": PLATFORM, "follower_id": follow[0], "followed_id": follow[1]}],
    }


def _call(request: Callable[[], Any], doing: str) -> Any:
    """The request's answer, or FetchFailed saying what failed while doing what."""
    try:
        return request()
    except MastodonError as exc:
        reason = " ".join(str(a) for a in exc.args if a) or type(exc).__name__
        raise FetchFailed(f"{doing}: {reason}") from None
    except requests.RequestException as exc:
        raise FetchFailed(f"{doing}: {exc}") from None

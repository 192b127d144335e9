"""Sources: one module per kind of file, behind a registry (see `base`)."""

from convivial.sources import (
    accounts_json,
    bluesky_car,
    facebook_insights,
    generic,
    mastodon_archive,
    meta_export,
    reddit,
    twcs,
    twitter_users,
    x_archive,
)
from convivial.sources.base import (
    Batch,
    Reject,
    Source,
    SourceError,
    SourceOptions,
    get_source,
    source_names,
)

__all__ = [
    "Batch",
    "Reject",
    "Source",
    "SourceError",
    "SourceOptions",
    "accounts_json",
    "bluesky_car",
    "facebook_insights",
    "generic",
    "get_source",
    "mastodon_archive",
    "meta_export",
    "reddit",
    "source_names",
    "twcs",
    "twitter_users",
    "x_archive",
]

"""The DuckDB store: schema, migrations, the one owner of connections."""

from convivial.store.store import (
    BadSetting,
    FetchCursor,
    ImportRecord,
    Labeller,
    LabelProgress,
    Store,
    TeamAccounts,
    WorkspaceBusy,
)

__all__ = [
    "BadSetting",
    "FetchCursor",
    "ImportRecord",
    "LabelProgress",
    "Labeller",
    "Store",
    "TeamAccounts",
    "WorkspaceBusy",
]

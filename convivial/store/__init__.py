"""The DuckDB store: schema, migrations, the one owner of connections."""

from convivial.store.store import (
    ImportRecord,
    Labeller,
    LabelProgress,
    Store,
    TeamAccounts,
    WorkspaceBusy,
)

__all__ = [
    "ImportRecord",
    "LabelProgress",
    "Labeller",
    "Store",
    "TeamAccounts",
    "WorkspaceBusy",
]

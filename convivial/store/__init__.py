"""The DuckDB store: schema, migrations, the one owner of connections."""

from convivial.store.store import ImportRecord, Store, TeamAccounts

__all__ = ["ImportRecord", "Store", "TeamAccounts"]

"""A workspace: a folder with convivial.toml and convivial.duckdb. The only place that knows paths.

convivial.toml names the teams (their brand and staff accounts as PLATFORM:HANDLE, business hours
and time zone) and the default window; the store keeps the data.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w

from convivial.metrics.bands import bands_with
from convivial.metrics.hours import OpeningHours, parse_hours
from convivial.sources.base import PLATFORMS
from convivial.store import Store, TeamAccounts

__all__ = ["CONFIG_NAME", "STORE_NAME", "TeamConfig", "Workspace", "WorkspaceError"]

CONFIG_NAME = "convivial.toml"
DEFAULT_MERGE_ABOVE = 0.9
STORE_NAME = "convivial.duckdb"
LAKE_NAME = "lake"
DEFAULT_WINDOW_DAYS = 90


class WorkspaceError(Exception):
    """The workspace is missing or its configuration is wrong. The message is one line."""


@dataclass(frozen=True)
class TeamConfig:
    """One team as configured: its host accounts, and when it answers."""

    name: str
    brand: tuple[str, ...] = ()
    staff: tuple[str, ...] = ()
    timezone: str | None = None
    hours: str | None = None

    def accounts(self) -> TeamAccounts:
        return TeamAccounts(self.name, self.brand, self.staff)

    def opening_hours(self) -> OpeningHours | None:
        """The team's business hours, when it sets both hours and a time zone."""
        if self.hours and self.timezone:
            return parse_hours(self.hours, self.timezone)
        return None


@dataclass(frozen=True)
class Config:
    """The contents of convivial.toml."""

    teams: tuple[TeamConfig, ...] = ()
    window_days: int = DEFAULT_WINDOW_DAYS
    bands: dict[str, Any] = field(default_factory=dict)
    merge_above: float = DEFAULT_MERGE_ABOVE
    """Accounts suggested as one person with at least this confidence are merged by themselves
    (`convivial.people`); above 1, never."""


def parse_account(ref: str) -> str:
    """Checks `PLATFORM:HANDLE` and returns it normalised (lower-case platform, no @)."""
    platform, sep, handle = ref.partition(":")
    handle = handle.strip().lstrip("@")
    if not sep or not handle:
        raise WorkspaceError(
            f"account {ref!r} must be written PLATFORM:HANDLE, e.g. twitter:myshop"
        )
    platform = platform.strip().lower()
    if platform not in PLATFORMS:
        raise WorkspaceError(
            f"account {ref!r}: unknown platform {platform!r}; use one of {', '.join(PLATFORMS)}"
        )
    return f"{platform}:{handle}"


class Workspace:
    """A folder holding convivial.toml and convivial.duckdb."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def locate(cls, given: Path | None) -> Workspace:
        """-w if given, else $CONVIVIAL_WORKSPACE, else the current folder."""
        if given is not None:
            return cls(given)
        env = os.environ.get("CONVIVIAL_WORKSPACE")
        return cls(Path(env) if env else Path.cwd())

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def store_path(self) -> Path:
        return self.root / STORE_NAME

    @property
    def lake(self) -> Path:
        """The workspace's own Parquet lake, which `--engine spark` reads (exported when stale)."""
        return self.root / LAKE_NAME

    def remove_lake(self) -> bool:
        """Delete the workspace's own lake (after an erasure); whether there was one."""
        if not self.lake.exists():
            return False
        shutil.rmtree(self.lake)
        return True

    def exists(self) -> bool:
        return self.config_path.exists()

    def init(self, teams: list[TeamConfig]) -> None:
        """Create the folder, convivial.toml (merging into an existing one) and the store."""
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.config() if self.exists() else Config()
        by_name = {t.name: t for t in config.teams}
        for team in teams:
            by_name[team.name] = team
        self._write_config(
            Config(tuple(by_name.values()), config.window_days, config.bands, config.merge_above)
        )
        with self.open_store():
            pass

    def config(self) -> Config:
        """convivial.toml, checked."""
        if not self.exists():
            raise WorkspaceError(
                f"{self.root}: not a convivial workspace (no {CONFIG_NAME});"
                " run `convivial init` there first, or pass -w"
            )
        try:
            data = tomllib.loads(self.config_path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise WorkspaceError(f"{self.config_path}: {exc}") from None
        teams = tuple(_team(self.config_path, t) for t in data.get("teams", []))
        window = data.get("window", {}).get("days", DEFAULT_WINDOW_DAYS)
        bands = dict(data.get("bands", {}))
        try:
            bands_with(bands)
        except (ValueError, TypeError) as exc:
            raise WorkspaceError(f"{self.config_path}: {exc}") from None
        merge_above = data.get("people", {}).get("merge_above", DEFAULT_MERGE_ABOVE)
        if not isinstance(merge_above, int | float) or isinstance(merge_above, bool):
            raise WorkspaceError(f"{self.config_path}: people.merge_above must be a number")
        return Config(teams, int(window), bands, float(merge_above))

    def open_store(self, *, read_only: bool = False) -> Store:
        """The store, with the configured teams synced into it."""
        store = Store(self.store_path, read_only=read_only)
        if not read_only and self.exists():
            store.sync_config_teams([t.accounts() for t in self.config().teams])
        return store

    def _write_config(self, config: Config) -> None:
        teams = []
        for team in config.teams:
            entry: dict[str, Any] = {"name": team.name, "brand": list(team.brand)}
            entry["staff"] = list(team.staff)
            if team.timezone:
                entry["timezone"] = team.timezone
            if team.hours:
                entry["hours"] = team.hours
            teams.append(entry)
        data: dict[str, Any] = {
            "window": {"days": config.window_days},
            "people": {"merge_above": config.merge_above},
            "teams": teams,
        }
        if config.bands:
            data["bands"] = config.bands
        header = (
            "# convivial workspace. Teams: the business (or, for an agency, each client).\n"
            "# brand = official accounts, staff = personal accounts of people who speak for it,\n"
            '# written PLATFORM:HANDLE. hours like "Mon-Fri 09:00-18:00", timezone like\n'
            '# "Europe/Amsterdam". window.days: the default report window.\n'
            "# people.merge_above: accounts that look like one person this surely (0 to 1) are\n"
            "# merged by themselves; see `convivial people`.\n\n"
        )
        self.config_path.write_text(header + tomli_w.dumps(data), encoding="utf-8")


def _team(path: Path, entry: dict[str, Any]) -> TeamConfig:
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise WorkspaceError(f"{path}: every [[teams]] entry needs a name")
    timezone = entry.get("timezone")
    if timezone is not None:
        try:
            ZoneInfo(str(timezone))
        except (ZoneInfoNotFoundError, ValueError):
            raise WorkspaceError(f"{path}: team {name!r}: unknown time zone {timezone!r}") from None
    hours = entry.get("hours")
    if hours is not None:
        if timezone is None:
            raise WorkspaceError(f"{path}: team {name!r}: hours need a timezone too")
        try:
            parse_hours(str(hours), str(timezone))
        except ValueError as exc:
            raise WorkspaceError(f"{path}: team {name!r}: hours: {exc}") from None
    return TeamConfig(
        name=name,
        brand=tuple(parse_account(a) for a in entry.get("brand", [])),
        staff=tuple(parse_account(a) for a in entry.get("staff", [])),
        timezone=timezone,
        hours=hours,
    )

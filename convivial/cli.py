"""The command line: each command a thin adapter over one library call.

Exit codes: 0 success, 1 bad input or usage (one-line reason on stderr), 2 internal error.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from convivial import __version__
from convivial.analysis import (
    Engine,
    EngineError,
    export_lake,
    without_handled,
    workspace_reports,
)
from convivial.importer import Fetched, FileImport, ImportFailed, import_fetched, import_files
from convivial.lake import LakeError
from convivial.metrics import UnknownTeam
from convivial.report.model import TeamReport
from convivial.report.render import (
    render_audit,
    render_audit_json,
    render_html,
    render_inbox,
    render_inbox_json,
    render_json,
    render_members,
    render_members_json,
    render_pdf,
    render_text,
)
from convivial.sources import SourceError, source_names
from convivial.store import BadSetting, ImportRecord, Store, WorkspaceBusy
from convivial.workspace import TeamConfig, Workspace, WorkspaceError, parse_account

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="convivial",
    help="Has your social media built a community, or only an audience?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
"""Lines that must stay whole (summaries a script may read)."""
panels = Console()
"""Reports, wrapped to the terminal."""
err = Console(stderr=True, soft_wrap=True)

_NO_TEAMS = (
    "No teams yet: `convivial init --team NAME --brand PLATFORM:HANDLE`, or import a source"
    " that names its teams (twcs, x-archive, reddit --team-by subreddit)."
)

_PROGRESS_FROM_MESSAGES = 200_000
_PROGRESS_FROM_BYTES = 5 << 20
"""Files smaller than this import in a moment; no progress bar for them."""


class BadInput(Exception):
    """Bad input or usage: exit 1 with this one-line message."""


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"


TeamOption = Annotated[str | None, typer.Option(help="Only this team.")]
ViewFormat = Annotated[Format, typer.Option("--format", help="text or json.")]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        metavar="duckdb|spark[=MASTER]",
        help="Where the metrics run: DuckDB in the workspace, or Apache Spark over a Parquet"
        " lake (local mode on every core, or MASTER such as spark://host:7077).",
    ),
]
LakeOption = Annotated[
    str | None,
    typer.Option(
        "--lake",
        help="With --engine spark: the Parquet lake to read (a folder or a URL the cluster"
        " reads). Default: the workspace's own, exported again when the data changed.",
    ),
]

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "-w",
        "--workspace",
        help="Workspace folder (default: $CONVIVIAL_WORKSPACE, else the current folder).",
    ),
]


def _show_version(shown: bool) -> None:
    if shown:
        out.print(f"convivial {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    workspace: WorkspaceOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", help="Show the version.", callback=_show_version, is_eager=True),
    ] = False,
) -> None:
    ctx.obj = Workspace.locate(workspace)


@app.command()
def init(
    ctx: typer.Context,
    team: Annotated[str | None, typer.Option(help="Team (business) name.")] = None,
    brand: Annotated[
        list[str] | None, typer.Option(help="Official account, PLATFORM:HANDLE (repeatable).")
    ] = None,
    staff: Annotated[
        list[str] | None, typer.Option(help="Staff member's account, PLATFORM:HANDLE.")
    ] = None,
    timezone: Annotated[str | None, typer.Option(help="Time zone, e.g. Europe/Amsterdam.")] = None,
    hours: Annotated[
        str | None, typer.Option(help='Business hours, e.g. "Mon-Fri 09:00-18:00".')
    ] = None,
) -> None:
    """Create a workspace: convivial.toml and convivial.duckdb."""
    ws: Workspace = ctx.obj
    if (brand or staff) and not team:
        raise BadInput("--brand and --staff need --team NAME")
    if hours and not timezone:
        raise BadInput("--hours needs --timezone too (e.g. Europe/Amsterdam)")
    teams = []
    if team:
        teams.append(
            TeamConfig(
                team,
                tuple(parse_account(b) for b in brand or []),
                tuple(parse_account(s) for s in staff or []),
                timezone,
                hours,
            )
        )
    for configured in teams:
        try:
            configured.opening_hours()
        except ValueError as exc:
            raise BadInput(f"--hours {configured.hours!r}: {exc}") from None
    ws.init(teams)
    out.print(f"Workspace ready in {ws.root} ({ws.config_path.name}, {ws.store_path.name}).")


@app.command("import")
def import_(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help=f"One of: {', '.join(source_names())}.")],
    paths: Annotated[list[Path], typer.Argument(help="Files (or export folders) to import.")],
    team: Annotated[
        str | None, typer.Option(help="Team for a source whose owner is the brand.")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Fail on the first bad row; write nothing.")] = False,
    team_by: Annotated[
        str | None, typer.Option(help="Make teams of a field, e.g. subreddit (reddit source).")
    ] = None,
    followers_of: Annotated[
        str | None,
        typer.Option(help="The profiles follow this team's brand accounts on their platform."),
    ] = None,
) -> None:
    """Import files into the workspace; bad rows are kept aside in `rejects`."""
    ws = _workspace(ctx)
    if source not in source_names():
        raise BadInput(f"unknown source {source!r}; known sources: {', '.join(source_names())}")
    followed = _brand_accounts(ws, followers_of) if followers_of else ()
    with ws.open_store() as store, _ImportProgress(paths) as progress:
        import_files(
            store,
            source,
            paths,
            team=team,
            team_by=team_by,
            followed=followed,
            strict=strict,
            progress=progress.update,
            done=_print_import,
        )


def _brand_accounts(ws: Workspace, team: str) -> tuple[str, ...]:
    """The team's brand accounts as convivial.toml names them (PLATFORM:HANDLE or PLATFORM:ID)."""
    found = next((t for t in ws.config().teams if t.name == team), None)
    if found is None:
        raise BadInput(f"--followers-of {team!r}: no such team in convivial.toml")
    if not found.brand:
        raise BadInput(f"--followers-of {team!r}: the team has no brand account")
    return found.brand


@app.command()
def forget(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="PLATFORM:HANDLE (or PLATFORM:ID) to erase.")],
) -> None:
    """Erase a person's account everywhere in the workspace, for good."""
    ref = parse_account(account)
    platform, _, handle = ref.partition(":")
    ws = _workspace(ctx)
    with ws.open_store() as store:
        gone = store.forget(platform, handle)
    lake = ws.remove_lake()
    held = ", ".join(f"{n:,} {table}" for table, n in gone.items() if n)
    out.print(f"Erased {ref}: {held or 'nothing was held'}.")
    if lake:
        out.print(f"Removed the workspace's lake ({ws.lake}); the next Spark run exports it again.")
    out.print("The workspace keeps only that an erasure happened, so no import brings it back.")


@app.command()
def export(
    ctx: typer.Context,
    parquet: Annotated[Path, typer.Option(help="Folder to write the tables to as Parquet.")],
) -> None:
    """Write the workspace's tables as Parquet, events partitioned by platform and month: the
    lake `--engine spark --lake DIR` reads."""
    ws = _workspace(ctx)
    with ws.open_store() as store, _LabelProgress() as progress:
        written = export_lake(store, parquet, progress.update)
    for table, rows in written.items():
        out.print(f"{parquet / table}: {rows:,} rows")


@app.command()
def teams(ctx: typer.Context) -> None:
    """List the teams and how many brand and staff accounts each has."""
    with _workspace(ctx).open_store() as store:
        rows = store.teams()
    if not rows:
        out.print(_NO_TEAMS)
    for name, origin, brands, staff in rows:
        out.print(f"{name}  ({brands} brand, {staff} staff; from {origin})")


@app.command()
def report(
    ctx: typer.Context,
    team: TeamOption = None,
    since: Annotated[datetime | None, typer.Option(help="Window start (UTC).")] = None,
    until: Annotated[datetime | None, typer.Option(help="Window end, exclusive (UTC).")] = None,
    format: Annotated[
        Format, typer.Option("--format", help="text, json, html or pdf.")
    ] = Format.text,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None,
    engine: EngineOption = "duckdb",
    lake: LakeOption = None,
) -> None:
    """The report: per team, over a window (default: 90 days to the latest event)."""
    reports = _reports(ctx, team, since, until, _engine(engine, lake))
    if format is Format.text and output is None:
        if not reports:
            out.print(_NO_TEAMS)
        render_text(reports, panels)
        return
    if format is Format.text:
        raise BadInput("text goes to the terminal; use --format json, html or pdf with -o")
    if format is Format.pdf:
        if output is None:
            raise BadInput("a PDF goes to a file: add -o FILE.pdf")
        output.write_bytes(render_pdf(reports))
        err.print(f"Wrote {output}")
        return
    body = (
        render_json(reports, one_team=team is not None)
        if format is Format.json
        else render_html(reports)
    )
    if output is None:
        sys.stdout.write(body + "\n")
    else:
        output.write_text(body, encoding="utf-8")
        err.print(f"Wrote {output}")


@app.command()
def members(
    ctx: typer.Context,
    team: TeamOption = None,
    format: ViewFormat = Format.text,
    engine: EngineOption = "duckdb",
    lake: LakeOption = None,
) -> None:
    """Advocates, levels, strong ties and who is slipping away."""
    reports = _reports(ctx, team, None, None, _engine(engine, lake))
    _view("members", reports, team, format, render_members_json, render_members)


@app.command()
def audit(
    ctx: typer.Context,
    team: TeamOption = None,
    format: ViewFormat = Format.text,
) -> None:
    """Followers: how many are fake, dormant, reachable, engaged; spikes; the likeliest fakes."""
    reports = _reports(ctx, team, None, None)
    _view("audit", reports, team, format, render_audit_json, render_audit)


@app.command()
def inbox(
    ctx: typer.Context,
    team: TeamOption = None,
    since: Annotated[datetime | None, typer.Option(help="Window start (UTC date).")] = None,
    until: Annotated[datetime | None, typer.Option(help="Window end (UTC date).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="Requests shown per team in text.")] = 30,
    format: ViewFormat = Format.text,
    engine: EngineOption = "duckdb",
    lake: LakeOption = None,
) -> None:
    """Questions and complaints nobody answered: oldest first, the most watched first each day.
    Requests marked handled in the dashboard are left out."""
    ws = _workspace(ctx)
    chosen = _engine(engine, lake)
    with ws.open_store() as store:
        reports = without_handled(_build(ws, store, team, since, until, chosen), store.handled())
    _view(
        "inbox",
        reports,
        team,
        format,
        render_inbox_json,
        lambda shown, console: render_inbox(shown, console, limit),
    )


AccountArgument = Annotated[str, typer.Argument(help="An account, PLATFORM:HANDLE.")]

people_app = typer.Typer(help="One person, many accounts: list, merge and unmerge.")
app.add_typer(people_app, name="people")


@people_app.command("list")
def people_list(
    ctx: typer.Context,
    format: ViewFormat = Format.text,
) -> None:
    """The people with more than one account, and the accounts that look like one person."""
    from convivial.people import listing

    ws = _workspace(ctx)
    with ws.open_store() as store:
        found = listing(store)
    if format is Format.json:
        data = {
            "people": [{"person": p, "accounts": a} for p, a in found.groups.items()],
            "merges": found.merges,
            "suggestions": [{**vars(s), "refused": refused} for s, refused in found.pending],
        }
        sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
        return
    if format is not Format.text:
        raise BadInput("people list prints text or json")
    for person, accounts in found.groups.items():
        out.print(f"{person}: {', '.join(accounts)}")
    if not found.groups:
        out.print("No accounts merged into one person yet.")
    for s, refused in found.pending:
        note = " (unmerged by hand: not merged again)" if refused else ""
        out.print(
            f"maybe {s.a} = {s.b}: {s.confidence:.0%}, {'; '.join(s.reasons)}{note}",
            highlight=False,
        )
    threshold = ws.config().merge_above
    out.print(
        f"Merge with `convivial people merge A B`; from {threshold:.0%} it happens by itself."
    )


@people_app.command("merge")
def people_merge(
    ctx: typer.Context,
    first: AccountArgument,
    second: AccountArgument,
) -> None:
    """Count two accounts as one person from now on (undo with `people unmerge`)."""
    ws = _workspace(ctx)
    with ws.open_store() as store:
        a, b = _account_key(store, first), _account_key(store, second)
        if a == b:
            raise BadInput(f"{first} and {second} are the same account")
        store.merge(a, b, 1.0, "merged by hand", "hand")
    out.print(f"{a} and {b} are now one person.")


@people_app.command("unmerge")
def people_unmerge(
    ctx: typer.Context,
    first: AccountArgument,
    second: AccountArgument,
) -> None:
    """Count two merged accounts as two people again, exactly as before the merge."""
    ws = _workspace(ctx)
    with ws.open_store() as store:
        a, b = _account_key(store, first), _account_key(store, second)
        if not store.unmerge(a, b):
            raise BadInput(f"{a} and {b} were not merged")
    out.print(f"{a} and {b} are two people again.")


def _account_key(store: Store, ref: str) -> str:
    """The key of the account written PLATFORM:HANDLE (or PLATFORM:ID), or BadInput."""
    platform, _, name = ref.partition(":")
    found = store.account_key(platform, name.lstrip("@")) if name else None
    if found is None:
        raise BadInput(f"no account {ref} in this workspace (write PLATFORM:HANDLE)")
    return found


fetch_app = typer.Typer(help="Fetch from a live, open API (only what is new since last time).")
app.add_typer(fetch_app, name="fetch")

MASTODON_TOKEN = "CONVIVIAL_MASTODON_TOKEN"


@fetch_app.command("mastodon")
def fetch_mastodon_(
    ctx: typer.Context,
    instance: Annotated[str, typer.Option(help="The server, e.g. https://mastodon.social")],
    account: Annotated[str, typer.Option(help="The account to fetch, e.g. myshop")],
    team: Annotated[str | None, typer.Option(help="The team it is a brand of.")] = None,
) -> None:
    """An account's statuses and the conversations around them, its notifications (with an
    access token), followers and following. The token is read from $CONVIVIAL_MASTODON_TOKEN
    (or asked for) and never stored."""
    from convivial.sources.mastodon_fetch import (
        SOURCE,
        STREAMS,
        VERSION,
        FetchFailed,
        fetch_mastodon,
        mastodon_client,
    )

    ws = _workspace(ctx)
    token = os.environ.get(MASTODON_TOKEN)
    if token is None and sys.stdin.isatty():
        token = typer.prompt(
            "Access token (Enter for public data only)", default="", hide_input=True
        )
    api = mastodon_client(instance, token or None)

    with ws.open_store() as store:
        try:
            streams = STREAMS if token else tuple(s for s in STREAMS if s != "notifications")
            chunks = fetch_mastodon(api, account, partial(store.cursor, SOURCE), team, streams)
            records = import_fetched(store, SOURCE, VERSION, chunks, _print_fetched)
        except FetchFailed as exc:
            raise BadInput(
                f"{instance}: {exc}. What was fetched before is saved: run the same command"
                " again to go on from there."
            ) from None
    if not token:
        out.print("No access token: notifications were not fetched (public data only).")
    out.print(
        f"Fetched {account} from {instance}: {len(records)} new chunk(s)."
        if records
        else f"Nothing new for {account} on {instance}."
    )


@fetch_app.command("bluesky")
def fetch_bluesky_(
    ctx: typer.Context,
    handle: Annotated[str, typer.Option(help="The account, e.g. myshop.bsky.social")],
    team: Annotated[str | None, typer.Option(help="The team it is a brand of.")] = None,
    service: Annotated[str, typer.Option(help="The AppView's XRPC address.")] = (
        "https://public.api.bsky.app/xrpc"
    ),
) -> None:
    """An account's posts and reposts with their threads, likes and reposts, its followers and
    follows: public data, no password needed."""
    from convivial.sources.bluesky_fetch import SOURCE, VERSION, bluesky_client, fetch_bluesky
    from convivial.sources.fetching import FetchFailed

    ws = _workspace(ctx)
    with ws.open_store() as store:
        try:
            chunks = fetch_bluesky(
                bluesky_client(service), handle, partial(store.cursor, SOURCE), team
            )
            records = import_fetched(store, SOURCE, VERSION, chunks, _print_fetched)
        except FetchFailed as exc:
            raise BadInput(
                f"{service}: {exc}. What was fetched before is saved: run the same command"
                " again to go on from there."
            ) from None
    out.print(
        f"Fetched {handle}: {len(records)} new chunk(s)."
        if records
        else f"Nothing new for {handle}."
    )


def _print_fetched(chunk: Fetched, record: ImportRecord) -> None:
    out.print(
        f"{chunk.cursor.stream}: {record.rows_read:,} read: {record.messages_added:,} messages,"
        f" {record.interactions_added:,} interactions, {record.follows_added:,} follows,"
        f" {record.accounts_added:,} accounts added."
    )


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(help="Token every request must carry; made up when not loopback."),
    ] = None,
) -> None:
    """The dashboard in your browser. Only this machine can see it unless --host says otherwise,
    and then every request needs the token."""
    import secrets

    import uvicorn

    from convivial.web import create_app
    from convivial.web.app import LOOPBACK_HOSTS, MIN_TOKEN

    ws = _workspace(ctx)
    if token is None and host not in LOOPBACK_HOSTS:
        token = secrets.token_urlsafe(24)
    if token is not None and len(token) < MIN_TOKEN:
        raise BadInput(
            f"--token needs at least {MIN_TOKEN} characters (leave it out to have one made)"
        )
    with _LabelProgress() as progress, ws.open_store() as store:
        reports = workspace_reports(ws, store, labelling=progress.update)
    address = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    out.print(
        f"{len(reports)} team(s) ready. Open {address}" + (f"?token={token}" if token else "")
    )
    out.print("Stop with Ctrl+C. To import more data, stop the dashboard first.")
    uvicorn.run(create_app(ws, token), host=host, port=port, log_level="warning")


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="Where to build the demo workspace.")] = Path(
        "convivial-demo"
    ),
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same community.")] = 7,
    scale: Annotated[int | None, typer.Option(help="Make about this many events.")] = None,
) -> None:
    """Generate a realistic small-business community, import it, and report on it."""
    from convivial import synth

    data = synth.generate(directory / "data", seed=seed, scale=scale)
    ws = Workspace(directory)
    t = data.team
    ws.init([TeamConfig(t.name, t.brand, t.staff, t.timezone, t.hours)])
    with ws.open_store() as store, _ImportProgress(list(data.files)) as progress:
        import_files(
            store,
            "csv",
            data.files,
            progress=progress.update,
            done=_print_import,
        )
    with ws.open_store() as store:
        reports = _build(ws, store)
    render_text(reports, panels)
    html = directory / "report.html"
    html.write_text(render_html(reports), encoding="utf-8")
    out.print(f"Wrote {html}")


def _view(
    command: str,
    reports: list[TeamReport],
    team: str | None,
    format: Format,
    as_json: Callable[[list[TeamReport], bool], str],
    as_text: Callable[[list[TeamReport], Console], None],
) -> None:
    """Print one view of the reports as JSON (one object for --team, else a list) or text."""
    if format is Format.json:
        sys.stdout.write(as_json(reports, team is not None) + "\n")
    elif format is Format.text:
        as_text(reports, panels)
    else:
        raise BadInput(f"{command} prints text or json")


def _reports(
    ctx: typer.Context,
    team: str | None,
    since: datetime | None,
    until: datetime | None,
    engine: Engine | None = None,
) -> list[TeamReport]:
    ws = _workspace(ctx)
    with ws.open_store() as store:
        return _build(ws, store, team, since, until, engine)


def _build(
    ws: Workspace,
    store: Store,
    team: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    engine: Engine | None = None,
) -> list[TeamReport]:
    """The reports, with a progress bar while messages are labelled."""
    if engine is not None and engine.name == "spark":
        err.print(f"Computing on Spark ({engine.master}) over {engine.lake or ws.lake}")
    with _LabelProgress() as progress:
        return workspace_reports(ws, store, team, since, until, progress.update, engine)


def _engine(spec: str, lake: str | None) -> Engine:
    """The engine `--engine` and `--lake` ask for."""
    try:
        return Engine.parse(spec, lake)
    except EngineError as exc:
        raise BadInput(str(exc)) from exc


def _workspace(ctx: typer.Context) -> Workspace:
    ws: Workspace = ctx.obj
    ws.config()
    return ws


def _print_import(result: FileImport) -> None:
    r = result.record
    if result.already_imported:
        out.print(
            f"{result.path}: already imported on {r.finished_at:%Y-%m-%d %H:%M}; nothing to do."
        )
        return
    if r.insights_added:
        added = f"{r.insights_added:,} posts' Insights"
    else:
        added = (
            f"{r.messages_added:,} messages, {r.interactions_added:,} interactions,"
            f" {r.follows_added:,} follows, {r.accounts_added:,} accounts"
        )
    out.print(f"{result.path}: {r.rows_read:,} rows read: {added} added.")
    if r.rejects:
        where = "; ".join(f"line {line}: {reason}" for line, reason in result.first_rejects[:3])
        more = f" (and {r.rejects - 3:,} more)" if r.rejects > 3 else ""
        err.print(
            f"[yellow]{r.rejects:,} bad rows kept aside in the rejects table[/yellow]:"
            f" {where}{more}",
            highlight=False,
        )


class _RowsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        rows = int(task.fields.get("rows", 0))
        rate = rows / task.elapsed if task.elapsed else 0.0
        return Text(f"{rows:,} rows, {rate:,.0f}/s", style="progress.data.speed")


class _ImportProgress:
    """A Rich progress bar per file, shown only for files that take more than a moment."""

    def __init__(self, paths: list[Path]) -> None:
        big = any(p.is_file() and p.stat().st_size >= _PROGRESS_FROM_BYTES for p in paths)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            _RowsPerSecond(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
            disable=not big,
        )
        self._tasks: dict[Path, TaskID] = {}

    def __enter__(self) -> _ImportProgress:
        self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(None, None, None)

    def update(self, path: Path, done: int, total: int, rows: int) -> None:
        if path not in self._tasks:
            self._tasks[path] = self._progress.add_task(path.name, total=total or None)
        self._progress.update(self._tasks[path], completed=done, rows=rows)


class _LabelProgress:
    """A progress bar for labelling, shown only when there are many messages to label."""

    def __init__(self) -> None:
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _LabelProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def update(self, done: int, total: int) -> None:
        if total < _PROGRESS_FROM_MESSAGES:
            return
        if self._bar is None:
            self._bar = Progress(
                TextColumn("labelling messages"),
                BarColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("labels", total=total)
        assert self._task is not None
        self._bar.update(self._task, completed=done)


def run() -> None:
    """The `convivial` command: `main`, then a quick exit.

    The modules imported by now live as long as the process, so the garbage collector is told to
    leave them be (`gc.freeze`). Once the command is done, other threads are waited for, exit
    handlers run and the output is flushed, and the process ends without tearing the interpreter
    down: that teardown only frees memory the system takes back anyway, and with the libraries
    loaded here it costs a third of a second of full garbage collections."""
    gc.freeze()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main() -> None:
    """Run the app with the exit-code contract."""
    try:
        app(standalone_mode=False)
    except (
        BadInput,
        ImportFailed,
        SourceError,
        WorkspaceError,
        WorkspaceBusy,
        BadSetting,
        UnknownTeam,
        LakeError,
    ) as exc:
        err.print(f"convivial: {exc}", markup=False, highlight=False)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    except typer.TyperException as exc:
        message = exc.format_message()
        if not message:  # the help was shown for a bare `convivial`
            sys.exit(0)
        err.print(f"convivial: {message}", markup=False, highlight=False)
        sys.exit(1)
    except Exception as exc:  # an internal error: say so, briefly, and exit 2
        err.print(f"convivial: internal error: {type(exc).__name__}: {exc}", markup=False)
        sys.exit(2)

"""Bad input through the command line: exit 1 and one line `file:line: reason` or `file: reason`.

Without --strict, bad rows go to the rejects table (file, line, reason, raw text) and the import
summary says how many and where; with --strict the first bad row fails the file and nothing is
written.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CliRun, count

from convivial import __version__
from convivial.store import Store
from convivial.workspace import Workspace

HEADER = "platform,message_id,author_id,created_at,text,kind\n"


def row(message_id: str, text: str = "hello", when: str = "2026-03-01T14:05:00Z") -> str:
    return f"reddit,{message_id},u1,{when},{text},post\n"


def error_reason(err: str, path: Path | None = None, line: int | None = None) -> str:
    """The reason of a one-line error `[convivial: ]file[:line]: reason`, checked for shape."""
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    message = err.removesuffix("\n").removeprefix("convivial: ")
    if path is not None:
        where = f"{path}:{line}: " if line is not None else f"{path}: "
        assert message.startswith(where), f"{message!r} does not start with {where!r}"
        message = message[len(where) :]
    assert message.strip() == message and message, err
    return message


def summary(text: str) -> str:
    """Output with its (terminal-wrapped) whitespace made single spaces."""
    return " ".join(text.split())


def store_of(workspace: Path) -> Store:
    return Store(workspace / "convivial.duckdb")


def assert_nothing_written(workspace: Path) -> None:
    with store_of(workspace) as store:
        assert store.imports() == []
        counts = store.counts()
        assert counts["messages"] == 0
        assert counts["rejects"] == 0
        assert counts["accounts"] == 0
        assert counts["interactions"] == 0


def test_missing_file(workspace: Path, cli: CliRun) -> None:
    path = workspace / "nope.csv"
    code, _, err = cli("-w", workspace, "import", "csv", path)
    assert code == 1
    assert "no such file" in error_reason(err, path)


def test_unknown_source(workspace: Path, cli: CliRun) -> None:
    path = workspace / "messages.csv"
    path.write_text(HEADER + row("1"), encoding="utf-8")
    code, _, err = cli("-w", workspace, "import", "nosuch", path)
    assert code == 1
    reason = error_reason(err)
    assert "nosuch" in reason
    assert "csv" in reason and "twcs" in reason
    assert_nothing_written(workspace)


def test_twcs_given_a_generic_file(workspace: Path, cli: CliRun) -> None:
    path = workspace / "messages.csv"
    path.write_text(HEADER + row("1"), encoding="utf-8")
    code, _, err = cli("-w", workspace, "import", "twcs", path)
    assert code == 1
    assert "TWCS" in error_reason(err, path)
    assert_nothing_written(workspace)


def test_csv_given_the_twcs_file(workspace: Path, cli: CliRun, twcs_head: Path) -> None:
    code, _, err = cli("-w", workspace, "import", "csv", twcs_head)
    assert code == 1
    assert "message_id" in error_reason(err, twcs_head)
    assert_nothing_written(workspace)


@pytest.mark.parametrize("source", ["csv", "twcs", "jsonl"])
def test_an_empty_file(workspace: Path, cli: CliRun, source: str) -> None:
    path = workspace / "empty.csv"
    path.write_bytes(b"")
    code, _, err = cli("-w", workspace, "import", source, path)
    assert code == 1
    assert "empty" in error_reason(err, path) or "no rows" in error_reason(err, path)
    assert_nothing_written(workspace)


@pytest.mark.parametrize(
    ("source", "header"),
    [
        ("csv", HEADER),
        (
            "twcs",
            "tweet_id,author_id,inbound,created_at,text,response_tweet_id,"
            "in_response_to_tweet_id\r\n",
        ),
    ],
)
def test_a_header_only_file(workspace: Path, cli: CliRun, source: str, header: str) -> None:
    path = workspace / "header.csv"
    path.write_text(header, encoding="utf-8", newline="")
    code, _, err = cli("-w", workspace, "import", source, path)
    assert code == 1
    assert "no rows" in error_reason(err, path)
    assert_nothing_written(workspace)


def truncated_twcs(twcs_head: Path, folder: Path) -> tuple[Path, int, int, str]:
    """The real file cut inside the quoted, multi-line text of tweet 197 (which starts on line
    140): (file, good rows before it, that line, the tail)."""
    data = twcs_head.read_bytes()
    found = re.search(rb"\n\d+,197,", data)
    assert found is not None
    start = found.start() + 1
    cut = data.index(b"\n", data.index(b'"', start)) + 1 + 5
    path = folder / "twcs_truncated.csv"
    path.write_bytes(data[:cut])
    before = data[:start].decode("utf-8")
    good = len(list(csv.reader(io.StringIO(before, newline="")))) - 1
    line = before.count("\n") + 1
    return path, good, line, data[start:cut].decode("utf-8")


def test_a_truncated_file_keeps_the_good_rows(
    workspace: Path, cli: CliRun, twcs_head: Path
) -> None:
    path, good, line, tail = truncated_twcs(twcs_head, workspace)
    assert line == 140
    code, out, err = cli("-w", workspace, "import", "twcs", path)
    assert code == 0, err
    assert "messages" in out
    assert "1 bad row" in summary(err) and f"line {line}" in summary(err)
    with store_of(workspace) as store:
        assert store.counts()["messages"] == good
        rejects = store.rejects()
        assert len(rejects) == 1
        file, reject_line, reason, raw = rejects[0]
        assert (file, reject_line) == (str(path), line)
        assert "truncated" in reason or "never closes" in reason
        assert raw == tail
        assert count(store, "SELECT count(*) FROM messages WHERE message_key = 'twitter:197'") == 0


def test_a_truncated_file_under_strict(workspace: Path, cli: CliRun, twcs_head: Path) -> None:
    path, _, line, _ = truncated_twcs(twcs_head, workspace)
    code, _, err = cli("-w", workspace, "import", "twcs", "--strict", path)
    assert code == 1
    assert "never closes" in error_reason(err, path, line)
    assert_nothing_written(workspace)


def latin1_twcs(twcs_head: Path, folder: Path) -> tuple[Path, int]:
    """The first 30 tweets with one byte of Latin-1 in tweet 11 (line 9): (file, that line)."""
    data = twcs_head.read_bytes()
    head = data[: data.index(b"\n30,37,") + 1]
    assert head.split(b"\n")[8].startswith(b"7,11,sprintcare,")
    path = folder / "twcs_latin1.csv"
    path.write_bytes(head.replace(b"This is saddening", b"This is sadd\xe9ning", 1))
    return path, 9


def test_a_row_in_latin1_is_rejected_with_its_line(
    workspace: Path, cli: CliRun, twcs_head: Path
) -> None:
    path, line = latin1_twcs(twcs_head, workspace)
    code, _, err = cli("-w", workspace, "import", "twcs", path)
    assert code == 0, err
    assert "1 bad row" in summary(err) and f"line {line}" in summary(err)
    with store_of(workspace) as store:
        assert store.counts()["messages"] == 29
        assert count(store, "SELECT count(*) FROM messages WHERE message_key = 'twitter:11'") == 0
        [(file, reject_line, reason, raw)] = store.rejects()
        assert (file, reject_line) == (str(path), line)
        assert "UTF-8" in reason
        assert raw.startswith("7,11,sprintcare,") and "sadd" in raw


def test_a_row_in_latin1_under_strict(workspace: Path, cli: CliRun, twcs_head: Path) -> None:
    path, line = latin1_twcs(twcs_head, workspace)
    code, _, err = cli("-w", workspace, "import", "twcs", "--strict", path)
    assert code == 1
    assert "UTF-8" in error_reason(err, path, line)
    assert_nothing_written(workspace)


def test_a_latin1_row_in_a_generic_file(workspace: Path, cli: CliRun) -> None:
    path = workspace / "messages.csv"
    path.write_bytes((HEADER + row("1") + row("2", "caf\xe9") + row("3")).encode("latin-1"))
    code, _, err = cli("-w", workspace, "import", "csv", path)
    assert code == 0, err
    with store_of(workspace) as store:
        keys = store.arrow("SELECT message_key FROM messages ORDER BY 1").column(0).to_pylist()
        assert keys == ["reddit:1", "reddit:3"]
        [(_, line, reason, _)] = store.rejects()
        assert line == 3 and "UTF-8" in reason


@pytest.mark.parametrize("source", ["csv", "twcs", "jsonl"])
def test_a_utf16_file_is_a_file_level_error(workspace: Path, cli: CliRun, source: str) -> None:
    path = workspace / "utf16.csv"
    path.write_bytes((HEADER + row("1")).encode("utf-16"))
    code, _, err = cli("-w", workspace, "import", source, path)
    assert code == 1
    assert "UTF-16" in error_reason(err, path)
    assert_nothing_written(workspace)


def test_unknown_columns(workspace: Path, cli: CliRun) -> None:
    path = workspace / "messages.csv"
    path.write_text(HEADER.replace("kind", "colour") + row("1"), encoding="utf-8")
    code, _, err = cli("-w", workspace, "import", "csv", path)
    assert code == 1
    assert "colour" in error_reason(err, path)
    assert_nothing_written(workspace)


def test_rows_with_the_wrong_number_of_columns(workspace: Path, cli: CliRun) -> None:
    path = workspace / "messages.csv"
    bad_long = row("1").replace("post", "post,extra")
    bad_short = "reddit,3,u1\n"
    path.write_text(HEADER + bad_long + row("2") + bad_short + row("4"), encoding="utf-8")
    code, _, err = cli("-w", workspace, "import", "csv", path)
    assert code == 0, err
    assert "2 bad rows" in summary(err)
    assert "line 2" in summary(err) and "line 4" in summary(err)
    with store_of(workspace) as store:
        keys = store.arrow("SELECT message_key FROM messages ORDER BY 1").column(0).to_pylist()
        assert keys == ["reddit:2", "reddit:4"]
        rejects = store.rejects()
        assert [(r[1], r[2], r[3]) for r in rejects] == [
            (2, "expected 6 columns, found 7", bad_long.rstrip("\n")),
            (4, "expected 6 columns, found 3", bad_short.rstrip("\n")),
        ]
        assert {r[0] for r in rejects} == {str(path)}


BAD_ROWS = [
    row("1"),
    row("2", when="yesterday"),  # line 3: a time that does not parse
    row("3"),
    "reddit,4,u1\n",  # line 5: too few columns
    row("5", when=""),  # line 6: missing created_at
]


def test_strict_fails_on_the_first_bad_row_and_writes_nothing(workspace: Path, cli: CliRun) -> None:
    path = workspace / "messages.csv"
    path.write_text(HEADER + "".join(BAD_ROWS), encoding="utf-8")
    code, _, err = cli("-w", workspace, "import", "csv", "--strict", path)
    assert code == 1
    assert "created_at" in error_reason(err, path, 3)
    assert_nothing_written(workspace)


def test_without_strict_bad_rows_go_to_rejects(workspace: Path, cli: CliRun) -> None:
    path = workspace / "messages.csv"
    path.write_text(HEADER + "".join(BAD_ROWS), encoding="utf-8")
    code, out, err = cli("-w", workspace, "import", "csv", path)
    assert code == 0, err
    assert "5 rows read" in summary(out)
    said = summary(err)
    assert "3 bad rows" in said
    assert "line 3" in said and "line 5" in said and "line 6" in said
    with store_of(workspace) as store:
        keys = store.arrow("SELECT message_key FROM messages ORDER BY 1").column(0).to_pylist()
        assert keys == ["reddit:1", "reddit:3"]
        [record] = store.imports()
        assert record.rejects == 3 and record.rows_read == 5 and record.messages_added == 2
        rejects = store.rejects()
        assert [(r[0], r[1]) for r in rejects] == [(str(path), 3), (str(path), 5), (str(path), 6)]
        assert "created_at" in rejects[0][2]
        assert "columns" in rejects[1][2]
        assert "created_at" in rejects[2][2]
        assert [r[3] for r in rejects] == [BAD_ROWS[i].rstrip("\n") for i in (1, 3, 4)]


def test_report_outside_a_workspace(tmp_path: Path, cli: CliRun) -> None:
    folder = tmp_path / "not_a_workspace"
    folder.mkdir()
    code, _, err = cli("-w", folder, "report")
    assert code == 1
    assert "workspace" in error_reason(err, folder)
    assert not (folder / "convivial.duckdb").exists()


def test_report_for_an_unknown_team(workspace: Path, cli: CliRun) -> None:
    code, _, err = cli("-w", workspace, "report", "--team", "NOPE")
    assert code == 1
    assert "NOPE" in error_reason(err)


def test_team_by_on_a_source_that_makes_no_teams(
    workspace: Path, cli: CliRun, twcs_head: Path
) -> None:
    code, _, err = cli("-w", workspace, "import", "twcs", twcs_head, "--team-by", "subreddit")
    assert code == 1
    assert err.strip() == (
        "convivial: the twcs source cannot make teams by 'subreddit'; it makes no teams"
    )


def test_version_and_bare_help(cli: CliRun) -> None:
    code, out, _ = cli("--version")
    assert (code, out.strip()) == (0, f"convivial {__version__}")
    code, out, err = cli()
    assert code == 0 and "Usage" in out and err == ""


def test_a_report_without_teams_says_how_to_make_one(workspace: Path, cli: CliRun) -> None:
    code, out, _ = cli("-w", workspace, "report")
    assert code == 0
    assert out.startswith("No teams yet: `convivial init --team NAME")


def test_a_memory_limit_duckdb_does_not_take(
    workspace: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONVIVIAL_DUCKDB_MEMORY", "lots")
    code, _, err = cli("-w", workspace, "report")
    assert code == 1
    assert (
        err.strip()
        == "convivial: $CONVIVIAL_DUCKDB_MEMORY = 'lots': not a size DuckDB takes (say 8GB)"
    )
    monkeypatch.setenv("CONVIVIAL_DUCKDB_MEMORY", "300MB")
    with Workspace(workspace).open_store(read_only=True) as store:
        assert (
            store.arrow("SELECT current_setting('memory_limit') AS m")["m"][0].as_py()
            == "286.1 MiB"
        )


def test_the_installed_command_keeps_output_data_and_exit_codes(tmp_path: Path) -> None:
    """The `convivial` command ends without tearing the interpreter down: its output, the
    workspace it wrote and its exit codes must be what `main` gives."""
    command = Path(sys.executable).with_name("convivial")
    root = tmp_path / "ws"
    messages = tmp_path / "messages.csv"
    messages.write_text(HEADER + row("1") + row("2", "hi there"), encoding="utf-8")

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [command, "-w", root, *args], capture_output=True, text=True, check=False
        )

    assert run("init").returncode == 0
    imported = run("import", "csv", messages)
    assert imported.returncode == 0, imported.stderr
    assert "2 messages" in summary(imported.stdout)
    with store_of(root) as store:  # written, committed and closed by the process that ended
        assert store.counts()["messages"] == 2
    missing = run("import", "csv", tmp_path / "nope.csv")
    assert missing.returncode == 1
    assert "no such file" in error_reason(missing.stderr, tmp_path / "nope.csv")

"""Benchmark: the dashboard's page latency on the tiled TWCS workspace, against its /health route.

Reuses (or builds, with bench/analyse.py's helper) the TWCS workspace tiled to about 2.8 million
rows (76 teams), drops its kept reports (unless --keep) and starts the real server in its own
process, `convivial -w WS serve --port PORT`, timing its start until /health answers (the first
start computes every team's report and keeps it). Then, from this process on loopback (httpx, one
keep-alive connection, requests one at a time), after a few warm-up requests to each:
- the first request for `?days=30` (the window picker: computes that window once);
- `--requests` (200) requests to each page, for AppleSupport (the biggest team) and for the
  default team, to the community picture without the host, to `?days=30` again, and to the static
  `/health` route, interleaved round by round so that the machine's load falls on all of them
  alike.
Prints p50 and p95 of each against /health's p95 in the same run, and each page's p95 against the
target (<= 150 ms: pages render kept reports, nothing is computed per request). Last, stops the
server (its peak resident memory by `os.wait4`) and starts it again to time a start that reads the
kept reports, and its first `?days=30`.
Usage: python bench/dashboard.py [--copies 560] [--requests 200] [--keep] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from analyse import twcs_workspace, verdict
from common import OUT, ROOT, convivial, drop_kept_reports, kept_reports

TARGET_MS = 150.0
BIG_TEAM = "AppleSupport"
PAGES = ("/", "/community", "/members", "/inbox", "/behaviour", "/audience", "/data")
PICTURE = f"/community/picture?team={BIG_TEAM}&host=0"
WINDOW = f"/?team={BIG_TEAM}&days=30"
HEALTH = "/health"
WARM_UP = 3
START_TIMEOUT = 1800.0
LOG = OUT / "serve.log"


@dataclass(frozen=True)
class Server:
    """A running `convivial serve`: its process, address and how long it took to answer."""

    process: subprocess.Popen[bytes]
    base: str
    start_seconds: float


@dataclass(frozen=True)
class Latency:
    """One route's timed requests, in seconds, and the size of its page."""

    route: str
    seconds: list[float]
    size: int

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.seconds, n=100, method="inclusive")[94]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(ws: Path, log: Path) -> Iterator[Server]:
    """`convivial -w WS serve` in its own process until /health answers; stopped on leaving."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [convivial(), "-w", str(ws), "serve", "--port", str(port)]
    with log.open("ab") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=base, timeout=5.0) as client:
            while True:
                if process.poll() is not None:
                    raise SystemExit(f"the server stopped with status {process.returncode}: {log}")
                if time.perf_counter() - start > START_TIMEOUT:
                    raise SystemExit(f"the server did not answer within {START_TIMEOUT:.0f} s")
                try:
                    if client.get(HEALTH).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        yield Server(process, base, time.perf_counter() - start)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def stop(server: Server) -> int:
    """Stops the server (Ctrl+C) and returns its peak resident memory in bytes."""
    server.process.send_signal(signal.SIGINT)
    _, status, usage = os.wait4(server.process.pid, 0)
    server.process.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss * 1024


def timed_get(client: httpx.Client, route: str) -> tuple[float, int]:
    """One request, body read: its seconds and the body's size; anything but 200 stops the run."""
    start = time.perf_counter()
    response = client.get(route)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"GET {route}: status {response.status_code}")
    return elapsed, len(response.content)


def routes() -> list[str]:
    """Every page for the biggest team and the default one, the picture, the window, /health."""
    out = [HEALTH]
    for path in PAGES:
        out += [f"{path}?team={BIG_TEAM}", path]
    return [*out, PICTURE, WINDOW]


def measure(client: httpx.Client, requests: int) -> list[Latency]:
    """`requests` timed requests to each route, one round over all routes at a time."""
    chosen = routes()
    times: dict[str, list[float]] = {route: [] for route in chosen}
    sizes: dict[str, int] = {}
    for _ in range(requests):
        for route in chosen:
            seconds, sizes[route] = timed_get(client, route)
            times[route].append(seconds)
    return [Latency(route, times[route], sizes[route]) for route in chosen]


def ms(seconds: float) -> str:
    """Milliseconds, or seconds from 10 s on."""
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds * 1000:,.1f} ms"


def table(results: list[Latency], health: Latency) -> list[str]:
    """Markdown rows: each route's p50, p95, p95 over /health's p95, size and the target."""
    lines = [
        "| route | p50 | p95 | p95 ÷ /health p95 | page | p95 <= 150 ms |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        target = "" if r is health else verdict(r.p95 * 1000 <= TARGET_MS)
        lines.append(
            f"| `{r.route}` | {ms(r.p50)} | {ms(r.p95)} | {r.p95 / health.p95:.1f}x"
            f" | {r.size / 1024:,.0f} KiB | {target} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=560, help="TWCS tiles (default 560)")
    parser.add_argument("--requests", type=int, default=200, help="timed requests a route")
    parser.add_argument("--keep", action="store_true", help="keep the reports the store keeps")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the workspace")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    ws = twcs_workspace(args.copies, args.rebuild)
    LOG.write_bytes(b"")
    if not args.keep:
        print(f"dropped {drop_kept_reports(ws)} kept report(s)", flush=True)
    kept = kept_reports(ws)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average before the run: {load} ({os.cpu_count()} cores)", flush=True)
    print(f"starting the server on {ws.relative_to(ROOT)} ({kept} kept report(s)) ...", flush=True)
    with serving(ws, LOG) as server, httpx.Client(base_url=server.base, timeout=600.0) as client:
        first_page, _ = timed_get(client, "/")
        for route in routes()[:-1]:
            for _ in range(WARM_UP):
                timed_get(client, route)
        first_window, _ = timed_get(client, WINDOW)
        print(
            f"started (until /health answers) in {server.start_seconds:.1f} s"
            f" with {kept} kept report(s); first page {ms(first_page)}",
            flush=True,
        )
        print(f"timing {args.requests} requests to each of {len(routes())} routes ...", flush=True)
        results = measure(client, args.requests)
        peak = stop(server)
    health = results[0]
    print()
    print(
        f"{len(routes())} routes x {args.requests} requests, one at a time, on loopback"
        f" (server peak {peak / 2**30:.2f} GiB):"
    )
    for line in table(results, health):
        print(line)
    window = next(r for r in results if r.route == WINDOW)
    print(
        f"window picker `{WINDOW}`: first request {ms(first_window)}"
        f" ({first_window / health.p95:,.0f}x /health p95 {ms(health.p95)}), later ones p95"
        f" {ms(window.p95)} ({window.p95 / health.p95:.1f}x /health)"
    )
    missed = [r.route for r in results if r is not health and r.p95 * 1000 > TARGET_MS]
    print(
        f"p95 <= {TARGET_MS:.0f} ms on every page: {verdict(not missed)}"
        + (f" (missed: {', '.join(missed)})" if missed else "")
    )
    kept = kept_reports(ws)
    with serving(ws, LOG) as server, httpx.Client(base_url=server.base, timeout=600.0) as client:
        health_again = Latency(HEALTH, [timed_get(client, HEALTH)[0] for _ in range(20)], 2)
        first_page, _ = timed_get(client, "/")
        first_window, _ = timed_get(client, WINDOW)
        print(
            f"restart with {kept} kept report(s): started in {server.start_seconds:.1f} s;"
            f" first page {ms(first_page)}, first `{WINDOW}` {ms(first_window)}"
            f" (/health p95 {ms(health_again.p95)} over 20)"
        )


if __name__ == "__main__":
    main()

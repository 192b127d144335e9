"""What the local replay servers of the connector tests share: planned faults, a JSON handler
that logs every request and answers a planned fault instead when one is due, and serving on
127.0.0.1 in a thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Fault:
    """Answer the `nth` request (from 1) whose path starts with `path` with this instead."""

    path: str
    nth: int
    status: int
    body: str = '{"error": "planned"}'
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1


@dataclass
class Recording:
    """A replay server's planned faults and its log of requests."""

    faults: list[Fault] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)


class JsonHandler(BaseHTTPRequestHandler):
    """Answers JSON; `self.server.data` is what the server holds (with a `recording`)."""

    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        return

    def faulted(self, name: str) -> bool:
        """Log the request; answer a due fault for `name` (the path a fault names) if any."""
        recording: Recording = self.server.data.recording
        recording.log.append(self.path)
        for fault in recording.faults:
            if name.startswith(fault.path):
                count = recording.seen.get(fault.path, 0) + 1
                recording.seen[fault.path] = count
                if fault.nth <= count < fault.nth + fault.times:
                    self.send(fault.status, fault.body, fault.headers)
                    return True
        return False

    def json(self, body: Any, headers: dict[str, str] | None = None) -> None:
        self.send(200, json.dumps(body), headers)

    def send(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        encoded = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(encoded)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(encoded)


@contextmanager
def serving(data: Any, handler: type[JsonHandler]) -> Iterator[int]:
    """Serve `data` with `handler` on 127.0.0.1 until the block ends; yields the port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.data = data  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()

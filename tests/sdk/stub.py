"""A tiny HTTP server on loopback that answers what a test scripts, and records requests.

For what a real server cannot be made to do on demand: 503s, then success.
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, object]


@dataclass
class Recorded:
    method: str
    path: str
    body: object


@dataclass
class StubServer:
    """``answers[(method, path)]`` is a list of answers used in turn (the last one repeats),
    or a function of the request body."""

    answers: dict[tuple[str, str], list[Answer] | Callable[[object], Answer]] = field(
        default_factory=dict
    )
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, method: str, path: str, body: object) -> Answer:
        self.requests.append(Recorded(method, path, body))
        scripted = self.answers.get((method, path.split("?")[0].rstrip("/")))
        if scripted is None:
            return 404, {"error": {"code": "not_found", "message": "No such path.", "fields": {}}}
        if callable(scripted):
            return scripted(body)
        return scripted.pop(0) if len(scripted) > 1 else scripted[0]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler_for(stub: StubServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._reply(None)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            self._reply(json.loads(raw) if raw else None)

        def _reply(self, body: object) -> None:
            status, answer = stub.answer(self.command, self.path, body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

    return Handler

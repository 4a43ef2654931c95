"""A local stand-in for Crossref and PubMed's E-utilities, answering from tests/recorded/: the tools' tests never use the network."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from factcheck.editors import fetching

RECORDED = Path(__file__).resolve().parent / "recorded"


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0  # seconds before answering; cut short when the test ends
    headers: dict[str, str] = field(default_factory=dict)


class FakeServices:
    """Crossref under /crossref and the E-utilities under /eutils on 127.0.0.1, answering from tests/recorded/.

    A path with several answers gives them in turn, then repeats the last; any
    other path is a 404 with Crossref's plain-text body.
    """

    def __init__(self) -> None:
        self.answers: dict[str, list[Answer]] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.stop = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append((self.path, self.headers.get("User-Agent", "")))
                queue = fake.answers.get(self.path)
                answer = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else Answer(404, b"Resource not found.")
                if answer.delay and fake.stop.wait(answer.delay):
                    return  # the test is over and the client long gone
                try:
                    self.send_response(answer.status)
                    for name, value in {"Content-Type": "application/json", **answer.headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out first
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = False  # server_close() then waits for every handler
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def args(self) -> list[str]:
        return ["--crossref-url", f"{self.url}/crossref", "--eutils-url", f"{self.url}/eutils"]

    def answer(self, path: str, recorded: str = "", **kwargs: object) -> None:
        if recorded:
            kwargs.setdefault("body", (RECORDED / recorded).read_bytes())
        self.answers.setdefault(path, []).append(Answer(**kwargs))  # type: ignore[arg-type]

    @property
    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the tools at a closed port unless a test says otherwise, and make retries quick."""
    # A test that forgets to point a tool at the fake services gets a refused connection, not the real ones.
    monkeypatch.setenv("FACTCHECK_CROSSREF_URL", "http://127.0.0.1:9/crossref")
    monkeypatch.setenv("FACTCHECK_EUTILS_URL", "http://127.0.0.1:9/eutils")
    monkeypatch.setattr(fetching, "BACKOFF", 0.01)

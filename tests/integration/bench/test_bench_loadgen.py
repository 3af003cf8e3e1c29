"""The load generator is open loop: requests leave on schedule however slow the server is,
and whatever cannot leave on time is counted. Checked for the Go program and the Python
fallback, against a local HTTP server (no Kafka or PostgreSQL needed)."""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from bench import loadgen

GENERATORS = {
    "go": lambda: loadgen.command()[0],
    "python": lambda: [sys.executable, "-m", "bench.pyloadgen"],
}


class _Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as uvicorn
    delay_s = 0.0
    seen: ClassVar[list[dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append(body)
        time.sleep(self.delay_s)
        answer = json.dumps({"id": f"c-{body['n']}"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, type[_Slow]]]:
    handler = type("Handler", (_Slow,), {"seen": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/file", handler
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(params=sorted(GENERATORS))
def generator(request: pytest.FixtureRequest) -> list[str]:
    if request.param == "go" and shutil.which("go") is None:
        pytest.skip("go is not installed here; the Python fallback is tested instead")
    return GENERATORS[request.param]()


def _bodies(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "bodies.jsonl"
    path.write_text("".join(json.dumps({"n": i}) + "\n" for i in range(n)))
    return path


def test_requests_are_due_on_schedule_and_each_answer_is_recorded(
    server: tuple[str, type[_Slow]], generator: list[str], tmp_path: Path
) -> None:
    url, handler = server
    run = loadgen.run(
        generator, url=url, bodies=_bodies(tmp_path, 5), rate=100, duration=1, conns=8, out=tmp_path / "r.tsv"
    )
    assert run.summary["planned"] == 100
    assert [r.status for r in run.records] == [201] * 100
    assert [r.id for r in run.records] == [f"c-{i % 5}" for i in range(100)]  # bodies used round-robin
    gaps = {round((b.due_ns - a.due_ns) / 1e6, 3) for a, b in zip(run.records, run.records[1:], strict=False)}
    assert gaps == {10.0}
    assert len(handler.seen) == 100


def test_a_slow_server_does_not_slow_the_schedule_and_late_sends_are_counted(
    server: tuple[str, type[_Slow]], generator: list[str], tmp_path: Path
) -> None:
    url, handler = server
    handler.delay_s = 0.1  # two connections can serve 20/s; 50/s is offered
    run = loadgen.run(
        generator, url=url, bodies=_bodies(tmp_path, 50), rate=50, duration=1, conns=2, out=tmp_path / "r.tsv"
    )
    due_span_ms = (run.records[-1].due_ns - run.records[0].due_ns) / 1e6
    assert due_span_ms == pytest.approx(980, abs=0.01)  # 50 requests 20 ms apart: the offered load
    late = sum(1 for r in run.records if (r.sent_ns - r.due_ns) / 1e6 > 10)
    assert late > 20  # most waited for a connection...
    assert run.summary["late"] == late  # ...and the generator says so
    assert all(r.status == 201 for r in run.records)
    last = run.records[-1]
    assert (last.done_ns - last.due_ns) / 1e6 > 1000  # latency counts from the schedule, queueing included

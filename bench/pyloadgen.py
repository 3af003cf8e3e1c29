"""The Python fallback of bench/loadgen/main.go (same flags, records and summary).

Used only where Go is missing: Python competes for the same two cores as the system under
test, so the report marks runs made with it. Open loop: request i is due at start + i/rate;
`conns` workers each keep one HTTP/1.1 keep-alive connection.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from urllib.parse import urlsplit

try:
    import uvloop
except ImportError:  # the fallback must run wherever Python does
    uvloop = None


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


class _Worker:
    def __init__(self, host: str, port: int, path: str, timeout: float, drop_after: float) -> None:
        self.host, self.port, self.path, self.timeout, self.drop_after = host, port, path, timeout, drop_after
        self.conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, body: bytes, due: float, rec: list) -> None:
        rec[1] = time.monotonic()
        if rec[1] - due > self.drop_after:
            rec[2], rec[3], rec[5] = rec[1], -1, "dropped: too far behind schedule"
            return
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        try:
            if self.conn is None:
                self.conn = await asyncio.wait_for(
                    asyncio.open_connection(self.host, self.port), self.timeout
                )
            reader, writer = self.conn
            writer.write(head + body)
            status, payload = await asyncio.wait_for(_read_response(reader), self.timeout)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            self._close()
            rec[2], rec[3], rec[5] = time.monotonic(), 0, repr(exc)
            return
        rec[2], rec[3] = time.monotonic(), status
        try:
            rec[4] = str(json.loads(payload).get("id") or "")
        except (ValueError, AttributeError):
            rec[4] = ""

    def _close(self) -> None:
        if self.conn is not None:
            self.conn[1].close()
            self.conn = None


async def _main(a: argparse.Namespace) -> dict[str, object]:
    with open(a.bodies, "rb") as f:
        bodies = [line.strip() for line in f if line.strip()]
    if not bodies:
        raise SystemExit(f"{a.bodies} holds no bodies")
    url = urlsplit(a.url)
    n = int(a.rate * a.duration)
    recs: list[list] = [[0.0, 0.0, 0.0, 0, "", ""] for _ in range(n)]  # due, sent, done, status, id, err
    queue: asyncio.Queue[int | None] = asyncio.Queue()

    async def work() -> None:
        w = _Worker(url.hostname or "127.0.0.1", url.port or 80, url.path or "/", a.timeout, a.drop_after)
        while (i := await queue.get()) is not None:
            await w.post(bodies[i % len(bodies)], recs[i][0], recs[i])
        w._close()

    workers = [asyncio.create_task(work()) for _ in range(a.conns)]
    start = time.monotonic() + 0.02
    for i in range(n):
        due = start + i / a.rate
        if (wait := due - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        recs[i][0] = due
        queue.put_nowait(i)
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.monotonic() - start
    wall = time.time() - time.monotonic()  # monotonic -> wall clock, for joining with DB timestamps
    statuses: dict[str, int] = {}
    late = dropped = 0
    max_lag = 0.0
    with open(a.out, "w") as f:
        for due, sent, done, status, rid, err in recs:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if status == -1:
                dropped += 1
            else:
                lag = (sent - due) * 1000
                late += lag > a.late_ms
                max_lag = max(max_lag, lag)
            ns = [int((t + wall) * 1e9) for t in (due, sent, done)]
            f.write(f"{ns[0]}\t{ns[1]}\t{ns[2]}\t{status}\t{rid}\t{err}\n")
    return {
        "planned": n,
        "sent": n - dropped,
        "late": late,
        "dropped": dropped,
        "max_send_lag_ms": max_lag,
        "statuses": statuses,
        "elapsed_s": elapsed,
        "conns": a.conns,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("-url", required=True)
    p.add_argument("-bodies", required=True)
    p.add_argument("-rate", type=float, default=100)
    p.add_argument("-duration", type=float, default=10)
    p.add_argument("-conns", type=int, default=256)
    p.add_argument("-out", required=True)
    p.add_argument("-timeout", type=float, default=30)
    p.add_argument("-late-ms", dest="late_ms", type=float, default=10)
    p.add_argument("-drop-after", dest="drop_after", type=float, default=5)
    args = p.parse_args()
    # uvloop (a dependency of the services) roughly halves this generator's CPU.
    summary = uvloop.run(_main(args)) if uvloop is not None else asyncio.run(_main(args))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

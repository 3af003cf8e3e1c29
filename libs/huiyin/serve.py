"""Run a service's ASGI app with uvicorn (uvloop + httptools), one or more workers."""

from __future__ import annotations

import uvicorn

from huiyin.observability import multiprocess


def serve(app_factory: str, *, host: str, port: int, workers: int = 1, log_level: str = "warning") -> None:
    multiprocess.prepare(workers)  # /metrics sums the counters of every worker
    # factory=True: every worker builds its own app (engine, Kafka clients) after the fork.
    uvicorn.run(
        app_factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        log_level=log_level,
        access_log=False,
        timeout_graceful_shutdown=20,
        # Longer than a client's idle keep-alive, so the server rarely closes a connection
        # just as a client sends on it (a race no HTTP/1.1 server can close completely).
        timeout_keep_alive=65,
        proxy_headers=False,
    )

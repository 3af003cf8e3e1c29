"""Run a service's ASGI app with uvicorn (uvloop + httptools), one or more workers."""

from __future__ import annotations

import uvicorn


def serve(app_factory: str, *, host: str, port: int, workers: int = 1, log_level: str = "warning") -> None:
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
        proxy_headers=False,
    )

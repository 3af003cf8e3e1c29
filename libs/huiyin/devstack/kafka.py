"""A real single-node Apache Kafka (KRaft) from Maven Central jars, run as a local process."""

from __future__ import annotations

import asyncio
import shutil
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import KW_ONLY, dataclass, field
from importlib import resources
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from huiyin.devstack import procs
from huiyin.devstack.commands import DevstackError, run_checked

KAFKA_VERSION = "4.3.1"
DEFAULT_POM = Path(__file__).resolve().parents[3] / "deploy" / "local" / "kafka-pom.xml"
_BROKER_JAR = f"kafka_2.13-{KAFKA_VERSION}.jar"
_MVN_COPY = ("mvn", "-q", "-B", "dependency:copy-dependencies", "-DincludeScope=runtime")
_HEAP = ("-Xms256m", "-Xmx768m", "-XX:+UseG1GC")


def require_tools(*names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        raise DevstackError(
            f"{', '.join(missing)} not found on PATH: the local Kafka needs a JDK (17+) and "
            "Maven. Install them, or run the stack in containers with deploy/docker-compose.yml."
        )


@dataclass
class LocalKafka:
    data_dir: Path
    _: KW_ONLY
    cache_dir: Path = field(default_factory=lambda: Path.home() / ".cache" / "huiyin")
    port: int = 9092
    controller_port: int = 9093
    host: str = "127.0.0.1"
    pom: Path = DEFAULT_POM
    ready_timeout: float = 60.0

    def __post_init__(self) -> None:
        # Absolute, because the broker runs with data_dir as its cwd and the pid check
        # matches the server.properties path in its command line.
        self.data_dir = self.data_dir.resolve()
        self.cache_dir = self.cache_dir.resolve()

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def lib_dir(self) -> Path:
        return self.cache_dir / f"kafka-{KAFKA_VERSION}" / "lib"

    @property
    def server_log(self) -> Path:
        return self.data_dir / "logs" / "server.log"

    @property
    def _props(self) -> Path:
        return self.data_dir / "server.properties"

    @property
    def _pidfile(self) -> Path:
        return self.data_dir / "kafka.pid"

    @property
    def _console_log(self) -> Path:
        return self.data_dir / "console.log"  # JVM output before log4j is up

    def ensure_jars(self) -> Path:
        # The marker is written last, so an interrupted fetch is redone rather than trusted.
        marker = self.lib_dir.parent / ".fetch-complete"
        if marker.exists() and (self.lib_dir / _BROKER_JAR).exists():
            return self.lib_dir
        require_tools("java", "mvn")
        if not self.pom.is_file():
            raise DevstackError(f"Kafka pom not found at {self.pom}; pass pom=<path>")
        self.lib_dir.mkdir(parents=True, exist_ok=True)
        fetch = [*_MVN_COPY, "-f", str(self.pom), f"-DoutputDirectory={self.lib_dir}"]
        run_checked(fetch, "fetching the Kafka jars with Maven")
        if not (self.lib_dir / _BROKER_JAR).exists():
            raise DevstackError(f"Maven finished but {_BROKER_JAR} is not in {self.lib_dir}")
        marker.write_text(f"kafka {KAFKA_VERSION} jars fetched {time.strftime('%F %T')}\n")
        return self.lib_dir

    def pid(self) -> int | None:
        """The broker started from this data_dir, if it runs."""
        return procs.live_pid(self._pidfile, cmdline_token=str(self._props))

    def start(self) -> int:
        pid = self.pid()
        if pid is not None:
            return pid
        require_tools("java")
        self._write_config()
        java = self._java(self.ensure_jars())
        if not (self.data_dir / "kraft" / "meta.properties").exists():
            self._format(java)
        argv = [java[0], *_HEAP, *java[1:], "kafka.Kafka", str(self._props)]
        pid = procs.spawn(argv, self._console_log, self._pidfile, cwd=self.data_dir)
        try:
            procs.wait_until(lambda: self._answers(pid), self.ready_timeout, "Kafka", 0.5)
        except (TimeoutError, DevstackError) as e:
            procs.stop_pid(pid, timeout=10)
            self._pidfile.unlink(missing_ok=True)
            raise DevstackError(
                f"Kafka did not start: {e}\n--- first errors:\n{_first_errors(self.server_log)}"
                f"\n--- last lines of {self.server_log}:\n{procs.tail(self.server_log, 40)}"
                f"\n--- console:\n{procs.tail(self._console_log, 10)}"
            ) from e
        return pid

    def discard_storage(self) -> None:
        """Forget every topic: the KRaft storage and the broker's logs go, the next start
        formats afresh. Only when the broker is not running (else it is an error)."""
        if self.pid() is not None:
            raise DevstackError(f"Kafka of {self.data_dir} is running; stop it before discarding its storage")
        for sub in ("kraft", "logs"):
            shutil.rmtree(self.data_dir / sub, ignore_errors=True)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM so Kafka's shutdown hook closes the logs cleanly; SIGKILL after `timeout`."""
        pid = self.pid()
        if pid is not None:
            procs.stop_pid(pid, timeout)
        self._pidfile.unlink(missing_ok=True)

    def kill9(self) -> None:
        pid = self.pid()
        if pid is not None:
            procs.kill_pid(pid)
        self._pidfile.unlink(missing_ok=True)

    def restart(self) -> int:
        self.stop()
        return self.start()

    def _java(self, lib: Path) -> list[str]:
        log4j = f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.properties'}"
        return ["java", log4j, f"-Dkafka.logs.dir={self.server_log.parent}", "-cp", f"{lib}/*"]

    def _format(self, java: list[str]) -> None:
        """Format the KRaft metadata log once, as the only voter of a new cluster."""
        tool = [*java, "kafka.tools.StorageTool"]
        cluster_id = run_checked([*tool, "random-uuid"], "generating a cluster id").split()[-1]
        fmt = [*tool, "format", "--standalone", "-t", cluster_id, "-c", str(self._props)]
        run_checked(fmt, "formatting the KRaft storage")

    def _answers(self, pid: int) -> bool:
        if not procs.is_alive(pid):
            raise DevstackError(f"the broker process {pid} exited")
        try:  # A cheap TCP check first keeps aiokafka from logging each refused bootstrap.
            socket.create_connection((self.host, self.port), timeout=1).close()
        except OSError:
            return False
        # In a fresh thread: start() may be called from code already inside an event loop.
        with ThreadPoolExecutor(max_workers=1) as pool:
            try:
                return pool.submit(asyncio.run, _broker_count(self.bootstrap_servers)).result() > 0
            except (KafkaError, OSError, TimeoutError):
                return False

    def _write_config(self) -> None:
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        self._props.write_text(
            _resource("kafka-server.properties").format(
                host=self.host,
                port=self.port,
                cport=self.controller_port,
                log_dirs=self.data_dir / "kraft",
            )
        )
        (self.data_dir / "log4j2.properties").write_text(_resource("kafka-log4j2.properties"))


async def _broker_count(bootstrap: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        await admin.start()
        return len((await admin.describe_cluster())["brokers"])
    finally:
        await admin.close()


def _first_errors(log: Path, limit: int = 3) -> str:
    """ERROR lines with the exception message under each: the cause of a failed start is
    often far above the shutdown noise at the end of the log."""
    lines = procs.tail(log, 3000).splitlines()
    found = []
    for i, line in enumerate(lines):
        if "] ERROR " in line:
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            found.append(line if nxt.startswith(("[", "\t")) else f"{line}\n{nxt}")
    return "\n".join(found[:limit]) or "(none)"


def _resource(name: str) -> str:
    return (resources.files("huiyin.devstack") / name).read_text()

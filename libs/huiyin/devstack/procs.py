"""Detached server processes tracked by pid files; never found or stopped by name."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# Children started by this Python process. Keeping the Popen lets `is_alive` reap them:
# an unreaped child stays a zombie that `kill(pid, 0)` still reports as present.
_children: dict[int, subprocess.Popen[bytes]] = {}


def spawn(
    argv: Sequence[str | os.PathLike[str]],
    log_path: Path,
    pidfile: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> int:
    """Start `argv` in its own session (so a Ctrl-C in our terminal does not reach it),
    stdout and stderr appended to `log_path`; write its pid to `pidfile`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [os.fspath(a) for a in argv],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=dict(env) if env is not None else None,
            cwd=cwd,
        )
    _children[proc.pid] = proc
    pidfile.write_text(f"{proc.pid}\n")
    return proc.pid


def read_pid(pidfile: Path) -> int | None:
    """The first line of `pidfile` as a pid (PostgreSQL's postmaster.pid has the same shape)."""
    try:
        first = pidfile.read_text().splitlines()[0].strip()
    except (FileNotFoundError, IndexError):
        return None
    try:
        return int(first)
    except ValueError as e:
        raise ValueError(f"{pidfile} does not start with a pid: {first!r}") from e


def is_alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        del _children[pid]
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return _proc_state(pid) not in ("Z", "X", None)


def is_reaped(pid: int) -> bool:
    """Gone entirely, not even a zombie waiting for its parent (or PID 1) to reap it."""
    return _proc_state(pid) is None


def _proc_state(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The command name is in parentheses and may itself contain spaces or ')'.
    return stat.rsplit(")", 1)[1].split()[0]


def cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace")


def live_pid(pidfile: Path, cmdline_token: str | None = None) -> int | None:
    """The pid in `pidfile` if that process runs and, after a reboot may have recycled
    pids, its command line still contains `cmdline_token`."""
    pid = read_pid(pidfile)
    if pid is None or not is_alive(pid):
        return None
    if cmdline_token is not None and cmdline_token not in cmdline(pid):
        return None
    return pid


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def stop_pid(pid: int, timeout: float = 30.0) -> None:
    """SIGTERM, wait up to `timeout` s for a clean exit, then SIGKILL."""
    if not is_alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    try:
        wait_until(lambda: not is_alive(pid), timeout, f"pid {pid} to exit after SIGTERM")
    except TimeoutError:
        kill_pid(pid)


def kill_pid(pid: int, timeout: float = 10.0, *, group: bool = False) -> None:
    """SIGKILL `pid`; with `group`, also every process in the group it leads (its children),
    as a crash of the whole server would."""
    try:
        if group and os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    wait_until(lambda: not is_alive(pid), timeout, f"pid {pid} to die after SIGKILL")


def tail(path: Path, n: int = 40) -> str:
    """The last `n` lines of a possibly large log, without reading all of it."""
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            pos, data = f.tell(), b""
            while pos > 0 and data.count(b"\n") <= n:
                step = min(pos, 64 * 1024)
                pos -= step
                f.seek(pos)
                data = f.read(step) + data
    except FileNotFoundError:
        return f"(no log at {path})"
    return "\n".join(data.decode(errors="replace").splitlines()[-n:])

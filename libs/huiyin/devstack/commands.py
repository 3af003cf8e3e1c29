"""Run a tool to completion and fail loudly with its output."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path


class DevstackError(RuntimeError):
    """A local server could not be prepared, started or stopped."""


def run_checked(
    argv: Sequence[str | os.PathLike[str]],
    what: str,
    *,
    cwd: Path | None = None,
    uid: int | None = None,
    gid: int | None = None,
) -> str:
    """Run to completion (as `uid`/`gid` when given, with root's supplementary groups
    dropped) and return stdout; raise with the output's tail if it fails."""
    done = subprocess.run(
        [os.fspath(a) for a in argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        user=uid,
        group=gid,
        extra_groups=None if uid is None else [],
    )
    if done.returncode != 0:
        out = (done.stdout + done.stderr).strip().splitlines()[-40:]
        raise DevstackError(f"{what} failed (exit {done.returncode}):\n" + "\n".join(out))
    return done.stdout

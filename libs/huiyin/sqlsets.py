"""Set-based SQL helpers: many rows in one statement, sent as one JSON array.

A batch's rows travel as one JSON document (orjson, in C) that PostgreSQL expands into
typed columns with `json_to_recordset`: one statement text per table (prepared once by
asyncpg and reused) whatever the number of rows, and no per-row bind parameters for
SQLAlchemy to compile. Before, each column went as an array through `unnest`; asyncpg
checks every array element with Python-level `isinstance` calls, which cost 4-5 us of
client CPU per 7-column row against 1 us as JSON, for no less database time
(docs/benchmarks.md, session 9). `bytea` travels as base64, `jsonb` is embedded as it is.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import orjson

Column = tuple[str, str]  # (name, PostgreSQL type)

_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS | orjson.OPT_NAIVE_UTC


def recordset_select(columns: Sequence[Column]) -> str:
    """`SELECT <cols> FROM json_to_recordset(CAST(:rows AS json)) AS v(<col type>, ...)`."""
    declared = ", ".join(f"{name} {_wire(pgtype)}" for name, pgtype in columns)
    picks = ", ".join(
        f"decode(v.{name}, 'base64')" if pgtype == "bytea" else f"v.{name}" for name, pgtype in columns
    )
    return f"SELECT {picks} FROM json_to_recordset(CAST(:rows AS json)) AS v({declared})"  # noqa: S608 - names are our constants


def recordset_insert(table: str, columns: Sequence[Column], *, suffix: str = "") -> str:
    names = ", ".join(name for name, _ in columns)
    return f"INSERT INTO {table} ({names}) {recordset_select(columns)} {suffix}".strip()


def recordset_params(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Rows (dicts holding at least the columns) -> the one parameter `recordset_select` binds.
    A jsonb value that is a `str` is taken as JSON text already; anything else is serialized."""
    names = [name for name, _ in columns]
    out = [{name: row[name] for name in names} for row in rows]
    for name, pgtype in columns:
        convert = _CONVERT.get(pgtype)
        if convert is not None:
            for row in out:
                if (value := row[name]) is not None:
                    row[name] = convert(value)
    return {"rows": orjson.dumps(out, default=_default, option=_OPTIONS).decode()}


def _default(value: Any) -> Any:
    """What orjson does not know as such: asyncpg's own UUID type (read back from a query)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__} in a row set")


def _json_value(value: Any) -> Any:
    return orjson.Fragment(value) if isinstance(value, str) else value


def _base64(value: bytes) -> str:
    return base64.b64encode(value).decode()


_CONVERT: dict[str, Callable[[Any], Any]] = {"jsonb": _json_value, "bytea": _base64}


def _wire(pgtype: str) -> str:
    return "text" if pgtype == "bytea" else pgtype

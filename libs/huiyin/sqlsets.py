"""Set-based SQL helpers: many rows in one statement through `unnest` of column arrays.

One statement text per table (prepared once by asyncpg and reused), whatever the number
of rows, and no per-row bind parameters for SQLAlchemy to compile.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huiyin import jsonutil

Column = tuple[str, str]  # (name, PostgreSQL type)


def unnest_select(columns: Sequence[Column]) -> str:
    """`SELECT <cols> FROM unnest(CAST(:c AS t[]), ...) AS v(<cols>)`; jsonb travels as text."""
    arrays = ", ".join(f"CAST(:{name} AS {_wire(pgtype)}[])" for name, pgtype in columns)
    picks = ", ".join(
        f"CAST(v.{name} AS jsonb)" if pgtype == "jsonb" else f"v.{name}" for name, pgtype in columns
    )
    names = ", ".join(name for name, _ in columns)
    return f"SELECT {picks} FROM unnest({arrays}) AS v({names})"  # noqa: S608 - names are our constants


def unnest_insert(table: str, columns: Sequence[Column], *, suffix: str = "") -> str:
    names = ", ".join(name for name, _ in columns)
    return f"INSERT INTO {table} ({names}) {unnest_select(columns)} {suffix}".strip()


def column_params(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows (dicts) -> one list per column, the shape `unnest_insert` binds. A jsonb column
    travels as text: a `str` is taken as JSON text already, anything else is serialized here."""
    return {
        name: [_json_text(row[name]) for row in rows] if pgtype == "jsonb" else [row[name] for row in rows]
        for name, pgtype in columns
    }


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return jsonutil.dumps_str(value)


def _wire(pgtype: str) -> str:
    return "text" if pgtype == "jsonb" else pgtype

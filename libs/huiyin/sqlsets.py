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
    """`SELECT <cols> FROM unnest(CAST(:c AS t[]), ...) AS v(<cols>)`; jsonb and text[] travel
    as JSON text (a text[] per row cannot be one element of an array: rows differ in length)."""
    arrays = ", ".join(f"CAST(:{name} AS {_wire(pgtype)}[])" for name, pgtype in columns)
    picks = ", ".join(_pick(name, pgtype) for name, pgtype in columns)
    names = ", ".join(name for name, _ in columns)
    return f"SELECT {picks} FROM unnest({arrays}) AS v({names})"  # noqa: S608 - names are our constants


def unnest_insert(table: str, columns: Sequence[Column], *, suffix: str = "") -> str:
    names = ", ".join(name for name, _ in columns)
    return f"INSERT INTO {table} ({names}) {unnest_select(columns)} {suffix}".strip()


def column_params(columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows (dicts) -> one list per column, the shape `unnest_insert` binds. A jsonb or text[]
    column travels as JSON text: a `str` is taken as JSON text already, anything else is
    serialized here."""
    return {
        name: [_json_text(row[name]) for row in rows] if pgtype in _AS_JSON else [row[name] for row in rows]
        for name, pgtype in columns
    }


def _json_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return jsonutil.dumps_str(value)


_AS_JSON = ("jsonb", "text[]")


def _pick(name: str, pgtype: str) -> str:
    if pgtype == "jsonb":
        return f"CAST(v.{name} AS jsonb)"
    if pgtype == "text[]":
        return (
            f"CASE WHEN v.{name} IS NULL THEN NULL"
            f" ELSE ARRAY(SELECT jsonb_array_elements_text(CAST(v.{name} AS jsonb))) END"
        )
    return f"v.{name}"


def _wire(pgtype: str) -> str:
    return "text" if pgtype in _AS_JSON else pgtype

"""The open-data files of a published version: flat records (fields = the dictionary's),
as CSV (UTF-8 with BOM, formula-safe cells, via the supervision exports) or JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedback.adapters import exports
from feedback.public.domain.dictionary import FIELD_NAMES, flat_record

DICTIONARY_URL = "/api/v1/public/data-dictionary"


def records(published: dict[str, Any]) -> list[dict[str, Any]]:
    figures, month, version = published["figures"], published["month"], published["version"]
    return [flat_record(month, version, "station", row) for row in figures["stations"]] + [
        flat_record(month, version, "district", row) for row in figures["districts"]
    ]


def _cell(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda record: "" if record[name] is None else record[name]


def as_csv(published: dict[str, Any]) -> bytes:
    columns: list[exports.Column] = [(name, _cell(name)) for name in FIELD_NAMES]
    return exports.to_csv(exports.table(records(published), columns))


def as_json(published: dict[str, Any]) -> dict[str, Any]:
    meta = {k: published[k] for k in ("month", "version", "sha256", "published_at", "reason", "kind")}
    return {**meta, "min_count": published["figures"]["min_count"], "dictionary": DICTIONARY_URL,
            "records": records(published)}  # fmt: skip

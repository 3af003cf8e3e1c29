"""The row-set helpers: one statement text per table, one JSON parameter per batch."""

from __future__ import annotations

import orjson
import pytest

from huiyin.sqlsets import recordset_insert, recordset_params

COLUMNS = [("id", "int4"), ("doc", "jsonb"), ("raw", "bytea")]


def test_the_statement_declares_each_column_and_decodes_bytea() -> None:
    sql = recordset_insert("t", COLUMNS, suffix="ON CONFLICT DO NOTHING")
    assert sql == (
        "INSERT INTO t (id, doc, raw) SELECT v.id, v.doc, decode(v.raw, 'base64')"
        " FROM json_to_recordset(CAST(:rows AS json)) AS v(id int4, doc jsonb, raw text) ON CONFLICT DO NOTHING"
    )


def test_rows_keep_only_their_columns_and_json_text_is_embedded_not_quoted() -> None:
    params = recordset_params(COLUMNS, [{"id": 1, "doc": '{"a":1}', "raw": b"\x01", "other": 5}])
    assert orjson.loads(params["rows"]) == [{"id": 1, "doc": {"a": 1}, "raw": "AQ=="}]


def test_a_row_missing_a_column_is_an_error_not_a_null() -> None:
    with pytest.raises(KeyError):
        recordset_params(COLUMNS, [{"id": 1, "doc": None}])


def test_a_value_json_cannot_carry_is_refused() -> None:
    with pytest.raises(TypeError):
        recordset_params([("id", "int4")], [{"id": object()}])

"""huiyin.sqlsets: one unnest statement per table; jsonb and text[] columns travel as JSON text."""

from __future__ import annotations

from huiyin.sqlsets import column_params, unnest_insert

COLUMNS = [("id", "uuid"), ("doc", "jsonb"), ("tags", "text[]"), ("n", "int4")]


def test_the_statement_casts_each_column_array_and_rebuilds_jsonb_and_text_arrays() -> None:
    sql = unnest_insert("t", COLUMNS, suffix="ON CONFLICT DO NOTHING")
    assert sql == (
        "INSERT INTO t (id, doc, tags, n) SELECT v.id, CAST(v.doc AS jsonb), CASE WHEN v.tags IS NULL THEN NULL"
        " ELSE ARRAY(SELECT jsonb_array_elements_text(CAST(v.tags AS jsonb))) END, v.n"
        " FROM unnest(CAST(:id AS uuid[]), CAST(:doc AS text[]), CAST(:tags AS text[]), CAST(:n AS int4[]))"
        " AS v(id, doc, tags, n) ON CONFLICT DO NOTHING"
    )


def test_rows_become_one_list_per_column_with_json_text_where_needed() -> None:
    rows = [
        {"id": 1, "doc": {"a": 1}, "tags": ("烧烤", "油烟"), "n": 2},
        {"id": 2, "doc": '{"b":2}', "tags": [], "n": None},
        {"id": 3, "doc": None, "tags": None, "n": 4},
    ]
    assert column_params(COLUMNS, rows) == {
        "id": [1, 2, 3],
        "doc": ['{"a":1}', '{"b":2}', None],
        "tags": ['["烧烤","油烟"]', "[]", None],
        "n": [2, None, 4],
    }

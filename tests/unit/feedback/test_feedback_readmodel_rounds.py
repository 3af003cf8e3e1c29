"""The read model's batch upserts: rows that share a conflict key go in successive rounds,
since one INSERT ... ON CONFLICT DO UPDATE may not touch a row twice."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import orjson

from feedback.adapters import readmodel_sql


def test_distinct_keys_go_in_one_round_in_their_order() -> None:
    rows = [{"unit_id": f"u{i}", "seen_at": i} for i in range(5)]
    assert readmodel_sql.UNIT.rounds(rows) == [rows]


def test_the_nth_row_of_a_key_goes_in_round_n() -> None:
    a, b = uuid4(), uuid4()
    rows = [
        {"assignment_id": a, "cycle": 1, "kind": "ack", "n": 1},
        {"assignment_id": a, "cycle": 1, "kind": "resolve", "n": 2},
        {"assignment_id": a, "cycle": 1, "kind": "ack", "n": 3},
        {"assignment_id": b, "cycle": 1, "kind": "ack", "n": 4},
        {"assignment_id": a, "cycle": 1, "kind": "ack", "n": 5},
        {"assignment_id": a, "cycle": 2, "kind": "ack", "n": 6},
    ]
    rounds = readmodel_sql.OBLIGATION.rounds(rows)
    assert [[r["n"] for r in batch] for batch in rounds] == [[1, 2, 4, 6], [3], [5]]
    for batch in rounds:
        keys = [(r["assignment_id"], r["cycle"], r["kind"]) for r in batch]
        assert len(keys) == len(set(keys))


def test_no_rows_no_round() -> None:
    assert readmodel_sql.VERDICT.rounds([]) == []


def test_rows_are_encoded_with_offset_times_and_uuid_text() -> None:
    # The shape json_populate_recordset reads (ISO-8601 times with their offset, UUIDs as
    # text); that the server reads it back is shown on PostgreSQL in the integration tier
    # (test_feedback_readmodel_batches).
    cid, at = uuid4(), datetime(2026, 11, 24, 6, 30, 1, 123456, tzinfo=UTC)
    encoded = orjson.loads(orjson.dumps([{"complaint_id": cid, "submitted_at": at, "withdrawn_at": None}]))
    assert encoded == [
        {"complaint_id": str(cid), "submitted_at": "2026-11-24T06:30:01.123456+00:00", "withdrawn_at": None}
    ]


def test_a_units_rows_that_cannot_win_its_merge_are_not_sent() -> None:
    # The unit upsert keeps the row with the greatest (seen_at, name, kind, district): of a
    # station named by every assignment of a batch, only its latest rows can change it.
    def unit(uid: str, seen: int | None, name: str = "东门派出所") -> dict[str, object]:
        return {"unit_id": uid, "name": name, "kind": "station", "district_id": "d1", "seen_at": seen}

    rows = [unit("s1", 1), unit("s2", 5), unit("s1", 3), unit("s1", 3), unit("s1", 2), unit("s2", 5, "新名")]
    rounds = readmodel_sql.UNIT.rounds(rows)
    # s1: only its latest (3), once; s2: both rows of its latest time (their names decide in SQL)
    assert rounds == [[unit("s2", 5), unit("s1", 3)], [unit("s2", 5, "新名")]]
    # A row without a time is never dropped (SQL decides: a NULL comparison updates nothing).
    assert readmodel_sql.UNIT.rounds([unit("s3", None), unit("s3", 4)]) == [
        [unit("s3", None)],
        [unit("s3", 4)],
    ]
    # Other upserts send every row.
    assert readmodel_sql.COMPLAINT.newest is None

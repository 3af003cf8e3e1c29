"""Export rendering and timeline entries, without I/O."""

from __future__ import annotations

import csv
import io
import json

from feedback.adapters.exports import METRICS_COLUMNS, NO_DATA, table, to_csv
from feedback.domain.timeline import timeline
from feedback.handlers.metrics import figures


def test_csv_has_bilingual_headers_no_data_and_no_formulas() -> None:
    counts = dict.fromkeys(("ack_counted", "ack_met"), 0)
    row = {
        "unit": {
            "unit_id": "u1",
            "name": '=HYPERLINK("x")',
            "kind": "station",
            "district_id": "d",
            "district_name": None,
        },
        **figures(counts, None),
    }
    cells = list(csv.reader(io.StringIO(to_csv(table([row], METRICS_COLUMNS)).decode("utf-8-sig"))))
    header, values = cells
    assert header[0] == "单位编号 Unit ID" and "按期办结率 On-time resolution rate (%)" in header
    assert values[1].startswith("'=")  # a name is never run as a formula
    assert values[header.index("响应率 Response rate (%)")] == NO_DATA
    assert values[header.index("受理 Received")] == "0"


def test_timeline_is_in_the_order_things_happened() -> None:
    def record(seq: int, event_type: str, time: str, data: dict[str, object]) -> dict[str, object]:
        wire = {"time": time, "source": "/huiyin/x", "data": data}
        return {"seq": seq, "event_id": f"e{seq}", "type": event_type, "content": json.dumps(wire)}

    entries = timeline(
        [
            record(1, "huiyin.feedback.requested.v1", "2026-03-02T00:00:00Z", {"requested_at": "2026-03-02T04:00:00Z", "closes_at": "x"}),
            record(2, "huiyin.complaint.routed.v1", "2026-03-02T01:00:00Z", {"routed_at": "2026-03-02T01:00:00Z", "explanation": "辖区", "ack_due": "y", "by": None}),
            record(3, "huiyin.complaint.acknowledged.v1", "2026-03-02T01:30:00Z", {"at": "2026-03-02T01:30:00Z", "by": "officer-7", "due": "z", "met": True}),
        ]
    )  # fmt: skip
    assert [e["seq"] for e in entries] == [2, 3, 1]
    assert entries[0]["explanation"] == "辖区" and entries[0]["what"] == "派单 routed"
    assert entries[1]["actor"] == "officer-7" and entries[1]["deadline"] == {"due": "z", "met": True}

"""A complaint's timeline entry, read from an audit record: who did what, when, under
which deadline, why it was routed where it was, and the citizen's verdict."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

# What each event means on the timeline (bilingual, as supervision reads it).
WHAT = {
    "huiyin.complaint.submitted.v1": "受理 submitted",
    "huiyin.complaint.withdrawn.v1": "撤回 withdrawn by the citizen",
    "huiyin.complaint.withdrawn.v2": "撤回 withdrawn by the citizen",
    "huiyin.complaint.information_added.v1": "补充材料 citizen added information",
    "huiyin.complaint.contact_unmasked.v1": "查看联系方式 contact data read in clear (with a reason)",
    "huiyin.complaint.routed.v1": "派单 routed",
    "huiyin.complaint.reopened.v1": "重办 reopened",
    "huiyin.complaint.unroutable.v1": "无法派单 unroutable, to manual triage",
    "huiyin.complaint.acknowledged.v1": "签收 acknowledged",
    "huiyin.complaint.resolved.v1": "办结 resolved",
    "huiyin.complaint.officer_assigned.v1": "指派民警 officer assigned",
    "huiyin.complaint.noted.v1": "进展 progress noted",
    "huiyin.complaint.information_requested.v1": "要求补充 information requested",
    "huiyin.complaint.resumed.v1": "恢复计时 clock resumed",
    "huiyin.complaint.returned.v1": "退单 returned",
    "huiyin.complaint.transferred.v1": "转办 transferred",
    "huiyin.complaint.closed.v1": "结案 closed",
    "huiyin.sla.warning.v1": "预警 deadline warning",
    "huiyin.sla.breached.v1": "超时 deadline missed",
    "huiyin.complaint.escalated.v1": "升级督办 escalated",
    "huiyin.sla.deadlines_recomputed.v1": "时限重算 deadlines recomputed",
    "huiyin.feedback.requested.v1": "邀请评价 feedback requested",
    "huiyin.feedback.verdict_given.v1": "群众评价 verdict given",
    "huiyin.feedback.expired.v1": "未评价 no feedback within the window",
    "huiyin.hotspot.detected.v1": "发现热点 joined a hot spot (detected)",
    "huiyin.hotspot.complaint_linked.v1": "并入热点 joined a hot spot",
    "huiyin.hotspot.adopted.v1": "热点督办 hot spot adopted, handled as a whole",
    "huiyin.hotspot.progress_noted.v1": "热点进展 hot spot progress noted",
    "huiyin.hotspot.overdue.v1": "热点超期 hot spot deadline missed",
    "huiyin.hotspot.solved.v1": "热点解决 hot spot solved",
}


def _deadline(data: dict[str, Any]) -> dict[str, Any] | None:
    keys = [k for k in ("due", "ack_due", "resolve_due", "closes_at", "deadline") if k in data]
    if not keys:
        return None
    out: dict[str, Any] = {k: data[k] for k in keys}
    for flag in ("met", "on_time"):
        if flag in data:
            out[flag] = data[flag]
    if "kind" in data:
        out["kind"] = data["kind"]
    return out


WHEN_FIELDS = (
    "at", "submitted_at", "routed_at", "reopened_at", "requested_at", "withdrawn_at", "added_at",
    "detected_at", "linked_at", "adopted_at",
)  # fmt: skip


def when(data: dict[str, Any], envelope_time: str) -> str:
    """When it happened: the time the event's payload names, else the envelope's time."""
    for key in WHEN_FIELDS:
        if data.get(key):
            return str(data[key])
    return envelope_time


def timeline(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries in the order things happened (ties in the order they were recorded)."""
    entries = [entry(r) for r in records]
    return sorted(entries, key=lambda e: (_instant(e["when"]), e["seq"]))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def entry(record: dict[str, Any]) -> dict[str, Any]:
    wire = json.loads(record["content"])
    data: dict[str, Any] = wire.get("data", {})
    verdict = None
    if record["type"] == "huiyin.feedback.verdict_given.v1":
        verdict = {
            k: data.get(k)
            for k in ("resolved", "satisfaction", "comment", "reopen_requested", "review_flagged")
        }
    return {
        "seq": record["seq"],
        "event_id": record["event_id"],
        "when": when(data, wire.get("time", "")),
        "recorded_time": wire.get("time"),
        "type": record["type"],
        "what": WHAT.get(record["type"], record["type"]),
        "source": wire.get("source"),
        "actor": data.get("by") or data.get("forced_by") or data.get("adopted_by") or wire.get("source"),
        "unit_id": data.get("unit_id") or data.get("owner_unit_id"),
        "deadline": _deadline(data),
        "explanation": data.get("explanation"),
        "verdict": verdict,
        "data": data,
    }

"""The rates of docs/metrics.md, computed from counters. A rate with no denominator is
"no data" (value None and a reason), never 0% or 100%."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rate:
    value: float | None
    numerator: int
    denominator: int
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
        }
        if self.reason is not None:
            out["reason"] = self.reason
        return out


# name -> (numerator counters, denominator counter, why there is no data)
RATES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "response_rate": (("ack_met",), "ack_counted", "no acknowledgement deadline counted in the period"),
    "on_time_resolution_rate": (
        ("resolve_met",),
        "resolve_counted",
        "no resolution deadline counted in the period",
    ),
    "resolution_rate": (("verdicts_resolved",), "verdicts", "no citizen verdict in the period"),
    "satisfaction_rate": (
        ("satisfied", "basically_satisfied"),
        "verdicts",
        "no citizen verdict in the period",
    ),
    "strict_satisfaction_rate": (("satisfied",), "verdicts", "no citizen verdict in the period"),
    "return_rate": (("returns",), "assignments", "no assignment started in the period"),
    "reopen_rate": (("reopened",), "resolved", "no resolution in the period"),
    # Adopted hot spots of the owner unit: deadlines met ÷ counted, like any deadline.
    "hotspot_on_time_rate": (
        ("hotspot_met",),
        "hotspot_counted",
        "no hot-spot deadline counted in the period",
    ),
}


def rate(numerator: int, denominator: int, reason: str) -> Rate:
    if denominator <= 0:
        return Rate(None, numerator, denominator, reason)
    return Rate(numerator / denominator, numerator, denominator)


def rates(counts: Mapping[str, int]) -> dict[str, Rate]:
    out = {}
    for name, (numerators, denominator, reason) in RATES.items():
        out[name] = rate(sum(counts.get(n, 0) for n in numerators), counts.get(denominator, 0), reason)
    return out


def with_breaches(counts: Mapping[str, int]) -> dict[str, int]:
    """The counters plus the breaches they imply (deadlines counted but not met)."""
    out = dict(counts)
    out["ack_breaches"] = counts.get("ack_counted", 0) - counts.get("ack_met", 0)
    out["resolve_breaches"] = counts.get("resolve_counted", 0) - counts.get("resolve_met", 0)
    out["hotspot_missed"] = counts.get("hotspot_counted", 0) - counts.get("hotspot_met", 0)
    return out

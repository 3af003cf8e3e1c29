"""Complaint categories (codes shared with intake) and the ones a dedicated unit handles."""

from __future__ import annotations

from routing.domain.units import UnitKind

# code -> (Chinese name, English name). Intake uses the same codes.
CATEGORIES: dict[str, tuple[str, str]] = {
    "traffic": ("交通", "Traffic"),
    "public_order": ("治安", "Public order"),
    "police_conduct": ("民警作风", "Police conduct"),
    "household_registration": ("户籍", "Household registration"),
    "noise": ("噪音扰民", "Noise"),
    "fraud": ("诈骗", "Fraud"),
    "theft": ("盗窃", "Theft"),
    "neighbourhood_dispute": ("邻里纠纷", "Neighbourhood dispute"),
    "service_attitude": ("服务态度", "Service attitude"),
    "other": ("其他", "Other"),
}

# A category with a dedicated kind of unit goes to that kind of unit whose area holds the
# point, before any station is considered.
DEDICATED_KIND: dict[str, UnitKind] = {"traffic": UnitKind.TRAFFIC_BRIGADE}


def label(code: str) -> str:
    zh, en = CATEGORIES.get(code, (code, code))
    return f"{zh} ({en})"

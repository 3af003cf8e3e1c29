"""The complaint categories the API publishes. Routing uses the same codes (keep them identical)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    zh: str
    en: str


CATEGORIES: tuple[Category, ...] = (
    Category("traffic", "交通管理", "Traffic"),
    Category("public_order", "治安秩序", "Public order"),
    Category("police_conduct", "民警执法作风", "Police conduct"),
    Category("household_registration", "户籍办理", "Household registration"),
    Category("noise", "噪音扰民", "Noise"),
    Category("fraud", "诈骗", "Fraud"),
    Category("theft", "盗窃", "Theft"),
    Category("neighbourhood_dispute", "邻里纠纷", "Neighbourhood dispute"),
    Category("service_attitude", "服务态度", "Service attitude"),
    Category("other", "其他", "Other"),
)

BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
CODES: tuple[str, ...] = tuple(BY_CODE)


def is_known(code: str) -> bool:
    return code in BY_CODE

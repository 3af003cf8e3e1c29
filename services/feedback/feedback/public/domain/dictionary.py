"""The open data's data dictionary (every field: its definition and unit, in Chinese and
English) and the flat records of the CSV and JSON files, whose fields are exactly these."""

from __future__ import annotations

from typing import Any

from feedback.public.domain.suppression import PUBLIC_RATES

STATUS = "published | too_few | no_data | withheld"
RATE_TEXT = {
    "response_rate": ("响应率：按时签收的签收时限数 ÷ 本月计入的签收时限数",
                      "response rate: acknowledgement deadlines met ÷ acknowledgement deadlines counted in the month"),
    "on_time_resolution_rate": ("按期办结率：按时办结的办结时限数 ÷ 本月计入的办结时限数",
                                "on-time resolution rate: resolution deadlines met ÷ resolution deadlines counted in the month"),
    "resolution_rate": ("解决率：评价为“已解决”的评价数 ÷ 本月收到的评价数",
                        "resolution rate: verdicts saying 'resolved' ÷ verdicts received in the month"),
    "satisfaction_rate": ("满意率：（满意 + 基本满意）÷ 本月收到的评价数",
                          "satisfaction rate: (satisfied + basically satisfied) ÷ verdicts received in the month"),
    "strict_satisfaction_rate": ("非常满意率：满意 ÷ 本月收到的评价数",
                                 "strict satisfaction share: satisfied only ÷ verdicts received in the month"),
}  # fmt: skip

# (field, zh definition, en definition, unit)
FIELDS: list[tuple[str, str, str, str]] = [
    ("month", "统计月份（北京时间自然月）", "the month (calendar month, Asia/Shanghai)", "YYYY-MM"),
    ("version", "发布版本：1 为月结自动发布，2 起为更正", "published version: 1 automatic at month close, 2+ corrections", "integer"),
    ("level", "层级：station 单位 / district 分局", "level: station (a unit) or district", "text"),
    ("unit_id", "单位或分局编号", "the unit's (or district's) id", "text"),
    ("unit_name", "单位或分局名称", "the unit's (or district's) name", "text"),
    ("unit_kind", "单位类型（分局行为 district）", "the unit's kind (district rows: district)", "text"),
    ("district_id", "所属分局编号", "the district the unit belongs to", "text"),
    ("district_name", "所属分局名称", "the district's name", "text"),
    ("received", "受理数：最终派给该单位（未被退回）的投诉数，计入派单所在月份",
     "received: complaints whose final assignment went to the unit, in the month of that assignment", "complaints"),
    ("received_status", f"受理数的发布状态（{STATUS}）", f"publication status of received ({STATUS})", "text"),
]  # fmt: skip
for _name, (_zh, _en) in RATE_TEXT.items():
    FIELDS += [
        (_name, _zh + "；无数值时见状态列", _en + "; empty unless published", "ratio 0-1 (4 decimals)"),
        (
            f"{_name}_status",
            f"该比率的发布状态（{STATUS}）",
            f"publication status of {_name} ({STATUS})",
            "text",
        ),
        (
            f"{_name}_base",
            "该比率的分母（仅在发布时给出）",
            f"the denominator of {_name} (only when published)",
            "count",
        ),
    ]
FIELDS += [
    ("score", "综合得分：响应率、解决率、满意率的加权平均（仅当各项均已发布）",
     "composite score: weighted mean of response, resolution and satisfaction rates (only when all are published)",
     "points 0-100"),
    ("rank", "综合排名（同分同名次）；缺少已发布分项的单位不参与排名",
     "rank by composite score (ties share a rank); units missing a published component are not ranked", "integer"),
    ("unranked_because", "未排名原因：缺少（未发布或无数据）的分项，分号分隔",
     "why not ranked: the components not published or without data, separated by ';'", "text"),
]  # fmt: skip
FIELD_NAMES = [f[0] for f in FIELDS]

STATUSES = {
    "published": ("已发布", "published: the number is given"),
    "too_few": ("样本过少，不予公布", "too few to publish: fewer than the minimum of items"),
    "no_data": ("无数据", "no data: nothing to count in the month (never 0% or 100%)"),
    "withheld": (
        "不予公布（防止推算）",
        "withheld: publishing it would reveal a suppressed station's figure",
    ),
}


def dictionary(min_count: int) -> dict[str, Any]:
    return {
        "fields": [
            {"name": n, "definition_zh": zh, "definition_en": en, "unit": u} for n, zh, en, u in FIELDS
        ],
        "statuses": [{"status": k, "zh": zh, "en": en} for k, (zh, en) in STATUSES.items()],
        "min_count": min_count,
    }


def flat_record(month: str, version: int, level: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "month": month,
        "version": version,
        "level": level,
        **{k: row[k] for k in ("unit_id", "unit_name", "unit_kind", "district_id", "district_name")},
        "received": row["received"].get("value"),
        "received_status": row["received"]["status"],
    }
    for name in PUBLIC_RATES:
        figure = row["rates"][name]
        out |= {
            name: figure.get("value"),
            f"{name}_status": figure["status"],
            f"{name}_base": figure.get("base"),
        }
    out |= {"score": row["score"], "rank": row["rank"], "unranked_because": ";".join(row["unranked_because"])}
    return out

"""CSV and XLSX renderings of the metrics and rankings, with bilingual headers.

A rate with no data is written as "无数据 no data", never as 0. Text cells that a
spreadsheet would run as a formula are prefixed with an apostrophe (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from openpyxl import Workbook

NO_DATA = "无数据 no data"
Column = tuple[str, Callable[[dict[str, Any]], Any]]


def _rate(name: str) -> Callable[[dict[str, Any]], Any]:
    def get(row: dict[str, Any]) -> Any:
        value = row["rates"][name]["value"]
        return NO_DATA if value is None else round(100 * value, 2)

    return get


def _time(name: str, stat: str) -> Callable[[dict[str, Any]], Any]:
    def get(row: dict[str, Any]) -> Any:
        value = row["times"][name][stat]
        return NO_DATA if value is None else round(value, 1)

    return get


def _count(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row["counts"][name]


UNIT_COLUMNS: list[Column] = [
    ("单位编号 Unit ID", lambda r: r["unit"]["unit_id"]),
    ("单位 Unit", lambda r: r["unit"]["name"]),
    ("类型 Kind", lambda r: r["unit"]["kind"]),
    ("辖区 District", lambda r: r["unit"]["district_name"] or r["unit"]["district_id"] or ""),
]
FIGURE_COLUMNS: list[Column] = [
    ("受理 Received", _count("received")),
    ("派单 Assignments", _count("assignments")),
    ("退单 Returns", _count("returns")),
    ("签收 Acknowledged", _count("acknowledged")),
    ("办结 Resolved", _count("resolved")),
    ("重办 Reopened", _count("reopened")),
    ("签收超时 Ack breaches", _count("ack_breaches")),
    ("办结超时 Resolve breaches", _count("resolve_breaches")),
    ("升级督办 Escalations", _count("escalations")),
    ("评价数 Verdicts", _count("verdicts")),
    ("未评价 No feedback", _count("no_feedback")),
    ("响应率 Response rate (%)", _rate("response_rate")),
    ("按期办结率 On-time resolution rate (%)", _rate("on_time_resolution_rate")),
    ("解决率 Resolution rate (%)", _rate("resolution_rate")),
    ("满意率 Satisfaction rate (%)", _rate("satisfaction_rate")),
    ("非常满意率 Strictly satisfied (%)", _rate("strict_satisfaction_rate")),
    ("退单率 Return rate (%)", _rate("return_rate")),
    ("重办率 Reopen rate (%)", _rate("reopen_rate")),
    ("热点督办 Hot spots adopted", _count("hotspots_adopted")),
    ("热点超期 Hot-spot deadlines missed", _count("hotspot_missed")),
    ("热点按期解决率 Hot-spot on-time rate (%)", _rate("hotspot_on_time_rate")),
]
TIME_COLUMNS: list[Column] = [
    ("签收用时中位数 Median time to acknowledge (s)", _time("time_to_acknowledge_wall_s", "median")),
    ("签收用时P90 P90 time to acknowledge (s)", _time("time_to_acknowledge_wall_s", "p90")),
    (
        "签收工作时长中位数 Median working time to acknowledge (s)",
        _time("time_to_acknowledge_working_s", "median"),
    ),
    ("办结用时中位数 Median time to resolve (s)", _time("time_to_resolve_wall_s", "median")),
    ("办结用时P90 P90 time to resolve (s)", _time("time_to_resolve_wall_s", "p90")),
    ("办结工作时长中位数 Median working time to resolve (s)", _time("time_to_resolve_working_s", "median")),
]
METRICS_COLUMNS = UNIT_COLUMNS + FIGURE_COLUMNS + TIME_COLUMNS
RANKING_COLUMNS: list[Column] = [
    ("排名 Rank", lambda r: r["rank"] if r["rank"] is not None else "未排名 unranked"),
    ("综合得分 Score", lambda r: r["score"] if r["score"] is not None else NO_DATA),
    *UNIT_COLUMNS,
    *FIGURE_COLUMNS,
    ("缺项 Missing components", lambda r: ", ".join(r["missing"])),
]


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def table(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> list[list[Any]]:
    return [[name for name, _ in columns]] + [[_safe(get(row)) for _, get in columns] for row in rows]


def to_csv(cells: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(cells)
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheets read UTF-8


def to_xlsx(cells: list[list[Any]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in cells:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

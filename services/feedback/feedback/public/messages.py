"""Texts of the public figures pages, as (zh-CN, English)."""

from __future__ import annotations

from huiyin.web.messages import Messages

PUBLIC: Messages = {
    "public_title": ("派出所服务公开数据", "Police stations' service figures, open to the public"),
    "unit_title": ("单位月度趋势", "A unit's monthly trend"),
    "nav_public": ("公开数据", "Public figures"),
    "intro": (
        "以下数据按月冻结发布，由群众投诉的办理情况统计得出；不含任何投诉内容或个人信息。",
        "These figures are frozen and published month by month from how complaints were handled; "
        "they contain no complaint text and no personal data.",
    ),
    "month": ("月份", "Month"),
    "version": ("版本", "Version"),
    "show": ("查看", "Show"),
    "versions": ("发布版本", "Published versions"),
    "automatic": ("月结自动发布", "published automatically at month close"),
    "correction": ("更正", "correction"),
    "reason": ("更正原因", "Reason"),
    "published_at": ("发布时间", "Published at"),
    "sha256": ("SHA-256 校验值", "SHA-256"),
    "viewing": ("当前显示", "Showing"),
    "none_published": ("尚无已发布的月份。", "No month has been published yet."),
    "stations": ("各单位", "Stations and units"),
    "districts": ("各分局", "Districts"),
    "unit": ("单位", "Unit"),
    "district": ("分局", "District"),
    "received": ("受理数", "Received"),
    "response_rate": ("响应率", "Response rate"),
    "on_time_resolution_rate": ("按期办结率", "On-time resolution rate"),
    "resolution_rate": ("解决率", "Resolution rate"),
    "satisfaction_rate": ("满意率", "Satisfaction rate"),
    "strict_satisfaction_rate": ("非常满意率", "Satisfied only"),
    "score": ("综合得分", "Score"),
    "rank": ("排名", "Rank"),
    "unranked": ("未排名", "not ranked"),
    "too_few": ("样本过少，不予公布", "too few to publish"),
    "withheld": ("不予公布（防止推算）", "withheld (would reveal a smaller unit)"),
    "rule": (
        "少于 {n} 件的数据显示为“样本过少，不予公布”；比率无分母时显示“无数据”。",
        "A figure computed from fewer than {n} items is shown as \u201ctoo few to publish\u201d; "
        "a rate with nothing to count is \u201cno data\u201d.",
    ),
    "open_data": ("开放数据下载", "Open data"),
    "dictionary": ("数据字典", "Data dictionary"),
    "field": ("字段", "Field"),
    "definition": ("定义", "Definition"),
    "field_unit": ("单位", "Unit"),
    "trend_12": ("近 12 个已发布月份", "The last 12 published months"),
    "not_listed": ("该月未列出", "not listed that month"),
    "back_public": ("返回公开数据", "Back to the public figures"),
    "unit_not_found": ("没有该单位的公开数据。", "No published figures for this unit."),
}

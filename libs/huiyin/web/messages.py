"""Texts every page shares, as (zh-CN, English). Each service's pages add their own."""

from __future__ import annotations

from collections.abc import Mapping

Messages = Mapping[str, tuple[str, str]]

COMMON: Messages = {
    "app_name": ("回音 · 群众投诉办理", "Huiyin · complaints to the police"),
    "motto": ("件件有回音，事事有结果", "Every complaint gets an answer, every matter a result"),
    "switch_lang": ("English", "中文"),
    "nav_file": ("我要投诉", "File a complaint"),
    "nav_track": ("查询进度", "Track a complaint"),
    "nav_station": ("派出所工作台", "Station inbox"),
    "nav_dashboard": ("监督看板", "Supervision dashboard"),
    "loading": ("加载中…", "Loading…"),
    "refresh": ("刷新", "Refresh"),
    "submit": ("提交", "Submit"),
    "cancel": ("取消", "Cancel"),
    "no_data": ("无数据", "no data"),
    "none": ("无", "none"),
    "error_network": ("无法连接服务，请稍后再试。", "Cannot reach the service; try again later."),
    "error_server": ("服务出错，请稍后再试。", "The service failed; try again later."),
    "error_invalid": ("请检查标出的字段。", "Please check the fields marked below."),
    "error_rate": ("尝试次数过多，请稍后再试。", "Too many attempts; try again later."),
    "error_signin": ("登录已过期，请重新登录。", "Your sign-in has expired; please sign in again."),
    "error_forbidden": ("无权进行此操作。", "You may not do this."),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "signin_wrong": ("用户名或密码错误。", "Wrong username or password."),
    "signed_in_as": ("当前用户", "Signed in as"),
    "signin_needs_routing": (
        "登录服务地址未配置（ROUTING_URL）。",
        "The sign-in service's address is not configured (ROUTING_URL).",
    ),
    "table_of_chart": ("图表数据（表格）", "The chart's numbers (table)"),
    "chart_unavailable": (
        "图表库未安装，数据见下表。",
        "The chart library is not installed; the numbers are in the table.",
    ),
    "code_missing": ("必填", "required"),
    "code_string_too_short": ("内容太短", "too short"),
    "code_string_too_long": ("内容太长", "too long"),
}

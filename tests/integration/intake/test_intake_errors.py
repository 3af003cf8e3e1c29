"""Every documented error of the citizen API returns its status and body."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from intake.domain import categories
from intake.entrypoints.app import create_app
from tests.integration.intake.conftest import SettingsFactory
from tests.integration.intake.intake_helpers import complaint_body
from tests.support.apps import running

pytestmark = pytest.mark.integration


async def test_bad_input_is_422_with_one_entry_per_field(intake_settings: SettingsFactory) -> None:
    bad = complaint_body(
        category="parking",
        description="短",
        location={"lat": 30.1},
        contact={"phone": "12345"},
        channel="fax",
        occurred_at="2026-01-05T09:00:00",
    )
    async with running(create_app(intake_settings())) as client:
        r = await client.post("/api/v1/complaints", json=bad)
    assert r.status_code == 422
    body = r.json()
    assert body["detail"] == "invalid request"
    by_path = {e["path"]: e for e in body["errors"]}
    assert set(by_path) == {
        "body.category",
        "body.description",
        "body.location",
        "body.contact.phone",
        "body.channel",
        "body.occurred_at",
    }
    assert by_path["body.category"]["code"] == "unknown_category"
    for code in categories.CODES:
        assert code in by_path["body.category"]["message"]
    assert by_path["body.contact.phone"]["code"] == "phone_format"
    assert all(e["message"] for e in body["errors"])


async def test_occurred_at_in_the_future_and_malformed_json_are_422(intake_settings: SettingsFactory) -> None:
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    async with running(create_app(intake_settings())) as client:
        r = await client.post("/api/v1/complaints", json=complaint_body(occurred_at=future))
        assert r.status_code == 422
        assert r.json()["errors"] == [
            {"path": "body.occurred_at", "code": "in_future", "message": "occurred_at is in the future"}
        ]
        r = await client.post(
            "/api/v1/complaints", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert r.status_code == 422 and r.json()["errors"][0]["code"] == "json_invalid"


async def test_an_oversized_body_is_413(intake_settings: SettingsFactory) -> None:
    async with running(create_app(intake_settings())) as client:
        r = await client.post("/api/v1/complaints", json=complaint_body(description="字" * 40_000))
    assert r.status_code == 413
    assert "larger than" in r.json()["detail"]


async def test_wrong_token_unknown_code_and_no_token_are_the_same_404(
    intake_settings: SettingsFactory,
) -> None:
    async with running(create_app(intake_settings())) as client:
        filed = (await client.post("/api/v1/complaints", json=complaint_body())).json()
        code = filed["tracking_code"]
        wrong_token = await client.get(f"/api/v1/complaints/{code}", headers={"X-Access-Token": "guess"})
        no_token = await client.get(f"/api/v1/complaints/{code}")
        unknown = await client.get(
            "/api/v1/complaints/HY-23456789", headers={"X-Access-Token": filed["access_token"]}
        )
        garbage = await client.get(
            "/api/v1/complaints/not-a-code", headers={"X-Access-Token": filed["access_token"]}
        )
        withdraw = await client.post(
            f"/api/v1/complaints/{code}/withdraw", headers={"X-Access-Token": "guess"}
        )
        info = await client.post(
            f"/api/v1/complaints/{code}/information",
            json={"text": "楼层是 5 楼"},
            headers={"X-Access-Token": "x"},
        )
        right = await client.get(
            f"/api/v1/complaints/{code.lower()}", headers={"X-Access-Token": filed["access_token"]}
        )
    for r in (wrong_token, no_token, unknown, garbage, withdraw, info):
        assert r.status_code == 404
        assert r.json() == {"detail": "no complaint with this tracking code and access token"}
    assert right.status_code == 200 and right.json()["tracking_code"] == code


async def test_repeated_failed_lookups_are_429_with_retry_after(intake_settings: SettingsFactory) -> None:
    settings = intake_settings(lookup_failures_allowed=3, lookup_failure_window_s=120)
    async with running(create_app(settings)) as client:
        filed = (await client.post("/api/v1/complaints", json=complaint_body())).json()
        url = f"/api/v1/complaints/{filed['tracking_code']}"
        for _ in range(3):
            assert (await client.get(url, headers={"X-Access-Token": "guess"})).status_code == 404
        blocked = await client.get(url, headers={"X-Access-Token": "guess"})
        even_right = await client.get(url, headers={"X-Access-Token": filed["access_token"]})
    for r in (blocked, even_right):
        assert r.status_code == 429
        assert 0 < int(r.headers["Retry-After"]) <= 120
        assert "too many failed lookups" in r.json()["detail"]


async def test_filing_is_rate_limited_per_client(intake_settings: SettingsFactory) -> None:
    async with running(create_app(intake_settings(filing_rate_per_minute=2))) as client:
        statuses = [
            (await client.post("/api/v1/complaints", json=complaint_body())).status_code for _ in range(2)
        ]
        limited = await client.post("/api/v1/complaints", json=complaint_body())
    assert statuses == [201, 201]
    assert limited.status_code == 429 and 0 < int(limited.headers["Retry-After"]) <= 60
    assert "too many complaints" in limited.json()["detail"]


async def test_actions_not_allowed_in_the_current_state_are_409_with_the_state(
    intake_settings: SettingsFactory,
) -> None:
    async with running(create_app(intake_settings())) as client:
        filed = (await client.post("/api/v1/complaints", json=complaint_body())).json()
        base, token = (
            f"/api/v1/complaints/{filed['tracking_code']}",
            {"X-Access-Token": filed["access_token"]},
        )
        info = await client.post(f"{base}/information", json={"text": "补充：是 5 楼"}, headers=token)
        first = await client.post(f"{base}/withdraw", json={"reason": "已私下解决"}, headers=token)
        second = await client.post(f"{base}/withdraw", headers=token)
        empty_info = await client.post(f"{base}/information", json={"text": " \x00 "}, headers=token)
    assert info.status_code == 409 and info.json()["state"] == "submitted"
    assert "waiting" in info.json()["detail"]
    assert first.status_code == 200 and first.json()["state"] == "withdrawn"
    assert second.status_code == 409 and second.json()["state"] == "withdrawn"
    assert empty_info.status_code == 422 and empty_info.json()["errors"][0]["path"] == "body.text"


async def test_an_idempotency_key_reused_with_another_body_is_409(intake_settings: SettingsFactory) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    async with running(create_app(intake_settings())) as client:
        assert (
            await client.post("/api/v1/complaints", json=complaint_body(), headers=key)
        ).status_code == 201
        r = await client.post("/api/v1/complaints", json=complaint_body(priority="urgent"), headers=key)
        too_long = await client.post(
            "/api/v1/complaints", json=complaint_body(), headers={"Idempotency-Key": "k" * 201}
        )
    assert r.status_code == 409 and r.json() == {
        "detail": "this Idempotency-Key was used with a different request body"
    }
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["path"] == "header.idempotency-key"


async def test_text_that_json_allows_but_storage_does_not_is_cleaned_not_a_500(
    intake_settings: SettingsFactory,
) -> None:
    raw = (
        b'{"category":"noise","location":{"address":"\\u0000\\u6587\\u4e09\\u8def"},'
        b'"description":"\\ud800\\u697c\\u4e0a\\u6bcf\\u5929\\u6df1\\u591c\\u88c5\\u4fee\\u5f88\\u5435\\u554a"}'
    )
    async with running(create_app(intake_settings())) as client:
        r = await client.post("/api/v1/complaints", content=raw, headers={"Content-Type": "application/json"})
        assert r.status_code == 201, r.text
        filed = r.json()
        view = await client.get(
            f"/api/v1/complaints/{filed['tracking_code']}", headers={"X-Access-Token": filed["access_token"]}
        )
    assert view.json()["description"] == "楼上每天深夜装修很吵啊"
    assert view.json()["location"]["address"] == "文三路"

"""Open311 GeoReport v2, driven by the `georeport` client library from PyPI over real HTTP.

`georeport` reads (services, definitions, requests) but cannot create a request, so the
POST is a plain form-encoded `requests` call, as a city app would send it.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import uvicorn
from georeport import GeoReport

from huiyin.devstack.ports import free_ports
from huiyin.events.complaints import ComplaintSubmitted
from intake.domain import categories
from intake.entrypoints.app import create_app
from intake.settings import DEV_OPEN311_API_KEY
from tests.integration.intake.conftest import SettingsFactory
from tests.integration.intake.intake_helpers import produce, read_topic, routed
from tests.support.apps import eventually
from tests.support.infra import Infra

pytestmark = pytest.mark.integration
FORM = {
    "api_key": DEV_OPEN311_API_KEY,
    "jurisdiction_id": "huiyin.city",
    "service_code": "traffic",
    "description": "路口红绿灯坏了三天，早高峰非常堵，容易出事故。",
    "lat": "30.2741",
    "long": "120.1551",
    "address_string": "文三路与学院路交叉口",
    "first_name": "三",
    "last_name": "张",
    "phone": "13800138000",
    "media_url": "https://example.org/photos/light.jpg",
    "device_id": "city-app-123",
}


@asynccontextmanager
async def served(app: Any) -> AsyncIterator[str]:
    """The app behind a real uvicorn server on a free port; yields the Open311 root URL."""
    (port,) = free_ports(1)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    await eventually(lambda: asyncio.sleep(0, result=server.started), timeout=20)
    try:
        yield f"http://127.0.0.1:{port}/open311/v2"
    finally:
        server.should_exit = True
        await task


async def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """The client library is synchronous: run it off the event loop the server runs on."""
    return await asyncio.to_thread(fn, *args, **kwargs)


async def test_open311_round_trip_with_a_client_library(
    intake_settings: SettingsFactory, infra: Infra, topic_prefix: str
) -> None:
    async with served(create_app(intake_settings())) as root:
        client = GeoReport(root, jurisdiction="huiyin.city")
        xml_client = GeoReport(root, jurisdiction="huiyin.city", output_format="xml")

        services = await call(client.get_service_list)
        assert [s["service_code"] for s in services] == list(categories.CODES)
        traffic = services[0]
        assert (traffic["service_name"], traffic["description"], traffic["metadata"]) == (
            "交通管理",
            "Traffic",
            False,
        )
        xml_services = await call(xml_client.get_service_list)
        assert [s["service_code"] for s in xml_services] == list(categories.CODES)
        assert xml_services[4]["service_name"] == "噪音扰民" and xml_services[4]["metadata"] == "false"

        assert await call(client.get_service_definition, "noise") == {
            "service_code": "noise",
            "attributes": [],
        }
        definition = await call(xml_client.get_service_definition, "noise")
        assert definition["service_code"] == "noise"

        created = await call(requests.post, f"{root}/requests.json", data=FORM, timeout=10)
        assert created.status_code == 201, created.text
        [reply] = created.json()
        request_id, token = reply["service_request_id"], reply["token"]
        assert request_id.startswith("HY-") and len(reply["access_token"]) >= 43

        one = await call(client.get_service_request, request_id)
        assert one["service_request_id"] == request_id and one["status"] == "open"
        assert (one["service_code"], one["lat"], one["long"]) == ("traffic", 30.2741, 120.1551)
        assert one["address"] == "文三路与学院路交叉口" and one["media_url"] == FORM["media_url"]
        assert one["agency_responsible"] is None and one["requested_datetime"]
        assert "description" not in one and "13800138000" not in str(one)

        route = routed(uuid.UUID(token), unit_id="tb-city", unit_name="汇音市交警支队")
        await produce(infra.kafka_bootstrap, topic_prefix, route)
        one = await eventually(
            lambda: call(client.get_service_request, request_id),
            until=lambda r: r["agency_responsible"] is not None,
        )
        assert one["agency_responsible"] == "汇音市交警支队" and one["status_notes"].startswith("已分派")
        assert one["expected_datetime"] is not None

        matching = await call(client.get_service_requests, service_code="traffic,noise", status="open")
        assert [r["service_request_id"] for r in matching] == [request_id]
        assert await call(client.get_service_requests, status="closed") == []
        assert await call(client.get_service_requests, service_code="theft") == []
        by_id = await call(client.get_service_requests, service_request_id=f"{request_id},HY-23456789")
        assert [r["service_request_id"] for r in by_id] == [request_id]
        start = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert len(await call(client.get_service_requests, start_date=start)) == 1
        xml_one = await call(xml_client.get_service_requests, service_request_id=request_id)
        assert xml_one["service_request_id"] == request_id and xml_one["status"] == "open"

        by_token = await call(requests.get, f"{root}/tokens/{token}.json", timeout=10)
        assert by_token.json() == [{"service_request_id": request_id, "token": token}]

        events = await read_topic(infra.kafka_bootstrap, topic_prefix + "complaints")
    [submitted] = [e.data for e in events]
    assert isinstance(submitted, ComplaintSubmitted)
    assert (submitted.tracking_code, submitted.channel, submitted.category) == (
        request_id,
        "open311",
        "traffic",
    )


async def test_open311_errors_are_a_list_of_code_and_description(intake_settings: SettingsFactory) -> None:
    async with served(create_app(intake_settings())) as root:

        async def post(**changes: str | None) -> requests.Response:
            form = {k: v for k, v in (FORM | changes).items() if v is not None}
            return await call(requests.post, f"{root}/requests.json", data=form, timeout=10)  # type: ignore[no-any-return]

        no_key = await post(api_key=None)
        assert no_key.status_code == 403
        assert no_key.json() == [
            {"code": 403, "description": "a valid api_key is required to create service requests"}
        ]
        assert (await post(api_key="stolen")).status_code == 403

        bad = await post(service_code="parking", description="短", phone="12345")
        assert bad.status_code == 400
        errors = bad.json()
        assert all(e["code"] == 400 for e in errors)
        described = " | ".join(e["description"] for e in errors)
        assert "service_code: unknown category 'parking'" in described and "traffic" in described
        assert "description:" in described and "phone:" in described

        xml_bad = await call(
            requests.post, f"{root}/requests.xml", data={"service_code": "noise"}, timeout=10
        )
        assert xml_bad.status_code == 403 and xml_bad.text.endswith("</description></error></errors>")

        client = GeoReport(root)
        with pytest.raises(requests.HTTPError) as unknown:
            await call(client.get_service_request, "HY-23456789")
        assert unknown.value.response.status_code == 404
        assert unknown.value.response.json() == [
            {"code": 404, "description": "no service request 'HY-23456789'"}
        ]

        checks = {
            f"{root}/services/parking.json": 404,
            f"{root}/services.json?jurisdiction_id=elsewhere": 404,
            f"{root}/services.yaml": 404,
            f"{root}/requests.json?start_date=yesterday": 400,
            f"{root}/requests.json?status=pending": 400,
            f"{root}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z": 400,
            f"{root}/tokens/not-a-token.json": 404,
            f"{root}/requests/%00.json": 404,
        }
        for garbage in ("service_request_id=%00", "service_code=%00,parking"):
            r = await call(requests.get, f"{root}/requests.json?{garbage}", timeout=10)
            assert (r.status_code, r.json()) == (200, []), garbage
        for url, status in checks.items():
            r = await call(requests.get, url, timeout=10)
            assert r.status_code == status, url
            [error] = r.json()
            assert error["code"] == status and error["description"], url

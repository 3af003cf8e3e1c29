"""Open311 bodies: XML shape and escaping, form mapping, public fields only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from intake.adapters.tables import Complaint, ComplaintStatus
from intake.entrypoints.open311 import records
from intake.entrypoints.open311.render import errors, render

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_xml_lists_have_a_root_and_one_element_per_item() -> None:
    response = render(
        "xml",
        [{"service_code": "noise", "metadata": False}, {"service_code": "a<&>b"}],
        root="services",
        item="service",
    )
    xml = bytes(response.body).decode()
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?><services><service>')
    assert "<metadata>false</metadata>" in xml
    assert "<service_code>a&lt;&amp;&gt;b</service_code>" in xml
    assert xml.count("<service>") == 2
    assert response.media_type == "text/xml; charset=utf-8"


def test_xml_objects_nested_lists_and_nulls() -> None:
    xml = bytes(
        render(
            "xml",
            {"service_code": "x", "attributes": [], "n": None},
            root="service_definition",
            item="attribute",
        ).body
    ).decode()
    assert (
        "<service_definition><service_code>x</service_code><attributes></attributes><n/></service_definition>"
        in xml
    )


def test_errors_are_a_list_of_code_and_description() -> None:
    response = errors("json", 400, ["service_code: unknown", "description: too short"])
    assert response.status_code == 400
    assert (
        bytes(response.body)
        == b'[{"code":400,"description":"service_code: unknown"},{"code":400,"description":"description: too short"}]'
    )
    xml = bytes(errors("xml", 403, ["no api_key"]).body).decode()
    assert "<errors><error><code>403</code><description>no api_key</description></error></errors>" in xml


def test_a_georeport_form_maps_to_the_filing_body() -> None:
    form = {"api_key": "k", "service_code": "noise", "description": "  很吵  ", "lat": "30.1", "long": "120.2",
            "address_string": "文三路", "first_name": "三", "last_name": "张", "phone": "13800138000",
            "media_url": "https://img/x.jpg", "device_id": "ignored"}  # fmt: skip
    body = records.complaint_fields(form)
    assert body == {
        "category": "noise",
        "description": "很吵",
        "location": {"lat": "30.1", "lon": "120.2", "address": "文三路"},
        "channel": "open311",
        "attachments": ["https://img/x.jpg"],
        "contact": {"name": "三 张", "phone": "13800138000", "email": None},
    }
    assert "contact" not in records.complaint_fields({"service_code": "noise"})


def test_a_public_request_shows_no_text_the_citizen_wrote_besides_the_masked_address() -> None:
    complaint = Complaint(
        id=uuid.uuid4(), tracking_code="HY-ABCDEFGH", access_token_sha256="h", category="police_conduct",
        priority="normal", description="民警王某态度恶劣，我的电话13800138000", lat=30.1, lon=120.2,
        address="文三路100号 13800138000", channel="web", attachments=["https://img/1.jpg"], anonymous=False,
        subject_unit_id="ps-1", subject_text="王某", submitted_at=AT,
    )  # fmt: skip
    view = ComplaintStatus(complaint_id=complaint.id, state="resolved", unit_name="文三派出所", answer="已处理",
                           updated_at=AT, resolve_due=AT)  # fmt: skip
    record = records.service_request(complaint, view)
    assert record["status"] == "closed" and record["agency_responsible"] == "文三派出所"
    assert record["long"] == 120.2 and record["media_url"] == "https://img/1.jpg"
    assert record["address"] == "文三路100号 138****8000"
    text = str(record)
    for private in ("态度恶劣", "13800138000", "王某", "已处理"):
        assert private not in text

"""Personal data: masked in logs (structlog and plain logging), encrypted at rest in
intake's database, never in events, and re-encrypted under a new key on rotation."""

from __future__ import annotations

import base64
import logging
import uuid
from typing import Any

import asyncpg
import pytest
import structlog

from huiyin import jsonutil
from huiyin.auth.tokens import Role
from huiyin.db import asyncpg_dsn
from huiyin.logs import configure_logging
from huiyin.pii import KeyRing
from intake.handlers.reencrypt_contacts import reencrypt_contacts
from tests.security.security_stack import start_services
from tests.support.infra import Infra

PHONE, ID_NUMBER, NAME, EMAIL = "13912345678", "110101199003071234", "李四", "lisi@example.com"
NEW_KEY = "k2:" + base64.b64encode(b"n" * 32).decode()


def test_a_log_line_with_a_phone_and_an_id_number_is_masked(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    configure_logging("probe", json=True)
    structlog.get_logger("probe").info(
        f"citizen called from {PHONE}",
        note=f"身份证号 {ID_NUMBER}",
        nested={"contact": {"phone": PHONE}, "ids": [ID_NUMBER]},
    )
    line = capsys.readouterr().err
    assert "139****5678" in line and "110101" in line
    assert PHONE not in line and ID_NUMBER not in line

    try:
        raise ValueError(f"bad row for {PHONE}")
    except ValueError:
        logging.getLogger("some.library").exception("failed for id %s", ID_NUMBER)
    plain = caplog.text
    assert "failed for id 110101" in plain and "bad row for 139****5678" in plain
    assert PHONE not in plain and ID_NUMBER not in plain


def complaint(**contact: Any) -> dict[str, Any]:
    return {
        "category": "noise",
        "description": f"楼上装修噪音很大，请联系我 {PHONE}，身份证 {ID_NUMBER}。",
        "location": {"lat": 30.27, "lon": 120.15, "address": "汇音市鼓楼区测试路 1 号"},
        "contact": contact or {"name": NAME, "phone": PHONE, "email": EMAIL},
    }


async def rows(database_url: str, sql: str, *args: Any) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


@pytest.mark.integration
async def test_contact_data_is_encrypted_at_rest_and_absent_from_events(
    infra: Infra, topic_prefix: str
) -> None:
    async with start_services(infra, topic_prefix, services=["intake"]) as stack:
        filed = (await stack.clients["intake"].post("/api/v1/complaints", json=complaint())).json()
        db = stack.settings["intake"].database_url
        [row] = await rows(db, "SELECT * FROM intake_complaints WHERE id = $1", uuid.UUID(filed["id"]))
        stored = {k: v for k, v in dict(row).items() if k != "description"}  # the citizen's own text
        for clear in (PHONE, NAME, EMAIL, "lisi"):
            assert clear not in str(stored)
        for column in ("contact_name_enc", "contact_phone_enc", "contact_email_enc"):
            assert row[column].startswith("k1.")  # AES-GCM under key k1 (the development ring)
        events = await rows(db, "SELECT payload FROM outbox WHERE key = $1", filed["id"])
        assert events, "the filing wrote its event to the outbox"
        for payload in events:
            text = bytes(payload["payload"]).decode()
            for clear in (PHONE, ID_NUMBER, NAME, EMAIL):
                assert clear not in text
            assert "139****5678" in jsonutil.loads(payload["payload"])["data"]["description"]


@pytest.mark.integration
async def test_key_rotation_reencrypts_every_value_and_the_old_key_can_go(
    infra: Infra, topic_prefix: str
) -> None:
    async with start_services(infra, topic_prefix, services=["intake"]) as old:
        client = old.clients["intake"]
        filed = [(await client.post("/api/v1/complaints", json=complaint())).json() for _ in range(3)]
        retry = {"Idempotency-Key": "rotation-test-0001"}
        first = (await client.post("/api/v1/complaints", json=complaint(), headers=retry)).json()
        anonymous = complaint() | {"contact": None}
        assert (await client.post("/api/v1/complaints", json=anonymous)).status_code == 201
        db = old.settings["intake"].database_url
        old_keys = old.settings["intake"].pii_keys

    rotated = KeyRing.parse(f"{NEW_KEY},{old_keys}")  # new key first, old ones still decrypt
    done = await reencrypt_contacts(db, rotated, batch=2)  # batches smaller than the data
    assert (done.complaints, done.idempotency_records) == (4, 1)
    again = await reencrypt_contacts(db, rotated)
    assert (again.complaints, again.idempotency_records) == (0, 0)  # nothing left under k1
    sealed = await rows(
        db, "SELECT contact_phone_enc FROM intake_complaints WHERE contact_phone_enc IS NOT NULL"
    )
    assert len(sealed) == 4 and all(r[0].startswith("k2.") for r in sealed)

    # The old key dropped: contact data and the stored first response still open.
    only_new = {"intake": {"pii_keys": NEW_KEY, "database_url": db}}
    async with start_services(infra, topic_prefix, services=["intake"], overrides=only_new) as new:
        client = new.clients["intake"]
        url = f"/api/v1/complaints/{filed[0]['id']}/contact/unmask"
        r = await client.post(
            url, json={"reason": "key rotation check"}, headers=new.bearer(Role.SUPERVISION)
        )
        assert r.status_code == 200, r.text
        assert (r.json()["name"], r.json()["phone"], r.json()["email"]) == (NAME, PHONE, EMAIL)
        replay = await client.post("/api/v1/complaints", json=complaint(), headers=retry)
        assert replay.json()["access_token"] == first["access_token"]

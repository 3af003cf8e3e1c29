"""Settings, personal-data helpers, outbox lanes and error classification."""

from __future__ import annotations

import asyncpg
import pytest
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError, OperationalError

from huiyin.errors import is_infrastructure_error
from huiyin.outbox.writer import lane_of
from huiyin.pii import KeyRing, mask_email, mask_name, mask_phone, mask_text
from huiyin.settings import DEV_JWT_SECRET, ServiceSettings

KEY_A = "a:" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
KEY_B = "b:" + "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI="


def test_development_secrets_are_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="development key"):
        ServiceSettings(environment="production")
    ok = ServiceSettings(environment="production", jwt_secret="x" * 40, pii_keys=KEY_A)
    assert ok.jwt_secret != DEV_JWT_SECRET


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:29092")
    monkeypatch.setenv("OUTBOX_BATCH_SIZE", "0")
    with pytest.raises(ValidationError, match="outbox_batch_size"):
        ServiceSettings()
    monkeypatch.setenv("OUTBOX_BATCH_SIZE", "50")
    assert ServiceSettings().kafka_bootstrap_servers == "broker:29092"


def test_masks() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("张三丰") == "张**"
    assert mask_email("li.lei@example.cn") == "l***@example.cn"
    masked = mask_text("请回电13812345678，身份证号11010519491231002X。")
    assert "13812345678" not in masked and "138****5678" in masked
    assert "19491231" not in masked


def test_keyring_encrypts_with_the_first_key_and_decrypts_with_any() -> None:
    old = KeyRing.parse(KEY_A)
    sealed_old = old.encrypt("王小明", aad=b"c1")
    rotated = KeyRing.parse(f"{KEY_B},{KEY_A}")
    assert rotated.decrypt(sealed_old, aad=b"c1") == "王小明"
    sealed_new = rotated.encrypt("王小明", aad=b"c1")
    assert sealed_new.startswith("b.") and sealed_new != sealed_old
    with pytest.raises(Exception):  # noqa: B017 - any failure: wrong AAD must not decrypt
        rotated.decrypt(sealed_new, aad=b"other")
    with pytest.raises(ValueError, match="unknown PII key"):
        old.decrypt(sealed_new, aad=b"c1")


def test_keyring_rejects_bad_keys() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        KeyRing.parse("a:c2hvcnQ=")


def test_lanes_are_stable_and_spread() -> None:
    keys = [f"complaint-{i}" for i in range(4000)]
    lanes = [lane_of(k) for k in keys]
    assert lanes == [lane_of(k) for k in keys]
    counts = [lanes.count(lane) for lane in range(8)]
    assert min(counts) > 350


def test_outage_errors_are_told_from_bad_messages() -> None:
    assert is_infrastructure_error(ConnectionRefusedError())
    assert is_infrastructure_error(asyncpg.CannotConnectNowError("starting up"))
    assert is_infrastructure_error(OperationalError("SELECT 1", {}, ConnectionResetError()))
    wrapped = RuntimeError("handler failed")
    wrapped.__cause__ = asyncpg.exceptions.AdminShutdownError("shutdown")
    assert is_infrastructure_error(wrapped)
    assert not is_infrastructure_error(ValueError("bad payload"))
    assert not is_infrastructure_error(IntegrityError("INSERT", {}, Exception("duplicate key")))

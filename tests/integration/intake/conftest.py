"""Intake's integration fixtures: a fresh migrated database and isolated topics per test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from intake.settings import IntakeSettings
from tests.support.infra import Infra

SettingsFactory = Callable[..., IntakeSettings]


@pytest.fixture
def intake_settings(infra: Infra, topic_prefix: str) -> SettingsFactory:
    """Settings for an intake app on its own database; keyword arguments override fields."""
    database_url = infra.create_database("intake")

    def build(**overrides: Any) -> IntakeSettings:
        fields: dict[str, Any] = {
            "database_url": database_url,
            "kafka_bootstrap_servers": infra.kafka_bootstrap,
            "kafka_topic_prefix": topic_prefix,
            "environment": "test",
            "outbox_idle_poll_s": 0.2,
            "log_json": False,
        }
        return IntakeSettings(**(fields | overrides))

    return build

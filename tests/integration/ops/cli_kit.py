"""Running `huiyin` in tests: typer's CliRunner with the environment an operator would have."""

from __future__ import annotations

from typing import Any

from typer.testing import CliRunner, Result

from huiyin.cli.main import app


def run(env: dict[str, str], *args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(
        app, list(args), env={"ENVIRONMENT": "test", "COLUMNS": "200", **env}, input=input
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def service_env(dbs: dict[str, str], bootstrap: str, prefix: str) -> dict[str, Any]:
    return {
        **{f"{s.upper()}_DATABASE_URL": url for s, url in dbs.items()},
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "KAFKA_TOPIC_PREFIX": prefix,
    }

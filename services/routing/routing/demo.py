"""Demo data for `make up`: the fictional Huiyin City (demo_city.geojson), one demo user per
role, and the default SLA policies. Idempotent: what exists already (including an admin's
edits) is left as it is.

DEMO ONLY: every demo user's password is DEMO_PASSWORD, printed in the README and in
docs/routing.md. Never seed a real deployment with it.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from importlib import resources
from typing import Any

from sqlalchemy.dialects.postgresql import insert

from huiyin.auth.passwords import hash_password
from huiyin.db import create_engine, session_factory
from routing.adapters.tables import StaffUserRow, UnitRow
from routing.sla.seed import seed_policies

DEMO_PASSWORD = "huiyin-demo-2026"  # noqa: S105 - demo only, documented as such
DEMO_STATION = "ps-zhonglou-gulou"

# username, role, unit, display name, badge number
DEMO_USERS: list[tuple[str, str, str | None, str, str | None]] = [
    ("demo.officer", "officer", DEMO_STATION, "鼓楼所 民警 (demo officer)", "HY1001"),
    ("demo.head", "station_head", DEMO_STATION, "鼓楼所 所长 (demo station head)", "HY1000"),
    ("demo.district", "district_supervisor", "bureau-zhonglou", "钟楼分局 (demo district supervisor)", None),
    ("demo.supervision", "supervision", "supervision", "督察支队 (demo supervision)", None),
    ("demo.dispatch", "dispatch", "dispatch", "指挥中心 (demo dispatch)", None),
    ("demo.admin", "admin", None, "系统管理员 (demo admin)", None),
]


def demo_units() -> list[dict[str, Any]]:
    """The demo city's features as unit rows."""
    doc = json.loads((resources.files("routing") / "demo_city.geojson").read_text(encoding="utf-8"))
    return [{**f["properties"], "jurisdiction": f["geometry"]} for f in doc["features"]]


async def seed(database_url: str) -> None:
    engine = create_engine(database_url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            await session.execute(insert(UnitRow).values(demo_units()).on_conflict_do_nothing())
            password_hash = await asyncio.to_thread(hash_password, DEMO_PASSWORD)
            users = [
                {
                    "id": uuid.uuid4(),
                    "username": u,
                    "role": r,
                    "unit_id": unit,
                    "display_name": name,
                    "badge_no": badge,
                    "password_hash": password_hash,
                }
                for u, r, unit, name, badge in DEMO_USERS
            ]
            await session.execute(insert(StaffUserRow).values(users).on_conflict_do_nothing())
            await seed_policies(session)
            await session.commit()
    finally:
        await engine.dispose()

"""Staff sign-in, and every role scoped to what it may see and do in routing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from huiyin.auth.tokens import Principal, Role, issue_token
from huiyin.settings import DEV_JWT_SECRET
from tests.integration.routing.routing_harness import GULOU, MISHI, RoutingEnv, inside, routing_env_fixture  # noqa: F401

pytestmark = pytest.mark.integration


async def test_sign_in_gives_a_token_that_says_who_i_am(routing_env: RoutingEnv) -> None:
    env = routing_env
    r = await env.client.post(
        "/api/v1/auth/token", data={"username": "Demo.Officer", "password": "huiyin-demo-2026"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 1800
    me = await env.client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() | {"user_id": None} == {
        "user_id": None,
        "username": "demo.officer",
        "role": "officer",
        "unit_id": GULOU,
    }


async def test_wrong_password_and_unknown_user_get_the_same_401(routing_env: RoutingEnv) -> None:
    env = routing_env
    wrong = await env.client.post(
        "/api/v1/auth/token", data={"username": "demo.officer", "password": "nope-nope-nope"}
    )
    unknown = await env.client.post(
        "/api/v1/auth/token", data={"username": "nobody", "password": "nope-nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "wrong username or password"}
    assert wrong.headers["www-authenticate"] == "Bearer"
    missing = await env.client.post("/api/v1/auth/token", data={"username": "demo.officer"})
    assert missing.status_code == 422


async def test_a_deactivated_user_cannot_sign_in(routing_env: RoutingEnv) -> None:
    env = routing_env
    admin = await env.as_("demo.admin")
    users = (await env.client.get("/api/v1/users", headers=admin)).json()
    officer = next(u for u in users if u["username"] == "demo.officer")
    r = await env.client.patch(f"/api/v1/users/{officer['id']}", json={"active": False}, headers=admin)
    assert r.status_code == 200 and r.json()["active"] is False
    r = await env.client.post(
        "/api/v1/auth/token", data={"username": "demo.officer", "password": "huiyin-demo-2026"}
    )
    assert r.status_code == 401


async def test_expired_forged_and_missing_tokens_are_401(routing_env: RoutingEnv) -> None:
    env = routing_env
    principal = Principal("u1", "demo.officer", Role.OFFICER, GULOU)
    old = issue_token(
        secret=DEV_JWT_SECRET, principal=principal, now=datetime.now(UTC) - timedelta(hours=2), ttl_s=60
    )
    forged = issue_token(secret="x" * 40, principal=principal, now=datetime.now(UTC), ttl_s=600)
    inbox = f"/api/v1/stations/{GULOU}/inbox"
    for headers in ({"Authorization": f"Bearer {old}"}, {"Authorization": f"Bearer {forged}"}, {}):
        assert (await env.client.get(inbox, headers=headers)).status_code == 401


async def test_inboxes_are_scoped_to_the_role_and_unit(routing_env: RoutingEnv) -> None:
    env = routing_env
    expected = {
        ("demo.officer", GULOU): 200,
        ("demo.officer", MISHI): 403,
        ("demo.head", GULOU): 200,
        ("demo.head", "ps-hubin-gushan"): 403,
        ("demo.district", GULOU): 200,  # under the Zhonglou bureau
        ("demo.district", "cpo-gulou-xiaohe"): 200,  # under it through the station
        ("demo.district", "bureau-zhonglou"): 200,
        ("demo.district", "ps-hubin-gushan"): 403,
        ("demo.supervision", "ps-hubin-gushan"): 200,
        ("demo.dispatch", GULOU): 403,
        ("demo.admin", GULOU): 403,
    }
    for (user, unit), status in expected.items():
        r = await env.client.get(f"/api/v1/stations/{unit}/inbox", headers=await env.as_(user))
        assert r.status_code == status, (user, unit, r.text)
    r = await env.client.get("/api/v1/stations/no-such-unit/inbox", headers=await env.as_("demo.supervision"))
    assert r.status_code == 404


async def test_actions_are_scoped_to_the_unit_and_read_only_roles_cannot_act(routing_env: RoutingEnv) -> None:
    env = routing_env
    cid = await env.submit(**inside(GULOU))
    await env.case_when(cid, lambda c: c["state"] == "routed")
    mishi = {
        "username": "mishi.head",
        "password": "a-long-password-1",
        "role": "station_head",
        "unit_id": MISHI,
    }
    assert (
        await env.client.post("/api/v1/users", json=mishi, headers=await env.as_("demo.admin"))
    ).status_code == 201
    await env.as_("mishi.head", "a-long-password-1")
    for user, status in [
        ("mishi.head", 403),
        ("demo.district", 403),
        ("demo.dispatch", 403),
        ("demo.admin", 403),
    ]:
        assert (await env.act(cid, "acknowledge", user)).status_code == status, user
    assert (await env.case(cid, "mishi.head")).status_code == 403
    assert (await env.case(cid, "demo.district")).status_code == 200
    assert (await env.case(cid, "demo.admin")).status_code == 403
    assert (await env.act(cid, "acknowledge", "demo.officer")).status_code == 200


async def test_only_the_admin_manages_users_and_a_role_must_fit_its_unit(routing_env: RoutingEnv) -> None:
    env = routing_env
    body = {"username": "new.officer", "password": "a-long-password-1", "role": "officer", "unit_id": GULOU}
    assert (
        await env.client.post("/api/v1/users", json=body, headers=await env.as_("demo.head"))
    ).status_code == 403
    admin = await env.as_("demo.admin")
    assert (await env.client.post("/api/v1/users", json=body, headers=admin)).status_code == 201
    assert (await env.client.post("/api/v1/users", json=body, headers=admin)).status_code == 409
    wrong = body | {"username": "bad.dispatch", "role": "dispatch"}
    r = await env.client.post("/api/v1/users", json=wrong, headers=admin)
    assert r.status_code == 422 and "dispatch_desk" in r.json()["errors"][0]["message"]
    short = body | {"username": "short.pw", "password": "short"}
    assert (await env.client.post("/api/v1/users", json=short, headers=admin)).status_code == 422

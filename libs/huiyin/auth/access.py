"""Deny by default: every route declares who may call it with one of these dependencies.

`public()` anyone; `citizen()` a citizen proving a complaint with its tracking code and
access token (the route checks them); `staff(*roles)` a valid staff JWT with one of the
roles. A test walks every route of every service and fails on a route that declares none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from huiyin.auth.tokens import InvalidToken, Principal, Role, verify_token

ACCESS_ATTR = "__huiyin_access__"
_bearer = HTTPBearer(auto_error=False)


def _mark(fn: Callable[..., Any], rule: str, roles: tuple[Role, ...] = ()) -> Callable[..., Any]:
    setattr(fn, ACCESS_ATTR, (rule, roles))
    return fn


def public() -> Any:
    async def allow_anyone() -> None:
        return None

    return Depends(_mark(allow_anyone, "public"))


def citizen() -> Any:
    async def citizen_with_token() -> None:
        return None  # the route checks tracking code + access token itself

    return Depends(_mark(citizen_with_token, "citizen"))


def _principal(request: Request, creds: HTTPAuthorizationCredentials | None) -> Principal:
    if creds is None or creds.scheme.lower() != "bearer":
        raise HTTPException(401, "sign-in required", headers={"WWW-Authenticate": "Bearer"})
    try:
        return verify_token(creds.credentials, secret=request.app.state.jwt_secret)
    except InvalidToken:
        raise HTTPException(401, "invalid or expired token", headers={"WWW-Authenticate": "Bearer"}) from None


def staff_dependency(*roles: Role) -> Callable[..., Any]:
    async def signed_in_staff(
        request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> Principal:
        principal = _principal(request, creds)
        if roles and principal.role not in roles:
            raise HTTPException(403, f"role {principal.role.value!r} may not do this")
        return principal

    return _mark(signed_in_staff, "staff", roles)


def staff(*roles: Role) -> Any:
    return Depends(staff_dependency(*roles))


def access_rule(dependant_calls: list[Callable[..., Any]]) -> tuple[str, tuple[Role, ...]] | None:
    for call in dependant_calls:
        rule = getattr(call, ACCESS_ATTR, None)
        if rule is not None:
            return rule
    return None


ALL_STAFF = tuple(Role)

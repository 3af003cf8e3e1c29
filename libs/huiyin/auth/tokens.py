"""Short-lived HS256 JWTs carrying a staff member's role and unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import jwt

ISSUER = "huiyin"


class Role(StrEnum):
    OFFICER = "officer"
    STATION_HEAD = "station_head"
    DISTRICT_SUPERVISOR = "district_supervisor"
    SUPERVISION = "supervision"
    DISPATCH = "dispatch"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    role: Role
    unit_id: str | None

    def is_(self, *roles: Role) -> bool:
        return self.role in roles


class InvalidToken(Exception):
    pass


def issue_token(*, secret: str, principal: Principal, now: datetime, ttl_s: int) -> str:
    claims = {
        "iss": ISSUER,
        "sub": principal.user_id,
        "name": principal.username,
        "role": principal.role.value,
        "unit": principal.unit_id,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_token(token: str, *, secret: str) -> Principal:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["exp", "sub", "role"]},
        )
        return Principal(
            user_id=str(claims["sub"]),
            username=str(claims.get("name", "")),
            role=Role(claims["role"]),
            unit_id=claims.get("unit"),
        )
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise InvalidToken(str(exc)) from exc

"""Staff sign-in (OAuth2 password flow -> a short-lived JWT) and the admin's user accounts."""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from huiyin.auth.passwords import check_password, hash_password
from huiyin.auth.tokens import Principal, Role, issue_token
from huiyin.db import UnitOfWork
from huiyin.http.errors import DomainError
from routing.adapters import users_repo
from routing.adapters.tables import StaffUserRow
from routing.adapters.units_repo import DirectoryCache
from routing.domain.staff import unit_problem


@cache
def _decoy_hash() -> str:
    return hash_password("decoy password for unknown users")


async def sign_in(
    session: AsyncSession, *, username: str, password: str, now: datetime, secret: str, ttl_s: int
) -> dict[str, Any] | None:
    """A token for the right credentials of an active user, else None. An unknown user costs
    the same argon2 check as a wrong password, so timing does not tell which it was."""
    user = await users_repo.by_username(session, username)
    stored = user.password_hash if user is not None else _decoy_hash()
    ok = await asyncio.to_thread(check_password, stored, password)
    if user is None or not ok or not user.active:
        return None
    principal = Principal(
        user_id=str(user.id), username=user.username, role=Role(user.role), unit_id=user.unit_id
    )
    token = issue_token(secret=secret, principal=principal, now=now, ttl_s=ttl_s)
    return {"access_token": token, "token_type": "bearer", "expires_in": ttl_s}


async def create_user(uow: UnitOfWork, spec: dict[str, Any], *, directories: DirectoryCache) -> StaffUserRow:
    async with uow:
        await _check_unit(uow, Role(spec["role"]), spec.get("unit_id"), directories)
        fields = {k: v for k, v in spec.items() if k != "password"}
        fields["username"] = fields["username"].lower()
        fields["password_hash"] = await asyncio.to_thread(hash_password, spec["password"])
        row = StaffUserRow(**fields)
        uow.session.add(row)
        await _flush_unique(uow)
        await uow.commit()
    return row


async def update_user(
    uow: UnitOfWork, user_id: str, changes: dict[str, Any], *, directories: DirectoryCache
) -> StaffUserRow:
    async with uow:
        row = await users_repo.by_id(uow.session, user_id)
        if row is None:
            raise DomainError(404, f"no user {user_id!r}")
        role = Role(changes.get("role", row.role))
        await _check_unit(uow, role, changes.get("unit_id", row.unit_id), directories)
        if "password" in changes:
            changes["password_hash"] = await asyncio.to_thread(hash_password, changes.pop("password"))
        for key, value in changes.items():
            setattr(row, key, value)
        row.updated_at = uow.clock.now()
        await _flush_unique(uow)
        await uow.commit()
    return row


async def _check_unit(uow: UnitOfWork, role: Role, unit_id: str | None, directories: DirectoryCache) -> None:
    directory = await directories.get(uow.session)
    problem = unit_problem(role, directory.get(unit_id), unit_id)
    if problem is not None:
        raise DomainError(
            422,
            "invalid request",
            errors=[{"path": "body.unit_id", "code": "invalid_unit", "message": problem}],
        )


async def _flush_unique(uow: UnitOfWork) -> None:
    try:
        await uow.session.flush()
    except IntegrityError as exc:
        raise DomainError(409, "username or badge number is taken") from exc

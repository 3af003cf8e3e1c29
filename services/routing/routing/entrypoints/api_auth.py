"""Staff sign-in (OAuth2 password flow), who am I, and the admin's user accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, HTTPException, Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from huiyin.auth import access
from huiyin.auth.tokens import Role
from routing.adapters import users_repo
from routing.entrypoints.deps import Admin, AnyStaff, DirectoriesDep, RuntimeDep
from routing.entrypoints.text import normalise
from routing.handlers import staff_auth

Username = Annotated[
    str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")
]
Password = Annotated[str, StringConstraints(min_length=10, max_length=200)]
DisplayName = Annotated[str, StringConstraints(max_length=100), AfterValidator(normalise)]
UNIT_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {401: {"description": "wrong username or password"}}


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class MeOut(BaseModel):
    user_id: str
    username: str
    role: Role
    unit_id: str | None


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Username
    password: Password
    role: Role
    unit_id: str | None = Field(None, pattern=UNIT_ID)
    display_name: DisplayName = ""
    badge_no: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,32}$")] | None = None


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: Password | None = None
    role: Role | None = None
    unit_id: str | None = Field(None, pattern=UNIT_ID)
    display_name: DisplayName | None = None
    badge_no: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,32}$")] | None = None
    active: bool | None = None


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: UUID
    username: str
    display_name: str
    badge_no: str | None
    role: Role
    unit_id: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


def auth_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["staff auth"])

    @router.post(
        "/auth/token", response_model=TokenOut, responses=UNAUTHORIZED, dependencies=[access.public()]
    )
    async def token(
        rt: RuntimeDep,
        username: Annotated[str, Form(max_length=64, pattern=r"^[^\x00-\x1f]*$")],
        password: Annotated[str, Form(max_length=200)],
        grant_type: Annotated[str | None, Form(pattern="^password$")] = None,
    ) -> TokenOut:
        settings = rt.settings
        async with rt.sessions() as session:
            issued = await staff_auth.sign_in(
                session,
                username=username,
                password=password,
                now=rt.clock.now(),
                secret=settings.jwt_secret,
                ttl_s=settings.jwt_ttl_s,
            )
        if issued is None:  # one message for an unknown user and a wrong password
            raise HTTPException(401, "wrong username or password", headers={"WWW-Authenticate": "Bearer"})
        return TokenOut.model_validate(issued)

    @router.get("/auth/me", response_model=MeOut)
    async def me(principal: AnyStaff) -> MeOut:
        return MeOut(
            user_id=principal.user_id,
            username=principal.username,
            role=principal.role,
            unit_id=principal.unit_id,
        )

    @router.get("/users", response_model=list[UserOut])
    async def list_users(_: Admin, rt: RuntimeDep) -> list[UserOut]:
        async with rt.sessions() as session:
            return [UserOut.model_validate(u) for u in await users_repo.list_users(session)]

    @router.post("/users", response_model=UserOut, status_code=201)
    async def create_user(body: UserIn, _: Admin, rt: RuntimeDep, directories: DirectoriesDep) -> UserOut:
        row = await staff_auth.create_user(rt.uow(), body.model_dump(), directories=directories)
        return UserOut.model_validate(row)

    @router.patch("/users/{user_id}", response_model=UserOut)
    async def update_user(
        user_id: Annotated[str, Path(max_length=64, pattern=r"^[0-9a-fA-F-]{1,64}$")],
        body: UserPatch,
        _: Admin,
        rt: RuntimeDep,
        directories: DirectoriesDep,
    ) -> UserOut:
        nullable = ("unit_id", "badge_no")
        changes = {
            k: v for k, v in body.model_dump(exclude_unset=True).items() if v is not None or k in nullable
        }
        row = await staff_auth.update_user(rt.uow(), user_id, changes, directories=directories)
        return UserOut.model_validate(row)

    return router

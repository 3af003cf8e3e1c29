"""What the routes share: the service's parts (on app.state) and the rate-limit gates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, NoReturn

from fastapi import Depends, HTTPException, Request

from huiyin.db import UnitOfWork
from huiyin.pii import KeyRing
from huiyin.runtime import Runtime
from intake.adapters.group_commit import GroupCommit
from intake.adapters.rate_limit import RateLimiter
from intake.handlers.commit_filings import FilingOutcome
from intake.handlers.prepare_filing import FilingPolicy, NewComplaint
from intake.settings import IntakeSettings


@dataclass
class Intake:
    settings: IntakeSettings
    runtime: Runtime
    policy: FilingPolicy
    filings: GroupCommit[NewComplaint, FilingOutcome]
    filing_limit: RateLimiter | None
    lookup_failures: RateLimiter

    @property
    def keyring(self) -> KeyRing:
        return self.policy.keyring

    def uow(self) -> UnitOfWork:
        return self.runtime.uow()


async def get_intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


IntakeDep = Annotated[Intake, Depends(get_intake)]


def client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def too_many(retry_after: int, detail: str) -> HTTPException:
    return HTTPException(429, detail, headers={"Retry-After": str(retry_after)})


def check_filing_rate(intake: Intake, request: Request) -> None:
    if intake.filing_limit is not None and (wait := intake.filing_limit.hit(client_key(request))):
        raise too_many(wait, "too many complaints filed from this address; retry later")


async def filing_rate_limit(request: Request, intake: IntakeDep) -> None:
    check_filing_rate(intake, request)


@dataclass
class CitizenGate:
    """Counts failed lookups per client; past the allowance every lookup is refused for a while."""

    limiter: RateLimiter
    client: str

    def fail(self) -> NoReturn:
        self.limiter.add(self.client)
        raise HTTPException(404, "no complaint with this tracking code and access token")


async def citizen_gate(request: Request, intake: IntakeDep) -> CitizenGate:
    client = client_key(request)
    if wait := intake.lookup_failures.retry_after(client):
        raise too_many(wait, "too many failed lookups from this address; retry later")
    return CitizenGate(intake.lookup_failures, client)


CitizenGateDep = Annotated[CitizenGate, Depends(citizen_gate)]

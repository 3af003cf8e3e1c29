"""How a service wires event types to its handlers.

A handler takes the unit of work and a run of consecutive events of one type (a batch of
one is fine) and applies their effect through `uow.session`, emitting any follow-up events
with `uow.emit()`. It never commits: the consumer owns the transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from huiyin.db import UnitOfWork
from huiyin.events.envelope import Event, EventData

Handler = Callable[[UnitOfWork, Sequence[Event[Any]]], Awaitable[None]]
HandlerTable = dict[type[EventData], list[Handler]]


def handlers_by_type(table: HandlerTable) -> dict[str, list[Handler]]:
    return {model.event_type: handlers for model, handlers in table.items()}

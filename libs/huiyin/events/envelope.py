"""CloudEvents 1.0 envelope (structured JSON mode) around a typed pydantic payload."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"


class EventData(BaseModel):
    """Base of every event payload. Subclasses name their CloudEvents type and topic."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_type: ClassVar[str]
    topic: ClassVar[str]

    def key(self) -> str:
        """Kafka key: the complaint id, so one complaint's events share a partition."""
        return str(self.complaint_id)  # type: ignore[attr-defined]


D = TypeVar("D", bound=EventData)


@dataclass(frozen=True, slots=True)
class Event(Generic[D]):
    id: str
    source: str
    type: str
    subject: str
    time: datetime
    data: D
    specversion: str = SPECVERSION
    datacontenttype: str = CONTENT_TYPE

    @property
    def topic(self) -> str:
        return self.data.topic

    @property
    def key(self) -> str:
        return self.subject

    def to_wire(self) -> dict[str, Any]:
        return {
            "specversion": self.specversion,
            "id": self.id,
            "source": self.source,
            "type": self.type,
            "subject": self.subject,
            "time": self.time.isoformat(),
            "datacontenttype": self.datacontenttype,
            "data": self.data.model_dump(mode="json"),
        }


def new_event(data: D, *, source: str, time: datetime, event_id: str | None = None) -> Event[D]:
    if time.tzinfo is None:
        raise ValueError("event time must be timezone-aware")
    return Event(
        id=event_id or str(uuid.uuid4()),
        source=source,
        type=data.event_type,
        subject=data.key(),
        time=time,
        data=data,
    )

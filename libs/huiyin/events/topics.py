"""Topic names. Every topic is keyed by complaint id so one complaint's events stay in order;
`hotspots` is keyed by hot spot id (each event names its complaints)."""

from __future__ import annotations

COMPLAINTS = "complaints"  # produced by intake
ASSIGNMENTS = "assignments"  # produced by routing
SLA = "sla"  # produced by routing's SLA scheduler
FEEDBACK = "feedback"  # produced by feedback
HOTSPOTS = "hotspots"  # produced by routing's hot spot detector

ALL = (COMPLAINTS, ASSIGNMENTS, SLA, FEEDBACK, HOTSPOTS)


def dlq(topic: str) -> str:
    return f"{topic}.dlq"


def all_with_dlq() -> list[str]:
    return [*ALL, *(dlq(t) for t in ALL)]

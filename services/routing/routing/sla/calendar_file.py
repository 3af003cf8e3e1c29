"""Loading official year schedules from a JSON file (for the CLI and deployments).

The file holds one year or a list of years:
    {"year": 2027, "holidays": ["2027-01-01", "2027-10-01..2027-10-07"], "workdays": ["2027-09-26"]}
`holidays` are the days off (weekend days inside a holiday span may be listed or not);
`workdays` are the make-up working days (调休), which must fall on a weekend.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from huiyin.db import UowFactory
from routing.sla.handlers import CalendarLoad, load_calendar_year, parse_schedule


def read_calendar_file(path: Path) -> list[dict[str, Any]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    years = doc if isinstance(doc, list) else [doc]
    for entry in years:
        if not isinstance(entry, dict) or not isinstance(entry.get("year"), int):
            raise ValueError(f"{path}: every entry needs an integer 'year'")
    return years


async def load_calendar_file(uow: UowFactory, path: Path, *, by: str = "file") -> list[CalendarLoad]:
    """Load every year in the file (each in its own transaction, each recomputing the
    deadlines it changes)."""
    loads = []
    for entry in read_calendar_file(path):
        schedule = parse_schedule(
            entry["year"], list(entry.get("holidays", [])), list(entry.get("workdays", []))
        )
        loads.append(await load_calendar_year(uow, schedule, source=f"file:{path.name}", by=by))
    return loads

"""Public figures, pure parts: suppression below the minimum, district figures that would
reveal a suppressed station, ranks on published figures only, the canonical hash, the
dictionary against the open-data records, month closing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from feedback.domain.metrics import Rate
from feedback.domain.periods import PeriodError
from feedback.public import open_data
from feedback.public.domain import months as m
from feedback.public.domain.dictionary import FIELD_NAMES, dictionary, flat_record
from feedback.public.domain.snapshot import build_figures, canonical_text, sha256_of
from feedback.public.domain.suppression import public_count, public_rate

MARCH = date(2026, 3, 1)
WEIGHTS = {"response_rate": 0.4, "resolution_rate": 0.3, "satisfaction_rate": 0.3}


def unit(unit_id: str, district: str | None = "d1") -> dict[str, Any]:
    return {"unit_id": unit_id, "name": f"{unit_id} 派出所", "kind": "station", "district_id": district,
            "district_name": f"{district} 分局" if district else None}  # fmt: skip


def counts(
    n: int, *, ack_met: int | None = None, verdicts: int | None = None, satisfied: int = 0
) -> dict[str, int]:
    """n received, n ack deadlines (ack_met met), n resolve deadlines all met, verdicts."""
    v = n if verdicts is None else verdicts
    return {"received": n, "ack_counted": n, "ack_met": n if ack_met is None else ack_met,
            "resolve_counted": n, "resolve_met": n, "verdicts": v, "verdicts_resolved": v,
            "satisfied": min(satisfied, v), "basically_satisfied": v - min(satisfied, v)}  # fmt: skip


def add(*parts: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in parts:
        for k, v in p.items():
            out[k] = out.get(k, 0) + v
    return out


def figures(
    units: list[dict[str, Any]], by_unit: dict[str, dict[str, int]], min_count: int = 5
) -> dict[str, Any]:
    by_district: dict[str, dict[str, int]] = {}
    for u in units:
        key = u["district_id"] or ""
        by_district[key] = add(by_district.get(key, {}), by_unit.get(u["unit_id"], {}))
    return build_figures(month=MARCH, units=units, unit_counts=by_unit, district_counts=by_district,
                         weights=WEIGHTS, min_count=min_count)  # fmt: skip


def test_a_figure_from_fewer_than_the_minimum_is_never_a_number() -> None:
    assert public_count(4, 5) == {"status": "too_few"}
    assert public_count(5, 5) == {"status": "published", "value": 5}
    assert public_count(0, 5) == {"status": "published", "value": 0}  # computed from nobody
    assert public_rate(Rate(0.75, 3, 4), 5) == {"status": "too_few"}
    assert public_rate(Rate(None, 0, 0, "no verdict"), 5) == {"status": "no_data"}
    assert public_rate(Rate(2 / 3, 4, 6), 5) == {"status": "published", "value": 0.6667, "base": 6}
    assert public_rate(Rate(0.75, 3, 4), 3)["status"] == "published"  # the minimum is a setting


def test_a_small_station_shows_too_few_and_is_ranked_apart() -> None:
    out = figures([unit("big"), unit("small"), unit("mid")],
                  {"big": counts(10, ack_met=9), "small": counts(3), "mid": counts(8, ack_met=8)})  # fmt: skip
    rows = {r["unit_id"]: r for r in out["stations"]}
    small = rows["small"]
    assert small["received"] == {"status": "too_few"}
    assert all(f == {"status": "too_few"} for f in small["rates"].values())
    assert small["rank"] is None and small["score"] is None
    assert set(small["unranked_because"]) == set(WEIGHTS)
    assert "3" not in str(small["received"]) and "0.0" not in str(small["rates"])
    assert (rows["mid"]["rank"], rows["big"]["rank"]) == (1, 2)
    assert rows["big"]["rates"]["response_rate"] == {"status": "published", "value": 0.9, "base": 10}
    assert rows["big"]["score"] == pytest.approx(100 * (0.4 * 0.9 + 0.3 + 0.3))


def test_a_district_figure_that_would_reveal_one_suppressed_station_is_withheld() -> None:
    # d1: 10 + 3 -> 13 received; 13 - 10 would give the suppressed station's 3.
    # d2: 10 + 3 + 3 -> the two suppressed stations hold 6 together: publishing is safe.
    units = [unit("a"), unit("b"), unit("c", "d2"), unit("e", "d2"), unit("f", "d2")]
    out = figures(units, {"a": counts(10), "b": counts(3), "c": counts(10), "e": counts(3), "f": counts(3)})
    districts = {r["unit_id"]: r for r in out["districts"]}
    assert districts["d1"]["received"] == {"status": "withheld"}
    assert districts["d1"]["rates"]["response_rate"] == {"status": "withheld"}
    assert districts["d1"]["rank"] is None
    assert districts["d2"]["received"] == {"status": "published", "value": 16}
    assert districts["d2"]["rates"]["satisfaction_rate"]["base"] == 16
    assert districts["d2"]["rank"] == 1


def test_two_suppressed_verdicts_that_sum_below_the_minimum_are_not_revealed() -> None:
    # Stations b and c hold one verdict each: the district's rate minus a's would tell both.
    units = [unit("a"), unit("b"), unit("c")]
    out = figures(units, {"a": counts(10), "b": counts(6, verdicts=1), "c": counts(6, verdicts=1)})
    d1 = out["districts"][0]
    assert d1["received"]["status"] == "published"  # 10 + 6 + 6, all published
    assert d1["rates"]["satisfaction_rate"] == {"status": "withheld"}  # 12 - 10 = 2 < 5


def test_the_hash_is_of_a_canonical_text_independent_of_input_order() -> None:
    units = [unit("a"), unit("b"), unit("c", None)]
    data = {"a": counts(10, ack_met=7), "b": counts(6, satisfied=2), "c": counts(7)}
    one = canonical_text(figures(units, data))
    two = canonical_text(figures(list(reversed(units)), dict(reversed(list(data.items())))))
    assert one == two and sha256_of(one) == sha256_of(two)
    assert len(sha256_of(one)) == 64
    assert one.startswith('{"districts":') and ", " not in one  # sorted keys, no spaces
    changed = canonical_text(figures(units, {**data, "a": counts(10, ack_met=8)}))
    assert sha256_of(changed) != sha256_of(one)


def test_the_dictionary_covers_every_field_of_the_open_data() -> None:
    out = figures([unit("a"), unit("b")], {"a": counts(10), "b": counts(2)})
    published = {"month": "2026-03", "version": 1, "sha256": "x" * 64, "published_at": None,
                 "reason": None, "kind": "automatic", "figures": out}  # fmt: skip
    records = open_data.records(published)
    assert [r["level"] for r in records] == ["station", "station", "district"]
    for record in records:
        assert list(record) == FIELD_NAMES
    described = dictionary(5)
    assert [f["name"] for f in described["fields"]] == FIELD_NAMES
    assert all(f["definition_zh"] and f["definition_en"] and f["unit"] for f in described["fields"])
    assert {s["status"] for s in described["statuses"]} == {"published", "too_few", "no_data", "withheld"}
    rows = list(csv.reader(io.StringIO(open_data.as_csv(published).decode("utf-8-sig"))))
    assert rows[0] == FIELD_NAMES and len(rows) == 1 + len(records)
    b = dict(zip(rows[0], rows[2], strict=True))
    assert (b["unit_id"], b["received"], b["received_status"]) == ("b", "", "too_few")
    assert flat_record("2026-03", 1, "station", out["stations"][0])["response_rate"] == 1.0


def test_a_month_closes_at_its_end_in_shanghai_plus_the_grace() -> None:
    grace = timedelta(hours=1)
    end = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)  # 2026-04-01 00:00 in Asia/Shanghai
    assert m.closes_at(MARCH, grace) == end + grace
    assert not m.is_closed(MARCH, end + grace - timedelta(seconds=1), grace)
    assert m.is_closed(MARCH, end + grace, grace)
    assert m.last_closed(end + grace - timedelta(seconds=1), grace) == date(2026, 2, 1)
    assert m.last_closed(end + grace, grace) == MARCH
    assert m.months_from(date(2025, 11, 20), MARCH) == [date(2025, 11, 1), date(2025, 12, 1),
                                                       date(2026, 1, 1), date(2026, 2, 1), MARCH]  # fmt: skip
    assert m.parse_month("2026-03") == MARCH and m.month_text(MARCH) == "2026-03"
    for bad in ("2026-13", "2026-3", "26-03", "2026-03-01"):
        with pytest.raises(PeriodError):
            m.parse_month(bad)

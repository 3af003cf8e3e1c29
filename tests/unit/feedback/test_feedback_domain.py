"""The feedback service's domain rules, without I/O: periods, rates, ranking, verdicts,
scopes and the audit chain."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from feedback.domain.audit_chain import GENESIS, ChainWalker, StoredRecord, canonical, link
from feedback.domain.metrics import rates, with_breaches
from feedback.domain.periods import PeriodError, explicit_range, local_day, period_containing
from feedback.domain.ranking import Ranked, composite_score, rank
from feedback.domain.scope import Scope, scope_for
from feedback.domain.verdict import decide, token_matches
from huiyin.auth.tokens import Principal, Role

WEIGHTS = {"response_rate": 0.4, "resolution_rate": 0.3, "satisfaction_rate": 0.3}


def test_days_are_shanghai_days() -> None:
    assert local_day(datetime(2026, 3, 1, 16, 0, tzinfo=UTC)) == date(2026, 3, 2)  # 00:00 +08
    assert local_day(datetime(2026, 3, 1, 15, 59, tzinfo=UTC)) == date(2026, 3, 1)


def test_periods() -> None:
    week = period_containing("week", date(2026, 3, 5))  # a Thursday
    assert (week.start, week.end) == (date(2026, 3, 2), date(2026, 3, 9))
    december = period_containing("month", date(2025, 12, 31))
    assert (december.start, december.end) == (date(2025, 12, 1), date(2026, 1, 1))
    assert len(period_containing("month", date(2028, 2, 10)).days()) == 29
    assert explicit_range(date(2026, 3, 2), date(2026, 3, 3)).days() == [date(2026, 3, 2), date(2026, 3, 3)]
    with pytest.raises(PeriodError):
        explicit_range(date(2026, 3, 3), date(2026, 3, 2))
    with pytest.raises(PeriodError):
        explicit_range(date(2024, 1, 1), date(2026, 1, 1))


def test_a_rate_without_denominator_is_no_data() -> None:
    r = rates({"ack_met": 0, "ack_counted": 0, "verdicts": 4, "satisfied": 1, "basically_satisfied": 2})
    assert r["response_rate"].value is None and r["response_rate"].reason
    assert r["satisfaction_rate"].value == 0.75 and r["satisfaction_rate"].reason is None
    assert r["strict_satisfaction_rate"].value == 0.25
    assert r["response_rate"].as_dict() == {
        "value": None, "numerator": 0, "denominator": 0,
        "reason": "no acknowledgement deadline counted in the period",
    }  # fmt: skip
    assert with_breaches({"ack_counted": 5, "ack_met": 3, "resolve_counted": 2, "resolve_met": 2}) == {
        "ack_counted": 5, "ack_met": 3, "resolve_counted": 2, "resolve_met": 2,
        "ack_breaches": 2, "resolve_breaches": 0, "hotspot_missed": 0,
    }  # fmt: skip


def unit(key: str, response: tuple[int, int], verdicts: int, resolved: int, satisfied: int) -> Ranked:
    counts = {
        "ack_met": response[0], "ack_counted": response[1], "verdicts": verdicts,
        "verdicts_resolved": resolved, "satisfied": satisfied,
    }  # fmt: skip
    return Ranked(key=key, rates=rates(counts))


def test_ranking_keeps_units_without_data_apart() -> None:
    rows = [
        unit("b", (4, 5), 2, 0, 0),  # 0.4*0.8 = 32
        unit("a", (1, 2), 2, 2, 2),  # 0.4*0.5 + 0.3 + 0.3 = 80
        unit("c", (2, 2), 0, 0, 0),  # no verdicts: unranked
        unit("d", (1, 2), 2, 2, 2),  # ties with a
    ]
    ranked, unranked = rank(rows, WEIGHTS)
    assert [(r.key, r.rank, r.score) for r in ranked] == [("a", 1, 80.0), ("d", 1, 80.0), ("b", 3, 32.0)]
    assert [(r.key, r.missing) for r in unranked] == [("c", ["resolution_rate", "satisfaction_rate"])]


def test_a_zero_weight_component_is_not_required() -> None:
    score, missing = composite_score(
        unit("c", (2, 2), 0, 0, 0).rates, {**WEIGHTS, "resolution_rate": 0.0, "satisfaction_rate": 0.0}
    )
    assert (score, missing) == (100.0, [])


def test_verdict_rules() -> None:
    assert (
        decide(resolved=True, satisfaction="basically_satisfied", earlier_reopens=0).reopen_requested is False
    )
    first = decide(resolved=True, satisfaction="dissatisfied", earlier_reopens=0)
    assert (first.reopen_requested, first.review_flagged) == (True, False)
    not_resolved = decide(resolved=False, satisfaction="satisfied", earlier_reopens=0)
    assert not_resolved.reopen_requested is True
    second = decide(resolved=False, satisfaction="dissatisfied", earlier_reopens=1)
    assert (second.reopen_requested, second.review_flagged) == (False, True)


def test_token_check() -> None:
    digest = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b"  # sha256("secret")
    assert token_matches("secret", digest)
    assert token_matches("secret", digest.upper())
    assert not token_matches("Secret", digest)


def test_scopes() -> None:
    def who(role: Role, unit_id: str | None = "u1") -> Principal:
        return Principal(user_id="1", username="x", role=role, unit_id=unit_id)

    assert scope_for(who(Role.SUPERVISION), district_of_own_unit=None).city_wide
    district = scope_for(who(Role.DISTRICT_SUPERVISOR, "bureau-7"), district_of_own_unit="d7")
    assert district == Scope(district_id="d7")
    assert district.allows("u9", "d7") and not district.allows("u9", "d8")
    assert scope_for(who(Role.DISTRICT_SUPERVISOR, "d7"), district_of_own_unit=None) == Scope(
        district_id="d7"
    )
    station = scope_for(who(Role.OFFICER), district_of_own_unit=None)
    assert station.allows("u1", "d7") and not station.allows("u2", "d7")
    nobody = scope_for(who(Role.STATION_HEAD, None), district_of_own_unit=None)
    assert not nobody.allows("u1", None)


def chain(contents: list[str]) -> list[StoredRecord]:
    out, prev = [], GENESIS
    for seq, content in enumerate(contents, start=1):
        digest = link(prev, content)
        out.append(StoredRecord(seq, f"e{seq}", content, prev, digest))
        prev = digest
    return out


def test_chain_walk_reports_the_first_mismatch() -> None:
    records = chain([canonical({"b": 1, "a": "签收"}), "x", "y", "z"])
    assert records[0].content == '{"a":"签收","b":1}'
    walker = ChainWalker()
    assert walker.check(records[:2]) is None and walker.check(records[2:]) is None and walker.checked == 4

    edited = [*records[:2], StoredRecord(3, "e3", "Y", records[2].prev_hash, records[2].hash), records[3]]
    mismatch = ChainWalker().check(edited)
    assert mismatch is not None and (mismatch.seq, mismatch.reason) == (3, "content does not match its hash")

    gap = ChainWalker().check([records[0], records[2]])
    assert gap is not None and gap.seq == 3 and gap.reason.startswith("sequence gap")

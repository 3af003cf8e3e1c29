"""What may be published of a figure: the number, or a status instead of it.

- `no_data`: a rate with no denominator (as in every other view, never 0% or 100%);
- `too_few`: computed from fewer than the minimum (default 5): never the number;
- `withheld`: a district figure that would let a reader subtract the published stations'
  figures and get what their suppressed stations hold (see `remainder_is_small`).
A count of zero is published as 0: it is computed from nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from feedback.domain.metrics import Rate

PUBLISHED, NO_DATA, TOO_FEW, WITHHELD = "published", "no_data", "too_few", "withheld"
PUBLIC_RATES = (
    "response_rate",
    "on_time_resolution_rate",
    "resolution_rate",
    "satisfaction_rate",
    "strict_satisfaction_rate",
)
FIGURES = ("received", *PUBLIC_RATES)
DECIMALS = 4  # rates as ratios 0..1 to 4 decimals (a page shows 2 decimals of a percent)


def public_count(n: int, min_count: int) -> dict[str, Any]:
    if 0 < n < min_count:
        return {"status": TOO_FEW}
    return {"status": PUBLISHED, "value": n}


def public_rate(r: Rate, min_count: int) -> dict[str, Any]:
    if r.denominator <= 0 or r.value is None:
        return {"status": NO_DATA}
    if r.denominator < min_count:
        return {"status": TOO_FEW}
    return {"status": PUBLISHED, "value": round(r.value, DECIMALS), "base": r.denominator}


def base_of(figure: dict[str, Any]) -> int | None:
    """How many items a published figure counts (a count's value, a rate's denominator)."""
    if figure["status"] != PUBLISHED:
        return None
    return int(figure.get("base", figure.get("value", 0)))


def remainder_is_small(total: int, published_parts: Iterable[int], min_count: int) -> bool:
    """A district's figure minus its published stations' leaves what its suppressed
    stations hold together: publishing the district is safe only if that remainder is zero
    or itself reaches the minimum (one suppressed station of 3, or two of 1 each, is not)."""
    rest = total - sum(published_parts)
    return 0 < rest < min_count


def masked_for_ranking(rates: dict[str, Rate], shown: dict[str, dict[str, Any]]) -> dict[str, Rate]:
    """The rates a public rank may use: a component not published counts as having no data,
    so a unit is ranked only on figures everyone can see (a rank never hints at a
    suppressed rate)."""
    return {
        name: r
        if shown.get(name, {}).get("status", PUBLISHED) == PUBLISHED
        else Rate(None, 0, 0, "not published")
        for name, r in rates.items()
    }

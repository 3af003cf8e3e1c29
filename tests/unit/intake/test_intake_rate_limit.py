from __future__ import annotations

from intake.adapters.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_hits_over_the_limit_are_refused_until_the_window_ends() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 60, now=clock)
    assert [limiter.hit("a") for _ in range(3)] == [None, None, None]
    assert limiter.hit("a") == 60
    assert limiter.hit("b") is None  # per client
    clock.t += 45
    assert limiter.retry_after("a") == 15
    clock.t += 15
    assert limiter.hit("a") is None


def test_failures_only_count_when_added() -> None:
    clock = Clock()
    limiter = RateLimiter(2, 300, now=clock)
    for _ in range(10):
        assert limiter.retry_after("c") is None  # successful lookups cost nothing
    limiter.add("c")
    limiter.add("c")
    assert limiter.retry_after("c") == 300

"""The relay's poll floor: it rises only to ids published a lookback ago, and a sweep from zero
comes round every period, so a row committed late is delayed, never skipped."""

from __future__ import annotations

from huiyin.outbox.scan_floor import ScanFloor


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def floor(clock: Clock) -> ScanFloor:
    return ScanFloor(lookback_s=5.0, sweep_every_s=10.0, clock=clock)


def test_the_first_poll_is_a_sweep_and_the_floor_waits_out_the_lookback() -> None:
    clock = Clock()
    f = floor(clock)
    assert f.next_poll() == 0
    f.published(500)
    clock.now += 1
    assert f.next_poll() == 0  # published 1 s ago: a transaction that drew a lower id may be open
    f.published(900)
    clock.now += 4
    assert f.next_poll() == 500  # 5 s since 500 was published
    clock.now += 1
    assert f.next_poll() == 900


def test_a_sweep_from_zero_comes_round_every_period() -> None:
    clock = Clock()
    f = floor(clock)
    assert f.next_poll() == 0
    f.published(500)
    polls = []
    for _ in range(12):
        clock.now += 1
        polls.append(f.next_poll())
    assert polls == [0, 0, 0, 0, 500, 500, 500, 500, 500, 0, 500, 500]


def test_the_floor_never_falls_back_between_sweeps() -> None:
    clock = Clock()
    f = floor(clock)
    f.next_poll()
    f.published(900)
    clock.now += 1
    f.published(700)  # a later batch can end lower when a lane was behind
    clock.now += 5
    assert f.next_poll() == 900


def test_reset_sweeps_next_and_forgets_what_was_published() -> None:
    clock = Clock()
    f = floor(clock)
    f.next_poll()
    f.published(500)
    clock.now += 6
    assert f.next_poll() == 500
    f.reset()
    assert f.next_poll() == 0
    clock.now += 6
    assert f.next_poll() == 0  # nothing published since the reset: still from zero


def test_polling_that_always_sweeps_keeps_no_history() -> None:
    clock = Clock()
    f = ScanFloor(lookback_s=5.0, sweep_every_s=0.0, clock=clock)
    for i in range(100):
        assert f.next_poll() == 0
        f.published(i)
        clock.now += 1
    assert len(f._published) <= 6

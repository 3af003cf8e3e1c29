"""Measure the per-complaint cost of hot-spot text work on this machine (docs/hotspots.md):

    .venv/bin/python tests/data/hotspots/measure_cost.py

Times fingerprint() and band_keys() over the labelled texts (best of 5 rounds of process CPU time, after a
warm-up that loads jieba), and prints the machine's load so the figure can be read fairly.
"""

from __future__ import annotations

import json
import os
import time
import timeit
from pathlib import Path

from routing.hotspots.similarity import band_keys, fingerprint

TEXTS = [
    json.loads(line)["text"]
    for line in (Path(__file__).parent / "labelled.jsonl").read_text(encoding="utf-8").splitlines()
]


def per_call_us(fn, rounds: int = 5) -> float:  # type: ignore[no-untyped-def]
    # CPU time of this process: on a shared, busy machine wall time mostly measures the queue.
    best = min(timeit.repeat(fn, number=1, repeat=rounds, timer=time.process_time))
    return best / len(TEXTS) * 1e6


if __name__ == "__main__":
    fingerprint(TEXTS[0])  # warm-up: jieba's dictionary
    prints = [fingerprint(t) for t in TEXTS]
    fp_us = per_call_us(lambda: [fingerprint(t) for t in TEXTS])
    keys_us = per_call_us(lambda: [band_keys(p) for p in prints])
    print(f"{len(TEXTS)} texts, {os.cpu_count()} cpus, load average {os.getloadavg()}")
    print(f"fingerprint: {fp_us:.0f} us/complaint; band_keys: {keys_us:.0f} us/complaint")
    print(f"one core: about {1e6 / (fp_us + keys_us):.0f} complaints/s")

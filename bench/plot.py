"""The PNG: latency percentiles against offered load (median over runs, min-max as bars)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only; no display on a server
import matplotlib.pyplot as plt

from bench.figures import across_runs

_SERIES = (
    ("filing.{rate}.inbox.latency_ms.p50", "201 -> inbox p50", "-o"),
    ("filing.{rate}.inbox.latency_ms.p95", "201 -> inbox p95", "-s"),
    ("filing.{rate}.inbox.latency_ms.p99", "201 -> inbox p99", "-^"),
    ("filing.{rate}.http.latency_ms.p99", "intake HTTP p99 (from schedule)", "--v"),
    ("bare.steps.{rate}.latency_ms.p99", "bare endpoint HTTP p99", ":x"),
)


def latency_plot(results: dict[str, Any], path: Path) -> None:
    rates = sorted(
        {int(r) for run in results["runs"] for r in run["filing"]}
        | {int(r) for run in results["runs"] for r in run["bare"]["steps"]}
    )
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    for template, label, style in _SERIES:
        xs, mids, lows, highs = [], [], [], []
        for rate in rates:
            s = across_runs(results, template.format(rate=rate))
            if s is None:
                continue
            xs.append(rate)
            mids.append(s["median"])
            lows.append(s["median"] - s["min"])
            highs.append(s["max"] - s["median"])
        if xs:
            ax.errorbar(xs, mids, yerr=[lows, highs], fmt=style, capsize=3, label=label)
    ax.axhline(
        250, color="grey", linewidth=0.8, linestyle="--", label="goal: p99 201 -> inbox <= 250 ms at 500/s"
    )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(rates, [str(r) for r in rates])
    ax.set_xlabel("offered filings per second")
    ax.set_ylabel("latency, ms")
    runs = len(results["runs"])
    ax.set_title(f"Huiyin filing -> inbox latency ({results['mode']}, {runs} run{'s' if runs > 1 else ''})")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)

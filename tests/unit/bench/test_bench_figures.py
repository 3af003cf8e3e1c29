"""From raw generator records and inbox arrivals to the report's figures."""

from __future__ import annotations

from pathlib import Path

from bench.baselines import kafka_perf, pgbench
from bench.figures import derived, sustained
from bench.http_figures import http_figures
from bench.inbox import Arrival, inbox_figures
from bench.loadgen import LoadRun, Record, read_records
from bench.report import cell

MS = 1_000_000
T0 = 1_700_000_000_000_000_000


def _record(i: int, *, status: int = 201, took_ms: int = 10, queued_ms: int = 0) -> Record:
    due = T0 + i * 10 * MS  # 100/s
    sent = due + queued_ms * MS
    return Record(due, sent, sent + took_ms * MS, status, f"id-{i}", "" if status > 0 else "refused")


def _run(records: list[Record]) -> LoadRun:
    summary = {"planned": len(records), "sent": len(records), "late": 0, "dropped": 0, "max_send_lag_ms": 0.0}
    return LoadRun(summary=summary, records=records)


def test_latency_counts_from_the_scheduled_time_so_queueing_is_not_hidden() -> None:
    records = [_record(i, took_ms=10, queued_ms=40) for i in range(100)]
    f = http_figures(_run(records), rate=100, duration=1)
    assert f["latency_ms"]["p50"] == 50.0  # 40 ms waiting for a connection + 10 ms answer
    assert f["latency_from_send_ms"]["p50"] == 10.0
    assert f["accepted"] == 100
    assert f["errors"] == 0


def test_errors_are_counted_by_status_and_the_first_one_is_kept() -> None:
    records = [_record(0), _record(1, status=503), _record(2, status=0), _record(3, status=-1)]
    f = http_figures(_run(records), rate=100, duration=0.04)
    assert f["accepted"] == 1
    assert f["errors"] == 2  # a dropped request (-1) is not an error: it was never sent
    assert f["error_statuses"] == {"503": 1, "0": 1}
    assert f["first_error"] == "HTTP 503"


def test_inbox_latency_is_from_the_201_to_the_commit_of_the_assignment() -> None:
    ok = [_record(i) for i in range(4)]
    found = {
        r.id: Arrival(routed_ns=r.done_ns + 5 * MS, committed_ns=r.done_ns + (20 + i) * MS, armed=True)
        for i, r in enumerate(ok[:3])
    }
    f = inbox_figures(ok, found)
    assert f["reached_inbox"] == 3
    assert f["missing"] == 1
    assert f["armed"] == 3
    assert f["latency_ms"] == {"count": 3, "p50": 21.0, "p95": 22.0, "p99": 22.0, "max": 22.0}
    assert f["latency_routed_at_ms"]["max"] == 5.0
    # filings 10 ms apart, commits 11 ms apart: three arrivals over 22 ms
    assert f["inbox_per_s"] == round(3 / 0.022, 1)


def _step(offered: float, inbox_per_s: float, *, errors: int = 0, missing: int = 0) -> dict:
    return {
        "http": {"offered_per_s": offered, "errors": errors, "dropped": 0, "late_sends": 0, "sent": 100},
        "inbox": {"inbox_per_s": inbox_per_s, "missing": missing, "latency_ms": {"p99": 80.0}},
    }


def test_a_step_is_sustained_only_when_the_inboxes_keep_pace_and_nothing_is_lost() -> None:
    assert sustained(_step(500, 490))
    assert not sustained(_step(500, 400))
    assert not sustained(_step(500, 500, errors=1))
    assert not sustained(_step(500, 500, missing=1))


def test_a_step_whose_deferred_work_never_caught_up_is_not_sustained() -> None:
    caught_up = {**_step(500, 500), "caught_up_after_s": 12.5}
    never = {**_step(500, 500), "caught_up_after_s": None}  # lag left after the settle timeout
    assert sustained(caught_up)
    assert not sustained(never)


def test_ratios_are_taken_within_one_run() -> None:
    run = {
        "filing": {"500": _step(500, 498), "1000": _step(1000, 700)},
        "bare": {"capacity": {"accepted_per_s": 1000.0}, "steps": {}},
        "intake_alone": {"accepted_per_s": 1600.0},
        "pgbench": {"tps": 2000.0},
        "kafka_producer": {"records_per_s": 100_000.0},
    }
    d = derived(run)
    assert d["max_sustained_offered_per_s"] == 500
    assert d["peak_inbox_per_s"] == 700
    assert d["intake_alone_vs_bare"] == 1.6
    assert d["peak_inbox_vs_pgbench_tps"] == 0.35
    assert d["p99_inbox_ms_at_500"] == 80.0


def test_a_cell_shows_the_median_and_the_range_of_the_runs() -> None:
    assert cell({"median": 1200.0, "min": 1100.0, "max": 1300.0, "n": 3}) == "1,200 (1,100–1,300)"
    assert cell({"median": 12.34, "min": 12.34, "max": 12.34, "n": 1}, 1) == "12.3"
    assert cell(None) == "no data"


def test_kafka_producer_performance_summary_line_is_parsed() -> None:
    out = (
        "850000 records sent, 169990.0 records/sec (81.06 MB/sec), 120.5 ms avg latency, 700.0 ms max latency.\n"
        "1000000 records sent, 171233.6 records/sec (81.65 MB/sec), 150.12 ms avg latency, 400.00 ms max "
        "latency, 120 ms 50th, 300 ms 95th, 350 ms 99th, 390 ms 99.9th.\n"
    )
    parsed = kafka_perf.parse(out)
    assert parsed["records"] == 1_000_000
    assert parsed["records_per_s"] == 171233.6
    assert parsed["latency_p99_ms"] == 350.0


def test_pgbench_tps_is_parsed() -> None:
    out = "latency average = 3.012 ms\ninitial connection time = 12.3 ms\ntps = 2655.123 (without initial connection time)\n"
    assert pgbench.parse(out) == {"tps": 2655.123, "latency_avg_ms": 3.012}


def test_generator_records_are_read_back(tmp_path: Path) -> None:
    path = tmp_path / "run.tsv"
    path.write_text(f"{T0}\t{T0 + 1}\t{T0 + 2}\t201\tabc\t\n{T0}\t{T0}\t{T0 + 5}\t0\t\tconnection refused\n")
    first, second = read_records(path)
    assert first == Record(T0, T0 + 1, T0 + 2, 201, "abc", "")
    assert second.status == 0
    assert second.error == "connection refused"

"""`python -m bench.stages`: where a complaint's time goes between its 201 and its inbox row.

Starts the same system as the benchmark (repo launcher, every guarantee on), files at
`--rate` for `--seconds` with the open-loop generator, waits until every complaint is
placed, and then reads, per complaint, the moments the system recorded itself:

- the client's 201 (load generator),
- the `complaint.submitted` record's timestamp on Kafka (set when intake's outbox relay
  produced it),
- `routed_at` (routing's clock when its handler took the batch),
- the commit of the assignment row (PostgreSQL's commit timestamp; deadlines armed).

It prints each stage's distribution: 201 → on Kafka (intake's relay), on Kafka → routing
handler (fetch, decoding, waiting for the batch before), handler → commit (routing's
transaction). For finding where latency goes, not for the report's figures. `--env`,
`--services` and `--nice` run it with a part turned off, left out or at a lower CPU
priority, to see what that part costs the inbox path (bench/analysis.md).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
from pathlib import Path

import psutil
from aiokafka import ConsumerRecord

from bench import bodies, inbox, loadgen, system, topic_read
from bench.stats import distribution
from huiyin.devstack.stack import SERVICES
from huiyin.events import REGISTRY
from huiyin.events.complaints import ComplaintSubmitted


def _read_produced(bootstrap: str, topic: str, start: topic_read.Offsets, ids: set[str]) -> dict[str, int]:
    """complaint id -> the ns its complaint.submitted record was produced (Kafka's timestamp)."""
    produced: dict[str, int] = {}

    def on_record(r: ConsumerRecord[bytes, bytes]) -> bool:
        if r.value is None:
            return False
        data = REGISTRY.decode(r.value).data
        if isinstance(data, ComplaintSubmitted) and str(data.complaint_id) in ids:
            produced[str(data.complaint_id)] = r.timestamp * 1_000_000
        return len(produced) >= len(ids)

    asyncio.run(topic_read.read_from(bootstrap, topic, start, on_record=on_record, timeout_s=30))
    return produced


def _show(name: str, values: list[float]) -> None:
    d = distribution(values)
    if d is None:
        print(f"{name:28} no data")
        return
    cells = "  ".join(f"{k} {v:8.1f}" for k, v in d.items() if k != "count")
    print(f"{name:28} n={d['count']:<6} {cells}  (ms)")


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.stages", description=__doc__.split("\n\n")[0])
    p.add_argument("--rate", type=float, default=500)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--env", action="append", default=[], help="KEY=VALUE for the services, e.g. "
                   "ROUTING_HOTSPOT_DETECTION=false (to see what a part costs)")  # fmt: skip
    p.add_argument(
        "--services", default=",".join(SERVICES), help="which to start (intake and routing at least)"
    )
    p.add_argument("--nice", action="append", default=[], help="SERVICE=N: renice that service's processes")
    args = p.parse_args()
    with system.infrastructure({}) as stack:
        stack.config.env.update(dict(kv.split("=", 1) for kv in args.env))
        system.start_services(stack, tuple(args.services.split(",")))
        for service, n in (kv.split("=", 1) for kv in args.nice):
            root = psutil.Process(stack.service_pid(service))
            for proc in [root, *root.children(recursive=True)]:
                proc.nice(int(n))
        topic = "complaints"
        start = asyncio.run(topic_read.end_offsets(stack.kafka.bootstrap_servers, topic))
        work = Path(tempfile.mkdtemp(prefix="huiyin-stages-"))
        path = work / "bodies.jsonl"
        bodies.write_bodies(system.dsn(stack, "routing"), int(args.rate * args.seconds) + 10, path)
        gen, _ = loadgen.command()
        result: list[loadgen.LoadRun] = []
        load = threading.Thread(
            target=lambda: result.append(
                loadgen.run(
                    gen,
                    url=stack.url("intake") + "/api/v1/complaints",
                    bodies=path,
                    rate=args.rate,
                    duration=args.seconds,
                    conns=256,
                    out=work / "load.tsv",
                )
            )
        )
        load.start()
        load.join()
        ok = [r for r in result[0].records if r.status == 201 and r.id]
        ids = [r.id for r in ok]
        inbox.wait_until_placed(stack, ids, 300)
        arrived = inbox.arrivals(stack, ids)
        produced = _read_produced(stack.kafka.bootstrap_servers, topic, start, set(ids))
    ms = 1e6
    stages: dict[str, list[float]] = {
        k: [] for k in ("201->on kafka", "on kafka->handler", "handler->commit")
    }
    total: list[float] = []
    for r in ok:
        a, on_kafka = arrived.get(r.id), produced.get(r.id)
        if a is None or a.committed_ns is None or on_kafka is None:
            continue
        stages["201->on kafka"].append((on_kafka - r.done_ns) / ms)
        stages["on kafka->handler"].append((a.routed_ns - on_kafka) / ms)
        stages["handler->commit"].append((a.committed_ns - a.routed_ns) / ms)
        total.append((a.committed_ns - r.done_ns) / ms)
    print(f"{len(ok)} accepted at {args.rate:g}/s for {args.seconds:g} s; {len(total)} with every moment")
    for name, values in stages.items():
        _show(name, values)
    _show("201->inbox", total)
    _show("HTTP (due->201)", [(r.done_ns - r.due_ns) / ms for r in ok])


if __name__ == "__main__":
    main()

"""`python -m bench.profile`: where each service spends its CPU under a fixed filing load.

Starts the same system as the benchmark (repo launcher, every guarantee on), files at
`--rate` for `--seconds` with the open-loop generator, and samples every service process
with py-spy meanwhile; writes one py-spy "raw" (collapsed stacks) file per process and
prints each service's top frames by own time and by total time. For finding the biggest
cost, not for figures: the sampler itself takes some CPU.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from bench import bodies, loadgen, system
from huiyin.devstack.stack import SERVICES

OUT = Path(__file__).resolve().parent / "results" / "profiles"


def _service_pids(stack: system.Stack, service: str) -> list[int]:
    import psutil

    root = psutil.Process(stack.service_pid(service))
    kids = [p.pid for p in root.children(recursive=True) if "python" in p.name()]
    return kids or [root.pid]


def _sample(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    spy = shutil.which("py-spy") or str(Path(__import__("sys").executable).with_name("py-spy"))
    cmd = [spy, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "200"]
    cmd += ["--format", "raw", "--output", str(out), "--nonblocking"]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarize(raw: Path, top: int) -> list[str]:
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        samples += n
        frames = stack.split(";")
        own[frames[-1]] += n
        for frame in set(frames):
            total[frame] += n
    lines = [f"{raw.name}: {samples} samples"]
    lines += [f"  own {n * 100 / samples:5.1f}%  {f}" for f, n in own.most_common(top)]
    lines += [f"  tot {n * 100 / samples:5.1f}%  {f}" for f, n in total.most_common(top * 2)]
    return lines


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    p.add_argument("--rate", type=float, default=600)
    p.add_argument("--seconds", type=float, default=25)
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with system.infrastructure({}) as stack:
        system.start_services(stack)
        work = Path(tempfile.mkdtemp(prefix="huiyin-profile-"))
        path = work / "bodies.jsonl"
        bodies.write_bodies(system.dsn(stack, "routing"), int(args.rate * args.seconds) + 10, path)
        gen, _ = loadgen.command()
        url = stack.url("intake") + "/api/v1/complaints"
        load = threading.Thread(
            target=loadgen.run,
            args=(gen,),
            kwargs={
                "url": url,
                "bodies": path,
                "rate": args.rate,
                "duration": args.seconds,
                "conns": 256,
                "out": work / "load.tsv",
            },
        )
        load.start()
        spies = []
        for service in SERVICES:
            for pid in _service_pids(stack, service):
                raw = OUT / f"{service}-{pid}.txt"
                spies.append((raw, _sample(pid, args.seconds - 3, raw)))
        load.join()
        for raw, spy in spies:
            spy.wait()
            if raw.exists():
                print("\n".join(summarize(raw, args.top)))


if __name__ == "__main__":
    main()

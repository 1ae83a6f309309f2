"""The machine's own ceiling for goal (c): how much faster two processes finish two CPU-bound
jobs (a Python loop and single-threaded numpy matrix products, no I/O, nothing shared) than one
process doing both. ``geodl batch --workers 2`` cannot scale better than this.

Usage: .venv/bin/python benchmarks/bench_parallel_ceiling.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

LOOP = 6_000_000


def job(seed: int) -> float:
    total = 0
    for i in range(LOOP):
        total += i * i
    a = np.random.default_rng(seed).random((200, 200))
    for _ in range(200):
        a = a @ a / 200.0
    return float(total) + float(a[0, 0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    speedups = []
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(job, [0, 1])  # the pool's start-up outside the timing
        for _ in range(args.repeat):
            clock = time.perf_counter()
            job(0)
            job(1)
            serial = time.perf_counter() - clock
            clock = time.perf_counter()
            pool.map(job, [0, 1])
            parallel = time.perf_counter() - clock
            speedups.append(serial / parallel)
    print(json.dumps({"cores": len(os.sched_getaffinity(0)), "speedup_2_processes": speedups,
                      "median": statistics.median(speedups)}, indent=2))


if __name__ == "__main__":
    main()

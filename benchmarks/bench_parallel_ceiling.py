"""The machine's own ceiling for goal (c): how much faster two processes, each pinned to its own
core, finish two jobs than one process doing both. ``geodl batch --workers 2`` cannot scale
better than this.

Two workloads:

``toy``
    A Python loop and single-threaded numpy matrix products (no I/O, nothing shared).
``grading``
    The floor itself: the ch06 checks in-process, unsandboxed (``tests.support.inprocess``), on a
    slice of the sample class: what a batch worker does, without the sandbox or the batch.
``sandboxed``, ``sandboxed-unplanned``
    The same slice through a warm bwrap worker pinned with its grading process to that
    process's core, with each replayed property's calls planned (the default) or made one by
    one: what a batch worker does, without the batch's start-up.

Usage: .venv/bin/python benchmarks/bench_parallel_ceiling.py [--workload toy|grading|sandboxed|sandboxed-unplanned|both]
[--repeat 3] (``both``: toy and grading)
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from concurrent import futures
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from _report import scratch_folder, write_report  # noqa: E402  (benchmarks/_report.py)

REPO = Path(__file__).resolve().parents[1]
LOOP = 6_000_000
GRADING_SUBMISSIONS = 12  #: per job


def toy_job(seed: int) -> float:
    clock = time.perf_counter()
    total = 0
    for i in range(LOOP):
        total += i * i
    a = np.random.default_rng(seed).random((200, 200))
    for _ in range(200):
        a = a @ a / 200.0
    assert np.isfinite(a).all() and total > 0
    return time.perf_counter() - clock


_GRADING: dict = {}


GRADING_WORKLOADS = ("grading", "sandboxed", "sandboxed-unplanned")


def _init(core: int, workload: str, root: str | None) -> None:
    """Pin this process to ``core``; for a grading workload, import and warm up its worker."""
    cpu = sorted(os.sched_getaffinity(0))[core]
    os.sched_setaffinity(0, {cpu})
    if workload not in GRADING_WORKLOADS:
        return
    sys.path.insert(0, str(REPO))
    from graders.chapters import load_chapter
    from graders.grading.engine import grade
    from graders.grading.settings import get_profile
    from graders.grading.submission import Submission
    from tests.support.inprocess import InProcessWorker

    chapter, settings = load_chapter("ch06"), get_profile("grading")
    if workload == "grading":
        worker = InProcessWorker()
    else:
        from graders.grading.client import Worker
        from graders.sandbox import WorkerOptions, require
        worker = Worker(require("bwrap"), options=WorkerOptions(preload=chapter.warm_preload, core=cpu), slot=40 + core)
        worker.start()
        settings = settings.replace(plan_calls=workload == "sandboxed")
    folders = sorted((Path(root) / "submitted").glob("*/ch06"))
    grade(Submission.from_path(folders[0], "ch06"), chapter, worker, settings)  # first-use imports, untimed
    _GRADING.update(grade=grade, chapter=chapter, worker=worker, settings=settings, folders=folders,
                    read=lambda folder: Submission.from_path(folder, "ch06"))


def grading_job(part: int) -> float:
    """Grade submissions ``part * n ... part * n + n - 1`` of the class in-process; the seconds taken."""
    g = _GRADING
    folders = g["folders"][part * GRADING_SUBMISSIONS:(part + 1) * GRADING_SUBMISSIONS]
    clock = time.perf_counter()
    for folder in folders:
        g["grade"](g["read"](folder), g["chapter"], g["worker"], g["settings"])
    return time.perf_counter() - clock


def ceiling(workload: str, repeat: int, root: str | None) -> dict:
    """Serial: one pinned process runs job 0 then job 1. Parallel: two processes pinned to two
    cores run one job each at the same time. Speedup = serial wall / parallel wall."""
    job = grading_job if workload in GRADING_WORKLOADS else toy_job
    context = multiprocessing.get_context("spawn")
    pools = [futures.ProcessPoolExecutor(1, mp_context=context, initializer=_init, initargs=(core, workload, root))
             for core in (0, 1)]
    try:
        for pool in pools:
            pool.submit(job, 0).result()  # start-up (and warm-up) outside the timing
        speedups, walls = [], []
        for _ in range(repeat):
            clock = time.perf_counter()
            pools[0].submit(job, 0).result()
            pools[0].submit(job, 1).result()
            serial = time.perf_counter() - clock
            clock = time.perf_counter()
            running = [pools[0].submit(job, 0), pools[1].submit(job, 1)]
            for future in running:
                future.result()
            parallel = time.perf_counter() - clock
            speedups.append(serial / parallel)
            walls.append({"serial_s": round(serial, 3), "parallel_s": round(parallel, 3)})
    finally:
        for pool in pools:
            pool.shutdown()
    return {"speedup_2_processes": speedups, "median": statistics.median(speedups), "walls": walls}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=("toy", *GRADING_WORKLOADS, "both"), default="both")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    report: dict = {"cores": len(os.sched_getaffinity(0))}
    root = None
    if args.workload in (*GRADING_WORKLOADS, "both"):
        sys.path.insert(0, str(REPO))
        from graders.authoring.samples import write_class
        root = str(scratch_folder("geodl-bench-ceiling-"))
        write_class(Path(root), "ch06", 2 * GRADING_SUBMISSIONS, seed=11, hostile=False)
    for workload in ("toy", "grading") if args.workload == "both" else (args.workload,):
        report[workload] = ceiling(workload, args.repeat, root)
    write_report("parallel_ceiling", report)


if __name__ == "__main__":
    main()

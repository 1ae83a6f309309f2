"""Grading one ch06 solution: the floor (checks in-process, no sandbox), the same checks through a
warm sandboxed worker, ``geodl grade`` end to end, and the round trip of a small call.

Usage: .venv/bin/python benchmarks/bench_grade_one.py [--sandbox bwrap] [--repeat 3]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _report import scratch_folder, write_report  # noqa: E402  (benchmarks/_report.py)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graders.authoring.release import release  # noqa: E402
from graders.chapters import load_chapter  # noqa: E402
from graders.grading.client import Worker  # noqa: E402
from graders.grading.context import CheckContext  # noqa: E402
from graders.grading.engine import grade  # noqa: E402
from graders.grading.settings import get_profile  # noqa: E402
from graders.grading.submission import Submission  # noqa: E402
from graders.sandbox import WorkerOptions, get_sandbox  # noqa: E402
from tests.support.inprocess import InProcessWorker  # noqa: E402


def count_calls(monkey_target=CheckContext):
    """Wrap CheckContext._call to count the calls into the worker."""
    counter = {"n": 0}
    original = monkey_target._call

    def counting(self, *args, **kwargs):
        counter["n"] += 1
        return original(self, *args, **kwargs)
    monkey_target._call = counting
    return counter


def timed_grades(submission, chapter, worker, settings, repeat):
    times = []
    for _ in range(repeat):
        clock = time.perf_counter()
        result = grade(submission, chapter, worker, settings)
        times.append(time.perf_counter() - clock)
        assert result.score == result.max_score, "the solution must score full marks"
    return times


def round_trips(worker, n=2000):
    session = worker.open_session()
    session.request("load", {"files": {"ch99/tiny.py": b"def same(x):\n    return x\n"}}, timeout_s=10)
    session.request("import", {"module": "ch99.tiny"}, timeout_s=10)
    out = {}
    for label, op, fields in (("ping", "ping", {}),
                              ("small call", "call",
                               {"target": {"module": "ch99.tiny", "path": ["same"]}, "args": [1.5]})):
        samples = []
        for _ in range(n):
            clock = time.perf_counter()
            session.request(op, fields, timeout_s=10)
            samples.append(time.perf_counter() - clock)
        out[label] = {"median_us": statistics.median(samples) * 1e6, "p90_us": sorted(samples)[int(0.9 * n)] * 1e6}
    session.close()
    return out


def sandbox_memory(worker) -> dict:
    """PSS of the sandbox's processes (the warden with its preloaded modules), in MiB."""
    import psutil
    tree = psutil.Process(worker.process.popen.pid).children(recursive=True)
    pss = {p.pid: p.memory_full_info().pss for p in tree}
    warden = max(pss, key=pss.get)
    return {"warden_pss_mb": pss[warden] / 2**20, "sandbox_total_pss_mb": sum(pss.values()) / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox", default="bwrap")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    chapter, settings = load_chapter("ch06"), get_profile("grading")
    folder = scratch_folder("geodl-bench-")
    release("ch06", folder, solution=True)
    submission = Submission.from_path(folder, "ch06")
    counter = count_calls()

    floor = timed_grades(submission, chapter, InProcessWorker(), settings, args.repeat + 1)
    calls = counter["n"] // (args.repeat + 1)

    clock = time.perf_counter()
    worker = Worker(get_sandbox(args.sandbox), options=WorkerOptions())
    worker.start()
    start_s = time.perf_counter() - clock
    warm = timed_grades(submission, chapter, worker, settings, args.repeat + 1)
    trips = round_trips(worker)
    sandbox_pss = sandbox_memory(worker)
    worker.stop()

    clock = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "graders.cli", "grade", str(folder), "-a", "ch06", "--hidden",
                           "--sandbox", args.sandbox, "--json", str(folder / "r.json")], cwd=REPO, capture_output=True)
    end_to_end = time.perf_counter() - clock
    assert done.returncode == 0, done.stderr[-2000:]

    report = {
        "floor_s": {"first": floor[0], "steady_median": statistics.median(floor[1:])},
        "sandboxed_warm_s": {"first": warm[0], "steady_median": statistics.median(warm[1:])},
        "worker_start_s": start_s,
        "sandbox_memory": sandbox_pss,
        "geodl_grade_end_to_end_s": end_to_end,
        "calls_per_grading": calls,
        "round_trip": trips,
    }
    steady_overhead = report["sandboxed_warm_s"]["steady_median"] - report["floor_s"]["steady_median"]
    report["sandbox_overhead_s"] = steady_overhead
    report["sandbox_overhead_per_call_us"] = steady_overhead / max(calls, 1) * 1e6
    report["ratio_sandboxed_over_floor"] = (report["sandboxed_warm_s"]["steady_median"]
                                            / report["floor_s"]["steady_median"])
    write_report("grade_one", report)


if __name__ == "__main__":
    main()

"""What a warden whose heap is on huge pages (``worker.collapse_heap``) saves per session, as an
A/B in one process: two warm bwrap workers with the same chapter preload, one on huge pages and
one on small pages (``WorkerOptions(huge_pages=False)``, the warden's ``--small-pages``), with
this process and both sandboxes pinned to one core, in rounds of alternating order.

1. ``sessions``: sessions that open, make one small call and close (waiting for the warden to
   reap them), back to back: a session's fork, its exit, and what is between.
2. ``grading``: correct submissions of the chapter graded in turn through each worker.

For each, the wall time per session (or submission) and the sandbox's CPU time per session:
the warden's own and that of the sessions it reaped (``/proc/<warden>/stat``, in clock ticks).

Usage: .venv/bin/python benchmarks/bench_warden.py [--chapter ch06] [--sessions 100] [--submissions 8] [--rounds 3]
Writes benchmarks/out/warden.json.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from _report import scratch_folder, write_report  # noqa: E402  (benchmarks/_report.py)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graders.authoring.samples import write_class  # noqa: E402
from graders.chapters import load_chapter  # noqa: E402
from graders.grading.client import Worker  # noqa: E402
from graders.grading.engine import grade, prepare  # noqa: E402
from graders.grading.settings import get_profile  # noqa: E402
from graders.grading.submission import Submission  # noqa: E402
from graders.sandbox import WorkerOptions, require  # noqa: E402

CONFIGS = {"huge pages": True, "small pages": False}
TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    """Every process's children, by parent pid (from ``/proc/*/stat``)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(name))
    return children


def warden_pid(sandbox_pid: int) -> int:
    """The host pid of the warden under the sandbox process ``sandbox_pid``: the first process,
    breadth first, that is Python running ``worker.py`` (its sessions, forks of it, are below
    it; bwrap's own command line names ``worker.py`` too)."""
    children, level = _children(), [sandbox_pid]
    while level:
        for pid in level:
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if os.path.basename(argv[0]).startswith(b"python") and any(arg.endswith(b"worker.py") for arg in argv):
                return pid
        level = [child for pid in level for child in children.get(pid, [])]
    raise RuntimeError(f"no warden under process {sandbox_pid}")


def sandbox_cpu_s(pid: int) -> float:
    """The warden's CPU seconds, its own and those of the children it has reaped."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) * TICK_S  # utime, stime, cutime, cstime


def one_session(worker: Worker) -> None:
    session = worker.open_session()
    reply = session.request("ping", {"payload": [1, 2, 3]}, timeout_s=10)
    assert reply.ok and reply.value == [1, 2, 3], reply
    session.close(wait=True)


def settle(worker: Worker) -> None:
    """Wait until the warden has reaped every session so far (it handles closes in order)."""
    worker.open_session().close(wait=True)


def measure(chapter_id: str, sessions: int, submissions: int, rounds: int) -> dict:
    chapter = load_chapter(chapter_id)
    settings = get_profile("grading")
    core = sorted(os.sched_getaffinity(0))[0]
    workers = {}
    report: dict = {"chapter": chapter_id, "pinned_core": core, "rounds": rounds, "preload": list(chapter.warm_preload)}
    for name, huge in CONFIGS.items():
        options = WorkerOptions(preload=chapter.warm_preload, core=core, huge_pages=huge)
        worker = Worker(require("bwrap"), options=options, slot=30 + len(workers))
        worker.start()
        workers[name] = (worker, warden_pid(worker.process.popen.pid))
        report[name] = {"huge_page_kb": worker.info.get("huge_page_kb"), "preload_s": worker.info.get("preload_s")}
    os.sched_setaffinity(0, {core})

    work = scratch_folder("geodl-warden-")
    roster = dict(write_class(work, chapter_id, 4 * submissions, seed=5, hostile=False))
    correct = sorted(student for student, kind in roster.items() if kind == "correct")[:submissions]
    graded = [Submission.from_path(work / "submitted" / student / chapter_id, chapter_id) for student in correct]
    prepare(chapter, settings)

    wall = {(part, name): [] for part in ("sessions", "grading") for name in CONFIGS}
    cpu = {key: [] for key in wall}
    scores = {name: [] for name in CONFIGS}
    for _name, (worker, _) in workers.items():  # warm both (first imports, the examples drawn)
        one_session(worker)
        if graded:
            grade(graded[0], chapter, worker, settings)
    for round_ in range(rounds):
        order = list(CONFIGS) if round_ % 2 == 0 else list(CONFIGS)[::-1]
        for name in order:
            worker, pid = workers[name]
            settle(worker)
            cpu_before, clock = sandbox_cpu_s(pid), time.perf_counter()
            for _ in range(sessions):
                one_session(worker)
            wall[("sessions", name)].append((time.perf_counter() - clock) / sessions)
            cpu[("sessions", name)].append((sandbox_cpu_s(pid) - cpu_before) / sessions)
        for name in order:
            worker, pid = workers[name]
            settle(worker)
            cpu_before, clock = sandbox_cpu_s(pid), time.perf_counter()
            for submission in graded:
                scores[name].append(grade(submission, chapter, worker, settings).score)
            settle(worker)
            wall[("grading", name)].append((time.perf_counter() - clock) / max(1, len(graded)))
            cpu[("grading", name)].append((sandbox_cpu_s(pid) - cpu_before) / max(1, len(graded)))
    for worker, _ in workers.values():
        worker.stop()

    for part, count in (("sessions", sessions), ("grading", len(graded))):
        huge, small = ("huge pages", "small pages")
        part_report = {"per_round": count}
        for name in CONFIGS:
            part_report[name] = {"wall_ms_each_round": [round(s * 1e3, 2) for s in wall[(part, name)]],
                                 "sandbox_cpu_ms_each_round": [round(s * 1e3, 2) for s in cpu[(part, name)]]}
        part_report["wall_ms_saved_mean"] = round(
            (statistics.mean(wall[(part, small)]) - statistics.mean(wall[(part, huge)])) * 1e3, 2)
        part_report["sandbox_cpu_ms_saved_mean"] = round(
            (statistics.mean(cpu[(part, small)]) - statistics.mean(cpu[(part, huge)])) * 1e3, 2)
        part_report["wall_ratio_small_over_huge"] = round(
            statistics.mean(wall[(part, small)]) / statistics.mean(wall[(part, huge)]), 3)
        report[part] = part_report
    report["grading"]["scores_equal"] = scores["huge pages"] == scores["small pages"]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", default="ch06")
    parser.add_argument("--sessions", type=int, default=100, help="sessions per configuration and round")
    parser.add_argument("--submissions", type=int, default=8, help="correct submissions per configuration and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    write_report("warden", measure(args.chapter, args.sessions, args.submissions, args.rounds))


if __name__ == "__main__":
    main()

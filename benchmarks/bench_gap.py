"""(b)−(a) of the class benchmark, measured as a difference in one process: the same ch06
submissions graded in turn in-process (the floor, no sandbox) and through one warm sandboxed
worker, for each example mode asked for (``replay``: the default, each replayed property's calls
planned and made in one stream; ``unplanned``: the replay with its calls one by one),
everything pinned to one core, over several
rounds in alternating order. The sandboxed worker preloads what ``geodl batch`` would for the
class (``class``, :func:`graders.batch.preload.class_preload`); with ``--preloads``, one worker per
preload (``class``; ``chapter``: the chapter's whole warm preload; or modules joined by ``+``:
``numpy+msgpack``), each measured against the same floor.

Separate runs of ``bench_class.py`` drift by up to 25% on a small VM; here each submission is
graded in every configuration back to back, so the drift falls on all of them alike. It also
reports, per configuration, the grading process's own CPU time (``resource.getrusage``), so the
sandbox's overhead splits into the grader's side and the rest (the session and the switches).

Usage: .venv/bin/python benchmarks/bench_gap.py [--size 12] [--rounds 2] [--modes replay,unplanned]
[--preloads class,chapter,numpy]
Writes benchmarks/out/gap.json.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

from _report import scratch_folder, write_report  # noqa: E402  (benchmarks/_report.py)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graders.authoring.samples import write_class  # noqa: E402
from graders.batch.discovery import discover, read_submission  # noqa: E402
from graders.batch.preload import class_preload  # noqa: E402
from graders.chapters import load_chapter  # noqa: E402
from graders.grading.client import Worker  # noqa: E402
from graders.grading.engine import grade, prepare  # noqa: E402
from graders.grading.settings import get_profile  # noqa: E402
from graders.grading.submission import Submission  # noqa: E402
from graders.sandbox import WorkerOptions, require  # noqa: E402
from tests.support.inprocess import InProcessWorker  # noqa: E402

MODES = {"replay": {}, "unplanned": {"plan_calls": False}}


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rounds(samples: list[float], rounds: int) -> list[list[float]]:
    """``samples`` (one per submission, round after round) split into its rounds."""
    per_round = len(samples) // rounds
    return [samples[r * per_round:(r + 1) * per_round] for r in range(rounds)]


def measure(size: int, rounds: int, modes: list[str], sandbox: str, preloads: tuple[str, ...] = ("class",)) -> dict:
    """The gap of each mode (and each preload in ``preloads``) to the floor; see the module's docstring."""
    chapter = load_chapter("ch06")
    base = get_profile("grading")
    settings = {mode: base.replace(**MODES[mode]) for mode in modes}
    work = scratch_folder("geodl-gap-")
    roster = dict(write_class(work, "ch06", size, seed=5, hostile=False))
    students = sorted(roster)
    submissions = [Submission.from_path(work / "submitted" / student / "ch06", "ch06") for student in students]
    core = sorted(os.sched_getaffinity(0))[0]
    workers = {"floor": InProcessWorker()}
    named = {"class": class_preload(chapter, [read_submission(item, chapter) for item in discover(work, "ch06")]),
             "chapter": chapter.warm_preload}
    resolved = {name: named.get(name) or tuple(name.split("+")) for name in preloads}
    for index, (name, preload) in enumerate(resolved.items()):
        workers[_sandbox_key(name)] = Worker(require(sandbox), options=WorkerOptions(preload=preload, core=core),
                                             slot=29 + index)
        workers[_sandbox_key(name)].start()
    os.sched_setaffinity(0, {core})
    prepare(chapter, base)
    configs = [(where, mode) for mode in modes for where in workers]
    for where, mode in configs:  # warm both sides (first imports, the examples drawn)
        grade(submissions[0], chapter, workers[where], settings[mode])
    wall = {config: [] for config in configs}
    cpu = {config: [] for config in configs}
    scores = {config: {} for config in configs}
    for round_ in range(rounds):
        order = configs if round_ % 2 == 0 else configs[::-1]
        for student, submission in zip(students, submissions):
            for config in order:
                where, mode = config
                cpu_before, clock = _cpu_s(), time.perf_counter()
                result = grade(submission, chapter, workers[where], settings[mode])
                wall[config].append(time.perf_counter() - clock)
                cpu[config].append(_cpu_s() - cpu_before)
                scores[config][student] = result.score
    for where, worker in workers.items():
        if where != "floor":
            worker.stop()
    report: dict = {"submissions": len(submissions), "rounds": rounds, "sandbox": sandbox, "pinned_core": core,
                    "roster": sorted(set(roster.values())),
                    "preloads": {name: list(preload) for name, preload in resolved.items()}}
    for mode, name in ((mode, name) for mode in modes for name in preloads):
        floor, boxed = ("floor", mode), (_sandbox_key(name), mode)
        floor_s, boxed_s = statistics.mean(wall[floor]), statistics.mean(wall[boxed])
        differences = [b - a for a, b in zip(wall[floor], wall[boxed])]
        report[mode if name == "class" else f"{mode} preload={name}"] = {
            "floor_s_per_submission": floor_s,
            "sandbox_s_per_submission": boxed_s,
            "gap_ms_mean": (boxed_s - floor_s) * 1e3,
            "gap_ms_median_of_pairs": statistics.median(differences) * 1e3,
            "gap_ms_each_round": [(statistics.mean(b) - statistics.mean(a)) * 1e3
                                  for a, b in zip(_rounds(wall[floor], rounds), _rounds(wall[boxed], rounds))],
            "floor_cpu_s_per_submission": statistics.mean(cpu[floor]),
            "sandbox_grader_cpu_s_per_submission": statistics.mean(cpu[boxed]),
            "scores_equal": scores[floor] == scores[boxed],
        }
    if len(modes) > 1:
        report["scores_equal_across_modes"] = all(scores[("floor", m)] == scores[("floor", modes[0])] for m in modes)
    return report


def _sandbox_key(preload_name: str) -> str:
    return "sandbox" if preload_name == "class" else f"sandbox preload={preload_name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=12, help="non-hostile ch06 submissions")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", default="replay,unplanned", help=f"comma-separated, of {', '.join(MODES)}")
    parser.add_argument("--sandbox", default="bwrap")
    parser.add_argument("--preloads", default="class",
                        help="comma-separated preloads of the sandboxed workers: class, chapter, "
                             "or modules joined by +")
    args = parser.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown mode(s) {unknown}; choose from {list(MODES)}")
    preloads = tuple(name for name in args.preloads.split(",") if name)
    write_report("gap", measure(args.size, args.rounds, modes, args.sandbox, preloads))


if __name__ == "__main__":
    main()

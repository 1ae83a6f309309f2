"""Grading a class of ch06 submissions: (a) the floor — the same checks in-process, unsandboxed;
(b) ``geodl batch --workers 1``; (c) ``--workers 2``; (d) ``nbgrader autograde`` on the notebook
form of a subset, against geodl on the same notebooks and on the notebook form of every
non-hostile submission; (g) (b) and (c) as the ``geodl batch`` command in a terminal, with and
without the gradebook; (i) (b) against (a) interleaved. Also the peak memory per worker.

Usage: .venv/bin/python benchmarks/bench_class.py [--parts abcdgi] [--size 100] [--nbgrader 20] [--workers 1,2]
[--rounds 1] [--preload numpy,...] [--unplanned]
With parts a and b and ``--rounds`` above 1, the floor is measured again in every round after the
first, and (b)-(a) is reported for each round against that round's floor. Measured a whole class
apart, the two drift apart with the machine (a floor of 361 ms per submission, then 261 ms five
minutes later in the same process); part i measures (b)-(a) with the two taking turns submission
by submission (:func:`interleaved`).
Writes benchmarks/out/class.json and prints it. ``--workers 1,2,4,8`` also measures larger batches
(where the machine has the cores): each count's throughput is reported against one worker's.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import pty
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
from _report import OUT, scratch_folder, write_report  # noqa: E402  (benchmarks/_report.py)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graders.authoring.samples import write_class  # noqa: E402
from graders.batch.discovery import discover, read_submission  # noqa: E402
from graders.batch.run import BatchOptions, run_batch  # noqa: E402
from graders.batch.store import ResultStore  # noqa: E402
from graders.chapters import load_chapter  # noqa: E402
from graders.grading.engine import grade  # noqa: E402
from graders.grading.settings import get_profile  # noqa: E402
from graders.grading.submission import Submission  # noqa: E402
from graders.sandbox.cgroups import memory_peaks  # noqa: E402
from tests.support.inprocess import InProcessWorker  # noqa: E402

#: Hostile submissions of the class (the ones whose cost is bounded by a few seconds).
HOSTILE = ("equals_everything", "segfault", "network", "syntax_error", "memory_bomb", "forge_reply", "output_flood",
           "exit_interpreter")


class PeakMemory:
    """Peak memory per worker, read cheaply so as not to slow what is measured: each sandbox's
    peak as its cgroup counts it (the kernel's high-water mark, shared pages once), and each
    grading process's peak resident set (``VmHWM``, also a high-water mark). Both marks keep
    their maximum between reads, so one read a second loses nothing but a peak reached in a
    worker's last second. (Runs up to 25 read every 0.2 s and listed the processes each time:
    about 2% of a core, which the two-worker batch paid from its grading cores.) Where no
    sandbox cgroup exists, the sandboxes' PSS is sampled instead, every 2 s: reading a
    process's PSS walks its page tables (27 ms per worker)."""

    def __init__(self, interval_s: float = 1.0):
        self.peak_sandbox = 0
        self.peak_grader = 0
        self.saw_cgroup = False
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        me, tick = psutil.Process(), 0
        while not self._stop.wait(self._interval_s):
            tick += 1
            peaks = memory_peaks()
            self.saw_cgroup = self.saw_cgroup or bool(peaks)
            self.peak_sandbox = max([self.peak_sandbox, *peaks.values()])
            for child in me.children():
                self.peak_grader = max(self.peak_grader, _resident_high_water_mark(child.pid))
                if not self.saw_cgroup and tick % 2 == 0:
                    try:
                        sandbox = child.children(recursive=True)
                        self.peak_sandbox = max(self.peak_sandbox, sum(p.memory_full_info().pss for p in sandbox))
                    except psutil.Error:
                        continue

    def report(self) -> dict:
        return {"peak_worker_mb": (self.peak_grader + self.peak_sandbox) / 2**20,
                "peak_sandbox_mb": self.peak_sandbox / 2**20, "peak_grader_process_rss_mb": self.peak_grader / 2**20,
                "memory_source": "sandbox cgroups" if self.saw_cgroup else "PSS every 2 s"}


def _resident_high_water_mark(pid: int) -> int:
    """A process's peak resident set in bytes (``VmHWM`` of /proc/PID/status); 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def floor(root: Path, students: list[str], settings) -> tuple[dict, dict]:
    """Seconds and score per student, graded in-process."""
    chapter, worker, times, scores = load_chapter("ch06"), InProcessWorker(), {}, {}
    warm = Submission.from_path(root / "submitted" / students[0] / "ch06", "ch06")
    grade(warm, chapter, worker, settings)  # first-use imports (torch.optim...) paid outside the timing
    for student in students:
        submission = Submission.from_path(root / "submitted" / student / "ch06", "ch06")
        clock = time.perf_counter()
        scores[student] = grade(submission, chapter, worker, settings).score
        times[student] = time.perf_counter() - clock
    return times, scores


def batch(root: Path, workers: int, out: Path, settings, preload: tuple[str, ...] | None = None
          ) -> tuple[float, dict, PeakMemory, tuple[str, ...]]:
    store = ResultStore(f"sqlite:///{out / f'results-{workers}.db'}")
    options = BatchOptions("ch06", settings, sandbox="bwrap", workers=workers, preload=preload)
    with PeakMemory() as memory:
        summary = run_batch(discover(root, "ch06"), store, options)
    return summary.wall_s, {s: r for s, r in summary.results}, memory, summary.preload


def batch_figures(root: Path, workers: int, out: Path, settings, plain: list[str], hostile: list[str], report: dict,
                  floor_scores: dict | None, preload: tuple[str, ...] | None = None) -> dict:
    """One batch of the whole class with ``workers`` workers (their wardens preloading ``preload``,
    by default what the batch chooses for the class): its times, peak memory and preload. Checks
    that it gives every submission the score of the earlier batches and of the floor."""
    wall, results, memory, preloaded = batch(root, workers, out, settings, preload)
    plain_grading = sum(results[s].duration_s for s in plain)
    figures = {"submissions": len(results), "wall_s": wall, "per_submission_s": wall / len(results),
               "throughput_per_s": len(results) / wall,
               "non_hostile_grading_s_each_mean": plain_grading / len(plain),
               "hostile_grading_s": sum(results[s].duration_s for s in hostile),
               "hostile_grading_s_each": {s: round(results[s].duration_s, 2) for s in hostile},
               **memory.report(), "preload": list(preloaded)}
    if workers == 1:  # sequential: the wall time is the results' durations plus startup and the gaps between
        figures["startup_and_gaps_s"] = wall - sum(r.duration_s for r in results.values())
    if workers == 1 and "a_floor_in_process" in report:
        # The non-hostile part of the wall time is its grading plus its share of startup.
        per_plain = (plain_grading + figures["startup_and_gaps_s"] * len(plain) / len(results)) / len(plain)
        figures["non_hostile_per_submission_s"] = per_plain
        figures["overhead_vs_floor_ms"] = (per_plain - report["a_floor_in_process"]["per_submission_s"]) * 1e3
    scores = report.setdefault("_scores", {s: r.score for s, r in results.items()})
    assert all(abs(results[s].score - scores[s]) < 1e-9 for s in results), "two batches disagree on a score"
    if floor_scores is not None:  # the floor must grade what the batch grades, or its time means nothing
        differ = sorted(s for s in plain if abs(results[s].score - floor_scores[s]) > 1e-9)
        assert not differ, f"the floor and the batch disagree on {differ[:5]}"
        figures["scores_equal_the_floor"] = True
    return figures


def interleaved(root: Path, plain: list[str], settings, class_size: int, preload: tuple[str, ...] | None) -> dict:
    """(b)-(a) with the batch's grading process and the floor taking turns: one grading process
    of ``geodl batch --workers 1`` (:func:`graders.batch.local.grading_pool`: the same start, warden,
    pinning and tasks) grades a submission, then this process grades it in-process (the other
    order for every other submission), both on the same core, so that a machine drifting
    faster or slower moves both alike.

    Per submission, the batch's time is the wall time from handing the submission to the pool
    to having its result back (one round trip more than a batch pays, whose grading process
    takes its next submission while the result travels). Its start (from the pool's creation
    to the first result, less that submission's grading) is shared by the ``class_size``
    submissions of the class, as in (b)."""
    from graders.batch.local import grading_pool, submit
    from graders.batch.preload import WardenSpec
    from graders.grading.result import SubmissionResult

    def batch_grade(student: str) -> SubmissionResult:
        return SubmissionResult.from_json(submit(pool, (student, read[student]), "ch06", settings, "bwrap",
                                                 warden).result())

    chapter = load_chapter("ch06")
    read = {item.student: read_submission(item, chapter) for item in discover(root, "ch06")}
    warden = WardenSpec.of(chapter, preload, read.values())
    in_process, graded = InProcessWorker(), {}
    for student in plain:
        graded[student] = Submission.from_path(root / "submitted" / student / "ch06", "ch06")
    grade(graded[plain[0]], chapter, in_process, settings)  # first-use imports, outside the timing
    mask = os.sched_getaffinity(0)
    core = sorted(mask)[0]  # the core the batch's one grading process keeps to
    os.sched_setaffinity(0, {core})
    floor_s, batch_s, differ = [], [], []
    try:
        with grading_pool("ch06", settings, "bwrap", 1, warden) as pool:
            clock = time.perf_counter()
            first = batch_grade(plain[0])
            startup_s = time.perf_counter() - clock - first.duration_s
            for index, student in enumerate(plain):
                turns = ["batch", "floor"] if index % 2 else ["floor", "batch"]
                for turn in turns:
                    clock = time.perf_counter()
                    if turn == "floor":
                        floor_score = grade(graded[student], chapter, in_process, settings).score
                        floor_s.append(time.perf_counter() - clock)
                    else:
                        batch_score = batch_grade(student).score
                        batch_s.append(time.perf_counter() - clock)
                if abs(floor_score - batch_score) > 1e-9:
                    differ.append(student)
    finally:
        os.sched_setaffinity(0, mask)
    assert not differ, f"the floor and the batch disagree on {differ[:5]}"
    steady_ms = (statistics.mean(batch_s) - statistics.mean(floor_s)) * 1e3
    startup_share_ms = startup_s / class_size * 1e3
    return {"submissions": len(plain), "floor_per_submission_s": statistics.mean(floor_s),
            "batch_per_submission_s": statistics.mean(batch_s), "batch_startup_s": startup_s,
            "steady_overhead_ms": steady_ms, "startup_share_ms": startup_share_ms,
            "overhead_vs_floor_ms": steady_ms + startup_share_ms, "scores_equal_the_floor": True,
            "preload": list(warden.preload)}


#: ``geodl batch`` as the ``geodl`` executable runs it, reporting, as it exits, its own process's CPU
#: time (the grading processes' not included).
_GEODL_WITH_ITS_CPU = """
import atexit, resource, sys
from graders.cli import entry

def report():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"geodl process CPU s: {usage.ru_utime + usage.ru_stime:.4f}", file=sys.stderr, flush=True)

atexit.register(report)  # the first registered runs last, after the batch's own exit handlers
entry()
"""


def run_in_a_terminal(command: list[str], env: dict) -> tuple[int, str]:
    """Run ``command`` as in a TA's terminal: its standard output a pseudo-terminal (so rich
    draws its progress bar, as it does for a TA), read and dropped; returns its exit status and
    its standard error."""
    terminal, its_end = pty.openpty()
    with subprocess.Popen(command, cwd=REPO, env=env, stdout=its_end, stderr=subprocess.PIPE, text=True) as process:
        os.close(its_end)
        reader = threading.Thread(target=_read_until_closed, args=(terminal,), daemon=True)
        reader.start()
        stderr = process.stderr.read()
        process.wait()
    reader.join()
    os.close(terminal)
    return process.returncode, stderr


def _read_until_closed(fd: int) -> None:
    with contextlib.suppress(OSError):  # EIO once the command's side of the terminal is closed
        while os.read(fd, 1 << 16):
            pass


def cli_batches(root: Path, rounds: int, preload: tuple[str, ...] | None, scores: dict | None) -> dict:
    """(b) and (c) as a TA runs them: ``geodl batch`` itself, in a terminal
    (:func:`run_in_a_terminal`), a fresh process each time, with one and two workers, each with
    the nbgrader gradebook (its default) and with ``--no-gradebook``, in alternating order,
    ``rounds`` times. The time of each is the command's, from its start to
    its exit: the interpreter's start and imports, the batch, and, with the gradebook, nbgrader's
    import and every result's grades, written by the batch's own process while the grading
    processes want the cores. Beside it, the CPU time of the command's own process, which the
    machine's drift moves far less than the wall time: the gradebook's cost is the difference.
    Checks that each command stores the scores the earlier batches gave (or, without them, the
    first command)."""
    configs = [(1, True), (1, False), (2, True), (2, False)]
    walls: dict = {config: [] for config in configs}
    cpus: dict = {config: [] for config in configs}
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    reference = scores  # or, without the earlier batches' scores, the first command's
    for round_index in range(rounds):
        for workers, gradebook in configs if round_index % 2 == 0 else configs[::-1]:
            out = root / f"cli-{round_index}-{workers}-{'gradebook' if gradebook else 'store'}"
            command = [sys.executable, "-c", _GEODL_WITH_ITS_CPU, "batch", str(root), "-a", "ch06",
                       "--workers", str(workers), "--sandbox", "bwrap", "--out", str(out),
                       *([] if gradebook else ["--no-gradebook"]),
                       *(["--preload", ",".join(preload)] if preload else [])]
            clock = time.perf_counter()
            returncode, stderr = run_in_a_terminal(command, env)
            walls[workers, gradebook].append(time.perf_counter() - clock)
            assert returncode == 0, stderr[-2000:]
            cpus[workers, gradebook].append(float(stderr.rsplit("geodl process CPU s:", 1)[1].split()[0]))
            store = ResultStore(f"sqlite:///{out / 'results.db'}")
            stored = dict(store.latest("ch06"))
            store.close()
            reference = reference or {student: result.score for student, result in stored.items()}
            assert stored.keys() == reference.keys() and all(
                abs(stored[s].score - reference[s]) < 1e-9 for s in reference), "geodl batch stored other scores"
    figures: dict = {}
    for (workers, gradebook), each in walls.items():
        name = f"{workers}_workers_{'gradebook' if gradebook else 'no_gradebook'}"
        figures[f"{name}_wall_s"], figures[f"{name}_own_cpu_s"] = each, cpus[workers, gradebook]
    for gradebook, name in ((True, "gradebook"), (False, "no_gradebook")):
        figures[f"c_over_b_{name}_each_round"] = [one / two for one, two in zip(walls[1, gradebook],
                                                                                 walls[2, gradebook])]
    for workers in (1, 2):  # the gradebook's share of the command's time, and its CPU time
        figures[f"gradebook_cost_{workers}_workers_each_round"] = [
            with_it / without - 1 for with_it, without in zip(walls[workers, True], walls[workers, False])]
        figures[f"gradebook_cpu_s_{workers}_workers_each_round"] = [
            with_it - without for with_it, without in zip(cpus[workers, True], cpus[workers, False])]
    return figures


def _ratio(figures: dict, workers: int) -> float:
    """Throughput with ``workers`` workers over one worker's, from one round's figures."""
    return figures[workers]["throughput_per_s"] / figures[1]["throughput_per_s"]


def notebook_class(root: Path, students: list[str], course: Path) -> None:
    """The notebook form of the given submissions, in an nbgrader course folder."""
    import nbformat  # only part (d) needs these

    from graders.authoring.notebooks import source_notebook
    shutil.copytree(REPO / "solutions", course, ignore=shutil.ignore_patterns("release", "gradebook.db", "ch0[1-4]"))
    for student in students:
        nb = source_notebook("ch06")
        files = Submission.from_path(root / "submitted" / student / "ch06", "ch06").files
        for cell in nb.cells:
            first = cell.source.split("\n", 1)[0]
            if first.startswith("%%writefile ch06/") and first.split()[-1] in files:
                cell.source = f"{first}\n{files[first.split()[-1]].decode()}"
        target = course / "submitted" / student / "ch06"
        target.mkdir(parents=True)
        nbformat.write(nb, target / "ch06.ipynb")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100, help="non-hostile submissions (hostile ones are added)")
    parser.add_argument("--nbgrader", type=int, default=20, help="notebooks for the nbgrader autograde comparison")
    parser.add_argument("--parts", default="abcdgi", help="which measurements to run (default: abcdgi)")
    parser.add_argument("--workers", default="1,2", help="worker counts of the batch runs: 1 is (b), 2 is (c)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="batch runs per worker count, the order alternating from round to round; the ratios "
                             "of each round and their mean are reported (the first round's figures under b and c)")
    parser.add_argument("--preload", default=None,
                        help="comma-separated modules the batches' wardens preload (default: the batch's choice)")
    parser.add_argument("--unplanned", action="store_true",
                        help="replayed properties' calls one at a time (plan_calls off: the path before run 22)")
    args = parser.parse_args()
    settings = get_profile("grading").replace(plan_calls=not args.unplanned)
    work = scratch_folder("geodl-bench-class-")
    roster = dict(write_class(work, "ch06", args.size + len(HOSTILE), seed=11, hostile=HOSTILE))
    hostile = sorted(s for s, kind in roster.items() if kind.startswith("hostile"))
    plain = sorted(s for s in roster if s not in hostile)
    kinds = {}
    for kind in roster.values():
        kinds[kind.split(":")[0]] = kinds.get(kind.split(":")[0], 0) + 1
    preload = tuple(m for m in args.preload.split(",") if m) if args.preload else None
    report: dict = {"class": {"submissions": len(roster), "kinds": kinds, "hostile": hostile},
                    "plan_calls": settings.plan_calls, "preload": list(preload) if preload else "the batch's choice"}

    floor_scores = None
    if "a" in args.parts:
        times, floor_scores = floor(work, plain, settings)
        report["a_floor_in_process"] = {"submissions": len(plain), "total_s": sum(times.values()),
                                        "per_submission_s": statistics.mean(times.values())}

    parts = {1: "b", 2: "c"}
    counts = [int(w) for w in args.workers.split(",") if parts.get(int(w), "") in args.parts or int(w) > 2]
    rounds = []  # one {workers: figures} per round
    floors = [report["a_floor_in_process"]["per_submission_s"]] if "a" in args.parts else []  # one per round
    for round_index in range(args.rounds):
        # Alternate the order, so that a machine growing faster or slower favours neither count.
        order = counts if round_index % 2 == 0 else counts[::-1]
        figures = {}
        for workers in order:
            out = work / f"round{round_index}"
            out.mkdir(exist_ok=True)
            figures[workers] = batch_figures(work, workers, out, settings, plain, hostile, report, floor_scores,
                                             preload)
        if floors and round_index > 0:  # the floor again, after the round's batches: a b c, then c b a
            times, again = floor(work, plain, settings)
            assert again == floor_scores, "two floors disagree on a score"
            floors.append(statistics.mean(times.values()))
        rounds.append(figures)
    if len(floors) > 1 and 1 in counts:  # (b)-(a) of each round, against that round's floor
        report["a_floor_s_each_round"] = floors
        each = [(figures[1]["non_hostile_per_submission_s"] - floor_s) * 1e3
                for figures, floor_s in zip(rounds, floors)]
        report["overhead_vs_floor_ms_each_round"] = each
        report["overhead_vs_floor_ms_mean"] = statistics.mean(each)
    for workers in counts:  # the first round's figures, under the keys of single-round reports
        key = {1: "b_batch_1_worker", 2: "c_batch_2_workers"}.get(workers, f"batch_{workers}_workers")
        report[key] = rounds[0][workers]
    if 1 in counts and 2 in counts:
        report["c_over_b_throughput"] = _ratio(rounds[0], 2)
        if args.rounds > 1:
            each = [_ratio(figures, 2) for figures in rounds]
            report["rounds"] = [{f"{w}_workers_wall_s": figures[w]["wall_s"] for w in counts} for figures in rounds]
            report["c_over_b_throughput_each_round"] = each
            report["c_over_b_throughput_mean"] = statistics.mean(each)
    for workers in (w for w in counts if w > 2 and 1 in counts):
        report[f"batch_{workers}_workers"]["over_b_throughput"] = _ratio(rounds[0], workers)
    if "g" in args.parts:
        report["g_geodl_batch_command"] = cli_batches(work, max(args.rounds, 1), preload, report.get("_scores"))
    if "i" in args.parts:
        report["i_b_against_a_interleaved"] = interleaved(work, plain, settings, len(roster), preload)

    if args.nbgrader and "d" in args.parts:
        subset = plain[: args.nbgrader]
        course = work / "course"
        notebook_class(work, subset, course)
        bin_dir = os.path.dirname(sys.executable)
        env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "PYTHONPATH": str(REPO)}
        nbgrader = os.path.join(bin_dir, "nbgrader")
        subprocess.run([nbgrader, "generate_assignment", "ch06", "--force"], cwd=course, env=env, capture_output=True,
                       check=True)  # registers the assignment and its grade cells in the gradebook
        clock = time.perf_counter()
        done = subprocess.run([nbgrader, "autograde", "ch06", "--force"], cwd=course, env=env,
                              capture_output=True, text=True)
        nbgrader_wall = time.perf_counter() - clock
        log = OUT / "nbgrader-autograde.log"  # beside the report: the scratch folder goes
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(done.stdout + done.stderr)
        clock = time.perf_counter()
        mine = subprocess.run([sys.executable, "-m", "graders.cli", "batch", str(course), "-a", "ch06", "--workers",
                               "2", "--out", str(work / "nb-out"), "--no-gradebook"], cwd=REPO, env=env,
                              capture_output=True, text=True)
        geodl_wall = time.perf_counter() - clock
        report["d_nbgrader_autograde"] = {
            "notebooks": len(subset), "returncode": done.returncode, "wall_s": nbgrader_wall,
            "per_submission_s": nbgrader_wall / len(subset),
            "geodl_batch_2_workers_same_notebooks_wall_s": geodl_wall, "geodl_returncode": mine.returncode,
            "geodl_per_submission_s": geodl_wall / len(subset),
            "nbgrader_over_geodl_per_submission": nbgrader_wall / geodl_wall,
            "log": str(log.relative_to(REPO)),
        }
        # The same kind of submissions (non-hostile, notebook form) through geodl at class scale,
        # its startup shared by the whole class as nbgrader's is by its subset.
        whole = work / "course-all"
        notebook_class(work, plain, whole)
        clock = time.perf_counter()
        every = subprocess.run([sys.executable, "-m", "graders.cli", "batch", str(whole), "-a", "ch06", "--workers",
                                "2", "--out", str(work / "nb-all-out"), "--no-gradebook"], cwd=REPO, env=env,
                               capture_output=True, text=True)
        every_wall = time.perf_counter() - clock
        report["d_nbgrader_autograde"].update({
            "geodl_batch_2_workers_all_notebooks": len(plain), "geodl_all_notebooks_wall_s": every_wall,
            "geodl_all_notebooks_returncode": every.returncode,
            "geodl_all_notebooks_per_submission_s": every_wall / len(plain),
            "nbgrader_over_geodl_all_notebooks": (nbgrader_wall / len(subset)) / (every_wall / len(plain)),
        })
        if "c_batch_2_workers" in report:
            report["d_nbgrader_autograde"]["nbgrader_over_geodl_steady_batch"] = (
                (nbgrader_wall / len(subset)) / report["c_batch_2_workers"]["per_submission_s"])
    report.pop("_scores", None)
    write_report("class", report)


if __name__ == "__main__":
    main()

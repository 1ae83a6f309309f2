"""A ch06 class with every hostile sample in it: honest classmates' scores, the batch's wall time
against the same class without the hostile ones, and the grading processes' peak memory.

1. ``geodl batch`` (bwrap, ``--workers`` grading processes) of SIZE honest submissions (the
   sample class's mix: correct, wrong variants, stubs) plus one submission per hostile sample
   of ch06 (``samples/hostile/``: single, cross-session and class kinds alike; the
   cross-session ones attack whoever the same worker grades next);
2. the same batch without the hostile ones (same honest students, same files);
3. each honest submission alone, with ``geodl grade --hidden --json -`` (a fresh sandbox each).

Every honest score must be the same in all three, check by check; the report counts those that
are not (``honest_mismatches``, 0 or the benchmark fails). It also gives both batches' wall
times and their ratio, each hostile submission's outcome, and the peak resident set of any
grading process in each batch (``VmHWM``: the hostile batch's includes decoding the largest
reply a session may send, ``huge_reply_frame``).

Usage: .venv/bin/python benchmarks/bench_hostile_class.py [--size 40] [--workers 2]
Writes benchmarks/out/hostile_class.json and prints it.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from _report import scratch_folder, write_report  # noqa: E402  (benchmarks/_report.py)
from bench_class import PeakMemory  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graders.authoring.samples import load_hostile, write_class  # noqa: E402
from graders.batch.discovery import discover  # noqa: E402
from graders.batch.run import BatchOptions, run_batch  # noqa: E402
from graders.batch.store import ResultStore  # noqa: E402
from graders.grading.settings import get_profile  # noqa: E402


def verdicts(result: dict) -> dict:
    """``{exercise::check: (status, points)}`` of a result as JSON."""
    return {f"{e['id']}::{c['name']}": (c["status"], c["points"]) for e in result["exercises"] for c in e["checks"]}


def run(root: Path, out: Path, workers: int) -> dict:
    """One batch of the class under ``root``: wall time, results as JSON by student, peak memory."""
    out.mkdir(parents=True, exist_ok=True)
    store = ResultStore(f"sqlite:///{out / 'results.db'}")
    options = BatchOptions("ch06", get_profile("grading").replace(include_hidden=True), sandbox="bwrap",
                           workers=workers)
    with PeakMemory() as memory:
        summary = run_batch(discover(root, "ch06"), store, options)
    store.close()
    return {"wall_s": summary.wall_s, "results": {s: r.to_json() for s, r in summary.results},
            "memory": memory.report(), "timeouts": summary.timeouts, "errors": summary.errors,
            "grader_memory": summary.grader_memory}


def alone(root: Path, student: str) -> dict:
    """``geodl grade --hidden`` of one submission, as a TA runs it."""
    done = subprocess.run([sys.executable, "-m", "graders.cli", "grade", str(root / "submitted" / student / "ch06"),
                           "--assignment", "ch06", "--hidden", "--sandbox", "bwrap", "--student", student,
                           "--json", "-"], capture_output=True, text=True, cwd=REPO, timeout=900,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    if done.returncode != 0:
        raise RuntimeError(f"geodl grade {student} exited {done.returncode}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=40, help="honest submissions")
    parser.add_argument("--workers", type=int, default=2, help="grading processes of each batch")
    args = parser.parse_args()
    work = scratch_folder("geodl-bench-hostile-")
    samples = [h for h in load_hostile() if h.chapter == "ch06"]
    roster = dict(write_class(work / "mixed", "ch06", args.size + len(samples), seed=11, hostile=True))
    hostile = sorted(s for s, kind in roster.items() if kind.startswith("hostile"))
    honest = sorted(s for s in roster if s not in hostile)
    (work / "honest" / "submitted").mkdir(parents=True)
    for student in honest:
        shutil.copytree(work / "mixed" / "submitted" / student, work / "honest" / "submitted" / student)

    mixed = run(work / "mixed", work / "out-mixed", args.workers)
    plain = run(work / "honest", work / "out-honest", args.workers)
    single = {student: alone(work / "mixed", student) for student in honest}

    mismatches = []
    for student in honest:
        want = verdicts(single[student])
        for name, batch in (("with hostile", mixed), ("honest only", plain)):
            got = verdicts(batch["results"][student])
            if got != want:
                differing = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
                mismatches.append(f"{student} ({name}): {differing[:3]}")
    report = {
        "class": {"honest": len(honest), "hostile": len(hostile), "workers": args.workers,
                  "kinds": sorted({roster[s].split(":")[0] for s in honest})},
        "honest_mismatches": mismatches,
        "honest_scores_equal_alone": not mismatches,
        "wall_s_with_hostile": mixed["wall_s"],
        "wall_s_honest_only": plain["wall_s"],
        "wall_ratio": mixed["wall_s"] / plain["wall_s"],
        "peak_grading_process_rss_mb_with_hostile": mixed["memory"]["peak_grader_process_rss_mb"],
        "peak_grading_process_rss_mb_honest_only": plain["memory"]["peak_grader_process_rss_mb"],
        "peak_sandbox_mb_with_hostile": mixed["memory"]["peak_sandbox_mb"],
        "grader_memory": mixed["grader_memory"],
        "timeouts_with_hostile": mixed["timeouts"],
        "hostile_outcomes": {s: {"status": mixed["results"][s]["status"], "score": mixed["results"][s]["score"],
                                 "max_score": mixed["results"][s]["max_score"]} for s in hostile},
    }
    write_report("hostile_class", report)
    if mismatches:
        raise SystemExit(f"{len(mismatches)} honest submissions graded otherwise than alone")


if __name__ == "__main__":
    main()

"""Writing a batch's results into nbgrader's gradebook: the cost per result of
``GradebookWriter.record`` (a new submission's rows written whole with its scores, a regrade's
grades updated by their ids: a statement per table, one transaction) against the same writes
made nbgrader's per-cell way (``add_submission``, then ``Gradebook.find_grade`` for each check),
in the same process, each on a fresh gradebook, for new submissions and again for a regrade:
the wall time and the CPU time of each. The batch's own process makes these writes while the
grading processes want its cores, so the CPU time is what the grading loses.

Usage: .venv/bin/python benchmarks/bench_gradebook.py [--students 40] [--assignment ch06]
Writes benchmarks/out/gradebook.json.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from _report import scratch_folder, write_report  # noqa: E402  (benchmarks/_report.py)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


from graders.batch.gradebook import GradebookWriter, record_through_api, scores  # noqa: E402
from graders.chapters import load_chapter  # noqa: E402
from graders.grading.result import CheckResult, ExerciseResult, SubmissionResult  # noqa: E402


def class_results(chapter, students: int, seed: int = 0) -> list[tuple[str, SubmissionResult]]:
    """A result per student, every check of the chapter scored at random (full, half or nothing)."""
    draw = random.Random(seed)
    results = []
    for number in range(students):
        exercises = []
        for exercise in chapter.exercises.values():
            checks = tuple(CheckResult(name=check.name, passed=True, points=check.points * draw.choice((0.0, 0.5, 1.0)),
                                       max_points=check.points, status="passed") for check in exercise.checks)
            score, max_score = sum(c.points for c in checks), sum(c.max_points for c in checks)
            exercises.append(ExerciseResult(exercise.id, score, max_score, "partial", checks))
        results.append((f"student{number:03d}", SubmissionResult(
            assignment=chapter.id, score=sum(e.score for e in exercises), max_score=sum(e.max_score for e in exercises),
            status="graded", exercises=tuple(exercises))))
    return results


def record_per_cell(writer: GradebookWriter, student: str, result: SubmissionResult) -> int:
    """The baseline: ``record``'s writes the way nbgrader's API offers them."""
    return record_through_api(writer.gradebook, writer.chapter, student, result)


def measure(assignment: str, students: int) -> dict:
    chapter = load_chapter(assignment)
    results = class_results(chapter, students)
    ways = {"notebook_at_once": GradebookWriter.record, "per_cell_find_grade": record_per_cell}
    report: dict = {"assignment": assignment, "students": students,
                    "checks_per_result": sum(len(e.checks) for e in chapter.exercises.values())}
    final = {}
    scratch = scratch_folder("geodl-gradebook-")
    for name, record in ways.items():
        (scratch / name).mkdir()
        url = f"sqlite:///{scratch / name / 'gradebook.db'}"
        with GradebookWriter(url, chapter) as writer:
            timings = {}
            for phase in ("new_submission", "regrade"):
                each, cpu = [], []
                for student, result in results:
                    clock, cpu_clock = time.perf_counter(), time.process_time()
                    record(writer, student, result)
                    each.append(time.perf_counter() - clock)
                    cpu.append(time.process_time() - cpu_clock)
                timings[f"{phase}_ms_per_result"] = statistics.mean(each) * 1e3
                timings[f"{phase}_ms_median"] = statistics.median(each) * 1e3
                timings[f"{phase}_cpu_ms_per_result"] = statistics.mean(cpu) * 1e3  # what the grading loses
        report[name] = timings
        final[name] = scores(url, assignment)
    for phase in ("new_submission", "regrade"):
        report[f"{phase}_speedup"] = (report["per_cell_find_grade"][f"{phase}_ms_per_result"]
                                      / report["notebook_at_once"][f"{phase}_ms_per_result"])
        report[f"{phase}_cpu_speedup"] = (report["per_cell_find_grade"][f"{phase}_cpu_ms_per_result"]
                                          / report["notebook_at_once"][f"{phase}_cpu_ms_per_result"])
    report["same_scores"] = final["notebook_at_once"] == final["per_cell_find_grade"]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--assignment", default="ch06")
    args = parser.parse_args()
    write_report("gradebook", measure(args.assignment, args.students))


if __name__ == "__main__":
    main()

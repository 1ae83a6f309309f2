"""The bundled sample class (``samples/class-ch06``: correct, partly wrong, stub and hostile
submissions), graded as ``scripts/demo`` grades it, gives every check of every student the verdict
recorded in ``class-ch06-verdicts.csv``: a change to the engine, the sandbox or a grader that
changes what a class gets shows here, check by check."""
from __future__ import annotations

import csv
from pathlib import Path

from graders.batch.discovery import discover
from graders.batch.run import BatchOptions, run_batch
from graders.batch.store import ResultStore
from graders.grading.settings import get_profile
from graders.sandbox import default_backend

REPO = Path(__file__).resolve().parents[3]
RECORDED = Path(__file__).resolve().parent / "class-ch06-verdicts.csv"


def test_the_sample_class_gets_the_recorded_verdicts_check_by_check(tmp_path):
    store = ResultStore(f"sqlite:///{tmp_path / 'results.db'}")
    options = BatchOptions("ch06", get_profile("grading"), sandbox=default_backend(), workers=2)
    summary = run_batch(discover(REPO / "samples" / "class-ch06", "ch06"), store, options)
    got = sorted([student, exercise.id, check.name, check.status, f"{check.points:g}"]
                 for student, result in summary.results for exercise in result.exercises for check in exercise.checks)
    with RECORDED.open(newline="") as file:
        rows = csv.reader(file)
        assert next(rows) == ["student", "exercise", "check", "status", "points"]
        want = sorted(list(row) for row in rows)
    changed = [f"{w} -> {g}" for w, g in zip(want, got) if w != g]
    assert len(got) == len(want) and not changed, "\n".join(changed[:40])

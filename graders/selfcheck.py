"""The student's self-check under plain pytest: ``assignments/chNN/test_chNN_public.py`` calls
:func:`public_tests`, which defines one test per public check.

The chapter is graded once per test module (public checks only, ``process`` backend unless
``GEODL_SANDBOX`` says otherwise), and each test reports its check: a failure shows the grader's
message and the failing call. The student's code runs in a worker process, not in pytest's.
"""
from __future__ import annotations

import atexit
import functools
import os
from pathlib import Path

from graders.result import CheckResult, SubmissionResult


def public_tests(chapter_id: str, test_file: str, namespace: dict) -> None:
    """Define ``test_<exercise>__<check>`` in ``namespace`` for every public check."""
    from graders.chapters import load_chapter

    chapter = load_chapter(chapter_id)
    root = Path(test_file).resolve().parent.parent
    graded = functools.lru_cache(maxsize=1)(lambda: _grade(chapter_id, root))
    for exercise in chapter.exercises.values():
        for check in exercise.checks:
            if check.visibility != "public":
                continue
            name = f"test_{exercise.name}__{check.name}"
            namespace[name] = _make_test(graded, exercise.id, check.name, check.description)


def _make_test(graded, exercise_id: str, check_name: str, description: str):
    def test():
        import pytest
        result: SubmissionResult = graded()
        check = _find(result, exercise_id, check_name)
        if check.status == "skipped":
            pytest.skip(check.message)
        if not check.passed:
            detail = f"\n{check.counterexample}" if check.counterexample else ""
            pytest.fail(f"{exercise_id}::{check_name} ({check.status}): {check.message}{detail}", pytrace=False)

    test.__name__ = f"test_{exercise_id.split('.')[1]}__{check_name}"
    test.__doc__ = description
    return test


def _find(result: SubmissionResult, exercise_id: str, check_name: str) -> CheckResult:
    exercise = result.exercise(exercise_id)
    for check in exercise.checks:
        if check.name == check_name:
            return check
    raise KeyError(f"{exercise_id}::{check_name}")


def _grade(chapter_id: str, root: Path) -> SubmissionResult:
    from graders.chapters import load_chapter
    from graders.client import Worker
    from graders.engine import grade
    from graders.sandbox import WorkerOptions, require
    from graders.settings import get_profile
    from graders.submission import Submission

    chapter = load_chapter(chapter_id)
    worker = Worker(require(os.environ.get("GEODL_SANDBOX", "process")), options=WorkerOptions(preload=chapter.preload))
    atexit.register(worker.stop)
    with worker:
        return grade(Submission.from_path(root, chapter_id), chapter, worker, get_profile("local"))

"""The student's self-check under plain pytest, a front end as the ``geodl`` command is:
``assignments/chNN/test_chNN_public.py`` calls :func:`public_tests`, which defines one test per
public check, and a released notebook's test cells call :func:`notebook_check`.

The chapter is graded once per test module (public checks only, ``process`` backend unless
``GEODL_SANDBOX`` says otherwise), and each test reports its check: a failure shows the grader's
message and the failing call. The student's code runs in a worker process, not in pytest's.
"""
from __future__ import annotations

import atexit
import functools
import os
from pathlib import Path

from graders.grading.result import CheckResult, SubmissionResult


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
            pytest.skip(_visible(check.message))
        if not check.passed:
            pytest.fail(_failure(exercise_id, check_name, check), pytrace=False)

    test.__name__ = f"test_{exercise_id.split('.')[1]}__{check_name}"
    test.__doc__ = description
    return test


def _failure(exercise_id: str, check_name: str, check: CheckResult) -> str:
    """A failed check as pytest shows it; what the student's code said is escaped (no escape
    sequence or bidi override reaches the terminal, which may be a TA's)."""
    detail = f"\n{check.counterexample}" if check.counterexample else ""
    return _visible(f"{exercise_id}::{check_name} ({check.status}): {check.message}{detail}")


def _visible(text: str) -> str:
    from graders.report.safe_text import visible
    return visible(text)


def _find(result: SubmissionResult, exercise_id: str, check_name: str) -> CheckResult:
    exercise = result.exercise(exercise_id)
    for check in exercise.checks:
        if check.name == check_name:
            return check
    raise KeyError(f"{exercise_id}::{check_name}")


def _grade(chapter_id: str, root: Path) -> SubmissionResult:
    from graders.grading.submission import Submission

    return _grade_submission(Submission.from_path(root, chapter_id), include_hidden=False)


_NOTEBOOK_RESULTS: dict[tuple, SubmissionResult] = {}


def notebook_check(exercise_id: str, check_name: str, *, root: str | os.PathLike = ".") -> None:
    """Run one check from a notebook's test cell: the chapter files the notebook wrote under
    ``root/chNN/`` are graded in a worker process (once per state of the files, cached), and a
    failed check raises ``AssertionError`` with the grader's message, as a failing test would.
    """
    from graders.chapters import find_exercise
    from graders.grading.submission import Submission

    chapter, exercise = find_exercise(exercise_id)
    spec = next((c for c in exercise.checks if c.name == check_name), None)
    if spec is None:
        raise AssertionError(f"{exercise_id} has no check {check_name!r} (is your geodl up to date?)")
    submission = Submission.from_path(Path(root), chapter.id)
    hidden = spec.visibility != "public"
    key = (submission.sha256, hidden)
    if key not in _NOTEBOOK_RESULTS:
        _NOTEBOOK_RESULTS[key] = _grade_submission(submission, hidden)
    check = _find(_NOTEBOOK_RESULTS[key], exercise_id, check_name)
    if check.status == "skipped":
        return
    if not check.passed:
        raise AssertionError(_failure(exercise_id, check_name, check))


_WORKERS: dict = {}


def _grade_submission(submission, include_hidden: bool) -> SubmissionResult:
    from graders.chapters import load_chapter
    from graders.grading.client import Worker
    from graders.grading.engine import grade
    from graders.grading.settings import get_profile
    from graders.sandbox import WorkerOptions, require

    chapter = load_chapter(submission.assignment)
    worker = _WORKERS.get(chapter.id)
    if worker is None:
        worker = Worker(require(os.environ.get("GEODL_SANDBOX", "process")),
                        options=WorkerOptions(preload=chapter.preload, packages=chapter.sandbox_packages))
        atexit.register(worker.stop)
        _WORKERS[chapter.id] = worker
    settings = get_profile("grading" if include_hidden else "local")
    return grade(submission, chapter, worker, settings)

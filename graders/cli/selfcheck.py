"""The student's self-check under plain pytest, a front end as the ``geodl`` command is:
``chNN/test_chNN_public.py`` calls :func:`public_tests`, which defines one test per public
check, and a released notebook's test cells call :func:`notebook_check`.

The chapter is graded once per test module (public checks only, ``process`` backend unless
``GEODL_SANDBOX`` says otherwise), and each test reports its check: a failure shows the grader's
message and the failing call. The student's code runs in a worker process, not in pytest's.

Two places run it. In a student's release, the chapter folder holds the self-check's runtime,
``chNN/.geodl/`` (:mod:`graders.authoring.release`): the public checks alone and the reference
frozen at release time (:func:`graders.authoring.frozen_chapter.load_frozen_chapter`), graded with the
``selfcheck`` profile. In the repository (``assignments/chNN``, no runtime), the installed
graders grade with the real reference and the ``local`` profile, as ``geodl grade`` does.
"""
from __future__ import annotations

import atexit
import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from graders.grading.result import CheckResult, SubmissionResult

if TYPE_CHECKING:
    from graders.grading.settings import GradingSettings
    from graders.grading.spec import Chapter
    from graders.grading.submission import Release

#: The runtime of a release, in its chapter folder (graders.authoring.frozen_chapter.RUNTIME_DIR).
RUNTIME_DIR = ".geodl"
#: What marks a check the release could not record (graders.authoring.frozen_chapter.UNFROZEN).
UNFROZEN = "is not part of this self-check"


def public_tests(chapter_id: str, test_file: str, namespace: dict) -> None:
    """Define ``test_<exercise>__<check>`` in ``namespace`` for every public check."""
    folder = Path(test_file).resolve().parent
    chapter, release, settings = chapter_setup(chapter_id, folder / RUNTIME_DIR)
    graded = functools.lru_cache(maxsize=1)(lambda: grade_folder(folder.parent, chapter, release, settings))
    for exercise in chapter.exercises.values():
        for check in exercise.checks:
            if check.visibility != "public":
                continue
            name = f"test_{exercise.name}__{check.name}"
            namespace[name] = _make_test(graded, exercise.id, check.name, check.description)


def chapter_setup(chapter_id: str, runtime: Path) -> tuple[Chapter, Release | None, GradingSettings]:
    """The chapter, the release and the settings a self-check grades with: a release's frozen
    ones where ``runtime`` holds them, else the installed graders' (public part of a grade)."""
    from graders.grading.settings import get_profile

    if (runtime / "frozen.msgpack").is_file():
        from graders.authoring.frozen_chapter import frozen_release, load_frozen_chapter
        return load_frozen_chapter(runtime, chapter_id), frozen_release(runtime, chapter_id), get_profile("selfcheck")
    from graders.chapters import load_chapter, load_release
    return load_chapter(chapter_id), load_release(chapter_id), get_profile("local")


def _make_test(graded: Callable[[], SubmissionResult], exercise_id: str, check_name: str, description: str):
    def test():
        import pytest
        result = graded()
        check = _find(result, exercise_id, check_name)
        if check.status == "skipped" or (check.status == "grader_error" and UNFROZEN in check.message):
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


_NOTEBOOK_RESULTS: dict[tuple, SubmissionResult] = {}


def notebook_check(exercise_id: str, check_name: str, *, root: str | os.PathLike = ".") -> None:
    """Run one check from a notebook's test cell: the chapter files the notebook wrote under
    ``root/chNN/`` are graded in a worker process (once per state of the files, cached), and a
    failed check raises ``AssertionError`` with the grader's message, as a failing test would.
    """
    from graders.grading.submission import Submission

    chapter_id = exercise_id.split(".", 1)[0]
    chapter, release, settings = chapter_setup(chapter_id, Path(root) / chapter_id / RUNTIME_DIR)
    exercise = chapter.exercises.get(exercise_id)
    spec = next((c for c in exercise.checks if c.name == check_name), None) if exercise is not None else None
    if spec is None:
        raise AssertionError(f"{exercise_id} has no check {check_name!r} (is your geodl up to date?)")
    submission = Submission.from_path(Path(root), chapter.id, release=release)
    hidden = spec.visibility != "public"
    if hidden:
        settings = settings.replace(include_hidden=True)
    key = (submission.sha256, hidden)
    if key not in _NOTEBOOK_RESULTS:
        _NOTEBOOK_RESULTS[key] = grade_submission(submission, chapter, settings)
    check = _find(_NOTEBOOK_RESULTS[key], exercise_id, check_name)
    if check.status == "skipped" or (check.status == "grader_error" and UNFROZEN in check.message):
        return
    if not check.passed:
        raise AssertionError(_failure(exercise_id, check_name, check))


def grade_folder(root: Path, chapter: Chapter, release: Release | None, settings: GradingSettings) -> SubmissionResult:
    """Grade the chapter's files under ``root`` (the folder that holds ``chNN/``)."""
    from graders.grading.submission import Submission

    return grade_submission(Submission.from_path(root, chapter.id, release=release), chapter, settings)


_WORKERS: dict[str, Any] = {}


def grade_submission(submission, chapter: Chapter, settings: GradingSettings) -> SubmissionResult:
    """Grade ``submission`` in this process's worker for the chapter (started on first use)."""
    from graders.grading.client import Worker
    from graders.grading.engine import grade
    from graders.sandbox import WorkerOptions, require

    worker = _WORKERS.get(chapter.id)
    if worker is None:
        worker = Worker(require(os.environ.get("GEODL_SANDBOX", "process")),
                        options=WorkerOptions(preload=chapter.preload, packages=chapter.sandbox_packages))
        atexit.register(worker.stop)
        _WORKERS[chapter.id] = worker
    return grade(submission, chapter, worker, settings)

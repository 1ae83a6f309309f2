"""What runs in a grading process (a process of the local pool, or a Dask worker): its warm
worker, and grading one submission into a result as JSON.

Each grading process keeps one warm worker per (sandbox, assignment): a sandbox whose warden has
preloaded what the class's code uses (:class:`~graders.batch.preload.WardenSpec`), kept for every
submission the process grades, each in a fresh forked session. The process looks its chapter up
once (by id: a chapter's spec does not travel between processes) and passes it down.
"""
from __future__ import annotations

import atexit
import contextlib

from graders import __version__
from graders.batch.preload import WardenSpec
from graders.grading.client import Worker
from graders.grading.result import SubmissionResult
from graders.grading.settings import GradingSettings
from graders.grading.spec import Chapter
from graders.grading.submission import Submission

_PROCESS_WORKERS: dict[tuple[str, str], Worker] = {}


def grade_submission(student: str, submission: Submission, chapter: Chapter, settings_json: dict, sandbox: str,
                     slot: int, warden: WardenSpec | None = None) -> dict:
    """Grade one submission in this process's warm worker; its result as JSON.

    ``warden`` defaults to the chapter's. Anything that goes wrong becomes an ``error`` result,
    never an exception."""
    from graders.grading.engine import grade

    settings = GradingSettings(**settings_json)
    worker = process_worker(chapter.id, sandbox, slot, warden or WardenSpec.of(chapter))
    try:
        return grade(submission, chapter, worker, settings).to_json()
    except Exception as exc:  # noqa: BLE001 - an internal failure must not lose the submission
        worker.stop()
        return error_result(chapter, student, str(submission.root or ""),
                            f"Internal grader error, not your fault: {describe_failure(exc)}",
                            sha256=submission.sha256)


def describe_failure(exc: BaseException) -> str:
    """An exception of the grader's own, in one line (a ``MemoryError`` says what it means:
    the grading process reached its memory limit, ``graders.batch.local._bound_memory``)."""
    if isinstance(exc, MemoryError):
        return "the grading process ran out of memory (MemoryError)"
    return f"{type(exc).__name__}: {exc}"


def process_worker(assignment: str, sandbox: str, slot: int, warden: WardenSpec, core: int | None = None) -> Worker:
    """This process's warm worker for an assignment (made on first use, not started), as
    ``warden`` says."""
    from graders.sandbox import SandboxLimits, WorkerOptions, require
    from graders.sandbox.base import gpu_present

    key = (sandbox, assignment)
    worker = _PROCESS_WORKERS.get(key)
    if worker is None:
        if not _PROCESS_WORKERS:
            atexit.register(_stop_process_workers)
        options = WorkerOptions(preload=warden.preload, core=core, packages=warden.packages)
        limits = SandboxLimits(gpu=warden.gpu and gpu_present())
        worker = _PROCESS_WORKERS[key] = Worker(require(sandbox), limits=limits, options=options, slot=slot)
    return worker


def _stop_process_workers() -> None:
    """At the exit of a grading process: end its sandboxes, so their cgroups go with them."""
    for worker in _PROCESS_WORKERS.values():
        with contextlib.suppress(Exception):
            worker.stop()
    _PROCESS_WORKERS.clear()


def error_result(chapter: Chapter, student: str, path: str, message: str, sha256: str = "", *,
                 status: str = "error", duration_s: float = 0.0) -> dict:
    """A result that grades nothing: zero, ``status`` (``error``, or ``timeout`` for a
    submission stopped at its time limit) and ``message`` (as JSON)."""
    return SubmissionResult(assignment=chapter.id, score=0.0, max_score=chapter.max_points,
                            status=status, message=message, duration_s=round(duration_s, 4),
                            submission={"path": path, "student": student, "sha256": sha256},
                            grader={"version": __version__, "name": "geodl"}).to_json()

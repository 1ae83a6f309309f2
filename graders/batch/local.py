"""The local executor: a pool of grading processes on this machine, one warm worker each.

A new grading process starts its sandbox first, before it even imports the chapter, and does
its own first-use work while the warden preloads (:func:`_init_pool_process`); it is pinned to a
core of its own where there are enough, and leaves without the interpreter's teardown. If a
grading process dies, the submissions in flight are graded again in a new pool, at most twice.
"""
from __future__ import annotations

import atexit
import concurrent.futures as futures
import contextlib
import multiprocessing
import os
import sys
from typing import Callable, Iterator

from graders.batch.grading_process import error_result, grade_submission, process_worker
from graders.batch.preload import WardenSpec
from graders.grading.result import SubmissionResult
from graders.grading.settings import GradingSettings
from graders.grading.spec import Chapter
from graders.grading.submission import Submission
from graders.grading.threads import limit_threads

#: A submission to grade: the student, and the files read once by the batch's process.
Task = tuple[str, Submission]
Commit = Callable[[str, SubmissionResult], None]

_SLOT = {"value": 0}


def run_local(tasks: list[Task], chapter: Chapter, settings: GradingSettings, sandbox: str, workers: int,
              commit: Commit, warden: WardenSpec, started: Callable[[], None] | None = None) -> None:
    """Grade ``tasks`` in a pool of ``workers`` grading processes (:func:`grading_pool`) and
    ``commit`` each result as it comes; ``started()`` is called once every task is handed out.
    If a grading process dies, the tasks in flight are graded again in a new pool, at most
    twice; after that they are recorded as errors."""
    limit_threads()  # the spawned grading processes inherit the thread variables
    attempts: dict[str, int] = {}
    pending = list(tasks)
    while pending:
        pending = _run_pool(pending, chapter, settings, sandbox, workers, commit, warden, attempts, started)


def grading_pool(assignment: str, settings: GradingSettings, sandbox: str, workers: int,
                 warden: WardenSpec) -> futures.ProcessPoolExecutor:
    """A pool of ``workers`` grading processes (spawned: forking after torch threads can hang),
    each pinned to a core of its own where there are enough, each getting its warm worker ready
    as it starts (:func:`_init_pool_process`). Give it submissions with :func:`submit`."""
    context = multiprocessing.get_context("spawn")
    pin = hasattr(os, "sched_getaffinity") and workers <= len(os.sched_getaffinity(0))
    slots = context.Queue()
    for slot in range(workers):
        slots.put(slot)
    return futures.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_pool_process,
                                       initargs=(slots, pin, assignment, settings.to_json(), sandbox, warden))


def submit(pool: futures.ProcessPoolExecutor, task: Task, assignment: str, settings: GradingSettings, sandbox: str,
           warden: WardenSpec) -> futures.Future:
    """Grade ``task`` in a process of ``pool`` (:func:`grading_pool`); the future's result is the
    :class:`~graders.grading.result.SubmissionResult` as JSON."""
    with _main_module_left_alone():  # the pool spawns its processes as the first submissions arrive
        return pool.submit(_pool_task, task, assignment, settings.to_json(), sandbox, warden)


def _pool_task(task: Task, assignment: str, settings_json: dict, sandbox: str, warden: WardenSpec) -> dict:
    from graders.chapters import load_chapter

    student, submission = task
    return grade_submission(student, submission, load_chapter(assignment), settings_json, sandbox, _SLOT["value"],
                            warden)


def _run_pool(tasks: list[Task], chapter: Chapter, settings: GradingSettings, sandbox: str, workers: int,
              commit: Commit, warden: WardenSpec, attempts: dict[str, int],
              started: Callable[[], None] | None = None) -> list[Task]:
    """Grade ``tasks`` in one pool; returns those to grade again, in flight when a grading
    process died (``attempts`` counts how often each was)."""
    retry = []
    with grading_pool(chapter.id, settings, sandbox, workers, warden) as pool:
        running = {submit(pool, task, chapter.id, settings, sandbox, warden): task for task in tasks}
        if started:
            started()
        for future in futures.as_completed(running):
            student, submission = task = running[future]
            path = str(submission.root or "")
            try:
                data = future.result()
            except futures.process.BrokenProcessPool:
                attempts[student] = attempts.get(student, 0) + 1
                if attempts[student] < 2:
                    retry.append(task)
                    continue
                data = error_result(chapter, student, path,
                                    "Internal grader error, not your fault: the grading process died twice",
                                    sha256=submission.sha256)
            except Exception as exc:  # noqa: BLE001
                data = error_result(chapter, student, path, f"Internal grader error: {type(exc).__name__}: {exc}",
                                    sha256=submission.sha256)
            commit(student, SubmissionResult.from_json(data))
    return retry


def _init_pool_process(slots, pin: bool, assignment: str, settings_json: dict, sandbox: str,
                       warden: WardenSpec) -> None:
    """Get a grading process ready before its first submission: start its sandbox first, before
    the chapter is even imported, then, while the warden preloads (on another core where one is
    free), pin this process to its core and do its own first-use work: import the graders and
    references, draw the properties' examples, record their plans (:func:`graders.grading.engine.prepare`)."""
    atexit.register(_leave_without_finalizing)  # first registered, so it runs after every other exit handler
    slot = _SLOT["value"] = slots.get()
    core = _core_of(slot) if pin else None
    # Raising here would break the whole pool: the first submission meets the problem and reports it.
    with contextlib.suppress(Exception):
        process_worker(assignment, sandbox, slot, warden, core).launch()
    if core is not None:
        _pin_to_core(core)
    with contextlib.suppress(Exception):  # only a head start: grading does it all again if need be
        from graders.chapters import load_chapter
        from graders.grading.engine import prepare
        prepare(load_chapter(assignment), GradingSettings(**settings_json))


def _leave_without_finalizing() -> None:
    """The last exit handler of a grading process: leave at once, skipping the interpreter's
    teardown. Its results are already sent (multiprocessing flushed its queues before the exit
    handlers ran) and its sandbox is stopped (``_stop_process_workers``, which runs first),
    but tearing down an interpreter that has imported torch takes more than a second, and the
    batch waited for it at the end of every run. The pool never reads a grading
    process's exit status."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _core_of(slot: int) -> int | None:
    try:
        cores = sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return None
    return cores[slot % len(cores)]


def _pin_to_core(core: int) -> None:
    """Keep this grading process on one core, where its warden moves too once it has preloaded
    (``WorkerOptions.core``): the grader and the student's code take turns, and on the same core
    each call skips a cross-core wake-up and finds its caches warm (about a third of the
    per-call overhead on a 2-core VM)."""
    try:
        os.sched_setaffinity(0, {core})
    except (AttributeError, OSError):
        pass


@contextlib.contextmanager
def _main_module_left_alone() -> Iterator[None]:
    """Processes spawned meanwhile do not run the caller's main script.

    A spawned process runs the parent's ``__main__`` script again (as ``__mp_main__``), in case
    the functions it is sent live there; the pool's live in this module. For ``geodl batch``
    that costs 0.1 s, but a script that imports much (the class benchmark: 1.5 s) delays each
    grading process, and so its sandbox's start, by as much. Multiprocessing leaves alone a main
    module without a ``__file__`` (as in an interactive session); one run with ``-m`` is
    imported by name, and left as it is here."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path

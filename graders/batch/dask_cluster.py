"""The Dask executor: one task per submission on a Dask distributed cluster (a laptop's
``LocalCluster``, dask-jobqueue on SLURM, Kubernetes). Each task carries the submission's files,
so no worker needs the class's folder; GPU assignments ask for the worker resource ``GPU``, so
they land only on workers that declare it.

No submission may stop the batch here either (:func:`run_dask`): each task tells the client
when it starts (a Dask event), and one still running its time limit later is cancelled,
recorded as a ``timeout`` result, and its worker restarted through its nanny, which ends the
grading process with its sandbox (bubblewrap's die-with-parent). What Dask does not allow:

- a running task cannot be interrupted in its thread; only its worker's restart ends it, and a
  worker without a nanny cannot be restarted: its thread stays busy until the task returns
  (the submission is recorded as a timeout all the same, and the batch goes on);
- a restart ends every task on that worker: the others are rescheduled by Dask, which counts
  it against them (``distributed.scheduler.allowed-failures``) but records no result for them;
- memory: a Dask worker's bound is its nanny's ``memory_limit`` (the nanny restarts a worker
  past 95% of it), set where the cluster is deployed; the local pool's memory group per
  grading process is not applied to Dask workers. A task lost with its worker is retried by
  Dask, then recorded as an error result;
- with the ``process`` sandbox backend, a session still running student code may outlive its
  restarted worker (no sandbox of its own to die with it); use ``bwrap``.
"""
from __future__ import annotations

import os
import threading
import time
import zlib
from typing import Callable

from graders.batch.grading_process import error_result, grade_submission
from graders.batch.local import Commit, Task, submission_time_limit, timeout_message
from graders.batch.preload import WardenSpec
from graders.grading.result import SubmissionResult
from graders.grading.settings import GradingSettings
from graders.grading.spec import Chapter

#: The Dask event topic on which each task says that it started (its key, its worker).
START_TOPIC = "geodl-task-started"
#: How often the client looks for tasks past their time limit, at the least (seconds).
WATCH_INTERVAL_S = 1.0
#: How long a worker's restart may take before the batch goes on without waiting for it.
RESTART_TIMEOUT_S = 60.0


def run_dask(tasks: list[Task], chapter: Chapter, settings: GradingSettings, sandbox: str, scheduler: str | None,
             commit: Commit, warden: WardenSpec, started: Callable[[], None] | None = None, *,
             time_limit_s: float | None = None) -> None:
    """Grade ``tasks`` on the cluster at ``scheduler``; results stream back as they finish
    (``started()`` is called once all are submitted). A lost task is recorded as an error
    result; a task still running ``time_limit_s`` after it started (default
    :func:`~graders.batch.local.submission_time_limit`) is cancelled, recorded as a
    ``timeout``, and its worker restarted. Each task gets exactly one result."""
    from distributed import Client, wait

    if not scheduler:
        raise ValueError("the dask executor needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    limit = submission_time_limit(chapter, settings) if time_limit_s is None else time_limit_s
    starts: dict[str, tuple[float, str]] = {}  # task key -> (when the client heard it started, its worker)

    def heard(event: tuple) -> None:  # on the client's event loop
        message = event[1]
        if isinstance(message, dict) and isinstance(message.get("key"), str):
            starts.setdefault(message["key"], (time.monotonic(), str(message.get("worker", ""))))

    restarts: list[threading.Thread] = []
    with Client(scheduler, timeout="30s") as client:
        client.subscribe_topic(START_TOPIC, heard)
        resources = {"GPU": 1} if warden.gpu else None
        settings_json = settings.to_json()
        pending = {}
        for task in tasks:
            key = f"geodl-{chapter.id}-{task[0]}-{time.time_ns()}"
            future = client.submit(_dask_task, task, chapter.id, settings_json, sandbox, warden, key=key, pure=False,
                                   resources=resources, retries=1)
            pending[future] = task
        if started:
            started()
        while pending:
            now = time.monotonic()
            deadlines = [starts[f.key][0] + limit for f in pending if f.key in starts]
            timeout = min([WATCH_INTERVAL_S, *(max(0.0, d - now) for d in deadlines)])
            try:
                done = wait(list(pending), timeout=timeout, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            except Exception:  # noqa: BLE001 - a future cancelled elsewhere (wait raises): take what is done
                done = {future for future in pending if future.done()}
            for future in done:
                student, submission = pending.pop(future)
                try:
                    data = future.result()
                except Exception as exc:  # noqa: BLE001 - a lost Dask task is an error result, not a lost one
                    data = error_result(chapter, student, str(submission.root or ""),
                                        f"Internal grader error, not your fault: {exc}", sha256=submission.sha256)
                commit(student, SubmissionResult.from_json(data))
            now = time.monotonic()
            for future in [f for f in pending if f.key in starts and now - starts[f.key][0] >= limit]:
                student, submission = pending.pop(future)
                since, worker = starts[future.key]
                future.cancel()
                if worker:
                    restarts.append(_restart_in_background(client, worker))
                data = error_result(chapter, student, str(submission.root or ""),
                                    timeout_message(chapter, settings, time_limit_s), sha256=submission.sha256,
                                    status="timeout", duration_s=now - since)
                commit(student, SubmissionResult.from_json(data))
        for thread in restarts:
            thread.join(RESTART_TIMEOUT_S)
        client.unsubscribe_topic(START_TOPIC)


def _restart_in_background(client, worker: str) -> threading.Thread:
    """Restart ``worker`` through its nanny (ending a task stuck in its thread, and its grading
    process's sandbox), without holding up the results that keep coming."""
    def restart() -> None:
        try:
            client.restart_workers([worker], timeout=RESTART_TIMEOUT_S, raise_for_error=False)
        except Exception:  # noqa: BLE001 - no nanny, or gone already: the timeout is recorded all the same
            pass

    thread = threading.Thread(target=restart, name="geodl-dask-restart", daemon=True)
    thread.start()
    return thread


def _dask_task(task: Task, assignment: str, settings_json: dict, sandbox: str,
               warden: WardenSpec | None = None) -> dict:
    """One submission on a Dask worker (its slot derives from the worker's name); it first tells
    the client that it started, for the client's watchdog (:func:`run_dask`)."""
    from graders.chapters import load_chapter

    try:
        from distributed import get_worker
        from distributed.worker import thread_state
        worker = get_worker()
        name = worker.name
        key = getattr(thread_state, "key", None)
        if key is not None:
            worker.log_event(START_TOPIC, {"key": str(key), "worker": worker.address})
    except (ImportError, ValueError):
        name = os.getpid()
    slot = name if isinstance(name, int) else zlib.crc32(str(name).encode()) % 1000
    student, submission = task
    data = grade_submission(student, submission, load_chapter(assignment), settings_json, sandbox, int(slot) + 100,
                            warden)
    data.setdefault("worker", {})["dask_worker"] = str(name)
    return data

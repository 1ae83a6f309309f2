"""The Dask executor: one task per submission on a Dask distributed cluster (a laptop's
``LocalCluster``, dask-jobqueue on SLURM, Kubernetes). Each task carries the submission's files,
so no worker needs the class's folder; GPU assignments ask for the worker resource ``GPU``, so
they land only on workers that declare it."""
from __future__ import annotations

import os
import time
import zlib
from typing import Callable

from graders.batch.grading_process import error_result, grade_submission
from graders.batch.local import Commit, Task
from graders.batch.preload import WardenSpec
from graders.grading.result import SubmissionResult
from graders.grading.settings import GradingSettings
from graders.grading.spec import Chapter


def run_dask(tasks: list[Task], chapter: Chapter, settings: GradingSettings, sandbox: str, scheduler: str | None,
             commit: Commit, warden: WardenSpec, started: Callable[[], None] | None = None) -> None:
    """Grade ``tasks`` on the cluster at ``scheduler``; results stream back as they finish
    (``started()`` is called once all are submitted). A lost task is recorded as an error result."""
    from distributed import Client, as_completed

    if not scheduler:
        raise ValueError("the dask executor needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    with Client(scheduler, timeout="30s") as client:
        resources = {"GPU": 1} if warden.gpu else None
        settings_json = settings.to_json()
        submitted = {}
        for task in tasks:
            future = client.submit(_dask_task, task, chapter.id, settings_json, sandbox, warden,
                                   key=f"geodl-{chapter.id}-{task[0]}-{time.time_ns()}", pure=False,
                                   resources=resources, retries=1)
            submitted[future] = task
        if started:
            started()
        for future in as_completed(submitted):
            student, submission = submitted[future]
            try:
                data = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost Dask task is an error result, not a lost one
                data = error_result(chapter, student, str(submission.root or ""),
                                    f"Internal grader error, not your fault: {exc}", sha256=submission.sha256)
            commit(student, SubmissionResult.from_json(data))


def _dask_task(task: Task, assignment: str, settings_json: dict, sandbox: str,
               warden: WardenSpec | None = None) -> dict:
    """One submission on a Dask worker (its slot derives from the worker's name)."""
    from graders.chapters import load_chapter

    try:
        from distributed import get_worker
        name = get_worker().name
    except (ImportError, ValueError):
        name = os.getpid()
    slot = name if isinstance(name, int) else zlib.crc32(str(name).encode()) % 1000
    student, submission = task
    data = grade_submission(student, submission, load_chapter(assignment), settings_json, sandbox, int(slot) + 100,
                            warden)
    data.setdefault("worker", {})["dask_worker"] = str(name)
    return data

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

A department runs the cluster from Dask's own command line (``docs/dask.md``): ``dask scheduler``,
then ``dask worker ADDRESS --nthreads 1`` on each grading machine (``--nworkers N`` for N grading
processes; ``--resources GPU=1`` on a machine with a GPU), then ``geodl batch ... --executor dask
--scheduler ADDRESS``, which first asks the scheduler who is there (:func:`cluster_for_batch`).
Each Dask worker process keeps the warm sandboxed worker of :mod:`graders.batch.grading_process`
and grades one submission at a time in it (the warm worker serves one grading at a time; a worker
started with more threads queues its tasks behind that, each task's time limit counting from when
it begins to grade). A worker lost mid-batch (killed, its machine gone) costs nothing: Dask runs
its tasks again on another worker, the client takes one result per task, and the store keeps one
row per submission (:meth:`~graders.batch.store.ResultStore.save` replaces an identical grading).
"""
from __future__ import annotations

import asyncio
import dataclasses
import os
import socket
import threading
import time
from typing import Callable

from graders.batch.grading_process import error_result, grade_submission
from graders.batch.local import Commit, Task, submission_time_limit, timeout_message
from graders.batch.preload import WardenSpec
from graders.errors import ConfigurationError
from graders.grading.result import SubmissionResult
from graders.grading.settings import GradingSettings
from graders.grading.spec import Chapter

#: The Dask event topic on which each task says that it started (its key, its worker).
START_TOPIC = "geodl-task-started"
#: How often the client looks for tasks past their time limit, at the least (seconds).
WATCH_INTERVAL_S = 1.0
#: How long a worker's restart may take before the batch goes on without waiting for it.
RESTART_TIMEOUT_S = 60.0
#: How long ``geodl batch`` waits for a Dask scheduler to answer before it says that none does (seconds).
SCHEDULER_ANSWER_S = 10.0
#: The worker resource a task of an assignment with a GPU exercise asks for (``dask worker --resources GPU=1``).
GPU_RESOURCE = "GPU"
#: One grading at a time per Dask worker process: its warm worker (one sandbox, one control socket) serves one.
_GRADING = threading.Lock()


@dataclasses.dataclass(frozen=True)
class ClusterView:
    """What a Dask scheduler says of itself when a batch starts: its address and, by name, the
    resources each of its workers declares (``{"GPU": 1.0}``; empty for a worker without)."""

    address: str
    workers: dict[str, dict[str, float]]

    @property
    def gpu_workers(self) -> list[str]:
        """The names of the workers that declare the resource ``GPU``."""
        return sorted(name for name, resources in self.workers.items() if resources.get(GPU_RESOURCE, 0) > 0)

    def describe(self) -> str:
        """In words, for the batch's first line: ``the Dask scheduler at ADDR (3 workers, 1 with a GPU)``."""
        count = len(self.workers)
        return (f"the Dask scheduler at {self.address} ({count} worker{'s' * (count != 1)}, "
                f"{len(self.gpu_workers)} with a GPU)")


def cluster_for_batch(address: str | None, chapter: Chapter, timeout_s: float = SCHEDULER_ANSWER_S) -> ClusterView:
    """The cluster a batch of ``chapter`` will run on, asked of the scheduler at ``address``
    before anything is graded or written. Raises :class:`~graders.errors.ConfigurationError`
    (one line and a hint) when no address is given, when it is no Dask address, when nothing
    answers there within ``timeout_s``, when what answers is no Dask scheduler, and when the
    chapter has a GPU exercise while workers are connected and none declares the resource ``GPU``
    (its tasks would wait forever). A scheduler with no worker yet is accepted: its tasks wait
    for workers, as an adaptive cluster's do."""
    if not address:
        raise ConfigurationError("--executor dask needs --scheduler ADDRESS", reference="dask-scheduler-missing",
                                 hint="give the address `dask scheduler` printed ('Scheduler at: tcp://HOST:8786')")
    view = probe_scheduler(address, timeout_s)
    if chapter.needs_gpu and view.workers and not view.gpu_workers:
        exercises = ", ".join(e.id for e in chapter.exercises.values() if e.gpu)
        raise ConfigurationError(f"{chapter.id} has exercises graded on a GPU ({exercises}) and none of the "
                                 f"{len(view.workers)} workers of the Dask scheduler at {address!r} declares the "
                                 f"resource {GPU_RESOURCE}", reference="dask-no-gpu-worker",
                                 hint=f"start one on a machine with a GPU: dask worker {address} --nthreads 1 "
                                      f"--resources {GPU_RESOURCE}=1")
    return view


def probe_scheduler(address: str, timeout_s: float = SCHEDULER_ANSWER_S) -> ClusterView:
    """Ask the Dask scheduler at ``address`` who its workers are; a
    :class:`~graders.errors.ConfigurationError` naming the address when it is no Dask address,
    nothing answers there within ``timeout_s`` (a refused TCP connection is told at once), or
    what answers is no scheduler."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import get_backend

    unreachable = dict(reference="dask-scheduler-unavailable",
                       hint="start it with `dask scheduler` and give the address it printed ('Scheduler at: ...'), "
                            "reachable from this machine")
    try:
        protocol, location = parse_address(address, strict=True)
        get_backend(protocol)
        if protocol in ("tcp", "tls"):
            host, port = parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(f"--scheduler {address!r} is not a Dask scheduler's address: {exc}",
                                 reference="bad-scheduler-address",
                                 hint="give the address `dask scheduler` printed, e.g. tcp://HOST:8786") from None
    if protocol in ("tcp", "tls"):
        try:
            socket.create_connection((host, port), timeout=timeout_s).close()
        except OSError as exc:
            raise ConfigurationError(f"the Dask scheduler at {address!r} does not answer: "
                                     f"{exc.strerror or exc or 'timed out'}", **unreachable) from None
    try:
        identity = asyncio.run(_identity(address, timeout_s))
    except (OSError, asyncio.TimeoutError) as exc:
        raise ConfigurationError(f"the Dask scheduler at {address!r} does not answer within {timeout_s:g} s "
                                 f"({type(exc).__name__})", **unreachable) from None
    except Exception:  # noqa: BLE001 - a server of another protocol (an HTTP port): its reply is no Dask frame
        raise ConfigurationError(f"what answers at {address!r} does not speak Dask's protocol",
                                 reference="bad-scheduler-address",
                                 hint="give the address `dask scheduler` printed ('Scheduler at: ...'), "
                                      "not its dashboard's") from None
    kind = identity.get("type") if isinstance(identity, dict) else None
    if kind != "Scheduler":
        raise ConfigurationError(f"{address!r} is a Dask {kind or 'server'}, not a scheduler",
                                 reference="bad-scheduler-address",
                                 hint="give the scheduler's address (what `dask scheduler` printed), not a worker's")
    workers = {str(info.get("name", worker)): {str(k): float(v) for k, v in (info.get("resources") or {}).items()}
               for worker, info in (identity.get("workers") or {}).items()}
    return ClusterView(address, workers)


async def _identity(address: str, timeout_s: float) -> dict:
    """The ``identity`` reply of the Dask server at ``address`` (over TLS as Dask's configuration
    says, ``distributed.comm.tls``, for a ``tls://`` address)."""
    from distributed.core import rpc
    from distributed.security import Security

    async with rpc(address, timeout=timeout_s, connection_args=Security().get_connection_args("client")) as server:
        return await asyncio.wait_for(server.identity(), timeout_s)


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
        if isinstance(message, dict) and isinstance(message.get("key"), str):  # a task run again (its worker
            starts[message["key"]] = (time.monotonic(), str(message.get("worker", "")))  # lost) starts anew

    restarts: list[threading.Thread] = []
    with _connect(Client, scheduler) as client:
        client.subscribe_topic(START_TOPIC, heard)
        resources = {GPU_RESOURCE: 1} if warden.gpu else None
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


def _connect(client_class, scheduler: str):
    """A Dask client of the scheduler at ``scheduler``; one that does not answer within
    :data:`SCHEDULER_ANSWER_S` is a :class:`~graders.errors.ConfigurationError` naming it."""
    try:
        return client_class(scheduler, timeout=f"{SCHEDULER_ANSWER_S}s")
    except OSError as exc:
        raise ConfigurationError(f"the Dask scheduler at {scheduler!r} does not answer: {exc}",
                                 reference="dask-scheduler-unavailable",
                                 hint="start it with `dask scheduler` and give the address it printed") from None


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


#: The sandbox slots of Dask workers (a slot is a sandbox uid): above a local batch's (0, 1, ...).
DASK_SLOTS = range(100, 1100)
_SLOT: dict[str, int] = {}


def _machine_slot() -> int:
    """This process's sandbox slot, one no other live Dask worker process on the machine holds:
    claimed on first use by an exclusive lock on ``<tmp>/geodl-dask-slots/<slot>.lock``, held
    until the process ends (the kernel lets go of a dead process's lock), so two workers of one
    machine never share a sandbox uid, whatever their names."""
    if "value" not in _SLOT:
        import fcntl
        import tempfile

        folder = os.path.join(tempfile.gettempdir(), "geodl-dask-slots")
        os.makedirs(folder, mode=0o700, exist_ok=True)
        for slot in DASK_SLOTS:
            fd = os.open(os.path.join(folder, f"{slot}.lock"), os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            _SLOT["value"] = slot  # fd stays open: the lock is this process's while it lives
            break
        else:
            raise RuntimeError(f"every sandbox slot of {folder} is held: more than {len(DASK_SLOTS)} Dask workers")
    return _SLOT["value"]


def _dask_task(task: Task, assignment: str, settings_json: dict, sandbox: str,
               warden: WardenSpec | None = None) -> dict:
    """One submission on a Dask worker (in its machine-wide slot, :func:`_machine_slot`), graded once the
    worker's warm worker is free; it then first tells the client that it started, for the
    client's watchdog (:func:`run_dask`)."""
    from graders.chapters import load_chapter

    chapter = load_chapter(assignment)
    with _GRADING:  # a worker started with several threads grades one submission at a time all the same
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
        student, submission = task
        data = grade_submission(student, submission, chapter, settings_json, sandbox, _machine_slot(), warden)
    data.setdefault("worker", {})["dask_worker"] = str(name)
    return data

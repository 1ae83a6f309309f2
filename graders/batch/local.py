"""The local executor: a pool of grading processes on this machine, one warm worker each.

A new grading process starts its sandbox first, before it even imports the chapter, and does
its own first-use work while the warden preloads (:func:`_init_grading_process`); it is pinned to a
core of its own where there are enough, and leaves without the interpreter's teardown.

Whatever one grading process does costs only the submission it was grading
(:class:`GradingPool`):

- each grading process grades one submission at a time, handed to it by the pool, so the pool
  always knows which submission is in flight in which process;
- each has a memory group of its own (:func:`graders.sandbox.cgroups.grading_group`; its
  sandbox has another), so that an overrun has the kernel kill that process alone, not the
  pool beside it nor the batch's process; where no group can be made, its soft
  ``RLIMIT_DATA`` bounds it instead (:func:`_bound_memory`);
- a process that dies costs a strike to the submission it was grading, and to no other: that
  submission is graded again in a new process, at most :data:`MAX_ATTEMPTS` times in all, then
  recorded as an error saying what happened (:func:`run_local`); the other submissions go on;
- a watchdog gives each submission a time limit (:func:`submission_time_limit`): past it, the
  process grading it is killed with its sandbox and replaced, and the submission is recorded
  as a ``timeout`` result. So every batch finishes.
"""
from __future__ import annotations

import atexit
import collections
import concurrent.futures as futures
import contextlib
import dataclasses
import itertools
import multiprocessing
import multiprocessing.connection
import os
import queue
import signal
import sys
import threading
import time
from typing import Any, Callable, Iterator

from graders.batch.grading_process import describe_failure, error_result, grade_submission, process_worker
from graders.batch.preload import WardenSpec
from graders.grading.result import SubmissionResult
from graders.grading.settings import GradingSettings
from graders.grading.spec import Chapter
from graders.grading.submission import Submission
from graders.grading.threads import limit_threads
from graders.sandbox.cgroups import Cgroup, sandbox_groups_of

#: A submission to grade: the student, and the files read once by the batch's process.
Task = tuple[str, Submission]
Commit = Callable[[str, SubmissionResult], None]

GiB = 2**30
#: The default memory limit of one grading process, its sandbox not counted (that has a group
#: of its own). A ch06 grading process peaks near 260 MiB, ch03's (torch in the grader) near
#: 360 MiB; decoding the largest reply a session may send (64 MiB: at most 8 bytes a byte, and
#: 8 MiB, graders.worker.wire.Decoder) fits with room to spare.
GRADER_MEMORY_BYTES = 2 * GiB
#: What a submission may take beyond its exercises' time budgets (:func:`submission_time_limit`):
#: a sandbox (re)start after a crash, the imports, the grader's own share of each check.
START_ALLOWANCE_S = 60.0
#: How often one submission may be in flight in a grading process that dies, in all.
MAX_ATTEMPTS = 2
#: How long a new grading process may take to get ready (its sandbox starts within
#: ``graders.grading.client.START_TIMEOUT_S``, 180 s), and how many may fail in a row before
#: the pool gives up (:class:`GradingPoolBroken`).
PROCESS_START_TIMEOUT_S = 300.0
MAX_FAILED_STARTS = 3
SPAWN_RETRY_S = 1.0
#: How long a grading process told to stop may take to exit before it is killed, and how long
#: one whose pipe to the batch closed may take.
STOP_TIMEOUT_S = 30.0
LOST_GRACE_S = 2.0

_SLOT = {"value": 0}


class GradingProcessLost(Exception):
    """The grading process died (or could not be reached) while grading this submission."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  #: what happened to it, in words: "ran out of memory (its limit is 2.0 GiB)"


class GradingTimedOut(Exception):
    """The submission was still being graded at its time limit; its grading process was killed."""

    def __init__(self, limit_s: float, elapsed_s: float):
        super().__init__(f"still grading after {elapsed_s:.1f} s (limit {limit_s:g} s)")
        self.limit_s, self.elapsed_s = limit_s, elapsed_s


class GradingFailed(Exception):
    """Grading raised in the grading process, past :func:`~graders.batch.grading_process.grade_submission`'s
    own handling (which turns what it can into an error result); the process lives on."""


class GradingPoolBroken(Exception):
    """No grading process could be started: nothing handed to the pool will be graded."""


def submission_time_limit(chapter: Chapter, settings: GradingSettings) -> float:
    """The watchdog's limit on one submission's grading, in seconds: each exercise's time budget
    (``settings.exercise_timeout_s``, the wall clock all its calls into the student's code
    may take) for every exercise of the chapter, plus :data:`START_ALLOWANCE_S`. The clock
    starts when a ready grading process receives the submission.

    >>> from graders.chapters import load_chapter
    >>> submission_time_limit(load_chapter("ch06"), GradingSettings(exercise_timeout_s=20.0))
    140.0
    """
    return len(chapter.exercises) * settings.exercise_timeout_s + START_ALLOWANCE_S


def timeout_message(chapter: Chapter, settings: GradingSettings, time_limit_s: float | None) -> str:
    """What a submission stopped at its time limit is told, in one line (``time_limit_s``: the
    batch's own limit, or ``None`` for :func:`submission_time_limit`'s)."""
    if time_limit_s is None:
        how = (f"{submission_time_limit(chapter, settings):g} s: {len(chapter.exercises)} exercises × "
               f"{settings.exercise_timeout_s:g} s, plus {START_ALLOWANCE_S:g} s")
    else:
        how = f"{time_limit_s:g} s, set for this batch"
    return f"Not graded: grading this submission took longer than its limit ({how}), so it was stopped"


def run_local(tasks: list[Task], chapter: Chapter, settings: GradingSettings, sandbox: str, workers: int,
              commit: Commit, warden: WardenSpec, started: Callable[[], None] | None = None, *,
              memory_bytes: int = GRADER_MEMORY_BYTES, time_limit_s: float | None = None,
              initializer: Callable[[], Any] | None = None) -> str:
    """Grade ``tasks`` in a pool of ``workers`` grading processes (:class:`GradingPool`) and
    ``commit`` each result as it comes, exactly once; ``started()`` is called once every task
    is handed out.

    A submission whose grading process dies is graded again in a new one, up to
    :data:`MAX_ATTEMPTS` times in all, then recorded as an error; one still grading after
    ``time_limit_s`` (default :func:`submission_time_limit`) is recorded as a ``timeout``. No
    other submission is charged for either. ``memory_bytes`` bounds each grading process
    (its sandbox apart); ``initializer`` (picklable) runs first in each one. Returns how the
    grading processes' memory was bounded, in words (:attr:`GradingPool.memory_note`)."""
    limit_threads()  # the spawned grading processes inherit the thread variables
    limit = submission_time_limit(chapter, settings) if time_limit_s is None else time_limit_s
    attempts: dict[str, int] = {}
    with GradingPool(chapter.id, settings, sandbox, workers, warden, memory_bytes=memory_bytes, time_limit_s=limit,
                     initializer=initializer) as pool:
        finished: queue.SimpleQueue[futures.Future] = queue.SimpleQueue()
        running: dict[futures.Future, Task] = {}

        def hand_in(task: Task) -> None:
            future = pool.submit(task)
            running[future] = task
            future.add_done_callback(finished.put)

        for task in tasks:
            hand_in(task)
        if started:
            started()
        while running:
            future = finished.get()
            if future not in running:
                continue
            student, submission = task = running.pop(future)
            path, sha256 = str(submission.root or ""), submission.sha256
            try:
                data = future.result()
            except GradingProcessLost as lost:
                attempts[student] = attempts.get(student, 0) + 1
                if attempts[student] < MAX_ATTEMPTS:
                    hand_in(task)
                    continue
                data = error_result(chapter, student, path,
                                    f"Not graded: the grader's process {lost.reason} while grading this "
                                    f"submission, {_times(attempts[student])}", sha256=sha256)
            except GradingTimedOut as timed_out:
                data = error_result(chapter, student, path, timeout_message(chapter, settings, time_limit_s),
                                    sha256=sha256, status="timeout", duration_s=timed_out.elapsed_s)
            except (GradingPoolBroken, GradingFailed) as failed:
                data = error_result(chapter, student, path, f"Internal grader error, not your fault: {failed}",
                                    sha256=sha256)
            except Exception as exc:  # noqa: BLE001
                data = error_result(chapter, student, path,
                                    f"Internal grader error, not your fault: {type(exc).__name__}: {exc}",
                                    sha256=sha256)
            commit(student, SubmissionResult.from_json(data))
    return pool.memory_note


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def grading_pool(assignment: str, settings: GradingSettings, sandbox: str, workers: int, warden: WardenSpec, *,
                 memory_bytes: int = GRADER_MEMORY_BYTES, time_limit_s: float | None = None,
                 initializer: Callable[[], Any] | None = None) -> GradingPool:
    """A pool of ``workers`` grading processes (spawned: forking after torch threads can hang),
    each pinned to a core of its own where there are enough, each getting its warm worker ready
    as it starts (:func:`_init_grading_process`). Give it submissions with :func:`submit`;
    without ``time_limit_s`` it has no watchdog."""
    return GradingPool(assignment, settings, sandbox, workers, warden, memory_bytes=memory_bytes,
                       time_limit_s=time_limit_s, initializer=initializer)


def submit(pool: GradingPool, task: Task, assignment: str, settings: GradingSettings, sandbox: str,
           warden: WardenSpec) -> futures.Future:
    """Grade ``task`` in a process of ``pool`` (:func:`grading_pool`, made for the same
    assignment, settings, sandbox and warden); the future's result is the
    :class:`~graders.grading.result.SubmissionResult` as JSON."""
    return pool.submit(task)


@dataclasses.dataclass
class _Job:
    id: int
    task: Task
    future: futures.Future


@dataclasses.dataclass
class _GradingProcess:
    """One grading process as the pool sees it: ``starting`` (until it says it is ready),
    ``idle``, or ``busy`` with ``job`` since ``since``."""

    slot: int
    process: Any  # multiprocessing's SpawnProcess
    conn: multiprocessing.connection.Connection
    group: Cgroup | None
    memory_bytes: int  #: its memory limit
    state: str = "starting"
    job: _Job | None = None
    since: float = 0.0


class GradingPool:
    """``workers`` grading processes (spawned, each pinned to its core where there are enough),
    each grading one submission at a time, driven by a thread of the batch's process.

    The pool hands a submission to a process only once that process is ready and idle, and
    records which process grades it: when a process dies, the one submission it was grading
    fails with :class:`GradingProcessLost` (the reason read from its memory group and exit
    status), nothing else does, and a new process takes its slot when there is work for it.
    With ``time_limit_s``, a submission still in flight that long after it was handed out fails
    with :class:`GradingTimedOut`: its process is stopped, its sandbox killed, and it too is
    replaced. Each process runs in a memory group of ``memory_bytes`` (or under a soft
    ``RLIMIT_DATA`` of that size where no group can be made: :attr:`memory_note` says which).
    Use it as a context manager; leaving on an exception kills the processes at once."""

    def __init__(self, assignment: str, settings: GradingSettings, sandbox: str, workers: int, warden: WardenSpec,
                 *, memory_bytes: int = GRADER_MEMORY_BYTES, time_limit_s: float | None = None,
                 initializer: Callable[[], Any] | None = None):
        if workers < 1:
            raise ValueError(f"workers={workers!r} must be at least 1")
        self.assignment, self.settings_json, self.sandbox = assignment, settings.to_json(), sandbox
        self.workers, self.warden, self.memory_bytes = workers, warden, memory_bytes
        self.time_limit_s, self.initializer = time_limit_s, initializer
        #: how the grading processes' memory is bounded here, in words (set as the first one starts)
        self.memory_note = ""
        self._context = multiprocessing.get_context("spawn")
        self._pin = hasattr(os, "sched_getaffinity") and workers <= len(os.sched_getaffinity(0))
        self._lock = threading.RLock()
        self._queue: collections.deque[_Job] = collections.deque()
        self._processes: dict[int, _GradingProcess] = {}  # by slot
        self._ids = itertools.count()
        self._failed_starts = 0
        self._spawn_after = 0.0  # after a failed spawn, when to try again
        self._broken = ""
        self._closing = False
        self._kill_on_close = False
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)  # a full pipe holds a wake-up already
        self._thread: threading.Thread | None = None

    # -- the batch's side
    def __enter__(self) -> GradingPool:
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        self.shutdown(kill=exc_type is not None)

    def submit(self, task: Task) -> futures.Future:
        """Queue ``task``; the future's result is its :class:`~graders.grading.result.SubmissionResult`
        as JSON, or one of this module's exceptions."""
        future: futures.Future = futures.Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("the grading pool is shut down")
            if self._broken:
                future.set_exception(GradingPoolBroken(self._broken))
                return future
            self._queue.append(_Job(next(self._ids), task, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._manage, name="geodl-grading-pool", daemon=True)
                self._thread.start()
        self._wake()
        return future

    def shutdown(self, *, kill: bool = False) -> None:
        """Finish what was handed in (or, with ``kill``, cancel it and kill the processes now),
        stop the processes and remove their groups."""
        with self._lock:
            self._closing = True
            self._kill_on_close = self._kill_on_close or kill
        self._wake()
        if self._thread is not None:
            self._thread.join()
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_read = self._wake_write = -1

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_write, b"w")

    # -- the pool's thread
    def _manage(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._kill_on_close:
                        break
                    if self._closing and not self._queue and not any(p.job for p in self._processes.values()):
                        break
                    self._start_processes()
                    self._dispatch()
                    waitables, timeout = self._waitables()
                multiprocessing.connection.wait(waitables, timeout)
                with contextlib.suppress(OSError):
                    while os.read(self._wake_read, 4096):
                        pass
                with self._lock:
                    for process in list(self._processes.values()):
                        self._poll(process)
                    self._watch(time.monotonic())
        except BaseException as exc:  # noqa: BLE001 - nothing handed in may wait forever
            with self._lock:
                self._kill_on_close = True
                self._break(f"the grading pool failed: {type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self._stop_processes()

    def _start_processes(self) -> None:
        """A process for each free slot while there is more queued than ready processes can take."""
        if self._broken or time.monotonic() < self._spawn_after:
            return
        waiting = len(self._queue) - sum(p.state != "busy" for p in self._processes.values())
        for slot in range(self.workers):
            if waiting <= 0:
                return
            if slot not in self._processes:
                try:
                    self._processes[slot] = self._spawn(slot)
                except Exception as exc:  # noqa: BLE001 - out of processes or memory, say: try again shortly
                    self._spawn_after = time.monotonic() + SPAWN_RETRY_S
                    self._start_failed(f"a grading process could not be started ({type(exc).__name__}: {exc})")
                    return
                waiting -= 1

    def _spawn(self, slot: int) -> _GradingProcess:
        from graders.sandbox.cgroups import grading_group

        limit = self.memory_bytes + _unsandboxed_worker_bytes(self.sandbox)
        group, reason = grading_group(slot, limit)
        if not self.memory_note:
            self.memory_note = (f"a cgroup v{group.version} memory group of {limit / GiB:.1f} GiB per grading process"
                                if group is not None else
                                f"a soft RLIMIT_DATA of {limit / GiB:.1f} GiB per grading process ({reason})")
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_serve, name=f"geodl-grading-{slot}",
            args=(theirs, slot, self._pin, self.assignment, self.settings_json, self.sandbox, self.warden, group,
                  limit, self.initializer))
        try:
            with _main_module_left_alone():
                process.start()
        except BaseException:
            ours.close()
            if group is not None:
                group.remove()
            raise
        finally:
            theirs.close()
        return _GradingProcess(slot, process, ours, group, limit, since=time.monotonic())

    def _dispatch(self) -> None:
        """Hand the queued submissions to the ready, idle processes, one each."""
        for process in list(self._processes.values()):
            while process.state == "idle" and self._queue:
                job = self._queue.popleft()
                if not job.future.running() and not job.future.set_running_or_notify_cancel():
                    continue  # cancelled while queued
                process.state, process.job, process.since = "busy", job, time.monotonic()
                try:
                    process.conn.send((job.id, job.task))
                except (OSError, ValueError):  # gone before it got it: not in flight, so no strike
                    process.job = None
                    self._queue.appendleft(job)
                    self._lost(process)
                    break

    def _waitables(self) -> tuple[list, float | None]:
        waitables: list = [self._wake_read]
        deadlines = [self._spawn_after] if self._queue and self._spawn_after > time.monotonic() else []
        for process in self._processes.values():
            waitables += [process.conn, process.process.sentinel]
            deadline = self._deadline(process)
            if deadline is not None:
                deadlines.append(deadline)
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        return waitables, timeout

    def _deadline(self, process: _GradingProcess) -> float | None:
        if process.state == "starting":
            return process.since + PROCESS_START_TIMEOUT_S
        if process.state == "busy" and self.time_limit_s is not None:
            return process.since + self.time_limit_s
        return None

    def _poll(self, process: _GradingProcess) -> None:
        """Take what ``process`` sent; if it is gone, charge its submission (only that one)."""
        try:
            while process.conn.poll():
                message = process.conn.recv()
                if message[0] == "ready":
                    process.state, self._failed_starts = "idle", 0
                elif process.job is not None and message[1] == process.job.id:
                    job, process.job, process.state = process.job, None, "idle"
                    if message[0] == "result":
                        job.future.set_result(message[2])
                    else:
                        job.future.set_exception(GradingFailed(message[2]))
        except (EOFError, OSError, ValueError, IndexError, TypeError):
            self._lost(process)
            return
        if process.process.exitcode is not None:
            self._lost(process)

    def _watch(self, now: float) -> None:
        """Stop each process past its deadline: a submission past its time limit, a process that
        does not get ready."""
        for process in list(self._processes.values()):
            deadline = self._deadline(process)
            if deadline is None or now < deadline:
                continue
            if process.state == "busy" and process.job is not None:
                job, process.job = process.job, None
                self._end(process)
                job.future.set_exception(GradingTimedOut(self.time_limit_s or 0.0, now - process.since))
            else:
                self._end(process)
                self._start_failed(f"a grading process was not ready after {PROCESS_START_TIMEOUT_S:g} s")

    def _lost(self, process: _GradingProcess) -> None:
        job, process.job = process.job, None
        starting = process.state == "starting"
        reason = self._end(process, grace_s=LOST_GRACE_S)
        if job is not None:
            job.future.set_exception(GradingProcessLost(reason))
        elif starting:
            self._start_failed(f"a grading process {reason} as it started")

    def _start_failed(self, reason: str) -> None:
        self._failed_starts += 1
        if self._failed_starts >= MAX_FAILED_STARTS:
            self._break(f"the grading processes could not start ({reason}, {self._failed_starts} times in a row)")

    def _break(self, reason: str) -> None:
        """Fail everything queued, and everything handed in from now on."""
        self._broken = reason
        while self._queue:
            job = self._queue.popleft()
            if job.future.set_running_or_notify_cancel():
                job.future.set_exception(GradingPoolBroken(reason))

    def _end(self, process: _GradingProcess, grace_s: float = 0.0) -> str:
        """Kill ``process`` (after ``grace_s`` to exit on its own: one whose pipe closed is
        usually on its way out) with everything it started (its sandbox) and remove its group;
        why it ended (:func:`_death_reason`, read before its group goes)."""
        self._processes.pop(process.slot, None)
        process.state = "gone"
        if grace_s and process.process.exitcode is None:
            process.process.join(grace_s)
        if process.process.exitcode is None:
            _kill_tree(process.process.pid, process.group)
            process.process.join(10)
        elif process.group is not None:
            process.group.kill_all(timeout_s=5)  # the process backend's warden and sessions live there
        for sandbox in sandbox_groups_of(process.process.pid):  # what its sandboxes left: a stopped
            sandbox.kill_all(timeout_s=5)                        # process removes its own
            sandbox.remove()
        reason = _death_reason(process)
        with contextlib.suppress(OSError):
            process.conn.close()
        if process.group is not None:
            process.group.remove()
        return reason

    def _stop_processes(self) -> None:
        """At shutdown: tell each process to stop (kill it, on ``kill``), wait, and clean up."""
        from graders.sandbox.cgroups import remove_abandoned

        if self._kill_on_close:
            for job in self._queue:
                job.future.cancel()
            self._queue.clear()
            for process in self._processes.values():  # every tree killed first, then each one reaped and
                _kill_tree(process.process.pid, None)   # cleaned up: the batch leaves at once (an interrupt)
            for process in list(self._processes.values()):
                stopped, process.job = process.job, None
                self._end(process)
                if stopped is not None and not stopped.future.done():
                    stopped.future.set_exception(GradingProcessLost("was stopped with the batch"))
        for process in self._processes.values():
            with contextlib.suppress(OSError, ValueError):
                process.conn.send(None)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in list(self._processes.values()):
            process.process.join(max(0.0, deadline - time.monotonic()))
            self._end(process)
        remove_abandoned()


def _unsandboxed_worker_bytes(sandbox: str) -> int:
    """What a grading process's group must also hold where its worker has no group of its own:
    the process backend's warden and sessions are its children and stay in its group."""
    if sandbox != "process":
        return 0
    from graders.sandbox import SandboxLimits
    return SandboxLimits().memory_bytes


def _death_reason(process: _GradingProcess) -> str:
    """Why a grading process ended, in words, for the submission it was grading."""
    if process.group is not None and process.group.oom_kills() > 0:
        return f"ran out of memory (its limit is {process.memory_bytes / GiB:.1f} GiB)"
    code = process.process.exitcode
    if code is None:
        return "stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by {name}" + (" (the machine ran out of memory, or someone killed it)"
                                          if -code == signal.SIGKILL else "")
    return f"exited with status {code}"


def _kill_tree(pid: int, group: Cgroup | None) -> None:
    """Kill process ``pid`` and everything it started: stopped first, so that it starts nothing
    more, then its descendants (a sandbox: bwrap, the warden, its sessions, which would
    otherwise outlive it under the process backend), its memory group's members, and it."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGSTOP)
    for _ in range(3):
        descendants = _descendants(pid)
        if not descendants:
            break
        for child in descendants:
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
    if group is not None:
        group.kill_all(timeout_s=5)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


def _descendants(pid: int) -> list[int]:
    """The processes descended from ``pid`` (from /proc; none where it cannot be read)."""
    children: dict[int, list[int]] = {}
    try:
        entries = [entry.name for entry in os.scandir("/proc") if entry.name.isdigit()]
    except OSError:
        return []
    for name in entries:
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


# -- what runs in a grading process
def _serve(conn: multiprocessing.connection.Connection, slot: int, pin: bool, assignment: str, settings_json: dict,
           sandbox: str, warden: WardenSpec, group: Cgroup | None, memory_bytes: int,
           initializer: Callable[[], Any] | None) -> None:
    """A grading process: join its memory group, get ready, say so, then grade each submission
    it is handed, one at a time, until told to stop (``None``) or the batch is gone."""
    _bound_memory(group, memory_bytes)
    if initializer is not None:
        initializer()
    _init_grading_process(slot, pin, assignment, settings_json, sandbox, warden)
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        job_id, task = message
        reply: tuple[str, int, Any]
        try:
            reply = ("result", job_id, _pool_task(task, assignment, settings_json, sandbox, warden))
        except Exception as exc:  # noqa: BLE001 - grade_submission returns errors as results; this is a last resort
            reply = ("error", job_id, describe_failure(exc))
        conn.send(reply)


def _bound_memory(group: Cgroup | None, memory_bytes: int) -> None:
    """Put this grading process in its memory group; where there is none (or it cannot join),
    bound it by its soft ``RLIMIT_DATA`` instead.

    ``RLIMIT_AS`` would be no bound here: it counts address space merely reserved, and torch (a
    CUDA context above all) reserves far more than it uses. ``RLIMIT_DATA`` counts private
    writable mappings (the heap, anonymous ``mmap``: what decoding a reply allocates), not
    reservations without access nor shared libraries' code; past it an allocation fails with
    ``MemoryError``, which grading turns into an error result, and the process lives on. Only
    the soft limit is lowered: a sandbox that this process starts inherits it, but each
    session sets its own tighter ``RLIMIT_AS``, and it may raise its own."""
    if group is not None:
        try:
            group.join()
            return
        except OSError:
            pass
    try:
        import resource
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        soft = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))
    except (ImportError, OSError, ValueError):
        pass


def _pool_task(task: Task, assignment: str, settings_json: dict, sandbox: str, warden: WardenSpec) -> dict:
    from graders.chapters import load_chapter

    student, submission = task
    return grade_submission(student, submission, load_chapter(assignment), settings_json, sandbox, _SLOT["value"],
                            warden)


def _init_grading_process(slot: int, pin: bool, assignment: str, settings_json: dict, sandbox: str,
                          warden: WardenSpec) -> None:
    """Get a grading process ready before its first submission: start its sandbox first, before
    the chapter is even imported, then, while the warden preloads (on another core where one is
    free), pin this process to its core and do its own first-use work: import the graders and
    references, draw the properties' examples, record their plans (:func:`graders.grading.engine.prepare`)."""
    atexit.register(_leave_without_finalizing)  # first registered, so it runs after every other exit handler
    _SLOT["value"] = slot
    core = _core_of(slot) if pin else None
    # Raising here would lose the process: the first submission meets the problem and reports it.
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
    teardown. Its last result is already sent and its sandbox is stopped
    (``_stop_process_workers``, which runs first), but tearing down an interpreter that has
    imported torch takes more than a second, and the batch waited for it at the end of every
    run. The pool never reads a grading process's exit status once it has stopped it."""
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

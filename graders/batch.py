"""Grading a class: find the submissions, grade them in parallel sandboxed workers (local
processes or Dask distributed), and commit every result the moment it exists.

Each grading process keeps one warm worker (a sandbox whose warden has preloaded what the
class's code uses of numpy, scipy, sympy and torch: :func:`class_preload`) for all the
submissions it grades; each submission runs in a fresh forked session. A new
grading process starts its sandbox first and does its own first-use work
while the warden preloads, and ends the sandbox when it exits. Results flow back to this
process, which alone writes the results store (and the nbgrader gradebook), one transaction per
submission, so an interrupted batch loses at most the submissions in flight; ``resume=True``
skips what the store already holds.
"""
from __future__ import annotations

import atexit
import concurrent.futures as futures
import contextlib
import dataclasses
import multiprocessing
import os
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from graders import __version__
from graders.chapters import load_chapter
from graders.result import SubmissionResult
from graders.settings import GradingSettings
from graders.threads import limit_threads

if TYPE_CHECKING:  # the grading processes import this module, and never the store (SQLAlchemy: 0.25 s)
    from graders.nbgrader_bridge import GradebookWriter
    from graders.spec import Chapter
    from graders.store import ResultStore


@dataclasses.dataclass(frozen=True)
class BatchItem:
    """One submission of a class: who, and where its files are."""

    student: str
    path: str


def discover(root: str | os.PathLike, assignment: str) -> list[BatchItem]:
    """Submissions under ``root``: nbgrader's ``submitted/<student>/<assignment>/`` tree (root may
    be the course folder or its ``submitted/``), or a folder whose entries are each one
    student's submission folder or notebook."""
    root = Path(root)
    if (root / "submitted").is_dir():
        root = root / "submitted"
    items = []
    for entry in sorted(root.iterdir()):
        if entry.is_symlink() or entry.name.startswith("."):
            continue
        if entry.is_dir():
            folder = entry / assignment
            items.append(BatchItem(entry.name, str(folder if folder.is_dir() and not folder.is_symlink() else entry)))
        elif entry.suffix == ".ipynb":
            items.append(BatchItem(entry.stem, str(entry)))
    return items


@dataclasses.dataclass(frozen=True)
class BatchOptions:
    assignment: str
    settings: GradingSettings
    sandbox: str = "bwrap"
    workers: int = 1
    resume: bool = False
    gradebook_url: str | None = None
    preload: tuple[str, ...] | None = None  #: what warm workers import before forking (default: class_preload)


@dataclasses.dataclass(frozen=True)
class WardenSpec:
    """How a grading process's sandbox starts: the modules its warden preloads and whether it
    gets the GPU. The batch resolves it once from the chapter, so that a new grading process
    can launch its sandbox before importing the chapter (whose graders import torch: 2 to 3 s
    that the warden's own preloading would otherwise wait for)."""

    preload: tuple[str, ...]
    gpu: bool = False

    @classmethod
    def of(cls, chapter, preload: tuple[str, ...] | None = None, items: Iterable[BatchItem] | None = None
           ) -> "WardenSpec":
        """``preload`` if given, else what the class of ``items`` uses (:func:`class_preload`), else
        the chapter's :attr:`~graders.spec.Chapter.warm_preload`."""
        if preload:
            return cls(tuple(preload), chapter.needs_gpu)
        return cls(chapter.warm_preload if items is None else class_preload(chapter, items), chapter.needs_gpu)


def class_preload(chapter, items: Iterable[BatchItem]) -> tuple[str, ...]:
    """What the warm workers of a class preload: of the chapter's
    :attr:`~graders.spec.Chapter.warm_preload` (numpy, scipy, sympy and torch with their usual
    submodules, less what every exercise forbids), the packages the chapter's own code uses
    (:attr:`~graders.spec.Chapter.preload`) and those whose name appears anywhere in the files
    some submission will be graded on, each with its submodules.

    A package that no one's code names costs every submission for nothing: its import is part of
    every worker's start, and every session is a fork of a warden that much bigger, so its fork,
    its exit and its first writes to shared pages cost more. For a ch06 class, whose code uses
    numpy alone, sympy and scipy took 2.0-2.35 s of a warden's start, 11 ms of the CPU that a
    one-call session costs, and 1,800 of a graded session's 3,900 page faults
    (``benchmarks/README.md``, run 30). A student whose code imports a package under a name no
    file spells out (a computed name) pays the import in their own session. The files are read
    as grading reads them (:meth:`graders.submission.Submission.from_path`: a notebook's exercise
    cells, no symbolic link, its size limits), and the names are matched as plain bytes, in
    comments and strings too: a package is left out only where no file of the class names it."""
    from graders.errors import GeodlError

    candidates = chapter.warm_preload
    unnamed = {name.split(".")[0] for name in candidates}
    unnamed -= {name.split(".")[0] for name in chapter.preload}
    unnamed.discard("msgpack")  # the worker's own wire format imports it in any case
    for item in items:
        try:
            files = _read(item, chapter.id).files.values()
        except GeodlError:  # unreadable: it will be graded as such, and names nothing
            continue
        for data in files:
            unnamed = {package for package in unnamed if package.encode() not in data}
            if not unnamed:
                return candidates
    return tuple(name for name in candidates if name.split(".")[0] not in unnamed)


@dataclasses.dataclass
class BatchSummary:
    graded: int = 0
    skipped: int = 0
    errors: int = 0
    wall_s: float = 0.0
    results: list[tuple[str, SubmissionResult]] = dataclasses.field(default_factory=list)
    preload: tuple[str, ...] = ()  #: what the warm workers preloaded


OnResult = Callable[[str, SubmissionResult | None, str], None]  # (student, result or None if skipped, status)


def run_batch(items: Iterable[BatchItem], store: ResultStore, options: BatchOptions, *,
              executor: str = "local", scheduler: str | None = None, on_result: OnResult | None = None) -> BatchSummary:
    """Grade ``items`` into ``store`` (and the gradebook); ``on_result`` sees each as it lands.
    With ``options.resume``, what the store holds is skipped, and its results go to the gradebook
    once the rest are graded (:func:`_catch_up_gradebook`)."""
    clock = time.perf_counter()
    summary = BatchSummary()
    todo, skipped = [], []
    for item in items:
        if options.resume and _already_graded(store, item, options):
            summary.skipped += 1
            skipped.append(item.student)
            if on_result:
                on_result(item.student, None, "skipped")
            continue
        todo.append(item)
    chapter = load_chapter(options.assignment)
    gradebook = _GradebookOpening(options.gradebook_url, chapter) if options.gradebook_url else None

    def commit(student: str, result: SubmissionResult) -> None:
        store.save(result, student=student)
        if gradebook:
            gradebook.writer().record(student, result)
        summary.graded += 1
        summary.errors += result.status != "graded"
        summary.results.append((student, result))
        if on_result:
            on_result(student, result, result.status)

    warden = WardenSpec.of(chapter, options.preload, todo)
    summary.preload = warden.preload
    started = gradebook.start if gradebook else None
    try:
        if executor == "dask":
            _run_dask(todo, options, scheduler, commit, warden, started)
        elif executor == "local":
            _run_local(todo, options, commit, warden, started)
        else:
            raise ValueError(f"executor={executor!r} must be 'local' or 'dask'")
        if gradebook and skipped:
            _catch_up_gradebook(store, options.assignment, skipped, gradebook.writer)
    finally:
        if gradebook:
            gradebook.close()
    summary.wall_s = time.perf_counter() - clock
    return summary


class _GradebookOpening:
    """nbgrader's gradebook for a batch, opened on a thread of its own once the grading is under
    way (:meth:`start`), and waited for by the first result that needs it (:meth:`writer`).

    Opening it imports nbgrader and, for a new gradebook, alembic, then makes sure of the
    chapter's grade cells: 0.6 s of CPU in the batch's own process. While the grading processes
    start (their interpreters, their imports, their sandboxes' preloads), part of the cores is
    idle, and the batch's main thread only waits for results: the gradebook opens there,
    usually before the first result. Opened at the first result instead, it took its CPU from
    the grading. The writer's engine serves any thread, and its session is the thread's own."""

    def __init__(self, url: str, chapter: Chapter):
        self.url, self.chapter = url, chapter
        self._thread: threading.Thread | None = None
        self._writer: GradebookWriter | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        """Begin opening the gradebook (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._open, name="geodl-gradebook-opening", daemon=True)
            self._thread.start()

    def _open(self) -> None:
        try:
            from graders.nbgrader_bridge import GradebookWriter
            self._writer = GradebookWriter(self.url, self.chapter)
        except BaseException as exc:  # noqa: BLE001 - raised again where the writer is wanted
            self._error = exc

    def writer(self) -> GradebookWriter:
        """The open :class:`~graders.nbgrader_bridge.GradebookWriter` (opening it now if
        :meth:`start` was not called); raises what opening it raised."""
        self.start()
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._writer

    def close(self) -> None:
        """Wait for the opening, if begun, and close what it opened."""
        if self._thread is not None:
            self._thread.join()
        if self._writer is not None:
            self._writer.__exit__(None, None, None)


def _catch_up_gradebook(store: ResultStore, assignment: str, students: list[str], writer: Callable) -> None:
    """The stored results of the submissions a resumed batch skipped, written to the gradebook
    (``writer()``): a batch stopped between a result's commit to the store and its gradebook
    write left the gradebook behind. Writing again a result the gradebook holds changes nothing,
    and a TA's manual scores stay."""
    latest = dict(store.latest(assignment))
    for student in students:
        if student in latest:
            writer().record(student, latest[student])


def _already_graded(store: ResultStore, item: BatchItem, options: BatchOptions) -> bool:
    submission = _read(item, options.assignment)
    return store.has(assignment=options.assignment, student=item.student, sha256=submission.sha256,
                     grader_version=__version__, seed=options.settings.seed,
                     include_hidden=options.settings.include_hidden)


def _read(item: BatchItem, assignment: str):
    from graders.submission import Submission
    chapter = load_chapter(assignment)
    names = tuple(Path(e.module_file).name for e in chapter.exercises.values())
    return Submission.from_path(item.path, assignment, student=item.student, module_files=names)


# --------------------------------------------------------------------------- the grading side
_PROCESS_WORKERS: dict = {}


def grade_item(item: BatchItem, assignment: str, settings_json: dict, sandbox: str, slot: int,
               warden: WardenSpec | None = None) -> dict:
    """Grade one submission in this process's warm worker; returns the result as JSON.

    Runs in a pool process or a Dask worker; ``warden`` defaults to the chapter's. Anything that
    goes wrong with the submission becomes an ``error`` result, never an exception.
    """
    from graders.engine import grade
    from graders.errors import GeodlError

    chapter = load_chapter(assignment)
    settings = GradingSettings(**{k: v for k, v in settings_json.items()})
    try:
        submission = _read(item, assignment)
    except GeodlError as exc:
        return _error_result(assignment, item, f"the submission could not be read: {exc}")
    worker = _process_worker(assignment, sandbox, slot, warden or WardenSpec.of(chapter))
    try:
        return grade(submission, chapter, worker, settings).to_json()
    except Exception as exc:  # noqa: BLE001 - an internal failure must not lose the submission
        worker.stop()
        return _error_result(assignment, item, f"Internal grader error, not your fault: {type(exc).__name__}: {exc}",
                             sha256=submission.sha256)


def _process_worker(assignment: str, sandbox: str, slot: int, warden: WardenSpec, core: int | None = None):
    """This process's warm worker for an assignment (made on first use, not started), as
    ``warden`` says."""
    from graders.client import Worker
    from graders.sandbox import SandboxLimits, WorkerOptions, require

    key = (sandbox, assignment)
    worker = _PROCESS_WORKERS.get(key)
    if worker is None:
        if not _PROCESS_WORKERS:
            atexit.register(_stop_process_workers)
        worker = _PROCESS_WORKERS[key] = Worker(require(sandbox), limits=SandboxLimits(gpu=warden.gpu),
                                                options=WorkerOptions(preload=warden.preload, core=core), slot=slot)
    return worker


def _stop_process_workers() -> None:
    """At the exit of a grading process: end its sandboxes, so their cgroups go with them."""
    for worker in _PROCESS_WORKERS.values():
        with contextlib.suppress(Exception):
            worker.stop()
    _PROCESS_WORKERS.clear()


def _error_result(assignment: str, item: BatchItem, message: str, sha256: str = "") -> dict:
    return SubmissionResult(assignment=assignment, score=0.0, max_score=load_chapter(assignment).max_points,
                            status="error", message=message,
                            submission={"path": item.path, "student": item.student, "sha256": sha256},
                            grader={"version": __version__, "name": "geodl"}).to_json()


_SLOT = {"value": 0}


def _init_pool_process(slots, pin: bool, assignment: str, settings_json: dict, sandbox: str,
                       warden: WardenSpec) -> None:
    """Get a grading process ready before its first submission: start its sandbox first, before
    the chapter is even imported, then, while the warden preloads (on another core where one is
    free), pin this process to its core and do its own first-use work: import the graders and
    references, draw the properties' examples, record their plans (:func:`graders.engine.prepare`)."""
    atexit.register(_leave_without_finalizing)  # first registered, so it runs after every other exit handler
    slot = _SLOT["value"] = slots.get()
    core = _core_of(slot) if pin else None
    # Raising here would break the whole pool: the first submission meets the problem and reports it.
    with contextlib.suppress(Exception):
        _process_worker(assignment, sandbox, slot, warden, core).launch()
    if core is not None:
        _pin_to_core(core)
    with contextlib.suppress(Exception):  # only a head start: grading does it all again if need be
        from graders.engine import prepare
        prepare(load_chapter(assignment), GradingSettings(**settings_json))


def _leave_without_finalizing() -> None:
    """The last exit handler of a grading process: leave at once, skipping the interpreter's
    teardown. Its results are already sent (multiprocessing flushed its queues before the exit
    handlers ran) and its sandbox is stopped (:func:`_stop_process_workers`, which runs first),
    but tearing down an interpreter that has imported torch takes 1 to 1.6 s on a 2-core VM,
    and the batch waited for it at the end of every run. The pool never reads a grading
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


def _pool_task(item: BatchItem, assignment: str, settings_json: dict, sandbox: str, warden: WardenSpec) -> dict:
    return grade_item(item, assignment, settings_json, sandbox, _SLOT["value"], warden)


def _run_local(items: list[BatchItem], options: BatchOptions, commit, warden: WardenSpec,
               started: Callable[[], None] | None = None) -> None:
    """A pool of ``options.workers`` grading processes (:func:`grading_pool`); ``started()`` is
    called once every submission is handed to it.
    If a grading process dies, the submissions in flight are graded again in a new pool, at
    most twice; after that they are recorded as errors."""
    limit_threads()  # the spawned grading processes inherit the thread variables
    attempts: dict[str, int] = {}
    pending = list(items)
    while pending:
        pending = _run_pool(pending, options, commit, warden, attempts, started)


def grading_pool(options: BatchOptions, warden: WardenSpec) -> futures.ProcessPoolExecutor:
    """A pool of ``options.workers`` grading processes (spawned: forking after torch threads can
    hang), each pinned to a core of its own where there are enough, each getting its warm worker
    ready as it starts (:func:`_init_pool_process`). Give it submissions with :func:`submit`."""
    context = multiprocessing.get_context("spawn")
    pin = hasattr(os, "sched_getaffinity") and options.workers <= len(os.sched_getaffinity(0))
    slots = context.Queue()
    for slot in range(options.workers):
        slots.put(slot)
    return futures.ProcessPoolExecutor(max_workers=options.workers, mp_context=context, initializer=_init_pool_process,
                                       initargs=(slots, pin, options.assignment, options.settings.to_json(),
                                                 options.sandbox, warden))


def submit(pool: futures.ProcessPoolExecutor, item: BatchItem, options: BatchOptions,
           warden: WardenSpec) -> futures.Future:
    """Grade ``item`` in a process of ``pool`` (:func:`grading_pool`); the future's result is the
    :class:`SubmissionResult` as JSON."""
    with _main_module_left_alone():  # the pool spawns its processes as the first submissions arrive
        return pool.submit(_pool_task, item, options.assignment, options.settings.to_json(), options.sandbox, warden)


def _run_pool(items: list[BatchItem], options: BatchOptions, commit, warden: WardenSpec,
              attempts: dict[str, int], started: Callable[[], None] | None = None) -> list[BatchItem]:
    """Grade ``items`` in one pool; returns those to grade again, in flight when a grading
    process died (``attempts`` counts how often each was)."""
    retry = []
    with grading_pool(options, warden) as pool:
        running = {submit(pool, item, options, warden): item for item in items}
        if started:
            started()
        for future in futures.as_completed(running):
            item = running[future]
            try:
                data = future.result()
            except futures.process.BrokenProcessPool:
                attempts[item.student] = attempts.get(item.student, 0) + 1
                if attempts[item.student] < 2:
                    retry.append(item)
                    continue
                data = _error_result(options.assignment, item,
                                     "Internal grader error, not your fault: the grading process died twice")
            except Exception as exc:  # noqa: BLE001
                data = _error_result(options.assignment, item, f"Internal grader error: {type(exc).__name__}: {exc}")
            commit(item.student, SubmissionResult.from_json(data))
    return retry


@contextlib.contextmanager
def _main_module_left_alone():
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


# --------------------------------------------------------------------------- Dask
def _dask_task(item: BatchItem, assignment: str, settings_json: dict, sandbox: str,
               warden: WardenSpec | None = None) -> dict:
    """One submission on a Dask worker (its slot derives from the worker's name)."""
    try:
        from distributed import get_worker
        name = get_worker().name
    except (ImportError, ValueError):
        name = os.getpid()
    slot = name if isinstance(name, int) else zlib.crc32(str(name).encode()) % 1000
    data = grade_item(item, assignment, settings_json, sandbox, int(slot) + 100, warden)
    data.setdefault("worker", {})["dask_worker"] = str(name)
    return data


def _run_dask(items: list[BatchItem], options: BatchOptions, scheduler: str | None, commit, warden: WardenSpec,
              started: Callable[[], None] | None = None) -> None:
    """One Dask task per submission; results stream back as they finish (``started()`` is
    called once all are submitted). GPU assignments ask for the worker resource ``GPU`` so they
    run only on workers that declare it."""
    from distributed import Client, as_completed

    if not scheduler:
        raise ValueError("the dask executor needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    with Client(scheduler, timeout="30s") as client:
        resources = {"GPU": 1} if warden.gpu else None
        # No side-by-side examples on Dask: a Dask worker's profiler calls sys._current_frames,
        # and with the carrier threads that deadlocked CPython 3.11's GC (seen in the Dask test).
        settings_json = options.settings.replace(batch_examples=False).to_json()
        submitted = {}
        for item in items:
            future = client.submit(_dask_task, item, options.assignment, settings_json, options.sandbox, warden,
                                   key=f"geodl-{options.assignment}-{item.student}-{time.time_ns()}", pure=False,
                                   resources=resources, retries=1)
            submitted[future] = item
        if started:
            started()
        for future in as_completed(submitted):
            item = submitted[future]
            try:
                data = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost Dask task is an error result, not a lost one
                data = _error_result(options.assignment, item, f"Internal grader error, not your fault: {exc}")
            commit(item.student, SubmissionResult.from_json(data))

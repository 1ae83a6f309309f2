"""Grading a class: read every submission once, grade them in parallel sandboxed workers (the
local pool, :mod:`graders.batch.local`, or Dask, :mod:`graders.batch.dask_cluster`), and commit
every result the moment it exists.

Results flow back to this process, which alone writes the results store (and nbgrader's
gradebook), one transaction per submission, so an interrupted batch loses at most the
submissions in flight; ``resume=True`` skips what the store already holds. The chapter is looked
up once and passed down; each submission is read once, here, and its files travel with its task.

No submission can stop the batch nor cost a classmate anything: each grading process has a
memory limit of its own (``grader_memory_bytes``), a submission whose grading process dies is
the only one graded again, and a watchdog ends any submission's grading at its time limit
(``submission_timeout_s``, by default :func:`graders.batch.local.submission_time_limit`) with a
``timeout`` result. Every submission gets exactly one result.
"""
from __future__ import annotations

import collections
import dataclasses
import os
import re
import stat
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Iterable

from graders import __version__
from graders.batch.discovery import BatchItem, read_submission
from graders.batch.grading_process import error_result
from graders.batch.local import GRADER_MEMORY_BYTES, Task
from graders.batch.preload import WardenSpec
from graders.errors import ConfigurationError, GeodlError
from graders.grading.result import SubmissionResult
from graders.grading.settings import GradingSettings
from graders.grading.spec import Chapter

if TYPE_CHECKING:  # the grading processes never import the store (SQLAlchemy: 0.25 s) nor the gradebook
    from graders.batch.autograded import AutogradedWriter, ChapterNotebook, NbgraderCourse, NotebookFacts
    from graders.batch.gradebook import GradebookWriter
    from graders.batch.store import ResultStore
    from graders.grading.submission import Submission


@dataclasses.dataclass(frozen=True)
class BatchOptions:
    assignment: str
    settings: GradingSettings
    sandbox: str = "bwrap"
    workers: int = 1
    resume: bool = False
    gradebook_url: str | None = None
    preload: tuple[str, ...] | None = None  #: what warm workers import before forking (default: class_preload)
    #: memory limit of each grading process, its sandbox apart (a memory group of its own; a soft
    #: RLIMIT_DATA where no cgroup can be made): past it, that process alone is killed
    grader_memory_bytes: int = GRADER_MEMORY_BYTES
    #: the watchdog's limit on one submission's grading, in seconds (default: the chapter's
    #: exercises' time budgets plus a start allowance, graders.batch.local.submission_time_limit)
    submission_timeout_s: float | None = None
    #: a picklable callable each local grading process runs first (tests inject failures with it)
    process_initializer: Callable[[], Any] | None = None
    #: the chapter's nbgrader source notebook: the gradebook gets its solution cells (a TA's
    #: comments are kept on them), and the autograded notebooks are made from it
    notebook: ChapterNotebook | None = None
    #: the nbgrader course the class is: with ``notebook``, each graded submission's autograded
    #: notebook is written in it, for formgrader (graders.batch.autograded)
    course: NbgraderCourse | None = None

    def __post_init__(self):
        if isinstance(self.grader_memory_bytes, bool) or not isinstance(self.grader_memory_bytes, int) \
                or self.grader_memory_bytes < 64 * 2**20:
            raise ValueError(f"grader_memory_bytes={self.grader_memory_bytes!r} must be an int of at least 64 MiB")
        if self.submission_timeout_s is not None and not self.submission_timeout_s > 0:
            raise ValueError(f"submission_timeout_s={self.submission_timeout_s!r} must be a positive number of seconds")


@dataclasses.dataclass
class BatchSummary:
    graded: int = 0
    skipped: int = 0
    errors: int = 0
    wall_s: float = 0.0
    results: list[tuple[str, SubmissionResult]] = dataclasses.field(default_factory=list)
    preload: tuple[str, ...] = ()  #: what the warm workers preloaded
    timeouts: int = 0  #: submissions stopped at their time limit (counted in ``errors`` too)
    grader_memory: str = ""  #: how each local grading process's memory was bounded, in words


OnResult = Callable[[str, SubmissionResult | None, str], None]  # (student, result or None if skipped, status)


def run_batch(items: Iterable[BatchItem], store: ResultStore, options: BatchOptions, *,
              executor: str = "local", scheduler: str | None = None, on_result: OnResult | None = None) -> BatchSummary:
    """Grade ``items`` into ``store`` (and the gradebook); ``on_result`` sees each as it lands.
    With ``options.resume``, what the store holds is skipped, and its results go to the gradebook
    once the rest are graded (:func:`_catch_up_gradebook`). A submission that cannot be read is
    recorded as an error result, as it would be graded."""
    from graders.chapters import load_chapter

    if executor not in ("local", "dask"):
        raise ValueError(f"executor={executor!r} must be 'local' or 'dask'")
    clock = time.perf_counter()
    chapter = load_chapter(options.assignment)
    summary = BatchSummary()
    solution_cells = options.notebook.solution_cells if options.notebook else ()
    gradebook = _GradebookOpening(options.gradebook_url, chapter, solution_cells) if options.gradebook_url else None
    notebooks = _autograded_writer(options, chapter)
    submissions: dict[str, Submission] = {}  # what each submission to grade is, until its notebook is written

    def commit(student: str, result: SubmissionResult) -> None:
        store.save(result, student=student)
        facts = notebooks.write(student, submissions.pop(student, None), result) if notebooks else None
        if gradebook:
            gradebook.writer().record(student, result, facts)
        summary.graded += 1
        summary.errors += result.status != "graded"
        summary.timeouts += result.status == "timeout"
        summary.results.append((student, result))
        if on_result:
            on_result(student, result, result.status)

    tasks, skipped, unreadable = _read_class(items, chapter, store, options)
    if notebooks:
        submissions.update(tasks)
        submissions.update(skipped)
    skipped_students = [student for student, _ in skipped]
    for student in skipped_students:
        summary.skipped += 1
        if on_result:
            on_result(student, None, "skipped")
    warden = WardenSpec.of(chapter, options.preload, [submission for _, submission in tasks])
    summary.preload = warden.preload

    def started() -> None:  # every task is handed out: the gradebook opens while the grading processes start
        if gradebook:
            gradebook.start()
        while unreadable:
            commit(*unreadable.pop(0))

    try:
        if executor == "dask":
            from graders.batch.dask_cluster import run_dask
            run_dask(tasks, chapter, options.settings, options.sandbox, scheduler, commit, warden, started,
                     time_limit_s=options.submission_timeout_s)
        else:
            from graders.batch.local import run_local
            summary.grader_memory = run_local(
                tasks, chapter, options.settings, options.sandbox, options.workers, commit, warden, started,
                memory_bytes=options.grader_memory_bytes, time_limit_s=options.submission_timeout_s,
                initializer=options.process_initializer)
        started()  # when nothing was to grade
        if gradebook and skipped:
            _catch_up_gradebook(store, options.assignment, skipped_students, gradebook.writer, notebooks, submissions)
    finally:
        if gradebook:
            gradebook.close()
    summary.wall_s = time.perf_counter() - clock
    return summary


def check_assignment_folders(items: list[BatchItem], chapter: Chapter) -> None:
    """Stop a batch that names the wrong assignment before it grades anything: raise
    :class:`~graders.errors.ConfigurationError` when more than half of the submission folders
    hold no ``<assignment>/`` folder (nor a module file of the chapter, nor a notebook), naming
    what most of them hold instead (``"23 of 24 submissions hold ch06/, not ch03/"``).

    Only folder listings are read (no file is opened), as discovery does; a notebook, or an
    entry that is not a folder, counts as holding the assignment (reading it says what is wrong)."""
    module_files = {os.path.basename(exercise.module_file) for exercise in chapter.exercises.values()}
    held: collections.Counter[str] = collections.Counter()
    lacking = 0
    for item in items:
        names = _folder_names(item.path)
        if names is None or os.path.basename(item.path) == chapter.id or chapter.id in names \
                or names & module_files or any(name.endswith(".ipynb") for name in names):
            continue
        lacking += 1
        held.update(name for name in names if re.fullmatch(r"ch\d\d", name))
    if not lacking * 2 > len(items):
        return
    if held:
        found, count = held.most_common(1)[0]
        raise ConfigurationError(f"{count} of {len(items)} submissions hold {found}/, not {chapter.id}/",
                                 reference="assignment-not-in-submissions",
                                 hint=f"if this is the class of {found}, run with --assignment {found}")
    raise ConfigurationError(f"{lacking} of {len(items)} submissions hold no {chapter.id}/ folder, module file or "
                             "notebook", reference="assignment-not-in-submissions",
                             hint="check that the folder given is the class's (nbgrader's submitted/<student>/"
                                  f"{chapter.id}/) and that --assignment names its chapter")


def _folder_names(path: str) -> set[str] | None:
    """The names in folder ``path`` (not followed if a link), or None where it is no folder or
    cannot be listed."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            return None
        with os.scandir(path) as listing:
            return {entry.name for entry in listing}
    except OSError:
        return None


def _read_class(items: Iterable[BatchItem], chapter: Chapter, store: ResultStore, options: BatchOptions
                ) -> tuple[list[Task], list[Task], list[tuple[str, SubmissionResult]]]:
    """Each submission read once: those to grade, those whose result the store holds (with
    ``options.resume``), and an error result for each one that cannot be read."""
    tasks: list[Task] = []
    skipped: list[Task] = []
    unreadable: list[tuple[str, SubmissionResult]] = []
    for item in items:
        try:
            submission = read_submission(item, chapter)
        except GeodlError as exc:
            message = f"the submission could not be read: {exc}"
            unreadable.append((item.student, SubmissionResult.from_json(error_result(chapter, item.student, item.path,
                                                                                      message))))
            continue
        if options.resume and store.has(assignment=chapter.id, student=item.student, sha256=submission.sha256,
                                        grader_version=__version__, seed=options.settings.seed,
                                        include_hidden=options.settings.include_hidden):
            skipped.append((item.student, submission))
            continue
        tasks.append((item.student, submission))
    return tasks, skipped, unreadable


class _GradebookOpening:
    """nbgrader's gradebook for a batch, opened on a thread of its own once the grading is under
    way (:meth:`start`), and waited for by the first result that needs it (:meth:`writer`).

    Opening it imports nbgrader and, for a new gradebook, alembic, then makes sure of the
    chapter's grade cells: a fraction of a second of CPU in the batch's own process. While the
    grading processes start (their interpreters, their imports, their sandboxes' preloads), part
    of the cores is idle, and the batch's main thread only waits for results: the gradebook opens
    there, usually before the first result. Opened at the first result instead, it took its CPU
    from the grading. The writer's engine serves any thread, and its session is the thread's own."""

    def __init__(self, url: str, chapter: Chapter, solution_cells: tuple[str, ...] = ()):
        self.url, self.chapter, self.solution_cells = url, chapter, solution_cells
        self._thread: threading.Thread | None = None
        self._writer: GradebookWriter | None = None
        self._error: BaseException | None = None

    def start(self) -> threading.Thread:
        """Begin opening the gradebook (once); the thread that opens it."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._open, name="geodl-gradebook-opening", daemon=True)
            self._thread.start()
        return self._thread

    def _open(self) -> None:
        try:
            from graders.batch.gradebook import GradebookWriter
            self._writer = GradebookWriter(self.url, self.chapter, solution_cells=self.solution_cells)
        except BaseException as exc:  # noqa: BLE001 - raised again where the writer is wanted
            self._error = exc

    def writer(self) -> GradebookWriter:
        """The open :class:`~graders.batch.gradebook.GradebookWriter` (opening it now if
        :meth:`start` was not called); raises what opening it raised."""
        self.start().join()
        if self._writer is None:
            raise self._error or RuntimeError("the gradebook did not open")
        return self._writer

    def close(self) -> None:
        """Wait for the opening, if begun, and close what it opened."""
        if self._thread is not None:
            self._thread.join()
        if self._writer is not None:
            self._writer.__exit__(None, None, None)


def _catch_up_gradebook(store: ResultStore, assignment: str, students: list[str],
                        writer: Callable[[], GradebookWriter], notebooks: AutogradedWriter | None = None,
                        submissions: dict[str, Submission] | None = None) -> None:
    """The stored results of the submissions a resumed batch skipped, written to the gradebook
    (``writer()``), and their autograded notebooks where missing or out of date (``notebooks``,
    from the ``submissions`` read): a batch stopped between a result's commit to the store and
    its gradebook write left the gradebook behind. Writing again a result the gradebook holds
    changes nothing, and a TA's manual scores and comments stay."""
    latest = dict(store.latest(assignment))
    for student in students:
        if student in latest:
            facts: NotebookFacts | None = None
            if notebooks is not None:
                submission = (submissions or {}).pop(student, None)
                facts = notebooks.write(student, submission, latest[student], unless_current=True)
            writer().record(student, latest[student], facts)


def _autograded_writer(options: BatchOptions, chapter: Chapter) -> AutogradedWriter | None:
    """The writer of the class's autograded notebooks, where the class is an nbgrader course
    and the chapter's notebook is known."""
    if options.course is None or options.notebook is None:
        return None
    from graders.batch.autograded import AutogradedWriter
    from graders.chapters import load_release
    return AutogradedWriter(options.course, chapter, options.notebook, load_release(chapter.id).is_stub)

"""geodl batch DIR --assignment chNN: grade a class into the results store and the gradebook."""
from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graders.batch.autograded import ChapterNotebook, NbgraderCourse, read_course
from graders.batch.dask_cluster import ClusterView, cluster_for_batch
from graders.batch.discovery import BatchItem, discover
from graders.batch.local import GRADER_MEMORY_BYTES
from graders.batch.run import BatchOptions, BatchSummary, check_assignment_folders, run_batch
from graders.batch.store import ResultStore
from graders.cli.databases import database_url, open_results_store
from graders.cli.interrupts import first_interrupt_stops
from graders.cli.options import (
    add_settings,
    contradictory,
    existing_folder,
    known_assignment,
    output_folder,
    sandbox_name,
    settings_from,
    shown,
)
from graders.errors import ConfigurationError
from graders.grading.spec import Chapter
from graders.report.safe_text import safe_text, visible
from graders.sandbox import BACKENDS, require


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", help="nbgrader course folder (or its submitted/), or a folder of submissions")
    parser.add_argument("--assignment", "-a", required=True, help="the chapter, e.g. ch06")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="parallel sandboxed workers (default: cores)")
    parser.add_argument("--out", default="geodl-out", help="folder for the default results store")
    parser.add_argument("--db", help="results store, a SQLAlchemy URL (default: sqlite:///OUT/results.db)")
    parser.add_argument("--gradebook", help="nbgrader gradebook URL (default: an nbgrader course's own, its "
                                            "nbgrader_config.py's CourseDirectory.db_url or COURSE/gradebook.db; "
                                            "else gradebook.db beside a SQLite results store, or the store's "
                                            "database)")
    parser.add_argument("--no-gradebook", action="store_true", help="do not write an nbgrader gradebook")
    parser.add_argument("--merge-gradebook", action="store_true",
                        help="write the class into a gradebook that holds another class's submissions of the "
                             "assignment (refused otherwise)")
    parser.add_argument("--executor", choices=["local", "dask"], default="local")
    parser.add_argument("--scheduler", help="for --executor dask: the address `dask scheduler` printed "
                                            "(tcp://HOST:8786); its workers grade, GPU exercises on those started "
                                            "with --resources GPU=1 (docs/dask.md)")
    parser.add_argument("--resume", action="store_true",
                        help="skip submissions the store already holds (their stored scores still reach the gradebook)")
    parser.add_argument("--sandbox", choices=["auto", *sorted(BACKENDS)], default="auto")
    parser.add_argument("--preload", help="comma-separated modules the warm workers import first (default: of "
                                          "numpy, scipy, sympy, torch and their usual submodules, less any module "
                                          "every exercise of the assignment forbids, those the assignment's own code "
                                          "uses and those some submission's files name)")
    parser.add_argument("--grader-memory", type=_positive, default=GRADER_MEMORY_BYTES / 2**30, metavar="GIB",
                        help="memory limit of each grading process, its sandbox apart: past it, that process alone "
                             "is killed and its submission graded again (default: %(default)g)")
    parser.add_argument("--submission-timeout", type=_positive, metavar="SECONDS",
                        help="stop grading a submission after this long and record a timeout (default: the "
                             "assignment's exercises × the exercise time limit, plus 60 s)")
    add_settings(parser)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def run(args: argparse.Namespace) -> int:
    plan = validate(args)  # every mistake is reported here, before anything is printed or written
    console = Console()
    if plan.out_needed:  # the default store goes there
        Path(args.out).mkdir(parents=True, exist_ok=True)
    store = open_store_for_writing(plan.store_url)  # a database that cannot be reached leaves no --out behind
    options = BatchOptions(assignment=args.assignment,
                           settings=settings_from(args, profile="grading", include_hidden=True),
                           sandbox=plan.sandbox, workers=args.workers, resume=args.resume,
                           gradebook_url=plan.gradebook_url,
                           preload=tuple(m for m in args.preload.split(",") if m) if args.preload else None,
                           grader_memory_bytes=max(64 * 2**20, int(args.grader_memory * 2**30)),
                           submission_timeout_s=args.submission_timeout,
                           notebook=chapter_notebook(args.assignment) if plan.gradebook_url else None,
                           course=plan.course if plan.gradebook_url else None)
    how = (f"on {plan.cluster.describe()}, in {plan.sandbox} sandboxes" if plan.cluster
           else f"with {options.workers} {plan.sandbox} workers ({args.executor} executor)")
    console.print(safe_text(f"grading {len(plan.items)} submissions of {args.assignment} {how}"))
    kept = [0]
    with first_interrupt_stops("geodl batch: still stopping the workers; the results kept so far are safe"):
        try:
            summary = _grade(plan.items, store, options, args, console, kept)
        except KeyboardInterrupt:
            store.close()
            print(f"geodl batch: interrupted; {kept[0]} of {len(plan.items)} submissions' results are kept in "
                  f"{visible(plan.store_url, newlines=False)}\nresume with: {resume_command(args)}", file=sys.stderr)
            return 130
    console.print(safe_text(f"graded {summary.graded}, skipped {summary.skipped} (already graded), "
                            f"errors {summary.errors} ({summary.timeouts} stopped at their time limit), "
                            f"in {summary.wall_s:.1f} s"))
    if summary.grader_memory:
        console.print(safe_text(f"grading processes bounded by {summary.grader_memory}"))
    if summary.preload:  # modules a submission's files name are among them
        console.print(safe_text(f"warm workers preloaded: {', '.join(summary.preload)}"))
    from graders.report.terminal import class_table
    console.print(class_table(store.latest(args.assignment)))
    console.print(safe_text(f"results store: {plan.store_url}"))
    if plan.gradebook_url:
        console.print(safe_text(f"nbgrader gradebook: {plan.gradebook_url}"))
    if options.course:
        autograded = options.course.root / options.course.autograded_directory
        console.print(safe_text(f"autograded notebooks (for formgrader): {autograded}"))
    store.close()
    return 0


def _grade(items: list[BatchItem], store: ResultStore, options: BatchOptions, args: argparse.Namespace,
           console: Console, kept: list[int]) -> BatchSummary:
    """The batch under a progress bar; ``kept[0]`` counts the results in the store as they land."""
    # Twice a second: at rich's default ten, drawing the bar in a terminal took the batch's own
    # process a measurable share of the CPU the grading wants (benchmarks/README.md). The last
    # column names a student: plain text, never markup, escaped.
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[last]}", markup=False), console=console,
                  refresh_per_second=2) as progress:
        task = progress.add_task("grading", total=len(items), last="")

        def on_result(student, result, status):
            kept[0] += 1
            label = "skipped" if result is None else _progress_label(result)
            progress.update(task, advance=1, last=visible(f"{student}: {label}", newlines=False))

        return run_batch(items, store, options, executor=args.executor, scheduler=args.scheduler,
                         on_result=on_result)


@dataclasses.dataclass(frozen=True)
class BatchPlan:
    """What :func:`validate` settled: the submissions, where results go, and which sandbox."""

    items: list[BatchItem]
    store_url: str
    gradebook_url: str | None
    sandbox: str
    out_needed: bool  #: whether ``--out`` holds the default store (it is made then)
    cluster: ClusterView | None = None  #: with ``--executor dask``: the scheduler's workers, as it told them
    course: NbgraderCourse | None = None  #: the nbgrader course the class is, where it is one


def _progress_label(result) -> str:
    """A graded submission on the progress line: ``36/41``, or ``0/41 (unchanged stub)``."""
    from graders.grading.numbers import points
    from graders.grading.result import submission_status

    status = submission_status(result)
    return f"{points(result.score)}/{points(result.max_score)}" + ("" if status == "graded" else f" ({status})")


def validate(args: argparse.Namespace) -> BatchPlan:
    """Check every argument of ``geodl batch`` and the class itself, creating nothing: the class
    folder, the assignment, the options that contradict each other, ``--out``, the database
    URLs, the sandbox, that the submissions hold the assignment
    (:func:`~graders.batch.run.check_assignment_folders`), that the gradebook is the class's
    (:func:`gradebook_place`, :func:`check_gradebook_is_the_class`) and, with ``--executor dask``, that its
    scheduler answers and has a GPU worker where the assignment needs one
    (:func:`~graders.batch.dask_cluster.cluster_for_batch`). Raises
    :class:`~graders.errors.ConfigurationError` (one line and a hint) at the first mistake."""
    existing_folder(args.dir, what="the class folder", hint="give the nbgrader course folder (holding submitted/) "
                                                           "or a folder of submissions, one per student")
    chapter = known_assignment(args.assignment)
    if args.no_gradebook and args.gradebook:
        raise contradictory("--no-gradebook", "--gradebook", hint="give one of them")
    if args.no_gradebook and args.merge_gradebook:
        raise contradictory("--no-gradebook", "--merge-gradebook", hint="give one of them")
    if args.scheduler and args.executor != "dask":
        raise contradictory(f"--executor {args.executor}", "--scheduler",
                            hint="add --executor dask to use a Dask scheduler, or leave out --scheduler")
    if args.workers < 1:
        raise ConfigurationError(f"--workers={args.workers} must be at least 1", reference="bad-workers",
                                 hint=f"this machine has {os.cpu_count() or 1} cores")
    out = output_folder(args.out, option="--out")
    store_url = database_url(args.db, option="--db", existing=False) if args.db else _default_url(out, "results.db")
    course = read_course(args.dir)
    gradebook_url = None if args.no_gradebook else gradebook_place(args.gradebook, course, store_url)
    sandbox = sandbox_name(args)
    require(sandbox)
    items = discover(args.dir, args.assignment)
    if not items:
        raise ConfigurationError(f"the class folder {shown(args.dir)} holds no submission", reference="empty-class",
                                 hint="give the nbgrader course folder (holding submitted/<student>/"
                                      f"{args.assignment}/) or a folder of submissions, one per student")
    check_assignment_folders(items, chapter)
    if gradebook_url and not args.merge_gradebook:
        check_gradebook_is_the_class(gradebook_url, chapter, [item.student for item in items])
    out_needed = not args.db
    cluster = cluster_for_batch(args.scheduler, chapter) if args.executor == "dask" else None
    return BatchPlan(items, store_url, gradebook_url, sandbox, out_needed=out_needed, cluster=cluster, course=course)


def _default_url(out: Path, name: str) -> str:
    return f"sqlite:///{(out / name).resolve()}"


def gradebook_place(given: str | None, course: NbgraderCourse | None, store_url: str) -> str:
    """Where the class's gradebook is: ``--gradebook`` where given; else an nbgrader course's own
    (its ``nbgrader_config.py``'s ``CourseDirectory.db_url``, or nbgrader's default
    ``COURSE/gradebook.db``); else beside the results store (``gradebook.db`` in a SQLite
    store's folder; a database server's store's own database, the gradebook's tables beside the
    store's). Never a place of the current folder's that another class's batch would share."""
    if given:
        return database_url(given, option="--gradebook", existing=False)
    if course is not None:
        return database_url(course.db_url, option="the course's CourseDirectory.db_url", existing=False)
    from sqlalchemy.engine import make_url
    store = make_url(store_url)
    if store.get_backend_name() == "sqlite" and store.database:
        return f"sqlite:///{Path(store.database).resolve().parent / 'gradebook.db'}"
    return store_url


def check_gradebook_is_the_class(url: str, chapter: Chapter, students: list[str]) -> None:
    """Refuse a gradebook that is another class's (:func:`~graders.batch.gradebook.foreign_rows`),
    with one line and the ways out."""
    from graders.batch.gradebook import foreign_rows
    why = foreign_rows(url, chapter, students)
    if why:
        raise ConfigurationError(f"the gradebook {shown(url)} {why}", reference="gradebook-of-another-class",
                                 hint="give this class its own gradebook (--gradebook URL, or its own --db), or "
                                      "add --merge-gradebook to write it into this one anyway")


def chapter_notebook(assignment: str) -> ChapterNotebook:
    """The chapter's nbgrader source notebook, as the batch reads it (its solution cells for the
    gradebook, the template of the autograded notebooks)."""
    from graders.authoring.notebooks import source_notebook
    from graders.chapters import load_chapter
    return ChapterNotebook.of(source_notebook(assignment), load_chapter(assignment))


def open_store_for_writing(url: str) -> ResultStore:
    """The results store at ``url`` (made if new); a database that cannot be reached or is not a
    results store is a :class:`~graders.errors.ConfigurationError` naming it."""
    return open_results_store(url, named=url, verb="opened",
                              hint="check that the database server runs and the URL's user, host and name")


def resume_command(args: argparse.Namespace) -> str:
    """The ``geodl batch`` command that resumes this one: its own arguments (those that differ
    from their defaults) and ``--resume``, quoted for a POSIX shell."""
    words = ["geodl", "batch", args.dir, "--assignment", args.assignment]
    defaults = {"workers": os.cpu_count() or 1, "out": "geodl-out", "executor": "local", "sandbox": "auto",
                "grader_memory": GRADER_MEMORY_BYTES / 2**30}
    for name in ("workers", "out", "db", "gradebook", "executor", "scheduler", "sandbox", "preload", "grader_memory",
                 "submission_timeout", "seed", "profile"):
        value = getattr(args, name, None)
        if value is not None and value != defaults.get(name):
            words += [f"--{name.replace('_', '-')}", f"{value:g}" if isinstance(value, float) else str(value)]
    if args.no_gradebook:
        words.append("--no-gradebook")
    if getattr(args, "merge_gradebook", False):
        words.append("--merge-gradebook")
    return shlex.join([*words, "--resume"])

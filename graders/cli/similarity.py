"""geodl similarity (CLASS_DIR | --db URL) --assignment chNN [--html OUT] [--top N] [--exercise ID ...]:
pairs of submissions ranked by code similarity, per exercise, the released stub's code excluded.

With CLASS_DIR the class is read as ``geodl batch`` reads it
(:func:`~graders.batch.discovery.discover`, :func:`~graders.batch.discovery.read_submission`).
With ``--db`` the submissions are each student's latest grading in the results store: the store
keeps each submission's folder and the hash of its files, not the files, so they are read again
from that folder (a relative folder from where ``geodl batch`` ran) and compared with the hash:
what is compared is what was graded. A submission that cannot be read, or whose files changed
since, is left out with a one-line note.
"""
from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Callable

from graders.cli.options import shown
from graders.errors import ConfigurationError, SubmissionError
from graders.grading.result import SubmissionResult
from graders.grading.submission import Submission
from graders.report.safe_text import safe_text, visible
from graders.report.similarity import DEFAULT_TOP, exercise_similarity, similarity_table, write_html


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("class_dir", metavar="CLASS_DIR", nargs="?",
                        help="the class: nbgrader's course folder (or its submitted/), or a folder of submissions")
    parser.add_argument("--db", metavar="URL",
                        help="instead of CLASS_DIR: the results store 'geodl batch' wrote (latest grading per student)")
    parser.add_argument("--assignment", "-a", required=True, help="the chapter, e.g. ch06")
    parser.add_argument("--exercise", action="append", default=[], metavar="ID",
                        help="only this exercise (chNN.name or name); repeat for several (default: all)")
    parser.add_argument("--top", type=_positive, default=DEFAULT_TOP,
                        help=f"pairs per exercise (default {DEFAULT_TOP})")
    parser.add_argument("--html", metavar="OUT", help="also write a page with each top pair side by side")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from graders.authoring.stubs import chapter_sources
    from graders.chapters import load_chapter

    chapter = load_chapter(args.assignment)
    exercises = _chosen(chapter, args.exercise)
    console = Console()
    files: dict[str, dict[str, bytes]] = {}
    for student, read in _submissions(args, chapter):
        try:
            files[student] = dict(read().files)
        except SubmissionError as exc:
            console.print(safe_text(f"skipped {student}: {exc}", "yellow", newlines=False))
    stubs = chapter_sources(chapter.id, chapter.modules, solution=False)
    reports = []
    for exercise in exercises:
        code = {student: held[exercise.module_file] for student, held in files.items() if exercise.module_file in held}
        reports.append(exercise_similarity(exercise.id, exercise.module_file, code,
                                           stub=stubs.get(exercise.module_file, ""), names=exercise.functions))
    for report in reports:
        console.print(similarity_table(report, top=args.top))
    if args.html:
        path = write_html(reports, args.html, assignment=chapter.id, top=args.top)
        print(visible(f"wrote {path}"))
    return 0


def _submissions(args: argparse.Namespace, chapter) -> list[tuple[str, Callable[[], Submission]]]:
    """``(student, read)`` for each submission of the class ``args`` names; ``read()`` gives the
    submission or raises :class:`~graders.errors.SubmissionError` with the reason it is left out."""
    if (args.class_dir is None) == (args.db is None):
        raise ConfigurationError("name the class once: a CLASS_DIR or --db URL" if args.class_dir is None else
                                 "CLASS_DIR and --db both name the class", reference="similarity-input",
                                 hint="e.g. 'geodl similarity submitted/ -a ch06' or "
                                      "'geodl similarity --db geodl-out/results.db -a ch06'")
    if args.class_dir is not None:
        from graders.batch.discovery import discover, read_submission
        return [(item.student, functools.partial(read_submission, item, chapter))
                for item in discover(args.class_dir, chapter.id)]
    return _graded_submissions(args.db, chapter)


def _graded_submissions(db: str, chapter) -> list[tuple[str, Callable[[], Submission]]]:
    """The latest grading of each student of ``chapter`` in the results store ``db``."""
    from graders.cli.export import open_store

    store = open_store(db)
    try:
        latest = store.latest(chapter.id)
        held = store.assignments()
    finally:
        store.close()
    if not latest:
        raise ConfigurationError(f"the results store {shown(db)} holds no {chapter.id} submission",
                                 reference="similarity-empty-store",
                                 hint=f"it holds {', '.join(held)}" if held else "run 'geodl batch' into it first")
    return [(student, functools.partial(_read_graded, student, result, chapter)) for student, result in latest]


def _read_graded(student: str, result: SubmissionResult, chapter) -> Submission:
    """The files ``result`` graded, read again from its folder; raises
    :class:`~graders.errors.SubmissionError` where there is no folder, or it now holds other files."""
    from graders.batch.discovery import BatchItem, read_submission
    from graders.grading.names import decode_name

    recorded = result.submission.get("path")
    if not recorded:
        raise SubmissionError(f"its grading recorded no folder ({result.message or result.status})",
                              reference="similarity-no-folder")
    path = os.fsdecode(decode_name(recorded))
    submission = read_submission(BatchItem(student=student, path=path), chapter)
    if submission.sha256 != result.submission.get("sha256"):
        raise SubmissionError(f"the files in {shown(path)} changed since they were graded",
                              reference="similarity-changed")
    return submission


def _chosen(chapter, requested: list[str]) -> list:
    """The chapter's exercises named in ``requested`` (all where it is empty), in chapter order."""
    if not requested:
        return list(chapter.exercises.values())
    wanted = {r if "." in r else f"{chapter.id}.{r}" for r in requested}
    unknown = sorted(wanted - set(chapter.exercises))
    if unknown:
        raise ConfigurationError(f"assignment {chapter.id} has no exercise {', '.join(unknown)}",
                                 reference="unknown-exercise", hint=f"its exercises: {', '.join(chapter.exercises)}")
    return [e for i, e in chapter.exercises.items() if i in wanted]


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"top={text!r} must be a positive whole number of pairs")
    return value

"""geodl similarity CLASS_DIR --assignment chNN [--html OUT] [--top N] [--exercise ID ...]: pairs
of submissions ranked by code similarity, per exercise, the released stub's code excluded.

The class is read as ``geodl batch`` reads it (:func:`~graders.batch.discovery.discover`,
:func:`~graders.batch.discovery.read_submission`); the results store keeps only a hash of each
submission's files, not the files, so the class folder is the input. A submission that cannot
be read is left out with a one-line note.
"""
from __future__ import annotations

import argparse

from graders.errors import ConfigurationError, SubmissionError
from graders.report.safe_text import safe_text, visible
from graders.report.similarity import DEFAULT_TOP, exercise_similarity, similarity_table, write_html


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("class_dir", metavar="CLASS_DIR",
                        help="the class: nbgrader's course folder (or its submitted/), or a folder of submissions")
    parser.add_argument("--assignment", "-a", required=True, help="the chapter, e.g. ch06")
    parser.add_argument("--exercise", action="append", default=[], metavar="ID",
                        help="only this exercise (chNN.name or name); repeat for several (default: all)")
    parser.add_argument("--top", type=_positive, default=DEFAULT_TOP,
                        help=f"pairs per exercise (default {DEFAULT_TOP})")
    parser.add_argument("--html", metavar="OUT", help="also write a page with each top pair side by side")


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from graders.authoring.stubs import chapter_sources
    from graders.batch.discovery import discover, read_submission
    from graders.chapters import load_chapter

    chapter = load_chapter(args.assignment)
    exercises = _chosen(chapter, args.exercise)
    console = Console()
    files: dict[str, dict[str, bytes]] = {}
    for item in discover(args.class_dir, chapter.id):
        try:
            files[item.student] = dict(read_submission(item, chapter).files)
        except SubmissionError as exc:
            console.print(safe_text(f"skipped {item.student}: {exc}", "yellow", newlines=False))
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

"""geodl grade PATH --assignment chNN: grade one submission (exit 0 whenever grading ran)."""
from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from graders.chapters import load_chapter, load_release
from graders.cli.options import add_sandbox, add_settings, make_worker, output_file, settings_from
from graders.grading.engine import grade
from graders.grading.submission import Submission
from graders.report.terminal import print_result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="a submission folder (holding chNN/), a chapter folder, or a notebook")
    parser.add_argument("--assignment", "-a", required=True, help="the chapter, e.g. ch06")
    parser.add_argument("--json", metavar="FILE", help="write the result (geodl.result/1) to FILE ('-' for stdout)")
    parser.add_argument("--hidden", action="store_true", help="also run the hidden checks (a TA's full grade)")
    parser.add_argument("--exercise", action="append", metavar="ID", help="grade only this exercise (repeatable)")
    parser.add_argument("--student", help="the student's name, recorded in the result")
    add_sandbox(parser)
    add_settings(parser)


def run(args: argparse.Namespace) -> int:
    chapter = load_chapter(args.assignment)
    json_file = output_file(args.json, option="--json") if args.json and args.json != "-" else None
    settings = settings_from(args, profile="grading" if args.hidden else "local", include_hidden=args.hidden)
    submission = Submission.from_path(args.path, chapter.id, student=args.student,
                                      module_files=tuple(Path(e.module_file).name for e in chapter.exercises.values()),
                                      release=load_release(chapter.id))
    with make_worker(args, chapter) as worker:
        result = grade(submission, chapter, worker, settings, exercises=args.exercise)
    if args.json == "-":
        print(result.dumps())
        return 0
    if json_file is not None:
        json_file.parent.mkdir(parents=True, exist_ok=True)
        json_file.write_text(result.dumps() + "\n")
    print_result(result, console=Console(), show_hidden=True)
    return 0

"""geodl check [chNN ...]: a student's self-check of the public checks, on the code in place."""
from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from graders.chapters import available_chapters, load_chapter, load_release
from graders.cli.options import add_sandbox, make_worker, settings_from
from graders.grading.engine import grade
from graders.grading.submission import Submission
from graders.report.safe_text import safe_text
from graders.report.terminal import print_result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("chapters", nargs="*", help="chapters to check (default: every chNN/ folder here)")
    parser.add_argument("--path", default=".", help="the folder holding your chNN/ folders (default: here)")
    add_sandbox(parser, default="process")


def run(args: argparse.Namespace) -> int:
    root = Path(args.path)
    chapters = args.chapters or [c for c in available_chapters() if (root / c).is_dir()]
    if not chapters:
        Console(stderr=True).print(safe_text(f"no chNN/ folder with a grader found under {root.resolve()}"))
        return 2
    console, all_passed = Console(), True
    for chapter_id in chapters:
        chapter = load_chapter(chapter_id)
        submission = Submission.from_path(root, chapter_id, release=load_release(chapter_id))
        with make_worker(args, chapter, preload=chapter.preload) as worker:
            result = grade(submission, chapter, worker, settings_from(args, profile="local"))
        print_result(result, console=console, show_hidden=False)
        all_passed &= result.score == result.max_score
    return 0 if all_passed else 1

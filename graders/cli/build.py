"""geodl build [chNN ...] [--check]: regenerate assignments/ (and solutions/) from geodl_ref."""
from __future__ import annotations

import argparse

from graders.authoring.build import build, drift
from graders.chapters import available_chapters


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("chapters", nargs="*", help="chapters to build (default: every chapter with a grader)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a generated file differs")


def run(args: argparse.Namespace) -> int:
    chapters = args.chapters or available_chapters()
    if args.check:
        stale = drift(chapters)
        for path in stale:
            print(f"out of date: {path}")
        print("generated files are up to date" if not stale
              else f"{len(stale)} generated files are out of date; run geodl build")
        return 1 if stale else 0
    for path in build(chapters):
        print(f"wrote {path}")
    return 0

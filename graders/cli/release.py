"""geodl release chNN OUT [--solution]: the student stubs (or the worked solution) as a folder."""
from __future__ import annotations

import argparse
from pathlib import Path

from graders.authoring.release import release
from graders.report.safe_text import visible


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("chapter", help="the chapter, e.g. ch06")
    parser.add_argument("out", help="the folder to write (it receives OUT/chNN/...)")
    parser.add_argument("--solution", action="store_true", help="write the worked solution instead of the stubs")


def run(args: argparse.Namespace) -> int:
    written = release(args.chapter, Path(args.out), solution=args.solution)
    kind = "worked solution" if args.solution else "student stubs"
    print(visible(f"wrote the {kind} of {args.chapter}: {len(written)} files under {Path(args.out) / args.chapter}"))
    return 0

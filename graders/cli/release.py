"""geodl release chNN OUT [--solution]: the student stubs with their self-check (or the worked
solution, an instructor's command that no release holds) as a folder. It warns about every public
check the release could not record (the self-check skips it)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graders.authoring.frozen import FrozenData
from graders.authoring.frozen_chapter import FROZEN_FILE, RUNTIME_DIR
from graders.authoring.release import release
from graders.report.safe_text import visible


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("chapter", help="the chapter, e.g. ch06")
    parser.add_argument("out", help="the folder to write (it receives OUT/chNN/...)")
    parser.add_argument("--solution", action="store_true", help="write the worked solution instead of the stubs")


def run(args: argparse.Namespace) -> int:
    written = release(args.chapter, Path(args.out), solution=args.solution)
    kind = "worked solution" if args.solution else "student stubs and their self-check"
    print(visible(f"wrote the {kind} of {args.chapter}: {len(written)} files under {Path(args.out) / args.chapter}"))
    frozen = Path(args.out) / args.chapter / RUNTIME_DIR / FROZEN_FILE
    if not args.solution and frozen.is_file():
        unfrozen = FrozenData.from_bytes(frozen.read_bytes(), str(frozen)).unfrozen
        for name, why in unfrozen.items():
            print(visible(f"warning: {name} is not in the self-check (the release could not record it): {why}"),
                  file=sys.stderr)
    return 0

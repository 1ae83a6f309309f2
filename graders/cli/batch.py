"""geodl batch DIR --assignment chNN: grade a class into the results store and the gradebook."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graders.batch.discovery import discover
from graders.batch.local import GRADER_MEMORY_BYTES
from graders.batch.run import BatchOptions, run_batch
from graders.batch.store import ResultStore
from graders.cli.options import add_settings, sandbox_name, settings_from
from graders.report.safe_text import safe_text, visible
from graders.sandbox import BACKENDS, require


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", help="nbgrader course folder (or its submitted/), or a folder of submissions")
    parser.add_argument("--assignment", "-a", required=True, help="the chapter, e.g. ch06")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="parallel sandboxed workers (default: cores)")
    parser.add_argument("--out", default="geodl-out", help="folder for the default results store and gradebook")
    parser.add_argument("--db", help="results store, a SQLAlchemy URL (default: sqlite:///OUT/results.db)")
    parser.add_argument("--gradebook", help="nbgrader gradebook URL (default: sqlite:///OUT/gradebook.db)")
    parser.add_argument("--no-gradebook", action="store_true", help="do not write an nbgrader gradebook")
    parser.add_argument("--executor", choices=["local", "dask"], default="local")
    parser.add_argument("--scheduler", help="Dask scheduler address for --executor dask")
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
    console = Console()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    store_url = args.db or f"sqlite:///{(out / 'results.db').resolve()}"
    gradebook = None if args.no_gradebook else (args.gradebook or f"sqlite:///{(out / 'gradebook.db').resolve()}")
    sandbox = sandbox_name(args)
    require(sandbox)
    items = discover(args.dir, args.assignment)
    options = BatchOptions(assignment=args.assignment,
                           settings=settings_from(args, profile="grading", include_hidden=True),
                           sandbox=sandbox, workers=max(1, args.workers), resume=args.resume, gradebook_url=gradebook,
                           preload=tuple(m for m in args.preload.split(",") if m) if args.preload else None,
                           grader_memory_bytes=max(64 * 2**20, int(args.grader_memory * 2**30)),
                           submission_timeout_s=args.submission_timeout)
    store = ResultStore(store_url)
    console.print(safe_text(f"grading {len(items)} submissions of {args.assignment} with {options.workers} {sandbox} "
                            f"workers ({args.executor} executor)"))
    # Twice a second: at rich's default ten, drawing the bar in a terminal took the batch's own
    # process a measurable share of the CPU the grading wants (benchmarks/README.md). The last
    # column names a student: plain text, never markup, escaped.
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[last]}", markup=False), console=console,
                  refresh_per_second=2) as progress:
        task = progress.add_task("grading", total=len(items), last="")

        def on_result(student, result, status):
            label = "skipped" if result is None else f"{result.score:g}/{result.max_score:g}"
            progress.update(task, advance=1, last=visible(f"{student}: {label}", newlines=False))

        summary = run_batch(items, store, options, executor=args.executor, scheduler=args.scheduler,
                            on_result=on_result)
    console.print(safe_text(f"graded {summary.graded}, skipped {summary.skipped} (already graded), "
                            f"errors {summary.errors} ({summary.timeouts} stopped at their time limit), "
                            f"in {summary.wall_s:.1f} s"))
    if summary.grader_memory:
        console.print(safe_text(f"grading processes bounded by {summary.grader_memory}"))
    if summary.preload:  # modules a submission's files name are among them
        console.print(safe_text(f"warm workers preloaded: {', '.join(summary.preload)}"))
    from graders.report.terminal import class_table
    console.print(class_table(store.latest(args.assignment)))
    console.print(safe_text(f"results store: {store_url}"))
    if gradebook:
        console.print(safe_text(f"nbgrader gradebook: {gradebook}"))
    store.close()
    return 0

"""geodl validate [chNN | chNN.name ...]: the grader gate (exit 0 only if it holds)."""
from __future__ import annotations

import argparse

from rich.console import Console
from rich.text import Text

from graders.authoring.validate import HIDDEN_ONLY, validate
from graders.chapters import available_chapters
from graders.cli.options import add_sandbox, add_settings, make_worker, settings_from
from graders.report.terminal import validation_table


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("targets", nargs="*", help="chapters or exercise ids (default: every chapter)")
    parser.add_argument("--no-degenerate", action="store_true",
                        help="skip the degenerate implementations and the correct alternatives (faster)")
    add_sandbox(parser)
    add_settings(parser)


def run(args: argparse.Namespace) -> int:
    console = Console()
    targets = args.targets or available_chapters()
    with make_worker(args) as worker:
        with console.status("validating graders..."):
            rows = validate(targets, worker, settings_from(args, profile="grading", include_hidden=True),
                            degenerate=not args.no_degenerate)
    console.print(validation_table(rows))
    failed = [r for r in rows if not r.passed]
    hidden_only = [r.subject for r in rows if r.gate == "variant" and HIDDEN_ONLY in r.detail]
    if hidden_only:
        console.print(Text(f"{len(hidden_only)} wrong variants are caught only by hidden checks (a student's "
                           f"self-check passes them): {', '.join(hidden_only)}", style="yellow"))
    console.print(Text(f"{len(rows) - len(failed)}/{len(rows)} gates hold", style="red" if failed else "green"))
    return 1 if failed else 0

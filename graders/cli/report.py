"""geodl report --db URL --out DIR: per-student HTML feedback and the class summary.

Writes ``DIR/feedback/<student>.html`` (what each student may see: hidden checks show outcome
and points only; after-deadline checks open once ``--deadline`` has passed) and
``DIR/summary.html`` (for course staff).
"""
from __future__ import annotations

import argparse
import datetime as dt

from graders.cli.export import add_store_arguments, latest_results, load_chapter_or_none, store_url
from graders.cli.options import output_folder
from graders.report.html import write_reports
from graders.report.safe_text import visible


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_store_arguments(parser)
    parser.add_argument("--out", required=True, help="the folder for feedback/ and summary.html")
    parser.add_argument("--deadline", type=parse_deadline, metavar="ISO-8601",
                        help="when after-deadline checks become visible, e.g. 2026-05-01T23:59+02:00 "
                             "(without an offset: local time); without it they stay hidden")


def run(args: argparse.Namespace) -> int:
    validate(args)
    assignment, rows = latest_results(args.db, args.assignment)
    now = dt.datetime.now(dt.timezone.utc)
    pages, summary = write_reports(args.out, assignment, rows, deadline=args.deadline, now=now,
                                   chapter=load_chapter_or_none(assignment))
    print(visible(f"wrote feedback for {len(pages)} students of {assignment} under {summary.parent / 'feedback'}/"))
    print(visible(f"class summary: {summary}"))
    print(f"after-deadline checks: {_deadline_state(args.deadline, now)}")
    return 0


def validate(args: argparse.Namespace) -> None:
    """Check ``geodl report``'s arguments before anything is written: the store
    (:func:`~graders.cli.export.store_url`) and ``--out``, a folder."""
    store_url(args.db)
    output_folder(args.out, option="--out")


def parse_deadline(text: str) -> dt.datetime:
    """``--deadline`` as a datetime (``argparse`` reports a bad one with an example).

    >>> parse_deadline("2026-05-01T23:59:00+02:00").isoformat()
    '2026-05-01T23:59:00+02:00'
    """
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"deadline={text!r} is not an ISO-8601 date and time; "
                                         f"write e.g. 2026-05-01T23:59+02:00") from None


def _deadline_state(deadline: dt.datetime | None, now: dt.datetime) -> str:
    if deadline is None:
        return "hidden (no --deadline given)"
    aware = deadline if deadline.tzinfo else deadline.astimezone()
    return "shown (the deadline has passed)" if now >= aware else f"hidden until {aware.isoformat(timespec='minutes')}"

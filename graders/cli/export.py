"""geodl export --db URL --format csv|gradescope --out PATH: the results store as a CSV gradebook
or as one Gradescope ``results.json`` per submission.

Also holds the options and helpers that ``geodl report`` shares: opening an existing store
(a SQLAlchemy URL or a plain path to a SQLite file), choosing the assignment, and reading its
latest results.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from graders.batch.store import ResultStore
from graders.cli.databases import database_url, open_results_store
from graders.cli.options import output_file, output_folder, shown
from graders.errors import ConfigurationError
from graders.report.exports import export_csv, export_gradescope
from graders.report.safe_text import visible


def add_store_arguments(parser: argparse.ArgumentParser) -> None:
    """``--db`` and ``--assignment``, as export and report take them."""
    parser.add_argument("--db", required=True,
                        help="the results store: a SQLAlchemy URL (sqlite:///geodl-out/results.db) "
                             "or a SQLite file path")
    parser.add_argument("--assignment", "-a", help="the chapter, e.g. ch06 (default: the only one in the store)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_store_arguments(parser)
    parser.add_argument("--format", required=True, choices=["csv", "gradescope"],
                        help="csv: one file, a row per student; gradescope: a folder of <student>/results.json")
    parser.add_argument("--out", required=True, help="the CSV file, or the folder for the Gradescope files")


def run(args: argparse.Namespace) -> int:
    validate(args)
    assignment, rows = latest_results(args.db, args.assignment)
    if args.format == "csv":
        path = export_csv(rows, args.out, exercises=_chapter_order(assignment))
        print(visible(f"wrote {path} ({len(rows)} students of {assignment})"))
    else:
        paths = export_gradescope(rows, args.out)
        print(visible(f"wrote {len(paths)} Gradescope results.json files of {assignment} under {Path(args.out)}/"))
    return 0


def validate(args: argparse.Namespace) -> None:
    """Check ``geodl export``'s arguments before anything is written: the store (:func:`store_url`)
    and ``--out``, a file for CSV and a folder for Gradescope."""
    store_url(args.db)
    if args.format == "csv":
        output_file(args.out, option="--out")
    else:
        output_folder(args.out, option="--out")


def store_url(db: str) -> str:
    """A SQLAlchemy URL for ``db``: kept if it is one, else a path to a SQLite file; a
    :class:`~graders.errors.ConfigurationError` where it does not parse, its driver is not
    installed, or it names a SQLite file that does not exist
    (:func:`~graders.cli.databases.database_url`).

    >>> import os, tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".db") as file:
    ...     path = os.path.realpath(file.name)
    ...     store_url(path) == store_url(f"sqlite:///{path}") == f"sqlite:///{path}"
    True
    """
    return database_url(db, option="--db", existing=True)


def open_store(db: str) -> ResultStore:
    """The store at ``db``; a SQLite file must already exist (reading must not create an empty one)."""
    return open_results_store(store_url(db), named=db, verb="read",
                              hint="pass the --db that 'geodl batch' wrote (OUT/results.db)")


def latest_results(db: str, requested: str | None) -> tuple[str, list]:
    """The assignment (see :func:`choose_assignment`) and each student's latest result of it."""
    from sqlalchemy.exc import SQLAlchemyError
    store = open_store(db)
    try:
        assignment = choose_assignment(store, requested)
        return assignment, store.latest(assignment)
    except SQLAlchemyError as exc:  # a database that is not a results store
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ConfigurationError(f"{shown(db)} is not a geodl results store: {reason}",
                                 reference="not-a-results-store",
                                 hint="pass the --db that 'geodl batch' wrote (OUT/results.db)") from None
    finally:
        store.close()


def choose_assignment(store: ResultStore, requested: str | None) -> str:
    """``requested`` if the store holds it, else the store's only assignment."""
    held = store.assignments()
    if requested:
        if requested not in held:
            raise ConfigurationError(f"the results store holds no results of assignment={requested!r}",
                                     reference="unknown-assignment", hint=_held(held))
        return requested
    if len(held) == 1:
        return held[0]
    if not held:
        raise ConfigurationError("the results store is empty", reference="empty-results-store",
                                 hint="grade a class into it with 'geodl batch'")
    raise ConfigurationError("the results store holds several assignments", reference="assignment-required",
                             hint=f"choose one with --assignment ({_held(held)})")


def _held(held: list[str]) -> str:
    return f"it holds {', '.join(held)}" if held else "it is empty"


def _chapter_order(assignment: str) -> tuple[str, ...]:
    """The chapter's exercise ids in order, or ``()`` where no grader spec is installed."""
    return tuple(getattr(load_chapter_or_none(assignment), "exercises", ()))


def load_chapter_or_none(assignment: str):
    """The chapter spec (titles, exercise order), or None if this geodl has no grader for it."""
    from graders.chapters import load_chapter
    try:
        return load_chapter(assignment)
    except ConfigurationError:
        return None

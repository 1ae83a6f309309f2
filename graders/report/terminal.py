"""Readable terminal tables (rich) for a graded submission, a validation run and a class.

Every string that can come from a submission (check messages, counterexamples, exercise and
submission messages, student names) reaches rich as :func:`~graders.report.safe_text.safe_text`:
a ``Text``, never markup (a ``str`` in ``Table.add_row`` or ``Console.print`` is parsed as
markup), with control characters and escape sequences shown escaped instead of acting on the
terminal. So are the grader's own strings, for one rule everywhere.
"""
from __future__ import annotations

from typing import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from graders.grading.result import SubmissionResult
from graders.report.exports import submission_notes
from graders.report.safe_text import safe_text

MARKS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "student_error": ("✗", "red"), "timeout": ("⏱", "red"),
         "crashed": ("☠", "red"), "grader_error": ("!", "magenta"), "skipped": ("–", "dim")}


def result_table(result: SubmissionResult, *, show_hidden: bool = True) -> Table:
    """One row per check, grouped by exercise, with the first line of each failure message."""
    title = safe_text(f"{result.assignment}: {result.score:g} / {result.max_score:g}", "table.title", newlines=False)
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("", width=1)
    table.add_column("check")
    table.add_column("points", justify="right")
    table.add_column("why it failed", overflow="fold", max_width=90)
    for exercise in result.exercises:
        table.add_row("", safe_text(f"{exercise.id}  ({exercise.status})", "bold", newlines=False),
                      Text(f"{exercise.score:g}/{exercise.max_score:g}", style="bold"),
                      safe_text(exercise.message, "red") if exercise.message else "")
        for check in exercise.checks:
            mark, style = MARKS.get(check.status, ("?", ""))
            hidden = check.visibility != "public"
            message = check.message.split("\n")[0]
            if hidden and not show_hidden and not check.passed:
                message = "(hidden check)"
            name = f"  {check.name}" + (" [hidden]" if hidden else "")
            table.add_row(Text(mark, style=style), safe_text(name, newlines=False),
                          Text(f"{check.points:g}/{check.max_points:g}"), safe_text(message, newlines=False))
    return table


def print_result(result: SubmissionResult, *, console: Console | None = None, show_hidden: bool = True,
                 counterexamples: bool = True) -> None:
    console = console or Console()
    console.print(result_table(result, show_hidden=show_hidden))
    if counterexamples:
        for exercise in result.exercises:
            for check in exercise.checks:
                if check.counterexample and not check.passed and (show_hidden or check.visibility == "public"):
                    console.print(safe_text(f"{exercise.id}::{check.name}", "bold", newlines=False))
                    console.print(safe_text(check.counterexample), soft_wrap=True)
    for note in submission_notes(result):
        console.print(safe_text(f"note: {note}", "yellow"))


def validation_table(rows: Iterable) -> Table:
    table = Table(title="geodl validate", title_justify="left")
    table.add_column("", width=1)
    table.add_column("gate")
    table.add_column("subject")
    table.add_column("detail", overflow="fold", max_width=80)
    table.add_column("s", justify="right")
    for row in rows:
        mark = Text("✓", style="green") if row.passed else Text("✗", style="red")
        table.add_row(mark, safe_text(row.gate, newlines=False), safe_text(row.subject, newlines=False),
                      safe_text(row.detail), Text(f"{row.duration_s:.1f}"))
    return table


def class_table(rows: list) -> Table:
    """One row per student: total and per-exercise scores (``rows`` = ``[(student, result)]``)."""
    table = Table(title="class", title_justify="left")
    table.add_column("student")
    exercises: list[str] = []
    for _, result in rows:
        for exercise in result.exercises:
            if exercise.id not in exercises:
                exercises.append(exercise.id)
    for exercise_id in exercises:
        table.add_column(safe_text(exercise_id.split(".", 1)[-1], newlines=False), justify="right")
    table.add_column("total", justify="right")
    for student, result in rows:
        scores = {e.id: f"{e.score:g}" for e in result.exercises}
        style = "red" if result.status != "graded" else None
        table.add_row(safe_text(student, newlines=False), *(Text(scores.get(e, "–")) for e in exercises),
                      Text(f"{result.score:g}/{result.max_score:g}"), style=style)
    return table

"""Readable terminal tables (rich) for a graded submission, a validation run and a class.

Every string that can come from a submission (check messages, counterexamples, exercise and
submission messages, student names) reaches rich as :func:`~graders.report.safe_text.safe_text`:
a ``Text``, never markup (a ``str`` in ``Table.add_row`` or ``Console.print`` is parsed as
markup), with control characters and escape sequences shown escaped instead of acting on the
terminal. So are the grader's own strings, for one rule everywhere.

Marks are characters every common monospace font has (DejaVu Sans Mono: ✓ ✗ ◷ ☠), never an
emoji. An exercise that one reason zeroed (the stub, a missing or unimportable module, a forbidden
call) is one row holding that reason, without a row per check; numbers are rounded for people
(:mod:`graders.grading.numbers`).
"""
from __future__ import annotations

from typing import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from graders.grading.names import display_name
from graders.grading.numbers import points
from graders.grading.result import ExerciseResult, SubmissionResult, submission_status
from graders.report.exports import collapsed, students_by_status, submission_notes
from graders.report.safe_text import safe_text

MARKS = {"passed": ("✓", "green"), "failed": ("✗", "red"), "student_error": ("✗", "red"), "timeout": ("◷", "red"),
         "crashed": ("☠", "red"), "grader_error": ("!", "magenta"), "skipped": ("–", "dim")}

#: How a class table shows each submission status word (``graded`` plainly).
STATUS_STYLES = {"empty": "yellow", "unchanged stub": "yellow", "error": "red", "timed out": "red"}


def result_table(result: SubmissionResult, *, show_hidden: bool = True) -> Table:
    """One row per check, grouped by exercise, with the first line of each failure message; an
    exercise that one reason zeroed is one row holding it (:func:`~graders.report.exports.collapsed`)."""
    status = submission_status(result)
    heading = f"{result.assignment}: {points(result.score)} / {points(result.max_score)}"
    title = safe_text(heading + ("" if status == "graded" else f" ({status})"), "table.title", newlines=False)
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("", width=1)
    table.add_column("check")
    table.add_column("points", justify="right")
    table.add_column("why it failed", overflow="fold", max_width=90)
    for exercise in result.exercises:
        score = Text(f"{points(exercise.score)}/{points(exercise.max_score)}", style="bold")
        if collapsed(exercise):
            label = safe_text(f"{exercise.id}  ({exercise.status})", "bold", newlines=False)
            table.add_row(Text("✗", style="red"), label, score, safe_text(exercise.message, "red"))
            continue
        table.add_row("", safe_text(f"{exercise.id}  ({exercise.status})", "bold", newlines=False), score,
                      safe_text(exercise.message, "red") if exercise.message else "")
        for check in exercise.checks:
            mark, style = MARKS.get(check.status, ("?", ""))
            hidden = check.visibility != "public"
            message = check.message.split("\n")[0]
            if hidden and not show_hidden and not check.passed:
                message = "(hidden check)"
            name = f"  {check.name}" + (" [hidden]" if hidden else "")
            table.add_row(Text(mark, style=style), safe_text(name, newlines=False),
                          Text(f"{points(check.points)}/{points(check.max_points)}"),
                          safe_text(message, newlines=False))
    return table


def print_result(result: SubmissionResult, *, console: Console | None = None, show_hidden: bool = True,
                 counterexamples: bool = True) -> None:
    console = console or Console()
    console.print(result_table(result, show_hidden=show_hidden))
    if counterexamples:
        for exercise in _expanded(result.exercises):
            for check in exercise.checks:
                if check.counterexample and not check.passed and (show_hidden or check.visibility == "public"):
                    console.print(safe_text(f"{exercise.id}::{check.name}", "bold", newlines=False))
                    console.print(safe_text(check.counterexample), soft_wrap=True)
    for note in submission_notes(result):
        console.print(safe_text(f"note: {note}", "yellow"))


def _expanded(exercises: Iterable[ExerciseResult]) -> list[ExerciseResult]:
    return [exercise for exercise in exercises if not collapsed(exercise)]


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


#: The widest the student column of :func:`class_table` insists on (longer names may still be cut).
STUDENT_COLUMN_MAX = 24


def class_table(rows: list) -> Table:
    """One row per student: status word, per-exercise scores and total (``rows`` = ``[(student,
    result)]``); the caption names the students whose submission is not ``graded``."""
    by_status = students_by_status(rows)
    flagged = [f"{word} ({len(names)}): {', '.join(names)}" for word, names in by_status.items()
               if names and word != "graded"]
    table = Table(title="class", title_justify="left", caption_justify="left",
                  caption=safe_text("; ".join(flagged), newlines=False) if flagged else None)
    longest = max((len(display_name(student)) for student, _ in rows), default=7)
    table.add_column("student", no_wrap=True, min_width=min(longest, STUDENT_COLUMN_MAX))  # a cut name is no name
    table.add_column("status")
    exercises: list[str] = []
    for _, result in rows:
        for exercise in result.exercises:
            if exercise.id not in exercises:
                exercises.append(exercise.id)
    for exercise_id in exercises:
        table.add_column(safe_text(exercise_id.split(".", 1)[-1], newlines=False), justify="right")
    table.add_column("total", justify="right")
    for student, result in rows:
        scores = {e.id: points(e.score) for e in result.exercises}
        status = submission_status(result)
        table.add_row(safe_text(student, newlines=False), Text(status), *(Text(scores.get(e, "–")) for e in exercises),
                      Text(f"{points(result.score)}/{points(result.max_score)}"), style=STATUS_STYLES.get(status))
    return table

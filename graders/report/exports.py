"""Exports of a graded class: a CSV gradebook and Gradescope ``results.json`` files.

Both take ``rows = [(student, SubmissionResult)]`` as :meth:`graders.batch.store.ResultStore.latest`
returns them, and both carry each submission's status word
(:func:`~graders.grading.result.submission_status`: ``graded``, ``empty``, ``unchanged stub``,
``error``, ``timed out``), for a TA to filter on: the CSV in its ``status`` column, Gradescope's
``results.json`` in ``extra_data.geodl.status`` (and, unless ``graded``, in its first line). An
exercise that one reason zeroed (:data:`~graders.grading.result.ONE_REASON`: the stub, a missing
or unimportable module, a forbidden call) is said once: one Gradescope test per visibility of its
checks, holding that reason, instead of one test per check repeating it.

The Gradescope export honours check visibility: a hidden check leaves the grading machine as its
name, outcome and points only, never its message, counterexample or output, and is shown when
the staff publish the grades. The same writer makes the ``results.json`` of the
Gradescope autograder (``geodl gradescope``, :mod:`graders.cli.gradescope`). Student names
become file names through :func:`safe_filename` (no path traversal).

Both are data, not display: text keeps its raw value (control characters included; they are
escaped where a person reads them, in the terminal and the HTML). Two exceptions: the CSV's
``student`` column, the one cell a student controls, gets a leading ``'`` where it would start a
spreadsheet formula; and a lone surrogate (a non-UTF-8 folder name), which UTF-8 cannot hold, is
written escaped: in the CSV as the terminal shows it (``\\xe9``), in JSON as its ``\\udce9``
escape (the same character again once read).
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

from graders.grading import numbers
from graders.grading.result import (
    ONE_REASON,
    STATUS_WORDS,
    CheckResult,
    ExerciseResult,
    SubmissionResult,
    submission_status,
)
from graders.report.safe_text import without_surrogates

Rows = Sequence[tuple[str, SubmissionResult]]

#: Gradescope's name for each geodl visibility (:func:`gradescope_results` says why hidden is
#: ``after_published``); anything else is ``after_published`` too.
GRADESCOPE_VISIBILITY = {"public": "visible", "after_deadline": "after_due_date", "hidden": "after_published"}
#: Gradescope shows text as it is: a student's printed output and file names are not markup.
_GRADESCOPE_TEXT = {"output_format": "text", "test_output_format": "text", "test_name_format": "text"}

#: Lines of a check's printed output kept in exports and feedback (the tail).
OUTPUT_TAIL_LINES = 40
OUTPUT_TAIL_CHARS = 4000

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_MAX_NAME = 80
#: What makes a spreadsheet read a cell as a formula (OWASP's list, and the full-width forms).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_COUNTEREXAMPLE_LABELS = ("Failing test case:", "Falsifying example:")


def safe_filename(name: str) -> str:
    """A file name for ``name`` that stays inside its folder on any OS.

    Keeps ``[A-Za-z0-9._-]``, replaces every other run of characters with ``_``, refuses
    leading dots and Windows device names, and caps the length. When anything had to change,
    a short hash of the original is appended so that two different names never share a file.

    Parameters
    ----------
    name : str
        A student name as the results store holds it (untrusted: it comes from a folder name).

    Returns
    -------
    str
        A non-empty name without separators, NUL, ``..`` or a leading dot.

    Examples
    --------
    >>> safe_filename("student001")
    'student001'
    >>> safe_filename("../etc/passwd")
    'etc_passwd-...'
    >>> safe_filename("a/b") != safe_filename("a_b")
    True
    """
    text = unicodedata.normalize("NFKC", name)
    safe = _UNSAFE.sub("_", text).lstrip("._")[:_MAX_NAME]
    if safe.split(".")[0].upper() in _RESERVED:
        safe = "_" + safe
    if safe and safe == name:
        return safe
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{safe}-{digest}" if safe else f"student-{digest}"


def unique_filenames(students: Iterable[str]) -> dict[str, str]:
    """``{student: file name}``, distinct even on case-insensitive file systems.

    >>> unique_filenames(["Ann", "ann"])
    {'Ann': 'Ann', 'ann': 'ann-...'}
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for student in students:
        name = safe_filename(student)
        if name.casefold() in taken:
            name = f"{name}-{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
        taken.add(name.casefold())
        names[student] = name
    return names


def exercise_ids(rows: Rows, *, order: Iterable[str] = ()) -> list[str]:
    """Exercise ids in ``order`` first (a chapter's order), then as first met in ``rows``.

    Only ids that occur in ``rows`` or ``order`` are listed, each once.
    """
    ids = list(dict.fromkeys(order))
    for _, result in rows:
        for exercise in result.exercises:
            if exercise.id not in ids:
                ids.append(exercise.id)
    return ids


def format_points(value: float) -> str:
    """Points as data (the CSV) without float noise: ``10`` not ``10.0``, ``2.5``; a page or a
    terminal shows :func:`graders.grading.numbers.points` instead (``0.33``).

    >>> format_points(10.0), format_points(2.5), format_points(1 / 3)
    ('10', '2.5', '0.3333333333')
    """
    return format(float(value), ".10g")


def output_tail(text: str, *, lines: int = OUTPUT_TAIL_LINES, chars: int = OUTPUT_TAIL_CHARS) -> str:
    """The last ``lines`` lines (at most ``chars`` characters) of printed output, with a note
    when anything earlier was cut.

    >>> output_tail("a\\nb\\nc", lines=2)
    '[earlier output not shown]\\nb\\nc'
    >>> output_tail("a\\nb\\n")
    'a\\nb'
    """
    whole = text.rstrip("\n")
    tail = "\n".join(whole.split("\n")[-lines:])[-chars:]
    return tail if tail == whole else f"[earlier output not shown]\n{tail}"


# --- CSV ---------------------------------------------------------------------------------------------

def export_csv(rows: Rows, path: str | Path, *, exercises: Iterable[str] = ()) -> Path:
    """Write one row per student: ``student, score, max_score, status``, then each exercise's score;
    ``status`` is :func:`~graders.grading.result.submission_status`'s word.

    Parameters
    ----------
    rows : sequence of (str, SubmissionResult)
        The class, as :meth:`ResultStore.latest` returns it.
    path : str or Path
        The CSV file to write (its folder is created).
    exercises : iterable of str, optional
        Exercise ids in the order their columns should come (a chapter's order); exercises
        met in ``rows`` but not listed follow. A student without an exercise gets an empty cell.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = exercise_ids(rows, order=exercises)
    with path.open("w", newline="", encoding="utf-8", errors="backslashreplace") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "score", "max_score", "status", *ids])
        for student, result in sorted(rows, key=lambda row: row[0]):
            writer.writerow(_csv_row(student, result, ids))
    return path


def _csv_row(student: str, result: SubmissionResult, ids: list[str]) -> list[str]:
    scores = {e.id: format_points(e.score) for e in result.exercises}
    return [_no_formula(without_surrogates(student)), format_points(result.score), format_points(result.max_score),
            submission_status(result), *(scores.get(i, "") for i in ids)]


def _no_formula(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (``=cmd|...`` in a student name): a ``'``
    before a formula start, also one behind leading spaces (some importers trim them).

    >>> _no_formula("=cmd|' /C calc'!A0"), _no_formula("  +1"), _no_formula("ann-lee")
    ("'=cmd|' /C calc'!A0", "'  +1", 'ann-lee')
    """
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


# --- Gradescope ----------------------------------------------------------------------------------------

def export_gradescope(rows: Rows, out_dir: str | Path) -> list[Path]:
    """Write ``out_dir/<safe student>/results.json`` per submission, in Gradescope's format
    (:func:`gradescope_results`).

    Parameters
    ----------
    rows : sequence of (str, SubmissionResult)
        The class.
    out_dir : str or Path
        The folder to write into (created).

    Returns
    -------
    list of Path
        The files written, in the order of ``rows``.
    """
    out_dir = Path(out_dir)
    names = unique_filenames(student for student, _ in rows)
    written = []
    for student, result in rows:
        written.append(write_gradescope(out_dir / names[student] / "results.json", gradescope_results(result)))
    return written


def gradescope_results(result: SubmissionResult, *, extra_data: dict | None = None) -> dict:
    """One submission as Gradescope's ``results.json`` object: one test per check, scored all
    or nothing, visible as :data:`GRADESCOPE_VISIBILITY` says.

    A hidden check is ``after_published``, not Gradescope's ``hidden``: Gradescope shows the
    total score while only ``hidden`` tests are held back (its specification keeps ``hidden`` for
    tests worth no points), so a student could resubmit to probe the hidden checks; with a test
    not yet shown it hides the total until the staff publish the grades. Even then a hidden
    check shows its name, outcome and points only, as in the HTML feedback. The top-level
    ``output`` counts only public checks where an exercise has others, for the same reason.
    An exercise without checks (nothing could be graded) becomes one test holding its reason.
    An exercise one reason zeroed is said once (:func:`_collapsed_tests`).
    All text is plain (``*_format: text``); what the grader prints is the staff's
    (``stdout_visibility: hidden``); ``extra_data`` is stored by Gradescope, never shown: it holds
    ``extra_data["geodl"]["status"]``, the submission's status word, beside what the caller gives.
    """
    tests = []
    for exercise in result.exercises:
        if collapsed(exercise) and exercise.checks:
            tests += _collapsed_tests(exercise)
        else:
            tests += [_gradescope_test(exercise, check) for check in exercise.checks] or [_exercise_test(exercise)]
    geodl = {**((extra_data or {}).get("geodl") or {}), "status": submission_status(result)}
    return _gradescope_object(float(result.score), float(result.duration_s), _submission_output(result), tests,
                              {**(extra_data or {}), "geodl": geodl})


def gradescope_failure(reason: str, *, execution_time: float = 0.0, extra_data: dict | None = None) -> dict:
    """Gradescope's ``results.json`` object for a submission that could not be graded: score 0,
    no test, ``reason`` (made one line) as the output the student reads, status ``error`` in
    ``extra_data["geodl"]``."""
    geodl = {**((extra_data or {}).get("geodl") or {}), "status": "error"}
    return _gradescope_object(0.0, execution_time, " ".join(reason.split()), [], {**(extra_data or {}), "geodl": geodl})


def write_gradescope(path: str | Path, results: dict) -> Path:
    """Write a ``results.json`` object to ``path`` (its folder is created), whole or not at all:
    a temporary file beside it is renamed into place. Returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8",
                       errors="backslashreplace")
    partial.replace(path)
    return path


def _gradescope_object(score: float, execution_time: float, output: str, tests: list[dict],
                       extra_data: dict | None) -> dict:
    results = {"score": score, "execution_time": round(execution_time, 3), "output": output,
               **_GRADESCOPE_TEXT, "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}
    if extra_data is not None:
        results["extra_data"] = extra_data
    return results


def _gradescope_test(exercise: ExerciseResult, check: CheckResult) -> dict:
    test = {"name": f"{exercise.id} · {check.name}", "score": float(check.points), "max_score": float(check.max_points),
            "status": "passed" if check.passed else "failed",
            "visibility": GRADESCOPE_VISIBILITY.get(check.visibility, "after_published")}
    if check.visibility in ("public", "after_deadline"):
        test["output"] = check_text(check)
    return test


def _collapsed_tests(exercise: ExerciseResult) -> list[dict]:
    """An exercise one reason zeroed: one test per Gradescope visibility of its checks, the
    visible one (named for the exercise) holding the reason; checks shown later keep their
    visibility, and a hidden one's test holds no text."""
    groups: dict[str, list[CheckResult]] = {}
    for check in exercise.checks:
        groups.setdefault(GRADESCOPE_VISIBILITY.get(check.visibility, "after_published"), []).append(check)
    tests = []
    for visibility, checks in groups.items():
        name = exercise.id if visibility == "visible" else f"{exercise.id} · {_count(len(checks), 'check')} shown later"
        test = {"name": name, "score": float(sum(c.points for c in checks)),
                "max_score": float(sum(c.max_points for c in checks)), "status": "failed", "visibility": visibility}
        if visibility != "after_published":
            test["output"] = exercise.message
        tests.append(test)
    return tests


def collapsed(exercise: ExerciseResult) -> bool:
    """Whether one reason zeroed the exercise (:data:`~graders.grading.result.ONE_REASON`), said
    once in its message: reports then show its checks without a message each."""
    return exercise.status in ONE_REASON and bool(exercise.message) and not any(c.passed for c in exercise.checks)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _exercise_test(exercise: ExerciseResult) -> dict:
    return {"name": exercise.id, "score": float(exercise.score), "max_score": float(exercise.max_score),
            "status": "passed" if exercise.status == "passed" else "failed", "visibility": "visible",
            "output": exercise.message}


def students_by_status(rows: Rows) -> dict[str, list[str]]:
    """``{status word: [student, ...]}`` for every word of
    :data:`~graders.grading.result.STATUS_WORDS`, in that order, students as ``rows`` has them.

    >>> from graders.grading.result import SubmissionResult
    >>> students_by_status([("ann", SubmissionResult("ch01", 0.0, 1.0, "timeout"))])["timed out"]
    ['ann']
    """
    by_status: dict[str, list[str]] = {word: [] for word in STATUS_WORDS}
    for student, result in rows:
        by_status[submission_status(result)].append(student)
    return by_status


def pasteable_call(counterexample: str) -> str:
    """The failing call alone, without the engine's ``Failing test case:`` label.

    >>> pasteable_call("Failing test case: softmax(array([1., 2.]), axis=0)")
    'softmax(array([1., 2.]), axis=0)'
    """
    text = counterexample.strip()
    for label in _COUNTEREXAMPLE_LABELS:
        if text.startswith(label):
            return text[len(label):].strip()
    return text


def submission_notes(result: SubmissionResult) -> list[str]:
    """The submission-level notes a student should read, one line each: the notes recorded
    while reading the submission (``result.submission["notes"]``: which form of a file was
    graded, a provided file restored, a file refused...), after ``result.message`` where that
    says more than those notes joined (as :func:`graders.grading.engine.grade` writes it)."""
    extra = (result.submission or {}).get("notes") or []
    notes = [str(n) for n in (extra if isinstance(extra, (list, tuple)) else [extra])]
    if result.message and result.message != "; ".join(notes):
        notes.insert(0, result.message)
    return notes


def check_text(check: CheckResult) -> str:
    """What a student may read about a visible check: message, failing call, seed, output tail."""
    parts = [check.message] if check.message else []
    if check.counterexample:
        parts.append(f"Failing test case:\n{pasteable_call(check.counterexample)}")
        if check.seed is not None:
            parts.append(f"seed: {check.seed}")
    if check.output:
        parts.append(f"Your code printed:\n{output_tail(check.output)}")
    return "\n\n".join(parts)


def _submission_output(result: SubmissionResult) -> str:
    """The text above the tests: the score, the submission's notes, one line per exercise (with
    its reason where it could not be graded). Where checks are not public, only the public ones
    are counted: the rest is shown with its tests (a status says nothing of them either, but
    ``error`` and ``forbidden``, which zero every check)."""
    checks = [check for exercise in result.exercises for check in exercise.checks]
    status = submission_status(result)
    lines = [f"{result.assignment}: {_shown_points(checks, result.score, result.max_score)}"
             + ("" if status == "graded" else f" ({status})")]
    lines += [f"note: {note}" for note in submission_notes(result)]
    for exercise in result.exercises:
        line = f"{exercise.id}: {_shown_points(exercise.checks, exercise.score, exercise.max_score)}"
        if exercise.status in ONE_REASON or all(c.visibility == "public" for c in exercise.checks):
            line += f" ({exercise.status})"
        lines.append(f"{line}: {exercise.message}" if exercise.message else line)
    return "\n".join(lines)


def _shown_points(checks: Sequence[CheckResult], score: float, max_score: float) -> str:
    """``score / max_score``, or where some ``checks`` are not public, the public ones' points
    and how many more the others are worth.

    >>> _shown_points([], 2.0, 3.0)
    '2 / 3'
    """
    later = [check for check in checks if check.visibility != "public"]
    points = numbers.points
    if not later:
        return f"{points(score)} / {points(max_score)}"
    public = [check for check in checks if check.visibility == "public"]
    return (f"{points(sum(c.points for c in public))} / {points(sum(c.max_points for c in public))} "
            f"in public checks, {points(sum(c.max_points for c in later))} more in checks shown later")

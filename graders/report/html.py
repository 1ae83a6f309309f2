"""Per-student HTML feedback and the class summary page (Jinja2, autoescaped; plots by matplotlib).

Every page is self-contained: inline ``<style>``, no scripts, plots embedded as base64 PNG. All
text that comes from a submission (messages, counterexamples, printed output, names, paths) goes
through Jinja2's autoescaping, never through ``Markup`` or ``|safe``, after every value a template
prints has had its control, bidi and zero-width characters and lone surrogates escaped visibly
(:func:`~graders.report.safe_text.visible`, the environment's ``finalize``): the page shows what
the student wrote, a bidi override cannot reorder the text around it, and a non-UTF-8 name
cannot stop the page being written. What a student sees of a check depends on
its visibility (:func:`shows_details`): a hidden check shows its outcome and points only, an
after-deadline check is hidden until the deadline has passed. Output depends only on the input
(no clock reads unless a deadline is given without ``now``), so pages can be compared run to run.

How the pages read: an exercise that one reason zeroed (the stub, a missing or unimportable
module, a forbidden call: :func:`~graders.report.exports.collapsed`) is one row of the overview,
its reason said once, with no section of checks; each submission carries its status word
(:func:`~graders.grading.result.submission_status`), and the summary counts and names the
students whose submission is empty, the unchanged stub, an error or timed out. Marks are inline
SVG with a text label (no font needs the glyph); the CSS stacks each table row into a card below
640 px, so a page fits a 420 px phone screen, and prints whole (``@media print``). Numbers are
rounded for people (:mod:`graders.grading.numbers`).
"""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import io
import statistics
from pathlib import Path
from typing import Iterable, Sequence

import jinja2
import markupsafe
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from graders.grading.numbers import points as format_points
from graders.grading.numbers import seconds
from graders.grading.result import STATUS_WORDS, CheckResult, ExerciseResult, SubmissionResult, submission_status
from graders.report.exports import (
    Rows,
    collapsed,
    exercise_ids,
    output_tail,
    pasteable_call,
    students_by_status,
    submission_notes,
    unique_filenames,
)
from graders.report.repro import ReproLink, repro_link, write_repro_files
from graders.report.safe_text import visible

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: The icon (``icons.html.j2``) shown for each check status, as the terminal's marks.
MARKS = {"passed": "pass", "failed": "fail", "student_error": "fail", "timeout": "clock", "crashed": "crash",
         "grader_error": "warn", "skipped": "skip"}

#: Checks listed in the "most failed" plot.
TOP_FAILED = 15

#: The longest label of a check in a plot (longer ones are cut).
TICK_LABEL_CHARS = 80

_PLOT_STYLE = {"text.parse_math": False, "font.size": 9}


@dataclasses.dataclass(frozen=True)
class CheckView:
    """What the feedback page may show of one check (details empty unless visible)."""

    name: str
    mark: str                     #: the icon's name (:data:`MARKS`)
    css: str
    status: str
    points: str
    max_points: str
    shown: bool
    tags: tuple[str, ...] = ()
    note: str = ""
    description: str = ""
    message: str = ""
    counterexample: str = ""
    seed: int | None = None
    output: str = ""
    repro_file: ReproLink | None = None  #: the failing case as a file to run (graders.report.repro)


@dataclasses.dataclass(frozen=True)
class ExerciseView:
    """One exercise of a feedback page."""

    id: str
    title: str
    score: str
    max_score: str
    status: str
    message: str
    checks: tuple[CheckView, ...]
    collapsed: bool = False       #: one reason zeroed it: one overview row, no section


# --- visibility ------------------------------------------------------------------------------------------

def shows_details(visibility: str, *, now: dt.datetime | None, deadline: dt.datetime | None) -> bool:
    """Whether a student may read a check's message, counterexample and output.

    ``public``: always; ``after_deadline``: once ``now >= deadline`` (never without a deadline);
    ``hidden`` and anything unknown: never. Naive datetimes are taken as local time.

    >>> due = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    >>> shows_details("after_deadline", now=due - dt.timedelta(seconds=1), deadline=due)
    False
    >>> shows_details("after_deadline", now=due, deadline=due), shows_details("hidden", now=due, deadline=due)
    (True, False)
    """
    if visibility == "public":
        return True
    if visibility == "after_deadline" and deadline is not None and now is not None:
        return _aware(now) >= _aware(deadline)
    return False


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


# --- feedback ----------------------------------------------------------------------------------------------

def render_feedback(student: str, result: SubmissionResult, *, now: dt.datetime | None = None,
                    deadline: dt.datetime | None = None, chapter=None) -> str:
    """One student's feedback page.

    Parameters
    ----------
    student : str
        The student's name (escaped like everything else from a submission).
    result : SubmissionResult
        Their graded submission.
    now : datetime, optional
        The moment the page is for; defaults to the current time when ``deadline`` is given.
    deadline : datetime, optional
        When after-deadline checks become visible; without it they stay hidden.
    chapter : graders.grading.spec.Chapter, optional
        For the chapter and exercise titles.

    Returns
    -------
    str
        A complete HTML document.
    """
    if deadline is not None and now is None:
        now = dt.datetime.now(dt.timezone.utc)
    titles = _titles(chapter)
    exercises = [_exercise_view(e, titles.get(e.id, ""), now=now, deadline=deadline) for e in result.exercises]
    submission = result.submission or {}
    return _render("feedback.html.j2", student=student, assignment=result.assignment,
                   chapter_title=getattr(chapter, "title", ""), score=format_points(result.score),
                   max_score=format_points(result.max_score), status=submission_status(result), exercises=exercises,
                   notes=submission_notes(result), deadline=_when(deadline), path=str(submission.get("path") or ""),
                   sha256=str(submission.get("sha256") or "")[:12],
                   grader=str((result.grader or {}).get("version", "")), seed=(result.settings or {}).get("seed"),
                   started_at=result.started_at)


def _exercise_view(exercise: ExerciseResult, title: str, *, now, deadline) -> ExerciseView:
    checks = tuple(_check_view(c, shows_details(c.visibility, now=now, deadline=deadline), deadline, exercise.id)
                   for c in exercise.checks)
    return ExerciseView(exercise.id, title, format_points(exercise.score), format_points(exercise.max_score),
                        exercise.status, exercise.message, checks, collapsed=collapsed(exercise))


def _check_view(check: CheckResult, shown: bool, deadline: dt.datetime | None, exercise_id: str = "") -> CheckView:
    points = {"points": format_points(check.points), "max_points": format_points(check.max_points)}
    visibility_tag = {"hidden": ("hidden",), "after_deadline": ("after deadline",)}.get(check.visibility, ())
    if not shown:
        status = "passed" if check.passed else "failed"
        return CheckView(check.name, MARKS[status], status, status, points["points"], points["max_points"], shown=False,
                         tags=visibility_tag or ("hidden",), note=_hidden_note(check.visibility, deadline))
    status_tag = () if check.status in ("passed", "failed") else (check.status.replace("_", " "),)
    return CheckView(check.name, MARKS.get(check.status, "warn"), "passed" if check.passed else "failed", check.status,
                     points["points"], points["max_points"], shown=True, tags=visibility_tag + status_tag,
                     description=check.description, message=check.message,
                     counterexample=pasteable_call(check.counterexample), seed=check.seed,
                     output=output_tail(check.output) if check.output else "",
                     repro_file=repro_link(exercise_id, check))


def _hidden_note(visibility: str, deadline: dt.datetime | None) -> str:
    if visibility != "after_deadline":
        return "hidden check: only its outcome and points are shown"
    when = f" ({_when(deadline)})" if deadline else ""
    return f"details are shown once the deadline has passed{when}"


def _when(moment: dt.datetime | None) -> str:
    return moment.isoformat(timespec="minutes") if moment else ""


# --- summary -----------------------------------------------------------------------------------------------

def render_summary(assignment: str, rows: Rows, *, chapter=None, generated_at: str | None = None,
                   deadline: dt.datetime | None = None) -> str:
    """The class summary page: counts, three plots, and one linked row per student.

    Parameters
    ----------
    assignment : str
        The chapter id, ``"ch06"``.
    rows : sequence of (str, SubmissionResult)
        Each student's latest result of ``assignment``.
    chapter : graders.grading.spec.Chapter, optional
        For titles and the order of the exercises.
    generated_at : str, optional
        Shown as given; the page holds no other timestamp (same input, same bytes).
    deadline : datetime, optional
        Shown in the header.

    Returns
    -------
    str
        A complete HTML document, for course staff (it names hidden checks).
    """
    wrong = sorted({r.assignment for _, r in rows} - {assignment})
    if wrong:
        raise ValueError(f"rows hold results of {', '.join(wrong)}, not only assignment={assignment!r}")
    ids = exercise_ids(rows, order=getattr(chapter, "exercises", ()))
    titles = _titles(chapter)
    names = unique_filenames(student for student, _ in rows)
    flagged = [(word, [{"name": s, "href": f"feedback/{names[s]}.html"} for s in students])
               for word, students in students_by_status(rows).items() if word != "graded" and students]
    return _render("summary.html.j2", assignment=assignment, chapter_title=getattr(chapter, "title", ""),
                   generated_at=generated_at or "", deadline=_when(deadline), stats=class_stats(rows), flagged=flagged,
                   exercise_stats=[exercise_stats(rows, i, titles.get(i, "")) for i in ids],
                   plots=_plots(rows, ids), failed=failed_checks(rows)[:TOP_FAILED], n_students=len(rows),
                   exercise_ids=ids, students=[_student_row(s, r, ids, names[s]) for s, r in rows])


def class_stats(rows: Rows) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for the class table: how many students, how many submissions
    have each status word (:data:`~graders.grading.result.STATUS_WORDS`), score statistics."""
    scores = [r.score for _, r in rows]
    full = sum(1 for _, r in rows if r.max_score > 0 and r.score >= r.max_score)
    maxima = sorted({format_points(r.max_score) for _, r in rows})
    by_status = students_by_status(rows)
    stats = [("students", str(len(rows))), *((word, str(len(by_status[word]))) for word in STATUS_WORDS),
             ("max score", " / ".join(maxima) or "–")]
    stats += _score_stats(scores)
    stats += [("full marks", str(full)), ("zero", str(sum(1 for s in scores if s <= 0)))]
    return stats


def exercise_stats(rows: Rows, exercise_id: str, title: str = "") -> dict:
    """One exercise across the class: max, mean, median, full marks, zero, and how many were the
    unchanged stub, missing, or not importable or forbidden."""
    results = [e for _, r in rows for e in r.exercises if e.id == exercise_id]
    scores = [e.score for e in results]
    stats = dict(_score_stats(scores))
    return {"id": exercise_id, "title": title, "n": len(results),
            "max": format_points(max((e.max_score for e in results), default=0)),
            "mean": stats["mean"], "median": stats["median"],
            "full": sum(1 for e in results if e.max_score > 0 and e.score >= e.max_score),
            "zero": sum(1 for s in scores if s <= 0),
            "stub": sum(e.status == "unchanged stub" for e in results),
            "missing": sum(e.status == "missing" for e in results),
            "errors": sum(e.status in ("error", "forbidden") for e in results)}


def _score_stats(scores: Sequence[float]) -> list[tuple[str, str]]:
    if not scores:
        return [("mean", "–"), ("median", "–"), ("min", "–"), ("max", "–")]
    return [("mean", format_points(statistics.fmean(scores))), ("median", format_points(statistics.median(scores))),
            ("min", format_points(min(scores))), ("max", format_points(max(scores)))]


def failed_checks(rows: Rows) -> list[tuple[str, int]]:
    """``(label, students who failed it)`` per check, most failed first (ties by label).

    A check counts as failed for a student unless it ``passed`` or was ``skipped``.
    """
    counts: dict[str, int] = {}
    for _, result in rows:
        for exercise in result.exercises:
            for check in exercise.checks:
                label = _check_label(exercise.id, check)
                counts.setdefault(label, 0)
                if check.status not in ("passed", "skipped"):
                    counts[label] += 1
    return sorted(((label, n) for label, n in counts.items() if n), key=lambda item: (-item[1], item[0]))


def _check_label(exercise_id: str, check: CheckResult) -> str:
    tag = {"hidden": " (hidden)", "after_deadline": " (after deadline)"}.get(check.visibility, "")
    return f"{exercise_id.split('.', 1)[-1]} · {check.name}{tag}"


def _student_row(student: str, result: SubmissionResult, ids: list[str], filename: str) -> dict:
    scores = {e.id: format_points(e.score) for e in result.exercises}
    status = submission_status(result)
    return {"name": student, "href": f"feedback/{filename}.html", "score": format_points(result.score),
            "max_score": format_points(result.max_score), "status": status, "message": result.message,
            "exercises": [scores.get(i, "–") for i in ids],
            "css": "error" if status != "graded" else ("full" if result.score >= result.max_score > 0 else "")}


# --- plots ---------------------------------------------------------------------------------------------

def _styled(plot):
    """Run ``plot`` under the page's rc settings (no mathtext: a ``$`` in a label stays a ``$``)."""
    @functools.wraps(plot)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(_PLOT_STYLE):
            return plot(*args, **kwargs)
    return wrapper


def _plots(rows: Rows, ids: list[str]) -> list[dict]:
    return [
        {"png": plot_scores(rows, ids), "alt": "score distribution per exercise",
         "caption": "Scores per exercise and in total, as a percentage of the maximum: one dot per student, "
                    "box from the first to the third quartile, line at the median."},
        {"png": plot_failed_checks(rows), "alt": "most failed checks",
         "caption": f"The {TOP_FAILED} checks most students failed (a timeout, crash or error counts as failed)."},
        {"png": plot_durations(rows), "alt": "grading time per submission",
         "caption": "Wall-clock grading time per submission."},
    ]


@_styled
def plot_scores(rows: Rows, ids: Sequence[str]) -> str:
    """Strip and box plot of each exercise's score (and the total) in percent; base64 PNG."""
    labels, series = ["total"], [_percent((r.score, r.max_score) for _, r in rows)]
    for exercise_id in ids:
        labels.append(visible(exercise_id.split(".", 1)[-1], newlines=False))
        series.append(_percent((e.score, e.max_score) for _, r in rows for e in r.exercises if e.id == exercise_id))
    fig, ax = _figure(height=1.0 + 0.45 * len(labels))
    positions = np.arange(len(labels))[::-1]                                  # total on top
    jitter = np.random.default_rng(0)
    for y, values in zip(positions, series):
        if values:
            ax.boxplot([values], positions=[y], orientation="horizontal", widths=0.5, showfliers=False,
                       medianprops={"color": "#c0392b", "linewidth": 2}, boxprops={"color": "#555"})
            ax.scatter(values, y + jitter.uniform(-0.18, 0.18, len(values)), s=12, alpha=0.6, color="#2c7fb8", zorder=3)
    ax.set_yticks(positions, labels)
    ax.set_xlim(-5, 105)
    ax.set_xlabel("score (% of maximum)")
    ax.set_title("Score distribution")
    return _png(fig)


@_styled
def plot_failed_checks(rows: Rows, *, top: int = TOP_FAILED) -> str:
    """Horizontal bars: how many students failed each of the ``top`` most failed checks."""
    failed = failed_checks(rows)[:top]
    fig, ax = _figure(height=1.2 + 0.32 * max(len(failed), 1), width=9.5)
    if failed:
        labels, counts = zip(*failed)
        y = np.arange(len(failed))[::-1]
        ax.barh(y, counts, color="#d95f02")
        ax.set_yticks(y, [_tick_label(label) for label in labels])
        for yi, n in zip(y, counts):
            ax.text(n, yi, f" {n}", va="center")
        ax.set_xlim(0, max(len(rows), 1) * 1.08)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.text(0.5, 0.5, "no failed checks", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xlabel(f"students who failed it (of {len(rows)})")
    ax.set_title("Most failed checks")
    return _png(fig)


@_styled
def plot_durations(rows: Rows) -> str:
    """Histogram of the grading time of each submission (``result.duration_s``)."""
    durations = [r.duration_s for _, r in rows]
    fig, ax = _figure(height=2.8)
    if durations:
        ax.hist(durations, bins=int(min(30, max(5, np.sqrt(len(durations)) * 2))), color="#7570b3", edgecolor="white")
        ax.axvline(statistics.median(durations), color="#333", linestyle="--", linewidth=1)
        ax.text(0.99, 0.95, f"median {seconds(statistics.median(durations))}, max {seconds(max(durations))}",
                ha="right", va="top", transform=ax.transAxes)
    else:
        ax.text(0.5, 0.5, "no submissions", ha="center", va="center", transform=ax.transAxes)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("seconds per submission")
    ax.set_ylabel("submissions")
    ax.set_title("Grading time")
    return _png(fig)


def _tick_label(label: str, limit: int = TICK_LABEL_CHARS) -> str:
    """A check's label as a plot shows it: escaped, on one line, at most ``limit`` characters."""
    text = visible(label, newlines=False)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _percent(pairs: Iterable[tuple[float, float]]) -> list[float]:
    return [100.0 * score / top for score, top in pairs if top > 0]


def _figure(*, height: float, width: float = 7.5):
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


# --- writing -----------------------------------------------------------------------------------------

def write_reports(out_dir: str | Path, assignment: str, rows: Rows, *, deadline: dt.datetime | None = None,
                  now: dt.datetime | None = None, chapter=None,
                  generated_at: str | None = None) -> tuple[list[Path], Path]:
    """Write ``out_dir/feedback/<safe student>.html`` per student and ``out_dir/summary.html``.

    Parameters
    ----------
    out_dir : str or Path
        The folder to write into (created).
    assignment : str
        The chapter id.
    rows : sequence of (str, SubmissionResult)
        The class.
    deadline, now : datetime, optional
        Passed to :func:`render_feedback` (after-deadline checks).
    chapter : graders.grading.spec.Chapter, optional
        Titles and exercise order.
    generated_at : str, optional
        Shown on the summary.

    Returns
    -------
    (list of Path, Path)
        The feedback pages in the order of ``rows``, and the summary.
    """
    out_dir = Path(out_dir)
    (out_dir / "feedback").mkdir(parents=True, exist_ok=True)
    if deadline is not None and now is None:
        now = dt.datetime.now(dt.timezone.utc)
    names = unique_filenames(student for student, _ in rows)
    pages = []
    for student, result in rows:
        page = out_dir / "feedback" / f"{names[student]}.html"
        page.write_text(render_feedback(student, result, now=now, deadline=deadline, chapter=chapter), encoding="utf-8")
        write_repro_files(out_dir / "feedback" / names[student], result)  # feedback/<student>/repro/*.py
        pages.append(page)
    summary = out_dir / "summary.html"
    summary.write_text(render_summary(assignment, rows, chapter=chapter, generated_at=generated_at, deadline=deadline),
                       encoding="utf-8")
    return pages, summary


# --- templates ---------------------------------------------------------------------------------------

def _titles(chapter) -> dict[str, str]:
    exercises = getattr(chapter, "exercises", None) or {}
    return {i: getattr(e, "title", "") or "" for i, e in exercises.items()}


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """Autoescape on for every template, whatever its name; unknown names are errors; every
    printed string has its invisible and control characters escaped first (:func:`_finalize`)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True, finalize=_finalize)


def _finalize(value):
    """What ``{{ value }}`` prints, before autoescaping: a string with its control, format and
    invisible characters and lone surrogates escaped (newlines kept, for ``<pre>``)."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return visible(value)
    return value


def _render(template: str, **context) -> str:
    return _environment().get_template(template).render(**context)

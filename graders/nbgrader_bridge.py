"""Scores into nbgrader's gradebook, so formgrader shows them.

Each check is an autograded grade cell of the chapter's notebook (grade id
``<exercise>__<check>``, the check's points, as :mod:`graders.notebooks` generates them). A
graded submission sets the ``auto_score`` of its grades and, as nbgrader's autograder does,
their ``needs_manual_grade`` (a grade with an auto score and no manual score needs none; one a
TA already scored by hand is marked for review); a ``manual_score`` a TA already set is never
touched (and nbgrader lets it win).
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import sys
import warnings

import graders.nbgrader_package  # noqa: F401  (first: nbgrader's package without its server extensions)

# isort: split
import nbgrader.api
from nbgrader.api import (
    Comment,
    Grade,
    Gradebook,
    MissingEntry,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
    new_uuid,
)
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import SAWarning, SQLAlchemyError

from graders.notebooks import grade_id
from graders.result import SubmissionResult
from graders.spec import Chapter


def ensure_assignment(gradebook: Gradebook, chapter: Chapter) -> None:
    """The assignment, its notebook and one grade cell per check (created or updated)."""
    gradebook.update_or_create_assignment(chapter.id)
    gradebook.update_or_create_notebook(chapter.id, chapter.id)
    for exercise in chapter.exercises.values():
        for check in exercise.checks:
            gradebook.update_or_create_grade_cell(grade_id(exercise.id, check.name), chapter.id, chapter.id,
                                                  max_score=check.points, cell_type="code")


def record_nbgraders_way(gradebook: Gradebook, assignment: str, student: str, result: SubmissionResult) -> int:
    """What :meth:`GradebookWriter.record` does, the way nbgrader's API offers it: the student and
    the submission made with ``update_or_create_student`` and ``add_submission`` (a commit each),
    then each check's grade found with ``find_grade`` (a six-table query), given its auto score
    and flagged as nbgrader's ``SaveAutoGrades`` flags it (:func:`needs_manual_grade`), and the
    whole committed.
    Kept as the reference that ``tests/graders/test_nbgrader_bridge.py`` holds the writer's rows
    equal to and ``benchmarks/bench_gradebook.py`` times it against. Returns how many grades
    were set."""
    gradebook.update_or_create_student(student)
    try:
        gradebook.find_submission(assignment, student)
    except MissingEntry:
        with warnings.catch_warnings():  # nbgrader's add_submission autoflushes half-built rows
            warnings.simplefilter("ignore", SAWarning)
            gradebook.add_submission(assignment, student)
    updated = 0
    for exercise in result.exercises:
        for check in exercise.checks:
            try:
                grade = gradebook.find_grade(grade_id(exercise.id, check.name), assignment, assignment, student)
            except MissingEntry:
                continue
            grade.auto_score = float(check.points)
            grade.needs_manual_grade = needs_manual_grade(grade.auto_score, grade.manual_score)
            updated += 1
    gradebook.db.commit()
    return updated


@dataclasses.dataclass(frozen=True)
class _NotebookLayout:
    """One notebook of the assignment, as the gradebook holds it: the ids of the rows a
    submission of it gets a grade or a comment for."""

    id: str
    grade_cells: tuple[tuple[str, str], ...]  #: (cell id, cell name) of each autograded or manual grade cell
    solution_cells: tuple[str, ...]           #: cell ids
    task_cells: tuple[str, ...]               #: cell ids


class GradebookWriter:
    """An open gradebook for a batch, opened once (importing nbgrader and opening it take half a second).

    Use as a context manager; :meth:`record` writes one result's check scores as auto scores.
    The assignment's notebooks and cells are read once, as the writer opens (after making sure
    the chapter's grade cells are there): a batch does not change them.
    """

    def __init__(self, url: str, chapter: Chapter):
        self.chapter = chapter
        self.gradebook = open_gradebook(url)
        ensure_assignment(self.gradebook, chapter)
        assignment = self.gradebook.find_assignment(chapter.id)
        self._assignment_id = assignment.id
        self._notebooks = tuple(_NotebookLayout(
            id=notebook.id, grade_cells=tuple((cell.id, cell.name) for cell in notebook.grade_cells),
            solution_cells=tuple(cell.id for cell in notebook.solution_cells),
            task_cells=tuple(cell.id for cell in notebook.task_cells)) for notebook in assignment.notebooks)
        self._grade_cell_names = {cell: name for notebook in self._notebooks for cell, name in notebook.grade_cells}
        self.gradebook.db.commit()

    def __enter__(self) -> "GradebookWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.gradebook.close()

    def record(self, student: str, result: SubmissionResult) -> int:
        """Set the auto score of every check of ``result`` (by grade cell name), in one
        transaction; returns how many grades were set (a check whose grade cell the gradebook
        lacks is passed over).

        The batch's own process writes the gradebook while the grading processes want its cores
        (``benchmarks/bench_gradebook.py``), so the rows are written as SQL statements, one per
        table, from the assignment's layout read at open: a new submission as nbgrader's
        ``add_submission`` makes it, with its auto scores in place (:meth:`_add_submission`); a
        regrade's grades updated by their ids (:meth:`_rescore`). nbgrader's own way
        (:func:`record_nbgraders_way`) makes a six-table query for each check (28 in ch06) and
        builds an ORM object per row."""
        auto_scores = {grade_id(exercise.id, check.name): float(check.points)
                       for exercise in result.exercises for check in exercise.checks}
        db = self.gradebook.db
        try:
            submission_id = db.scalar(select(SubmittedAssignment.id).where(
                SubmittedAssignment.assignment_id == self._assignment_id, SubmittedAssignment.student_id == student))
            if submission_id is None:
                updated = self._add_submission(student, auto_scores)
            else:
                updated = self._rescore(submission_id, auto_scores)
            db.commit()
        except SQLAlchemyError:
            db.rollback()
            raise
        return updated

    def _add_submission(self, student: str, auto_scores: dict[str, float]) -> int:
        """The rows of a new submission of the chapter by ``student`` (and the student's, if new),
        as nbgrader's ``add_submission`` makes them: a grade per grade cell and per task cell, a
        comment per solution cell and per task cell, of each of the assignment's notebooks; each
        grade cell's grade with its auto score from ``auto_scores``.
        ``tests/graders/test_nbgrader_bridge.py`` holds every column of every row equal to
        nbgrader's. Returns how many grades got a score."""
        db = self.gradebook.db
        if db.scalar(select(Student.id).where(Student.id == student)) is None:
            db.execute(insert(Student.__table__), [{"id": student}])
        submission_id = new_uuid()
        db.execute(insert(SubmittedAssignment.__table__),
                   [{"id": submission_id, "assignment_id": self._assignment_id, "student_id": student}])
        notebooks, grades, comments, updated = [], [], [], 0
        for layout in self._notebooks:
            notebook_id = new_uuid()
            notebooks.append({"id": notebook_id, "assignment_id": submission_id, "notebook_id": layout.id})
            for cell_id, name in layout.grade_cells:
                score = auto_scores.get(name)
                grades.append({"notebook_id": notebook_id, "cell_id": cell_id, "auto_score": score,
                               "needs_manual_grade": needs_manual_grade(score, None)})
                updated += name in auto_scores
            for cell_id in layout.solution_cells + layout.task_cells:
                comments.append({"notebook_id": notebook_id, "cell_id": cell_id})
            for cell_id in layout.task_cells:
                grades.append({"notebook_id": notebook_id, "cell_id": cell_id, "auto_score": None,
                               "needs_manual_grade": needs_manual_grade(None, None)})
        for table, rows in ((SubmittedNotebook.__table__, notebooks), (Grade.__table__, grades),
                            (Comment.__table__, comments)):
            if rows:
                db.execute(insert(table), rows)  # one executemany; the ids from the columns' default
        return updated

    def _rescore(self, submission_id: str, auto_scores: dict[str, float]) -> int:
        """A regrade: the auto scores of the submission's grade cells' grades, updated by their
        ids (a manual score stays, and its grade is marked for review). Returns how many grades
        got a score."""
        db = self.gradebook.db
        grades = db.execute(select(Grade.id, Grade.cell_id, Grade.manual_score)
                            .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                            .where(SubmittedNotebook.assignment_id == submission_id)).all()
        rows = []
        for grade, cell, manual_score in grades:
            score = auto_scores.get(self._grade_cell_names.get(cell))
            if score is not None:
                rows.append({"grade_id": grade, "score": score, "flag": needs_manual_grade(score, manual_score)})
        if rows:
            table = Grade.__table__
            db.execute(update(table).where(table.c.id == bindparam("grade_id")).values(
                auto_score=bindparam("score"), needs_manual_grade=bindparam("flag")), rows)
        return len(rows)


def needs_manual_grade(auto_score: float | None, manual_score: float | None) -> bool:
    """Whether a grade needs a TA's eye, as nbgrader's autograder (``SaveAutoGrades``) decides it:
    where it has no auto score, or a TA scored it by hand before (to review)."""
    return manual_score is not None or auto_score is None


def record(gradebook_url: str, chapter: Chapter, student: str, result: SubmissionResult) -> int:
    """Write one result (opening and closing the gradebook)."""
    with GradebookWriter(gradebook_url, chapter) as writer:
        return writer.record(student, result)


def open_gradebook(url: str) -> Gradebook:
    """nbgrader's gradebook at ``url``, created if new.

    nbgrader stamps a new gradebook with its schema's newest revision, which it learns by running
    the ``alembic heads`` command in a subprocess: 5 s of CPU on a 2-core VM, in the batch's own
    process's time while the grading processes want the cores. The same revision is read here
    with alembic's own API, in 0.2 s, and handed to nbgrader for as long as it opens the gradebook.
    ``tests/graders/test_nbgrader_bridge.py`` holds it equal to what ``alembic heads`` prints.
    """
    _alembic_on_path()  # for nbgrader's own way, should another nbgrader version not take the revision
    with _schema_revision_known():
        return Gradebook(url)


@functools.cache
def schema_revision() -> str:
    """The newest revision of nbgrader's gradebook schema, from its alembic scripts."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    config = Config()
    config.set_main_option("script_location", ALEMBIC_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


@contextlib.contextmanager
def _schema_revision_known():
    """nbgrader's ``get_alembic_version`` (the subprocess) answered by :func:`schema_revision`."""
    original = nbgrader.api.get_alembic_version
    nbgrader.api.get_alembic_version = schema_revision
    try:
        yield
    finally:
        nbgrader.api.get_alembic_version = original


def _alembic_on_path() -> None:
    """nbgrader runs the ``alembic`` command to check its schema: make the one installed next to
    this interpreter findable even when the venv is not activated."""
    bin_dir = os.path.dirname(sys.executable)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def scores(gradebook_url: str, assignment: str) -> dict[str, float]:
    """``{student: score}`` as nbgrader computes it (manual scores winning over auto scores)."""
    with open_gradebook(gradebook_url) as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions(assignment)}

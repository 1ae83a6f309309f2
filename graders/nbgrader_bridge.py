"""Scores into nbgrader's gradebook, so formgrader shows them.

Each check is an autograded grade cell of the chapter's notebook (grade id
``<exercise>__<check>``, the check's points, as :mod:`graders.notebooks` generates them). A
graded submission sets the ``auto_score`` of its grades; a ``manual_score`` a TA already set is
never touched (and nbgrader lets it win).
"""
from __future__ import annotations

import contextlib
import functools
import os
import sys
import warnings

import nbgrader.api
from nbgrader.api import Comment, Grade, Gradebook, MissingEntry, Student, SubmittedAssignment, SubmittedNotebook
from sqlalchemy import select
from sqlalchemy.exc import SAWarning, SQLAlchemyError
from sqlalchemy.orm import joinedload

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
    then each check's grade found with ``find_grade`` (a six-table query) and the whole committed.
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
            updated += 1
    gradebook.db.commit()
    return updated


class GradebookWriter:
    """An open gradebook for a batch, opened once (importing nbgrader alone takes seconds).

    Use as a context manager; :meth:`record` writes one result's check scores as auto scores.
    """

    def __init__(self, url: str, chapter: Chapter):
        self.chapter = chapter
        self.gradebook = open_gradebook(url)
        ensure_assignment(self.gradebook, chapter)

    def __enter__(self) -> "GradebookWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.gradebook.close()

    def record(self, student: str, result: SubmissionResult) -> int:
        """Set the auto score of every check of ``result``; returns how many grades were set (a
        check whose grade cell the gradebook lacks is passed over).

        The batch's own process writes the gradebook while the grading processes want its cores
        (``benchmarks/bench_gradebook.py``), so each result is one transaction. A new submission is
        made with its auto scores in place (:meth:`_add_submission`). A regrade reads the
        submitted notebook's grades at once, with their cells, and picks them by the cells' names:
        nbgrader's ``find_grade`` would make a six-table query for each check (28 in ch06)."""
        gradebook, assignment = self.gradebook, self.chapter.id
        auto_scores = {grade_id(exercise.id, check.name): float(check.points)
                       for exercise in result.exercises for check in exercise.checks}
        try:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
        except MissingEntry:
            return self._add_submission(student, auto_scores)
        grades = {grade.name: grade for grade in gradebook.db.scalars(
            select(Grade).where(Grade.notebook_id == notebook.id).options(joinedload(Grade.cell)))}
        updated = 0
        for name, score in auto_scores.items():
            if name in grades:
                grades[name].auto_score = score
                updated += 1
        gradebook.db.commit()
        return updated

    def _add_submission(self, student: str, auto_scores: dict[str, float]) -> int:
        """A new submission of the chapter by ``student`` (and the student, if new), made as
        nbgrader's ``add_submission`` makes it (a grade per grade cell and per task cell, a
        comment per solution cell and per task cell, of each of the assignment's notebooks), with
        its grades' auto scores set from ``auto_scores`` (by grade cell name), in one commit where
        nbgrader's own way (:func:`record_nbgraders_way`) takes three and then the grades' update:
        half the time. ``tests/graders/test_nbgrader_bridge.py`` holds the rows equal to nbgrader's.
        Returns how many grades got a score; 0 where the submission exists without the chapter's
        notebook."""
        gradebook = self.gradebook
        with contextlib.suppress(MissingEntry):
            gradebook.find_submission(self.chapter.id, student)
            return 0
        try:
            with gradebook.db.no_autoflush:  # the rows are flushed once, whole
                submission, updated = self._submission_rows(student, auto_scores)
                gradebook.db.add(submission)
            gradebook.db.commit()
        except SQLAlchemyError:
            gradebook.db.rollback()
            raise
        return updated

    def _submission_rows(self, student: str, auto_scores: dict[str, float]) -> tuple[SubmittedAssignment, int]:
        """The rows of :meth:`_add_submission`, not yet added to the session, and how many grades
        got a score."""
        gradebook, updated = self.gradebook, 0
        try:
            owner = gradebook.find_student(student)
        except MissingEntry:
            owner = Student(id=student)
        assignment = gradebook.find_assignment(self.chapter.id)
        submission = SubmittedAssignment(assignment=assignment, student=owner)
        for notebook in assignment.notebooks:
            submitted = SubmittedNotebook(notebook=notebook, assignment=submission)
            for cell in notebook.grade_cells:
                Grade(cell_id=cell.id, notebook=submitted, auto_score=auto_scores.get(cell.name))
                updated += cell.name in auto_scores
            for cell in notebook.solution_cells:
                Comment(cell_id=cell.id, notebook=submitted)
            for cell in notebook.task_cells:
                Comment(cell_id=cell.id, notebook=submitted)
                Grade(cell_id=cell.id, notebook=submitted)
        return submission, updated


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

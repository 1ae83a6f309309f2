"""Scores into nbgrader's gradebook, so formgrader shows them: the one module of geodl that knows
nbgrader's internals.

Each check is an autograded grade cell of the chapter's notebook (its points; its grade id from
:func:`graders.chapters.grade_ids`, as :mod:`graders.authoring.notebooks` generates the notebook
with: ``<exercise>__<check>`` for a public check, an opaque ``<exercise>__hidden_<k>`` for a
hidden one); each module's cell is a solution cell, on which a TA's comment is kept (a
submission gets a comment row per solution cell, as nbgrader's ``add_submission`` makes it).

A graded submission sets the ``auto_score`` of its grades (none where the check has no result);
a ``manual_score`` or ``manual_comment`` a TA set in formgrader is never touched, and nbgrader
lets a manual score win. A grade's ``needs_manual_grade`` (formgrader's "needs manual grade", and
the "Resolve" button of its cell) follows :func:`needs_manual_grade`: as nbgrader's autograder
sets it for a new grade, and on a regrade raised where the auto score changed under a TA's
manual score (the TA resolves it in formgrader). With what the autograded notebook's writing
found (:class:`NotebookFacts`, :mod:`graders.batch.autograded`), the submission also gets the
timestamp formgrader compares with the submitted one, and each solution cell the student left as
released nbgrader's auto comment "No response.".

Three shortcuts lean on nbgrader's internals, for the batch's own process, which writes the
gradebook while the grading processes want the cores:

1. nbgrader's package is imported without its ``__init__`` (:func:`_import_package_alone`);
2. a result's rows are written as SQL statements on nbgrader's tables
   (:meth:`GradebookWriter._add_submission`, :meth:`GradebookWriter._rescore`);
3. a new gradebook learns its schema revision from alembic's API instead of a subprocess
   (:func:`open_gradebook`).

They are taken only with the nbgrader version and gradebook schema revision they were written
and tested against (:data:`NBGRADER_VERSION`, :data:`SCHEMA_REVISION`; :func:`internals_known`).
With any other, geodl goes through nbgrader's own API (:func:`record_through_api`), which
``tests/graders/batch/test_gradebook.py`` also holds the shortcuts' rows equal to.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import importlib.metadata
import importlib.util
import os
import sys
import warnings
from typing import Iterable, Iterator, Sequence

#: The nbgrader release whose internals this module uses.
NBGRADER_VERSION = "0.9.6"
#: The newest revision of that release's gradebook schema.
SCHEMA_REVISION = "e43177bfe90b"


def installed_nbgrader_version() -> str | None:
    """The version of the nbgrader distribution installed here (None if none is)."""
    try:
        return importlib.metadata.version("nbgrader")
    except importlib.metadata.PackageNotFoundError:
        return None


def _import_package_alone(name: str = "nbgrader") -> None:
    """Put package ``name`` in ``sys.modules`` without running its ``__init__``, with its
    ``__version__`` from its ``_version`` module; no-op where it is imported already.

    ``nbgrader/__init__.py`` imports its four Jupyter server extensions, and with them its apps,
    its exchange, nbconvert and jupyter_server: over half of what ``import nbgrader.api`` costs
    (``benchmarks/README.md``, "Figures behind the code"), none of which the gradebook needs. Every module of nbgrader
    still imports as usual, found by the package's ``__path__``; missing is only what a Jupyter
    server asks of the package (its extension points), and no geodl process is one."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    try:
        version = importlib.import_module(f"{name}._version")
    except ImportError:
        return
    package.__version__ = getattr(version, "__version__", None)  # type: ignore[attr-defined]


if installed_nbgrader_version() == NBGRADER_VERSION:
    _import_package_alone()

# isort: split
import nbgrader  # noqa: E402
import nbgrader.api  # noqa: E402
from nbgrader.api import (  # noqa: E402
    Assignment,
    Comment,
    Grade,
    Gradebook,
    GradeCell,
    InvalidEntry,
    MissingEntry,
    Notebook,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
    new_uuid,
)
from sqlalchemy import bindparam, insert, select, update  # noqa: E402
from sqlalchemy.exc import IntegrityError, SAWarning, SQLAlchemyError  # noqa: E402

from graders.batch.autograded import NotebookFacts  # noqa: E402
from graders.batch.store import storable_name  # noqa: E402
from graders.chapters import grade_ids  # noqa: E402
from graders.grading.result import SubmissionResult  # noqa: E402
from graders.grading.spec import Chapter  # noqa: E402


def internals_known() -> bool:
    """Whether the nbgrader imported here is :data:`NBGRADER_VERSION` (the shortcuts 1 and 3 are
    taken only then; 2 also needs the gradebook at :data:`SCHEMA_REVISION`: :func:`stamped_revision`)."""
    return getattr(nbgrader, "__version__", None) == NBGRADER_VERSION


def stamped_revision(gradebook: Gradebook) -> str | None:
    """The schema revision alembic stamped the gradebook with (None if it has none)."""
    from sqlalchemy import text

    try:
        return gradebook.db.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        gradebook.db.rollback()
        return None


def ensure_assignment(gradebook: Gradebook, chapter: Chapter, solution_cells: Sequence[str] = ()) -> None:
    """The assignment, its notebook, one grade cell per check and the solution cells named
    (created or updated)."""
    gradebook.update_or_create_assignment(chapter.id)
    gradebook.update_or_create_notebook(chapter.id, chapter.id)
    ids = grade_ids(chapter)
    for exercise in chapter.exercises.values():
        for check in exercise.checks:
            gradebook.update_or_create_grade_cell(ids[exercise.id, check.name], chapter.id, chapter.id,
                                                  max_score=check.points, cell_type="code")
    for name in solution_cells:
        gradebook.update_or_create_solution_cell(name, chapter.id, chapter.id)


#: nbgrader's auto comment on a solution cell left as released.
NO_RESPONSE = "No response."


def auto_comment(cell: str, facts: NotebookFacts) -> str | None:
    """nbgrader's auto comment on the solution cell named ``cell``."""
    return NO_RESPONSE if cell in facts.unanswered else None


def record_through_api(gradebook: Gradebook, chapter: Chapter, student: str, result: SubmissionResult,
                       facts: NotebookFacts | None = None) -> int:
    """What :meth:`GradebookWriter.record` does, the way nbgrader's API offers it: the student and
    the submission made with ``update_or_create_student`` and ``add_submission`` (a commit each),
    then each check's grade found with ``find_grade`` (a six-table query), given its auto score
    (None where the check has no result) and flagged by :func:`needs_manual_grade`; with
    ``facts``, the submission's timestamp and the solution cells' auto comments set (a comment
    row the submission lacks, made); the whole committed. What :class:`GradebookWriter` does where
    nbgrader's internals are not the known ones, and the reference
    ``tests/graders/batch/test_gradebook.py`` holds its shortcuts' rows equal to
    (``benchmarks/bench_gradebook.py`` times them against it). Returns how many grades were set."""
    assignment, ids = chapter.id, grade_ids(chapter)
    gradebook.update_or_create_student(student)
    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:
        with warnings.catch_warnings():  # nbgrader's add_submission autoflushes half-built rows
            warnings.simplefilter("ignore", SAWarning)
            submission = gradebook.add_submission(assignment, student)
    scored = {(exercise.id, check.name): float(check.points) for exercise in result.exercises
              for check in exercise.checks}
    updated = 0
    for key, cell in ids.items():
        try:
            grade = gradebook.find_grade(cell, assignment, assignment, student)
        except MissingEntry:
            continue
        score = scored.get(key)
        grade.needs_manual_grade = needs_manual_grade(score, grade.manual_score, before=grade.auto_score,
                                                      flagged=grade.needs_manual_grade)
        grade.auto_score = score
        updated += score is not None
    if facts is not None:
        submission.timestamp = facts.timestamp
        for notebook in submission.notebooks:
            have = {comment.cell_id for comment in notebook.comments}
            for cell in notebook.notebook.solution_cells + notebook.notebook.task_cells:
                if cell.id not in have:
                    Comment(cell_id=cell.id, notebook=notebook)
            for comment in notebook.comments:
                if comment.cell.type == "SolutionCell":
                    comment.auto_comment = auto_comment(comment.cell.name, facts)
    gradebook.db.commit()
    return updated


@dataclasses.dataclass(frozen=True)
class _NotebookLayout:
    """One notebook of the assignment, as the gradebook holds it: the ids of the rows a
    submission of it gets a grade or a comment for."""

    id: str
    grade_cells: tuple[tuple[str, str], ...]     #: (cell id, cell name) of each autograded or manual grade cell
    solution_cells: tuple[tuple[str, str], ...]  #: (cell id, cell name)
    task_cells: tuple[str, ...]                  #: cell ids


#: How many times a gradebook write is tried that another batch's write of the same row (two
#: batches on one database at once) broke with a unique-key clash.
_CONCURRENT_ATTEMPTS = 3


class GradebookWriter:
    """An open gradebook for a batch, opened once (importing nbgrader and opening it take half a second).

    Two batches may write one gradebook at once: where both add the same row (the chapter's grade
    cells, a new student's submission), the one that loses the race rolls back and tries again,
    finding the other's row.

    Use as a context manager; :meth:`record` writes one result's check scores as auto scores.
    The assignment's notebooks and cells are read once, as the writer opens (after making sure
    the chapter's grade cells and the ``solution_cells`` named are there): a batch does not
    change them.
    """

    def __init__(self, url: str, chapter: Chapter, *, solution_cells: Sequence[str] = ()):
        self.chapter = chapter
        self._grade_ids = grade_ids(chapter)
        self.gradebook = open_gradebook(url)
        #: the rows are written as SQL statements (else through nbgrader's API): see the module
        self.shortcuts = internals_known() and stamped_revision(self.gradebook) == SCHEMA_REVISION
        # Another batch making the same rows at once (a commit each) may clash with each of them:
        # nbgrader rolls back, and each retry finds one more row made.
        for _ in range(len(self._grade_ids) + len(solution_cells) + 2):
            try:
                ensure_assignment(self.gradebook, chapter, solution_cells)
                break
            except InvalidEntry:
                pass
        else:
            ensure_assignment(self.gradebook, chapter, solution_cells)
        assignment = self.gradebook.find_assignment(chapter.id)
        self._assignment_id = assignment.id
        self._notebooks = tuple(_NotebookLayout(
            id=notebook.id, grade_cells=tuple((cell.id, cell.name) for cell in notebook.grade_cells),
            solution_cells=tuple((cell.id, cell.name) for cell in notebook.solution_cells),
            task_cells=tuple(cell.id for cell in notebook.task_cells)) for notebook in assignment.notebooks)
        chapter_cells = set(self._grade_ids.values())
        #: cell id -> grade id, of the chapter's checks' grade cells (in the chapter's notebook)
        self._check_cells = {cell: name for notebook, layout in zip(assignment.notebooks, self._notebooks)
                             if notebook.name == chapter.id for cell, name in layout.grade_cells
                             if name in chapter_cells}
        self.gradebook.db.commit()

    def __enter__(self) -> "GradebookWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.gradebook.close()

    def record(self, student: str, result: SubmissionResult, facts: NotebookFacts | None = None) -> int:
        """Set the auto score of every check of ``result`` (by grade cell name; a check of the
        chapter without a result gets none), in one transaction; returns how many grades got a
        score (a check whose grade cell the gradebook lacks is passed over). With ``facts``
        (what the autograded notebook's writing found), the submission's timestamp and its
        solution cells' auto comments are set too.

        The batch's own process writes the gradebook while the grading processes want its cores
        (``benchmarks/bench_gradebook.py``), so the rows are written as SQL statements, one per
        table, from the assignment's layout read at open: a new submission as nbgrader's
        ``add_submission`` makes it, with its auto scores in place (:meth:`_add_submission`); a
        regrade's grades updated by their ids (:meth:`_rescore`). nbgrader's own way
        (:func:`record_through_api`) makes a six-table query for each check (28 in ch06) and
        builds an ORM object per row.

        ``student`` is written as the results store holds it (:func:`~graders.batch.store.storable_name`:
        a name with NUL, which PostgreSQL's text refuses, in ``encode_name``'s form)."""
        student = storable_name(student)
        for _ in range(_CONCURRENT_ATTEMPTS - 1):
            try:
                return self._record_once(student, result, facts)
            except (IntegrityError, InvalidEntry):  # another batch added this student at the same moment
                self.gradebook.db.rollback()
        return self._record_once(student, result, facts)

    def _record_once(self, student: str, result: SubmissionResult, facts: NotebookFacts | None) -> int:
        """One transaction of :meth:`record`."""
        if not self.shortcuts:
            return record_through_api(self.gradebook, self.chapter, student, result, facts)
        auto_scores = {self._grade_ids[exercise.id, check.name]: float(check.points)
                       for exercise in result.exercises for check in exercise.checks
                       if (exercise.id, check.name) in self._grade_ids}
        db = self.gradebook.db
        try:
            submission_id = db.scalar(select(SubmittedAssignment.id).where(
                SubmittedAssignment.assignment_id == self._assignment_id, SubmittedAssignment.student_id == student))
            if submission_id is None:
                updated = self._add_submission(student, auto_scores, facts)
            else:
                updated = self._rescore(submission_id, auto_scores, facts)
            db.commit()
        except SQLAlchemyError:
            db.rollback()
            raise
        return updated

    def _add_submission(self, student: str, auto_scores: dict[str, float], facts: NotebookFacts | None) -> int:
        """The rows of a new submission of the chapter by ``student`` (and the student's, if new),
        as nbgrader's ``add_submission`` makes them: a grade per grade cell and per task cell, a
        comment per solution cell and per task cell, of each of the assignment's notebooks; each
        grade cell's grade with its auto score from ``auto_scores``; with ``facts``, the
        submission's timestamp and the solution cells' auto comments.
        ``tests/graders/batch/test_gradebook.py`` holds every column of every row equal to
        nbgrader's. Returns how many grades got a score."""
        db = self.gradebook.db
        if db.scalar(select(Student.id).where(Student.id == student)) is None:
            db.execute(insert(Student.__table__), [{"id": student}])
        submission_id = new_uuid()
        db.execute(insert(SubmittedAssignment.__table__),
                   [{"id": submission_id, "assignment_id": self._assignment_id, "student_id": student,
                     "timestamp": facts.timestamp if facts is not None else None}])
        notebooks, grades, comments, updated = [], [], [], 0
        for layout in self._notebooks:
            notebook_id = new_uuid()
            notebooks.append({"id": notebook_id, "assignment_id": submission_id, "notebook_id": layout.id})
            for cell_id, name in layout.grade_cells:
                score = auto_scores.get(name)
                grades.append({"notebook_id": notebook_id, "cell_id": cell_id, "auto_score": score,
                               "needs_manual_grade": needs_manual_grade(score, None)})
                updated += name in auto_scores
            for cell_id, name in layout.solution_cells:
                comments.append({"notebook_id": notebook_id, "cell_id": cell_id,
                                 "auto_comment": auto_comment(name, facts) if facts is not None else None})
            for cell_id in layout.task_cells:
                comments.append({"notebook_id": notebook_id, "cell_id": cell_id, "auto_comment": None})
            for cell_id in layout.task_cells:
                grades.append({"notebook_id": notebook_id, "cell_id": cell_id, "auto_score": None,
                               "needs_manual_grade": needs_manual_grade(None, None)})
        for table, rows in ((SubmittedNotebook.__table__, notebooks), (Grade.__table__, grades),
                            (Comment.__table__, comments)):
            if rows:
                db.execute(insert(table), rows)  # one executemany; the ids from the columns' default
        return updated

    def _rescore(self, submission_id: str, auto_scores: dict[str, float], facts: NotebookFacts | None) -> int:
        """A regrade: the auto scores of the submission's grades of the chapter's checks, updated
        by their ids (a manual score stays; :func:`needs_manual_grade` flags the grade where its
        auto score changed under it); with ``facts``, the submission's timestamp and the solution
        cells' auto comments too (a comment row it lacks, made: a submission recorded before the
        gradebook knew the solution cells). Returns how many grades got a score."""
        db = self.gradebook.db
        in_submission = SubmittedNotebook.assignment_id == submission_id
        grades = db.execute(select(Grade.id, Grade.cell_id, Grade.auto_score, Grade.manual_score,
                                   Grade.needs_manual_grade)
                            .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                            .where(in_submission)).all()
        rows = []
        for grade, cell, before, manual_score, flagged in grades:
            name = self._check_cells.get(cell)
            if name is not None:
                score = auto_scores.get(name)
                rows.append({"grade_id": grade, "score": score,
                             "flag": needs_manual_grade(score, manual_score, before=before, flagged=flagged)})
        if rows:
            table = Grade.__table__
            db.execute(update(table).where(table.c.id == bindparam("grade_id")).values(
                auto_score=bindparam("score"), needs_manual_grade=bindparam("flag")), rows)
        if facts is not None:
            self._date_and_comment(submission_id, facts)
        return sum(row["score"] is not None for row in rows)

    def _date_and_comment(self, submission_id: str, facts: NotebookFacts) -> None:
        """A regraded submission's timestamp and its solution cells' auto comments (each comment
        row it lacks, made)."""
        db = self.gradebook.db
        assignments = SubmittedAssignment.__table__
        db.execute(update(assignments).where(assignments.c.id == submission_id).values(timestamp=facts.timestamp))
        notebooks = dict(db.execute(select(SubmittedNotebook.notebook_id, SubmittedNotebook.id)
                                    .where(SubmittedNotebook.assignment_id == submission_id)).all())
        existing = {(notebook, cell): comment for comment, notebook, cell in db.execute(
            select(Comment.id, Comment.notebook_id, Comment.cell_id)
            .join(SubmittedNotebook, Comment.notebook_id == SubmittedNotebook.id)
            .where(SubmittedNotebook.assignment_id == submission_id)).all()}
        changes, missing = [], []
        for layout in self._notebooks:
            notebook = notebooks.get(layout.id)
            if notebook is None:
                continue
            for cell, name in layout.solution_cells:
                text = auto_comment(name, facts)
                if (notebook, cell) in existing:
                    changes.append({"comment_id": existing[notebook, cell], "text": text})
                else:
                    missing.append({"notebook_id": notebook, "cell_id": cell, "auto_comment": text})
            missing += [{"notebook_id": notebook, "cell_id": cell, "auto_comment": None}
                        for cell in layout.task_cells if (notebook, cell) not in existing]
        table = Comment.__table__
        if changes:
            db.execute(update(table).where(table.c.id == bindparam("comment_id")).values(
                auto_comment=bindparam("text")), changes)
        if missing:
            db.execute(insert(table), missing)


def needs_manual_grade(auto_score: float | None, manual_score: float | None, *, before: float | None = None,
                       flagged: bool = False) -> bool:
    """Whether a grade needs a TA's eye once its auto score is ``auto_score``.

    A grade without an auto score does (nbgrader's rule); one without a manual score does not.
    One a TA scored by hand does where its auto score changed (from ``before``) under the TA's
    score: the TA's score was given for other work, and stays until the TA resolves it in
    formgrader; where it did not change, it keeps its flag (``flagged``), so a resumed batch
    or a regrade that changes nothing does not undo a TA's "Resolve". (nbgrader's
    ``SaveAutoGrades`` flags every hand-scored grade at each autograde; its autograde runs once
    per submission, where geodl's catch-up writes every stored result again.)

    >>> needs_manual_grade(None, None), needs_manual_grade(1.0, None), needs_manual_grade(1.0, 0.5, before=0.0)
    (True, False, True)
    >>> needs_manual_grade(1.0, 0.5, before=1.0), needs_manual_grade(1.0, 0.5, before=1.0, flagged=True)
    (False, True)
    """
    if auto_score is None:
        return True
    if manual_score is None:
        return False
    return flagged or auto_score != before


def foreign_rows(url: str, chapter: Chapter, students: Iterable[str]) -> str | None:
    """Why the gradebook at ``url`` is not the class's (one line), or None where it is, or holds
    nothing of the assignment yet, or does not exist: it holds submissions of the chapter by
    students not in ``students`` (the class's names, as discovery gives them), or an assignment
    of the chapter's name whose grade cells are none of the chapter's. Reads only: a gradebook
    that does not exist is not made, and one that cannot be read is left to the batch to report."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not os.path.isfile(parsed.database or ""):
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(SubmittedAssignment.__tablename__):
                return None
            theirs = set(connection.scalars(
                select(SubmittedAssignment.student_id)
                .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                .where(Assignment.name == chapter.id)).all())
            cells = set(connection.scalars(
                select(GradeCell.name).join(Notebook, GradeCell.notebook_id == Notebook.id)
                .join(Assignment, Notebook.assignment_id == Assignment.id).where(Assignment.name == chapter.id)).all())
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()
    if cells and not cells & set(grade_ids(chapter).values()):
        example = ", ".join(repr(name) for name in sorted(cells)[:3])
        return (f"holds an assignment {chapter.id} whose grade cells ({example}...) are none of geodl's "
                f"{chapter.id} checks")
    others = sorted(theirs - {storable_name(student) for student in students})
    if others:
        shown = ", ".join(repr(name) for name in others[:3]) + (", ..." if len(others) > 3 else "")
        return (f"holds {chapter.id} submissions of {len(others)} student{'s' if len(others) > 1 else ''} who "
                f"{'are' if len(others) > 1 else 'is'} not in this class ({shown})")
    return None


def open_gradebook(url: str) -> Gradebook:
    """nbgrader's gradebook at ``url``, created if new.

    nbgrader stamps a new gradebook with its schema's newest revision, which it learns by running
    the ``alembic heads`` command in a subprocess: seconds of CPU in the batch's own process while
    the grading processes want the cores. The same revision is read here with alembic's own API,
    far faster, and handed to nbgrader for as long as it opens the gradebook (the known nbgrader
    version only). ``tests/graders/batch/test_gradebook.py`` holds it equal to what
    ``alembic heads`` prints. Two batches creating one new gradebook at once may clash making
    its tables; the loser opens it again, finding them made.
    """
    _alembic_on_path()  # for nbgrader's own way, where the revision is not known here
    for _ in range(_CONCURRENT_ATTEMPTS - 1):
        try:
            return _new_gradebook(url)
        except SQLAlchemyError:  # another batch made the new gradebook's tables at the same moment
            pass
    return _new_gradebook(url)


def _new_gradebook(url: str) -> Gradebook:
    """nbgrader's ``Gradebook(url)``, told the schema revision where the version is known."""
    if not internals_known():
        return Gradebook(url)
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
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError(f"nbgrader's alembic scripts in {ALEMBIC_DIR} have no head revision")
    return head


@contextlib.contextmanager
def _schema_revision_known() -> Iterator[None]:
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

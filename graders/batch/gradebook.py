"""Scores into nbgrader's gradebook, so formgrader shows them: the one module of geodl that knows
nbgrader's internals.

Each check is an autograded grade cell of the chapter's notebook (its points; its grade id from
:func:`graders.chapters.grade_ids`, as :mod:`graders.authoring.notebooks` generates the notebook
with: ``<exercise>__<check>`` for a public check, an opaque ``<exercise>__hidden_<k>`` for a
hidden one). A graded submission sets the ``auto_score`` of its grades and, as nbgrader's autograder
does, their ``needs_manual_grade`` (a grade with an auto score and no manual score needs none;
one a TA already scored by hand is marked for review); a ``manual_score`` a TA already set is
never touched (and nbgrader lets it win).

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
from typing import Iterator

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
    Comment,
    Grade,
    Gradebook,
    InvalidEntry,
    MissingEntry,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
    new_uuid,
)
from sqlalchemy import bindparam, insert, select, update  # noqa: E402
from sqlalchemy.exc import IntegrityError, SAWarning, SQLAlchemyError  # noqa: E402

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


def ensure_assignment(gradebook: Gradebook, chapter: Chapter) -> None:
    """The assignment, its notebook and one grade cell per check (created or updated)."""
    gradebook.update_or_create_assignment(chapter.id)
    gradebook.update_or_create_notebook(chapter.id, chapter.id)
    ids = grade_ids(chapter)
    for exercise in chapter.exercises.values():
        for check in exercise.checks:
            gradebook.update_or_create_grade_cell(ids[exercise.id, check.name], chapter.id, chapter.id,
                                                  max_score=check.points, cell_type="code")


def record_through_api(gradebook: Gradebook, chapter: Chapter, student: str, result: SubmissionResult) -> int:
    """What :meth:`GradebookWriter.record` does, the way nbgrader's API offers it: the student and
    the submission made with ``update_or_create_student`` and ``add_submission`` (a commit each),
    then each check's grade found with ``find_grade`` (a six-table query), given its auto score
    and flagged as nbgrader's ``SaveAutoGrades`` flags it (:func:`needs_manual_grade`), and the
    whole committed. What :class:`GradebookWriter` does where nbgrader's internals are not the
    known ones, and the reference ``tests/graders/batch/test_gradebook.py`` holds its shortcuts'
    rows equal to (``benchmarks/bench_gradebook.py`` times them against it). Returns how many
    grades were set."""
    assignment, ids = chapter.id, grade_ids(chapter)
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
            cell = ids.get((exercise.id, check.name))
            if cell is None:  # a check the chapter's notebook has no cell for
                continue
            try:
                grade = gradebook.find_grade(cell, assignment, assignment, student)
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
    the chapter's grade cells are there): a batch does not change them.
    """

    def __init__(self, url: str, chapter: Chapter):
        self.chapter = chapter
        self._grade_ids = grade_ids(chapter)
        self.gradebook = open_gradebook(url)
        #: the rows are written as SQL statements (else through nbgrader's API): see the module
        self.shortcuts = internals_known() and stamped_revision(self.gradebook) == SCHEMA_REVISION
        # Another batch making the same rows at once (a commit each) may clash with each of them:
        # nbgrader rolls back, and each retry finds one more row made.
        for _ in range(len(self._grade_ids) + 2):
            try:
                ensure_assignment(self.gradebook, chapter)
                break
            except InvalidEntry:
                pass
        else:
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
        (:func:`record_through_api`) makes a six-table query for each check (28 in ch06) and
        builds an ORM object per row.

        ``student`` is written as the results store holds it (:func:`~graders.batch.store.storable_name`:
        a name with NUL, which PostgreSQL's text refuses, in ``encode_name``'s form)."""
        student = storable_name(student)
        for _ in range(_CONCURRENT_ATTEMPTS - 1):
            try:
                return self._record_once(student, result)
            except (IntegrityError, InvalidEntry):  # another batch added this student at the same moment
                self.gradebook.db.rollback()
        return self._record_once(student, result)

    def _record_once(self, student: str, result: SubmissionResult) -> int:
        """One transaction of :meth:`record`."""
        if not self.shortcuts:
            return record_through_api(self.gradebook, self.chapter, student, result)
        auto_scores = {self._grade_ids[exercise.id, check.name]: float(check.points)
                       for exercise in result.exercises for check in exercise.checks
                       if (exercise.id, check.name) in self._grade_ids}
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
            score = auto_scores.get(self._grade_cell_names.get(cell, ""))
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

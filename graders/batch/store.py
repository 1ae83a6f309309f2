"""The results store: every graded submission, committed as one transaction the moment its
result exists (SQLite by default; any SQLAlchemy URL, e.g. PostgreSQL).

Per check it records the outcome, message, seed; per submission the grader version, the
submission hash and the full result JSON. Per exercise it keeps ``auto_score`` (from the
checks), ``manual_score`` (a TA's override, which wins) and ``extra_credit`` apart, as
nbgrader's grade record does.

Student names
-------------
A student is stored under her name as discovery gives it
(:func:`graders.grading.names.encode_name`, documented in :mod:`graders.batch.discovery`):
valid UTF-8 without NUL, so SQLite and PostgreSQL hold it as it is and :meth:`ResultStore.latest`
gives it back unchanged; two folders never share one. A name in any other form is stored as
``encode_name`` gives it, and read back in that form: one holding lone surrogates (a non-UTF-8
folder name as ``os.fsdecode`` reads it, which UTF-8 cannot encode: the ``UnicodeEncodeError``
that once stopped a batch) or NUL (which SQLite holds, though its SQL functions stop at it, and
PostgreSQL refuses). The same goes for the ``path`` and ``message`` columns (a student's code
can put NUL in a check's message) and for any string of the stored result JSON that holds a lone
surrogate (PostgreSQL refuses its ``\\udcXX`` escape there; a NUL's ``\\u0000`` it holds, so the
results :meth:`ResultStore.latest` gives back carry their messages exactly as they were). What a
person reads is :func:`~graders.grading.names.display_name` of a name.

Seeds
-----
The ``seed`` columns are ``BIGINT``: a check's seed has 63 bits
(:meth:`graders.grading.settings.GradingSettings.check_seed`), which PostgreSQL's ``INTEGER``
refuses. A PostgreSQL store made before needs ``ALTER TABLE geodl_checks ALTER COLUMN seed TYPE
BIGINT`` (and the same on ``geodl_submissions``); SQLite's integers have 64 bits either way.

The ``student`` column is declared ``VARCHAR(1024)`` (it was ``VARCHAR(200)``): a folder name
has at most 255 bytes, and its stored form at most four characters per byte. SQLite ignores a
declared length, so a store made before holds any name as it is; a PostgreSQL store made before
needs ``ALTER TABLE geodl_submissions ALTER COLUMN student TYPE VARCHAR(1024)`` for names over
200 characters.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from graders.grading.names import encode_name
from graders.grading.result import SubmissionResult

#: The declared length of a stored student name: a folder name's 255 bytes, four characters each.
STUDENT_NAME_CHARS = 1024


class Base(DeclarativeBase):
    pass


class SubmissionRow(Base):
    """One graded submission of one student for one assignment."""

    __tablename__ = "geodl_submissions"
    __table_args__ = (UniqueConstraint("assignment", "student", "sha256", "grader_version", "seed", "include_hidden"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment: Mapped[str] = mapped_column(String(32), index=True)        #: 'ch06'
    student: Mapped[str] = mapped_column(String(STUDENT_NAME_CHARS), index=True)  #: encode_name's form
    sha256: Mapped[str] = mapped_column(String(64))                         #: hash of the submitted files
    grader_version: Mapped[str] = mapped_column(String(32))
    seed: Mapped[int] = mapped_column(BigInteger)                           #: base seed of the checks
    include_hidden: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16))                         #: graded | error
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    path: Mapped[str] = mapped_column(Text, default="")
    sandbox: Mapped[str] = mapped_column(String(16), default="")
    graded_at: Mapped[dt.datetime] = mapped_column(DateTime)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    result_json: Mapped[dict] = mapped_column(JSON)                         #: the whole geodl.result/1
    exercises: Mapped[list["ExerciseRow"]] = relationship(back_populates="submission", cascade="all, delete-orphan")
    checks: Mapped[list["CheckRow"]] = relationship(back_populates="submission", cascade="all, delete-orphan")

    def result(self) -> SubmissionResult:
        return SubmissionResult.from_json(self.result_json)


class ExerciseRow(Base):
    __tablename__ = "geodl_exercises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("geodl_submissions.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    auto_score: Mapped[float] = mapped_column(Float)                         #: points from the checks
    max_score: Mapped[float] = mapped_column(Float)
    manual_score: Mapped[float | None] = mapped_column(Float, nullable=True)  #: a TA's score; wins when set
    extra_credit: Mapped[float | None] = mapped_column(Float, nullable=True)  #: added on top of either
    submission: Mapped[SubmissionRow] = relationship(back_populates="exercises")

    @property
    def score(self) -> float:
        base = self.manual_score if self.manual_score is not None else self.auto_score
        return base + (self.extra_credit or 0.0)


class CheckRow(Base):
    __tablename__ = "geodl_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("geodl_submissions.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))        #: passed, failed, student_error, timeout, crashed, ...
    passed: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    visibility: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    seed: Mapped[int | None] = mapped_column(BigInteger, nullable=True)   #: 63 bits (GradingSettings.check_seed)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    submission: Mapped[SubmissionRow] = relationship(back_populates="checks")


class ResultStore:
    """Where batch results go. ``url`` is any SQLAlchemy URL (``sqlite:///results.db``)."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url, future=True)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        _create_tables(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def has(self, *, assignment: str, student: str, sha256: str, grader_version: str, seed: int,
            include_hidden: bool = True) -> bool:
        """True if this exact submission was already graded by this grader with this seed."""
        with Session(self.engine) as session:
            row = session.scalar(select(SubmissionRow.id).where(
                SubmissionRow.assignment == assignment, SubmissionRow.student == storable_name(student),
                SubmissionRow.sha256 == sha256, SubmissionRow.grader_version == grader_version,
                SubmissionRow.seed == seed, SubmissionRow.include_hidden == include_hidden))
            return row is not None

    def save(self, result: SubmissionResult, *, student: str) -> int:
        """Commit one submission's result (replacing an identical earlier grading) in one
        transaction; returns its row id.

        The rows are written as SQL statements, the exercises' and the checks' in one executemany
        each: the batch's own process saves every result while the grading processes want the
        cores, and as ORM objects a result's 40 rows cost it more than all the rest of a result.

        ``student`` is stored as :func:`storable_name` gives it (the name itself, for a name
        discovery gave); so are the path, the message columns and any string of the result JSON
        that UTF-8 cannot encode (a NUL stays in the JSON: PostgreSQL's ``json`` holds its
        ``\\u0000``, so :meth:`latest` gives a message back exactly as it was).

        Another process saving the same submission at the same moment (two batches on one
        database) makes the later insert break the unique key; the save is then made again, and
        replaces the other's row as a regrade does."""
        for _ in range(_SAVE_ATTEMPTS - 1):
            try:
                return self._save_once(result, student=student)
            except IntegrityError:  # a concurrent save of the same submission committed first
                pass
        return self._save_once(result, student=student)

    def _save_once(self, result: SubmissionResult, *, student: str) -> int:
        """One transaction of :meth:`save`."""
        data = _storable_json(result.to_json())
        key = dict(assignment=result.assignment, student=storable_name(student),
                   sha256=result.submission.get("sha256", ""), grader_version=result.grader.get("version", ""),
                   seed=int(result.settings.get("seed", 0)),
                   include_hidden=bool(result.settings.get("include_hidden", True)))
        submissions, exercises, checks = (_table(SubmissionRow), _table(ExerciseRow), _table(CheckRow))
        with self.engine.begin() as connection:
            old = connection.scalar(select(submissions.c.id).where(*(submissions.c[k] == v for k, v in key.items())))
            if old is not None:
                for table in (checks, exercises):
                    connection.execute(delete(table).where(table.c.submission_id == old))
                connection.execute(delete(submissions).where(submissions.c.id == old))
            row_id = connection.execute(insert(submissions).values(
                **key, status=result.status, score=result.score, max_score=result.max_score,
                path=storable_name(str(result.submission.get("path") or "")),
                sandbox=str(result.settings.get("sandbox", "")),
                graded_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), duration_s=result.duration_s,
                result_json=data)).inserted_primary_key[0]  # type: ignore[index]  # one row inserted
            exercise_rows = [dict(submission_id=row_id, exercise_id=exercise.id, status=exercise.status,
                                  message=storable_name(exercise.message), auto_score=exercise.score,
                                  max_score=exercise.max_score)
                             for exercise in result.exercises]
            check_rows = [dict(submission_id=row_id, exercise_id=exercise.id, name=check.name, status=check.status,
                               passed=check.passed, points=check.points, max_points=check.max_points,
                               visibility=check.visibility, message=storable_name(check.message), seed=check.seed,
                               duration_s=check.duration_s)
                          for exercise in result.exercises for check in exercise.checks]
            for table, rows in ((exercises, exercise_rows), (checks, check_rows)):
                if rows:
                    connection.execute(insert(table), rows)
        return row_id

    def latest(self, assignment: str) -> list[tuple[str, SubmissionResult]]:
        """``(student, result)`` of each student's most recent grading, by student."""
        with Session(self.engine) as session:
            rows = session.scalars(select(SubmissionRow).where(SubmissionRow.assignment == assignment)
                                   .order_by(SubmissionRow.student, SubmissionRow.graded_at, SubmissionRow.id)).all()
            latest: dict[str, SubmissionRow] = {}
            for row in rows:
                latest[row.student] = row
            return [(student, row.result()) for student, row in sorted(latest.items())]

    def assignments(self) -> list[str]:
        with Session(self.engine) as session:
            return sorted(set(session.scalars(select(SubmissionRow.assignment)).all()))


_UNSTORABLE = re.compile("[\0\ud800-\udfff]")
#: How many times :meth:`ResultStore.save` tries a transaction that a concurrent save of the same
#: submission broke.
_SAVE_ATTEMPTS = 3


def _create_tables(engine) -> None:
    """The store's tables, created where missing. Two processes opening a new database at once
    both find them missing; the one that loses the race gets an error (SQLite: locked;
    PostgreSQL: a duplicate type or table) and looks again, finding them made: PostgreSQL's
    ``CREATE TABLE`` and its indexes commit as one transaction."""
    for _ in range(_SAVE_ATTEMPTS - 1):
        try:
            Base.metadata.create_all(engine)
            return
        except (OperationalError, ProgrammingError, IntegrityError):
            pass
    Base.metadata.create_all(engine)


def storable_name(name: str) -> str:
    r"""``name`` as the store holds it: itself where UTF-8 can encode it and it holds no NUL (every
    name discovery gives), else :func:`~graders.grading.names.encode_name` of it.

    >>> storable_name("alice"), storable_name("caf\\xe9"), storable_name("caf\udce9"), storable_name("a\0b")
    ('alice', 'caf\\xe9', 'caf\\xe9', 'a\\x00b')
    """
    return encode_name(name) if _UNSTORABLE.search(name) else name


def _storable_json(value: Any) -> Any:
    """``value`` (plain JSON data) with each string UTF-8 cannot encode (a lone surrogate) in
    :func:`~graders.grading.names.encode_name`'s form; the same object where none is."""
    if isinstance(value, str):
        return encode_name(value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_storable_json(k): _storable_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_storable_json(v) for v in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _table(row: type[Base]) -> Table:
    """The table a row class maps (typed, for the SQL statements written on it)."""
    return cast(Table, row.__table__)


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

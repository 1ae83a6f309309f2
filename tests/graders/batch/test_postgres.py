"""The results store and the nbgrader gradebook on a real PostgreSQL server (a private cluster:
``tests/support/postgres.py``): a class graded by ``geodl batch --db/--gradebook <postgres URL>``,
resumed without storing anything twice; names and messages holding NUL, which PostgreSQL's text
refuses, and a 1 MB message; two batches writing to one database at once."""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from graders.authoring.samples import write_class
from graders.batch.gradebook import GradebookWriter
from graders.batch.gradebook import scores as gradebook_scores
from graders.batch.store import CheckRow, ExerciseRow, ResultStore, SubmissionRow
from graders.chapters import load_chapter
from graders.grading.result import CheckResult, ExerciseResult, SubmissionResult
from tests.graders._results import make_result

REPO = Path(__file__).resolve().parents[3]


def _database(server, name: str) -> str:
    """A new, empty database on ``server``; its SQLAlchemy URL."""
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.url(name)


def _row_counts(url: str) -> tuple[int, int, int]:
    """How many submission, exercise and check rows the store at ``url`` holds."""
    store = ResultStore(url)
    try:
        with Session(store.engine) as session:
            return tuple(session.scalar(select(func.count()).select_from(row))  # type: ignore[return-value]
                         for row in (SubmissionRow, ExerciseRow, CheckRow))
    finally:
        store.close()


def _batch(root: Path, out: Path, db: str, gradebook: str, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "graders.cli", "batch", str(root), "-a", "ch06", "--workers", "1",
               "--out", str(out), "--db", db, "--gradebook", gradebook, "--preload", "numpy", *extra]
    return subprocess.run(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    return root, dict(write_class(root, "ch06", 3, seed=5, hostile=False))


def test_a_class_graded_into_postgres_and_resumed_is_stored_once(postgres_server, small_class, tmp_path):
    """``geodl batch --db/--gradebook`` on PostgreSQL: every student stored and in the gradebook
    with the store's score; ``--resume`` grades nothing again and adds no row."""
    root, roster = small_class
    db, gradebook = _database(postgres_server, "batch_results"), _database(postgres_server, "batch_gradebook")
    first = _batch(root, tmp_path, db, gradebook)
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    store = ResultStore(db)
    latest = dict(store.latest("ch06"))
    store.close()
    assert sorted(latest) == sorted(roster)
    for student, kind in roster.items():  # the verdicts test_run.py expects of each kind on SQLite
        score, max_score = latest[student].score, latest[student].max_score
        assert max_score == load_chapter("ch06").max_points and (
            score == max_score if kind.startswith("correct") else score == 0 if kind == "stub"
            else 0 < score < max_score), (student, kind, score)
    assert gradebook_scores(gradebook, "ch06") == {student: result.score for student, result in latest.items()}
    counts = _row_counts(db)
    assert counts[0] == len(roster) and counts[2] > counts[1] > 0

    resumed = _batch(root, tmp_path, db, gradebook, "--resume")
    assert resumed.returncode == 0, resumed.stdout[-2000:] + resumed.stderr[-2000:]
    assert f"skipped {len(roster)}" in resumed.stdout, resumed.stdout[-2000:]
    assert _row_counts(db) == counts
    assert gradebook_scores(gradebook, "ch06") == {student: result.score for student, result in latest.items()}


def _result_saying(message: str, *, sha: str = "abc") -> SubmissionResult:
    """A one-check result whose check and exercise carry ``message``."""
    check = CheckResult(name="forward_output", passed=False, points=0.0, max_points=1.0, status="student_error",
                        message=message)
    exercise = ExerciseResult("ch06.mlp_backprop", 0.0, 1.0, "failed", (check,), message=message)
    return SubmissionResult(assignment="ch06", score=0.0, max_score=1.0, status="graded", exercises=(exercise,),
                            submission={"sha256": sha, "path": "/class/x\0y/ch06"}, grader={"version": "0.1.0"},
                            settings={"seed": 0, "include_hidden": True, "sandbox": "process"})


def test_names_and_messages_with_nul_and_a_1_mb_message_round_trip(postgres_server):
    """PostgreSQL's text refuses NUL. A name is stored in encode_name's form (``a\\x00b``), as on
    SQLite; a message is given back by the store exactly as it was (from the result JSON, whose
    ``\\u0000`` PostgreSQL's json holds), its message columns hold encode_name's form of it."""
    url = _database(postgres_server, "nul_and_long")
    store = ResultStore(url)
    nul_message = "ValueError: student\0raised\0\0this"
    long_message = "x" * (1 << 20) + "\0end"
    store.save(_result_saying(nul_message), student="a\0b")
    store.save(_result_saying(long_message, sha="long"), student="long\0message")
    latest = dict(store.latest("ch06"))
    assert sorted(latest) == ["a\\x00b", "long\\x00message"]
    assert latest["a\\x00b"].exercises[0].checks[0].message == nul_message
    assert latest["a\\x00b"].exercises[0].message == nul_message
    assert latest["a\\x00b"].submission["path"] == "/class/x\0y/ch06"
    assert latest["long\\x00message"].exercises[0].checks[0].message == long_message
    assert store.has(assignment="ch06", student="a\0b", sha256="abc", grader_version="0.1.0", seed=0)
    with Session(store.engine) as session:
        messages = sorted(session.scalars(select(CheckRow.message)).all(), key=len)
        assert messages == ["ValueError: student\\x00raised\\x00\\x00this", "x" * (1 << 20) + "\\x00end"]
        assert sorted(session.scalars(select(ExerciseRow.message)).all(), key=len) == messages
    store.close()


def test_the_gradebook_on_postgres_takes_a_name_with_nul_in_the_stores_form(postgres_server):
    """nbgrader's student id is text too: a name with NUL reaches it as the store holds it."""
    url = _database(postgres_server, "nul_gradebook")
    chapter = load_chapter("ch06")
    with GradebookWriter(url, chapter) as writer:
        assert writer.record("a\0b", make_result()) == 2
        assert writer.record("a\0b", make_result()) == 2  # a regrade of the same student
    assert gradebook_scores(url, "ch06") == {"a\\x00b": 2.0}


def _save_all(url: str, students: list[str], start) -> None:
    """One writer of the concurrent test: opens the store (creating its tables if nobody has yet)
    and saves a result for each student, starting when every writer is ready."""
    start.wait(timeout=60)
    store = ResultStore(url)
    for student in students:
        store.save(make_result(sha=f"sha-{student}"), student=student)
    store.close()


def test_two_writers_at_once_on_a_new_database_both_finish_and_store_each_result_once(postgres_server):
    """Two batches on one new database at once: both create the tables, and both save the same
    students' same submissions (a regrade replaces, never duplicates); neither may fail."""
    url = _database(postgres_server, "two_writers")
    students = [f"student{n:03d}" for n in range(40)]
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    writers = [context.Process(target=_save_all, args=(url, order, start))
               for order in (students, students[::-1])]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
    assert [writer.exitcode for writer in writers] == [0, 0]
    assert _row_counts(url) == (len(students), len(students), 2 * len(students))
    store = ResultStore(url)
    assert [student for student, _ in store.latest("ch06")] == students
    store.close()


@pytest.mark.slow
def test_two_batches_of_one_class_at_once_into_one_postgres_database(postgres_server, small_class, tmp_path):
    """Two ``geodl batch`` processes grading the same class into one new database, the store's and
    the gradebook's tables side by side: both finish, and each student is stored once (17 s here)."""
    root, roster = small_class
    url = _database(postgres_server, "two_batches")
    command = [sys.executable, "-m", "graders.cli", "batch", str(root), "-a", "ch06", "--workers", "1",
               "--db", url, "--gradebook", url, "--preload", "numpy"]
    batches = [subprocess.Popen([*command, "--out", str(tmp_path / f"out{n}")], cwd=REPO, text=True,
                                env={**os.environ, "PYTHONPATH": str(REPO)},
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for n in range(2)]
    outputs = [batch.communicate(timeout=300)[0] for batch in batches]
    assert [batch.returncode for batch in batches] == [0, 0], "\n".join(output[-2000:] for output in outputs)
    assert _row_counts(url)[0] == len(roster)
    store = ResultStore(url)
    latest = dict(store.latest("ch06"))
    store.close()
    assert gradebook_scores(url, "ch06") == {student: result.score for student, result in latest.items()}

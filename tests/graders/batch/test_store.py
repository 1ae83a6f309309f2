"""graders/store.py: one transaction per result, replace on regrade, latest per student, resume key."""
from __future__ import annotations

from graders.batch.store import ResultStore
from tests.graders._results import make_result


def test_save_and_read_back(tmp_path):
    store = ResultStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.save(make_result(), student="alice")
    [(student, result)] = store.latest("ch06")
    assert student == "alice" and result.score == 2.0 and result.exercises[0].checks[1].message == "wrong"
    assert store.has(assignment="ch06", student="alice", sha256="abc", grader_version="0.1.0", seed=0)
    assert not store.has(assignment="ch06", student="alice", sha256="other", grader_version="0.1.0", seed=0)
    assert not store.has(assignment="ch06", student="alice", sha256="abc", grader_version="0.1.0", seed=1)


def test_regrading_the_same_submission_replaces_it_and_a_resubmission_is_latest(tmp_path):
    store = ResultStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.save(make_result(), student="alice")
    store.save(make_result(), student="alice")
    full = {"ch06.mlp_backprop": [("book_ex_6_4", 2.0, 2.0), ("forward_output", 1.0, 1.0)]}
    store.save(make_result(scores=full, sha="new"), student="alice")
    store.save(make_result(), student="bob")
    latest = dict(store.latest("ch06"))
    assert latest["alice"].score == 3.0 and latest["bob"].score == 2.0
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from graders.batch.store import CheckRow, ExerciseRow, SubmissionRow
    with Session(store.engine) as session:  # the replaced grading's rows are gone, its exercises' and checks' too
        assert session.scalar(select(func.count()).select_from(SubmissionRow)) == 3
        assert session.scalar(select(func.count()).select_from(ExerciseRow)) == 3
        assert session.scalar(select(func.count()).select_from(CheckRow)) == 6


def test_manual_score_wins_over_auto_score(tmp_path):
    from sqlalchemy.orm import Session

    from graders.batch.store import ExerciseRow
    store = ResultStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.save(make_result(), student="alice")
    with Session(store.engine) as session:
        row = session.query(ExerciseRow).one()
        assert row.score == 2.0
        row.manual_score, row.extra_credit = 2.5, 0.5
        assert row.score == 3.0


def test_each_check_and_exercise_gets_its_row_with_outcome_message_and_seed(tmp_path):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from graders.batch.store import CheckRow, ExerciseRow, SubmissionRow
    store = ResultStore(f"sqlite:///{tmp_path / 'r.db'}")
    result = make_result()
    row_id = store.save(result, student="alice")
    with Session(store.engine) as session:
        submission = session.get(SubmissionRow, row_id)
        checks = session.scalars(select(CheckRow).order_by(CheckRow.id)).all()
        assert [c.submission_id for c in checks] == [row_id] * 2 and submission.checks == checks
        expected = [c for e in result.exercises for c in e.checks]
        assert [(c.name, c.status, c.passed, c.points, c.message, c.seed) for c in checks] == \
            [(c.name, c.status, c.passed, c.points, c.message, c.seed) for c in expected]
        [exercise] = session.scalars(select(ExerciseRow)).all()
        assert (exercise.exercise_id, exercise.auto_score, exercise.submission_id) == ("ch06.mlp_backprop", 2.0, row_id)


def test_a_results_json_form_is_its_fields_nested_and_a_copy():
    import dataclasses
    import json
    result = make_result()
    data = result.to_json()
    reference = {"schema": "geodl.result/1", **dataclasses.asdict(result)}
    for exercise in reference["exercises"]:
        for check in exercise["checks"]:
            if not check["repro"]:
                del check["repro"]  # only a failed public check carries its repro file
    assert json.dumps(data) == json.dumps(reference) and isinstance(data["exercises"][0]["checks"], list)
    data["submission"]["sha256"] = "changed"
    data["exercises"][0]["checks"][0]["message"] = "changed"
    assert result.submission["sha256"] == "abc" and result.exercises[0].checks[0].message != "changed"


# --- student names of any bytes --------------------------------------------------------------------
NAMES = ["alice", "José Núñez", "李雷", "new\nline", "tab\tand\x1bescape", "../../etc/passwd", "-rf --no-preserve-root",
         "=cmd|' /C calc'!A0", "a\\\\b", "x" * 255, "é" * 127]


def test_every_name_discovery_gives_is_stored_and_read_back_unchanged(tmp_path):
    """Discovery's names (encode_name's form) are valid UTF-8 without NUL: stored as they are,
    read back the same, each its own student."""
    import os

    from graders.grading.names import encode_name
    store = ResultStore(f"sqlite:///{tmp_path / 'r.db'}")
    longest = encode_name(bytes(range(0x80, 0x100)) + bytes(range(0x80, 0xFF)))  # 255 bytes, none UTF-8
    assert len(longest) == 1020
    names = [*NAMES, encode_name(b"caf\xe9"), encode_name(os.fsencode("new\nline") + b"\xff"), longest]
    assert len(set(names)) == len(names)
    for number, name in enumerate(names):
        store.save(make_result(sha=f"s{number}"), student=name)
    assert [student for student, _ in store.latest("ch06")] == sorted(names)
    assert all(store.has(assignment="ch06", student=name, sha256=f"s{n}", grader_version="0.1.0", seed=0)
               for n, name in enumerate(names))


def test_names_utf8_cannot_hold_or_with_nul_are_stored_in_encode_names_form(tmp_path):
    """A name as os.fsdecode reads a non-UTF-8 folder name (lone surrogates) once raised
    UnicodeEncodeError here. It is stored as encode_name gives it: the name discovery gives the
    same folder. NUL: Python's sqlite3 would store and read back 'a\\0b' (though SQL's length()
    stops at the NUL) and PostgreSQL refuses it, so the store writes it as 'a\\x00b'."""
    import sqlite3

    from graders.grading.names import decode_name
    store = ResultStore(f"sqlite:///{tmp_path / 'r.db'}")
    result = make_result()
    result.submission["path"] = "/class/caf\udce9/ch06"
    result.submission["notes"] = ["skipped ch06/caf\udce9.py"]
    store.save(result, student="caf\udce9")
    store.save(make_result(sha="nul"), student="a\0b")
    latest = dict(store.latest("ch06"))
    assert sorted(latest) == ["a\\x00b", "caf\\xe9"] and decode_name("caf\\xe9") == b"caf\xe9"
    assert latest["caf\\xe9"].submission["path"] == "/class/caf\\xe9/ch06"
    assert latest["caf\\xe9"].submission["notes"] == ["skipped ch06/caf\\xe9.py"]
    assert store.has(assignment="ch06", student="caf\udce9", sha256="abc", grader_version="0.1.0", seed=0)
    with sqlite3.connect(tmp_path / "r.db") as conn:
        paths = sorted(row[0] for row in conn.execute("SELECT path FROM geodl_submissions"))
        assert paths == ["/class/caf\\xe9/ch06", "/x"]
        raw = sqlite3.connect(":memory:")
        raw.execute("CREATE TABLE t (s VARCHAR(200))")
        raw.execute("INSERT INTO t VALUES (?)", ("a\0b",))
        assert raw.execute("SELECT s, length(s) FROM t").fetchone() == ("a\0b", 1)


def test_a_store_made_with_the_old_200_character_column_holds_long_names(tmp_path):
    """The student column was VARCHAR(200) and is VARCHAR(1024): SQLite ignores declared
    lengths, so a store made before takes any name without a migration."""
    from sqlalchemy import create_engine
    from sqlalchemy.schema import CreateIndex, CreateTable

    from graders.batch.store import Base
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            ddl = str(CreateTable(table).compile(engine))
            connection.exec_driver_sql(ddl.replace("VARCHAR(1024)", "VARCHAR(200)"))
            for index in table.indexes:
                connection.exec_driver_sql(str(CreateIndex(index).compile(engine)))
    engine.dispose()
    store = ResultStore(url)
    name = "n" * 1020
    store.save(make_result(), student=name)
    assert [student for student, _ in store.latest("ch06")] == [name]
    with store.engine.connect() as connection:
        ddl = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'geodl_submissions'").scalar()
    assert "VARCHAR(200)" in ddl

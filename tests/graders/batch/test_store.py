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
    assert json.dumps(data) == json.dumps(reference) and isinstance(data["exercises"][0]["checks"], list)
    data["submission"]["sha256"] = "changed"
    data["exercises"][0]["checks"][0]["message"] = "changed"
    assert result.submission["sha256"] == "abc" and result.exercises[0].checks[0].message != "changed"

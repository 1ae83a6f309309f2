"""geodl repro: a result's failing cases written (or printed) as Python files to run; every mistake
gets one line of error with a hint, exit status 2, and nothing written."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graders.batch.store import ResultStore
from graders.cli import main
from graders.grading.result import CheckResult, ExerciseResult, SubmissionResult

REPRO = "print('reproduced', 2 + 2)\n"


def _check(name: str, *, passed: bool = False, visibility: str = "public", repro: str = REPRO,
           counterexample: str = "Failing test case: f(1)") -> CheckResult:
    return CheckResult(name=name, passed=passed, points=float(passed), max_points=1.0,
                       status="passed" if passed else "failed", message="" if passed else "f(1) is wrong",
                       counterexample="" if passed else counterexample, visibility=visibility,
                       repro="" if passed else repro)


RESULT = SubmissionResult(
    assignment="ch06", score=1.0, max_score=5.0, status="graded",
    exercises=(ExerciseResult("ch06.optimizers", 1.0, 5.0, "partial", (
        _check("fails"), _check("passes", passed=True), _check("secret", visibility="hidden"),
        _check("late", visibility="after_deadline"), _check("no_case", repro="", counterexample=""))),),
    submission={"student": "alice", "path": "", "sha256": "0"})


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "result.json").write_text(RESULT.dumps())
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "other.json").write_text(json.dumps({"schema": "something/1"}))
    (tmp_path / "notes.txt").write_text("a file\n")
    (tmp_path / "feedback").mkdir()
    return tmp_path


@pytest.fixture()
def results_db(workdir) -> Path:
    db = workdir / "results.db"
    store = ResultStore(f"sqlite:///{db}")
    store.save(RESULT, student="alice")
    store.close()
    return db


def test_it_writes_each_failed_public_check_and_the_file_runs(capsys, workdir):
    assert main(["repro", "result.json", "--out", "cases"]) == 0
    out = capsys.readouterr().out
    assert [p.name for p in (workdir / "cases").iterdir()] == ["ch06.optimizers__fails.py"]
    assert "python cases/ch06.optimizers__fails.py" in out
    assert (workdir / "cases" / "ch06.optimizers__fails.py").read_text() == REPRO


def test_it_prints_one_check_and_reads_the_store(capsys, workdir, results_db):
    assert main(["repro", "result.json", "--check", "ch06.optimizers/fails", "--print"]) == 0
    assert capsys.readouterr().out == REPRO
    assert main(["repro", "--db", str(results_db), "--student", "alice", "--check", "fails"]) == 0
    assert (workdir / "repro" / "ch06.optimizers__fails.py").read_text() == REPRO


MISTAKES = {
    "no result": ([], "result-required", "no result given"),
    "missing result": (["nowhere.json"], "result-missing", "'nowhere.json' does not exist"),
    "a folder": (["feedback"], "result-is-a-folder", "is a folder, not a result file"),
    "not JSON": (["broken.json"], "not-a-result", "is not a geodl result"),
    "another schema": (["other.json"], "not-a-result", "is not a geodl result"),
    "result and store": (["result.json", "--db", "results.db"], "contradictory-options", "contradict"),
    "store without student": (["--db", "results.db"], "student-required", "--db needs --student"),
    "unknown check": (["result.json", "--check", "ch06.optimizers/fail"], "unknown-check", "did you mean"),
    "hidden check": (["result.json", "--check", "secret"], "hidden-check", "is a hidden check"),
    "after-deadline check": (["result.json", "--check", "late"], "hidden-check", "after-deadline check"),
    "passed check": (["result.json", "--check", "passes"], "check-passed", "passed"),
    "no failing case": (["result.json", "--check", "no_case"], "no-repro", "without a recorded failing case"),
    "out is a file": (["result.json", "--out", "notes.txt"], "output-not-a-folder", "is a file"),
}


@pytest.mark.parametrize("argv, reference, says", MISTAKES.values(), ids=MISTAKES.keys())
def test_a_mistake_gets_one_line_and_a_hint_and_writes_nothing(capsys, workdir, results_db, argv, reference, says):
    before = sorted(p.name for p in workdir.iterdir())
    code = main(["repro", *argv])
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert code == 2 and out == "" and "Traceback" not in err, err
    assert len(lines) == 2 and lines[0].startswith(f"geodl repro: error [{reference}]: "), err
    assert says in lines[0] and "Hint: " in lines[0], err
    assert sorted(p.name for p in workdir.iterdir()) == before


def test_an_unknown_student_in_the_store_gets_a_suggestion(capsys, workdir, results_db):
    assert main(["repro", "--db", str(results_db), "--student", "alcie"]) == 2
    assert "did you mean 'alice'?" in capsys.readouterr().err

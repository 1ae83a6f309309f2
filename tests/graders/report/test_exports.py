"""graders/report/exports.py and ``geodl export``: CSV, Gradescope results.json, safe file names."""
from __future__ import annotations

import csv
import json

import pytest

from graders.batch.store import ResultStore
from graders.cli import main
from graders.grading.result import CheckResult, ExerciseResult, SubmissionResult
from graders.report.exports import (
    GRADESCOPE_VISIBILITY,
    export_csv,
    export_gradescope,
    gradescope_failure,
    gradescope_results,
    safe_filename,
    unique_filenames,
    write_gradescope,
)

SECRETS = ("SECRET-MSG", "SECRET-CALL", "SECRET-OUT", "SECRET-DESC")


def check(name, points, max_points=1.0, *, visibility="public", message="", counterexample="", output="",
          description="", seed=None) -> CheckResult:
    status = "passed" if points >= max_points else "failed"
    return CheckResult(name=name, passed=status == "passed", points=points, max_points=max_points, status=status,
                       message=message, counterexample=counterexample, visibility=visibility,
                       description=description, seed=seed, output=output)


def exercise(exercise_id, *checks, message="") -> ExerciseResult:
    score, top = sum(c.points for c in checks), sum(c.max_points for c in checks)
    status = "error" if message else ("passed" if score == top else "partial")
    return ExerciseResult(exercise_id, score, top, status, tuple(checks), message)


def result(*exercises, assignment="ch99", status="graded", message="", duration_s=2.5, sha="abc") -> SubmissionResult:
    return SubmissionResult(assignment=assignment, score=sum(e.score for e in exercises),
                            max_score=sum(e.max_score for e in exercises), status=status, exercises=exercises,
                            message=message, duration_s=duration_s, submission={"sha256": sha, "notes": []},
                            grader={"version": "0.1.0"}, settings={"seed": 0})


def mixed_result() -> SubmissionResult:
    return result(
        exercise("ch99.alpha",
                 check("forward", 0.0, 2.0, message="expected 1.0, got 2.0", seed=7,
                       counterexample="Failing test case: f(array([1., 2.]))", output="printed by student\n"),
                 check("torch_agrees", 0.0, 3.0, visibility="hidden", message="SECRET-MSG",
                       counterexample="SECRET-CALL", output="SECRET-OUT", description="SECRET-DESC"),
                 check("late", 1.5, 1.5, visibility="after_deadline", message="late message")),
        exercise("ch99.beta", message="could not import ch99/beta.py: SyntaxError"),
        message="worker restarted once")


# --- file names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../evil", "../../etc/passwd", "a/b", "a\\b", "x\x00y", ".hidden", ".", "..", "",
                                  "CON", "nul.txt", "é" * 300, "<script>", "/abs/path"])
def test_safe_filename_stays_in_its_folder(name):
    safe = safe_filename(name)
    assert safe and safe not in (".", "..") and not safe.startswith(".")
    assert not set(safe) & set("/\\\x00<>:\"|?*") and len(safe) <= 100
    assert safe.split(".")[0].upper() not in ("CON", "NUL")
    assert safe_filename(name) == safe


def test_safe_filename_keeps_plain_names_and_keeps_different_names_apart():
    assert [safe_filename(n) for n in ("student001", "ann.lee", "a_b-2")] == ["student001", "ann.lee", "a_b-2"]
    assert len({safe_filename(n) for n in ("a/b", "a_b", "a\\b", "a:b")}) == 4
    assert len({n.casefold() for n in unique_filenames(["Ann", "ann", "ANN"]).values()}) == 3


# --- CSV -------------------------------------------------------------------------------------------

def test_csv_has_a_row_per_student_sorted_with_exercise_columns(tmp_path):
    rows = [("zoe", result(exercise("ch99.alpha", check("a", 2.5, 2.5)), exercise("ch99.beta", check("b", 0.0)))),
            ("=cmd|calc", result(exercise("ch99.alpha", check("a", 0.0, 2.5)))),
            ("ann", result(exercise("ch99.beta", check("b", 1.0)), exercise("ch99.alpha", check("a", 1.0, 2.5)),
                           status="error"))]
    path = export_csv(rows, tmp_path / "sub" / "grades.csv")
    with path.open(newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == ["student", "score", "max_score", "status", "ch99.alpha", "ch99.beta"]
    assert table[1:] == [["'=cmd|calc", "0", "2.5", "graded", "0", ""],
                         ["ann", "2", "3.5", "error", "1", "1"],
                         ["zoe", "2.5", "3.5", "graded", "2.5", "0"]]


def test_csv_follows_a_given_exercise_order(tmp_path):
    rows = [("ann", result(exercise("ch99.alpha", check("a", 1.0)), exercise("ch99.beta", check("b", 1.0))))]
    path = export_csv(rows, tmp_path / "g.csv", exercises=["ch99.beta", "ch99.alpha"])
    assert path.read_text().splitlines()[0] == "student,score,max_score,status,ch99.beta,ch99.alpha"


# --- Gradescope ------------------------------------------------------------------------------------

def test_gradescope_results_follow_the_schema():
    data = gradescope_results(mixed_result())
    assert set(data) == {"score", "execution_time", "output", "output_format", "test_output_format",
                         "test_name_format", "visibility", "stdout_visibility", "tests", "extra_data"}
    assert data["extra_data"] == {"geodl": {"status": "graded"}}
    assert (data["score"], data["execution_time"], data["visibility"]) == (1.5, 2.5, "visible")
    assert data["stdout_visibility"] == "hidden"
    assert {data[k] for k in ("output_format", "test_output_format", "test_name_format")} == {"text"}
    assert "worker restarted once" in data["output"] and "could not import ch99/beta.py" in data["output"]
    names = [t["name"] for t in data["tests"]]
    assert names == ["ch99.alpha · forward", "ch99.alpha · torch_agrees", "ch99.alpha · late", "ch99.beta"]
    for test in data["tests"]:
        assert {"name", "score", "max_score", "status", "visibility"} <= set(test)
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in ("visible", "after_published", "after_due_date")
        assert isinstance(test["score"], float) and isinstance(test["max_score"], float)
    assert sum(t["score"] for t in data["tests"]) == data["score"]


def test_gradescope_visibility_and_content_per_check():
    forward, hidden, late, beta = gradescope_results(mixed_result())["tests"]
    assert ((forward["visibility"], forward["status"], forward["score"], forward["max_score"])
            == ("visible", "failed", 0.0, 2.0))
    assert forward["output"] == ("expected 1.0, got 2.0\n\nFailing test case:\nf(array([1., 2.]))\n\nseed: 7\n\n"
                                 "Your code printed:\nprinted by student")
    assert hidden == {"name": "ch99.alpha · torch_agrees", "score": 0.0, "max_score": 3.0, "status": "failed",
                      "visibility": "after_published"}
    assert (late["visibility"], late["status"], late["output"]) == ("after_due_date", "passed", "late message")
    assert (beta["score"], beta["max_score"], beta["status"]) == (0.0, 0.0, "failed")
    assert beta["output"] == "could not import ch99/beta.py: SyntaxError"


def test_a_hidden_check_is_shown_after_publishing_so_the_total_stays_hidden_until_then():
    # Gradescope shows the total while only "hidden" tests are held back; a pointed test held
    # back any other way hides it: "hidden" would let a student probe hidden checks by resubmitting
    assert GRADESCOPE_VISIBILITY == {"public": "visible", "after_deadline": "after_due_date",
                                     "hidden": "after_published"}
    unknown = gradescope_results(result(exercise("ch99.alpha", check("x", 0.0, visibility="secret"))))["tests"][0]
    assert unknown["visibility"] == "after_published" and "output" not in unknown


@pytest.mark.parametrize("late_visibility", ["hidden", "after_deadline"])
def test_gradescope_output_says_nothing_of_checks_not_yet_shown(late_visibility):
    def graded(late_points):
        return gradescope_results(result(
            exercise("ch99.alpha", check("a", 1.0), check("h", late_points, 2.0, visibility=late_visibility)),
            exercise("ch99.beta", check("b", 0.5, 1.0))))

    passed, failed = graded(2.0), graded(0.0)
    assert failed["output"] == passed["output"] == (
        "ch99: 1.5 / 2 in public checks, 2 more in checks shown later\n"
        "ch99.alpha: 1 / 1 in public checks, 2 more in checks shown later\n"
        "ch99.beta: 0.5 / 1 (partial)")
    assert (passed["score"], failed["score"]) == (3.5, 1.5)  # Gradescope hides it while a test is


def test_gradescope_output_keeps_the_reason_an_exercise_scored_zero():
    data = gradescope_results(mixed_result())
    assert data["output"].splitlines() == [
        "ch99: 0 / 2 in public checks, 4.5 more in checks shown later",
        "note: worker restarted once",
        "ch99.alpha: 0 / 2 in public checks, 4.5 more in checks shown later",
        "ch99.beta: 0 / 0 (error): could not import ch99/beta.py: SyntaxError"]


def test_a_submission_that_could_not_be_graded_gets_zero_and_one_line(tmp_path):
    data = gradescope_failure("Your submission could not be read:\n  no such folder", execution_time=0.25,
                              extra_data={"geodl": {"reference": "submission-missing"}})
    assert data == {**gradescope_results(result()), "score": 0.0, "execution_time": 0.25,
                    "output": "Your submission could not be read: no such folder", "tests": [],
                    "extra_data": {"geodl": {"reference": "submission-missing", "status": "error"}}}
    path = write_gradescope(tmp_path / "results" / "results.json", data)
    assert json.loads(path.read_text(encoding="utf-8")) == data
    assert sorted(p.name for p in path.parent.iterdir()) == ["results.json"]  # no partial file left


def test_export_gradescope_writes_one_file_per_student_without_hidden_content(tmp_path):
    rows = [("ann", mixed_result()), ("../evil", mixed_result())]
    paths = export_gradescope(rows, tmp_path / "gs")
    assert paths[0] == tmp_path / "gs" / "ann" / "results.json"
    assert all(p.resolve().parent.parent == (tmp_path / "gs").resolve() for p in paths)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert not any(secret in text for secret in SECRETS)
        assert json.loads(text)["tests"][1]["max_score"] == 3.0


# --- geodl export ----------------------------------------------------------------------------------

def make_store(tmp_path, *assignments: str) -> str:
    url = f"sqlite:///{tmp_path / 'results.db'}"
    store = ResultStore(url)
    for assignment in assignments:
        store.save(result(exercise(f"{assignment}.alpha", check("a", 1.0), check("h", 0.0, 2.0, visibility="hidden",
                                                                              message="SECRET-MSG")),
                          assignment=assignment, sha="s1"), student="bob")
        store.save(result(exercise(f"{assignment}.alpha", check("a", 0.0)), assignment=assignment, sha="s2"),
                   student="ann")
    store.close()
    return url


def test_cli_export_csv_defaults_to_the_only_assignment(tmp_path, capsys):
    url = make_store(tmp_path, "ch99")
    out = tmp_path / "grades.csv"
    assert main(["export", "--db", url, "--format", "csv", "--out", str(out)]) == 0
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["student"], r["score"], r["max_score"], r["ch99.alpha"]) for r in rows] == [("ann", "0", "1", "0"),
                                                                                           ("bob", "1", "3", "1")]
    assert str(out) in capsys.readouterr().out


def test_cli_export_gradescope_accepts_a_plain_path(tmp_path, capsys):
    make_store(tmp_path, "ch99")
    out = tmp_path / "gs"
    assert main(["export", "--db", str(tmp_path / "results.db"), "--format", "gradescope", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["ann", "bob"]
    bob = json.loads((out / "bob" / "results.json").read_text())
    assert bob["score"] == 1.0 and bob["tests"][1] == {"name": "ch99.alpha · h", "score": 0.0, "max_score": 2.0,
                                                       "status": "failed", "visibility": "after_published"}
    assert "2 Gradescope" in capsys.readouterr().out


def test_cli_export_needs_an_assignment_when_the_store_has_several(tmp_path, capsys):
    url = make_store(tmp_path, "ch98", "ch99")
    out = tmp_path / "g.csv"
    assert main(["export", "--db", url, "--format", "csv", "--out", str(out)]) == 2
    assert "--assignment" in capsys.readouterr().err and not out.exists()
    assert main(["export", "--db", url, "--format", "csv", "--out", str(out), "--assignment", "ch98"]) == 0
    assert "ch98.alpha" in out.read_text().splitlines()[0]
    assert main(["export", "--db", url, "--format", "csv", "--out", str(out), "--assignment", "ch07"]) == 2
    assert "ch98, ch99" in capsys.readouterr().err


def test_cli_export_refuses_a_missing_store_without_creating_it(tmp_path, capsys):
    missing = tmp_path / "nope.db"
    assert main(["export", "--db", str(missing), "--format", "csv", "--out", str(tmp_path / "g.csv")]) == 2
    assert "no results store" in capsys.readouterr().err and not missing.exists()


# --- hostile text: data keeps its raw value, a spreadsheet runs no formula ----------------------------

@pytest.mark.parametrize("name", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "  =1+1",
                                  "\uff1d1+1"])
def test_csv_defuses_formula_names(tmp_path, name):
    path = export_csv([(name, result(exercise("ch99.alpha", check("a", 1.0))))], tmp_path / "g.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        cell = list(csv.reader(handle))[1][0]
    assert cell == "'" + name


def test_csv_and_gradescope_keep_control_characters_raw_and_take_a_surrogate(tmp_path):
    from tests.graders.report._hostile import HOSTILE, SURROGATE
    name = f"ann {HOSTILE} {SURROGATE[0]}"
    hostile = result(exercise("ch99.alpha", check("a", 0.0, message=f"{HOSTILE} {SURROGATE[0]}", output=HOSTILE)))
    path = export_csv([(name, hostile), ("bob", hostile)], tmp_path / "g.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        cells = [row[0] for row in csv.reader(handle)][1:]
    assert cells == [name.replace(SURROGATE[0], SURROGATE[1]), "bob"]  # raw, but the surrogate UTF-8 cannot hold
    [written] = export_gradescope([(name, hostile)], tmp_path / "gs")
    test = json.loads(written.read_text(encoding="utf-8"))["tests"][0]
    assert test["output"].startswith(f"{HOSTILE} {SURROGATE[0]}")      # JSON gives the very string back


# --- status words, one line per exercise a reason zeroed ---------------------------------------------------

def test_csv_status_is_a_word_a_ta_can_filter_on(tmp_path):
    from tests.graders.report._kinds import class_rows
    path = export_csv(class_rows(), tmp_path / "grades.csv")
    with path.open(newline="") as handle:
        statuses = {row["student"]: row["status"] for row in csv.DictReader(handle)}
    assert statuses == {"ann": "graded", "bob": "graded", "cy": "empty", "dee": "unchanged stub", "eve": "error",
                        "fay": "timed out"}


def test_results_stored_before_the_status_words_read_the_same_way(tmp_path):
    from tests.graders.report._kinds import class_rows
    url = f"sqlite:///{tmp_path / 'results.db'}"
    store = ResultStore(url)
    for student, graded in class_rows():
        data = graded.to_json()
        for exercise_data in data["exercises"]:  # as an older grader wrote them: no ``stub`` field
            for check_data in exercise_data["checks"]:
                check_data.pop("stub")
        store.save(SubmissionResult.from_json(data), student=student)
    rows = store.latest("ch01")
    store.close()
    assert [(s, r.status) for s, r in rows][-1] == ("fay", "timeout")
    path = export_csv(rows, tmp_path / "grades.csv")
    assert [line.split(",")[3] for line in path.read_text().splitlines()[1:]] == [
        "graded", "graded", "empty", "unchanged stub", "error", "timed out"]


def test_gradescope_says_once_why_an_exercise_scored_zero():
    from tests.graders.report._kinds import IMPORT_ERROR, every_kind
    data = gradescope_results(every_kind())
    names = [t["name"] for t in data["tests"]]
    assert "ch01.frames" in names and not any(n.startswith("ch01.frames · ") for n in names)
    frames = next(t for t in data["tests"] if t["name"] == "ch01.frames")
    assert frames == {"name": "ch01.frames", "score": 0.0, "max_score": 6.0, "status": "failed",
                      "visibility": "visible", "output": "still the released stub: fill in analyze, frame_bounds"}
    text = json.dumps(data, ensure_ascii=False)
    assert text.count("fill in analyze") == 2                            # its test, and its line above the tests
    assert text.count(IMPORT_ERROR) == 2 and "NotImplementedError" not in text
    assert sum(t["score"] for t in data["tests"]) == data["score"] == 5.0
    assert data["extra_data"] == {"geodl": {"status": "graded"}}


def test_gradescope_keeps_a_hidden_check_of_a_zeroed_exercise_apart():
    from tests.graders.report._kinds import check, exercise, submission
    stub = [check("public_one", 0.0, 2.0, status="student_error", stub="f", message="stub"),
            check("hidden_one", 0.0, 3.0, status="student_error", stub="f", message="stub", visibility="hidden")]
    data = gradescope_results(submission(("ch01.frames", stub, "")))
    assert exercise("ch01.frames", stub).status == "unchanged stub"
    visible, later = data["tests"]
    assert (visible["name"], visible["max_score"], visible["visibility"]) == ("ch01.frames", 2.0, "visible")
    assert later == {"name": "ch01.frames · 1 check shown later", "score": 0.0, "max_score": 3.0, "status": "failed",
                     "visibility": "after_published"}
    assert data["output"].splitlines()[0] == ("ch01: 0 / 2 in public checks, 3 more in checks shown later "
                                              "(unchanged stub)")
    assert data["extra_data"]["geodl"]["status"] == "unchanged stub"

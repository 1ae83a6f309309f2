"""graders/batch/autograded.py: the autograded notebook of a graded submission holds the graded
code (never the reference) and each check's verdict; a student's own notebook is sanitized as
nbgrader's autograde sanitizes one; the course, its timestamps and its gradebook's place."""
from __future__ import annotations

import datetime as dt
import functools
import json

import nbformat
import pytest

from graders.authoring.notebooks import source_notebook, student_notebook
from graders.authoring.release import release_files
from graders.batch.autograded import (
    AutogradedWriter,
    ChapterNotebook,
    NbgraderCourse,
    autograded_notebook,
    read_course,
)
from graders.chapters import grade_ids, load_chapter, load_release
from graders.errors import ConfigurationError
from graders.grading.result import CheckResult, ExerciseResult, SubmissionResult
from graders.grading.submission import Submission
from tests.graders._results import make_result

MLP_CODE = b"def mlp_forward(params, X, act='relu', last_linear=False):\n    return 'mine'\n"


@functools.cache
def _template() -> ChapterNotebook:
    return ChapterNotebook.of(source_notebook("ch06"), load_chapter("ch06"))


def _result() -> SubmissionResult:
    """book_ex_6_4 passed, forward_output failed with a two-line message and a failing case,
    the first optimizers check not run (its exercise failed to import), the rest absent."""
    passed = CheckResult(name="book_ex_6_4", passed=True, points=2.0, max_points=2.0, status="passed")
    failed = CheckResult(name="forward_output", passed=False, points=0.0, max_points=1.0, status="failed",
                         message="o^(L) is wrong at index 0: expected 4, got 3\nsecond line",
                         counterexample="Failing test case: mlp_forward(params=[...], X=array(shape=(2, 1)))")
    mlp = ExerciseResult("ch06.mlp_backprop", 2.0, 3.0, "partial", (passed, failed))
    optim = ExerciseResult("ch06.optimizers", 0.0, 9.0, "error", (), message="ImportError: no module named optim")
    return SubmissionResult(assignment="ch06", score=2.0, max_score=41.0, status="graded", exercises=(mlp, optim))


def _cells(notebook: dict) -> dict[str, dict]:
    return {cell["metadata"]["nbgrader"]["grade_id"]: cell for cell in notebook["cells"]
            if "nbgrader" in cell["metadata"]}


def _text(cell: dict) -> str:
    return "".join(part for output in cell["outputs"]
                   for part in ([output.get("text", "")] + output.get("traceback", [])))


def test_the_autograded_notebook_holds_the_graded_code_and_each_checks_verdict():
    submission = Submission("ch06", {"ch06/mlp.py": MLP_CODE, "ch06/_validation.py": b"# provided\n"})
    notebook = autograded_notebook(_template(), submission, _result())
    nbformat.validate(nbformat.from_dict(notebook))
    cells = _cells(notebook)
    assert cells["module_mlp"]["source"] == "%%writefile mlp.py\n" + MLP_CODE.decode()
    assert cells["module_optim"]["source"] == "%%writefile optim.py\n# geodl: the submission holds no ch06/optim.py\n"
    assert "### BEGIN SOLUTION" not in json.dumps(notebook)  # the reference's code never is in it
    assert cells["mlp_backprop__book_ex_6_4"]["outputs"][0]["output_type"] == "stream"
    assert "passed\x1b[0m · 2/2 points" in _text(cells["mlp_backprop__book_ex_6_4"])
    failed = cells["mlp_backprop__forward_output"]["outputs"][0]
    assert failed["output_type"] == "error" and failed["evalue"] == "o^(L) is wrong at index 0: expected 4, got 3"
    assert failed["traceback"][1:] == ["second line", "Failing test case: mlp_forward(params=[...], "
                                                      "X=array(shape=(2, 1)))"]
    assert "failed\x1b[0m · 0/1 point: o^(L) is wrong" in failed["traceback"][0]
    first_optim = grade_ids(load_chapter("ch06"))["ch06.optimizers", "momentum_matches_torch_sgd"]
    assert "not run: error: ImportError: no module named optim" in _text(cells[first_optim])
    assert "not graded: graded" in _text(cells["variational_bp__hidden_1"])
    hidden = cells["mlp_backprop__hidden_1"]["source"]  # as nbgrader shows a TA a hidden test
    assert "### BEGIN HIDDEN TESTS" in hidden and "notebook_check(" in hidden
    assert [c["metadata"]["nbgrader"]["grade_id"] for c in notebook["cells"]] == \
        [c["metadata"]["nbgrader"]["grade_id"] for c in _template().cells]


def test_a_failed_hidden_checks_message_stays_out_of_the_notebook_nbgraders_feedback_hands_out():
    hidden = CheckResult(name="gradients_match_torch_autograd", passed=False, points=0.0, max_points=2.0,
                         status="failed", visibility="hidden", message="dW is wrong: expected 0.12345678, got 9",
                         counterexample="mlp_backward(params=[SECRET_INPUT])")
    result = SubmissionResult(assignment="ch06", score=0.0, max_score=2.0, status="graded",
                              exercises=(ExerciseResult("ch06.mlp_backprop", 0.0, 2.0, "failed", (hidden,)),))
    submission = Submission("ch06", {"ch06/mlp.py": MLP_CODE})
    cell = _cells(autograded_notebook(_template(), submission, result))["mlp_backprop__hidden_1"]
    shown = json.dumps(cell["outputs"])
    assert "0.12345678" not in shown and "SECRET_INPUT" not in shown
    assert "failed" in _text(cell) and "0/2 points" in _text(cell) and "--hidden" in _text(cell)


def test_an_unreadable_submission_gets_its_reason_in_every_solution_cell():
    result = SubmissionResult(assignment="ch06", score=0.0, max_score=41.0, status="error",
                              message="the submission could not be read: ch06 is a FIFO")
    cells = _cells(autograded_notebook(_template(), None, result))
    assert "could not be read" in cells["module_mlp"]["source"]
    assert "not graded: error: the submission could not be read" in _text(cells["mlp_backprop__book_ex_6_4"])


def test_a_students_notebook_is_sanitized_as_nbgraders_autograde_sanitizes_one():
    """The student's own notebook: the source's locked and test cells put back (an edited one
    replaced, a deleted one restored after the cell before it, a duplicated id kept once), the
    student's own cells kept with outputs cleared and their HTML escaped."""
    own = json.loads(nbformat.writes(student_notebook("ch06")))
    ids = [cell["metadata"]["nbgrader"]["grade_id"] for cell in own["cells"]]
    at = {grade_id: index for index, grade_id in enumerate(ids)}
    own["cells"][at["mlp_backprop__forward_output"]]["source"] = "print('I pass')"  # a locked cell edited
    own["cells"][at["module_mlp"]]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hi"}]
    own["cells"].insert(at["module_mlp"] + 1, {
        "cell_type": "markdown", "id": "note", "metadata": {}, "source": "My notes <script>alert(1)</script>"})
    own["cells"].insert(at["setup"] + 1, {  # a second cell claiming the setup cell's id
        "cell_type": "code", "id": "scratch", "metadata": {"nbgrader": {"grade_id": "setup"}}, "source": "x = 1",
        "outputs": [{"output_type": "stream", "name": "stdout", "text": "<img src=x onerror=alert(1)>"}],
        "execution_count": 3})
    own["cells"] = [cell for cell in own["cells"]
                    if cell["metadata"].get("nbgrader", {}).get("grade_id") != "mlp_backprop__gradient_shapes"]
    submission = Submission("ch06", {"ch06/mlp.py": MLP_CODE}, origin="notebook")
    notebook = autograded_notebook(_template(), submission, make_result(), own)
    nbformat.validate(nbformat.from_dict(notebook))
    ids = [cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") for cell in notebook["cells"]]
    template = _template()
    assert [grade_id for grade_id in ids if grade_id] == \
        [cell["metadata"]["nbgrader"]["grade_id"] for cell in template.cells]
    cells = _cells(notebook)
    assert cells["mlp_backprop__forward_output"]["source"] == _cells({"cells": list(template.cells)})[
        "mlp_backprop__forward_output"]["source"]
    assert ids.index("mlp_backprop__gradient_shapes") == ids.index("mlp_backprop__forward_output") + 1
    assert cells["module_mlp"]["source"].endswith(MLP_CODE.decode())
    assert "<script>" not in json.dumps(notebook) and "&lt;script&gt;alert(1)&lt;/script&gt;" in json.dumps(notebook)
    assert "onerror" not in json.dumps(notebook)  # a student cell's outputs are cleared
    scratch = notebook["cells"][ids.index("setup") + 1]  # a second "setup": the student's own
    assert scratch["source"] == "x = 1" and scratch["outputs"] == [] and scratch["metadata"] == {}
    assert len({cell["id"] for cell in notebook["cells"]}) == len(notebook["cells"])


def _course(tmp_path) -> NbgraderCourse:
    (tmp_path / "submitted" / "alice" / "ch06").mkdir(parents=True)
    return NbgraderCourse(root=tmp_path, db_url=f"sqlite:///{tmp_path / 'gradebook.db'}")


def test_the_writer_copies_the_submissions_timestamp_and_leaves_an_up_to_date_notebook_be(tmp_path):
    course = _course(tmp_path)
    (tmp_path / "submitted" / "alice" / "ch06" / "timestamp.txt").write_text("2024-03-01 10:00:00.500000 UTC")
    writer = AutogradedWriter(course, load_chapter("ch06"), _template(), load_release("ch06").is_stub)
    stub = release_files("ch06")["ch06/optim.py"]
    files = {"ch06/mlp.py": MLP_CODE, "ch06/optim.py": stub.encode() if isinstance(stub, str) else stub}
    facts = writer.write("alice", Submission("ch06", files), make_result())
    folder = tmp_path / "autograded" / "alice" / "ch06"
    assert facts.timestamp == dt.datetime(2024, 3, 1, 10, 0, 0, 500000)  # as nbgrader's parse_utc reads it
    assert (folder / "timestamp.txt").read_text() == "2024-03-01 10:00:00.500000 UTC"
    assert json.loads((folder / "ch06.ipynb").read_text())["nbformat"] == 4
    assert facts.unanswered == {"module_optim", "module_convmat", "module_variational"}  # stub, missing, missing
    assert writer.is_current("alice")
    (folder / "ch06.ipynb").write_text("{}")
    writer.write("alice", Submission("ch06", files), make_result(), unless_current=True)
    assert (folder / "ch06.ipynb").read_text() == "{}"  # up to date: left be, as nbgrader autograde does
    (tmp_path / "submitted" / "alice" / "ch06" / "timestamp.txt").write_text("2024-03-02 10:00:00 UTC")
    assert not writer.is_current("alice")  # resubmitted since
    writer.write("alice", Submission("ch06", files), make_result(), unless_current=True)
    assert json.loads((folder / "ch06.ipynb").read_text())["cells"]


@pytest.mark.parametrize("name", ["..", ".", "a/b", ""])
def test_a_name_that_is_no_folder_name_gets_no_notebook(tmp_path, name):
    writer = AutogradedWriter(_course(tmp_path), load_chapter("ch06"), _template())
    facts = writer.write(name, Submission("ch06", {"ch06/mlp.py": MLP_CODE}), make_result())
    assert facts.timestamp is None
    assert not (tmp_path / "autograded").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["submitted"]


def test_a_course_and_its_gradebooks_place_come_from_its_own_config(tmp_path):
    assert read_course(tmp_path) is None  # a plain folder of submissions
    (tmp_path / "submitted").mkdir()
    assert read_course(tmp_path) == NbgraderCourse(root=tmp_path, db_url=f"sqlite:///{tmp_path / 'gradebook.db'}")
    assert read_course(tmp_path / "submitted") == read_course(tmp_path)
    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.db_url = "sqlite:///grades/gb.db"\n'
        'c.CourseDirectory.autograded_directory = "graded"\n')
    course = read_course(tmp_path)
    assert course is not None
    assert course.db_url == f"sqlite:///{tmp_path / 'grades' / 'gb.db'}"  # from the course, where nbgrader runs
    assert course.folder(course.autograded_directory, "bob", "ch06") == tmp_path / "graded" / "bob" / "ch06"
    (tmp_path / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.db_url = "postgresql://h/db"\n')
    assert read_course(tmp_path).db_url == "postgresql://h/db"  # type: ignore[union-attr]
    (tmp_path / "nbgrader_config.py").write_text("c = get_config(\n")
    with pytest.raises(ConfigurationError, match="nbgrader_config.py cannot be loaded"):
        read_course(tmp_path)

"""graders/batch/gradebook.py: check scores land as auto scores of the grade cells; a TA's manual
score is never overwritten."""
from __future__ import annotations

import datetime as dt
import json

from nbgrader.api import Gradebook
from sqlalchemy import inspect

from graders.batch.autograded import NotebookFacts
from graders.batch.gradebook import (
    GradebookWriter,
    _alembic_on_path,
    foreign_rows,
    open_gradebook,
    record_through_api,
    schema_revision,
    scores,
)
from graders.chapters import grade_ids, load_chapter
from tests.graders._fresh import last_line_printed
from tests.graders._results import make_result

#: ch06's solution cells, as its source notebook names them (graders/authoring/notebooks.py)
SOLUTION_CELLS = ("module_mlp", "module_optim", "module_convmat", "module_variational")


def test_scores_land_in_the_gradebook_and_manual_scores_survive(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    chapter = load_chapter("ch06")
    with GradebookWriter(url, chapter) as writer:
        assert writer.record("alice", make_result()) == 2
    assert scores(url, "ch06") == {"alice": 2.0}

    _alembic_on_path()
    with Gradebook(url) as gb:  # a TA grades one cell by hand
        grade = gb.find_grade("mlp_backprop__forward_output", "ch06", "ch06", "alice")
        first = chapter.exercises["ch06.optimizers"].checks[0].name
        unscored = gb.find_grade(grade_ids(chapter)["ch06.optimizers", first], "ch06", "ch06", "alice")
        assert not grade.needs_manual_grade and unscored.needs_manual_grade  # as nbgrader's autograder flags them
        grade.manual_score = 0.75
        gb.db.commit()
        cells = {c.name: c.max_score for c in gb.find_notebook("ch06", "ch06").grade_cells}
    assert cells["mlp_backprop__book_ex_6_4"] == 2.0
    assert len(cells) == sum(len(e.checks) for e in chapter.exercises.values())
    hidden = [(e, c) for e in chapter.exercises.values() for c in e.checks if c.visibility != "public"]
    assert hidden and all(f"{e.name}__{c.name}" not in cells for e, c in hidden)  # hidden cells name no check
    first_hidden = next(c for c in chapter.exercises["ch06.optimizers"].checks if c.visibility != "public")
    assert cells["optimizers__hidden_1"] == first_hidden.points

    full = {"ch06.mlp_backprop": [("book_ex_6_4", 2.0, 2.0), ("forward_output", 1.0, 1.0)]}
    with GradebookWriter(url, chapter) as writer:  # a regrade
        writer.record("alice", make_result(scores=full, sha="new"))
    with Gradebook(url) as gb:
        grade = gb.find_grade("mlp_backprop__forward_output", "ch06", "ch06", "alice")
        assert grade.auto_score == 1.0 and grade.manual_score == 0.75
        assert grade.needs_manual_grade  # scored by hand before the regrade: to review, as nbgrader marks it
        assert not gb.find_grade("mlp_backprop__book_ex_6_4", "ch06", "ch06", "alice").needs_manual_grade
    assert scores(url, "ch06") == {"alice": 2.75}


def test_every_check_with_a_grade_cell_gets_its_score_and_others_are_passed_over(tmp_path):
    """A whole submission's scores land cell by cell (each check its own grade), and a check the
    gradebook has no cell for (a grader newer than the gradebook's notebook) is passed over."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    chapter = load_chapter("ch06")
    exercise = chapter.exercises["ch06.optimizers"]
    points = {check.name: float(index % 3) for index, check in enumerate(exercise.checks)}
    checks = [(name, p, 2.0) for name, p in points.items()] + [("not_a_check_of_the_chapter", 2.0, 2.0)]
    with GradebookWriter(url, chapter) as writer:
        assert writer.record("bob", make_result(scores={"ch06.optimizers": checks})) == len(points)
    _alembic_on_path()
    ids = grade_ids(chapter)
    with Gradebook(url) as gb:
        for name, p in points.items():
            assert gb.find_grade(ids["ch06.optimizers", name], "ch06", "ch06", "bob").auto_score == p
        other = gb.find_grade("mlp_backprop__book_ex_6_4", "ch06", "ch06", "bob")
        assert other.auto_score is None
    assert scores(url, "ch06") == {"bob": sum(points.values())}


def test_a_new_gradebook_is_stamped_as_nbgrader_stamps_it(tmp_path):
    """nbgrader learns its schema's revision from ``alembic heads`` in a subprocess; the bridge
    reads it with alembic's API instead. Both give the same revision, a new gradebook carries it,
    and nbgrader's own function is back in place afterwards."""
    import nbgrader.api
    from sqlalchemy import create_engine, text

    _alembic_on_path()
    assert schema_revision() == nbgrader.api.get_alembic_version()  # the subprocess, as nbgrader runs it
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with open_gradebook(url):
        pass
    with create_engine(url).connect() as connection:
        stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert stamped == [schema_revision()]
    assert nbgrader.api.get_alembic_version is not schema_revision
    with Gradebook(url) as gradebook:  # nbgrader opens it as its own, and uses it
        gradebook.add_student("carol")
        assert [student.id for student in gradebook.students] == ["carol"]


def _submission_rows(gradebook: Gradebook, student: str) -> dict:
    """Every column of a submission's rows but the ids: its assignment row, its notebooks', and
    its grades' and comments' by cell name."""
    def columns(row) -> dict:
        return {attr.key: getattr(row, attr.key) for attr in inspect(type(row)).column_attrs
                if attr.key != "id" and not attr.key.endswith("_id") and attr.key != "timestamp"}
    submission = gradebook.find_submission("ch06", student)
    rows = {"assignment": columns(submission), "notebooks": {}}
    for notebook in submission.notebooks:
        rows["notebooks"][notebook.name] = {
            "notebook": columns(notebook),
            "grades": {grade.name: (grade.cell.type, columns(grade)) for grade in notebook.grades},
            "comments": {comment.name: (comment.cell.type, columns(comment)) for comment in notebook.comments}}
    return rows


def test_a_new_submission_is_written_as_nbgraders_add_submission_writes_it(tmp_path):
    """GradebookWriter makes a new submission in one transaction, as nbgrader's ``add_submission``
    would have made it and the grades' auto scores set after: the same rows (every grade cell's
    grade, every solution and task cell's comment, a task cell's grade), the same columns."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    chapter = load_chapter("ch06")
    full = {"ch06.mlp_backprop": [("book_ex_6_4", 2.0, 2.0), ("forward_output", 0.5, 1.0)],
            "ch06.optimizers": [(check.name, 1.0, 1.0) for check in chapter.exercises["ch06.optimizers"].checks]}
    with open_gradebook(url) as gradebook:  # the source notebook's other cells, as generate_assignment records them
        gradebook.update_or_create_assignment("ch06")
        gradebook.update_or_create_notebook("ch06", "ch06")
        gradebook.update_or_create_solution_cell("mlp_solution", "ch06", "ch06")
        gradebook.update_or_create_task_cell("explain_backprop", "ch06", "ch06", max_score=3.0, cell_type="markdown")
    facts = NotebookFacts(dt.datetime(2024, 3, 1, 10), frozenset({"mlp_solution"}))
    with GradebookWriter(url, chapter) as writer:
        gradebook, scored = writer.gradebook, 2 + len(full["ch06.optimizers"])
        assert writer.record("alice", make_result(scores=full), facts) == scored
        assert record_through_api(gradebook, chapter, "bob", make_result(scores=full), facts) == scored  # nbgrader's
        alice, bob = _submission_rows(gradebook, "alice"), _submission_rows(gradebook, "bob")
        assert gradebook.find_submission("ch06", "alice").timestamp == facts.timestamp
        assert gradebook.find_submission("ch06", "bob").timestamp == facts.timestamp
    assert alice == bob
    assert alice["notebooks"]["ch06"]["comments"]["mlp_solution"][1]["auto_comment"] == "No response."
    grades = alice["notebooks"]["ch06"]["grades"]
    assert len(grades) == sum(len(e.checks) for e in chapter.exercises.values()) + 1  # and the task cell's
    assert grades["mlp_backprop__forward_output"][1]["auto_score"] == 0.5
    assert grades["explain_backprop"] == ("TaskCell", grades["explain_backprop"][1])
    assert set(alice["notebooks"]["ch06"]["comments"]) == {"mlp_solution", "explain_backprop"}
    assert scores(url, "ch06") == {"alice": 2.5 + len(full["ch06.optimizers"]),
                                   "bob": 2.5 + len(full["ch06.optimizers"])}


_OPEN_THE_GRADEBOOK_THEN_USE_NBGRADER = """
import json, sys
from importlib.metadata import version
import graders.batch.gradebook
light = sorted(m for m in ("nbconvert", "jupyter_server", "nbgrader.apps", "nbgrader.server_extensions")
               if m in sys.modules)
import nbgrader
from nbgrader.apps import NbGraderAPI  # the rest of nbgrader imports as usual afterwards
from nbgrader.preprocessors import ClearSolutions
print(json.dumps({"loaded_with_the_gradebook": light, "version": nbgrader.__version__ == version("nbgrader"),
                  "package": nbgrader.__path__ == [str(__import__("pathlib").Path(nbgrader.api.__file__).parent)]}))
"""


def test_the_gradebook_imports_nbgraders_package_without_its_server_extensions():
    """graders.batch.gradebook keeps nbgrader's ``__init__`` (its Jupyter server extensions, with
    nbconvert and jupyter_server: 0.4 s) out of the gradebook's import; the rest of nbgrader still
    imports afterwards, and the package has its version."""
    assert json.loads(last_line_printed(_OPEN_THE_GRADEBOOK_THEN_USE_NBGRADER)) == {
        "loaded_with_the_gradebook": [], "version": True, "package": True}


def test_an_nbgrader_imported_already_is_left_as_it_is():
    """In a process that imported nbgrader whole (a Jupyter server), the package stays whole."""
    script = ("import sys, nbgrader; whole = sys.modules['nbgrader']; import graders.batch.gradebook; "
              "print(sys.modules['nbgrader'] is whole and hasattr(nbgrader, '_jupyter_server_extension_points'))")
    assert last_line_printed(script) == "True"


def test_another_nbgrader_version_goes_through_nbgraders_own_api(tmp_path, monkeypatch):
    """With an nbgrader other than the one the shortcuts were written for, the writer records
    through nbgrader's API, and the gradebook ends up the same."""
    from graders.batch import gradebook as module
    chapter = load_chapter("ch06")
    rows = {}
    for version in (module.NBGRADER_VERSION, "0.0.0"):
        monkeypatch.setattr(module, "NBGRADER_VERSION", version)
        url = f"sqlite:///{tmp_path / (version + '.db')}"
        with GradebookWriter(url, chapter, solution_cells=SOLUTION_CELLS) as writer:
            assert writer.shortcuts is (version != "0.0.0")
            assert writer.record("alice", make_result()) == 2
            grade = writer.gradebook.find_grade("mlp_backprop__book_ex_6_4", "ch06", "ch06", "alice")
            grade.manual_score, grade.needs_manual_grade = 1.5, False  # as formgrader saves a TA's score
            writer.gradebook.db.commit()
            assert writer.record("alice", make_result(scores={"ch06.mlp_backprop": [("book_ex_6_4", 1.0, 2.0)]}),
                                 NotebookFacts(None, frozenset({"module_optim"}))) == 1
            rows[version] = _submission_rows(writer.gradebook, "alice")
        assert scores(url, "ch06") == {"alice": 1.5}
    assert rows[module.NBGRADER_VERSION] == rows["0.0.0"]
    grades = rows["0.0.0"]["notebooks"]["ch06"]["grades"]
    assert grades["mlp_backprop__book_ex_6_4"][1]["needs_manual_grade"]  # its auto score changed under the TA's


def test_a_gradebook_at_another_schema_revision_goes_through_nbgraders_own_api(tmp_path):
    from sqlalchemy import text
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with open_gradebook(url) as gradebook:
        gradebook.db.execute(text("UPDATE alembic_version SET version_num = 'someother'"))
        gradebook.db.commit()
    with GradebookWriter(url, load_chapter("ch06")) as writer:
        assert not writer.shortcuts
        assert writer.record("alice", make_result()) == 2
    assert scores(url, "ch06") == {"alice": 2.0}


_ANOTHER_NBGRADER_VERSION = """
import importlib.metadata, sys
importlib.metadata.version = lambda name: "0.0.0"  # as if another nbgrader were installed
from graders.batch import gradebook
import nbgrader
print(hasattr(nbgrader, "_jupyter_server_extension_points"))
"""


def test_another_nbgrader_version_is_imported_whole():
    """The package-without-its-__init__ shortcut is taken only for the known nbgrader version."""
    assert last_line_printed(_ANOTHER_NBGRADER_VERSION) == "True"


def test_the_gradebooks_grade_cells_are_the_released_notebooks(tmp_path):
    """The writer's grade cells are those of the notebook nbgrader releases (same ids, same
    points), so formgrader shows each check's score in its cell; a hidden check's cell is known
    by its opaque id only (graders.chapters.grade_ids)."""
    from graders.authoring.notebooks import source_notebook
    from graders.batch.gradebook import ensure_assignment

    chapter = load_chapter("ch06")
    meta = [cell.metadata["nbgrader"] for cell in source_notebook("ch06").cells]
    in_the_notebook = {m["grade_id"]: m["points"] for m in meta if m["grade"]}
    with open_gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        ensure_assignment(gradebook, chapter)
        cells = {cell.name: cell.max_score for cell in gradebook.find_notebook("ch06", "ch06").grade_cells}
    assert cells == in_the_notebook and any("__hidden_" in name for name in cells)


def _ta_grades(url: str, student: str, cell: str, score: float, comment_cell: str, comment: str) -> None:
    """What formgrader's API does when a TA saves a score and a comment."""
    _alembic_on_path()
    with Gradebook(url) as gradebook:
        grade = gradebook.find_grade(cell, "ch06", "ch06", student)
        grade.manual_score, grade.needs_manual_grade = score, False
        gradebook.find_comment(comment_cell, "ch06", "ch06", student).manual_comment = comment
        gradebook.db.commit()


def _seen(url: str, student: str, cell: str, comment_cell: str) -> tuple:
    _alembic_on_path()
    with Gradebook(url) as gradebook:
        grade = gradebook.find_grade(cell, "ch06", "ch06", student)
        comment = gradebook.find_comment(comment_cell, "ch06", "ch06", student)
        return grade.auto_score, grade.manual_score, grade.needs_manual_grade, comment.manual_comment


def test_a_tas_score_and_comment_survive_regrades_and_a_changed_autograde_is_flagged(tmp_path):
    """A TA's manual score and comment (as formgrader saves them) stay through a resumed batch's
    rewrite of the same result and through a regrade; the grade is flagged for review only when
    its auto score changed under the TA's score, and a TA's resolving it stays resolved."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    chapter = load_chapter("ch06")
    cell, comment_cell = "mlp_backprop__forward_output", "module_mlp"
    with GradebookWriter(url, chapter, solution_cells=SOLUTION_CELLS) as writer:
        writer.record("alice", make_result())  # forward_output: 0 of 1
    _ta_grades(url, "alice", cell, 0.75, comment_cell, "half right: see the bias term")
    with GradebookWriter(url, chapter, solution_cells=SOLUTION_CELLS) as writer:
        writer.record("alice", make_result())  # the same result again (a resumed batch's catch-up)
    assert _seen(url, "alice", cell, comment_cell) == (0.0, 0.75, False, "half right: see the bias term")
    changed = {"ch06.mlp_backprop": [("book_ex_6_4", 2.0, 2.0), ("forward_output", 1.0, 1.0)]}
    with GradebookWriter(url, chapter, solution_cells=SOLUTION_CELLS) as writer:
        writer.record("alice", make_result(scores=changed, sha="new"))  # a regrade that changes it
    assert _seen(url, "alice", cell, comment_cell) == (1.0, 0.75, True, "half right: see the bias term")
    assert scores(url, "ch06") == {"alice": 2.75}  # the manual score wins
    _ta_grades(url, "alice", cell, 0.75, comment_cell, "half right: see the bias term")  # the TA resolves it
    with GradebookWriter(url, chapter, solution_cells=SOLUTION_CELLS) as writer:
        writer.record("alice", make_result(scores=changed, sha="new"))
    assert _seen(url, "alice", cell, comment_cell)[2] is False


def test_a_submission_recorded_before_the_solution_cells_gets_their_comment_rows(tmp_path):
    """A gradebook written before geodl recorded solution cells: the next write of a result
    gives each submission a comment row per solution cell, with nbgrader's auto comment."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    chapter = load_chapter("ch06")
    with GradebookWriter(url, chapter) as writer:
        writer.record("alice", make_result())
        assert writer.gradebook.find_submission_notebook("ch06", "ch06", "alice").comments == []
    facts = NotebookFacts(dt.datetime(2024, 3, 1), frozenset({"module_optim"}))
    with GradebookWriter(url, chapter, solution_cells=SOLUTION_CELLS) as writer:
        writer.record("alice", make_result(), facts)
        notebook = writer.gradebook.find_submission_notebook("ch06", "ch06", "alice")
        assert {c.name: c.auto_comment for c in notebook.comments} == {
            "module_mlp": None, "module_optim": "No response.", "module_convmat": None, "module_variational": None}
        assert writer.gradebook.find_submission("ch06", "alice").timestamp == dt.datetime(2024, 3, 1)


def test_a_gradebook_of_another_class_is_told_apart(tmp_path):
    """foreign_rows names what makes a gradebook another class's: submissions of the chapter by
    students not in the class, or an assignment of its name that is none of geodl's; it never
    creates a gradebook."""
    chapter = load_chapter("ch06")
    missing = tmp_path / "none.db"
    assert foreign_rows(f"sqlite:///{missing}", chapter, ["alice"]) is None and not missing.exists()
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with GradebookWriter(url, chapter) as writer:
        for student in ("alice", "bob", "carol", "dave", "erin"):
            writer.record(student, make_result())
    assert foreign_rows(url, chapter, ["alice", "bob", "carol", "dave", "erin", "frank"]) is None
    why = foreign_rows(url, chapter, ["alice", "zoe"])
    assert why == "holds ch06 submissions of 4 students who are not in this class ('bob', 'carol', 'dave', ...)"
    assert foreign_rows(url, load_chapter("ch07"), ["zoe"]) is None  # nothing of ch07 in it yet
    other = f"sqlite:///{tmp_path / 'other.db'}"
    with open_gradebook(other) as gradebook:  # another course's ch06, made by nbgrader generate_assignment
        gradebook.update_or_create_assignment("ch06")
        gradebook.update_or_create_notebook("problems", "ch06")
        gradebook.update_or_create_grade_cell("q1", "problems", "ch06", max_score=1.0, cell_type="code")
    assert foreign_rows(other, chapter, ["alice"]) == \
        "holds an assignment ch06 whose grade cells ('q1'...) are none of geodl's ch06 checks"

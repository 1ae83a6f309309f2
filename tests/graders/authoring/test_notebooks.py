"""graders/notebooks.py: the nbgrader source notebook, the release nbgrader itself makes from it,
and notebook submissions grading exactly like module submissions."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from graders.authoring.notebooks import source_notebook, student_notebook
from graders.authoring.release import release
from graders.authoring.stubs import VALIDATION_MODULE
from graders.authoring.variants import load_variants, variant_files
from graders.chapters import available_chapters, load_chapter
from graders.grading.engine import grade
from graders.grading.result import stable_view
from graders.grading.settings import get_profile
from graders.grading.submission import Submission, modules_from_notebook
from tests.graders._fresh import last_line_printed

REPO = Path(__file__).resolve().parents[3]
CHAPTER = load_chapter("ch06")


def test_source_notebook_has_solution_cells_and_one_grade_cell_per_check():
    nb = source_notebook("ch06")
    meta = [c.metadata["nbgrader"] for c in nb.cells]
    grade_cells = [m for m in meta if m["grade"]]
    assert len(grade_cells) == sum(len(e.checks) for e in CHAPTER.exercises.values())
    assert sum(m["points"] for m in grade_cells) == CHAPTER.max_points
    assert len({m["grade_id"] for m in meta}) == len(meta), "grade ids must be unique"
    solution_cells = [c for c in nb.cells if c.metadata["nbgrader"]["solution"]]
    assert [c.source.splitlines()[0] for c in solution_cells] == [f"%%writefile {m.split('.', 1)[1]}.py"
                                                                  for m in CHAPTER.modules]
    hidden = [c for c in nb.cells if "### BEGIN HIDDEN TESTS" in c.source]
    assert len(hidden) == sum(ch.visibility != "public" for e in CHAPTER.exercises.values() for ch in e.checks)
    assert source_notebook("ch06") == nb, "generation must be deterministic"


def test_release_clears_solutions_and_hidden_tests():
    nb = student_notebook("ch06")
    text = "\n".join(c.source for c in nb.cells)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text and "raise NotImplementedError()" in text
    assert "# ch06.mlp_backprop · hidden 1 (2 points, run only when your work is graded)" in text
    assert "gradients_match_torch_autograd" not in text


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_the_released_notebook_names_and_describes_no_hidden_check(chapter_id):
    """Item 4 of issue 21: the hidden cells keep their points and an opaque grade id; the name,
    description and call of the check are inside the hidden region, which nbgrader drops."""
    import re

    from graders.chapters import grade_ids

    chapter = load_chapter(chapter_id)
    released = nbformat.writes(student_notebook(chapter_id))  # every cell, id and metadata
    source = {c.metadata["nbgrader"]["grade_id"]: c for c in source_notebook(chapter_id).cells}
    public = {c.name for e in chapter.exercises.values() for c in e.checks if c.visibility == "public"}
    ids = grade_ids(chapter)
    hidden = [(e, c) for e in chapter.exercises.values() for c in e.checks if c.visibility != "public"]
    assert hidden
    for exercise, check in hidden:
        cell_id = ids[exercise.id, check.name]
        assert re.fullmatch(rf"{exercise.name}__hidden_\d+", cell_id)
        outside, _, inside = source[cell_id].source.partition("### BEGIN HIDDEN TESTS")
        assert f'notebook_check("{exercise.id}", "{check.name}", root="..")' in inside
        assert check.name not in outside and cell_id in released
        if check.name not in public:  # a public check of another exercise may share the name
            assert not re.search(rf"\b{re.escape(check.name)}\b", released), check.name
        if check.description:
            assert check.description not in released and check.description in inside, check.name


def test_nbgrader_generate_assignment_makes_the_released_notebook(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(REPO / "solutions", course, ignore=shutil.ignore_patterns("release", "gradebook.db"))
    bin_dir = os.path.dirname(sys.executable)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run([os.path.join(bin_dir, "nbgrader"), "generate_assignment", "ch06", "--force"], cwd=course,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    released = nbformat.read(course / "release" / "ch06" / "ch06.ipynb", as_version=4)
    ours = nbformat.read(REPO / "assignments" / "ch06" / "ch06.ipynb", as_version=4)
    assert [c.source for c in released.cells] == [c.source for c in ours.cells]


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_every_released_and_solution_notebook_writes_importable_modules(chapter_id, tmp_path):
    for kind, nb in (("released", student_notebook(chapter_id)), ("solution", source_notebook(chapter_id))):
        files, notes = modules_from_notebook(nb, chapter_id)
        assert not notes and set(files) == {f"{chapter_id}/{VALIDATION_MODULE}"} | {
            m.replace(".", "/") + ".py" for m in load_chapter(chapter_id).modules}
        for rel, data in files.items():
            (tmp_path / kind / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / kind / rel).write_bytes(data)
        code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
        done = subprocess.run([sys.executable, "-c", code, *load_chapter(chapter_id).modules], cwd=tmp_path / kind,
                              capture_output=True, text=True)
        assert done.returncode == 0, f"{kind} notebook of {chapter_id}: {done.stderr[-1500:]}"


def test_the_nbgrader_round_trip_release_fetch_submit_collect_then_geodl_batch(tmp_path):
    """The standard nbgrader workflow on the course folder, then geodl grades what was collected
    into the same gradebook."""
    course = tmp_path / "course"
    shutil.copytree(REPO / "solutions", course, ignore=shutil.ignore_patterns("release", "gradebook.db", "ch0[1-4]"))
    bin_dir = os.path.dirname(sys.executable)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), "PYTHONPATH": str(REPO)}
    exchange = f"--Exchange.root={tmp_path / 'exchange'}"
    student = tmp_path / "student"
    student.mkdir()

    def nbgrader(*args, cwd):
        done = subprocess.run([os.path.join(bin_dir, "nbgrader"), *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, f"nbgrader {args[0]}: {done.stderr[-2000:]}"
        return done

    nbgrader("generate_assignment", "ch06", "--force", cwd=course)
    nbgrader("release_assignment", "ch06", "--force", exchange, cwd=course)
    nbgrader("fetch_assignment", "ch06", "--course=geodl", exchange, cwd=student)
    fetched = student / "ch06" / "ch06.ipynb"
    nb = nbformat.read(fetched, as_version=4)
    solution = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source_notebook("ch06").cells}
    for cell in nb.cells:  # the student solves the optimizers exercise only
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "module_optim":
            cell.source = solution["module_optim"]
    nbformat.write(nb, fetched)
    nbgrader("submit", "ch06", "--course=geodl", exchange, cwd=student)
    nbgrader("collect", "ch06", exchange, cwd=course)
    collected = list((course / "submitted").glob("*/ch06/ch06.ipynb"))
    assert len(collected) == 1
    who = collected[0].parent.parent.name

    done = subprocess.run([sys.executable, "-m", "graders.cli", "batch", str(course), "-a", "ch06", "--workers", "1",
                           "--out", str(tmp_path / "out"), "--gradebook", f"sqlite:///{course / 'gradebook.db'}",
                           "--preload", "numpy"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    from graders.batch.gradebook import scores
    assert scores(f"sqlite:///{course / 'gradebook.db'}", "ch06") == {who: 9.0}  # the optimizers' 9 points


def test_writefile_cells_outside_the_chapter_are_ignored():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "%%writefile ch06/mlp.py\nX = 1", "%%writefile ../../etc/passwd\nroot", "%%writefile /tmp/x.py\n1",
        "%%writefile ch06/sub/../../x.py\n1", "%%writefile -a ch06/mlp.py\nY = 2", "print('not a module')")]
    files, notes = modules_from_notebook(nb, "ch06")
    assert files == {"ch06/mlp.py": b"X = 1\nY = 2\n"}
    assert len(notes) == 3


def test_a_chapter_with_module_level_helpers_grades_identically_as_a_notebook(tmp_path):
    from graders.grading.client import Worker
    from graders.sandbox import WorkerOptions, get_sandbox
    chapter = load_chapter("ch02")  # its svm.py has a module-level solution region
    release("ch02", tmp_path / "modules", solution=True)
    nbformat.write(source_notebook("ch02"), tmp_path / "ch02.ipynb")
    settings = get_profile("grading").replace(max_examples=4)
    with Worker(get_sandbox("process"), options=WorkerOptions(preload=chapter.preload)) as worker:
        a = grade(Submission.from_path(tmp_path / "modules", "ch02"), chapter, worker, settings,
                  exercises=["ch02.hard_margin_svm"])
        b = grade(Submission.from_path(tmp_path / "ch02.ipynb", "ch02"), chapter, worker, settings,
                  exercises=["ch02.hard_margin_svm"])
    assert a.score == a.max_score == b.score
    assert stable_view(a.to_json()["exercises"]) == stable_view(b.to_json()["exercises"])


@pytest.mark.parametrize("kind", ["solution", "variant"])
def test_notebook_and_module_forms_grade_identically(kind, process_worker, tmp_path):
    settings = get_profile("grading").replace(max_examples=5)
    if kind == "solution":
        release("ch06", tmp_path / "modules", solution=True)
        modules = Submission.from_path(tmp_path / "modules", "ch06")
        nb = source_notebook("ch06")
    else:
        variant = next(v for v in load_variants(CHAPTER) if v.name == "missing_half")
        files = variant_files(CHAPTER, variant)
        modules = Submission("ch06", files)
        nb = source_notebook("ch06")
        for cell in nb.cells:  # the same buggy code, written into the notebook's module cell
            if cell.source.startswith("%%writefile mlp.py"):
                cell.source = "%%writefile mlp.py\n" + files["ch06/mlp.py"].decode()
    path = tmp_path / "ch06.ipynb"
    nbformat.write(nb, path)
    notebook = Submission.from_path(path, "ch06")
    assert notebook.origin == "notebook"
    a = grade(modules, CHAPTER, process_worker, settings).to_json()
    b = grade(notebook, CHAPTER, process_worker, settings).to_json()
    assert a["score"] == b["score"] and (a["score"] == load_chapter("ch06").max_points) == (kind == "solution")
    assert stable_view(a["exercises"]) == stable_view(b["exercises"])


_OPEN_A_NOTEBOOK_AND_THE_GRADEBOOK = """
import json, sys
from graders.cli import skip_iri_parsers
skip_iri_parsers()
from graders.authoring.notebooks import source_notebook
import nbformat, nbgrader.api
notebook = source_notebook("ch06")
nbformat.validate(notebook)
del notebook.cells[0]["source"]
try:
    nbformat.validate(notebook)
    broken = "accepted"
except nbformat.ValidationError:
    broken = "rejected"
print(json.dumps({"broken": broken, "loaded": sorted(m for m in ("rfc3987_syntax", "lark") if sys.modules.get(m))}))
"""


def test_geodl_reads_notebooks_and_opens_the_gradebook_without_jsonschemas_iri_parsers():
    """The geodl command keeps rfc3987_syntax (1 s of Earley grammars at jsonschema's import) out
    of its processes (graders.cli.skip_iri_parsers); notebooks are validated all the same."""
    assert last_line_printed(_OPEN_A_NOTEBOOK_AND_THE_GRADEBOOK) == '{"broken": "rejected", "loaded": []}'


def _with_solution(nb):
    """The released notebook ``nb`` with the worked solution pasted into its module cells."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source_notebook("ch06").cells}
    for cell in nb.cells:
        if cell.metadata["nbgrader"]["grade_id"].startswith("module_"):
            cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
    return nb


def test_the_released_notebook_run_in_its_folder_writes_the_files_that_are_checked_and_graded(tmp_path):
    """Jupyter runs ``OUT/ch06/ch06.ipynb`` in ``OUT/ch06/``: its cells overwrite the stubs there (no
    ``OUT/ch06/ch06/``), its test cells pass on them, and grading ``OUT`` reads that code."""
    from nbclient import NotebookClient

    from graders.authoring.release import release_files
    from graders.chapters import load_release
    from graders.grading.submission import normal_form

    out = tmp_path / "out"
    release("ch06", out)
    nb = _with_solution(nbformat.read(out / "ch06" / "ch06.ipynb", as_version=4))
    folders = sorted(p.name for p in (out / "ch06").iterdir() if p.is_dir())
    in_its_folder = {"metadata": {"path": str(out / "ch06")}}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources=in_its_folder).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []  # every public check passed in its test cell
    assert sorted(p.name for p in (out / "ch06").iterdir() if p.is_dir()) == folders  # no ch06/ch06/
    worked = release_files("ch06", solution=True)
    for module in CHAPTER.modules:
        rel = module.replace(".", "/") + ".py"
        assert normal_form((out / rel).read_bytes()) == normal_form(worked[rel]), rel
    nbformat.write(nb, out / "ch06" / "ch06.ipynb")  # saved: the notebook and the files agree
    submission = Submission.from_path(out, "ch06", release=load_release("ch06"))
    assert submission.origin == "modules" and submission.notes == ()


def test_the_notebook_stops_where_it_does_not_run_in_its_chapter_folder(tmp_path, monkeypatch):
    setup = next(c.source for c in student_notebook("ch06").cells if c.metadata["nbgrader"]["grade_id"] == "setup")
    (tmp_path / "ch06").mkdir()
    monkeypatch.chdir(tmp_path / "ch06")
    exec(setup, {})  # noqa: S102 - our own generated cell
    monkeypatch.chdir(tmp_path)
    with pytest.raises(RuntimeError, match="must run in its folder ch06/"):
        exec(setup, {})  # noqa: S102


def test_the_test_cells_check_the_folder_that_holds_the_chapter():
    sources = [c.source for c in source_notebook("ch06").cells if c.metadata["nbgrader"]["grade"]]
    assert sources and all('root="..")' in source for source in sources)


def _chapter_with_checks(checks: dict[str, list[tuple[str, str]]]):
    """A chapter ``ch98`` whose exercise ``ch98.<name>`` has the checks ``[(check, visibility)]``."""
    from graders.grading.spec import Chapter

    chapter = Chapter("ch98", title="t")
    for exercise_name, declared in checks.items():
        exercise = chapter.exercise(f"ch98.{exercise_name}", module=f"ch98.{exercise_name}", functions=("f",))
        for name, visibility in declared:
            def check(ctx):
                return None
            check.__name__ = name
            exercise.check(points=1, visibility=visibility)(check)
    return chapter


def test_grade_ids_number_the_hidden_checks_of_each_exercise_and_refuse_a_clash():
    from graders.chapters import grade_ids
    from graders.errors import ConfigurationError

    chapter = _chapter_with_checks({
        "alpha": [("shape", "public"), ("secret_one", "hidden"), ("late", "after_deadline"), ("value", "public")],
        "beta": [("secret_two", "hidden")]})
    assert grade_ids(chapter) == {
        ("ch98.alpha", "shape"): "alpha__shape", ("ch98.alpha", "secret_one"): "alpha__hidden_1",
        ("ch98.alpha", "late"): "alpha__hidden_2", ("ch98.alpha", "value"): "alpha__value",
        ("ch98.beta", "secret_two"): "beta__hidden_1"}
    clash = _chapter_with_checks({"alpha": [("hidden_1", "public"), ("secret", "hidden")]})
    with pytest.raises(ConfigurationError, match="two checks of ch98 get the grade id 'alpha__hidden_1'"):
        grade_ids(clash)

"""graders/grading/submission.py, which code is graded: a submission holding the module files and
the notebook is settled file by file by the rule of the module's docstring (the form that is not the
released stub; where both hold the student's own code, the module file), provided files are graded
as released, and each choice reaches the student: in the result (``submission.notes``, ``sources``),
the feedback, ``geodl grade`` and ``geodl check``, and a batch's stored result."""
from __future__ import annotations

from pathlib import Path

import pytest

from graders.grading.submission import Submission


@pytest.fixture(scope="module")
def ch06_release():
    from graders.chapters import load_release
    return load_release("ch06")


def _released(tmp_path: Path, *, solution: tuple[str, ...] = (), notebook_solution: tuple[str, ...] = ()) -> Path:
    """``geodl release ch06`` under ``tmp_path/out``, with the worked solution written into the
    named module files and the named modules' notebook cells."""
    import nbformat

    from graders.authoring.notebooks import source_notebook
    from graders.authoring.release import release, release_files

    out = tmp_path / "out"
    release("ch06", out)
    worked = release_files("ch06", solution=True)
    for name in solution:
        (out / "ch06" / name).write_text(worked[f"ch06/{name}"])
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source_notebook("ch06").cells}
    nb = nbformat.read(out / "ch06" / "ch06.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata["nbgrader"]["grade_id"] in {f"module_{n[:-3]}" for n in notebook_solution}:
            cell.source = answers[cell.metadata["nbgrader"]["grade_id"]]
    nbformat.write(nb, out / "ch06" / "ch06.ipynb")
    return out


def _is_solution(submission: Submission, name: str) -> bool:
    from graders.authoring.release import release_files
    from graders.grading.submission import normal_form
    worked = release_files("ch06", solution=True)[f"ch06/{name}"]
    return normal_form(submission.files[f"ch06/{name}"]) == normal_form(worked)


def test_a_module_form_student_is_graded_on_her_modules_beside_the_untouched_notebook(tmp_path, ch06_release):
    out = _released(tmp_path, solution=("mlp.py", "optim.py"))
    sub = Submission.from_path(out, "ch06", release=ch06_release)
    assert sub.origin == "modules" and _is_solution(sub, "mlp.py") and _is_solution(sub, "optim.py")
    assert {rel: src for rel, src in sub.sources.items() if src != "modules"} == {"ch06/_validation.py": "release"}
    assert sub.notes == ("graded your module files; your notebook ch06/ch06.ipynb differs from them: it holds the "
                         "released stub of ch06/mlp.py, ch06/optim.py",)


@pytest.mark.parametrize("layout", ["release", "nbgrader"])
def test_a_notebook_form_student_is_graded_on_her_notebook_beside_the_untouched_stubs(tmp_path, ch06_release, layout):
    """Whether or not she ran its cells: run, they wrote the same code into the module files."""
    out = _released(tmp_path, notebook_solution=("mlp.py", "optim.py"))
    root = out if layout == "release" else out / "ch06"  # nbgrader's submitted/<student>/ch06/
    sub = Submission.from_path(root, "ch06", release=ch06_release)
    assert sub.origin == "notebook" and _is_solution(sub, "mlp.py") and _is_solution(sub, "optim.py")
    assert sub.sources["ch06/mlp.py"] == "notebook" and sub.sources["ch06/convmat.py"] == "modules"  # both stubs
    nb = "ch06/ch06.ipynb" if layout == "release" else "ch06.ipynb"
    assert sub.notes == (f"graded the code of your notebook {nb} for ch06/mlp.py, ch06/optim.py: your module files are "
                         "the released stubs",)
    for name in ("mlp.py", "optim.py"):  # the cells run: the files hold the same code, nothing to say
        (out / "ch06" / name).write_bytes(sub.files[f"ch06/{name}"])
    ran = Submission.from_path(root, "ch06", release=ch06_release)
    assert ran.files == sub.files and ran.notes == () and ran.origin == "modules"


def test_where_both_forms_hold_different_own_code_the_module_file_is_graded_and_a_note_says_so(tmp_path,
                                                                                              ch06_release):
    out = _released(tmp_path, solution=("optim.py",), notebook_solution=("mlp.py", "optim.py"))
    (out / "ch06" / "optim.py").write_text((out / "ch06" / "optim.py").read_text() + "\nEXTRA = 1\n")
    (out / "ch06" / "convmat.py").unlink()
    sub = Submission.from_path(out, "ch06", release=ch06_release)
    assert sub.origin == "mixed" and b"EXTRA = 1" in sub.files["ch06/optim.py"] and _is_solution(sub, "mlp.py")
    assert sub.sources["ch06/convmat.py"] == "notebook"  # missing: the notebook's (stub) cell, no note
    assert sub.notes == (
        "graded the code of your notebook ch06/ch06.ipynb for ch06/mlp.py: your module file is the released stub",
        "graded your module file ch06/optim.py: your notebook ch06/ch06.ipynb has different code for it, not graded "
        "(where both hold your own code, the module file is graded)")


def test_provided_files_are_graded_as_released(tmp_path, ch06_release):
    folder = tmp_path / "only" / "ch06"
    folder.mkdir(parents=True)
    (folder / "optim.py").write_text("X = 1\n")
    sub = Submission.from_path(folder.parent, "ch06", release=ch06_release)  # missing: restored, nothing said
    assert sub.files["ch06/_validation.py"] == ch06_release.provided["ch06/_validation.py"] and sub.notes == ()
    (folder / "_validation.py").write_text("def check_array(*a, **k):\n    return a[0]\n")
    sub = Submission.from_path(folder.parent, "ch06", release=ch06_release)
    assert sub.files["ch06/_validation.py"] == ch06_release.provided["ch06/_validation.py"]
    assert sub.notes == ("ch06/_validation.py is provided and was graded as released: your copy was edited, "
                         "and ignored",)
    bare = ch06_release.provided["ch06/_validation.py"].split(b"\n", 1)[1]  # a copy without the header line
    (folder / "_validation.py").write_bytes(bare.replace(b"\n", b"\r\n"))
    assert Submission.from_path(folder.parent, "ch06", release=ch06_release).notes == ()


def test_without_a_release_the_module_file_wins_and_nothing_is_restored(tmp_path):
    out = _released(tmp_path, notebook_solution=("mlp.py",))
    (out / "ch06" / "_validation.py").unlink()
    (out / "ch06" / "optim.py").unlink()
    sub = Submission.from_path(out, "ch06")
    assert not _is_solution(sub, "mlp.py") and sub.sources["ch06/mlp.py"] == "modules"
    assert sub.sources["ch06/optim.py"] == sub.sources["ch06/_validation.py"] == "notebook"
    assert sub.notes[0].startswith("graded the code of your notebook ch06/ch06.ipynb for ch06/_validation.py, "
                                   "ch06/optim.py: there are no such module files")


def test_a_notebook_cell_names_its_file_next_to_the_notebook_or_under_the_chapter_folder():
    import nbformat

    from graders.grading.submission import modules_from_notebook
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in (
        "%%writefile mlp.py\nA = 1", "%%writefile ./optim.py\nB = 2", "%%writefile ch06/convmat.py\nC = 3",
        "%%writefile --append mlp.py\nD = 4", "%%writefile ../mlp.py\nE = 5", "%%writefile ch06/x/../mlp.py\nF = 6")]
    files, notes = modules_from_notebook(nb, "ch06")
    assert files == {"ch06/mlp.py": b"A = 1\nD = 4\n", "ch06/optim.py": b"B = 2\n", "ch06/convmat.py": b"C = 3\n"}
    assert [n.split(":")[0] for n in notes] == ["ignored a %%writefile cell for '../mlp.py'",
                                                "ignored a %%writefile cell for 'ch06/x/../mlp.py'"]


def test_a_student_who_submits_only_the_module_she_changed_keeps_the_provided_helpers(tmp_path, process_worker,
                                                                                      ch06_release):
    from graders.authoring.release import release_files
    from graders.chapters import load_chapter
    from graders.grading.engine import grade
    from graders.grading.settings import get_profile

    folder = tmp_path / "bob" / "ch06"
    folder.mkdir(parents=True)
    (folder / "optim.py").write_text(release_files("ch06", solution=True)["ch06/optim.py"])
    sub = Submission.from_path(folder.parent, "ch06", release=ch06_release)
    result = grade(sub, load_chapter("ch06"), process_worker, get_profile("grading").replace(max_examples=5),
                   exercises=["ch06.optimizers"])
    assert result.score == result.max_score == 9


# --------------------------------------------------------------------------- end to end, through grade()
NOTEBOOK = "ch06/ch06.ipynb"
BOTH_DIFFER = (f"graded your module file ch06/optim.py: your notebook {NOTEBOOK} has different code for it, not graded "
               "(where both hold your own code, the module file is graded)")
#: the same, for the chapter folder itself (nbgrader's ``submitted/<student>/ch06/``, a batch's item)
BOTH_DIFFER_IN_ITS_FOLDER = BOTH_DIFFER.replace(NOTEBOOK, "ch06.ipynb")
STUB_BESIDE_NOTEBOOK = (f"graded the code of your notebook {NOTEBOOK} for ch06/optim.py: your module file is the "
                        "released stub")
EDITED_VALIDATION = "ch06/_validation.py is provided and was graded as released: your copy was edited, and ignored"


def _worked(name: str) -> str:
    from graders.authoring.release import release_files
    return release_files("ch06", solution=True)[f"ch06/{name}"]


def _wrong_optim() -> bytes:
    """optim.py with a plausible bug (the sign of the momentum step flipped): it loses points."""
    from graders.authoring.variants import load_variants, variant_files
    from graders.chapters import load_chapter

    chapter = load_chapter("ch06")
    variant = next(v for v in load_variants(chapter) if v.name == "momentum_sign_flip")
    return variant_files(chapter, variant)["ch06/optim.py"]


def _both_the_same(tmp_path: Path) -> Path:  # she ran the notebook's cells: they wrote its code into optim.py
    return _released(tmp_path, solution=("optim.py",), notebook_solution=("optim.py",))


def _notebook_only(tmp_path: Path) -> Path:
    out = _released(tmp_path, notebook_solution=("optim.py",))
    for path in (out / "ch06").glob("*.py"):
        path.unlink()
    return out


def _modules_only(tmp_path: Path) -> Path:
    out = _released(tmp_path, solution=("optim.py",))
    (out / "ch06" / "ch06.ipynb").unlink()
    return out


def _both_differ(tmp_path: Path) -> Path:  # her own code in both, and not the same
    out = _released(tmp_path, notebook_solution=("optim.py",))
    (out / "ch06" / "optim.py").write_bytes(_wrong_optim())
    return out


def _stub_beside_the_notebook(tmp_path: Path) -> Path:  # she never ran the notebook's cells
    return _released(tmp_path, notebook_solution=("optim.py",))


def _edited_validation(tmp_path: Path) -> Path:
    out = _released(tmp_path, solution=("optim.py",), notebook_solution=("optim.py",))
    path = out / "ch06" / "_validation.py"
    path.write_text(path.read_text() + "\n\ndef check_array(*args, **kwargs):\n    raise RuntimeError('mine')\n")
    return out


def _validation_missing(tmp_path: Path) -> Path:  # issue 21: "0/9, No module named 'ch06._validation'"
    folder = tmp_path / "bob" / "ch06"
    folder.mkdir(parents=True)
    (folder / "optim.py").write_text(_worked("optim.py"))
    return folder.parent


#: case -> (the submission, full marks?, origin, where optim.py is graded from, notes)
CASES = {
    "both forms the same": (_both_the_same, True, "modules", "modules", ()),
    "notebook only": (_notebook_only, True, "notebook", "notebook", ()),
    "modules only": (_modules_only, True, "modules", "modules", ()),
    "both differ": (_both_differ, False, "modules", "modules", (BOTH_DIFFER,)),
    "the stub beside the notebook": (_stub_beside_the_notebook, True, "notebook", "notebook", (STUB_BESIDE_NOTEBOOK,)),
    "an edited _validation.py": (_edited_validation, True, "modules", "modules", (EDITED_VALIDATION,)),
    "_validation.py missing": (_validation_missing, True, "modules", "modules", ()),
}


def _grade_optimizers(root: Path, release, worker):
    from graders.chapters import load_chapter
    from graders.grading.engine import grade
    from graders.grading.settings import get_profile

    submission = Submission.from_path(root, "ch06", release=release)
    return grade(submission, load_chapter("ch06"), worker, get_profile("grading").replace(max_examples=5),
                 exercises=["ch06.optimizers"])


def _printed(result) -> str:
    """What ``geodl grade`` prints for ``result``, its lines joined (rich wraps them)."""
    import io

    from rich.console import Console

    from graders.report.terminal import print_result

    console = Console(file=io.StringIO(), width=100)
    print_result(result, console=console)
    return " ".join(console.file.getvalue().split())


@pytest.mark.parametrize("case", CASES)
def test_each_form_grades_by_the_rule_and_its_notes_reach_the_result_and_the_feedback(case, tmp_path, process_worker,
                                                                                     ch06_release):
    import html

    from graders.report.exports import gradescope_results, submission_notes
    from graders.report.html import render_feedback

    make, full_marks, origin, source, notes = CASES[case]
    result = _grade_optimizers(make(tmp_path), ch06_release, process_worker)
    assert result.max_score == 9 and (result.score == 9) == full_marks and result.score > 0
    described = result.to_json()["submission"]
    assert described["origin"] == origin and described["notes"] == list(notes)
    assert described["sources"]["ch06/optim.py"] == source and described["sources"]["ch06/_validation.py"] == "release"
    assert submission_notes(result) == list(notes)  # each once, one a line
    page, printed, output = render_feedback("ann", result), _printed(result), gradescope_results(result)["output"]
    for note in notes:
        assert f"<li>{html.escape(note)}</li>" in page and f"note: {note}" in printed and f"note: {note}" in output
    assert ("note:" in printed) == bool(notes)


def test_geodl_grade_and_geodl_check_print_which_form_was_graded(tmp_path, capsys):
    from graders.cli import main

    out = _both_differ(tmp_path)
    assert main(["grade", str(out), "--assignment", "ch06", "--exercise", "ch06.optimizers", "--sandbox", "process",
                 "--json", str(tmp_path / "r.json")]) == 0
    assert f"note: {BOTH_DIFFER}" in " ".join(capsys.readouterr().out.split())
    import json
    assert json.loads((tmp_path / "r.json").read_text())["submission"]["notes"] == [BOTH_DIFFER]
    assert main(["check", "ch06", "--path", str(out)]) == 1  # the stubs of the other exercises fail
    assert f"note: {BOTH_DIFFER}" in " ".join(capsys.readouterr().out.split())


def test_a_batch_stores_the_notes_of_each_submission(tmp_path):
    """A tiny class through ``run_batch`` (the ``geodl batch`` of a folder of submissions):
    discovery reads each submission with the release, and the stored result keeps its notes."""
    from graders.batch.discovery import discover
    from graders.batch.run import BatchOptions, run_batch
    from graders.batch.store import ResultStore
    from graders.grading.settings import get_profile

    (tmp_path / "class").mkdir()
    _both_differ(tmp_path / "ann").rename(tmp_path / "class" / "ann")
    _validation_missing(tmp_path / "bob").rename(tmp_path / "class" / "bob")
    store = ResultStore(f"sqlite:///{tmp_path / 'results.db'}")
    options = BatchOptions("ch06", get_profile("grading").replace(max_examples=3), sandbox="process", workers=1,
                           preload=("numpy",))
    summary = run_batch(discover(tmp_path / "class", "ch06"), store, options)
    assert summary.graded == 2 and summary.errors == 0
    latest = dict(store.latest("ch06"))
    assert latest["ann"].submission["notes"] == [BOTH_DIFFER_IN_ITS_FOLDER]
    assert latest["ann"].message == BOTH_DIFFER_IN_ITS_FOLDER
    optimizers = {r.id: r for r in latest["bob"].exercises}["ch06.optimizers"]
    assert latest["bob"].submission["notes"] == [] and optimizers.score == optimizers.max_score == 9

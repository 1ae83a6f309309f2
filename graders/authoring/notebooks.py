"""The nbgrader form of a chapter: the source notebook (generated from ``geodl_ref`` and the
grader specs) and the released notebook. (Reading a submitted notebook back into modules is
grading's: :func:`graders.grading.submission.modules_from_notebook`.)

The released notebook sits in the chapter folder, ``chNN/chNN.ipynb``, beside the module files,
and Jupyter runs it there. Its cells write those same files, next to the notebook: one place for
the student's code, whichever form she works in, and the files ``pytest chNN``, ``geodl check``
and the grader read. Notebook layout (one chapter = one notebook ``chNN.ipynb``):

* a locked setup cell that stops with a clear message where the notebook does not run in its
  folder ``chNN/`` (its files would land elsewhere), and a locked ``%%writefile _validation.py``
  cell (the provided validation helpers, for a notebook handed out alone, as nbgrader does);
* per module, a solution cell ``%%writefile <module>.py`` holding the module with its
  ``### BEGIN SOLUTION`` regions (nbgrader's ``ClearSolutions`` turns them into stubs), so that
  running the cell writes exactly the file the module form has;
* per check, an autograded test cell (the check's points; grade id from
  :func:`graders.chapters.grade_ids`) that runs the check through
  :func:`graders.cli.selfcheck.notebook_check` (imported from the release's ``.geodl/geodl_selfcheck.py``, which
  the setup cell puts on the path) on the files of ``..`` (the folder that holds
  ``chNN/``). A hidden check's cell keeps its name, description and call between
  ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``, which nbgrader drops from the released
  notebook; what stays there (its grade id ``<exercise>__hidden_<k>``, its points, its cell id)
  names nothing of it.

Grading never executes a notebook: :func:`graders.grading.submission.modules_from_notebook` reads the ``%%writefile``
cells back into the chapter's files, so a notebook and the same code as modules grade
identically; :mod:`graders.grading.submission` says which form is graded where a submission
holds both. The student's released notebook is made by nbgrader's own preprocessors.
"""
from __future__ import annotations

import nbformat
from nbformat.notebooknode import NotebookNode

from graders.authoring.stubs import BEGIN, END, REF_ROOT, VALIDATION_MODULE, rewrite_imports
from graders.chapters import grade_ids, load_chapter
from graders.grading.spec import CheckSpec

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def _meta(grade_id_: str, *, solution: bool = False, grade: bool = False, locked: bool = False,
          points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id_, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook(chapter_id: str) -> NotebookNode:
    """The instructor's nbgrader source notebook of a chapter (solutions and hidden tests in)."""
    chapter = load_chapter(chapter_id)
    ids = grade_ids(chapter)
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = KERNELSPEC
    nb.metadata.language_info = {"name": "python"}
    cells = [
        nbformat.v4.new_markdown_cell(_intro(chapter), metadata=_meta("intro", locked=True)),
        nbformat.v4.new_code_cell(_setup_source(chapter), metadata=_meta("setup", locked=True)),
        nbformat.v4.new_code_cell(
            f"%%writefile {VALIDATION_MODULE}\n"
            + rewrite_imports((REF_ROOT / VALIDATION_MODULE).read_text(), chapter_id),
            metadata=_meta("validation_module", locked=True)),
    ]
    for module in chapter.modules:
        exercises = [e for e in chapter.exercises.values() if e.module == module]
        rel = module.replace(".", "/") + ".py"
        name = _in_chapter(module)
        text = _guard_module_regions(rewrite_imports((REF_ROOT / rel).read_text(), chapter_id))
        points = sum(e.max_points for e in exercises)
        cells.append(nbformat.v4.new_markdown_cell(
            f"## `{rel}` — {', '.join(e.id for e in exercises)} ({_points(points)})\n\n"
            f"Fill in the code marked `YOUR CODE HERE`, then run the cell: it writes `{name}` next to this "
            f"notebook, the file `{rel}` of your release.",
            metadata=_meta(f"about_{module.split('.', 1)[1]}", locked=True)))
        cells.append(nbformat.v4.new_code_cell(f"%%writefile {name}\n{text}",
                                               metadata=_meta(f"module_{module.split('.', 1)[1]}", solution=True)))
        for exercise in exercises:
            cells.append(nbformat.v4.new_markdown_cell(
                f"### {exercise.id}: {exercise.title}\n\nThe cells below run the checks of this exercise "
                "(hidden ones only when your work is graded).",
                metadata=_meta(f"checks_{exercise.name}", locked=True)))
            for check in exercise.checks:
                cell_id = ids[exercise.id, check.name]
                cells.append(nbformat.v4.new_code_cell(_test_source(exercise.id, check, cell_id),
                                                       metadata=_meta(cell_id, grade=True, locked=True,
                                                                      points=check.points)))
    for cell in cells:  # stable ids (nbformat would draw random ones): the grade id, at most 64 chars
        cell["id"] = cell.metadata["nbgrader"]["grade_id"][:64]
    nb.cells = cells
    return nb


def _guard_module_regions(text: str) -> str:
    """Put each column-0 solution region (module-level helpers) in a ``try`` block.

    nbgrader replaces every region by ``raise NotImplementedError()``; at module level that
    would make the student's module fail to import. Inside ``try: ... except
    NotImplementedError: pass`` the released stub imports, and the solution defines the same
    module-level names as before.
    """
    out, inside = [], False
    for line in text.splitlines():
        if line.startswith(BEGIN):
            out += ["# Helpers of your own (optional) go in this block.", "try:", "    " + line]
            inside = True
        elif inside and line.startswith(END):
            out += ["    " + line, "except NotImplementedError:", "    pass"]
            inside = False
        else:
            out.append(("    " + line if line.strip() else line) if inside else line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _in_chapter(module: str) -> str:
    """The file of ``module`` relative to its chapter folder: ``ch06.mlp`` -> ``mlp.py``."""
    return module.split(".", 1)[1].replace(".", "/") + ".py"


def _setup_source(chapter) -> str:
    folders = sorted({_in_chapter(m).rpartition("/")[0] for m in chapter.modules} - {""})
    lines = [
        "import os",
        "import sys",
        "",
        f"# The cells below write your code next to this notebook, in its folder {chapter.id}/: the files that",
        f"# `pytest {chapter.id}`, `geodl check {chapter.id}` and the grader read (from the folder that holds "
        f"{chapter.id}/).",
        f'if os.path.basename(os.getcwd()) != "{chapter.id}":',
        f'    raise RuntimeError(f"this notebook must run in its folder {chapter.id}/, where it writes your "',
        f'                       f"code; it runs in {{os.getcwd()!r}}: open {chapter.id}/{chapter.id}.ipynb of your "',
        '                       "release")',
    ]
    lines += [f'os.makedirs("{folder}", exist_ok=True)' for folder in folders]
    lines += ["sys.path.insert(0, os.path.abspath(\".geodl\"))  # the self-check's runtime, next to this notebook"]
    return "\n".join(lines)


def _intro(chapter) -> str:
    example = _in_chapter(chapter.modules[0]) if chapter.modules else "module.py"
    return (f"# {chapter.id}: {chapter.title}\n\n"
            f"Your code goes in the code cells below, in the places marked `YOUR CODE HERE`. Running a code cell "
            f"writes its module file next to this notebook (`%%writefile {example}` writes `{chapter.id}/{example}`): "
            "the same files the module form of the exercises has, and the files that are checked and graded. "
            "Run the cells from the top; the test cells check your code the way the grader will (their hidden "
            "checks run only when your work is graded). You can also check yourself from a terminal, in the "
            f"folder that holds `{chapter.id}/`: `pytest {chapter.id}`. `README.md`, next to this notebook, says "
            "what to submit and how the score is made.")


def _test_source(exercise_id: str, check: CheckSpec, cell_id: str) -> str:
    """A check's test cell. A hidden check's name and description stay inside its hidden region,
    which the released notebook drops: outside it, the cell says only which hidden check of the
    exercise it is, by its opaque grade id (:func:`graders.chapters.grade_ids`)."""
    body = ('from geodl_selfcheck import notebook_check\n\n'
            f'notebook_check("{exercise_id}", "{check.name}", root="..")')
    if check.visibility == "public":
        about = f"\n# {check.description}" if check.description else ""
        return f"# {exercise_id} · {check.name} ({_points(check.points)}){about}\n{body}"
    secret = f"# {check.name}" + (f": {check.description}" if check.description else "")
    return (f"# {exercise_id} · {cell_id.split('__', 1)[1].replace('_', ' ')} ({_points(check.points)}, "
            "run only when your work is graded)\n"
            f"### BEGIN HIDDEN TESTS\n{secret}\n{body}\n### END HIDDEN TESTS")


def _points(points: float) -> str:
    return f"{points:g} point" + ("" if points == 1 else "s")


def student_notebook(chapter_id: str) -> NotebookNode:
    """The released notebook: the source after nbgrader's ClearSolutions and ClearHiddenTests."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearOutput, ClearSolutions

    nb = source_notebook(chapter_id)  # a fresh notebook: the preprocessors may change it in place
    resources: dict = {}
    for preprocessor in (ClearSolutions(), ClearHiddenTests(), ClearOutput()):
        nb, resources = preprocessor.preprocess(nb, resources)
    return nb


def source_notebook_text(chapter_id: str) -> str:
    return nbformat.writes(source_notebook(chapter_id)) + "\n"


def student_notebook_text(chapter_id: str) -> str:
    return nbformat.writes(student_notebook(chapter_id)) + "\n"

"""The nbgrader form of a chapter: the source notebook (generated from ``geodl_ref`` and the
grader specs) and the released notebook. (Reading a submitted notebook back into modules is
grading's: :func:`graders.grading.submission.modules_from_notebook`.)

Notebook layout (one chapter = one notebook ``chNN.ipynb``):

* a locked setup cell that creates the ``chNN/`` folder next to the notebook, and a locked
  ``%%writefile chNN/_validation.py`` cell (the shipped validation helpers);
* per module, a solution cell ``%%writefile chNN/<module>.py`` holding the module with its
  ``### BEGIN SOLUTION`` regions (nbgrader's ``ClearSolutions`` turns them into stubs), so that
  running the cell writes exactly the file the module form has;
* per check, an autograded test cell (grade id ``<exercise>__<check>``, the check's points)
  that runs the check through :func:`graders.cli.selfcheck.notebook_check`; hidden checks sit
  between ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS``.

Grading never executes a notebook: :func:`graders.grading.submission.modules_from_notebook` reads the ``%%writefile``
cells back into the chapter's files, so a notebook and the same code as modules grade
identically. The student's released notebook is made by nbgrader's own preprocessors.
"""
from __future__ import annotations

import nbformat
from nbformat.notebooknode import NotebookNode

from graders.authoring.stubs import BEGIN, END, REF_ROOT, VALIDATION_MODULE, rewrite_imports
from graders.chapters import load_chapter
from graders.grading.spec import grade_id

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
    nb = nbformat.v4.new_notebook()
    nb.metadata.kernelspec = KERNELSPEC
    nb.metadata.language_info = {"name": "python"}
    cells = [
        nbformat.v4.new_markdown_cell(_intro(chapter), metadata=_meta("intro", locked=True)),
        nbformat.v4.new_code_cell(f'import os\n\nos.makedirs("{chapter_id}", exist_ok=True)',
                                  metadata=_meta("setup", locked=True)),
        nbformat.v4.new_code_cell(
            f"%%writefile {chapter_id}/{VALIDATION_MODULE}\n"
            + rewrite_imports((REF_ROOT / VALIDATION_MODULE).read_text(), chapter_id),
            metadata=_meta("validation_module", locked=True)),
    ]
    for module in chapter.modules:
        exercises = [e for e in chapter.exercises.values() if e.module == module]
        rel = module.replace(".", "/") + ".py"
        text = _guard_module_regions(rewrite_imports((REF_ROOT / rel).read_text(), chapter_id))
        points = sum(e.max_points for e in exercises)
        cells.append(nbformat.v4.new_markdown_cell(
            f"## `{rel}` — {', '.join(e.id for e in exercises)} ({points:g} points)\n\n"
            f"Fill in the code marked `YOUR CODE HERE`, then run the cell: it writes `{rel}`.",
            metadata=_meta(f"about_{module.split('.', 1)[1]}", locked=True)))
        cells.append(nbformat.v4.new_code_cell(f"%%writefile {rel}\n{text}",
                                               metadata=_meta(f"module_{module.split('.', 1)[1]}", solution=True)))
        for exercise in exercises:
            cells.append(nbformat.v4.new_markdown_cell(
                f"### {exercise.id}: {exercise.title}\n\nThe cells below run the checks of this exercise "
                "(hidden ones only when your notebook is graded).",
                metadata=_meta(f"checks_{exercise.name}", locked=True)))
            for check in exercise.checks:
                cells.append(nbformat.v4.new_code_cell(_test_source(exercise.id, check),
                                                       metadata=_meta(grade_id(exercise.id, check.name), grade=True,
                                                                      locked=True, points=check.points)))
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


def _intro(chapter) -> str:
    return (f"# {chapter.id}: {chapter.title}\n\n"
            "Each exercise's code cell is written to a module file when you run it "
            f"(`%%writefile {chapter.id}/...`). Run the cells from the top; the test cells check your "
            "code the way the grader will (their hidden checks run only when your notebook is graded). "
            f"You can also check yourself from a terminal: `geodl check {chapter.id}`.")


def _test_source(exercise_id: str, check) -> str:
    head = (f"# {exercise_id} · {check.name} "
            f"({check.points:g} points{', hidden' if check.visibility != 'public' else ''})")
    if check.description:
        head += f"\n# {check.description}"
    body = f'from graders.cli.selfcheck import notebook_check\n\nnotebook_check("{exercise_id}", "{check.name}")'
    if check.visibility == "public":
        return f"{head}\n{body}"
    return f"{head}\n### BEGIN HIDDEN TESTS\n{body}\n### END HIDDEN TESTS"


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

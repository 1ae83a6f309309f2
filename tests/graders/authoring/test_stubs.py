"""graders/authoring/stubs.py and release.py: stubs keep signatures and validation, lose the
solution; releases import cleanly."""
from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from graders.authoring.release import release, release_files
from graders.authoring.stubs import regions, rewrite_imports, stub_source
from graders.chapters import available_chapters, load_chapter
from graders.errors import ConfigurationError


def test_marker_errors_are_reported():
    with pytest.raises(ConfigurationError, match="never closed"):
        regions("### BEGIN SOLUTION\nx = 1\n")
    with pytest.raises(ConfigurationError, match="without"):
        regions("x = 1\n### END SOLUTION\n")
    with pytest.raises(ConfigurationError, match="nested"):
        regions("### BEGIN SOLUTION\n### BEGIN SOLUTION\n")


def test_imports_of_other_reference_packages_cannot_be_released():
    with pytest.raises(ConfigurationError, match="geodl_ref.ch02"):
        rewrite_imports("from geodl_ref.ch02.svm import f\n", "ch06")
    assert rewrite_imports("from geodl_ref._validation import check_array\n", "ch06") == \
        "from ch06._validation import check_array\n"


@pytest.mark.parametrize("chapter_id", available_chapters())
def test_stubs_keep_every_public_name_and_no_solution(chapter_id):
    chapter = load_chapter(chapter_id)
    files = release_files(chapter_id)
    for exercise in chapter.exercises.values():
        source = files[exercise.module_file]
        assert "BEGIN SOLUTION" not in source
        imported = {a.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom) and n.module}
        assert not any(m.startswith("geodl_ref") for m in imported), imported
        names = {n.name for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        names |= {t.id for n in ast.parse(source).body if isinstance(n, ast.Assign) for t in n.targets
                  if isinstance(t, ast.Name)}
        names |= {n.target.id for n in ast.parse(source).body
                  if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
        missing = set(exercise.functions) - names
        assert not missing, f"{exercise.module_file} stub lacks {missing}"


@pytest.mark.parametrize("solution", [False, True])
def test_a_release_imports_cleanly(tmp_path, solution):
    for chapter_id in available_chapters():
        release(chapter_id, tmp_path, solution=solution)
    modules = [m for c in available_chapters() for m in load_chapter(c).modules]
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    done = subprocess.run([sys.executable, "-c", code, *modules], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_module_level_solution_regions_become_nothing():
    text = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"
    assert stub_source(text, "ch06") == "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"

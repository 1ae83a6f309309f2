"""graders/selfcheck.py: plain ``pytest chNN`` on a student's folder runs the public checks; so
does ``geodl check``; a notebook's test cells do the same for the notebook's own modules."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.authoring.notebooks import student_notebook
from graders.authoring.release import release
from graders.grading.submission import modules_from_notebook

REPO = Path(__file__).resolve().parents[3]


def _pytest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "GEODL_SANDBOX": "process"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=600)


def test_pytest_on_the_worked_solution_passes_and_on_the_stubs_fails(tmp_path):
    release("ch06", tmp_path / "solved", solution=True)
    passed = _pytest(tmp_path / "solved", "ch06")
    assert passed.returncode == 0, passed.stdout[-3000:]
    assert " passed" in passed.stdout and "failed" not in passed.stdout
    release("ch06", tmp_path / "fresh")  # what students receive: the stubs and the self-check's runtime
    failed = _pytest(tmp_path / "fresh", "ch06", "-x")
    assert failed.returncode == 1
    assert "not implemented yet (this is still the stub)" in failed.stdout


def test_geodl_check_prints_a_table_and_exit_status(tmp_path):
    release("ch06", tmp_path, solution=True)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "graders.cli", "check", "ch06"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ch06: 27 / 27" in done.stdout or "ch06:" in done.stdout


def test_notebook_test_cells_check_the_notebook_s_modules(tmp_path):
    from graders.cli.selfcheck import notebook_check
    nb = student_notebook("ch06")
    files, _ = modules_from_notebook(nb, "ch06")
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    with pytest.raises(AssertionError, match="not implemented yet"):
        notebook_check("ch06.optimizers", "minibatch_is_unbiased", root=tmp_path)
    release("ch06", tmp_path, solution=True)  # the student fills in the code
    notebook_check("ch06.optimizers", "minibatch_is_unbiased", root=tmp_path)


def test_a_folder_without_the_runtime_says_so_and_never_reaches_the_graders(tmp_path):
    """A copy of the repository's assignments/ folder has no .geodl: its self-check stops with one
    line instead of importing the installed graders (and with them the reference)."""
    shutil.copytree(REPO / "assignments" / "ch06", tmp_path / "copy" / "ch06")
    done = _pytest(tmp_path / "copy", "ch06")
    assert done.returncode != 0
    assert ".geodl is missing: this folder is not a whole release" in done.stdout

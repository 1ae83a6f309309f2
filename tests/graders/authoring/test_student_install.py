"""A student's install, from the release folder alone: a fresh virtual environment with only the
release's ``requirements.txt`` (installed offline from the wheels ``scripts/install`` caches in
``.cache/student-wheels``), then ``pytest chNN`` as the README says: on the stubs the public
checks fail (exit 1) with no import error and no internal grader error; on the worked solution
copied over them, every test passes (exit 0). The environment holds no ``graders`` and no
``geodl_ref``: the self-check runs on the release's own ``.geodl``.

One environment per distinct requirements set, made once per session. ch06 (numpy only) and ch01
(scipy and sympy, symbolic answers) run by default; the others are ``slow``, among them the
chapters whose students install torch (ch07, ch09, ch11, ch13: the CPU wheel alone is 190 MB)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graders.authoring.release import release
from graders.chapters import load_chapter

REPO = Path(__file__).resolve().parents[3]
WHEELS = REPO / ".cache" / "student-wheels"
#: By default one chapter of each of two requirements sets: numpy only (ch06), and scipy with
#: sympy and symbolic-answer checks (ch01).
DEFAULT_CHAPTERS = ("ch06", "ch01")
SLOW_CHAPTERS = ("ch02", "ch03", "ch04", "ch05", "ch07", "ch08", "ch09", "ch10", "ch11", "ch12", "ch13")


def _run(argv: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "LANG": "C.UTF-8"}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def student_venv(tmp_path_factory):
    """``student_venv(requirements_file)``: a venv with exactly those requirements (cached by content)."""
    if not (WHEELS / ".requirements-sha256").is_file():
        pytest.skip(f"no student wheel cache at {WHEELS}: run scripts/install to fill it")
    made: dict[str, Path] = {}

    def make(requirements: Path) -> Path:
        text = requirements.read_text()
        if text not in made:
            venv = tmp_path_factory.mktemp("student-venv") / ".venv"
            done = _run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(venv)], venv.parent)
            assert done.returncode == 0, done.stderr[-2000:]
            done = _run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "--no-index",
                         "--find-links", str(WHEELS), "-r", str(requirements)], venv.parent)
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
            made[text] = venv
        return made[text]

    return make


def _student_check(chapter_id: str, released, student_venv, tmp_path: Path) -> None:
    folder = tmp_path / "student"
    shutil.copytree(released(chapter_id), folder)
    venv = student_venv(folder / chapter_id / "requirements.txt")
    for module in ("graders", "geodl_ref"):
        probe = _run([str(venv / "bin" / "python"), "-c", f"import {module}"], folder)
        assert probe.returncode != 0, f"the student's environment can import {module}"
    pytest_argv = [str(venv / "bin" / "pytest"), chapter_id, "-q", "-p", "no:cacheprovider"]

    stub = _run(pytest_argv, folder)
    output = stub.stdout + stub.stderr
    assert stub.returncode == 1, output[-3000:]
    assert " failed" in output and "Internal grader error" not in output, output[-3000:]
    assert "ModuleNotFoundError" not in output and "ImportError" not in output, output[-3000:]

    solution = tmp_path / "solution"
    release(chapter_id, solution, solution=True)
    for path in (solution / chapter_id).glob("*.py"):
        if not path.name.startswith("test_"):
            shutil.copy(path, folder / chapter_id / path.name)
    solved = _run(pytest_argv, folder)
    assert solved.returncode == 0, (solved.stdout + solved.stderr)[-3000:]
    # every check ran, but those that need a GPU (skipped on a machine without one)
    summary = solved.stdout.strip().splitlines()[-1]
    skipped = int(re.search(r"(\d+) skipped", summary).group(1)) if "skipped" in summary else 0
    needs_gpu = sum(check.gpu and check.visibility == "public"
                    for exercise in load_chapter(chapter_id).exercises.values() for check in exercise.checks)
    assert skipped == needs_gpu, solved.stdout[-3000:]


@pytest.mark.parametrize("chapter_id", DEFAULT_CHAPTERS)
def test_a_student_installs_and_self_checks_from_the_release_alone(chapter_id, released, student_venv, tmp_path):
    _student_check(chapter_id, released, student_venv, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("chapter_id", SLOW_CHAPTERS)
def test_a_student_installs_and_self_checks_every_chapter(chapter_id, released, student_venv, tmp_path):
    _student_check(chapter_id, released, student_venv, tmp_path)

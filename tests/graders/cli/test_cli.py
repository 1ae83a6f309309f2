"""graders/cli: the contract of ``geodl grade`` (result JSON, exit 0 whatever the score),
``geodl release``, and the command table's help and suggestions."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from graders.cli import main

REPO = Path(__file__).resolve().parents[3]


def _geodl(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "graders.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_grade_writes_the_result_contract_and_exits_zero_for_a_stub(tmp_path):
    done = _geodl("grade", str(REPO / "assignments"), "--assignment", "ch06", "--hidden",
                  "--json", str(tmp_path / "r.json"), "--sandbox", "process", "--exercise", "ch06.optimizers")
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["schema"] == "geodl.result/1" and result["status"] == "graded"
    assert result["score"] == 0 and result["max_score"] == 9
    exercise = result["exercises"][0]
    assert {"id", "score", "max_score", "status", "checks"} <= set(exercise)
    for check in exercise["checks"]:
        assert {"name", "passed", "points", "message"} <= set(check) and check["passed"] is False
    assert "optimizers" in done.stdout and "0/9" in done.stdout


def test_release_writes_stubs_or_the_solution(tmp_path):
    assert _geodl("release", "ch06", str(tmp_path / "s")).returncode == 0
    assert "raise NotImplementedError()" in (tmp_path / "s" / "ch06" / "optim.py").read_text()
    assert _geodl("release", "ch06", str(tmp_path / "w"), "--solution").returncode == 0
    assert "raise NotImplementedError()" not in (tmp_path / "w" / "ch06" / "optim.py").read_text()


def test_unknown_commands_and_assignments_get_suggestions(capsys):
    assert main(["grde"]) == 2
    assert "Did you mean 'geodl grade'?" in capsys.readouterr().err
    assert main(["release", "ch6", "/tmp/x"]) == 2
    assert "did you mean ch06?" in capsys.readouterr().err
    assert main([]) == 0 and "validate" in capsys.readouterr().out


def test_the_geodl_executable_flushes_runs_exit_handlers_and_keeps_the_status(tmp_path):
    """graders.cli.entry skips only the interpreter's teardown: output is complete, exit handlers
    (a temporary folder's cleanup here) still run, and the command's status is kept."""
    code = """
import sys, tempfile
from graders import cli
kept = tempfile.TemporaryDirectory(dir=sys.argv[1])
print(kept.name)
sys.argv = ["geodl", sys.argv[2]]
cli.entry()
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ok = subprocess.run([sys.executable, "-c", code, str(tmp_path), "--version"], capture_output=True, text=True,
                        env=env, timeout=120)
    lines = ok.stdout.splitlines()
    assert ok.returncode == 0 and lines[1].startswith("geodl "), ok.stdout + ok.stderr
    assert not Path(lines[0]).exists()  # the TemporaryDirectory's exit-time cleanup ran
    unknown = subprocess.run([sys.executable, "-c", code, str(tmp_path), "no-such-command"], capture_output=True,
                             text=True, env=env, timeout=120)
    assert unknown.returncode == 2 and "unknown command" in unknown.stderr

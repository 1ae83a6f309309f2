"""graders/cli: the contract of ``geodl grade`` (result JSON, exit 0 whatever the score),
``geodl release``, and the command table's help and suggestions."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from graders.cli import main

REPO = Path(__file__).resolve().parents[3]


def _geodl(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "graders.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_grade_writes_the_result_contract_and_exits_zero_for_a_stub(tmp_path):
    done = _geodl("grade", str(REPO / "assignments"), "--assignment", "ch06", "--hidden",
                  "--json", str(tmp_path / "new" / "r.json"), "--sandbox", "process", "--exercise", "ch06.optimizers")
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads((tmp_path / "new" / "r.json").read_text())  # its folder made, not a traceback
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


# --- hostile text from a submission reaches the terminal escaped ------------------------------------------

def _hostile_ch06(tmp_path: Path) -> Path:
    """The worked ch06 solution with ``samples/hostile/terminal_escapes.py``: its ``mlp_forward``
    prints and raises hostile text, and its ``mlp_backward`` returns it."""
    from graders.authoring.samples import hostile_files, load_hostile
    from tests.graders.report._hostile import HOSTILE
    sample = next(h for h in load_hostile() if h.name == "terminal_escapes")
    assert f"HOSTILE = {HOSTILE!r}" in sample.source  # the text the assertions below look for
    submission = tmp_path / "sub"
    for rel, data in hostile_files(sample).items():
        (submission / rel).parent.mkdir(parents=True, exist_ok=True)
        (submission / rel).write_bytes(data)
    return submission


def test_grade_on_a_submission_that_prints_and_raises_hostile_text_exits_zero(tmp_path, monkeypatch):
    import graders.cli.grade
    from tests.graders.report._hostile import SHOWN, assert_shows, assert_terminal_safe, printed, terminal_console
    console = terminal_console(width=200)
    monkeypatch.setattr(graders.cli.grade, "Console", lambda *args, **kwargs: console)
    code = main(["grade", str(_hostile_ch06(tmp_path)), "--assignment", "ch06", "--exercise", "ch06.mlp_backprop",
                 "--hidden", "--sandbox", "process", "--json", str(tmp_path / "r.json")])
    assert code == 0
    out = printed(console)
    assert_terminal_safe(out)
    assert_shows(out, "mlp_forward raised ValueError:", *SHOWN)
    result = json.loads((tmp_path / "r.json").read_text())
    assert result["score"] == 0 and "\x1b[2J" in result["exercises"][0]["checks"][0]["message"]  # data stays raw


def test_grade_json_to_stdout_escapes_control_characters(tmp_path, capsys):
    from tests.graders.report._hostile import assert_terminal_safe
    assert main(["grade", str(_hostile_ch06(tmp_path)), "--assignment", "ch06", "--exercise", "ch06.mlp_backprop",
                 "--sandbox", "process", "--json", "-"]) == 0
    out = capsys.readouterr().out
    assert_terminal_safe(out)
    assert "\\u001b[2J" in out and json.loads(out)["status"] == "graded"


def test_an_error_that_quotes_a_hostile_path_is_printed_escaped(tmp_path, capsys, monkeypatch):
    import graders.cli.release
    from graders.errors import SubmissionError
    from tests.graders.report._hostile import HOSTILE, SHOWN, assert_shows, assert_terminal_safe
    missing = tmp_path / "x\x1b[2J\u202eevil\r38 / 38"
    assert main(["grade", str(missing), "--assignment", "ch06", "--sandbox", "process"]) == 2
    err = capsys.readouterr().err
    assert_terminal_safe(err)
    assert "error [submission-missing]" in err and "\\x1b[2J" in err and "\\u202eevil" in err

    def quoting(*args, **kwargs):  # an error whose message quotes a submission as it is
        raise SubmissionError(f"cannot read {HOSTILE}", reference="submission-unreadable", hint=HOSTILE)

    monkeypatch.setattr(graders.cli.release, "release", quoting)
    assert main(["release", "ch06", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert_terminal_safe(err)
    assert_shows(err, "error [submission-unreadable]: cannot read", *SHOWN)


#: The cursor codes rich's live progress bar draws with (hide and show the cursor, go to the
#: start of the line and erase it, go up).
_LIVE_CODES = re.compile(r"\x1b\[\?25[lh]|\r(?=\x1b\[2K)|\x1b\[\d*[AK]")


def test_batch_progress_summary_and_class_table_escape_student_names(tmp_path, monkeypatch):
    import graders.cli.batch
    from graders.batch.discovery import BatchItem
    from graders.batch.run import BatchSummary
    from tests.graders.report._hostile import (
        HOSTILE,
        SHOWN,
        assert_shows,
        assert_terminal_safe,
        hostile_result,
        printed,
        terminal_console,
    )
    students = ["[/bold]", "=cmd|' /C calc'!A0", HOSTILE]  # the last one stays on the finished progress bar

    def fake_run_batch(items, store, options, *, executor, scheduler, on_result):
        for item in items:
            result = hostile_result(HOSTILE)
            store.save(result, student=item.student)
            on_result(item.student, result, "graded")
        return BatchSummary(graded=len(items), preload=("numpy", HOSTILE))

    monkeypatch.setattr(graders.cli.batch, "discover", lambda root, assignment: [BatchItem(s, "/x") for s in students])
    monkeypatch.setattr(graders.cli.batch, "run_batch", fake_run_batch)
    for terminal in (False, True):
        console = terminal_console(width=400) if terminal else Console(file=io.StringIO(), width=400)
        monkeypatch.setattr(graders.cli.batch, "Console", lambda *args, _console=console, **kwargs: _console)
        out_dir = tmp_path / f"out-{terminal}"
        assert main(["batch", str(tmp_path), "--assignment", "ch06", "--out", str(out_dir), "--no-gradebook",
                     "--sandbox", "process", "--workers", "1"]) == 0
        out = printed(console)
        assert_terminal_safe(_LIVE_CODES.sub("", out) if terminal else out)
        assert "\\x07\\x08: 2/4" in out                       # the progress bar's last student, escaped
        assert_shows(out, *SHOWN, "[/bold]", "=cmd|'/Ccalc'!A0", "graded3")


def test_export_and_report_on_a_hostile_store_print_nothing_raw(tmp_path, capsys):
    from graders.batch.store import ResultStore
    from tests.graders.report._hostile import HOSTILE, assert_terminal_safe, hostile_result
    url = f"sqlite:///{tmp_path / 'results.db'}"
    store = ResultStore(url)
    store.save(hostile_result(HOSTILE), student=HOSTILE)
    store.close()
    out = tmp_path / "g \x1b[2J\u202evsc.exe\r38 _ 38.csv"
    assert main(["export", "--db", url, "--format", "csv", "--out", str(out)]) == 0
    assert main(["export", "--db", url, "--format", "gradescope", "--out", str(tmp_path / "gs")]) == 0
    assert main(["report", "--db", url, "--out", str(tmp_path / "r")]) == 0
    printed_text = capsys.readouterr()
    assert_terminal_safe(printed_text.out + printed_text.err)
    assert "\\x1b[2J" in printed_text.out                       # the odd --out path, shown escaped
    with out.open(newline="", encoding="utf-8") as handle:
        name = list(csv.reader(handle))[1][0]
    assert "\x1b[2J" in name and "\u202e" in name and "\r38 / 38" in name  # the CSV keeps the raw name (data)


def test_the_self_check_reports_hostile_messages_escaped():
    from graders.cli.selfcheck import _failure
    from graders.grading.result import CheckResult
    from tests.graders.report._hostile import HOSTILE, assert_terminal_safe
    check = CheckResult(name="c", passed=False, points=0.0, max_points=1.0, status="student_error", message=HOSTILE,
                        counterexample=f"Failing test case: f({HOSTILE})")
    text = _failure("ch06.mlp_backprop", "c", check)
    assert_terminal_safe(text)
    assert text.startswith("ch06.mlp_backprop::c (student_error): \\x1b[2J") and "\nFailing test case: f(" in text


def test_a_chapters_worker_holds_the_chapters_packages_and_preloads_its_warm_set():
    import argparse

    from graders.chapters import load_chapter
    from graders.cli.options import make_worker

    args = argparse.Namespace(sandbox="process")
    ch01, ch06 = load_chapter("ch01"), load_chapter("ch06")
    allows_torch = make_worker(args, ch01).options
    assert "torch" in allows_torch.sandbox_packages() and allows_torch.preload == ch01.warm_preload
    self_check = make_worker(args, ch01, preload=ch01.preload).options     # preloads no torch, yet allows it
    assert "torch" not in ch01.preload and "torch" in self_check.sandbox_packages()
    assert "torch" not in make_worker(args, ch06).options.sandbox_packages()
    assert make_worker(args).options.packages is None                # several chapters: every package

"""graders/cli (batch, report, export): every mistake a TA can make on the command line gets one
line of error with a hint, exit status 2 and no traceback, and is caught before anything is
printed or written; a batch naming the wrong assignment stops before grading; an interrupted
batch leaves within 2 s, saying how many results it kept and the command that resumes it."""
from __future__ import annotations

import os
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graders.authoring.samples import write_class
from graders.batch.discovery import discover
from graders.batch.run import check_assignment_folders
from graders.chapters import load_chapter
from graders.cli import main
from graders.errors import ConfigurationError

REPO = Path(__file__).resolve().parents[3]
SAMPLE = REPO / "samples" / "class-ch06"


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    """An empty current folder, where a command's default outputs (geodl-out/) would go."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("a file where a folder is expected\n")
    (tmp_path / "not-a-database.db").write_text("not SQLite\n")
    return tmp_path


@pytest.fixture(scope="module")
def results_db(tmp_path_factory) -> Path:
    """A results store holding one ch06 result, as 'geodl batch' writes it."""
    from graders.batch.store import ResultStore
    from graders.grading.result import SubmissionResult

    db = tmp_path_factory.mktemp("store") / "results.db"
    store = ResultStore(f"sqlite:///{db}")
    store.save(SubmissionResult(assignment="ch06", score=1.0, max_score=2.0, status="graded",
                                submission={"student": "alice", "path": "", "sha256": "0"}), student="alice")
    store.close()
    return db


def _mistake(capsys, workdir: Path, *argv: str, reference: str, says: str) -> None:
    """``geodl argv`` exits 2 with one error line (naming ``reference``, saying ``says``, with a
    hint) and the line saying whose mistake it is, prints nothing else and writes nothing."""
    before = sorted(p.name for p in workdir.iterdir())
    code = main(list(argv))
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert code == 2, err
    assert out == "" and "Traceback" not in err
    assert len(lines) == 2 and lines[0].startswith(f"geodl {argv[0]}: error [{reference}]: "), err
    assert says in lines[0] and "Hint: " in lines[0], err
    assert lines[1] == "This error comes from how geodl was invoked."
    assert sorted(p.name for p in workdir.iterdir()) == before, "the mistake left a file behind"


BATCH_MISTAKES = {
    "missing class folder": (["no-such-class", "-a", "ch06"], "folder-missing", "'no-such-class' does not exist"),
    "class folder is a file": (["notes.txt", "-a", "ch06"], "not-a-folder", "is a file, not a folder"),
    "unknown assignment": ([str(SAMPLE), "-a", "ch6"], "unknown-assignment", "no grader for assignment 'ch6'"),
    "sqlite URL with a host": ([str(SAMPLE), "-a", "ch06", "--db", "sqlite://tmp/results.db"], "bad-database-url",
                               "names a host ('tmp')"),
    "unknown database": ([str(SAMPLE), "-a", "ch06", "--db", "postgress://u@h/geodl"], "bad-database-url",
                         "unknown database 'postgress'"),
    "in-memory store": ([str(SAMPLE), "-a", "ch06", "--db", "sqlite://"], "bad-database-url", "in-memory"),
    "store folder missing": ([str(SAMPLE), "-a", "ch06", "--db", "no-such-folder/results.db"],
                             "database-folder-missing", "no-such-folder' does not exist"),
    "gradebook folder missing": ([str(SAMPLE), "-a", "ch06", "--gradebook", "sqlite:///nowhere/gradebook.db"],
                                 "database-folder-missing", "'nowhere' does not exist"),
    "gradebook and no gradebook": ([str(SAMPLE), "-a", "ch06", "--gradebook", "g.db", "--no-gradebook"],
                                   "contradictory-options", "--no-gradebook and --gradebook"),
    "scheduler without dask": ([str(SAMPLE), "-a", "ch06", "--scheduler", "tcp://localhost:8786"],
                               "contradictory-options", "--executor local and --scheduler"),
    "no workers": ([str(SAMPLE), "-a", "ch06", "--workers", "0"], "bad-workers", "--workers=0"),
    "out is a file": ([str(SAMPLE), "-a", "ch06", "--out", "notes.txt"], "output-not-a-folder", "is a file"),
    "wrong assignment for the class": ([str(SAMPLE), "-a", "ch03"], "assignment-not-in-submissions",
                                       "24 of 24 submissions hold ch06/, not ch03/"),
}


@pytest.mark.parametrize("argv, reference, says", BATCH_MISTAKES.values(), ids=BATCH_MISTAKES.keys())
def test_a_batch_mistake_gets_one_line_and_a_hint_before_anything_is_written(capsys, workdir, argv, reference,
                                                                            says):
    _mistake(capsys, workdir, "batch", *argv, reference=reference, says=says)


def test_a_batch_of_an_empty_folder_says_it_holds_no_submission(capsys, workdir):
    (workdir / "empty").mkdir()
    _mistake(capsys, workdir, "batch", "empty", "-a", "ch06", reference="empty-class", says="holds no submission")


def test_a_batch_of_folders_holding_no_submission_says_so(capsys, workdir):
    for student in ("alice", "bob"):
        (workdir / "class" / student).mkdir(parents=True)
        (workdir / "class" / student / "README").write_text("nothing here\n")
    _mistake(capsys, workdir, "batch", "class", "-a", "ch06", reference="assignment-not-in-submissions",
             says="2 of 2 submissions hold no ch06/ folder, module file or notebook")


def _store_mistakes(db: Path) -> dict[str, tuple[list[str], str, str]]:
    return {
        "report: sqlite URL with a host": (["report", "--db", "sqlite://tmp/results.db", "--out", "r"],
                                           "bad-database-url", "names a host"),
        "report: no store there": (["report", "--db", "missing.db", "--out", "r"], "no-results-store",
                                   "no results store at"),
        "report: not a database": (["report", "--db", "not-a-database.db", "--out", "r"],
                                   "results-store-unavailable", "file is not a database"),
        "report: out is a file": (["report", "--db", str(db), "--out", "notes.txt"], "output-not-a-folder",
                                  "is a file"),
        "report: assignment not in the store": (["report", "--db", str(db), "-a", "ch03", "--out", "r"],
                                                "unknown-assignment", "assignment='ch03'"),
        "export: sqlite URL with a host": (["export", "--db", "sqlite://tmp/r.db", "--format", "csv", "--out", "x.csv"],
                                           "bad-database-url", "names a host"),
        "export: unknown database": (["export", "--db", "nosuchdb://h/x", "--format", "csv", "--out", "x.csv"],
                                     "bad-database-url", "unknown database 'nosuchdb'"),
        "export: csv into a folder": (["export", "--db", str(db), "--format", "csv", "--out", "."],
                                      "output-is-a-folder", "is a folder"),
        "export: gradescope into a file": (["export", "--db", str(db), "--format", "gradescope", "--out",
                                            "notes.txt"], "output-not-a-folder", "is a file"),
    }


@pytest.mark.parametrize("name", list(_store_mistakes(Path("db"))))
def test_a_report_or_export_mistake_gets_one_line_and_a_hint_before_anything_is_written(capsys, workdir,
                                                                                      results_db, name):
    argv, reference, says = _store_mistakes(results_db)[name]
    _mistake(capsys, workdir, *argv, reference=reference, says=says)


GRADE_MISTAKES = {
    "json into a folder": (["--json", "."], "output-is-a-folder", "is a folder"),
    "json under a file": (["--json", "notes.txt/r.json"], "output-folder-is-a-file", "'notes.txt' is a file"),
}


@pytest.mark.parametrize("argv, reference, says", GRADE_MISTAKES.values(), ids=GRADE_MISTAKES.keys())
def test_a_grade_mistake_gets_one_line_and_a_hint_before_grading(capsys, workdir, argv, reference, says):
    _mistake(capsys, workdir, "grade", str(REPO / "assignments"), "-a", "ch06", "--sandbox", "process", *argv,
             reference=reference, says=says)


# --- batch sanity: the submissions must hold the assignment ---------------------------------------------

def _class(root: Path, folders: list[str]) -> list:
    for index, folder in enumerate(folders):
        (root / f"s{index}" / folder).mkdir(parents=True)
        (root / f"s{index}" / folder / "notes.md").write_text("x\n")
    return discover(root, "ch03")


def test_a_class_mostly_without_the_assignments_folder_is_stopped_naming_what_it_holds(tmp_path):
    items = _class(tmp_path, ["ch06", "ch06", "ch06", "ch03"])
    with pytest.raises(ConfigurationError) as caught:
        check_assignment_folders(items, load_chapter("ch03"))
    assert caught.value.message == "3 of 4 submissions hold ch06/, not ch03/"
    assert "--assignment ch06" in caught.value.hint


def test_a_class_where_only_some_lack_the_assignments_folder_is_graded(tmp_path):
    check_assignment_folders(_class(tmp_path, ["ch06", "ch03", "ch03", "ch03"]), load_chapter("ch03"))
    check_assignment_folders(_class(tmp_path / "half", ["ch06", "ch06", "ch03", "ch03"]), load_chapter("ch03"))


# --- an interrupted batch -------------------------------------------------------------------------------

def _rows(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM geodl_submissions").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_second_interrupt_does_not_cut_the_clean_up_short(capfd):
    from graders.cli.interrupts import first_interrupt_stops

    cleaned = False
    with first_interrupt_stops("still stopping"):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)  # the KeyboardInterrupt arrives here
            raise AssertionError("the first SIGINT raised nothing")
        except KeyboardInterrupt:
            os.kill(os.getpid(), signal.SIGINT)  # during the clean-up: a note, no exception
            time.sleep(0.05)
            cleaned = True
    assert cleaned and capfd.readouterr().err == "still stopping\n"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_sigint_to_the_batch_alone_exits_within_2_s_with_the_count_kept_and_the_resume_command(tmp_path):
    root = tmp_path / "class"
    write_class(root, "ch06", 6, seed=2, hostile=False)
    out = tmp_path / "out"
    argv = [str(root), "--assignment", "ch06", "--workers", "1", "--out", str(out), "--no-gradebook",
            "--sandbox", "process", "--preload", "numpy"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    log = tmp_path / "batch.log"
    with log.open("w") as output:
        batch = subprocess.Popen([sys.executable, "-m", "graders.cli", "batch", *argv], cwd=tmp_path, env=env,
                                 stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and batch.poll() is None and _rows(out / "results.db") < 1:
            time.sleep(0.2)
        assert batch.poll() is None and _rows(out / "results.db") >= 1, log.read_text()[-2000:]
        sent = time.monotonic()
        os.kill(batch.pid, signal.SIGINT)  # the batch's process alone, not its group
        time.sleep(0.3)
        if batch.poll() is None:  # an impatient second Ctrl-C while the workers stop
            os.kill(batch.pid, signal.SIGINT)
        code = batch.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        with_group_killed(batch)
    text = log.read_text()
    assert code == 130 and took < 3.0, f"exit {code} after {took:.1f} s: {text[-2000:]}"
    assert "Traceback" not in text
    kept = re.search(r"interrupted; (\d+) of 6 submissions' results are kept in ", text)
    assert kept and int(kept[1]) == _rows(out / "results.db"), text[-2000:]
    resume = re.search(r"^resume with: (.*)$", text, re.MULTILINE)
    assert resume and shlex.split(resume[1]) == ["geodl", "batch", *argv[:7], "--sandbox", "process",
                                                 "--preload", "numpy", "--no-gradebook", "--resume"], text[-2000:]


def with_group_killed(process: subprocess.Popen) -> None:
    """Kill what is left of ``process``'s group (its grading processes, if the batch failed to)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()

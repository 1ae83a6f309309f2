"""graders/batch/ (run, local, preload): a class graded in parallel workers into the store and the gradebook; an
interrupted batch resumes without losing or changing anything."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graders.authoring.samples import write_class
from graders.batch.discovery import BatchItem, discover, read_submission
from graders.batch.gradebook import scores as gradebook_scores
from graders.batch.local import grading_pool, submit
from graders.batch.preload import WardenSpec, class_preload
from graders.batch.run import BatchOptions, run_batch
from graders.batch.store import ResultStore
from graders.chapters import load_chapter
from graders.grading.result import SubmissionResult
from graders.grading.settings import get_profile
from graders.sandbox import default_backend

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def small_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    roster = dict(write_class(root, "ch06", 5, seed=2, hostile=False))
    notebook_student = root / "submitted" / "nbstudent" / "ch06"
    notebook_student.mkdir(parents=True)
    shutil.copy(REPO / "solutions" / "ch06" / "ch06.ipynb", notebook_student / "ch06.ipynb")
    roster["nbstudent"] = "correct (notebook)"
    return root, roster


@pytest.fixture(scope="module")
def uninterrupted(small_class, tmp_path_factory):
    root, _ = small_class
    out = tmp_path_factory.mktemp("out")
    store = ResultStore(f"sqlite:///{out / 'results.db'}")
    options = BatchOptions("ch06", get_profile("grading"), sandbox=default_backend(), workers=2, preload=("numpy",),
                           gradebook_url=f"sqlite:///{out / 'gradebook.db'}")
    seen = []
    summary = run_batch(discover(root, "ch06"), store, options, on_result=lambda s, r, status: seen.append(s))
    return summary, store, out, seen


def test_discover_reads_the_nbgrader_tree_and_flat_folders(small_class, tmp_path):
    root, roster = small_class
    items = discover(root, "ch06")
    assert [i.student for i in items] == sorted(roster)
    assert all(Path(i.path).name == "ch06" for i in items)
    (tmp_path / "carol.ipynb").write_text("{}")
    (tmp_path / "dave").mkdir()
    assert discover(tmp_path, "ch06") == [BatchItem("carol", str(tmp_path / "carol.ipynb")),
                                          BatchItem("dave", str(tmp_path / "dave"))]


def test_every_submission_is_graded_stored_and_in_the_gradebook(small_class, uninterrupted):
    _, roster = small_class
    summary, store, out, seen = uninterrupted
    assert summary.graded == len(roster) and summary.errors == 0 and sorted(seen) == sorted(roster)
    latest = dict(store.latest("ch06"))
    for student, kind in roster.items():
        result = latest[student]
        if kind.startswith("correct"):
            assert result.score == result.max_score == load_chapter("ch06").max_points, (student, kind)
        elif kind == "stub":
            assert result.score == 0
        else:
            assert 0 < result.score < result.max_score, (student, kind)
    assert gradebook_scores(f"sqlite:///{out / 'gradebook.db'}", "ch06") == {s: r.score for s, r in latest.items()}


def test_a_grading_pool_grades_what_it_is_given_as_the_batch_does(small_class, uninterrupted):
    """grading_pool and submit on their own (the class benchmark hands them one submission at a
    time): the score the batch stored, the result's JSON as the batch gets it."""
    root, roster = small_class
    _, store, _, _ = uninterrupted
    latest = dict(store.latest("ch06"))
    items = {item.student: item for item in discover(root, "ch06")}
    settings, sandbox, warden = get_profile("grading"), default_backend(), WardenSpec(("numpy",))
    chapter = load_chapter("ch06")
    picked = [next(s for s, kind in roster.items() if kind == "stub"),  # 0 points, then full marks
              next(s for s, kind in roster.items() if kind == "correct")]
    with grading_pool("ch06", settings, sandbox, 1, warden) as pool:
        for student in picked:
            task = (student, read_submission(items[student], chapter))
            result = SubmissionResult.from_json(submit(pool, task, "ch06", settings, sandbox,
                                                       warden).result(timeout=300))
            assert result.status == "graded" and result.score == latest[student].score, student


def test_a_finished_batch_leaves_no_sandbox_group_behind(uninterrupted):
    """Each grading process ends its sandbox as it exits, and the sandbox's cgroup with it (the
    groups are named after the process that made them, which is gone now)."""
    from graders.sandbox.cgroups import memory_peaks
    left = [name for name in memory_peaks() if not os.path.exists(f"/proc/{name[1:].split('-')[0]}")]
    assert left == []


def _count_rows(db: Path) -> int:
    """Graded submissions in the store, read without creating or altering anything."""
    import sqlite3
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM geodl_submissions").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_killed_batch_resumes_and_loses_nothing(small_class, uninterrupted, tmp_path):
    root, roster = small_class
    _, reference, _, _ = uninterrupted
    db = tmp_path / "results.db"
    command = [sys.executable, "-m", "graders.cli", "batch", str(root), "-a", "ch06", "--workers", "1",
               "--out", str(tmp_path), "--no-gradebook", "--preload", "numpy"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    log = open(tmp_path / "first.log", "w")
    first = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 240
    committed = 0
    while time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.5)
        committed = _count_rows(db)
        if committed >= 2:
            break
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    assert 2 <= committed < len(roster), ("the batch should be killed half-way: "
                                          f"{(tmp_path / 'first.log').read_text()[-2000:]}")
    done = subprocess.run(command + ["--resume"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    skipped = int(done.stdout.split("skipped ")[1].split()[0])
    assert skipped >= committed
    resumed = {s: r.score for s, r in ResultStore(f"sqlite:///{db}").latest("ch06")}
    assert resumed == {s: r.score for s, r in reference.latest("ch06")}


def test_a_resumed_batch_brings_the_gradebook_up_to_what_the_store_holds(small_class, uninterrupted, tmp_path):
    """A batch stopped between a result's commit to the store and its gradebook write: resumed,
    it grades nothing again, and the gradebook gets every score the store holds."""
    root, roster = small_class
    _, store, _, _ = uninterrupted
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"  # a gradebook that missed every result
    options = BatchOptions("ch06", get_profile("grading"), sandbox=default_backend(), workers=1, resume=True,
                           gradebook_url=url, preload=("numpy",))
    summary = run_batch(discover(root, "ch06"), store, options)
    assert summary.skipped == len(roster) and summary.graded == 0
    assert gradebook_scores(url, "ch06") == {student: result.score for student, result in store.latest("ch06")}


def test_the_gradebook_opens_on_a_thread_of_its_own_and_a_failure_to_open_reaches_the_batch(tmp_path):
    """The batch opens the gradebook on another thread while the grading starts; the writer it
    hands the first result works from the batch's thread, and what opening raised is raised
    there."""
    from sqlalchemy.exc import OperationalError

    from graders.batch.run import _GradebookOpening
    from graders.chapters import load_chapter
    from tests.graders._results import make_result
    chapter, url = load_chapter("ch06"), f"sqlite:///{tmp_path / 'gradebook.db'}"
    opening = _GradebookOpening(url, chapter)
    opening.start()
    assert opening.writer().record("alice", make_result()) == 2
    opening.close()
    assert gradebook_scores(url, "ch06") == {"alice": 2.0}
    broken = _GradebookOpening(f"sqlite:///{tmp_path / 'no-such-folder' / 'gradebook.db'}", chapter)
    broken.start()
    with pytest.raises(OperationalError):
        broken.writer()
    broken.close()


def test_a_chapters_warm_workers_skip_only_what_every_exercise_forbids():
    from graders.batch import grading_process
    from graders.grading.spec import Chapter
    from graders.sandbox.base import DEFAULT_PRELOAD

    ch06 = load_chapter("ch06")
    assert all("torch" in e.forbidden for e in ch06.exercises.values())
    assert not [m for m in ch06.warm_preload if m == "torch" or m.startswith("torch.")]
    assert {"numpy", "scipy", "sympy"} <= set(ch06.warm_preload)
    assert load_chapter("ch01").warm_preload == DEFAULT_PRELOAD  # ch01 forbids sklearn, ot, networkx: none preloaded

    mixed = Chapter("ch99", title="mixed")
    mixed.exercise("ch99.a", module="ch99.a", functions=("f",), reference="x", forbidden=("torch", "numpy.kron"))
    mixed.exercise("ch99.b", module="ch99.b", functions=("g",), reference="x", forbidden=("numpy.kron",))
    assert mixed.warm_preload == DEFAULT_PRELOAD  # torch is allowed in ch99.b; a banned callable bans no module

    worker = grading_process.process_worker("ch06", "process", 5, WardenSpec.of(ch06))  # made, not started
    try:
        assert worker.options.preload == ch06.warm_preload
    finally:
        grading_process._PROCESS_WORKERS.clear()


def _class_of(tmp_path, sources: dict[str, bytes], module: str = "ch06/mlp.py") -> list:
    """A class of one-module submissions (``student: source`` of ``module``) under ``tmp_path``,
    read as the batch reads them."""
    assignment = module.split("/")[0]
    for student, source in sources.items():
        folder = tmp_path / "submitted" / student / assignment
        folder.mkdir(parents=True)
        (folder / Path(module).name).write_bytes(source)
    return _read(discover(tmp_path, assignment), assignment)


def _read(items: list[BatchItem], assignment: str) -> list:
    chapter = load_chapter(assignment)
    return [read_submission(item, chapter) for item in items]


def test_a_classs_warm_workers_preload_what_its_code_names(tmp_path):
    """Of the chapter's warm preload, what the chapter's own code uses (ch06: numpy) and every
    package some file of the class names, with its submodules; never one the chapter forbids;
    an explicit preload wins, and so does the chapter's whole warm preload without a class."""
    ch06 = load_chapter("ch06")
    scipy = tuple(m for m in ch06.warm_preload if m.split(".")[0] == "scipy")
    assert len(scipy) >= 5
    plain = _class_of(tmp_path / "plain", {"a": b"import numpy as np\n", "b": b"def f(x):\n    return x\n"})
    assert class_preload(ch06, plain) == ("numpy", "msgpack")
    named = _class_of(tmp_path / "named", {"a": b"import numpy as np\n",
                                           "b": b"from scipy.linalg import toeplitz  # and torch, forbidden\n"})
    assert class_preload(ch06, named) == ("numpy", *scipy, "msgpack")
    assert class_preload(ch06, []) == ("numpy", "msgpack")
    notebook = tmp_path / "nb" / "student.ipynb"
    notebook.parent.mkdir()
    solution = (REPO / "solutions" / "ch06" / "ch06.ipynb").read_text()
    assert "sympy" not in solution
    cell = '"%%writefile mlp.py\\n",'
    notebook.write_text(solution.replace(cell, cell + ' "import sympy as sp\\n",', 1))
    assert "sympy" in class_preload(ch06, _read([BatchItem("student", str(notebook))], "ch06"))

    assert WardenSpec.of(ch06, ("numpy", "scipy"), plain).preload == ("numpy", "scipy")
    assert WardenSpec.of(ch06, None, plain).preload == ("numpy", "msgpack")
    assert WardenSpec.of(ch06).preload == ch06.warm_preload
    ch01 = load_chapter("ch01")  # its own code uses numpy, scipy and sympy: those stay warm, torch only if named
    assert set(class_preload(ch01, plain)) == {m for m in ch01.warm_preload if not m.startswith("torch")}
    assert "torch.optim" in class_preload(ch01, _class_of(tmp_path / "t", {"a": b"import torch\n"}, "ch01/linalg.py"))


def test_a_submissions_preload_scan_reads_no_link_and_no_more_than_grading_would(tmp_path, monkeypatch):
    """The scan sees the submission as grading reads it, once: no link followed, no file over
    grading's size limit."""
    from graders.grading import reading
    ch06 = load_chapter("ch06")
    outside = tmp_path / "outside.py"
    outside.write_bytes(b"import sympy\n")
    _class_of(tmp_path / "class", {"a": b"import numpy\n"})
    items = discover(tmp_path / "class", "ch06")
    (Path(items[0].path) / "linked.py").symlink_to(outside)
    assert class_preload(ch06, _read(items, "ch06")) == ("numpy", "msgpack")
    (Path(items[0].path) / "zz_late.py").write_bytes(b"# " + b"x" * 100 + b"\nimport sympy\n")
    assert "sympy" in class_preload(ch06, _read(items, "ch06"))
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 64)  # zz_late.py's 116 bytes: over grading's limit
    assert class_preload(ch06, _read(items, "ch06")) == ("numpy", "msgpack")


def test_a_grading_process_launches_its_sandbox_before_importing_the_chapter():
    """A new grading process launches its warden with the batch's WardenSpec first, then imports
    the chapter (torch, 2-3 s) and prepares while the warden preloads."""
    code = """
import sys
from graders.batch import local
from graders.batch.preload import WardenSpec
from graders.grading import engine
from graders.grading.client import Worker
from graders.grading.settings import get_profile

events = []
Worker.launch = lambda self: events.append(("launch", self.options.preload, "graders.chapters.ch06" in sys.modules))
engine.prepare = lambda chapter, settings: events.append(("prepare", chapter.id))
settings = get_profile("grading").to_json()
local._init_grading_process(0, False, "ch06", settings, "process", WardenSpec(("numpy",)))
print(events, flush=True)
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.strip() == "[('launch', ('numpy',), False), ('prepare', 'ch06')]", done.stdout + done.stderr


def test_the_grading_processes_do_not_run_the_callers_main_script(small_class, tmp_path):
    """A script that runs a batch is not run again in each grading process (multiprocessing's
    spawn would, as ``__mp_main__``), and keeps its ``__file__``."""
    root, _ = small_class
    marker = tmp_path / "ran-again"
    script = tmp_path / "grade_my_class.py"
    script.write_text(f"""
import pathlib, sys
if __name__ != "__main__":
    pathlib.Path({str(marker)!r}).write_text(__name__)
from graders.batch.discovery import discover
from graders.batch.run import BatchOptions, run_batch
from graders.grading.settings import get_profile
from graders.batch.store import ResultStore

if __name__ == "__main__":
    first = discover({str(root)!r}, "ch06")[:1]
    store = ResultStore("sqlite:///{tmp_path / 'r.db'}")
    options = BatchOptions("ch06", get_profile("grading"), sandbox="process", preload=("numpy",))
    summary = run_batch(first, store, options)
    print(summary.graded, summary.errors, __file__ == {str(script)!r})
""")
    done = subprocess.run([sys.executable, str(script)], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.split() == ["1", "0", "True"], done.stdout + done.stderr
    assert not marker.exists(), marker.read_text()


def test_a_grading_process_leaves_without_the_interpreters_teardown_after_every_exit_handler(tmp_path):
    """The grading processes of a pool end through local._leave_without_finalizing, registered
    first so that it runs last: the sandboxes are stopped first (a later-registered handler), the
    output is flushed, the exit status is 0, and the interpreter's teardown (where an object's
    finalizer would run) is skipped."""
    code = """
import atexit, sys
from graders.batch import local

class Finalized:
    def __del__(self):
        print("finalized", flush=True)

keep = Finalized()
atexit.register(local._leave_without_finalizing)
atexit.register(lambda: print("sandboxes stopped"))
print("graded")
sys.exit(3)
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.stdout.split() == ["graded", "sandboxes", "stopped"], done.stdout + done.stderr
    assert done.returncode == 0

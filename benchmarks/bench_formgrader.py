"""nbgrader's formgrader on a class graded by geodl: how long formgrader takes to list it, and what
writing the autograded notebooks formgrader needs costs ``geodl batch`` per submission.

A class of ``--students`` ch06 submissions (the sample class's mix, no hostile ones) in an
nbgrader course (``submitted/``, timestamp files, ``source/ch06/ch06.ipynb``,
``nbgrader_config.py``) is graded once by ``geodl batch --workers 2`` into the course's gradebook
and autograded notebooks. Then, in this process:

* ``writer``: the autograded notebooks written again, each submission read as the batch reads it
  (:class:`graders.batch.autograded.AutogradedWriter`, with the gradebook rows' extra writes
  (timestamp, comments) timed apart; and for 20 students who worked in the notebook, whose own
  notebook is parsed and sanitized), per submission, against the batch's own wall time per
  submission (the batch without the writer would be that much faster at most: the writer runs in
  the batch's own process while the grading processes want the cores);
* ``formgrader``: a Jupyter server with formgrader on the course (``tests/support/formgrader.py``):
  the first and the median of further calls of its API's listings ("Manage Submissions":
  ``/formgrader/api/submissions/ch06``; "Manual Grading": ``submitted_notebooks/ch06/ch06``), a
  grading page rendered (``/formgrader/submissions/<id>/``), and the two list pages loaded whole
  in headless Chromium (the page, its scripts and their API call; the same Chromium on an empty
  page subtracted).

Usage: .venv/bin/python benchmarks/bench_formgrader.py [--students 100] [--repeats 5]
Writes benchmarks/out/formgrader.json.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _report import scratch_folder, write_report  # noqa: E402  (benchmarks/_report.py)

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graders.authoring.samples import write_class  # noqa: E402
from graders.batch.discovery import BatchItem, discover, read_submission  # noqa: E402
from graders.batch.store import ResultStore  # noqa: E402
from graders.chapters import load_chapter  # noqa: E402

TIMESTAMP = "2024-03-01 10:00:00.000000 UTC"


def make_course(root: Path, students: int) -> Path:
    """An nbgrader course of ``students`` ch06 submissions, as ``nbgrader collect`` leaves one."""
    write_class(root, "ch06", students, seed=11, hostile=False)
    for folder in (root / "submitted").iterdir():
        (folder / "ch06" / "timestamp.txt").write_text(TIMESTAMP)
    (root / "source" / "ch06").mkdir(parents=True)
    shutil.copy(REPO / "solutions" / "ch06" / "ch06.ipynb", root / "source" / "ch06" / "ch06.ipynb")
    (root / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "geodl"\n')
    return root


def grade(course: Path, store: str) -> dict:
    """``geodl batch`` on the course: its wall time, and per submission."""
    command = [sys.executable, "-m", "graders.cli", "batch", str(course), "-a", "ch06", "--workers", "2",
               "--preload", "numpy", "--db", store]
    clock = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                          text=True)
    wall = time.perf_counter() - clock
    if done.returncode != 0:
        raise SystemExit(f"geodl batch failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    submissions = len(list((course / "submitted").iterdir()))
    return {"wall_s": wall, "submissions": submissions, "ms_per_submission": wall / submissions * 1e3}


def time_writer(course: Path, store_url: str, scratch: Path) -> dict:
    """The autograded notebooks and the gradebook rows' extra writes, timed per submission."""
    from graders.authoring.notebooks import source_notebook
    from graders.batch.autograded import AutogradedWriter, ChapterNotebook, NbgraderCourse, read_course
    from graders.batch.gradebook import GradebookWriter
    from graders.chapters import load_release

    chapter = load_chapter("ch06")
    template = ChapterNotebook.of(source_notebook("ch06"), chapter)
    found = read_course(course)
    assert found is not None
    elsewhere = NbgraderCourse(root=found.root, db_url=found.db_url, autograded_directory=str(scratch / "autograded"))
    writer = AutogradedWriter(elsewhere, chapter, template, load_release("ch06").is_stub)
    store = ResultStore(store_url)
    latest = dict(store.latest("ch06"))
    store.close()
    submissions = {item.student: read_submission(item, chapter) for item in discover(course, "ch06")}
    notebook_ms, notebook_cpu_ms, facts = [], [], {}
    for student, result in latest.items():
        clock, cpu = time.perf_counter(), time.process_time()
        facts[student] = writer.write(student, submissions[student], result)
        notebook_ms.append((time.perf_counter() - clock) * 1e3)
        notebook_cpu_ms.append((time.process_time() - cpu) * 1e3)
    rows = {}
    for way in ("without_facts", "with_facts"):
        url = f"sqlite:///{scratch / f'gradebook-{way}.db'}"
        with GradebookWriter(url, chapter, solution_cells=template.solution_cells) as gradebook:
            each = []
            for phase in ("new", "regrade"):
                for student, result in latest.items():
                    clock = time.perf_counter()
                    gradebook.record(student, result, facts[student] if way == "with_facts" else None)
                    each.append((phase, (time.perf_counter() - clock) * 1e3))
        rows[way] = {phase: statistics.mean(ms for p, ms in each if p == phase) for phase in ("new", "regrade")}
    size = statistics.mean((scratch / "autograded" / s / "ch06" / "ch06.ipynb").stat().st_size for s in latest)
    own_ms = []  # a student who worked in the notebook: hers is read, parsed and sanitized
    any_result = next(iter(latest.values()))
    for number in range(20):
        folder = scratch / "notebooks" / f"nb{number:02d}" / "ch06"
        folder.mkdir(parents=True)
        shutil.copy(REPO / "solutions" / "ch06" / "ch06.ipynb", folder / "ch06.ipynb")
        submission = read_submission(BatchItem(f"nb{number:02d}", str(folder)), chapter)
        clock = time.perf_counter()
        writer.write(f"nb{number:02d}", submission, any_result)
        own_ms.append((time.perf_counter() - clock) * 1e3)
    return {"notebook_ms_per_submission": statistics.mean(notebook_ms),
            "students_own_notebook_ms_per_submission": statistics.mean(own_ms),
            "notebook_ms_median": statistics.median(notebook_ms),
            "notebook_cpu_ms_per_submission": statistics.mean(notebook_cpu_ms),
            "notebook_bytes_mean": size,
            "gradebook_record_ms": rows,
            "gradebook_extra_ms_new": rows["with_facts"]["new"] - rows["without_facts"]["new"],
            "gradebook_extra_ms_regrade": rows["with_facts"]["regrade"] - rows["without_facts"]["regrade"]}


def time_formgrader(course: Path, home: Path, repeats: int) -> dict:
    from tests.support.formgrader import dom, formgrader

    report: dict = {}
    with formgrader(course, home) as server:
        for name, path in (("manage_submissions_api", "/formgrader/api/submissions/ch06"),
                           ("manual_grading_api", "/formgrader/api/submitted_notebooks/ch06/ch06")):
            times, listed = [], 0
            for _ in range(repeats + 1):
                clock = time.perf_counter()
                status, data = server.api("GET", path)
                times.append((time.perf_counter() - clock) * 1e3)
                assert status == 200, data
                listed = len(data)
            report[name] = {"first_ms": times[0], "median_ms": statistics.median(times[1:]), "listed": listed,
                            "graded": sum(bool(row.get("autograded", True)) for row in data)}
        ids = [row["id"] for row in data][:repeats]
        pages = []
        for submission in ids:
            clock = time.perf_counter()
            status, _ = server.api("GET", f"/formgrader/submissions/{submission}/")
            pages.append((time.perf_counter() - clock) * 1e3)
            assert status == 200
        report["grading_page_ms"] = {"first_ms": pages[0], "median_ms": statistics.median(pages)}
        blank = []
        for _ in range(2):
            clock = time.perf_counter()
            dom("about:blank")
            blank.append(time.perf_counter() - clock)
        for name, path, marker in (("manage_submissions_page", "/formgrader/manage_submissions/ch06", ">graded<"),
                                   ("manual_grading_page", "/formgrader/gradebook/ch06/ch06",
                                    "/formgrader/submissions/")):
            loads, found = [], 0
            for _ in range(2):
                clock = time.perf_counter()
                html = dom(server.page(path))
                loads.append(time.perf_counter() - clock)
                found = html.count(marker)
            report[name] = {"load_ms": (min(loads) - min(blank)) * 1e3, "chromium_blank_ms": min(blank) * 1e3,
                            "rows_shown": found}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    scratch = scratch_folder("geodl-formgrader-")
    course = make_course(scratch / "course", args.students)
    store = f"sqlite:///{scratch / 'results.db'}"
    report: dict = {"students": args.students, "cpus": os.cpu_count()}
    report["batch"] = grade(course, store)
    report["writer"] = time_writer(course, store, scratch)
    report["writer_share_of_batch"] = (report["writer"]["notebook_ms_per_submission"]
                                       + report["writer"]["gradebook_extra_ms_new"]) / report["batch"][
                                           "ms_per_submission"]
    (scratch / "home").mkdir()
    report["formgrader"] = time_formgrader(course, scratch / "home", args.repeats)
    write_report("formgrader", report)


if __name__ == "__main__":
    main()

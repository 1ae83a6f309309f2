"""A TA grades by hand in nbgrader's formgrader on top of ``geodl batch``: a small nbgrader course
graded by geodl, then a Jupyter server with nbgrader's formgrader on loopback (a free port, a
token, its own HOME and Jupyter folders), driven through formgrader's own HTTP API and looked at
in headless Chromium.

Checked: formgrader lists every submission as graded with geodl's score, "Manual Grading" lists
them, a submission's grading page opens; a manual score and a comment saved through the API
survive ``geodl batch --resume`` and a regrade, which flags the grade whose autograde changed.
The screenshots (one per page) are written to the test's folder; with
``GEODL_UPDATE_SCREENSHOTS=1`` they replace ``docs/screenshots/formgrader-*.png``.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from graders.authoring.release import release_files
from graders.authoring.samples import write_class
from graders.batch.store import ResultStore
from tests.support.formgrader import Formgrader, FormgraderUnavailable, dom, formgrader, screenshot

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "docs" / "screenshots"
#: Set to replace docs/screenshots/formgrader-*.png with this run's.
UPDATE_SCREENSHOTS = "GEODL_UPDATE_SCREENSHOTS"
TIMESTAMP = "2024-03-01 10:00:00.000000 UTC"
#: nbgrader's color of a grading page's cell headers (bootstrap's panel-primary).
PANEL_BLUE = (51, 122, 183)


@dataclasses.dataclass(frozen=True)
class Course:
    root: Path
    store: str
    roster: dict[str, str]  #: student -> kind (graders.authoring.samples)


def _batch(course: Course, *extra: str) -> str:
    command = [sys.executable, "-m", "graders.cli", "batch", str(course.root), "-a", "ch06", "--workers", "2",
               "--preload", "numpy", "--db", course.store, *extra]
    done = subprocess.run(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    """Three students of ch06 who submitted modules and one who submitted the notebook, dated by
    ``nbgrader collect``'s timestamp files, graded by ``geodl batch`` into the course's gradebook
    (its nbgrader_config.py names it relative to the course, as solutions/'s does)."""
    root = tmp_path_factory.mktemp("course")
    roster = dict(write_class(root, "ch06", 3, seed=5, hostile=False))
    notebook = root / "submitted" / "nbstudent" / "ch06"
    notebook.mkdir(parents=True)
    shutil.copy(REPO / "solutions" / "ch06" / "ch06.ipynb", notebook / "ch06.ipynb")
    roster["nbstudent"] = "correct (notebook)"
    for student in roster:
        (root / "submitted" / student / "ch06" / "timestamp.txt").write_text(TIMESTAMP)
    (root / "source" / "ch06").mkdir(parents=True)  # the instructor's notebook, as nbgrader's course holds it
    shutil.copy(REPO / "solutions" / "ch06" / "ch06.ipynb", root / "source" / "ch06" / "ch06.ipynb")
    (root / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "geodl"\n'
                                             'c.CourseDirectory.db_url = "sqlite:///gradebook.db"\n')
    graded = Course(root, f"sqlite:///{tmp_path_factory.mktemp('store') / 'results.db'}", roster)
    _batch(graded)
    return graded


@dataclasses.dataclass(frozen=True)
class Server:
    """Formgrader (tests/support/formgrader.py) on the graded course."""

    formgrader: Formgrader
    course: Course

    def api(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return self.formgrader.api(method, path, body)

    def page(self, path: str) -> str:
        return self.formgrader.page(path)


@pytest.fixture(scope="module")
def server(course, tmp_path_factory) -> Iterator[Server]:
    """Formgrader on the course, on loopback; stopped after the module's tests."""
    pytest.importorskip("jupyter_server", reason="jupyter_server is not installed: run scripts/install")
    try:
        with formgrader(course.root, tmp_path_factory.mktemp("home")) as running:
            yield Server(running, course)
    except FormgraderUnavailable as error:
        pytest.skip(str(error))


def _store_scores(course: Course) -> dict[str, float]:
    store = ResultStore(course.store)
    try:
        return {student: result.score for student, result in store.latest("ch06")}
    finally:
        store.close()


def _notebook_ids(server: Server) -> dict[str, str]:
    status, notebooks = server.api("GET", "/formgrader/api/submitted_notebooks/ch06/ch06")
    assert status == 200, notebooks
    return {notebook["student"]: notebook["id"] for notebook in notebooks}


def test_formgrader_lists_every_submission_as_graded_with_geodls_score_and_opens_it(server):
    status, submissions = server.api("GET", "/formgrader/api/submissions/ch06")
    assert status == 200, submissions
    scores = _store_scores(server.course)
    assert sorted(scores) == sorted(server.course.roster)
    assert {s["student"]: (s["autograded"], s["score"]) for s in submissions} == \
        {student: (True, score) for student, score in scores.items()}
    assert {s["display_timestamp"] for s in submissions} == {"2024-03-01 10:00:00 UTC"}
    ids = _notebook_ids(server)  # "Manual Grading" lists them all
    assert sorted(ids) == sorted(scores)
    for student, submission in ids.items():
        status, page = server.api("GET", f"/formgrader/submissions/{submission}/")
        assert status == 200, (student, page[-500:])
        assert 'id="mlp_backprop__book_ex_6_4"' in page and 'id="module_mlp-comment"' in page
        assert re.search(r'<span class="ansi-(green|red)-fg">\w+</span> · \d+/\d+ points?', page), student
    status, comments = server.api("GET", f"/formgrader/api/comments?submission_id={ids['nbstudent']}")
    assert status == 200 and [c["name"] for c in comments] == ["module_mlp", "module_optim", "module_convmat",
                                                               "module_variational"]


def _crop_to_cell(path: Path, index: int, height: int) -> None:
    """Crop a tall grading page to ``height`` px from its ``index``-th graded cell (solution and
    test cells count, each a blue panel header), with the output above it."""
    from PIL import Image
    with Image.open(path) as image:
        pixels = image.convert("RGB")
        width = pixels.width
        headers, run = [], 0
        for y in range(pixels.height):
            blue = sum(pixels.getpixel((x, y)) == PANEL_BLUE for x in range(0, width, 8)) > width // 32
            run = run + 1 if blue else 0
            if run == 20:  # a header, not a panel's 1 px border
                headers.append(y - 19)
                if len(headers) > index:
                    break
        assert len(headers) > index, f"the page shows {len(headers)} graded cells, not {index + 1}"
        top = max(0, headers[index] - 150)
        image.crop((0, top, width, min(image.height, top + height))).save(path)


def _first_failed_cell(course: Course, student: str) -> int:
    """Which graded cell (solution and test cells, in order) of the student's autograded notebook
    is the first with a failed check."""
    notebook = json.loads((course.root / "autograded" / student / "ch06" / "ch06.ipynb").read_text())
    graded = [cell for cell in notebook["cells"] if cell["metadata"].get("nbgrader", {}).get("grade")
              or cell["metadata"].get("nbgrader", {}).get("solution")]
    return next(index for index, cell in enumerate(graded)
                if any(output["output_type"] == "error" for output in cell.get("outputs", [])))


def test_a_ta_sees_the_class_graded_in_formgrader(server, tmp_path):
    """The pages as a TA's browser shows them: the lists filled in from formgrader's API (every
    submission "graded" with its score, none "needs autograding"), and a grading page; one
    screenshot each."""
    ids = _notebook_ids(server)
    scores = _store_scores(server.course)
    submissions = dom(server.page("/formgrader/manage_submissions/ch06"))
    assert submissions.count(">graded<") == len(scores) and "needs autograding" not in submissions
    assert all(f"{score:g} / 41" in submissions for score in scores.values())
    manual = dom(server.page("/formgrader/gradebook/ch06/ch06"))
    assert "No data available in table" not in manual and manual.count("/formgrader/submissions/") >= len(ids)
    student = _partly_wrong(server.course)
    pages = {"manage-assignments": ("/formgrader/manage_assignments", 700),
             "manage-submissions": ("/formgrader/manage_submissions/ch06", 700),
             "manual-grading": ("/formgrader/gradebook/ch06/ch06", 700),
             "grading-page": (f"/formgrader/submissions/{ids[student]}/", 24000)}
    for name, (path, height) in pages.items():
        shot = screenshot(server.page(path), tmp_path / f"formgrader-{name}.png", 1280, height)
        if name == "grading-page":  # the first failed check, and the cells after it
            _crop_to_cell(shot, _first_failed_cell(server.course, student), 1400)
        from PIL import Image
        with Image.open(shot) as image:
            assert len(image.convert("RGB").getcolors(1 << 20) or ()) > 20, f"{name}: a blank screenshot"
    if os.environ.get(UPDATE_SCREENSHOTS):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for shot in tmp_path.glob("formgrader-*.png"):
            shutil.copy(shot, SCREENSHOTS / shot.name)


def _partly_wrong(course: Course) -> str:
    return next(student for student, kind in sorted(course.roster.items()) if kind.startswith(("wrong", "partial")))


def test_a_manual_score_and_comment_survive_resume_and_a_regrade_that_flags_the_grade(server):
    """Through formgrader's API (the calls its grading page makes): a TA scores a failed check
    of the stub's submission by hand and comments on a module. ``geodl batch --resume`` keeps
    both; the student's corrected files, regraded, keep them too (the manual score wins) and
    flag the grade whose auto score changed."""
    course = server.course
    stub = next(student for student, kind in course.roster.items() if kind == "stub")
    submission = _notebook_ids(server)[stub]
    status, grades = server.api("GET", f"/formgrader/api/grades?submission_id={submission}")
    assert status == 200
    grade = next(g for g in grades if g["name"] == "mlp_backprop__book_ex_6_4")
    assert (grade["auto_score"], grade["manual_score"], grade["needs_manual_grade"]) == (0.0, None, False)
    comment = next(c for c in server.api("GET", f"/formgrader/api/comments?submission_id={submission}")[1]
                   if c["name"] == "module_mlp")
    assert comment["auto_comment"] == "No response."  # the released stub, as nbgrader's autograde says it
    assert server.api("PUT", f"/formgrader/api/grade/{grade['id']}", {"manual_score": 0.5, "extra_credit": None})[0] \
        == 200
    assert server.api("PUT", f"/formgrader/api/comment/{comment['id']}", {"manual_comment": "Check the bias."})[0] \
        == 200

    def seen() -> tuple:
        saved = server.api("GET", f"/formgrader/api/grade/{grade['id']}")[1]
        note = server.api("GET", f"/formgrader/api/comment/{comment['id']}")[1]
        listed = {s["student"]: s for s in server.api("GET", "/formgrader/api/submissions/ch06")[1]}[stub]
        return (saved["auto_score"], saved["manual_score"], saved["needs_manual_grade"], note["manual_comment"],
                listed["autograded"], listed["score"])

    assert seen() == (0.0, 0.5, False, "Check the bias.", True, 0.5)
    assert "skipped 4" in _batch(course, "--resume")
    assert seen() == (0.0, 0.5, False, "Check the bias.", True, 0.5)
    for rel, text in release_files("ch06", solution=True).items():  # the student hands in the worked solution
        if rel.endswith(".py") and (course.root / "submitted" / stub / "ch06" / rel).exists():
            (course.root / "submitted" / stub / "ch06" / rel).write_text(text)
    assert "graded 1, skipped 3" in _batch(course, "--resume")
    auto, manual, flagged, note, autograded, score = seen()
    assert (auto, manual, flagged, note, autograded) == (2.0, 0.5, True, "Check the bias.", True)
    assert score == _store_scores(course)[stub] - 2.0 + 0.5  # the manual score wins over the new auto score

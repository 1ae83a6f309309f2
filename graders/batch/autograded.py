"""The autograded notebooks of an nbgrader course: what nbgrader's formgrader reads, besides the
gradebook, to list a submission as graded and open it for grading.

Formgrader counts a submission as autograded where ``autograded/<student>/<assignment>/`` exists
and the gradebook's submission carries the timestamp of ``submitted/<student>/<assignment>/
timestamp.txt`` (both absent counts as equal); it lists and opens the notebook
``autograded/<student>/<assignment>/<notebook>.ipynb``, one per notebook of the assignment in the
gradebook (geodl's assignment has one, named as the chapter). :class:`AutogradedWriter` writes,
for each graded submission, what ``nbgrader autograde`` would have left there, without running
the notebook (grading never does, :mod:`graders.grading.submission`):

* ``timestamp.txt``, a copy of the submission's (nbgrader's autograde copies every file of the
  submission; only the timestamp matters to formgrader), or none where the submission has none;
* ``<notebook>.ipynb``, the notebook form of the graded code (:func:`autograded_notebook`): the
  student's own notebook where the graded code came from it (sanitized as nbgrader's autograde
  sanitizes a submitted notebook: outputs cleared, the locked cells and every test cell put back
  as the source notebook has them), else the source notebook of the chapter; in either, each
  solution cell holds exactly the file that was graded (the student's, never the reference), and
  each test cell holds the check's source as a TA sees it in nbgrader (a hidden check between its
  ``### BEGIN HIDDEN TESTS`` markers) and, as its output, geodl's result of the check: passed, or
  what failed and why.

A student's own markdown and raw cells are shown as text (their HTML escaped): formgrader renders
a notebook's markdown in the TA's logged-in page, where a student's script could use the TA's
session. Student code never runs here; code cells are shown, highlighted, never executed.

The course is read from the class folder (:func:`read_course`): nbgrader's layout
``<course>/submitted/<student>/<assignment>/`` and the course's own ``nbgrader_config.py``
(its ``CourseDirectory`` settings: the gradebook's ``db_url``, the folders' names and layout).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from graders.chapters import grade_ids
from graders.errors import ConfigurationError
from graders.grading.names import decode_name
from graders.grading.numbers import points
from graders.grading.reading import MAX_NOTEBOOK_BYTES, Refused, read_regular
from graders.grading.submission import modules_from_notebook

if TYPE_CHECKING:
    from graders.grading.result import CheckResult, ExerciseResult, SubmissionResult
    from graders.grading.spec import Chapter
    from graders.grading.submission import Submission

#: nbgrader's name of the file that dates a submission (``nbgrader collect`` writes it).
TIMESTAMP_FILE = "timestamp.txt"
#: How much of a timestamp file is read (nbgrader's are one short line).
_TIMESTAMP_BYTES = 4096
_COURSE_CONFIG = "nbgrader_config.py"


# --------------------------------------------------------------------------- the course
@dataclasses.dataclass(frozen=True)
class NbgraderCourse:
    """An nbgrader course folder, as its ``nbgrader_config.py`` sets it up.

    Attributes
    ----------
    root : Path
        The course folder (absolute): the folder holding ``submitted/``.
    db_url : str
        The gradebook's SQLAlchemy URL: the config's ``CourseDirectory.db_url`` (a relative
        SQLite path taken from the course folder, where nbgrader's commands run), else nbgrader's
        default ``sqlite:///<root>/gradebook.db``.
    submitted_directory, autograded_directory, directory_structure : str
        nbgrader's ``CourseDirectory`` settings of those names.
    """

    root: Path
    db_url: str
    submitted_directory: str = "submitted"
    autograded_directory: str = "autograded"
    directory_structure: str = os.path.join("{nbgrader_step}", "{student_id}", "{assignment_id}")

    def folder(self, step: str, student: str, assignment: str) -> Path:
        """nbgrader's ``CourseDirectory.format_path(step, student, assignment)``."""
        return self.root / self.directory_structure.format(nbgrader_step=step, student_id=student,
                                                           assignment_id=assignment)


def read_course(class_folder: str | os.PathLike) -> NbgraderCourse | None:
    """The nbgrader course a class folder is (the course folder, holding ``submitted/``, or its
    ``submitted/`` itself), or None where it is a plain folder of submissions. The course's
    ``nbgrader_config.py``, if any, is loaded as nbgrader loads it (it is the course's own Python).
    Raises :class:`~graders.errors.ConfigurationError` where that file cannot be loaded."""
    folder = Path(os.path.abspath(class_folder))
    if _is_real_folder(folder / "submitted"):
        root = folder
    elif folder.name == "submitted" and _is_real_folder(folder):
        root = folder.parent
    else:
        return None
    return _course_at(root)


def _is_real_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _course_at(root: Path) -> NbgraderCourse:
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    import graders.batch.gradebook  # noqa: F401  (nbgrader's package without its server extensions)

    config = Config()
    if (root / _COURSE_CONFIG).is_file():
        try:
            config = PyFileConfigLoader(_COURSE_CONFIG, path=str(root)).load_config()
        except Exception as exc:  # noqa: BLE001 - any failure of the course's own Python is reported in one line
            reason = " ".join(str(exc).split())[:200]
            raise ConfigurationError(f"the course's {root / _COURSE_CONFIG} cannot be loaded "
                                     f"({type(exc).__name__}: {reason})", reference="course-config-unreadable",
                                     hint="fix it (nbgrader loads it too), or name the gradebook with --gradebook") \
                from None
    course = CourseDirectory(config=config)
    course.root = str(root)
    explicit = config.CourseDirectory.get("db_url") if "CourseDirectory" in config else None
    db_url = _in_course(str(explicit), root) if explicit else course.db_url
    return NbgraderCourse(root=root, db_url=db_url, submitted_directory=course.submitted_directory,
                          autograded_directory=course.autograded_directory,
                          directory_structure=course.directory_structure)


def _in_course(url: str, root: Path) -> str:
    """``url`` with a relative SQLite path taken from ``root`` (nbgrader's commands and formgrader
    run from the course folder, where such a path points)."""
    match = re.fullmatch(r"(sqlite(?:\+\w+)?:///)([^?]*)(\?.*)?", url)
    if not match or not match.group(2) or match.group(2) == ":memory:" or os.path.isabs(match.group(2)):
        return url
    return f"{match.group(1)}{os.path.normpath(root / match.group(2))}{match.group(3) or ''}"


# --------------------------------------------------------------------------- the chapter's notebook
@dataclasses.dataclass(frozen=True)
class ChapterNotebook:
    """A chapter's nbgrader source notebook as plain JSON data (``nbformat`` 4), read once: the
    template of every autograded notebook of the chapter.

    Attributes
    ----------
    name : str
        The notebook's name in the gradebook (``ch06``).
    metadata : mapping
        The notebook's metadata (kernelspec, language).
    cells : tuple of dict
        Its cells; each carries nbgrader's metadata and a ``grade_id``.
    solution_files : mapping of str to str
        ``"module_mlp" -> "ch06/mlp.py"``: each solution cell and the chapter file it writes.
    checks : mapping of str to (str, str)
        ``"mlp_backprop__forward_output" -> ("ch06.mlp_backprop", "forward_output")``: each test
        cell and its check.
    nbformat_minor : int
    """

    name: str
    metadata: Mapping[str, Any]
    cells: tuple[dict, ...]
    solution_files: Mapping[str, str]
    checks: Mapping[str, tuple[str, str]]
    nbformat_minor: int = 5

    @classmethod
    def of(cls, notebook: Mapping[str, Any], chapter: Chapter) -> "ChapterNotebook":
        """The template from the chapter's source notebook (a notebook's JSON data, as
        :func:`graders.authoring.notebooks.source_notebook` makes it)."""
        from nbformat.notebooknode import from_dict

        data = json.loads(json.dumps(notebook))  # plain dicts, the caller's left alone
        cells = tuple(data["cells"])
        by_cell = {cell_id: key for key, cell_id in grade_ids(chapter).items()}
        solution_files: dict[str, str] = {}
        checks: dict[str, tuple[str, str]] = {}
        for cell in cells:
            meta = _nbgrader_meta(cell)
            grade_id = str(meta.get("grade_id"))
            if meta.get("solution") and cell.get("cell_type") == "code":
                written, _ = modules_from_notebook(from_dict({"cells": [cell]}), chapter.id)
                if written:
                    solution_files[grade_id] = next(iter(written))
            elif meta.get("grade") and grade_id in by_cell:
                checks[grade_id] = by_cell[grade_id]
        return cls(name=chapter.id, metadata=data.get("metadata", {}), cells=cells, solution_files=solution_files,
                   checks=checks, nbformat_minor=int(data.get("nbformat_minor", 5)))

    @property
    def solution_cells(self) -> tuple[str, ...]:
        """The grade ids of its solution cells, in order (the gradebook's solution cells)."""
        return tuple(self.solution_files)


def _nbgrader_meta(cell: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = cell.get("metadata")
    meta = metadata.get("nbgrader") if isinstance(metadata, Mapping) else None
    return meta if isinstance(meta, Mapping) else {}


# --------------------------------------------------------------------------- one autograded notebook
def autograded_notebook(template: ChapterNotebook, submission: Submission | None, result: SubmissionResult,
                        student_notebook: Mapping[str, Any] | None = None) -> dict:
    """The autograded notebook of one graded submission, as JSON data (see the module's docstring).

    Parameters
    ----------
    template : ChapterNotebook
    submission : Submission or None
        What was graded (None where the submission could not be read: each solution cell says so).
    result : SubmissionResult
        Its result: each test cell's output.
    student_notebook : mapping, optional
        The student's own notebook (nbformat 4 JSON data), when the graded code came from it.
    """
    outputs = _check_outputs(template, result)
    own: dict[str, dict] = {}  # grade id -> the autograded cell, in the source's order
    for cell in template.cells:
        grade_id = _nbgrader_meta(cell)["grade_id"]
        if grade_id in template.solution_files:
            own[grade_id] = _solution_cell(template, cell, submission, result)
        elif grade_id in template.checks:
            own[grade_id] = {**cell, "outputs": outputs[grade_id], "execution_count": None}
        else:
            own[grade_id] = cell
    cells = list(own.values()) if student_notebook is None else _student_cells(own, student_notebook)
    return {"cells": cells, "metadata": dict(template.metadata), "nbformat": 4,
            "nbformat_minor": template.nbformat_minor}


def _solution_cell(template: ChapterNotebook, cell: dict, submission: Submission | None,
                   result: SubmissionResult) -> dict:
    """The solution cell holding the graded file: its ``%%writefile`` line, then the file."""
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    first = source.split("\n", 1)[0]
    rel = template.solution_files[_nbgrader_meta(cell)["grade_id"]]
    data = submission.files.get(rel) if submission is not None else None
    if data is not None:
        body = data.decode("utf-8", "replace")
    elif submission is None:
        body = f"# geodl: the submission could not be read: {_one_line(result.message)}\n"
    else:
        body = f"# geodl: the submission holds no {rel}\n"
    return {**cell, "source": f"{first}\n{body}", "outputs": [], "execution_count": None}


def _check_outputs(template: ChapterNotebook, result: SubmissionResult) -> dict[str, list[dict]]:
    """Each test cell's output: its check's result (passed; or failed, with geodl's message)."""
    exercises = {exercise.id: exercise for exercise in result.exercises}
    found = {(exercise.id, check.name): check for exercise in result.exercises for check in exercise.checks}
    outputs = {}
    for cell_id, (exercise_id, check_name) in template.checks.items():
        check = found.get((exercise_id, check_name))
        if check is not None:
            outputs[cell_id] = [_check_output(check)]
        else:
            outputs[cell_id] = [_not_run_output(exercises.get(exercise_id), result)]
    return outputs


def _points(earned: float, max_points: float) -> str:
    return f"{points(earned)}/{points(max_points)} point" + ("" if max_points == 1 else "s")


#: What a failed hidden check's output says instead of its message: the autograded notebook is
#: what ``nbgrader generate_feedback`` hands to the student, and a message can quote the inputs.
HIDDEN_MESSAGE_LEFT_OUT = ("a hidden check; its message is not written here, since nbgrader's feedback would show "
                          "it to the student ('geodl grade PATH --hidden' shows it)")

#: ANSI colours of a verdict, as a notebook's outputs show them (Jupyter and nbconvert render them).
_GREEN, _RED, _PLAIN = "\x1b[0;32m", "\x1b[0;31m", "\x1b[0m"


def _check_output(check: CheckResult) -> dict:
    """A check's result as a cell output: a line on stdout when it passed (``✓ passed · 2/2
    points``), else an error whose first line is geodl's one-line message (``✗ failed · 0/2
    points: ...``), followed by the rest of the message and the failing test case; a failed
    hidden check says only that it failed (:data:`HIDDEN_MESSAGE_LEFT_OUT`). The marks
    show in formgrader, whose page has no style for the colours a live notebook shows."""
    score = _points(check.points, check.max_points)
    if check.passed:
        return {"output_type": "stream", "name": "stdout", "text": f"✓ {_GREEN}passed{_PLAIN} · {score}\n"}
    if check.visibility != "public":
        return {"output_type": "error", "ename": check.status, "evalue": HIDDEN_MESSAGE_LEFT_OUT,
                "traceback": [f"✗ {_RED}{check.status}{_PLAIN} · {score}: {HIDDEN_MESSAGE_LEFT_OUT}"]}
    message = check.message.strip() or check.status
    lines = [f"✗ {_RED}{check.status}{_PLAIN} · {score}: {_one_line(message)}", *message.splitlines()[1:]]
    if check.counterexample:
        lines.append(check.counterexample)
    return {"output_type": "error", "ename": check.status, "evalue": _one_line(message), "traceback": lines}


def _not_run_output(exercise: ExerciseResult | None, result: SubmissionResult) -> dict:
    """The output of a test cell whose check has no result: its exercise's reason, or the submission's."""
    if exercise is not None:
        why = f"not run: {exercise.status}" + (f": {_one_line(exercise.message)}" if exercise.message else "")
    else:
        reason = _one_line(result.message)
        why = reason if reason.lower().startswith("not graded") else \
            f"not graded: {result.status}" + (f": {reason}" if reason else "")
    return {"output_type": "error", "ename": "not run", "evalue": why, "traceback": [f"✗ {_RED}{why}{_PLAIN}"]}


def _one_line(text: str) -> str:
    return " ".join(text.split("\n", 1)[0].split())


def _student_cells(own: Mapping[str, dict], notebook: Mapping[str, Any]) -> list[dict]:
    """The student's notebook sanitized as nbgrader's autograde sanitizes one: each cell of the
    source notebook (by grade id; the first of duplicates) replaced by the autograded one, a
    missing one put back after the one before it in the source; the student's own cells kept
    with their outputs cleared and their markdown and raw text escaped."""
    cells: list[dict] = []
    placed: dict[str, int] = {}
    raw_cells = notebook.get("cells")
    for cell in raw_cells if isinstance(raw_cells, list) else []:
        if not isinstance(cell, Mapping):
            continue
        grade_id = _nbgrader_meta(cell).get("grade_id")
        if isinstance(grade_id, str) and grade_id in own and grade_id not in placed:
            placed[grade_id] = len(cells)
            cells.append(own[grade_id])
        else:
            cells.append(_students_own_cell(cell, len(cells)))
    previous: str | None = None
    for grade_id, cell in own.items():  # the source's order
        if grade_id not in placed:
            at = placed[previous] + 1 if previous is not None else 0
            cells.insert(at, cell)
            placed = {key: index + (index >= at) for key, index in placed.items()}
            placed[grade_id] = at
        previous = grade_id
    return cells


def _students_own_cell(cell: Mapping[str, Any], index: int) -> dict:
    """A cell the student added: code as it is (formgrader highlights and escapes it) without
    its outputs; markdown and raw text with their HTML escaped; no metadata, no attachments."""
    source = cell.get("source", "")
    text = "".join(str(part) for part in source) if isinstance(source, list) else str(source)
    cell_id = f"student-cell-{index}"
    if cell.get("cell_type") == "code":
        return {"cell_type": "code", "id": cell_id, "metadata": {}, "source": text, "outputs": [],
                "execution_count": None}
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": html.escape(text, quote=False)}


def student_notebook(submission: Submission) -> dict | None:
    """The student's own notebook, as JSON data, where the graded code came from a notebook
    (``submission.origin`` ``notebook`` or ``mixed``): the one grading read (in the chapter
    folder, ``<assignment>.ipynb`` first, else one beside it), read as grading reads files (a
    regular file of its own, no link followed, within the notebook size limit). None where
    there is none or it cannot be read or parsed."""
    if submission.origin not in ("notebook", "mixed") or submission.root is None:
        return None
    root = Path(submission.root)
    if root.suffix == ".ipynb":
        candidates = [root]
    else:
        chapter = root / submission.assignment
        folders = [chapter] if _is_real_folder(chapter) else []
        candidates = [path for folder in [*folders, root] for path in _notebooks_in(folder, submission.assignment)]
    for path in candidates:
        try:
            data = read_regular(None, os.fspath(path), MAX_NOTEBOOK_BYTES, None)
        except Refused:
            continue
        try:
            import nbformat
            notebook = nbformat.reads(data.decode("utf-8", "replace"), as_version=4)
        except Exception:  # noqa: BLE001 - an unreadable notebook: the chapter's stands in
            continue
        return json.loads(json.dumps(notebook))
    return None


def _notebooks_in(folder: Path, assignment: str) -> list[Path]:
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return []
    chosen = sorted((n for n in names if n.endswith(".ipynb") and not n.startswith(".")),
                    key=lambda n: (n != f"{assignment}.ipynb", n))
    return [folder / name for name in chosen]


# --------------------------------------------------------------------------- writing them
@dataclasses.dataclass(frozen=True)
class NotebookFacts:
    """What a submission's autograded notebook says that its gradebook rows carry too."""

    #: the submission's time (``submitted/<student>/<assignment>/timestamp.txt``, as nbgrader
    #: parses it: UTC, no zone), None where it has none
    timestamp: dt.datetime | None = None
    #: the solution cells the student left as released (nbgrader's auto comment "No response.")
    unanswered: frozenset[str] = frozenset()


class AutogradedWriter:
    """Writes the autograded notebooks of a course's submissions of one chapter (see the module).

    ``is_stub(rel, data)`` says whether a graded file is the released stub of chapter file ``rel``
    (:meth:`graders.grading.submission.Release.is_stub`): its solution cell was left unanswered."""

    def __init__(self, course: NbgraderCourse, chapter: Chapter, template: ChapterNotebook,
                 is_stub: Callable[[str, bytes], bool] = lambda rel, data: False):
        self.course, self.chapter, self.template, self.is_stub = course, chapter, template, is_stub

    def folder(self, student: str) -> Path | None:
        """``autograded/<student>/<assignment>/``; None for a name that is not one folder name."""
        if not _one_folder_name(student):
            return None
        return self.course.folder(self.course.autograded_directory, student, self.chapter.id)

    def submitted_timestamp(self, student: str) -> str | None:
        """The text of ``submitted/<student>/<assignment>/timestamp.txt`` (a regular file of its
        own, no link followed), or None where there is none."""
        try:
            folder_name = os.fsdecode(decode_name(student))
        except ValueError:
            return None
        if not _one_folder_name(folder_name):
            return None
        path = self.course.folder(self.course.submitted_directory, folder_name, self.chapter.id) / TIMESTAMP_FILE
        try:
            return read_regular(None, os.fspath(path), _TIMESTAMP_BYTES, None).decode("utf-8", "replace")
        except Refused:
            return None

    def is_current(self, student: str) -> bool:
        """Whether the student's autograded notebook exists and carries the submission's timestamp
        (what formgrader and ``nbgrader autograde`` take for an autograded submission up to date)."""
        folder = self.folder(student)
        if folder is None or not (folder / f"{self.template.name}.ipynb").is_file():
            return False
        return _text_of(folder / TIMESTAMP_FILE) == self.submitted_timestamp(student)

    def write(self, student: str, submission: Submission | None, result: SubmissionResult, *,
              unless_current: bool = False) -> NotebookFacts:
        """Write the student's autograded notebook and timestamp (each file replaced whole; with
        ``unless_current``, only where :meth:`is_current` says they are not up to date, as
        ``nbgrader autograde`` leaves an autograded submission be); returns what the gradebook
        rows carry of it. A student whose name is no folder name gets none."""
        stamp = self.submitted_timestamp(student)
        facts = NotebookFacts(parse_timestamp(stamp), unanswered_cells(self.template, submission, self.is_stub))
        folder = self.folder(student)
        if folder is None or (unless_current and self.is_current(student)):
            return facts
        own = student_notebook(submission) if submission is not None else None
        notebook = autograded_notebook(self.template, submission, result, own)
        folder.mkdir(parents=True, exist_ok=True)
        _replace(folder / f"{self.template.name}.ipynb",
                 json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
        if stamp is None:
            (folder / TIMESTAMP_FILE).unlink(missing_ok=True)
        else:
            _replace(folder / TIMESTAMP_FILE, stamp)
        return facts


def parse_timestamp(text: str | None) -> dt.datetime | None:
    """A timestamp file's text as nbgrader reads it (``parse_utc``: UTC, without a zone), or
    None where it is empty or not a time."""
    if text is None or not text.strip():
        return None
    from nbgrader.utils import parse_utc
    try:
        return parse_utc(text.strip())
    except (ValueError, OverflowError):
        return None


def _one_folder_name(name: str) -> bool:
    return bool(name) and name not in (".", "..") and "/" not in name and "\0" not in name and os.sep not in name


def _text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def _replace(path: Path, text: str) -> None:
    """Write ``path`` whole: a temporary file beside it, renamed over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def unanswered_cells(template: ChapterNotebook, submission: Submission | None,
                     is_stub: Callable[[str, bytes], bool]) -> frozenset[str]:
    """The solution cells the student left as released (the file missing, or the released stub:
    ``is_stub(rel, data)``): nbgrader's autograde comments "No response." on them."""
    files = submission.files if submission is not None else {}
    return frozenset(cell for cell, rel in template.solution_files.items()
                     if files.get(rel) is None or is_stub(rel, files[rel]))

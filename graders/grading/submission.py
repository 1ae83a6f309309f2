"""A submission as the grader sees it: the student's chapter files as bytes, never imported here.

Accepted layouts for assignment ``ch06`` (DESIGN.md's contract):

* a folder holding ``ch06/<module>.py`` (a student's copy of ``assignments/``);
* a folder holding the chapter's module files directly (``mlp.py``, ``optim.py``...), as
  nbgrader's ``submitted/<student>/ch06/`` often does;
* a folder holding an nbgrader notebook of the chapter, or the ``.ipynb`` itself (its exercise
  cells become the chapter's modules: see :mod:`graders.authoring.notebooks`).

Symbolic links are never followed (a link to ``/etc/shadow`` must not carry host files into the
worker); oversized files are skipped with a note.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from graders.errors import SubmissionError

if TYPE_CHECKING:
    from nbformat.notebooknode import NotebookNode

MAX_FILE_BYTES = 1 * 2**20
MAX_TOTAL_BYTES = 8 * 2**20
MAX_FILES = 200
MAX_NOTEBOOK_BYTES = 20 * 2**20
_WRITEFILE = re.compile(r"^%%writefile(\s+-a)?\s+(\S+)\s*$")
SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints", ".git"}


@dataclasses.dataclass(frozen=True)
class Submission:
    """The files of one submission for one assignment.

    Attributes
    ----------
    assignment : str
        ``"ch06"``.
    files : mapping of str to bytes
        ``"ch06/mlp.py" -> source``: every Python file of the chapter folder.
    root : Path or None
        Where it was read from.
    student : str or None
    notes : tuple of str
        Problems met while reading (skipped links, oversized files), shown in the feedback.
    """

    assignment: str
    files: Mapping[str, bytes]
    root: Path | None = None
    student: str | None = None
    notes: tuple[str, ...] = ()
    origin: str = "modules"  #: modules | notebook

    @property
    def sha256(self) -> str:
        """A hash of the file names and contents: the identity of what was graded."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update(name.encode() + b"\0" + hashlib.sha256(self.files[name]).digest())
        return digest.hexdigest()

    def source(self, rel: str) -> str | None:
        data = self.files.get(rel)
        return None if data is None else data.decode("utf-8", "replace")

    def describe(self) -> dict:
        return {"path": str(self.root) if self.root else None, "sha256": self.sha256, "student": self.student,
                "files": sorted(self.files), "origin": self.origin, "notes": list(self.notes)}

    @classmethod
    def from_path(cls, path: str | os.PathLike, assignment: str, *, student: str | None = None,
                  module_files: tuple[str, ...] = ()) -> "Submission":
        """Read a submission folder (or notebook) for ``assignment``.

        ``module_files`` are the chapter's module file names (``("mlp.py", ...)``); a folder
        holding any of them directly is taken as the chapter folder itself.
        """
        root = Path(path)
        if root.is_symlink() or not root.exists():
            raise SubmissionError(f"submission path {str(root)!r} does not exist", reference="submission-missing")
        if root.is_file():
            if root.suffix == ".ipynb":
                return submission_from_notebook(root, assignment, student=student)
            raise SubmissionError(f"{root} is a file; a submission is a folder or an .ipynb notebook",
                                  reference="submission-not-a-folder")
        chapter_dir = root / assignment
        if chapter_dir.is_dir() and not chapter_dir.is_symlink():
            files, notes = _read_tree(chapter_dir, prefix=assignment)
            return cls(assignment, files, root=root, student=student, notes=notes)
        if any((root / name).is_file() for name in module_files):
            files, notes = _read_tree(root, prefix=assignment)
            return cls(assignment, files, root=root, student=student, notes=notes)
        notebooks = sorted(p for p in root.glob("*.ipynb") if not p.is_symlink())
        if notebooks:
            return submission_from_notebook(notebooks[0], assignment, student=student, root=root)
        return cls(assignment, {}, root=root, student=student,
                   notes=(f"no {assignment}/ folder, module files or notebook found in the submission",))


def _read_tree(folder: Path, *, prefix: str) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """Every regular ``.py`` file under ``folder`` (links skipped), keyed ``prefix/relative``."""
    files: dict[str, bytes] = {}
    notes: list[str] = []
    total = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = Path(dirpath) / name
            rel = f"{prefix}/{path.relative_to(folder).as_posix()}"
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
                notes.append(f"skipped {rel}: not a regular file (symbolic links are not followed)")
                continue
            if info.st_size > MAX_FILE_BYTES:
                notes.append(f"skipped {rel}: {info.st_size} bytes is over the {MAX_FILE_BYTES} byte limit")
                continue
            if total + info.st_size > MAX_TOTAL_BYTES or len(files) >= MAX_FILES:
                notes.append(f"skipped {rel}: the submission is over its size limit")
                continue
            files[rel] = path.read_bytes()
            total += info.st_size
    return files, tuple(notes)


# --------------------------------------------------------------------------- notebooks
def modules_from_notebook(nb: NotebookNode, chapter_id: str) -> tuple[dict[str, bytes], list[str]]:
    """The chapter files a notebook writes (``%%writefile chNN/<name>.py`` cells), in order;
    later cells win, ``-a`` appends. Other paths are ignored with a note."""
    files: dict[str, str] = {}
    notes: list[str] = []
    allowed = re.compile(rf"^{chapter_id}/[A-Za-z_][A-Za-z0-9_]*\.py$")
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        first, _, rest = source.lstrip("\n").partition("\n")
        match = _WRITEFILE.match(first.strip())
        if not match:
            continue
        path = match.group(2).strip("'\"")
        if not allowed.match(path):
            notes.append(f"ignored a %%writefile cell for {path!r}: only {chapter_id}/<module>.py files are graded")
            continue
        body = rest if rest.endswith("\n") else rest + "\n"
        files[path] = files.get(path, "") + body if match.group(1) else body
    return {k: v.encode() for k, v in files.items()}, notes


def submission_from_notebook(path: Path, assignment: str, *, student: str | None = None, root: Path | None = None):
    """A :class:`~graders.grading.submission.Submission` from a submitted notebook."""
    import nbformat  # on first use: most submissions are modules

    path = Path(path)
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise SubmissionError(f"{path.name} is larger than {MAX_NOTEBOOK_BYTES} bytes", reference="notebook-too-large")
    try:
        nb = nbformat.reads(path.read_text(errors="replace"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook is the submission's problem
        return Submission(assignment, {}, root=root or path, student=student, origin="notebook",
                          notes=(f"{path.name} is not a readable notebook ({type(exc).__name__}: {str(exc)[:200]})",))
    files, notes = modules_from_notebook(nb, assignment)
    return Submission(assignment, files, root=root or path, student=student, notes=tuple(notes), origin="notebook")

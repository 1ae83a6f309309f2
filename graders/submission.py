"""A submission as the grader sees it: the student's chapter files as bytes, never imported here.

Accepted layouts for assignment ``ch06`` (DESIGN.md's contract):

* a folder holding ``ch06/<module>.py`` (a student's copy of ``assignments/``);
* a folder holding the chapter's module files directly (``mlp.py``, ``optim.py``...), as
  nbgrader's ``submitted/<student>/ch06/`` often does;
* a folder holding an nbgrader notebook of the chapter, or the ``.ipynb`` itself (its exercise
  cells become the chapter's modules: see :mod:`graders.notebooks`).

Symbolic links are never followed (a link to ``/etc/shadow`` must not carry host files into the
worker); oversized files are skipped with a note.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from pathlib import Path
from typing import Mapping

from graders.errors import SubmissionError

MAX_FILE_BYTES = 1 * 2**20
MAX_TOTAL_BYTES = 8 * 2**20
MAX_FILES = 200
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
                from graders.notebooks import submission_from_notebook
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
            from graders.notebooks import submission_from_notebook
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

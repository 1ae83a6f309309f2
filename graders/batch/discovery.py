"""Finding a class's submissions, and reading each one once.

A class is nbgrader's ``submitted/<student>/<assignment>/`` tree (given as the course folder or
as its ``submitted/``), or a folder whose entries are each one student's submission folder or
notebook. Each submission is read once, by the batch's own process
(:func:`read_submission`); the grading processes receive its files, never its path.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from graders.grading.spec import Chapter
from graders.grading.submission import Submission


@dataclasses.dataclass(frozen=True)
class BatchItem:
    """One submission of a class: who, and where its files are."""

    student: str
    path: str


def discover(root: str | os.PathLike, assignment: str) -> list[BatchItem]:
    """Submissions under ``root``, by student name, in name order."""
    root = Path(root)
    if (root / "submitted").is_dir():
        root = root / "submitted"
    items = []
    for entry in sorted(root.iterdir()):
        if entry.is_symlink() or entry.name.startswith("."):
            continue
        if entry.is_dir():
            folder = entry / assignment
            items.append(BatchItem(entry.name, str(folder if folder.is_dir() and not folder.is_symlink() else entry)))
        elif entry.suffix == ".ipynb":
            items.append(BatchItem(entry.stem, str(entry)))
    return items


def read_submission(item: BatchItem, chapter: Chapter) -> Submission:
    """The submission of ``item`` for ``chapter``, as grading reads it
    (:meth:`~graders.grading.submission.Submission.from_path`: no symbolic link, its size
    limits); raises :class:`~graders.errors.SubmissionError` where it cannot be read."""
    names = tuple(Path(e.module_file).name for e in chapter.exercises.values())
    return Submission.from_path(item.path, chapter.id, student=item.student, module_files=names)

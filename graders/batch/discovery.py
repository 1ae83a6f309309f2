"""Finding a class's submissions, and reading each one once.

A class is nbgrader's ``submitted/<student>/<assignment>/`` tree (given as the course folder or
as its ``submitted/``), or a folder whose entries are each one student's submission folder or
notebook. Each submission is read once, by the batch's own process
(:func:`read_submission`); the grading processes receive its files, never its path.

Discovery lists the class folder and opens nothing in it: whatever an entry is, listing it
never blocks. Every entry but a hidden one (``.name``) and a regular file not named
``*.ipynb`` (a ``README``, a CSV) is a student: a folder, a ``*.ipynb`` of any kind, and an
entry that is neither folder nor regular file (a symbolic link, a FIFO, a device, a socket).
Reading (:meth:`~graders.grading.submission.Submission.from_path`) then accepts only real
folders and regular files, so an entry of the odd kinds, an unreadable folder or a link
becomes an error result with a one-line reason, and the rest of the class is graded.

Student names
-------------
A student's name is her entry's name (a notebook's without ``.ipynb``) in the text form of
:func:`~graders.grading.names.encode_name`: a folder name that is valid UTF-8 and holds
no backslash is kept as it is (``alice``, ``José``, even one holding a newline); any other,
which on Linux may be any bytes but ``/`` and NUL, is written with its backslashes doubled
and each byte that is not valid UTF-8 as ``\\xNN`` (``caf\\xe9`` for the Latin-1 bytes of
``café``). The form is valid UTF-8 without NUL (every store and export can hold it), lossless
(:func:`~graders.grading.names.decode_name` gives the folder name's bytes back), and two
folders never share it. Where a notebook's name without ``.ipynb`` is taken (``alice/`` and
``alice.ipynb``), the notebook keeps its whole name (``alice.ipynb``). What a person reads is
:func:`~graders.grading.names.display_name` of it: control and invisible characters
escaped, on one line. :attr:`BatchItem.path` stays the path Python opens (``os.fsdecode``).
"""
from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

from graders.errors import SubmissionError
from graders.grading.names import decode_name, display_name, encode_name
from graders.grading.spec import Chapter
from graders.grading.submission import Submission

__all__ = ["BatchItem", "decode_name", "discover", "display_name", "encode_name", "read_submission"]


@dataclasses.dataclass(frozen=True)
class BatchItem:
    """One submission of a class: who (a name in :func:`encode_name`'s form), and where its
    files are (a path as ``os.fsdecode`` reads it)."""

    student: str
    path: str


def discover(root: str | os.PathLike, assignment: str) -> list[BatchItem]:
    """Submissions under ``root``, by student name, in name order (see the module's docstring
    for what counts as one, and the names). Raises :class:`~graders.errors.SubmissionError`
    where ``root`` cannot be listed or its ``submitted`` is a symbolic link."""
    top = os.fspath(root)
    submitted = os.path.join(top, "submitted")
    try:
        mode = os.lstat(submitted).st_mode
    except OSError:
        mode = 0
    if stat.S_ISLNK(mode):
        raise SubmissionError(f"{display_name(encode_name(submitted))} is a symbolic link, which is not followed; "
                              "give the folder it points to, if you trust it", reference="class-folder-unreadable")
    if stat.S_ISDIR(mode):
        top = submitted
    try:
        with os.scandir(top) as listing:
            entries = sorted((entry.name, _kind(entry)) for entry in listing if not entry.name.startswith("."))
    except OSError as exc:
        raise SubmissionError(f"the class folder {display_name(encode_name(top))} cannot be listed "
                              f"({exc.strerror or type(exc).__name__})", reference="class-folder-unreadable") from None
    students: dict[str, str] = {}  # name -> path
    notebooks = []
    for name, kind in entries:
        path = os.path.join(top, name)
        if kind == "folder":
            students[encode_name(name)] = _chapter_folder(path, assignment)
        elif name.endswith(".ipynb") and len(name) > len(".ipynb"):
            notebooks.append((name, path))
        elif kind != "file":  # a link, FIFO, device or socket where a student's folder would be
            students[encode_name(name)] = path
    for name, path in notebooks:  # after every folder, in name order: a folder keeps its name
        student = encode_name(name[:-len(".ipynb")])
        # The whole name is free: no other entry has it, and a notebook whose stem it is
        # (`<name>.ipynb`) comes later in name order.
        students[student if student not in students else encode_name(name)] = path
    return [BatchItem(student, path) for student, path in sorted(students.items())]


def _kind(entry: os.DirEntry) -> str:
    """``folder``, ``file`` (regular) or ``other``, from the listing: never follows a link, never opens."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return "folder"
        return "file" if entry.is_file(follow_symlinks=False) else "other"
    except OSError:
        return "other"


def _chapter_folder(student_folder: str, assignment: str) -> str:
    """``<student>/<assignment>`` where that is a real folder, else the student's folder itself
    (reading it notes a link or a FIFO named ``<assignment>`` there, and grades the rest)."""
    chapter = os.path.join(student_folder, assignment)
    try:
        return chapter if stat.S_ISDIR(os.lstat(chapter).st_mode) else student_folder
    except OSError:  # absent, or the student's folder cannot be searched: reading says why
        return student_folder


def read_submission(item: BatchItem, chapter: Chapter) -> Submission:
    """The submission of ``item`` for ``chapter``, as grading reads it
    (:meth:`~graders.grading.submission.Submission.from_path`: only regular files of its own,
    no link, FIFO or device followed or opened, its size limits; compared with what the class
    received, :func:`~graders.chapters.load_release`); raises
    :class:`~graders.errors.SubmissionError` where it cannot be read."""
    from graders.chapters import load_release

    names = tuple(Path(e.module_file).name for e in chapter.exercises.values())
    return Submission.from_path(item.path, chapter.id, student=item.student, module_files=names,
                                release=load_release(chapter.id))

"""A submission as the grader sees it: the student's chapter files as bytes, never imported here.

Accepted layouts for assignment ``ch06`` (DESIGN.md's contract):

* a folder holding ``ch06/<module>.py`` (a student's copy of ``assignments/``);
* a folder holding the chapter's module files directly (``mlp.py``, ``optim.py``...), as
  nbgrader's ``submitted/<student>/ch06/`` often does;
* a folder holding an nbgrader notebook of the chapter, or the ``.ipynb`` itself (its exercise
  cells become the chapter's modules: see :mod:`graders.authoring.notebooks`).

How its files are read (regular files of its own only, never blocking, within limits) is
:mod:`graders.grading.reading`'s; how names are stored and shown, :mod:`graders.grading.names`'s.
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
from graders.grading.names import encode_name
from graders.grading.reading import (
    MAX_NOTEBOOK_BYTES,
    Notes,
    Refused,
    TooLarge,
    Walk,
    close,
    entry_refusal,
    is_dir,
    kind,
    open_error,
    open_in,
    read_regular,
    shown,
)

if TYPE_CHECKING:
    from nbformat.notebooknode import NotebookNode

_WRITEFILE = re.compile(r"^%%writefile(\s+-a)?\s+(\S+)\s*$")


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
        Problems met while reading (refused links and special files, oversized files), shown
        in the feedback, one line each.
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
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + hashlib.sha256(self.files[name]).digest())
        return digest.hexdigest()

    def source(self, rel: str) -> str | None:
        data = self.files.get(rel)
        return None if data is None else data.decode("utf-8", "replace")

    def describe(self) -> dict:
        """The submission as a result records it; ``path`` in :func:`encode_name`'s form."""
        return {"path": encode_name(os.fspath(self.root)) if self.root else None, "sha256": self.sha256,
                "student": self.student, "files": sorted(self.files), "origin": self.origin,
                "notes": list(self.notes)}

    @classmethod
    def from_path(cls, path: str | os.PathLike, assignment: str, *, student: str | None = None,
                  module_files: tuple[str, ...] = ()) -> "Submission":
        """Read a submission folder (or notebook) for ``assignment``.

        ``module_files`` are the chapter's module file names (``("mlp.py", ...)``); a folder
        holding any of them directly is taken as the chapter folder itself. Raises
        :class:`SubmissionError` where the folder or notebook itself cannot be read (missing, a
        link, a FIFO or device, no permission); a refused file inside it is a note.
        """
        root = Path(path)
        top = os.fspath(root)
        where = shown(top)
        try:
            before = os.lstat(top)
        except FileNotFoundError:
            raise SubmissionError(f"submission path {where} does not exist", reference="submission-missing") from None
        except OSError as exc:
            raise SubmissionError(f"submission path {where}: {open_error(exc)}",
                                  reference="submission-unreadable") from None
        if stat.S_ISLNK(before.st_mode):
            raise SubmissionError(f"submission path {where} does not exist: it is a symbolic link (links are not "
                                  "followed)", reference="submission-missing")
        if stat.S_ISREG(before.st_mode):
            if root.suffix != ".ipynb":
                raise SubmissionError(f"{where} is a file; a submission is a folder or an .ipynb notebook",
                                      reference="submission-not-a-folder")
            return submission_from_notebook(root, assignment, student=student)
        if not stat.S_ISDIR(before.st_mode):
            raise SubmissionError(f"{where} is {kind(before.st_mode)}; a submission is a folder or an .ipynb notebook",
                                  reference="submission-not-a-folder")
        try:
            folder, info = open_in(None, top, directory=True)
        except Refused as exc:
            raise SubmissionError(f"submission folder {where}: {exc}",
                                  reference="submission-unreadable") from None
        try:
            return _read_folder(cls, folder, info.st_dev, root, assignment, student, module_files)
        finally:
            close(folder)


def _read_folder(cls: type[Submission], folder: int | str, device: int, root: Path, assignment: str,
                 student: str | None, module_files: tuple[str, ...]) -> Submission:
    notes = Notes()
    walk = Walk(device, notes)
    try:
        listing = walk.entries(folder, "")
    except Refused as exc:
        raise SubmissionError(f"submission folder {shown(os.fspath(root))}: {exc}",
                              reference="submission-unreadable") from None
    entries = {entry.name: entry for entry in listing}
    chapter = entries.get(assignment)
    if chapter is not None:
        refusal = entry_refusal(chapter, directory=True)
        if refusal is None:
            try:
                handle = walk.open_dir(folder, assignment)
            except Refused as exc:
                notes.add(f"skipped {shown(assignment)}/: {exc}")
            else:
                try:
                    files = walk.tree(handle, assignment, depth=0)
                finally:
                    close(handle)
                return cls(assignment, files, root=root, student=student, notes=notes.done())
        else:
            notes.add(f"skipped {shown(assignment)}: {refusal}")
    if any(name in entries and not is_dir(entries[name]) for name in module_files):
        files = walk.tree(folder, assignment, depth=0, listing=listing)
        return cls(assignment, files, root=root, student=student, notes=notes.done())
    for name in sorted(n for n in entries if n.endswith(".ipynb") and not n.startswith(".")):
        refusal = entry_refusal(entries[name], directory=False)
        if refusal is not None:
            notes.add(f"skipped {shown(name)}: {refusal}")
            continue
        try:
            data = read_regular(folder, name, MAX_NOTEBOOK_BYTES, device)
        except Refused as exc:
            notes.add(f"skipped {shown(name)}: {exc}")
            continue
        return _notebook_submission(data, name, assignment, student=student, root=root, notes=notes.done())
    notes.add(f"no {assignment}/ folder, module files or notebook found in the submission")
    return cls(assignment, {}, root=root, student=student, notes=notes.done())


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


def submission_from_notebook(path: Path, assignment: str, *, student: str | None = None,
                             root: Path | None = None) -> Submission:
    """A :class:`~graders.grading.submission.Submission` from a submitted notebook: a regular
    file of its own (no link, FIFO or device, no hard link), read from the descriptor it was
    checked on; raises :class:`SubmissionError` where it cannot be read or is too large."""
    path = Path(path)
    try:
        data = read_regular(None, os.fspath(path), MAX_NOTEBOOK_BYTES, None)
    except TooLarge:
        raise SubmissionError(f"{shown(path.name)} is larger than {MAX_NOTEBOOK_BYTES} bytes",
                              reference="notebook-too-large") from None
    except Refused as exc:
        raise SubmissionError(f"{shown(path.name)}: {exc}", reference="submission-unreadable") from None
    return _notebook_submission(data, path.name, assignment, student=student, root=root or path)


def _notebook_submission(data: bytes, name: str, assignment: str, *, student: str | None, root: Path,
                         notes: tuple[str, ...] = ()) -> Submission:
    """A submission from the bytes of the notebook ``name``; ``notes`` come first."""
    import nbformat  # on first use: most submissions are modules

    try:
        nb = nbformat.reads(data.decode("utf-8", "replace"), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook is the submission's problem
        reason = " ".join(str(exc)[:200].split())
        return Submission(assignment, {}, root=root, student=student, origin="notebook",
                          notes=(*notes, f"{shown(name)} is not a readable notebook ({type(exc).__name__}: {reason})"))
    files, found = modules_from_notebook(nb, assignment)
    return Submission(assignment, files, root=root, student=student, notes=(*notes, *found), origin="notebook")

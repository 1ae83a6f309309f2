"""A submission as the grader sees it: the student's chapter files as bytes, never imported here.

Accepted layouts for assignment ``ch06`` (DESIGN.md's contract):

* a folder holding ``ch06/<module>.py`` (a student's copy of ``assignments/``, or the folder
  ``geodl release`` wrote);
* a folder holding the chapter's module files directly (``mlp.py``, ``optim.py``...), as
  nbgrader's ``submitted/<student>/ch06/`` does;
* a folder holding an nbgrader notebook of the chapter, or the ``.ipynb`` itself: its
  ``%%writefile`` cells are read back (:func:`modules_from_notebook`), never run.

The released chapter holds both forms: the module files and the notebook ``ch06/ch06.ipynb``,
whose cells write those same files next to it. A folder holding both is read in both forms (the
notebook in the chapter folder, ``ch06.ipynb`` first, else one beside it) and settled file by file.

Which code is graded
--------------------
Each file of the chapter is graded from the module file, unless that file is missing or is
still the released stub (as the release wrote it, or as the released notebook's cell writes
it, up to trailing blanks) while the notebook holds code for it: then the notebook's code is
graded. So a student who works in the module files is graded on them whatever the untouched
notebook beside them holds, and a student who works in the notebook is graded on it even where
its cells were never run. Where both forms hold the student's own code for a file and it
differs, the module file is graded: it is what ``pytest``, ``geodl check`` and the notebook's
own test cells read. Every such choice is a note of the submission (the student's feedback):
which form was graded, and that the other differed.

Provided files (the chapter's ``_``-named files, ``_validation.py``, shipped complete) are
graded as released: a missing one is restored, and an edited copy (a module file, or what the
notebook writes) is replaced by the released one, with a note. The grader knows what was
released from a :class:`Release` (``graders.chapters.load_release``); read without one, the
module file wins wherever it exists and nothing is restored.

How its files are read (regular files of its own only, never blocking, within limits) is
:mod:`graders.grading.reading`'s; how names are stored and shown, :mod:`graders.grading.names`'s.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

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

_WRITEFILE = re.compile(r"^%%writefile(\s+(?:-a|--append))?\s+(\S+)\s*$")


def normal_form(data: bytes | str) -> str:
    r"""A file's code as the grader compares it with another form of it or with the released
    stub: line ends unified, trailing blanks dropped, and blank and comment-only lines left out
    (the release's header line, ``# YOUR CODE HERE``, a student's notes).

    >>> normal_form(b"# header\r\nx = 1  \r\n\n    # a note\n") == normal_form("x = 1")
    True
    """
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = (line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line.strip() and not line.lstrip().startswith("#"))


@dataclasses.dataclass(frozen=True)
class Release:
    """What the students of a chapter received, as grading compares a submission with it.

    Attributes
    ----------
    assignment : str
        ``"ch06"``.
    stubs : mapping of str to frozenset of str
        ``"ch06/mlp.py" ->`` the :func:`normal_form` of each form the stub of a chapter module
        was released in (the stub file, the code the released notebook's cell writes).
    provided : mapping of str to bytes
        ``"ch06/_validation.py" ->`` the file as released: provided files are graded as it.
    provided_forms : mapping of str to frozenset of str
        The :func:`normal_form` of each form a provided file was released in.
    """

    assignment: str
    stubs: Mapping[str, frozenset[str]]
    provided: Mapping[str, bytes]
    provided_forms: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, assignment: str, *, stubs: Mapping[str, Iterable[bytes | str]],
           provided: Mapping[str, Iterable[bytes | str]]) -> "Release":
        """A release from the texts it shipped: for each provided file, the first form is the
        one graded."""
        provided_forms = {rel: list(forms) for rel, forms in provided.items()}
        first = {rel: forms[0] for rel, forms in provided_forms.items()}
        return cls(assignment,
                   stubs={rel: frozenset(normal_form(f) for f in forms) for rel, forms in stubs.items()},
                   provided={rel: text.encode() if isinstance(text, str) else bytes(text)
                             for rel, text in first.items()},
                   provided_forms={rel: frozenset(normal_form(f) for f in forms)
                                   for rel, forms in provided_forms.items()})

    @property
    def module_files(self) -> tuple[str, ...]:
        """The file names of the chapter's modules (``("mlp.py", ...)``)."""
        return tuple(rel.rsplit("/", 1)[-1] for rel in self.stubs)

    def is_stub(self, rel: str, data: bytes) -> bool:
        """Whether ``data`` is the released stub of the module file ``rel`` (in any released form)."""
        return normal_form(data) in self.stubs.get(rel, frozenset())

    def is_as_released(self, rel: str, data: bytes) -> bool:
        """Whether ``data`` is the provided file ``rel`` as released (in any released form)."""
        return normal_form(data) in self.provided_forms.get(rel, frozenset())


@dataclasses.dataclass(frozen=True)
class Submission:
    """The files of one submission for one assignment.

    Attributes
    ----------
    assignment : str
        ``"ch06"``.
    files : mapping of str to bytes
        ``"ch06/mlp.py" -> source``: every Python file graded (the module's docstring says
        which form each comes from).
    root : Path or None
        Where it was read from.
    student : str or None
    notes : tuple of str
        What the student should know about how it was read, shown in the feedback, one line
        each: refused links and special files, oversized files, which form of a file was
        graded where the module files and the notebook differ, provided files restored.
    origin : str
        ``modules`` (every file from the module files), ``notebook`` (every file from a
        notebook) or ``mixed``.
    sources : mapping of str to str
        ``"ch06/mlp.py" ->`` where the graded file came from: ``modules``, ``notebook`` or
        ``release`` (a provided file). Empty for a submission made in memory.
    """

    assignment: str
    files: Mapping[str, bytes]
    root: Path | None = None
    student: str | None = None
    notes: tuple[str, ...] = ()
    origin: str = "modules"  #: modules | notebook | mixed
    sources: Mapping[str, str] = dataclasses.field(default_factory=dict)

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
                "sources": {encode_name(k): v for k, v in sorted(self.sources.items())}, "notes": list(self.notes)}

    @classmethod
    def from_path(cls, path: str | os.PathLike, assignment: str, *, student: str | None = None,
                  module_files: tuple[str, ...] = (), release: Release | None = None) -> "Submission":
        """Read a submission folder (or notebook) for ``assignment``.

        ``module_files`` are the chapter's module file names (``("mlp.py", ...)``; by default
        those of ``release``); a folder holding any of them directly is taken as the chapter
        folder itself. ``release`` is what the students received: with it, a file is taken from
        the notebook where the module file is the released stub, and provided files are restored
        (see the module's docstring). Raises :class:`SubmissionError` where the folder or
        notebook itself cannot be read (missing, a link, a FIFO or device, no permission); a
        refused file inside it is a note.
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
            return submission_from_notebook(root, assignment, student=student, release=release)
        if not stat.S_ISDIR(before.st_mode):
            raise SubmissionError(f"{where} is {kind(before.st_mode)}; a submission is a folder or an .ipynb notebook",
                                  reference="submission-not-a-folder")
        try:
            folder, info = open_in(None, top, directory=True)
        except Refused as exc:
            raise SubmissionError(f"submission folder {where}: {exc}",
                                  reference="submission-unreadable") from None
        names = module_files or (release.module_files if release is not None else ())
        try:
            return _read_folder(folder, info.st_dev, root, assignment, student, names, release)
        finally:
            close(folder)


@dataclasses.dataclass(frozen=True)
class _Notebook:
    """A notebook of a submission, read: the chapter files its cells write (None: unreadable)."""

    name: str
    files: dict[str, bytes] | None
    notes: tuple[str, ...]


def _read_folder(folder: int | str, device: int, root: Path, assignment: str, student: str | None,
                 module_files: tuple[str, ...], release: Release | None) -> Submission:
    notes = Notes()
    walk = Walk(device, notes)
    try:
        listing = walk.entries(folder, "")
    except Refused as exc:
        raise SubmissionError(f"submission folder {shown(os.fspath(root))}: {exc}",
                              reference="submission-unreadable") from None
    entries = {entry.name: entry for entry in listing}
    modules: dict[str, bytes] | None = None
    notebook: _Notebook | None = None
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
                    inside = walk.entries(handle, assignment)
                    modules = walk.tree(handle, assignment, depth=0, listing=inside)
                    notebook = _first_notebook(handle, inside, assignment, f"{assignment}/", device, notes)
                except Refused as exc:
                    notes.add(f"skipped {shown(assignment)}/: {exc}")
                finally:
                    close(handle)
        else:
            notes.add(f"skipped {shown(assignment)}: {refusal}")
    if modules is None and any(name in entries and not is_dir(entries[name]) for name in module_files):
        modules = walk.tree(folder, assignment, depth=0, listing=listing)
    if notebook is None:
        notebook = _first_notebook(folder, listing, assignment, "", device, notes)
    if modules is None and notebook is None:
        notes.add(f"no {assignment}/ folder, module files or notebook found in the submission")
    return settle(assignment, modules, notebook, release, root=root, student=student, notes=notes.done())


def _first_notebook(folder: int | str, listing: list[os.DirEntry], assignment: str, prefix: str, device: int,
                    notes: Notes) -> _Notebook | None:
    """The first notebook of ``listing`` that can be read (``<assignment>.ipynb`` first, then by name)."""
    names = sorted((n for n in (e.name for e in listing) if n.endswith(".ipynb") and not n.startswith(".")),
                   key=lambda n: (n != f"{assignment}.ipynb", n))
    entries = {entry.name: entry for entry in listing}
    for name in names:
        refusal = entry_refusal(entries[name], directory=False)
        if refusal is not None:
            notes.add(f"skipped {shown(prefix + name)}: {refusal}")
            continue
        try:
            data = read_regular(folder, name, MAX_NOTEBOOK_BYTES, device)
        except Refused as exc:
            notes.add(f"skipped {shown(prefix + name)}: {exc}")
            continue
        return _parse_notebook(data, prefix + name, assignment)
    return None


# --------------------------------------------------------------------------- which form is graded
def settle(assignment: str, modules: Mapping[str, bytes] | None, notebook: _Notebook | None,
           release: Release | None, *, root: Path | None = None, student: str | None = None,
           notes: tuple[str, ...] = ()) -> Submission:
    """The submission graded from the module files and the notebook read (either may be None),
    by the rule of the module's docstring; ``notes`` (from reading) come first."""
    modules = modules or {}
    written = dict(notebook.files or {}) if notebook is not None else {}
    provided = release.provided if release is not None else {}
    said = [*notes, *(notebook.notes if notebook is not None else ())]
    nb = shown(notebook.name) if notebook is not None else ""
    chapter_files = set(release.stubs) if release is not None else set(modules) | set(written)
    # Both forms are there: then each choice between them is worth a note.
    both = bool(written) and any(rel in chapter_files for rel in modules)

    def is_stub(rel: str, data: bytes) -> bool:
        return release is not None and release.is_stub(rel, data)

    files: dict[str, bytes] = {}
    sources: dict[str, str] = {}
    why: dict[str, list[str]] = {"stub": [], "missing": [], "differs": [], "notebook stub": []}
    for rel in sorted((set(modules) | set(written)) - set(provided)):
        mine, theirs = modules.get(rel), written.get(rel)
        if mine is None or (theirs is not None and is_stub(rel, mine) and not is_stub(rel, theirs)):
            files[rel], sources[rel] = written[rel], "notebook"
            if mine is not None or not is_stub(rel, written[rel]):
                why["missing" if mine is None else "stub"].append(shown(rel))
            continue
        files[rel], sources[rel] = mine, "modules"
        if theirs is not None and not is_stub(rel, mine) and normal_form(theirs) != normal_form(mine):
            why["notebook stub" if is_stub(rel, theirs) else "differs"].append(shown(rel))
    if both:
        said += _form_notes(why, nb)
    for rel, data in provided.items():
        edited = [where for where, copy in (("your copy", modules.get(rel)),
                                            (f"the copy your notebook {nb} writes", written.get(rel)))
                  if copy is not None and release is not None and not release.is_as_released(rel, copy)]
        if edited:
            said.append(f"{shown(rel)} is provided and was graded as released: {' and '.join(edited)} "
                        f"{'was' if len(edited) == 1 else 'were'} edited, and ignored")
        files[rel], sources[rel] = data, "release"
    # The form the student's own code came from (a stub taken from either says nothing).
    forms = {form for rel, form in sources.items() if rel in chapter_files and not is_stub(rel, files[rel])}
    forms -= {"release"}
    if forms == {"modules", "notebook"}:
        origin = "mixed"
    elif forms == {"notebook"} or (not forms and notebook is not None and not modules):
        origin = "notebook"
    else:
        origin = "modules"
    return Submission(assignment, files, root=root, student=student, notes=tuple(said), origin=origin,
                      sources=sources)


def _form_notes(why: Mapping[str, list[str]], notebook: str) -> list[str]:
    """One note per kind of choice between the module files and the notebook."""
    def listed(rels: list[str], one: str, many: str) -> str:
        return f"{', '.join(rels)}: {one if len(rels) == 1 else many}"

    notes = []
    if why["stub"]:
        notes.append(f"graded the code of your notebook {notebook} for "
                     + listed(why["stub"], "your module file is the released stub",
                              "your module files are the released stubs"))
    if why["missing"]:
        notes.append(f"graded the code of your notebook {notebook} for "
                     + listed(why["missing"], "there is no such module file", "there are no such module files"))
    if why["differs"]:
        notes.append("graded your module file" + ("s " if len(why["differs"]) > 1 else " ")
                     + listed(why["differs"], f"your notebook {notebook} has different code for it, not graded",
                              f"your notebook {notebook} has different code for them, not graded")
                     + " (where both hold your own code, the module file is graded)")
    if why["notebook stub"]:
        notes.append(f"graded your module files; your notebook {notebook} differs from them: it holds the released "
                     f"stub of {', '.join(why['notebook stub'])}")
    return notes


# --------------------------------------------------------------------------- notebooks
def _read_notebook(text: str) -> Any:
    try:
        import nbformat  # on first use: most submissions are modules
    except ImportError:
        nb = json.loads(text)
        if not isinstance(nb, dict) or nb.get("nbformat") != 4 or not isinstance(nb.get("cells"), list):
            found = nb.get("nbformat") if isinstance(nb, dict) else type(nb).__name__
            raise ValueError(f"not a version-4 notebook (nbformat={found!r})") from None
        return nb
    return nbformat.reads(text, as_version=4)


def modules_from_notebook(nb: NotebookNode, chapter_id: str) -> tuple[dict[str, bytes], list[str]]:
    """The chapter files a notebook writes (``%%writefile <name>.py`` cells, the path relative
    to the chapter folder the notebook sits in; ``chNN/<name>.py`` is read as the same file), in
    order; later cells win, ``-a`` appends. Other paths are ignored with a note.

    Returns ``({"ch06/mlp.py": source, ...}, notes)``.
    """
    files: dict[str, str] = {}
    notes: list[str] = []
    allowed = re.compile(rf"^(?:\./)?(?:{chapter_id}/)?((?:[A-Za-z_][A-Za-z0-9_]*/)*[A-Za-z_][A-Za-z0-9_]*\.py)$")
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
        name = allowed.match(path)
        if not name:
            notes.append(f"ignored a %%writefile cell for {path!r}: only the chapter's <module>.py files "
                         f"(next to the notebook, in {chapter_id}/) are graded")
            continue
        rel = f"{chapter_id}/{name.group(1)}"
        body = rest if rest.endswith("\n") else rest + "\n"
        files[rel] = files.get(rel, "") + body if match.group(1) else body
    return {k: v.encode() for k, v in files.items()}, notes


def submission_from_notebook(path: Path, assignment: str, *, student: str | None = None,
                             root: Path | None = None, release: Release | None = None) -> Submission:
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
    notebook = _parse_notebook(data, path.name, assignment)
    return settle(assignment, None, notebook, release, root=root or path, student=student)


def _parse_notebook(data: bytes, name: str, assignment: str) -> _Notebook:
    """The notebook ``name`` from its bytes: the chapter files it writes, or a note why none.
    Read by nbformat (older formats converted) where it is installed; a student's self-check,
    which has no nbformat, reads a version-4 notebook as the JSON it is."""
    try:
        nb = _read_notebook(data.decode("utf-8", "replace"))
    except Exception as exc:  # noqa: BLE001 - any unreadable notebook is the submission's problem
        reason = " ".join(str(exc)[:200].split())
        return _Notebook(name, None, (f"{shown(name)} is not a readable notebook ({type(exc).__name__}: {reason})",))
    files, found = modules_from_notebook(nb, assignment)
    return _Notebook(name, files, tuple(found))

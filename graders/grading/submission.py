"""A submission as the grader sees it: the student's chapter files as bytes, never imported here.

Accepted layouts for assignment ``ch06`` (DESIGN.md's contract):

* a folder holding ``ch06/<module>.py`` (a student's copy of ``assignments/``);
* a folder holding the chapter's module files directly (``mlp.py``, ``optim.py``...), as
  nbgrader's ``submitted/<student>/ch06/`` often does;
* a folder holding an nbgrader notebook of the chapter, or the ``.ipynb`` itself (its exercise
  cells become the chapter's modules: see :mod:`graders.authoring.notebooks`).

Only regular files of the submission's own are read
---------------------------------------------------
Every file and folder is opened relative to its opened parent folder with
``O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY`` (folders with ``O_DIRECTORY``), and
judged by ``os.fstat`` of the descriptor it got, then read from that descriptor: what is checked
is what is read, whatever the name points to a moment later. An entry the folder's listing shows
to be no regular file or folder is refused without being opened; an entry whose name is not
``*.py`` (nor the notebook or chapter folder looked for) is ignored without being opened (a link
is noted). Refused, each with a one-line note in :attr:`Submission.notes` (the rest of the
submission is graded):

* a symbolic link (``O_NOFOLLOW``): ``skipped ch06/x.py: a symbolic link (links are not followed)``;
* a FIFO, a character or block device, a socket: ``skipped ch06/x.py: a FIFO, not a regular
  file`` (such an entry is not even opened, so a FIFO never blocks and a device is never woken);
* a hard link, a regular file with ``st_nlink > 1``: it may be a second name of a file elsewhere
  on the file system (one the grader may read and the student may not): ``skipped ch06/x.py: a
  hard link (one file with 2 names; only a file of the submission's own is read, copy it instead)``;
* a file or folder on another file system than the submission (a mount point);
* a file or folder that cannot be opened (permission denied...);
* a name that is not valid UTF-8 or holds control characters (no module can have it);
* oversized files, files past the submission's size limit (:data:`MAX_TOTAL_BYTES`,
  :data:`MAX_FILES`), folders nested deeper than :data:`MAX_DEPTH`, entries past
  :data:`MAX_ENTRIES` (a folder of a million files is not listed to its end).

At most :data:`MAX_NOTES` notes are kept, then one that counts the rest. A submission whose top
(the folder or notebook itself) is refused cannot be read at all: :class:`SubmissionError`, with
a one-line reason. Where the OS has no ``dir_fd`` (Windows, on a student's own machine) the same
checks are made by path.

Names
-----
File and folder names are any bytes on Linux; Python reads them with surrogate escapes
(``os.fsdecode``). :func:`encode_name` gives the text form geodl stores and shows them under (a
student's name is her folder's name in that form: :mod:`graders.batch.discovery`),
:func:`decode_name` gives the bytes back, and :func:`display_name` the form a person reads.
"""
from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from graders.errors import SubmissionError

if TYPE_CHECKING:
    from nbformat.notebooknode import NotebookNode

MAX_FILE_BYTES = 1 * 2**20
MAX_TOTAL_BYTES = 8 * 2**20
MAX_FILES = 200
MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_DEPTH = 16           #: folder levels read below the chapter folder
MAX_ENTRIES = 10_000     #: folder entries looked at in one submission, all folders together
MAX_NOTES = 50           #: notes kept about one submission's files (then one that counts the rest)
_WRITEFILE = re.compile(r"^%%writefile(\s+-a)?\s+(\S+)\s*$")
SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints", ".git"}


# --------------------------------------------------------------------------- names
_ESCAPES = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")


def encode_name(raw: str | bytes) -> str:
    r"""The text form of a file or folder name: lossless, unique, and valid UTF-8 without NUL.

    A name that is valid UTF-8 and holds no backslash and no NUL is kept as it is. Any other name
    is written with its backslashes doubled (``\\``) and each byte that is not part of valid
    UTF-8, and each NUL, as ``\xNN`` (two lower-case hex digits); everything else stays as it
    is. Every name of the second kind holds a backslash and no name of the first kind does, and
    within the second kind the escapes read back one way: two different names never get the
    same form, and :func:`decode_name` gives the bytes back.

    Parameters
    ----------
    raw : str or bytes
        The name as bytes, or as ``os.fsdecode`` reads it (``str`` with surrogate escapes).

    Examples
    --------
    >>> encode_name("alice"), encode_name("José"), encode_name(b"caf\xe9"), encode_name("a\\b")
    ('alice', 'José', 'caf\\xe9', 'a\\\\b')
    >>> encode_name(os.fsdecode(b"caf\xe9")) == encode_name(b"caf\xe9")
    True
    """
    data = os.fsencode(raw) if isinstance(raw, str) else bytes(raw)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    else:
        if "\\" not in text and "\0" not in text:
            return text
    text = data.decode("utf-8", "surrogateescape").replace("\\", "\\\\").replace("\0", "\\x00")
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if "\udc80" <= c <= "\udcff" else c for c in text)


def decode_name(name: str) -> bytes:
    r"""The bytes of a name :func:`encode_name` wrote (``os.fsdecode`` of them: the ``str``
    Python reads the name as); raises :class:`ValueError` for text it cannot have written.

    >>> decode_name("caf\\xe9"), decode_name("José"), decode_name("a\\\\b")
    (b'caf\xe9', b'Jos\xc3\xa9', b'a\\b')
    """
    if "\\" not in name:
        return name.encode("utf-8", "surrogateescape")
    parts, at = [], 0
    for match in _ESCAPES.finditer(name):
        if "\\" in name[at:match.start()]:
            break
        parts += [name[at:match.start()].encode("utf-8"),
                  b"\\" if match.group(1) == "\\" else bytes([int(match.group(1)[1:], 16)])]
        at = match.end()
    if "\\" in name[at:]:
        raise ValueError(f"{name!r} holds a backslash that is not an escape of encode_name")
    return b"".join(parts) + name[at:].encode("utf-8")


#: Unicode categories never shown as they are: controls, format characters (bidi overrides,
#: zero-width characters), surrogates, line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: Letters that render as blank space (a known way to fake an empty or different name).
_INVISIBLE_LETTERS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"})
_SUSPECT = re.compile(r"[^\x20-\x7e]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown_char(match: re.Match) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) not in _HIDDEN_CATEGORIES and char not in _INVISIBLE_LETTERS:
        return char
    code = ord(char)
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def display_name(name: str) -> str:
    r"""A name as a person reads it: one line, every control and invisible character escaped.

    ``name`` is a name in :func:`encode_name`'s form (what discovery and the results store
    give; one holding surrogate escapes, as ``os.fsdecode`` reads it, is put in that form
    first). Escaped as in a Python string literal: ``\n``, ``\r``, ``\t``, other ASCII
    controls and DEL as ``\xNN``; C1 controls, format characters (bidi overrides, zero-width
    spaces), line and paragraph separators and blank-looking letters as ``\uNNNN``. A ``\xNN``
    with ``NN`` of 80 or more is always a byte that was not UTF-8, never a character, so two
    names never display alike. Letters, digits, symbols and spaces of any script stay.

    >>> display_name("alice"), display_name("a\nb"), display_name(encode_name(b"caf\xe9"))
    ('alice', 'a\\nb', 'caf\\xe9')
    >>> display_name("txt\u202eexe"), display_name("\x1b[2J")
    ('txt\\u202eexe', '\\x1b[2J')
    """
    if any("\ud800" <= c <= "\udfff" for c in name):
        name = encode_name(name)
    return _SUSPECT.sub(_shown_char, name)


def _name_refusal(name: str) -> str | None:
    """Why a file or folder name cannot be a module's or a package's, or None."""
    if any("\udc80" <= c <= "\udcff" for c in name):
        return "its name is not valid UTF-8"
    if any(unicodedata.category(c) in _HIDDEN_CATEGORIES for c in name):
        return "its name holds control characters"
    return None


def _shown(rel: str) -> str:
    """A path of the submission (``ch06/x.py``) as a note shows it."""
    return display_name(encode_name(rel))


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
        shown = _shown(top)
        try:
            before = os.lstat(top)
        except FileNotFoundError:
            raise SubmissionError(f"submission path {shown} does not exist", reference="submission-missing") from None
        except OSError as exc:
            raise SubmissionError(f"submission path {shown}: {_open_error(exc)}",
                                  reference="submission-unreadable") from None
        if stat.S_ISLNK(before.st_mode):
            raise SubmissionError(f"submission path {shown} does not exist: it is a symbolic link (links are not "
                                  "followed)", reference="submission-missing")
        if stat.S_ISREG(before.st_mode):
            if root.suffix != ".ipynb":
                raise SubmissionError(f"{shown} is a file; a submission is a folder or an .ipynb notebook",
                                      reference="submission-not-a-folder")
            return submission_from_notebook(root, assignment, student=student)
        if not stat.S_ISDIR(before.st_mode):
            raise SubmissionError(f"{shown} is {_kind(before.st_mode)}; a submission is a folder or an .ipynb notebook",
                                  reference="submission-not-a-folder")
        try:
            folder, info = _open_in(None, top, directory=True)
        except _Refused as exc:
            raise SubmissionError(f"submission folder {shown}: {exc}",
                                  reference="submission-unreadable") from None
        try:
            return _read_folder(cls, folder, info.st_dev, root, assignment, student, module_files)
        finally:
            _close(folder)


def _read_folder(cls: type[Submission], folder: int | str, device: int, root: Path, assignment: str,
                 student: str | None, module_files: tuple[str, ...]) -> Submission:
    notes = _Notes()
    walk = _Walk(device, notes)
    try:
        listing = walk.entries(folder, "")
    except _Refused as exc:
        raise SubmissionError(f"submission folder {_shown(os.fspath(root))}: {exc}",
                              reference="submission-unreadable") from None
    entries = {entry.name: entry for entry in listing}
    chapter = entries.get(assignment)
    if chapter is not None:
        refusal = _entry_refusal(chapter, directory=True)
        if refusal is None:
            try:
                handle = walk.open_dir(folder, assignment)
            except _Refused as exc:
                notes.add(f"skipped {_shown(assignment)}/: {exc}")
            else:
                try:
                    files = walk.tree(handle, assignment, depth=0)
                finally:
                    _close(handle)
                return cls(assignment, files, root=root, student=student, notes=notes.done())
        else:
            notes.add(f"skipped {_shown(assignment)}: {refusal}")
    if any(name in entries and not _is_dir(entries[name]) for name in module_files):
        files = walk.tree(folder, assignment, depth=0, listing=listing)
        return cls(assignment, files, root=root, student=student, notes=notes.done())
    for name in sorted(n for n in entries if n.endswith(".ipynb") and not n.startswith(".")):
        refusal = _entry_refusal(entries[name], directory=False)
        if refusal is not None:
            notes.add(f"skipped {_shown(name)}: {refusal}")
            continue
        try:
            data = _read_regular(folder, name, MAX_NOTEBOOK_BYTES, device)
        except _Refused as exc:
            notes.add(f"skipped {_shown(name)}: {exc}")
            continue
        return _notebook_submission(data, name, assignment, student=student, root=root, notes=notes.done())
    notes.add(f"no {assignment}/ folder, module files or notebook found in the submission")
    return cls(assignment, {}, root=root, student=student, notes=notes.done())


# --------------------------------------------------------------------------- reading
class _Refused(Exception):
    """Why a file or folder is not read: one line, the note's reason."""


class _TooLarge(_Refused):
    """A file over its byte limit."""


_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
          | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
#: Folders are opened as descriptors and what they hold is opened relative to them (POSIX).
_AT = os.open in os.supports_dir_fd and os.scandir in os.supports_fd and hasattr(os, "O_DIRECTORY")
_DIR_FLAGS = _FLAGS | getattr(os, "O_DIRECTORY", 0)
_READ_CHUNK = 1 << 16


def _kind(mode: int) -> str:
    """What a non-regular file is, as a note says it."""
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are not followed)"
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return f"{kind}, not a regular file"
    return "not a regular file"


def _open_error(exc: OSError) -> str:
    """Why opening (or listing) failed, as a note says it."""
    if exc.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW on a link: ELOOP (Linux), EMLINK (FreeBSD)
        return "a symbolic link (links are not followed)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "it cannot be read (permission denied)"
    if exc.errno in (errno.ENXIO, errno.ENODEV):
        return "a socket or a device, not a regular file"
    if exc.errno == errno.ENOENT:
        return "it disappeared while the submission was read"
    if exc.errno == errno.ENOTDIR:
        return "not a folder"
    return f"it cannot be read ({exc.strerror or type(exc).__name__})"


def _open_in(parent: int | str | None, name: str, *, directory: bool) -> tuple[int | str, os.stat_result]:
    """Open ``name`` in the open folder ``parent`` (or the path ``name``) without following a
    link, and ``fstat`` what was opened: a descriptor, or where the OS has no ``dir_fd`` a
    folder's path. Raises :class:`_Refused`."""
    try:
        if _AT:
            fd = os.open(name, _DIR_FLAGS if directory else _FLAGS, dir_fd=parent if isinstance(parent, int) else None)
            try:
                return fd, os.fstat(fd)
            except BaseException:
                os.close(fd)
                raise
        path = name if parent is None else os.path.join(str(parent), name)
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or getattr(os.path, "isjunction", lambda _: False)(path):
            raise _Refused("a symbolic link (links are not followed)")
        if directory:
            if not stat.S_ISDIR(info.st_mode):
                raise _Refused(_kind(info.st_mode))
            return path, info
        if not stat.S_ISREG(info.st_mode):
            raise _Refused(_kind(info.st_mode))
        fd = os.open(path, _FLAGS)
        try:
            return fd, os.fstat(fd)
        except BaseException:
            os.close(fd)
            raise
    except OSError as exc:
        raise _Refused(_open_error(exc)) from None


def _close(handle: int | str) -> None:
    if isinstance(handle, int):
        os.close(handle)


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _entry_refusal(entry: os.DirEntry, *, directory: bool) -> str | None:
    """Why a listed entry is not opened as a folder (``directory``) or a regular file, from the
    listing alone (no open: a FIFO is never opened, a device never woken); None where it may be
    opened, and then its descriptor decides."""
    try:
        if entry.is_symlink():
            return "a symbolic link (links are not followed)"
        if entry.is_dir(follow_symlinks=False) if directory else entry.is_file(follow_symlinks=False):
            return None
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as exc:
        return _open_error(exc)
    return "not a folder" if directory and stat.S_ISREG(mode) else _kind(mode)


def _check_regular(info: os.stat_result, device: int | None) -> None:
    """Raise :class:`_Refused` unless the descriptor's ``info`` is a regular file of its own
    (one name), on the submission's file system."""
    if not stat.S_ISREG(info.st_mode):
        raise _Refused(_kind(info.st_mode))
    if info.st_nlink > 1:
        raise _Refused(f"a hard link (one file with {info.st_nlink} names; only a file of the submission's own is "
                       "read, copy it instead)")
    if device is not None and info.st_dev != device:
        raise _Refused("on another file system than the submission (a mount point)")


def _read_fd(fd: int, limit: int) -> bytes:
    """At most ``limit`` bytes of the open regular file ``fd``; :class:`_Refused` if it holds more."""
    chunks, size = [], 0
    try:
        while size <= limit:
            chunk = os.read(fd, min(_READ_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise _Refused(_open_error(exc)) from None
    if size > limit:
        raise _TooLarge(f"it is over the {limit} byte limit")
    return b"".join(chunks)


def _read_regular(parent: int | str | None, name: str, limit: int, device: int | None) -> bytes:
    """The bytes of the regular file ``name`` in ``parent`` (or at the path ``name``), opened
    without following a link and checked on its descriptor; raises :class:`_Refused`."""
    fd, info = _open_in(parent, name, directory=False)
    try:
        _check_regular(info, device)
        if info.st_size > limit:
            raise _TooLarge(f"{info.st_size} bytes is over the {limit} byte limit")
        return _read_fd(fd, limit)  # type: ignore[arg-type]  # a file is opened as a descriptor
    finally:
        _close(fd)


class _Notes:
    """A submission's notes: the first :data:`MAX_NOTES`, then how many more there were."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.more = 0

    def add(self, note: str) -> None:
        if len(self.kept) < MAX_NOTES:
            self.kept.append(note)
        else:
            self.more += 1

    def done(self) -> tuple[str, ...]:
        return (*self.kept, f"... and {self.more} more such notes") if self.more else tuple(self.kept)


class _Walk:
    """One submission's tree, read within its limits: entries looked at, depth, files, bytes."""

    def __init__(self, device: int, notes: _Notes):
        self.device, self.notes = device, notes
        self.entries_left = MAX_ENTRIES
        self.stopped = False
        self.total = 0

    def entries(self, folder: int | str, rel: str) -> list[os.DirEntry]:
        """The entries of an open folder, by name, up to what is left of :data:`MAX_ENTRIES`."""
        entries: list[os.DirEntry] = []
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    if len(entries) >= self.entries_left:
                        self.stopped = True
                        self.notes.add(f"skipped the rest of {_shown(rel) or '.'}/ and what follows: a submission is "
                                       f"read up to {MAX_ENTRIES} folder entries")
                        break
                    entries.append(entry)
        except OSError as exc:
            raise _Refused(_open_error(exc)) from None
        self.entries_left -= len(entries)
        return sorted(entries, key=lambda entry: entry.name)

    def open_dir(self, parent: int | str, name: str) -> int | str:
        handle, info = _open_in(parent, name, directory=True)
        if not stat.S_ISDIR(info.st_mode) or info.st_dev != self.device:
            _close(handle)
            raise _Refused(_kind(info.st_mode) if not stat.S_ISDIR(info.st_mode)
                           else "on another file system than the submission (a mount point)")
        return handle

    def tree(self, folder: int | str, prefix: str, *, depth: int,
             listing: list[os.DirEntry] | None = None) -> dict[str, bytes]:
        """Every regular ``.py`` file under the open ``folder``, keyed ``prefix/relative``."""
        files: dict[str, bytes] = {}
        self._visit(folder, prefix, depth, files, listing)
        return files

    def _visit(self, folder: int | str, rel: str, depth: int, files: dict[str, bytes],
               listing: list[os.DirEntry] | None = None) -> None:
        if listing is None:
            try:
                listing = self.entries(folder, rel)
            except _Refused as exc:
                self.notes.add(f"skipped {_shown(rel)}/: {exc}")
                return
        folders = []
        for entry in listing:
            name, path = entry.name, f"{rel}/{entry.name}"
            if _is_dir(entry):
                if name not in SKIPPED_DIRS and not name.startswith("."):
                    folders.append(entry)
            elif name.endswith(".py"):
                self._file(folder, entry, path, files)
            elif not name.startswith(".") and _is_link(entry):
                self.notes.add(f"skipped {_shown(path)}: a symbolic link (links are not followed)")
        for entry in folders:
            if self.stopped:
                return
            path = f"{rel}/{entry.name}"
            refusal = _name_refusal(entry.name)
            if refusal:
                self.notes.add(f"skipped {_shown(path)}/: {refusal}")
                continue
            if depth >= MAX_DEPTH:
                self.notes.add(f"skipped {_shown(path)}/: folders nested deeper than {MAX_DEPTH} levels are not read")
                continue
            try:
                handle = self.open_dir(folder, entry.name)
            except _Refused as exc:
                self.notes.add(f"skipped {_shown(path)}/: {exc}")
                continue
            try:
                self._visit(handle, path, depth + 1, files)
            finally:
                _close(handle)

    def _file(self, folder: int | str, entry: os.DirEntry, rel: str, files: dict[str, bytes]) -> None:
        refusal = _name_refusal(entry.name) or _entry_refusal(entry, directory=False)
        if refusal:
            self.notes.add(f"skipped {_shown(rel)}: {refusal}")
            return
        try:
            fd, info = _open_in(folder, entry.name, directory=False)
        except _Refused as exc:
            self.notes.add(f"skipped {_shown(rel)}: {exc}")
            return
        assert isinstance(fd, int)
        try:
            _check_regular(info, self.device)
            if info.st_size > MAX_FILE_BYTES:
                raise _Refused(f"{info.st_size} bytes is over the {MAX_FILE_BYTES} byte limit")
            if self.total + info.st_size > MAX_TOTAL_BYTES or len(files) >= MAX_FILES:
                raise _Refused("the submission is over its size limit")
            data = _read_fd(fd, MAX_FILE_BYTES)
        except _Refused as exc:
            self.notes.add(f"skipped {_shown(rel)}: {exc}")
            return
        finally:
            os.close(fd)
        if self.total + len(data) > MAX_TOTAL_BYTES:
            self.notes.add(f"skipped {_shown(rel)}: the submission is over its size limit")
            return
        files[rel] = data
        self.total += len(data)


def _is_link(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _read_tree(folder: Path, *, prefix: str) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """Every regular ``.py`` file under ``folder`` (refused files noted), keyed ``prefix/relative``."""
    notes = _Notes()
    try:
        handle, info = _open_in(None, os.fspath(folder), directory=True)
    except _Refused as exc:
        notes.add(f"skipped {prefix}/: {exc}")
        return {}, notes.done()
    try:
        return _Walk(info.st_dev, notes).tree(handle, prefix, depth=0), notes.done()
    finally:
        _close(handle)


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
        data = _read_regular(None, os.fspath(path), MAX_NOTEBOOK_BYTES, None)
    except _TooLarge:
        raise SubmissionError(f"{_shown(path.name)} is larger than {MAX_NOTEBOOK_BYTES} bytes",
                              reference="notebook-too-large") from None
    except _Refused as exc:
        raise SubmissionError(f"{_shown(path.name)}: {exc}", reference="submission-unreadable") from None
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
                          notes=(*notes, f"{_shown(name)} is not a readable notebook ({type(exc).__name__}: {reason})"))
    files, found = modules_from_notebook(nb, assignment)
    return Submission(assignment, files, root=root, student=student, notes=(*notes, *found), origin="notebook")

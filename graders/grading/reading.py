"""Reading a submission's files from the file system, safely: regular files of its own only,
never blocking, within limits. (:mod:`graders.grading.submission` decides which files make a
submission.)

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
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from graders.grading.names import display_name, encode_name, name_refusal

MAX_FILE_BYTES = 1 * 2**20
MAX_TOTAL_BYTES = 8 * 2**20
MAX_FILES = 200
MAX_NOTEBOOK_BYTES = 20 * 2**20
MAX_DEPTH = 16           #: folder levels read below the chapter folder
MAX_ENTRIES = 10_000     #: folder entries looked at in one submission, all folders together
MAX_NOTES = 50           #: notes kept about one submission's files (then one that counts the rest)
SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints", ".git"}


def shown(rel: str) -> str:
    """A path of the submission (``ch06/x.py``) as a note shows it."""
    return display_name(encode_name(rel))



class Refused(Exception):
    """Why a file or folder is not read: one line, the note's reason."""


class TooLarge(Refused):
    """A file over its byte limit."""


_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
          | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
#: Folders are opened as descriptors and what they hold is opened relative to them (POSIX).
_AT = os.open in os.supports_dir_fd and os.scandir in os.supports_fd and hasattr(os, "O_DIRECTORY")
_DIR_FLAGS = _FLAGS | getattr(os, "O_DIRECTORY", 0)
_READ_CHUNK = 1 << 16


def kind(mode: int) -> str:
    """What a non-regular file is, as a note says it."""
    if stat.S_ISLNK(mode):
        return "a symbolic link (links are not followed)"
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return f"{kind}, not a regular file"
    return "not a regular file"


def open_error(exc: OSError) -> str:
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


def open_in(parent: int | str | None, name: str, *, directory: bool) -> tuple[int | str, os.stat_result]:
    """Open ``name`` in the open folder ``parent`` (or the path ``name``) without following a
    link, and ``fstat`` what was opened: a descriptor, or where the OS has no ``dir_fd`` a
    folder's path. Raises :class:`Refused`."""
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
            raise Refused("a symbolic link (links are not followed)")
        if directory:
            if not stat.S_ISDIR(info.st_mode):
                raise Refused(kind(info.st_mode))
            return path, info
        if not stat.S_ISREG(info.st_mode):
            raise Refused(kind(info.st_mode))
        fd = os.open(path, _FLAGS)
        try:
            return fd, os.fstat(fd)
        except BaseException:
            os.close(fd)
            raise
    except OSError as exc:
        raise Refused(open_error(exc)) from None


def close(handle: int | str) -> None:
    if isinstance(handle, int):
        os.close(handle)


def is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def entry_refusal(entry: os.DirEntry, *, directory: bool) -> str | None:
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
        return open_error(exc)
    return "not a folder" if directory and stat.S_ISREG(mode) else kind(mode)


def _check_regular(info: os.stat_result, device: int | None) -> None:
    """Raise :class:`Refused` unless the descriptor's ``info`` is a regular file of its own
    (one name), on the submission's file system."""
    if not stat.S_ISREG(info.st_mode):
        raise Refused(kind(info.st_mode))
    if info.st_nlink > 1:
        raise Refused(f"a hard link (one file with {info.st_nlink} names; only a file of the submission's own is "
                       "read, copy it instead)")
    if device is not None and info.st_dev != device:
        raise Refused("on another file system than the submission (a mount point)")


def _read_fd(fd: int, limit: int) -> bytes:
    """At most ``limit`` bytes of the open regular file ``fd``; :class:`Refused` if it holds more."""
    chunks, size = [], 0
    try:
        while size <= limit:
            chunk = os.read(fd, min(_READ_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise Refused(open_error(exc)) from None
    if size > limit:
        raise TooLarge(f"it is over the {limit} byte limit")
    return b"".join(chunks)


def read_regular(parent: int | str | None, name: str, limit: int, device: int | None) -> bytes:
    """The bytes of the regular file ``name`` in ``parent`` (or at the path ``name``), opened
    without following a link and checked on its descriptor; raises :class:`Refused`."""
    fd, info = open_in(parent, name, directory=False)
    try:
        _check_regular(info, device)
        if info.st_size > limit:
            raise TooLarge(f"{info.st_size} bytes is over the {limit} byte limit")
        return _read_fd(fd, limit)  # type: ignore[arg-type]  # a file is opened as a descriptor
    finally:
        close(fd)


class Notes:
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


class Walk:
    """One submission's tree, read within its limits: entries looked at, depth, files, bytes."""

    def __init__(self, device: int, notes: Notes):
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
                        self.notes.add(f"skipped the rest of {shown(rel) or '.'}/ and what follows: a submission is "
                                       f"read up to {MAX_ENTRIES} folder entries")
                        break
                    entries.append(entry)
        except OSError as exc:
            raise Refused(open_error(exc)) from None
        self.entries_left -= len(entries)
        return sorted(entries, key=lambda entry: entry.name)

    def open_dir(self, parent: int | str, name: str) -> int | str:
        handle, info = open_in(parent, name, directory=True)
        if not stat.S_ISDIR(info.st_mode) or info.st_dev != self.device:
            close(handle)
            raise Refused(kind(info.st_mode) if not stat.S_ISDIR(info.st_mode)
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
            except Refused as exc:
                self.notes.add(f"skipped {shown(rel)}/: {exc}")
                return
        folders = []
        for entry in listing:
            name, path = entry.name, f"{rel}/{entry.name}"
            if is_dir(entry):
                if name not in SKIPPED_DIRS and not name.startswith("."):
                    folders.append(entry)
            elif name.endswith(".py"):
                self._file(folder, entry, path, files)
            elif not name.startswith(".") and _is_link(entry):
                self.notes.add(f"skipped {shown(path)}: a symbolic link (links are not followed)")
        for entry in folders:
            if self.stopped:
                return
            path = f"{rel}/{entry.name}"
            refusal = name_refusal(entry.name)
            if refusal:
                self.notes.add(f"skipped {shown(path)}/: {refusal}")
                continue
            if depth >= MAX_DEPTH:
                self.notes.add(f"skipped {shown(path)}/: folders nested deeper than {MAX_DEPTH} levels are not read")
                continue
            try:
                handle = self.open_dir(folder, entry.name)
            except Refused as exc:
                self.notes.add(f"skipped {shown(path)}/: {exc}")
                continue
            try:
                self._visit(handle, path, depth + 1, files)
            finally:
                close(handle)

    def _file(self, folder: int | str, entry: os.DirEntry, rel: str, files: dict[str, bytes]) -> None:
        refusal = name_refusal(entry.name) or entry_refusal(entry, directory=False)
        if refusal:
            self.notes.add(f"skipped {shown(rel)}: {refusal}")
            return
        try:
            fd, info = open_in(folder, entry.name, directory=False)
        except Refused as exc:
            self.notes.add(f"skipped {shown(rel)}: {exc}")
            return
        assert isinstance(fd, int)
        try:
            _check_regular(info, self.device)
            if info.st_size > MAX_FILE_BYTES:
                raise Refused(f"{info.st_size} bytes is over the {MAX_FILE_BYTES} byte limit")
            if self.total + info.st_size > MAX_TOTAL_BYTES or len(files) >= MAX_FILES:
                raise Refused("the submission is over its size limit")
            data = _read_fd(fd, MAX_FILE_BYTES)
        except Refused as exc:
            self.notes.add(f"skipped {shown(rel)}: {exc}")
            return
        finally:
            os.close(fd)
        if self.total + len(data) > MAX_TOTAL_BYTES:
            self.notes.add(f"skipped {shown(rel)}: the submission is over its size limit")
            return
        files[rel] = data
        self.total += len(data)


def _is_link(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def read_tree(folder: Path, *, prefix: str) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """Every regular ``.py`` file under ``folder`` (refused files noted), keyed ``prefix/relative``."""
    notes = Notes()
    try:
        handle, info = open_in(None, os.fspath(folder), directory=True)
    except Refused as exc:
        notes.add(f"skipped {prefix}/: {exc}")
        return {}, notes.done()
    try:
        return Walk(info.st_dev, notes).tree(handle, prefix, depth=0), notes.done()
    finally:
        close(handle)

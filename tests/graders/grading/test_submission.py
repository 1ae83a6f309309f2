"""graders/grading/submission.py: a submission is read from regular files of its own only (no link,
hard link, FIFO, device or socket; checked on the opened descriptor), never blocks, stays within its
limits, and notes each refusal on one line; names of any bytes have a lossless text form."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import stat
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graders.errors import SubmissionError
from graders.grading import reading
from graders.grading.names import decode_name, display_name, encode_name
from graders.grading.submission import Submission

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def _permissions_bind_us() -> bool:
    """Whether this process is refused a file of mode 000 (root is not, unless its capabilities
    were dropped: ``setpriv --bounding-set=-dac_override,-dac_read_search``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "locked")
        with open(path, "w"):
            pass
        os.chmod(path, 0)
        try:
            open(path).close()
        except PermissionError:
            return True
        return False
SECRET = b"SECRET = 'the grader may read this, the student may not'\n"


@contextlib.contextmanager
def deadline(seconds: int = 20):
    """Fail instead of hanging: SIGALRM interrupts a blocking open or read."""
    def expired(*_):
        raise TimeoutError(f"blocked for {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def chapter(tmp_path):
    """``tmp_path/sub/ch06`` with two honest modules, and a secret file outside the submission."""
    folder = tmp_path / "sub" / "ch06"
    folder.mkdir(parents=True)
    (folder / "mlp.py").write_bytes(b"def f():\n    return 1\n")
    (folder / "optim.py").write_bytes(b"def g():\n    return 2\n")
    (tmp_path / "secret.py").write_bytes(SECRET)
    return folder


def read(folder: Path) -> Submission:
    with deadline():
        return Submission.from_path(folder.parent, "ch06")


def note_for(submission: Submission, rel: str) -> str:
    [note] = [n for n in submission.notes if n.startswith(f"skipped {rel}")]
    return note


def test_honest_files_are_read_as_before(chapter, opening):
    sub = read(chapter)
    assert set(sub.files) == {"ch06/mlp.py", "ch06/optim.py"} and sub.notes == ()
    assert sub.files["ch06/mlp.py"] == b"def f():\n    return 1\n"


@pytest.fixture(params=["descriptors", "paths"])
def opening(request, monkeypatch):
    """Both ways of reading: by descriptors relative to the opened folder (POSIX), and by path
    where the OS has no dir_fd (Windows), here on Linux."""
    if request.param == "paths":
        monkeypatch.setattr(reading, "_AT", False)
    return request.param


def test_links_fifos_and_hard_links_are_refused_with_a_note_and_the_rest_is_read(chapter, tmp_path, opening):
    (chapter / "linked.py").symlink_to(tmp_path / "secret.py")
    os.link(tmp_path / "secret.py", chapter / "hard.py")
    os.mkfifo(chapter / "pipe.py")
    (chapter / "pkg").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(chapter / "data.bin")  # not a .py: never opened, no note
    sub = read(chapter)
    assert set(sub.files) == {"ch06/mlp.py", "ch06/optim.py"}
    assert not any(SECRET in data for data in sub.files.values())
    assert note_for(sub, "ch06/linked.py") == "skipped ch06/linked.py: a symbolic link (links are not followed)"
    assert note_for(sub, "ch06/hard.py").startswith("skipped ch06/hard.py: a hard link (one file with 2 names")
    assert note_for(sub, "ch06/pipe.py") == "skipped ch06/pipe.py: a FIFO, not a regular file"
    assert note_for(sub, "ch06/pkg") == "skipped ch06/pkg: a symbolic link (links are not followed)"
    assert len(sub.notes) == 4 and all("\n" not in note for note in sub.notes)


def test_a_hard_link_inside_the_submission_is_refused_too(chapter):
    """Both names of a file with two are refused: neither can be told from a link to elsewhere."""
    os.link(chapter / "optim.py", chapter / "optim2.py")
    sub = read(chapter)
    assert set(sub.files) == {"ch06/mlp.py"}
    assert {n.split(":")[0] for n in sub.notes} == {"skipped ch06/optim.py", "skipped ch06/optim2.py"}


def test_the_descriptor_decides_not_the_listing(chapter, monkeypatch):
    """A file that the listing took for a regular one but is a FIFO when opened (swapped in
    between): opened without blocking (O_NONBLOCK), refused by fstat of its descriptor."""
    os.mkfifo(chapter / "swapped.py")
    monkeypatch.setattr(reading, "entry_refusal", lambda entry, directory: None)
    sub = read(chapter)
    assert note_for(sub, "ch06/swapped.py") == "skipped ch06/swapped.py: a FIFO, not a regular file"
    assert set(sub.files) == {"ch06/mlp.py", "ch06/optim.py"}


@pytest.mark.skipif(not ROOT, reason="making a device node needs root")
def test_a_device_is_refused_without_being_opened(chapter, monkeypatch):
    os.mknod(chapter / "null.py", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    os.mknod(chapter.parent.parent / "device-student", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    opened = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(path) or real_open(path, *a, **k))
    sub = read(chapter)
    assert note_for(sub, "ch06/null.py") == "skipped ch06/null.py: a character device, not a regular file"
    assert "null.py" not in opened
    with deadline(), pytest.raises(SubmissionError, match="a character device, not a regular file"):
        Submission.from_path(chapter.parent.parent / "device-student", "ch06")


def test_a_socket_is_refused(chapter):
    with tempfile.TemporaryDirectory(dir="/tmp") as short:  # a socket's path has at most 107 bytes
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(os.path.join(short, "s.py"))
            os.rename(os.path.join(short, "s.py"), chapter / "s.py")
            sub = read(chapter)
        finally:
            server.close()
    assert note_for(sub, "ch06/s.py") == "skipped ch06/s.py: a socket, not a regular file"


def test_names_no_module_can_have_are_refused_and_shown_escaped(chapter):
    folder = os.fsencode(chapter)
    for name in (b"caf\xe9.py", b"new\nline.py", b"bidi\xe2\x80\xaeyp.py"):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(b"x = 1\n")
    sub = read(chapter)
    assert set(sub.files) == {"ch06/mlp.py", "ch06/optim.py"}
    assert "skipped ch06/bidi\\u202eyp.py: its name holds control characters" in sub.notes
    assert "skipped ch06/caf\\xe9.py: its name is not valid UTF-8" in sub.notes
    assert "skipped ch06/new\\nline.py: its name holds control characters" in sub.notes
    sub.describe(), sub.sha256  # noqa: B018 - every name in them encodes


def test_deep_trees_huge_folders_and_many_notes_stay_within_limits(chapter, monkeypatch):
    deep = chapter
    for level in range(reading.MAX_DEPTH + 3):
        deep = deep / f"d{level}"
        deep.mkdir()
        (deep / "m.py").write_bytes(b"x = 1\n")
    sub = read(chapter)
    read_levels = [rel for rel in sub.files if rel.endswith("/m.py")]
    assert len(read_levels) == reading.MAX_DEPTH
    assert [n for n in sub.notes if "deeper than" in n] == [
        f"skipped ch06/{'/'.join(f'd{i}' for i in range(reading.MAX_DEPTH + 1))}/: folders nested deeper than "
        f"{reading.MAX_DEPTH} levels are not read"]

    shutil.rmtree(chapter / "d0")
    monkeypatch.setattr(reading, "MAX_ENTRIES", 30)
    monkeypatch.setattr(reading, "MAX_NOTES", 5)
    huge = chapter / "huge"
    huge.mkdir()
    for i in range(100):
        os.mkfifo(huge / f"p{i:03d}.py")
    sub = read(chapter)  # sub/ and ch06/ hold 4 entries, then 26 of huge's FIFOs (listed, never opened), each refused
    assert sub.notes[0] == ("skipped the rest of ch06/huge/ and what follows: a submission is read up to 30 folder "
                            "entries")
    assert all(n.startswith("skipped ch06/huge/p") and n.endswith(".py: a FIFO, not a regular file")
               for n in sub.notes[1:5])
    assert sub.notes[5] == "... and 22 more such notes"
    assert set(sub.files) == {"ch06/mlp.py", "ch06/optim.py"}


def test_files_over_the_limits_are_skipped_with_a_note(chapter, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 30)
    (chapter / "big.py").write_bytes(b"#" * 31)
    sub = read(chapter)
    assert note_for(sub, "ch06/big.py") == "skipped ch06/big.py: 31 bytes is over the 30 byte limit"
    monkeypatch.setattr(reading, "MAX_FILES", 1)
    assert len(read(chapter).files) == 1


@pytest.mark.parametrize("kind", ["fifo", "symlink", "hardlink"])
def test_a_notebook_submission_must_be_a_regular_file_of_its_own(tmp_path, kind, opening):
    notebook = tmp_path / "alice.ipynb"
    (tmp_path / "secret.ipynb").write_text("{}")
    {"fifo": lambda: os.mkfifo(notebook), "symlink": lambda: notebook.symlink_to(tmp_path / "secret.ipynb"),
     "hardlink": lambda: os.link(tmp_path / "secret.ipynb", notebook)}[kind]()
    with deadline(), pytest.raises(SubmissionError) as error:
        Submission.from_path(notebook, "ch06")
    assert {"fifo": "a FIFO", "symlink": "symbolic link", "hardlink": "a hard link"}[kind] in str(error.value)
    assert "\n" not in str(error.value)


def test_a_folders_notebooks_are_read_only_if_regular(tmp_path):
    folder = tmp_path / "bob"
    folder.mkdir()
    os.mkfifo(folder / "a.ipynb")
    (folder / "b.ipynb").write_text("not json")
    with deadline():
        sub = Submission.from_path(folder, "ch06")
    assert sub.origin == "notebook" and sub.notes[0] == "skipped a.ipynb: a FIFO, not a regular file"
    assert sub.notes[1].startswith("b.ipynb is not a readable notebook")


def test_odd_submission_folders_are_errors_with_one_line_reasons(tmp_path):
    os.mkfifo(tmp_path / "fifo-student")
    (tmp_path / "real").mkdir()
    (tmp_path / "link-student").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "ch06").symlink_to(tmp_path, target_is_directory=True)
    with deadline():
        with pytest.raises(SubmissionError, match="a FIFO, not a regular file"):
            Submission.from_path(tmp_path / "fifo-student", "ch06")
        with pytest.raises(SubmissionError, match="symbolic link"):
            Submission.from_path(tmp_path / "link-student", "ch06")
        sub = Submission.from_path(tmp_path / "real", "ch06")  # its ch06 is a link: noted, nothing read
    assert sub.files == {} and sub.notes[0] == "skipped ch06: a symbolic link (links are not followed)"


@pytest.mark.skipif(not _permissions_bind_us(), reason="this process reads whatever the permissions say (root)")
def test_permission_denied_is_a_note_or_an_error(chapter):
    locked = chapter / "locked"
    locked.mkdir()
    (chapter / "secret_mode.py").write_bytes(b"x = 1\n")
    os.chmod(chapter / "secret_mode.py", 0)
    os.chmod(locked, 0)
    try:
        sub = read(chapter)
        assert note_for(sub, "ch06/secret_mode.py").endswith("it cannot be read (permission denied)")
        assert note_for(sub, "ch06/locked/").endswith("it cannot be read (permission denied)")
        os.chmod(chapter.parent, 0)
        with pytest.raises(SubmissionError, match="permission denied"):
            read(chapter)
    finally:
        os.chmod(chapter.parent, 0o755)
        os.chmod(locked, 0o755)


# --------------------------------------------------------------------------- names
folder_names = st.binary(min_size=1, max_size=255).filter(lambda b: b"/" not in b and b"\0" not in b)


@settings(max_examples=500, deadline=None)
@given(folder_names, folder_names)
def test_every_folder_name_has_one_lossless_utf8_text_form(a, b):
    text = encode_name(a)
    text.encode("utf-8")  # no surrogate
    assert "\0" not in text and len(text) <= 4 * len(a)
    assert decode_name(text) == a and encode_name(os.fsdecode(a)) == text
    assert (encode_name(a) == encode_name(b)) == (a == b)
    assert (display_name(encode_name(a)) == display_name(encode_name(b))) == (a == b)
    assert not any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for c in display_name(text))


def test_valid_names_stay_as_they_are_and_the_rest_is_escaped():
    assert [encode_name(n) for n in ("alice", "José Núñez", "李雷", "a b", "new\nline")] == \
        ["alice", "José Núñez", "李雷", "a b", "new\nline"]
    assert encode_name(b"caf\xe9") == "caf\\xe9" and encode_name("a\\b") == "a\\\\b"
    assert encode_name(b"caf\\xe9") == "caf\\\\xe9" != encode_name(b"caf\xe9")
    assert display_name("new\nline") == "new\\nline" and display_name("tab\there") == "tab\\there"
    assert display_name("\u0085") == "\\u0085" != display_name(encode_name(b"\x85")) == "\\x85"
    assert display_name("caf\udce9") == "caf\\xe9"  # a name as os.fsdecode reads it
    with pytest.raises(ValueError):
        decode_name("a\\q")


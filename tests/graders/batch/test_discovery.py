"""graders/batch/discovery.py: a class folder with FIFOs, devices, links, hard links and folder names of
any bytes is discovered and read without blocking or escaping; every honest student is graded, every
odd entry gets an error result with a one-line reason, and every name is stored and read back as it
was discovered."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
from pathlib import Path

import pytest

from graders.authoring.stubs import chapter_sources
from graders.batch.discovery import BatchItem, decode_name, discover, display_name, encode_name, read_submission
from graders.batch.run import BatchOptions, run_batch
from graders.batch.store import ResultStore
from graders.chapters import load_chapter
from graders.errors import SubmissionError
from graders.grading.settings import get_profile

ROOT = os.geteuid() == 0
SECRET = "TOP-SECRET-7f3a: the grader may read this file, the students may not"
NON_UTF8 = b"caf\xe9"  # café in Latin-1: not UTF-8
HONEST = ("bob", "dave", encode_name(NON_UTF8), "new\nline")


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging: SIGALRM interrupts a blocking open or read."""
    def expired(*_):
        raise TimeoutError(f"discovery and reading blocked for {seconds} s")
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def write_solution(folder: bytes) -> None:
    """The worked solution of ch06 as ``folder/ch06/<module>.py`` (``folder`` as bytes: any name)."""
    chapter = load_chapter("ch06")
    for rel, source in chapter_sources("ch06", chapter.modules, solution=True).items():
        path = os.path.join(folder, os.fsencode(rel))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(source.encode())


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory):
    """A flat class folder: honest students, and every kind of entry that is not a regular file."""
    base = tmp_path_factory.mktemp("discovery")
    secret = base / "secret.py"
    secret.write_text(f"SECRET = {SECRET!r}\n")
    cls = base / "class"
    cls.mkdir()
    root = os.fsencode(cls)
    for name in (b"bob", b"dave", NON_UTF8, b"new\nline", b"carol"):
        write_solution(os.path.join(root, name))
    os.mkfifo(cls / "alice.ipynb")                          # a FIFO named like a notebook
    os.remove(cls / "carol" / "ch06" / "mlp.py")
    os.mkfifo(cls / "carol" / "ch06" / "mlp.py")             # a FIFO named like a module
    (cls / "dave" / "ch06" / "linked.py").symlink_to(secret)  # links to a file outside the class
    os.link(secret, cls / "dave" / "ch06" / "hard.py")
    (cls / "dave" / "ch06" / "pkg").symlink_to(base, target_is_directory=True)
    os.mkfifo(cls / "ghost")                                # a student "folder" that is a FIFO
    (cls / "eve").symlink_to(base)                          # one that is a link to a folder
    os.link(secret, cls / "frank.ipynb")                    # a notebook that is a hard link
    if ROOT:  # a character device (/dev/null's numbers): as a module, and as a student "folder"
        os.mknod(cls / "bob" / "ch06" / "device.py", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        os.mknod(cls / "gina", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    (cls / "README.md").write_text("not a student")
    return cls


@pytest.fixture(scope="module")
def read_class(hostile_class):
    """Discovery and one reading of each submission, under a deadline."""
    chapter = load_chapter("ch06")
    with deadline(60):
        items = discover(hostile_class, "ch06")
        read = {}
        for item in items:
            try:
                read[item.student] = read_submission(item, chapter)
            except SubmissionError as exc:
                read[item.student] = exc
    return items, read


def test_discovery_lists_every_student_by_a_unique_utf8_name_and_opens_nothing(hostile_class, read_class):
    items, _ = read_class
    students = [item.student for item in items]
    expected = {"alice", "bob", "carol", "dave", "eve", "frank", "ghost", encode_name(NON_UTF8), "new\nline"}
    assert set(students) == expected | ({"gina"} if ROOT else set())
    assert students == sorted(students) and len(set(students)) == len(students)
    for item in items:
        item.student.encode("utf-8")  # no surrogate: every store and export can hold it
    [cafe] = [item for item in items if item.student == "caf\\xe9"]
    assert decode_name(cafe.student) == NON_UTF8 and os.fsencode(cafe.path).endswith(NON_UTF8 + b"/ch06")
    assert display_name("new\nline") == "new\\nline"


def test_reading_refuses_everything_but_regular_files_of_the_submissions_own(read_class):
    _, read = read_class
    for student, submission in read.items():
        if not isinstance(submission, SubmissionError):
            assert not any(SECRET.encode() in data for data in submission.files.values()), student
            assert all("\n" not in note for note in submission.notes), student
    assert "a FIFO, not a regular file" in str(read["alice"])
    assert "a FIFO, not a regular file" in str(read["ghost"])
    assert "symbolic link" in str(read["eve"])
    assert "a hard link" in str(read["frank"])
    if ROOT:
        assert "a character device" in str(read["gina"])
        assert "skipped ch06/device.py: a character device, not a regular file" in read["bob"].notes
    assert "skipped ch06/mlp.py: a FIFO, not a regular file" in read["carol"].notes
    assert "ch06/optim.py" in read["carol"].files  # the rest of carol's submission is read
    dave = read["dave"]
    assert set(dave.notes) == {"skipped ch06/linked.py: a symbolic link (links are not followed)",
                               "skipped ch06/pkg: a symbolic link (links are not followed)",
                               "skipped ch06/hard.py: a hard link (one file with 3 names; only a file of the "
                               "submission's own is read, copy it instead)"}
    for student in HONEST:
        assert set(read[student].files) == set(read["dave"].files), student


def test_a_symlinked_submitted_folder_is_not_followed(tmp_path, hostile_class):
    (tmp_path / "submitted").symlink_to(hostile_class, target_is_directory=True)
    with pytest.raises(SubmissionError, match="symbolic link"):
        discover(tmp_path, "ch06")


def _permissions_bind_us() -> bool:
    from tests.graders.grading.test_submission import _permissions_bind_us as bound
    return bound()


@pytest.mark.skipif(not _permissions_bind_us(), reason="this process reads whatever the permissions say (root)")
def test_a_student_folder_that_cannot_be_read_is_an_error_the_others_are_read(tmp_path):
    for name in ("locked", "open"):
        write_solution(os.fsencode(tmp_path / name))
    os.chmod(tmp_path / "locked", 0)
    try:
        with deadline(30):
            items = discover(tmp_path, "ch06")
            assert [item.student for item in items] == ["locked", "open"]
            with pytest.raises(SubmissionError, match=r"locked: it cannot be read \(permission denied\)$"):
                read_submission(items[0], load_chapter("ch06"))
            assert len(read_submission(items[1], load_chapter("ch06")).files) > 1
    finally:
        os.chmod(tmp_path / "locked", 0o755)


def test_a_notebook_keeps_its_whole_name_where_a_folder_has_its_stem(tmp_path):
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann.ipynb").write_text("{}")
    (tmp_path / "ann.ipynb.ipynb").write_text("{}")
    assert [item.student for item in discover(tmp_path, "ch06")] == ["ann", "ann.ipynb", "ann.ipynb.ipynb"]
    assert discover(tmp_path, "ch06")[1] == BatchItem("ann.ipynb", str(tmp_path / "ann.ipynb"))


def test_the_class_is_graded_and_every_name_read_back_as_discovered(hostile_class, read_class, tmp_path):
    items, _ = read_class
    store = ResultStore(f"sqlite:///{tmp_path / 'results.db'}")
    options = BatchOptions("ch06", get_profile("grading"), sandbox="process", workers=1, preload=("numpy",))
    with deadline(540):
        summary = run_batch(items, store, options)
    latest = dict(store.latest("ch06"))
    assert set(latest) == {item.student for item in items} and summary.graded == len(items)
    full = load_chapter("ch06").max_points
    for student in HONEST:
        result = latest[student]
        assert result.status == "graded" and result.score == result.max_score == full, (student, result.message)
    carol = latest["carol"]
    assert carol.status == "graded" and 0 < carol.score < carol.max_score
    assert "skipped ch06/mlp.py: a FIFO, not a regular file" in carol.submission["notes"]
    odd = {"alice", "eve", "frank", "ghost"} | ({"gina"} if ROOT else set())
    for student in odd:
        result = latest[student]
        assert result.status == "error" and result.score == 0, student
        assert result.message.startswith("the submission could not be read: ") and "\n" not in result.message
    cafe = latest[encode_name(NON_UTF8)]
    assert cafe.score == load_chapter("ch06").max_points and decode_name("caf\\xe9") == NON_UTF8
    for _, result in latest.items():
        assert SECRET not in json.dumps(result.to_json())
    assert store.has(assignment="ch06", student="caf\\xe9", sha256=cafe.submission["sha256"],
                     grader_version=cafe.grader["version"], seed=cafe.settings["seed"])
    store.close()


def test_names_read_as_os_fsdecode_gives_them_reach_the_same_stored_name(tmp_path):
    """A caller that builds its items by hand, with ``os.fsdecode`` names (surrogates), still
    stores each student under the name discovery would have given."""
    from tests.graders._results import make_result
    store = ResultStore(f"sqlite:///{tmp_path / 'r.db'}")
    store.save(make_result(), student=os.fsdecode(NON_UTF8))
    assert [student for student, _ in store.latest("ch06")] == [encode_name(NON_UTF8)]
    assert Path(tmp_path).exists()

"""graders/worker.py's warden: its heap on huge pages before it forks sessions, what it
works out for each session before the fork, and how it cleans up after one (a scratch space
emptied whatever the session made of it, and no session forked into one it cannot prove empty)."""
from __future__ import annotations

import ctypes
import json
import mmap
import os
import shutil
import socket
import sys
import tempfile

import pytest

from graders.grading.client import Worker
from graders.sandbox import WorkerOptions, get_sandbox
from graders.worker import session as session_module
from graders.worker import warden as warden_module
from graders.worker import wire

MADV_COLLAPSE = 25  # Linux's madvise(2) advice
HUGE_PAGE_BYTES = 2 * 2**20


def kernel_collapses_huge_pages() -> bool:
    """Whether this kernel backs a range with huge pages on ``MADV_COLLAPSE`` (Linux 6.1+, with
    transparent huge pages built in): tried on a 4 MB mapping of this process's own."""
    size = 4 * 2**20
    region = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    try:
        region.write(b"\1" * size)
        address = ctypes.addressof(ctypes.c_char.from_buffer(region))
        aligned = -(-address // HUGE_PAGE_BYTES) * HUGE_PAGE_BYTES
        libc = ctypes.CDLL(None, use_errno=True)
        libc.madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
        return libc.madvise(aligned, HUGE_PAGE_BYTES, MADV_COLLAPSE) == 0
    finally:
        region.close()


@pytest.mark.parametrize("backend", ["process", "bwrap"])
def test_the_warden_puts_its_heap_on_huge_pages_unless_told_not_to(backend):
    """Where the kernel can, the warden's heap is on huge pages by the time it is ready; with
    ``huge_pages=False`` it is left alone. Sessions work either way, and where the kernel cannot."""
    sandbox = get_sandbox(backend)
    if reason := sandbox.unavailable_reason():
        pytest.skip(f"the {backend} sandbox is not available here: {reason}")
    on_huge_pages = {}
    for huge_pages in (True, False):
        with Worker(sandbox, options=WorkerOptions(preload=("numpy",), huge_pages=huge_pages), slot=11) as worker:
            on_huge_pages[huge_pages] = worker.info["huge_page_kb"]
            session = worker.open_session()
            assert session.request("ping", {"payload": [1, 2]}, timeout_s=10).value == [1, 2]
            session.close(wait=True)
    if kernel_collapses_huge_pages():  # elsewhere only the kernel's own choice (THP "always") puts memory there
        assert on_huge_pages[True] >= 2048 and on_huge_pages[True] > on_huge_pages[False]


def test_small_pages_is_a_warden_argument_only_when_asked_for():
    assert "--small-pages" not in WorkerOptions(preload=("numpy",)).warden_args()
    assert WorkerOptions(preload=("numpy",), huge_pages=False).warden_args()[-1] == "--small-pages"


def test_a_session_inherits_the_module_names_the_warden_noted_before_forking(monkeypatch):
    """The warden notes ``sys.modules`` before each fork (again once it has grown), and a
    session's record of what it inherited is that set; without a warden (in-process), the
    session takes ``sys.modules`` itself."""
    monkeypatch.setattr(session_module, "INHERITED_MODULES", None)
    without_warden = session_module.SessionServer(None, 1, "/tmp", 0, {})
    assert without_warden.inherited_modules == frozenset(sys.modules)
    session_module.note_inherited_modules()
    noted = session_module.INHERITED_MODULES
    assert noted == frozenset(sys.modules)
    session_module.note_inherited_modules()
    assert session_module.INHERITED_MODULES is noted  # unchanged: not built again
    monkeypatch.setitem(sys.modules, "geodl_test_newly_imported", object())
    session_module.note_inherited_modules()
    assert "geodl_test_newly_imported" in session_module.INHERITED_MODULES
    assert session_module.SessionServer(None, 2, "/tmp", 0, {}).inherited_modules is session_module.INHERITED_MODULES


# ---------------------------------------------------------------------------- cleaning up after a session
#: The uid a wipe test runs as when the tests run as root (root's permission checks would hide
#: what a read-only tree does to its owner); no sandbox slot uses it.
UNPRIVILEGED_UID = 61090
DEPTH = 600  # folders, each named "level-NNN" (9 bytes + "/"): far past PATH_MAX (4096 bytes)


def _unprivileged(function, *args):
    """``function(*args)`` in a forked child, as :data:`UNPRIVILEGED_UID` when this is root: its
    JSON-able result (``{"error": ...}`` if it raised)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 1
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(UNPRIVILEGED_UID)
                os.setuid(UNPRIVILEGED_UID)
            result = function(*args)
            status = 0
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            result = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            with os.fdopen(write, "w") as out:
                out.write(json.dumps(result))
            os._exit(status)
    os.close(write)
    with os.fdopen(read) as incoming:
        data = incoming.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def _plant_and_wipe(base: str) -> dict:
    """Build, as its owner, the residue a hostile session leaves; wipe it; say what is left."""
    scratch, outside = os.path.join(base, "scratch"), os.path.join(base, "outside")
    os.mkdir(scratch, 0o700)
    os.mkdir(outside)
    with open(os.path.join(outside, "keep.txt"), "w") as fh:
        fh.write("not the scratch space's")
    mode = os.lstat(scratch).st_mode
    # the session's own folder, read-only, holding its output file, read-only
    session_dir = os.path.join(scratch, "session")
    os.makedirs(os.path.join(session_dir, "work", "ch06", "__pycache__"))
    for path in (os.path.join(session_dir, "output.txt"),
                 os.path.join(session_dir, "work", "ch06", "__pycache__", "mlp.cpython-311.pyc")):
        with open(path, "wb") as fh:
            fh.write(b"residue")
        os.chmod(path, 0o444)
    # odd names, special files, links out of the scratch space
    for name in (b"new\nline", b"sp ace", b"-rf", b"x" * 255, b"bad\xffbyte", b"*", b"\\", b".hidden"):
        with open(os.path.join(os.fsencode(scratch), name), "wb") as fh:
            fh.write(b"residue")
    os.mkfifo(os.path.join(scratch, "fifo"))
    server = socket.socket(socket.AF_UNIX)
    server.bind(os.path.join(scratch, "socket"))
    server.close()
    os.symlink(outside, os.path.join(scratch, "to-outside"))
    os.symlink(os.path.join(outside, "keep.txt"), os.path.join(scratch, "to-keep"))
    os.symlink("loop", os.path.join(scratch, "loop"))
    os.symlink("/nonexistent", os.path.join(scratch, "dangling"))
    os.link(os.path.join(outside, "keep.txt"), os.path.join(scratch, "hardlink"))
    os.mkdir(os.path.join(scratch, "unlistable"))
    with open(os.path.join(scratch, "unlistable", "hidden.txt"), "w") as fh:
        fh.write("residue")
    os.chmod(os.path.join(scratch, "unlistable", "hidden.txt"), 0)
    os.chmod(os.path.join(scratch, "unlistable"), 0)
    # a read-only tree deeper than PATH_MAX
    fd = os.open(scratch, os.O_RDONLY | os.O_DIRECTORY)
    for level in range(DEPTH):
        os.mkdir(f"level-{level:03d}", dir_fd=fd)
        child = os.open(f"level-{level:03d}", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = child
    os.close(os.open("bottom.txt", os.O_WRONLY | os.O_CREAT, 0o444, dir_fd=fd))
    for _ in range(DEPTH):
        os.fchmod(fd, 0o500)
        parent = os.open("..", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = parent
    os.close(fd)
    for folder in (os.path.join(session_dir, "work", "ch06", "__pycache__"), session_dir):
        os.chmod(folder, 0o555)
    os.chmod(scratch, 0o500)  # even the scratch space itself, where its owner can change it
    removed, problems = warden_module.wipe(scratch, mode=mode)
    with open(os.path.join(outside, "keep.txt")) as fh:
        keep = fh.read()
    return {"removed": removed, "problems": problems, "left": os.listdir(scratch),
            "mode_kept": os.lstat(scratch).st_mode == mode, "outside": sorted(os.listdir(outside)), "keep": keep,
            "leftovers": warden_module.leftovers({scratch: mode}, ipc=False)}


def test_the_wipe_empties_read_only_trees_of_any_depth_and_name_and_follows_no_link():
    # on a tmpfs, like the sandbox's scratch space (a deep tree goes 100 times slower on a disk)
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK | os.X_OK) else None
    base = tempfile.mkdtemp(prefix="geodl-wipe-", dir=shm)
    os.chmod(base, 0o777)  # the unprivileged child builds in it
    try:
        seen = _unprivileged(_plant_and_wipe, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    assert "error" not in seen, seen
    assert seen["problems"] == [] and seen["left"] == [] and seen["leftovers"] == []
    assert seen["mode_kept"]
    # 8 odd names, fifo, socket, 4 links, hardlink, unlistable/ and its file, DEPTH folders and
    # bottom.txt, session/ work/ ch06/ __pycache__/ output.txt and the .pyc
    assert seen["removed"] == 8 + 2 + 4 + 1 + 2 + DEPTH + 1 + 6
    assert seen["outside"] == ["keep.txt"] and seen["keep"] == "not the scratch space's"  # no link was followed


def test_the_wipe_refuses_a_scratch_space_that_is_not_a_folder(tmp_path):
    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "keep.txt").write_text("keep")
    (tmp_path / "scratch").symlink_to(tmp_path / "target")
    removed, problems = warden_module.wipe(str(tmp_path / "scratch"))
    assert removed == 0 and problems and "not a folder" in problems[0]
    assert (tmp_path / "target" / "keep.txt").read_text() == "keep"


def test_system_v_ipc_objects_are_read_from_proc(tmp_path):
    (tmp_path / "shm").write_text(
        "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid\n"
        "    452817          7   600                  4096    12    12      0 61005 61005 61005 61005\n"
        "         0         65     0                  4096    12    12      0 61005 61005 61005 61005\n")
    (tmp_path / "sem").write_text("       key      semid perms      nsems   uid   gid  cuid  cgid\n")
    (tmp_path / "msg").write_text(
        "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid\n"
        "    452817          3   600          41          1    12     0 61005 61005 61005 61005\n")
    assert warden_module.sysv_ipc_ids(str(tmp_path)) == {"shm": [7, 65], "sem": [], "msg": [3]}
    (tmp_path / "msg").unlink()  # a kernel without message queues
    assert warden_module.sysv_ipc_ids(str(tmp_path))["msg"] == []
    assert warden_module.remove_sysv_ipc(str(tmp_path / "nothing")) == (0, [])


def test_a_warden_that_cannot_prove_the_sandbox_clean_forks_no_session_and_stops(tmp_path):
    """In-process: a scratch space swapped for a link (the process backend's sessions can do it) is
    not wiped through the link; the cleanup says so, and the warden then opens no session and
    stops serving."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    ours, theirs = socket.socketpair()
    try:
        warden = warden_module.Warden(theirs, pidns=False, scratch=str(scratch))
        (scratch / "readonly").mkdir()
        (scratch / "readonly" / "file").write_text("residue")
        (scratch / "readonly").chmod(0o500)
        report = warden.clean_up()
        assert report["clean"] and warden.clean and report["removed"] == 2 and list(scratch.iterdir()) == []

        moved = tmp_path / "moved"
        scratch.rename(moved)
        scratch.symlink_to(moved)
        (moved / "keep.txt").write_text("keep")
        report = warden.clean_up()
        assert not report["clean"] and not warden.clean and "not a folder" in report["residue"][0]
        assert (moved / "keep.txt").read_text() == "keep"

        read, write = os.pipe()
        warden.reader.fds = [read, write]  # as if they came with the "open" (SCM_RIGHTS)
        assert warden._control({"op": "open", "session": 1, "limits": {}}) is False
        assert warden.session_pid is None  # nothing forked
        for fd in (read, write):
            with pytest.raises(OSError):
                os.fstat(fd)  # the session's descriptors went with the refusal
        assert warden._control({"op": "close", "session": 1}) is False
        incoming = wire.FrameReader(ours)
        messages = [wire.Decoder().decode(incoming.read()[1]) for _ in range(2)]
        assert messages[0]["op"] == "error" and "could not be cleaned" in messages[0]["message"]
        assert messages[1] == {"op": "closed", "session": 1, "exit": None, "signal": None, "clean": False}
    finally:
        ours.close()
        theirs.close()


SWAP_SCRATCH = b'''
import os

def swap():
    """Move the scratch space away and leave a link to it in its place."""
    scratch = os.path.dirname(os.path.dirname(os.getcwd()))
    os.rename(scratch, scratch + "-moved")
    os.symlink(scratch + "-moved", scratch)
    return scratch
'''


def test_a_warden_that_cannot_clean_up_is_replaced_with_a_fresh_sandbox():
    """End to end (process backend): the warden reports the failed cleanup in ``closed``, exits
    rather than fork into it, and the grader's next session runs in a fresh sandbox."""
    sandbox = get_sandbox("process")
    scratch = None
    try:
        with Worker(sandbox, options=WorkerOptions(preload=("numpy",)), slot=13) as worker:
            session = worker.open_session()
            session.request("load", {"files": {"geodl_swap.py": SWAP_SCRATCH}}, timeout_s=10)
            assert session.request("import", {"module": "geodl_swap"}, timeout_s=10).ok
            reply = session.request("call", {"target": {"module": "geodl_swap", "path": ["swap"]}}, timeout_s=10)
            assert reply.ok, reply.error
            scratch = reply.value
            report = session.close(wait=True)
            assert report["clean"] is False and "not a folder" in report["residue"][0], report
            # nothing was wiped through the link
            assert os.path.exists(os.path.join(scratch + "-moved", "session", "output.txt"))
            second = worker.open_session()
            assert worker.starts == 2
            assert second.request("ping", {"payload": 7}, timeout_s=10).value == 7
            assert second.close(wait=True)["clean"] is True
    finally:
        if scratch is not None:
            for path in (scratch, scratch + "-moved"):
                if os.path.islink(path):
                    os.unlink(path)
                else:
                    shutil.rmtree(path, ignore_errors=True)

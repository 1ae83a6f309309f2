"""The worker: the only geodl code that runs inside the sandbox, next to the student's code.

It holds no checks, no reference and no verdicts. It imports the student's modules and answers
calls (*call function F with these arguments*) with plain data, as ``wire.py`` defines it.

Two processes play two roles:

**warden** (one per sandbox, long-lived)
    Started by the grader with a Unix control socket. It imports numpy, scipy, sympy and torch
    once (torch limited to one thread, its lazily imported optimizer machinery warmed up), then
    waits. For each submission the grader sends ``open`` with a fresh socket of that session's
    own (SCM_RIGHTS); the warden forks a **session** child that serves on it, and when the
    session ends (the grader closes it, or it dies) kills every process the session left (the
    whole PID namespace but itself when the sandbox gives it one), reaps them, empties the
    writable scratch space (and, in a sandbox of its own, /dev/shm, /dev/mqueue and every System V
    IPC object of its IPC namespace), then proves it empty: a session is only ever forked into a
    sandbox where nothing of the previous one is left (:meth:`Warden.clean_up`). A warden that
    cannot prove it says so (``"clean": false``) and exits, and the grader starts a fresh sandbox.
    Only the warden holds the control socket; a session never sees it.
    The warden is non-dumpable, so a session running as the same uid can neither ptrace it nor
    read its memory.

**session** (one per submission and exercise, short-lived; ``session.py``)
    A fork of the warden: it starts with everything pre-imported, receives the submission's
    files, imports the student's modules on request and serves calls until the grader closes it.
    Its stdout/stderr go to a size-capped file whose tail is returned with every reply. Its
    resource limits (address space, CPU seconds, processes, file size) are set before any
    student code runs.

Run as ``python -P -s -S worker.py (--control-fd N | --connect PATH) [--pidns] [--site DIR ...]
[--preload MOD,...] [--core N] [--scratch DIR] [--nproc N] [--small-pages]``. Once it has
preloaded, the warden backs its heap with huge pages where the kernel can (:func:`collapse_heap`;
not with ``--small-pages``), then, with ``--core``, keeps to that CPU (sessions inherit it).
"""
from __future__ import annotations

import ctypes
import gc
import importlib
import os
import resource
import select
import signal
import socket
import stat
import sys
import time


def _site_dirs(argv: list[str]) -> list[str]:
    """The ``--site DIR`` arguments: the package folders the worker may import from."""
    return [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--site"]


if __name__ == "__main__":  # the sandbox's main script, /geodl/worker/warden.py: its package is its folder
    sys.path[:0] = _site_dirs(sys.argv[1:])
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from worker import session, wire  # noqa: E402
    del sys.path[0]
else:  # imported in the grader as graders.worker.warden (tests, documentation)
    from . import session, wire

TORCH = None  # the torch module once preloaded


# ============================================================================ warden
class Warden:
    """Forks sessions on request and cleans up after each one.

    The grader talks to the warden over ``control`` (a Unix socket). Each ``open`` request
    carries, as SCM_RIGHTS, one end of a socketpair the grader made for that session alone: the
    session child serves on it directly, and the warden never touches session traffic.
    """

    def __init__(self, control: socket.socket, *, pidns: bool, scratch: str):
        self.control = control
        self.reader = wire.FrameReader(control, with_fds=True)
        self.pidns = pidns
        self.scratch = scratch
        self.session_id: int | None = None
        self.session_pid: int | None = None
        self.session_pidfd: int | None = None
        self.session_status: int | None = None
        #: processes of the last session still alive when the warden gave up killing them
        self.survivors: list[int] = []
        #: the folders emptied after each session, with the mode each must keep (see :func:`writable_roots`)
        self.roots = writable_roots(scratch, namespaces=pidns)
        #: whether the last cleanup (:meth:`clean_up`) proved the sandbox empty; no session is forked otherwise
        self.clean = False
        self.encoder, self.decoder = wire.Encoder(), wire.Decoder(trusted=True)  # the grader's own messages

    def send(self, message: dict) -> None:
        wire.send_frame(self.control, wire.CONTROL, self.encoder.encode(message))

    def serve(self) -> None:
        """Serve the grader until it says ``exit`` or goes away, or until the sandbox cannot be
        made clean after a session (then the warden exits, and the grader starts a fresh one)."""
        while True:
            frame = self.reader.pending()
            if frame is None:
                watched = [self.control] + ([self.session_pidfd] if self.session_pidfd is not None else [])
                timeout = None if self.session_pid is None or self.session_pidfd is not None else 0.05
                try:
                    ready, _, _ = select.select(watched, [], [], timeout)
                except InterruptedError:
                    continue
                if self.session_pid is not None and (self.session_pidfd in ready or timeout is not None):
                    self._check_session_exit()
                    if not self.clean:
                        return
                if self.control not in ready:
                    continue
                if not self.reader.fill():      # the grader went away: nothing left to do
                    self._end_session()
                    return
                continue
            if not self._control(self.decoder.decode(frame[1])):
                return

    def _control(self, message: dict) -> bool:
        """Act on one control message; False once the warden must stop serving."""
        op = message.get("op")
        if op == "open":
            self._end_session()
            fds, self.reader.fds = self.reader.fds, []  # the session socket, then the grader's wake-up pipe
            if not self.clean:  # never fork a session into what another one left behind
                for fd in fds:
                    os.close(fd)
                self.send({"op": "error", "message": "the sandbox could not be cleaned after the last session"})
            elif not fds:
                self.send({"op": "error", "message": "open without a session socket"})
            else:
                for extra in fds[2:]:
                    os.close(extra)
                self._open_session(int(message["session"]), message.get("limits", {}), fds[0],
                                   fds[1] if len(fds) > 1 else None)
        elif op == "close":
            report = self._end_session()
            self.send({"op": "closed", "session": message.get("session"), **report})
        elif op == "ping":
            self.send({"op": "pong", "t": message.get("t")})
        elif op == "exit":
            self._end_session()
            self.send({"op": "bye"})
            return False
        else:
            self.send({"op": "error", "message": f"unknown control op {op!r}"})
        return self.clean

    # -- sessions
    def _open_session(self, session_id: int, limits: dict, session_fd: int, wake_fd: int | None = None) -> None:
        try:
            os.mkdir(os.path.join(self.scratch, "session"))  # new: the scratch space was proved empty
        except OSError as exc:
            self.clean = False
            for fd in (session_fd, wake_fd):
                if fd is not None:
                    os.close(fd)
            self.send({"op": "error", "message": f"cannot make the session folder: {exc}"})
            return
        session.note_inherited_modules()
        pid = os.fork()
        if pid == 0:  # ---- the session child
            try:
                self.control.close()
                session.become_session(session_fd, session_id, limits, self.scratch, wake_fd)
            finally:
                os._exit(70)
        os.close(session_fd)
        if wake_fd is not None:  # only the session may hold it: the grader sees its end when the session's ends
            os.close(wake_fd)
        self.session_id, self.session_pid, self.session_status = session_id, pid, None
        try:
            self.session_pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self.session_pidfd = None  # older kernels: poll waitpid instead
        self.send({"op": "opened", "session": session_id, "pid": pid})

    def _check_session_exit(self) -> None:
        """If the session process ended on its own, clean up and tell the grader."""
        self._reap(self.session_pid)
        if self.session_status is None:
            return
        session = self.session_id
        report = self._end_session()
        self.send({"op": "session_lost", "session": session, **report})

    def _end_session(self) -> dict:
        """Kill the session and everything it started, reap, clean up (:meth:`clean_up`); report
        how it ended and what the cleanup found (``clean``: whether the sandbox is proved empty;
        when it is not, the warden forks no further session and exits)."""
        if self.session_pid is None:  # ended (and cleaned up after) already, or never opened
            return {"exit": None, "signal": None, "clean": self.clean}
        killed = self._kill_session_tree(self.session_pid)
        if self.session_pidfd is not None:
            os.close(self.session_pidfd)
        self.session_pid = self.session_pidfd = self.session_id = None
        report = self._status_report()
        report["killed"] = killed
        report.update(self.clean_up())
        return report

    def clean_up(self) -> dict:
        """Empty what sessions can write and prove it empty; sets :attr:`clean`.

        Removes everything in the writable folders (:func:`wipe`: permissions reset first, links
        never followed) and, in a sandbox of its own (``pidns``), every System V IPC object of
        its IPC namespace (:func:`remove_sysv_ipc`); then checks that no process of the session
        survived, that the folders are empty (each with the mode it had when the warden
        started) and that no IPC object is left. Returns ``clean``, ``removed`` (files and
        folders), ``ipc_removed``, ``clean_s`` (the time it took) and, when not clean,
        ``residue``: what is left, in a few words."""
        clock = time.perf_counter()
        residue = [f"process {pid} survived" for pid in self.survivors]
        removed = 0
        for root, mode in self.roots.items():
            count, problems = wipe(root, mode=mode)
            removed += count
            residue += problems
        ipc_removed = 0
        if self.pidns:
            ipc_removed, problems = remove_sysv_ipc()
            residue += problems
        if not residue:
            residue = leftovers(self.roots, ipc=self.pidns and ipc_removed > 0)
        self.clean = not residue
        report: dict = {"clean": self.clean, "removed": removed, "ipc_removed": ipc_removed,
                        "clean_s": round(time.perf_counter() - clock, 6)}
        if residue:
            report["residue"] = [line[:200] for line in residue[:10]]
        return report

    def _kill_session_tree(self, pid: int) -> int:
        """SIGKILL the session and its descendants, reap the session; return how many died.
        What is still alive after 5 s is left in :attr:`survivors` (the cleanup then fails)."""
        killed: set[int] = {pid}
        self.survivors = []
        deadline = time.monotonic() + 5.0
        while True:
            if self.pidns:
                # Inside our own PID namespace everything but PID 1 and ourselves is the session's.
                others = _other_processes()
                if not others and self.session_status is not None:
                    break
                killed.update(others)
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            else:
                for kill in (os.kill, os.killpg):
                    try:
                        kill(pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
            self._reap(pid)
            if not self.pidns and self.session_status is not None:
                break
            if time.monotonic() > deadline:
                if self.pidns:
                    self.survivors = _other_processes()
                elif self.session_status is None:
                    self.survivors = [pid]
                break
            time.sleep(0.001)
        return len(killed)

    def _reap(self, pid: int | None) -> None:
        """Reap every child that has ended; the session's (``pid``) exit status is kept."""
        while True:
            try:
                child, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if child == 0:
                return
            if child == pid:
                self.session_status = status

    def _status_report(self) -> dict:
        status = self.session_status
        if status is None:
            return {"exit": None, "signal": None}
        if os.WIFSIGNALED(status):
            return {"exit": None, "signal": os.WTERMSIG(status)}
        return {"exit": os.WEXITSTATUS(status), "signal": None}


def _other_processes() -> list[int]:
    """Live processes in this PID namespace other than PID 1 and this one (zombies excluded)."""
    me, found = os.getpid(), []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in (1, me):
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                state = fh.read().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in (b"Z", b"X"):
            found.append(int(name))
    return found


# ============================================================================ cleaning up
#: Folders sessions can write besides the scratch space, in a sandbox of the warden's own: POSIX
#: shared memory (shm_open, semaphores) and, where mounted, POSIX message queues.
NAMESPACE_FOLDERS = ("/dev/shm", "/dev/mqueue")
#: The System V IPC kinds, as /proc/sysvipc names them.
SYSV_IPC_KINDS = ("shm", "sem", "msg")
IPC_RMID = 0
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def writable_roots(scratch: str, *, namespaces: bool) -> dict[str, int]:
    """The folders the warden empties after each session, each with the mode it has now (the
    warden looks before any session runs): the scratch space and, with ``namespaces`` (a sandbox
    of its own), those of :data:`NAMESPACE_FOLDERS` that exist. ``OSError`` if the scratch space
    is not a folder."""
    info = os.lstat(scratch)
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(f"the scratch space {scratch} is not a folder")
    roots = {scratch: info.st_mode}
    for folder in NAMESPACE_FOLDERS if namespaces else ():
        try:
            info = os.lstat(folder)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode):
            roots[folder] = info.st_mode
    return roots


def wipe(root: str, *, mode: int | None = None) -> tuple[int, list[str]]:
    """Remove everything inside the folder ``root`` (not ``root`` itself), whatever a session
    made of it; returns how many files and folders were removed, and the problems met (empty
    when all went).

    Runs as the uid that owns what sessions wrote, after they are all dead: every folder is made
    ``u+rwx`` before it is entered, so read-only (even unlistable) trees go too, and ``root``
    itself gets back ``mode`` (the one it had before any session) when it is the warden's own.
    It works through folder descriptors (``openat``/``unlinkat``): names need no decoding,
    trees deeper than ``PATH_MAX`` go, and no symbolic link is ever followed (a link is removed,
    never its target). It keeps one descriptor open at a time and does not recurse, however deep
    the tree. Sockets, FIFOs and device nodes are unlinked, never opened."""
    problems: list[str] = []
    try:
        info = os.lstat(root)
    except OSError as exc:
        return 0, [f"{root}: {exc.strerror}"]
    if not stat.S_ISDIR(info.st_mode):
        return 0, [f"{root} is not a folder"]
    try:
        if mode is not None and info.st_uid == os.geteuid() and info.st_mode != mode:
            os.chmod(root, stat.S_IMODE(mode))  # not a link: lstat said so, and no session is left
        fd = os.open(root, _FOLDER_FLAGS)
    except OSError as exc:
        return 0, [f"{root}: {exc.strerror}"]
    removed = 0
    try:
        folders, removed = _clear_folder(fd, root, problems)
        pending: list[tuple[str | None, list[str]]] = [(None, folders)]  # (its name, subfolders to empty)
        while pending:
            name, subfolders = pending[-1]
            if subfolders:
                sub = subfolders.pop()
                try:
                    child = os.open(sub, _FOLDER_FLAGS, dir_fd=fd)
                except OSError as exc:
                    problems.append(f"{root}: cannot enter {sub!r}: {exc.strerror}")
                    continue
                os.close(fd)
                fd = child
                folders, count = _clear_folder(fd, root, problems)
                removed += count
                pending.append((sub, folders))
                continue
            pending.pop()
            if name is None:
                break
            parent = os.open("..", _FOLDER_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = parent
            try:
                os.rmdir(name, dir_fd=fd)
                removed += 1
            except OSError as exc:
                problems.append(f"{root}: cannot remove {name!r}: {exc.strerror}")
    except OSError as exc:
        problems.append(f"{root}: {exc.strerror}")
    finally:
        os.close(fd)
    return removed, problems


def _clear_folder(fd: int, root: str, problems: list[str]) -> tuple[list[str], int]:
    """Unlink everything but folders in the open folder ``fd``; make its folders ``u+rwx``.
    Returns the folders' names and how many entries were unlinked."""
    folders: list[str] = []
    removed = 0
    try:
        with os.scandir(fd) as entries:
            listed = list(entries)
    except OSError as exc:
        problems.append(f"{root}: cannot list a folder: {exc.strerror}")
        return folders, removed
    for entry in listed:
        name = entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                os.chmod(name, stat.S_IRWXU, dir_fd=fd)  # a folder, not a link: nothing is followed
                folders.append(name)
            else:
                os.unlink(name, dir_fd=fd)
                removed += 1
        except OSError as exc:
            problems.append(f"{root}: cannot remove {name!r}: {exc.strerror}")
    return folders, removed


def sysv_ipc_ids(proc: str = "/proc/sysvipc") -> dict[str, list[int]]:
    """The ids of the System V IPC objects of this process's IPC namespace, by kind (``shm``,
    ``sem``, ``msg``); a kind the kernel does not have (no /proc/sysvipc file) has none. Raises
    ``OSError`` when a listing exists but cannot be read."""
    ids: dict[str, list[int]] = {}
    for kind in SYSV_IPC_KINDS:
        try:
            fd = os.open(f"{proc}/{kind}", os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            ids[kind] = []
            continue
        try:  # plain reads: a third of what a file object costs, and this runs after every session
            chunks = [os.read(fd, 65536)]
            while chunks[-1]:
                chunks.append(os.read(fd, 65536))
        finally:
            os.close(fd)
        lines = b"".join(chunks).splitlines()[1:]  # a header, then one object a line: key id perms ...
        ids[kind] = [int(line.split()[1]) for line in lines if line.strip()]
    return ids


_LIBC = None


def _libc():
    global _LIBC
    if _LIBC is None:
        _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def remove_sysv_ipc(proc: str = "/proc/sysvipc") -> tuple[int, list[str]]:
    """Remove every System V shared memory segment, semaphore set and message queue of this
    IPC namespace (``IPC_RMID``: the creator may, whatever the object's permissions, owner or
    mode say); returns how many were removed, and the problems met.

    Only for a warden in an IPC namespace of its own: elsewhere these are the host's."""
    try:
        ids = sysv_ipc_ids(proc)
    except (OSError, ValueError, IndexError) as exc:
        return 0, [f"cannot list System V IPC objects: {exc}"]
    if not any(ids.values()):
        return 0, []
    libc, removed, problems = _libc(), 0, []
    for kind, found in ids.items():
        for ipc_id in found:
            if kind == "sem":
                result = libc.semctl(ipc_id, 0, IPC_RMID)
            else:
                result = getattr(libc, f"{kind}ctl")(ipc_id, IPC_RMID, None)
            if result == 0:
                removed += 1
            else:
                problems.append(f"cannot remove System V {kind} {ipc_id}: {os.strerror(ctypes.get_errno())}")
    return removed, problems


def leftovers(roots: dict[str, int], *, ipc: bool) -> list[str]:
    """What is left in the folders of ``roots`` (and, with ``ipc``, of System V IPC objects): the
    proof that a cleanup worked is an empty list. A root must be a folder, still have its
    mode, and be empty."""
    found = []
    for root, mode in roots.items():
        try:
            info = os.lstat(root)
            if info.st_mode != mode:
                found.append(f"{root} changed: mode {info.st_mode:o}, not {mode:o}")
                continue
            names = os.listdir(root)
        except OSError as exc:
            found.append(f"{root}: {exc.strerror}")
            continue
        found += [f"{root} still holds {name!r}" for name in names[:5]]
    if ipc:
        try:
            found += [f"System V {kind} {ipc_id} is left" for kind, ids in sysv_ipc_ids().items() for ipc_id in ids]
        except (OSError, ValueError, IndexError) as exc:
            found.append(f"cannot list System V IPC objects: {exc}")
    return found


# ============================================================================ startup
def preload(modules: list[str]) -> dict:
    """Import what every session needs, once, before any fork; warm torch's lazy imports."""
    global TORCH
    loaded: dict[str, float | str] = {}
    for name in modules:
        start = time.perf_counter()
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            loaded[name] = f"unavailable: {exc}"
            continue
        loaded[name] = round(time.perf_counter() - start, 3)
        if name == "torch":
            TORCH = module
            module.set_num_threads(1)
            if os.environ.get("GEODL_WARM_TORCH", "1") == "0":
                continue  # GPU sandboxes: the warm-up would touch CUDA before the fork
            try:
                _warm_torch(module)
            except Exception as exc:  # noqa: BLE001 - a failed warm-up costs speed, not the worker
                loaded["torch warm-up"] = f"failed: {type(exc).__name__}: {exc}"
    return loaded


def _warm_torch(torch) -> None:
    """One thread, and one pass through autograd and the optimizers so their lazy imports happen
    here, before forking (forking after torch has used several threads can hang)."""
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    import torch.nn.functional  # noqa: F401
    p = torch.nn.Parameter(torch.ones(3, dtype=torch.float64))
    for opt in (torch.optim.SGD([p], lr=0.1, momentum=0.9), torch.optim.Adam([p], lr=0.1)):
        opt.zero_grad()
        loss = (p**2).sum()
        loss.backward()
        opt.step()
    x = torch.ones(2, 3, requires_grad=True)
    torch.autograd.grad(torch.nn.functional.relu(x).sum(), x, create_graph=True)


#: madvise(2)'s MADV_COLLAPSE (Linux 6.1+): back a range with huge pages now, synchronously.
MADV_COLLAPSE = 25
HUGE_PAGE_BYTES = 2 * 2**20


def collapse_heap() -> int:
    """Back the warden's private anonymous memory (its heap: ~95 MB once numpy, scipy and
    sympy are imported, far more with torch) with 2 MB transparent huge pages, where the
    kernel can; returns the kB of the warden's memory in huge pages afterwards (0 where the
    kernel cannot: before Linux 6.1, or built without transparent huge pages).

    Every session is a fork of the warden, and a fork copies one page-table entry per mapped 4 kB page,
    which the session's exit then tears down again: on 2 MB pages there are 512 times fewer. Most of
    a numpy warden's heap can go on huge pages (Python's own 1 MB arenas cannot), which makes every
    session cheaper for a warden a little larger and slower to start
    (``benchmarks/bench_warden.py``; ``benchmarks/README.md``, "Figures behind the code"). A session
    that writes to a huge page still copies only 4 kB of it (the kernel splits the shared huge page
    first).

    Best effort: a range the kernel refuses (thread stacks, guard pages, no huge page free)
    stays as it is. No setting of the host changes (``MADV_COLLAPSE`` does not depend on
    ``/sys/kernel/mm/transparent_hugepage``), and what the warden allocates later keeps to
    small pages."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
        madvise.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
        with open("/proc/self/maps") as maps:
            lines = maps.read().splitlines()
    except (OSError, AttributeError):
        return 0
    for line in lines:
        fields = line.split()
        anonymous = len(fields) < 6 or fields[5] == "[heap]"
        if fields[1] != "rw-p" or not anonymous:
            continue
        low, high = (int(bound, 16) for bound in fields[0].split("-"))
        start = -(-low // HUGE_PAGE_BYTES) * HUGE_PAGE_BYTES
        end = high // HUGE_PAGE_BYTES * HUGE_PAGE_BYTES
        if end > start:
            madvise(start, end - start, MADV_COLLAPSE)  # refused: the range stays on small pages
    return huge_page_kb()


def huge_page_kb() -> int:
    """kB of this process's anonymous memory on transparent huge pages."""
    try:
        with open("/proc/self/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("AnonHugePages:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def main(argv: list[str]) -> int:
    pidns, modules, scratch, nproc, control_fd, connect, core = False, [], "/tmp", 0, None, None, None
    huge_pages = True
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--pidns":
            pidns = True
        elif arg == "--site":
            i += 1  # already on sys.path (see _site_dirs)
        elif arg == "--preload":
            i += 1
            modules = [m for m in argv[i].split(",") if m]
        elif arg == "--scratch":
            i += 1
            scratch = argv[i]
        elif arg == "--control-fd":  # an inherited Unix socket to the grader
            i += 1
            control_fd = int(argv[i])
        elif arg == "--connect":  # or a Unix socket path to connect to (the docker backend)
            i += 1
            connect = argv[i]
        elif arg == "--core":  # the CPU to keep to after preloading
            i += 1
            core = int(argv[i])
        elif arg == "--nproc":  # the sandbox's process cap where no cgroup enforces one
            i += 1
            nproc = int(argv[i])
        elif arg == "--small-pages":  # leave the heap on small pages (see collapse_heap)
            huge_pages = False
        else:
            sys.stderr.write(f"worker: unknown argument {arg!r}\n")
            return 2
        i += 1
    sys.dont_write_bytecode = True
    _set_non_dumpable()
    if nproc:
        total = session.task_count() + nproc
        resource.setrlimit(resource.RLIMIT_NPROC, (total, total))
    start = time.perf_counter()
    loaded = preload(modules)
    gc.collect()
    gc.freeze()
    huge_page_kb_now = collapse_heap() if huge_pages else huge_page_kb()  # still beside the grader, like the preload
    if core is not None:
        _keep_to_core(core)
    if control_fd is not None:
        control = socket.socket(fileno=control_fd)
    elif connect is not None:
        control = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        control.connect(connect)
    else:
        sys.stderr.write("worker: one of --control-fd or --connect is required\n")
        return 2
    try:
        warden = Warden(control, pidns=pidns, scratch=scratch)
    except OSError as exc:
        sys.stderr.write(f"worker: cannot use the scratch space {scratch}: {exc}\n")
        return 3
    first = warden.clean_up()  # the first session, too, starts in a sandbox proved empty
    if not warden.clean:
        sys.stderr.write(f"worker: the sandbox cannot be made clean before the first session: {first['residue']}\n")
        return 3
    warden.send({
        "op": "ready",
        "version": wire.PROTOCOL_VERSION,
        "pid": os.getpid(),
        "python": sys.version.split()[0],
        "preload": loaded,
        "preload_s": round(time.perf_counter() - start, 3),
        "huge_page_kb": huge_page_kb_now,
        "cuda": bool(TORCH is not None and _cuda_available()),
        # True would mean sessions cannot use CUDA (it must first be initialised after the fork)
        "cuda_initialized_in_warden": bool(TORCH is not None and TORCH.cuda.is_initialized()),
    })
    warden.serve()
    return 0


def _keep_to_core(core: int) -> None:
    """Run on ``core`` from now on, where the host allows it (else stay where we are)."""
    try:
        os.sched_setaffinity(0, {core})
    except (AttributeError, OSError):
        pass


def _cuda_available() -> bool:
    # Asks the driver without initialising CUDA in this process (sessions are forked from it).
    if os.environ.get("GEODL_PROBE_CUDA") == "1" and TORCH is not None:
        return bool(TORCH.cuda.is_available())
    return os.path.exists("/dev/nvidiactl")


def _set_non_dumpable() -> None:
    """PR_SET_DUMPABLE 0: same-uid sessions can neither ptrace the warden nor read its /proc."""
    session._set_dumpable(False)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

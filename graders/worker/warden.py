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
    whole PID namespace but itself when the sandbox gives it one), reaps them, and wipes the
    writable scratch space. Only the warden holds the control socket; a session never sees it.
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
import shutil
import signal
import socket
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
        self.encoder, self.decoder = wire.Encoder(), wire.Decoder()

    def send(self, message: dict) -> None:
        wire.send_frame(self.control, wire.CONTROL, self.encoder.encode(message))

    def serve(self) -> None:
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
                if self.control not in ready:
                    continue
                if not self.reader.fill():      # the grader went away: nothing left to do
                    self._end_session()
                    return
                continue
            if not self._control(self.decoder.decode(frame[1])):
                return

    def _control(self, message: dict) -> bool:
        op = message.get("op")
        if op == "open":
            self._end_session()
            fds, self.reader.fds = self.reader.fds, []  # the session socket, then the grader's wake-up pipe
            if not fds:
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
        return True

    # -- sessions
    def _open_session(self, session_id: int, limits: dict, session_fd: int, wake_fd: int | None = None) -> None:
        os.makedirs(os.path.join(self.scratch, "session"), exist_ok=True)
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
        """Kill the session and everything it started, reap, wipe scratch; report how it ended."""
        if self.session_pid is None:
            return {"exit": None, "signal": None}
        killed = self._kill_session_tree(self.session_pid)
        if self.session_pidfd is not None:
            os.close(self.session_pidfd)
        self.session_pid = self.session_pidfd = self.session_id = None
        _wipe(self.scratch, shared_memory=self.pidns)
        report = self._status_report()
        report["killed"] = killed
        return report

    def _kill_session_tree(self, pid: int) -> int:
        """SIGKILL the session and its descendants, reap the session; return how many died."""
        killed: set[int] = {pid}
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


def _wipe(scratch: str, *, shared_memory: bool) -> None:
    """Remove everything a session may have written to the scratch space (and, inside a
    sandbox's own /dev, to /dev/shm)."""
    for root in (scratch, "/dev/shm") if shared_memory else (scratch,):
        try:
            entries = os.listdir(root)
        except OSError:
            continue
        for name in entries:
            path = os.path.join(root, name)
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass


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
    warden = Warden(control, pidns=pidns, scratch=scratch)
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

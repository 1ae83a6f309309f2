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

**session** (one per submission and exercise, short-lived)
    A fork of the warden: it starts with everything pre-imported, receives the submission's
    files, imports the student's modules on request and serves calls until the grader closes it.
    Its stdout/stderr go to a size-capped file whose tail is returned with every reply. Its
    resource limits (address space, CPU seconds, processes, file size) are set before any
    student code runs.

Run as ``python -P -s -S worker.py (--control-fd N | --connect PATH) [--pidns] [--site DIR ...]
[--preload MOD,...] [--scratch DIR] [--nproc N]``.
"""
from __future__ import annotations

import gc
import importlib
import io
import math
import os
import resource
import select
import shutil
import signal
import socket
import sys
import time
import traceback
import types



def _site_dirs(argv: list[str]) -> list[str]:
    """The ``--site DIR`` arguments: the package folders the worker may import from."""
    return [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--site"]


if __name__ == "__main__":
    sys.path[:0] = _site_dirs(sys.argv[1:])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wire  # noqa: E402  (the sibling module; the sandbox holds only these two files)

del sys.path[0]

OUTPUT_TAIL_BYTES = 2048
MAX_MESSAGE_CHARS = 600
MAX_TRACEBACK_CHARS = 4000
TORCH = None  # the torch module once preloaded


# ============================================================================ shared I/O
class FrameReader:
    """Buffered frame reader over a socket or pipe: one ``recv`` usually yields a whole frame.

    ``fds`` collects file descriptors passed along with the data (SCM_RIGHTS), in order.
    """

    def __init__(self, sock: socket.socket, *, with_fds: bool = False):
        self.sock = sock
        self.buffer = bytearray()
        self.fds: list[int] = []
        self.with_fds = with_fds

    def pending(self) -> tuple[int, bytes] | None:
        """A complete frame already buffered, if any."""
        if len(self.buffer) < wire.HEADER.size:
            return None
        length, channel = wire.parse_header(bytes(self.buffer[: wire.HEADER.size]))
        end = wire.HEADER.size + length
        if len(self.buffer) < end:
            return None
        payload = bytes(self.buffer[wire.HEADER.size: end])
        del self.buffer[:end]
        return channel, payload

    def fill(self) -> bool:
        """Read what is available (blocking once); False at end of stream."""
        while True:
            try:
                if self.with_fds:
                    data, fds, _, _ = socket.recv_fds(self.sock, 1 << 20, 4)
                    self.fds.extend(fds)
                else:
                    data = self.sock.recv(1 << 20)
            except InterruptedError:
                continue
            if not data:
                return False
            self.buffer += data
            return True

    def read(self) -> tuple[int, bytes] | None:
        """The next frame (blocking); None at end of stream."""
        while True:
            frame = self.pending()
            if frame is not None:
                return frame
            if not self.fill():
                return None


def send_frame(sock: socket.socket, channel: int, payload: bytes) -> None:
    sock.sendall(wire.frame(channel, payload))


# ============================================================================ warden
class Warden:
    """Forks sessions on request and cleans up after each one.

    The grader talks to the warden over ``control`` (a Unix socket). Each ``open`` request
    carries, as SCM_RIGHTS, one end of a socketpair the grader made for that session alone: the
    session child serves on it directly, and the warden never touches session traffic.
    """

    def __init__(self, control: socket.socket, *, pidns: bool, scratch: str):
        self.control = control
        self.reader = FrameReader(control, with_fds=True)
        self.pidns = pidns
        self.scratch = scratch
        self.session_id: int | None = None
        self.session_pid: int | None = None
        self.session_pidfd: int | None = None
        self.session_status: int | None = None
        self.encoder, self.decoder = wire.Encoder(), wire.Decoder()

    def send(self, message: dict) -> None:
        send_frame(self.control, wire.CONTROL, self.encoder.encode(message))

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
            fd = self.reader.fds.pop(0) if self.reader.fds else None
            if fd is None:
                self.send({"op": "error", "message": "open without a session socket"})
            else:
                self._open_session(int(message["session"]), message.get("limits", {}), fd)
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
    def _open_session(self, session_id: int, limits: dict, session_fd: int) -> None:
        os.makedirs(os.path.join(self.scratch, "session"), exist_ok=True)
        pid = os.fork()
        if pid == 0:  # ---- the session child
            try:
                self.control.close()
                _become_session(session_fd, session_id, limits, self.scratch)
            finally:
                os._exit(70)
        os.close(session_fd)
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

    def _reap(self, pid: int) -> None:
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


# ============================================================================ session
class StudentCodeError(Exception):
    """Carries a failure of the student's code out of the dispatcher."""


class Session:
    """Serves one submission's calls over ``sock``. Runs only in the forked session child."""

    def __init__(self, sock: socket.socket, session_id: int, workdir: str, output_fd: int, limits: dict):
        self.sock = sock
        self.reader = FrameReader(sock)
        self.session_id = session_id
        self.workdir = workdir
        self.output_fd = output_fd
        self.output_offset = 0
        self.limits = limits
        self.handles: dict[int, object] = {}
        self.next_handle = 1
        self.forbidden_used: list[str] = []
        self.encoder = wire.Encoder(on_object=self._to_handle, max_bytes=int(limits.get("max_reply_bytes", 64 * 2**20)))
        self.decoder = wire.Decoder()

    def serve(self) -> None:
        while True:
            incoming = self.reader.read()
            if incoming is None:
                return
            _, payload = incoming
            request = self.decoder.decode(payload)
            reply = self.dispatch(request)
            try:
                data = self.encoder.encode(reply)
            except Exception as exc:  # noqa: BLE001 - a hostile object may raise anything while encoded
                reply = {"id": request.get("id"), "ok": False, "error": _error(
                    "unsendable", f"your code returned a value that cannot be sent back: {exc}")}
                reply["output"] = self._output_tail()
                data = self.encoder.encode(reply)
            send_frame(self.sock, wire.SESSION, data)

    def dispatch(self, request: dict) -> dict:
        op = request.get("op")
        reply = {"id": request.get("id"), "ok": True}
        start = time.perf_counter()
        try:
            handler = getattr(self, f"op_{op}", None)
            if handler is None:
                raise ValueError(f"unknown op {op!r}")
            reply["value"] = handler(request)
        except StudentCodeError as exc:
            reply["ok"], reply["error"] = False, exc.args[0]
        except BaseException as exc:  # noqa: BLE001 - anything the student's code raised lands here
            reply["ok"], reply["error"] = False, _describe_exception(exc, self.workdir, self.limits)
        reply["duration_s"] = time.perf_counter() - start
        reply["output"] = self._output_tail()
        if self.forbidden_used:
            reply["forbidden"] = sorted(set(self.forbidden_used))
        return reply

    # -- ops
    def op_ping(self, request: dict):
        return request.get("payload")

    def op_load(self, request: dict):
        """Write the submission's files under the work directory and put it on ``sys.path``."""
        files = request["files"]
        for rel, data in files.items():
            parts = rel.split("/")
            if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
                raise ValueError(f"refusing file path {rel!r}")
            path = os.path.join(self.workdir, *parts)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data)
        sys.path.insert(0, self.workdir)
        importlib.invalidate_caches()
        return len(files)

    def op_forbid(self, request: dict):
        """Replace forbidden library callables (``"numpy.kron"``) by traps that record their use."""
        for dotted in request["names"]:
            module_name, _, attr = dotted.rpartition(".")
            module = sys.modules.get(module_name) or importlib.import_module(module_name)
            if hasattr(module, attr):
                setattr(module, attr, _make_trap(dotted, self.forbidden_used))
        return None

    def op_import(self, request: dict):
        module = importlib.import_module(request["module"])
        return sorted(n for n in vars(module) if not n.startswith("_"))

    def op_call(self, request: dict):
        func = self._resolve(request["target"])
        args, kwargs = request.get("args", []), request.get("kwargs", {})
        if self.decoder.special:  # handles, tensors or grader functions among the arguments
            args = [self._from_wire(a) for a in args]
            kwargs = {k: self._from_wire(v) for k, v in kwargs.items()}
        if not callable(func):
            raise TypeError(f"{_target_name(request['target'])} is not callable (it is a {type(func).__name__})")
        value = func(*args, **kwargs)
        if request.get("want") == "handle":
            return self._to_handle(value, force=True)
        if request.get("want") == "text":
            return _as_text(value)
        return value

    def op_batch(self, request: dict):
        """Several independent calls in one round trip: ``[{"ok", "value" | "error"}, ...]``."""
        results = []
        for call in request["calls"]:
            try:
                results.append({"ok": True, "value": self.op_call(call)})
            except BaseException as exc:  # noqa: BLE001 - one failing call does not stop the others
                results.append({"ok": False, "error": _describe_exception(exc, self.workdir, self.limits)})
        return results

    def op_getattr(self, request: dict):
        value = self._resolve(request["target"])
        if request.get("want") == "handle":
            return self._to_handle(value, force=True)
        return value

    def op_release(self, request: dict):
        for hid in request.get("handles", []):
            self.handles.pop(hid, None)
        return None

    # -- helpers
    def _resolve(self, target: dict):
        if "module" in target:
            obj = sys.modules.get(target["module"]) or importlib.import_module(target["module"])
        else:
            obj = self._handle(target["handle"])
        for name in target.get("path", []):
            try:
                obj = getattr(obj, name)
            except AttributeError:
                raise StudentCodeError(_error(
                    "missing", f"{_target_name(target)} does not exist: {type(obj).__name__} has no attribute {name!r}",
                    type_name="AttributeError")) from None
        return obj

    def _handle(self, hid: int):
        if hid not in self.handles:
            raise ValueError(f"unknown handle {hid}")
        return self.handles[hid]

    def _from_wire(self, value):
        """Turn decoded wire values into what the student's code receives."""
        kind = type(value)
        if kind is list:
            return [self._from_wire(v) for v in value]
        if kind is tuple:
            return tuple(self._from_wire(v) for v in value)
        if kind is dict:
            return {k: self._from_wire(v) for k, v in value.items()}
        if kind is wire.Handle:
            if value.session != self.session_id:
                raise ValueError("a handle from another session")
            return self._handle(value.id)
        if kind is wire.TensorData:
            return _to_tensor(value)
        if kind is wire.FuncSource:
            return _compile_function(value.source)
        return value

    def _to_handle(self, value, force: bool = False):
        """``Encoder`` hook: tensors become ``TensorData``; other objects stay here behind handles."""
        if not force:
            converted = _convert_known(value)
            if converted is not None:
                return converted
        hid = self.next_handle
        self.next_handle += 1
        self.handles[hid] = value
        return wire.Handle(self.session_id, hid, _type_name(value), callable(value))

    def _output_tail(self) -> str:
        """What the student's code printed since the last reply (its last 2 KiB)."""
        try:
            end = os.fstat(self.output_fd).st_size
        except OSError:
            return ""
        if end <= self.output_offset:
            return ""
        start = max(self.output_offset, end - OUTPUT_TAIL_BYTES)
        data = os.pread(self.output_fd, end - start, start)
        skipped = start - self.output_offset
        self.output_offset = end
        text = data.decode("utf-8", "replace")
        return (f"[{skipped} bytes of output skipped]\n" if skipped else "") + text


def _torch():
    """The torch module, imported on first need when it was not preloaded (None if absent)."""
    global TORCH
    if TORCH is None:
        try:
            TORCH = importlib.import_module("torch")
        except ImportError:
            return None
    return TORCH


def _convert_known(value):
    """Tensors and ndarray subclasses as plain data; ``None`` for anything else."""
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        tensor = value.detach()
        dtype = str(tensor.dtype).replace("torch.", "")
        if dtype not in wire.TORCH_DTYPES:
            raise wire.WireError(f"tensors of dtype {dtype} cannot be sent back")
        device = str(tensor.device)
        host = tensor.to("cpu")
        if dtype == "bfloat16":
            host = host.float()
        if host.is_conj():
            host = host.resolve_conj()
        return wire.TensorData(host.contiguous().numpy().copy(), dtype, device, bool(value.requires_grad))
    if isinstance(value, __import__("numpy").ndarray):
        array = __import__("numpy").asarray(value)
        if array.dtype.kind not in "biufc":
            raise wire.WireError(f"arrays of dtype {array.dtype} (e.g. object arrays) cannot be sent back")
        return array
    return None


def _as_text(value) -> str:
    """A formula as text: strings as they are, sympy objects through sympy's str printer (with
    matrix identities spelled ``Identity(n)``); anything else is the student's mistake."""
    if isinstance(value, str):
        return value
    if type(value).__module__.startswith("sympy"):
        from sympy.printing.str import StrPrinter

        class _Printer(StrPrinter):
            def _print_Identity(self, expr):
                return f"Identity({expr.shape[0]})"

        return _Printer().doprint(value)
    raise TypeError(f"the answer should be a sympy expression or a string; got a {type(value).__name__}")


def _to_tensor(data: "wire.TensorData"):
    torch = _torch()
    if torch is None:
        raise RuntimeError("torch is not available in this worker")
    tensor = torch.from_numpy(data.array.copy())
    tensor = tensor.to(getattr(torch, data.dtype))
    if data.device != "cpu":
        tensor = tensor.to(data.device)
    if data.requires_grad:
        tensor.requires_grad_(True)
    return tensor


def _compile_function(source: str):
    """Compile a grader-authored expression (a lambda, usually) with numpy/math/torch in scope."""
    import numpy
    namespace = {"np": numpy, "numpy": numpy, "math": math, "__builtins__": __builtins__}
    if "torch" in source and _torch() is not None:
        namespace["torch"] = TORCH
    return eval(compile(source, "<grader function>", "eval"), namespace)  # noqa: S307 - grader-authored


def _make_trap(dotted: str, log: list):
    def trap(*args, **kwargs):
        log.append(dotted)
        raise RuntimeError(f"{dotted} is not allowed in this exercise")
    trap.__name__ = dotted.rpartition(".")[2]
    return trap


def _type_name(value) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ not in ("builtins", None) else kind.__qualname__


def _target_name(target: dict) -> str:
    base = target.get("module", "<object>")
    return ".".join([base, *target.get("path", [])])


def _error(kind: str, message: str, *, type_name: str = "", location: str = "", tb: str = "") -> dict:
    return {
        "kind": kind,
        "type": type_name,
        "message": message[:MAX_MESSAGE_CHARS],
        "location": location,
        "traceback": tb[-MAX_TRACEBACK_CHARS:],
    }


def _describe_exception(exc: BaseException, workdir: str, limits: dict) -> dict:
    """A student-facing account of an exception: type, message, and where in their code."""
    type_name = type(exc).__name__
    try:
        message = str(exc)
    except BaseException:  # noqa: BLE001 - a hostile __str__
        message = "<the exception's message could not be shown>"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(workdir)]
    location = ""
    if frames:
        last = frames[-1]
        location = f"{os.path.relpath(last.filename, workdir)}:{last.lineno} in {last.name}"
    if isinstance(exc, NotImplementedError):
        message = "not implemented yet (this is still the stub)"
    elif isinstance(exc, MemoryError):
        mib = int(limits.get("memory_bytes", 0)) // 2**20
        message = f"ran out of memory (the limit is {mib} MiB)" if mib else "ran out of memory"
    elif isinstance(exc, RecursionError):
        message = "maximum recursion depth exceeded"
    elif isinstance(exc, SystemExit):
        message = f"your code called exit() (code {exc.code!r})"
    tb_text = "".join(traceback.format_list(frames)) if frames else ""
    kind = "syntax" if isinstance(exc, SyntaxError) else "student"
    if isinstance(exc, SyntaxError) and exc.filename:
        location = f"{os.path.relpath(exc.filename, workdir)}:{exc.lineno}"
        message = f"{exc.msg} (line {exc.lineno})"
    return _error(kind, message, type_name=type_name, location=location, tb=tb_text)


def _become_session(session_fd: int, session_id: int, limits: dict, scratch: str) -> None:
    """Turn the freshly forked child into a session: private fds, limits, work dir; then serve."""
    session_dir = os.path.join(scratch, "session")
    workdir = os.path.join(session_dir, "work")
    os.makedirs(workdir, exist_ok=True)
    output_path = os.path.join(session_dir, "output.txt")
    out_fd = os.open(output_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    null_fd = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null_fd, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    read_fd = os.open(output_path, os.O_RDONLY)
    keep = sorted((session_fd, read_fd))
    os.closerange(3, keep[0])
    os.closerange(keep[0] + 1, keep[1])
    os.closerange(keep[1] + 1, 65536)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), write_through=True, errors="replace")
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", buffering=0), write_through=True, errors="replace")
    sys.stdin = open(os.devnull)
    os.setsid()
    # The warden is non-dumpable so that sessions cannot inspect it; a session itself may be
    # (the CUDA driver, for one, needs to read its own /proc entries). Only this session's own
    # processes and the warden share its uid while it runs.
    _set_dumpable(True)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-large write fails with EFBIG instead of killing
    _apply_limits(limits)
    os.chdir(workdir)
    os.environ["HOME"] = workdir
    os.environ["TMPDIR"] = session_dir
    gc.enable()
    sock = socket.socket(fileno=session_fd)
    Session(sock, session_id, workdir, read_fd, limits).serve()
    os._exit(0)


def _setrlimit(which: int, value: int, *, grace: int = 0) -> None:
    """Lower a limit to ``value`` (hard limit ``value + grace``), never above the hard limit the
    sandbox already has."""
    _, hard = resource.getrlimit(which)
    new_hard = value + grace
    if hard != resource.RLIM_INFINITY:
        value, new_hard = min(value, hard), min(new_hard, hard)
    resource.setrlimit(which, (value, new_hard))


def _apply_limits(limits: dict) -> None:
    """Per-session rlimits; the sandbox's cgroup (when there is one) is the backstop."""
    if limits.get("memory_bytes"):
        current = _vm_size()
        budget = current + int(limits["memory_bytes"])
        _setrlimit(resource.RLIMIT_AS, budget)
    if limits.get("cpu_s"):
        cpu = int(math.ceil(limits["cpu_s"]))
        _setrlimit(resource.RLIMIT_CPU, cpu, grace=1)  # SIGXCPU first, SIGKILL a second later
    if limits.get("file_bytes"):
        size = int(limits["file_bytes"])
        _setrlimit(resource.RLIMIT_FSIZE, size)
    if limits.get("nproc"):
        total = _task_count() + int(limits["nproc"])
        _setrlimit(resource.RLIMIT_NPROC, total)
    if limits.get("nofile"):
        _setrlimit(resource.RLIMIT_NOFILE, int(limits["nofile"]))


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _task_count() -> int:
    """Tasks (threads included) of this uid visible here: what RLIMIT_NPROC counts."""
    uid, count = os.getuid(), 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
            if int(fields["Uid"].split()[1]) == uid:
                count += int(fields["Threads"])
        except (OSError, KeyError, ValueError):
            continue
    return count


# ============================================================================ startup
def preload(modules: list[str]) -> dict:
    """Import what every session needs, once, before any fork; warm torch's lazy imports."""
    global TORCH
    loaded = {}
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


def main(argv: list[str]) -> int:
    pidns, modules, scratch, nproc, control_fd, connect = False, [], "/tmp", 0, None, None
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
        elif arg == "--nproc":  # the sandbox's process cap where no cgroup enforces one
            i += 1
            nproc = int(argv[i])
        else:
            sys.stderr.write(f"worker: unknown argument {arg!r}\n")
            return 2
        i += 1
    sys.dont_write_bytecode = True
    _set_non_dumpable()
    if nproc:
        total = _task_count() + nproc
        resource.setrlimit(resource.RLIMIT_NPROC, (total, total))
    start = time.perf_counter()
    loaded = preload(modules)
    gc.collect()
    gc.freeze()
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
        "cuda": bool(TORCH is not None and _cuda_available()),
        # True would mean sessions cannot use CUDA (it must first be initialised after the fork)
        "cuda_initialized_in_warden": bool(TORCH is not None and TORCH.cuda.is_initialized()),
    })
    warden.serve()
    return 0


def _cuda_available() -> bool:
    # Asks the driver without initialising CUDA in this process (sessions are forked from it).
    return bool(TORCH.cuda.is_available()) if os.environ.get("GEODL_PROBE_CUDA") == "1" else os.path.exists("/dev/nvidiactl")


def _set_non_dumpable() -> None:
    """PR_SET_DUMPABLE 0: same-uid sessions can neither ptrace the warden nor read its /proc."""
    _set_dumpable(False)


def _set_dumpable(value: bool) -> None:
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 1 if value else 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

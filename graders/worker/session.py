"""The session side of the worker: one forked child per submission and exercise, serving the
grader's requests on its own socket (see ``worker.py`` for the warden that forks it).

It lives in the sandbox next to ``worker.py`` and ``wire.py`` and imports only the standard
library, numpy and (on first need) torch and sympy.
"""
from __future__ import annotations

import contextlib
import gc
import importlib
import inspect
import io
import math
import os
import resource
import signal
import socket
import sys
import time
import traceback

import numpy

from . import wire  # the package's own: ``worker`` in the sandbox, ``graders.worker`` in the grader

OUTPUT_TAIL_BYTES = 2048
MAX_MESSAGE_CHARS = 600
MAX_TRACEBACK_CHARS = 4000
TORCH = None  # the torch module, once imported


class StudentCodeError(Exception):
    """Carries a failure of the student's code out of the dispatcher."""


class ModuleBan:
    """A ``sys.meta_path`` finder that refuses, and records in ``used``, every import of a module
    the exercise being graded forbids (``"torch"`` covers ``torch.nn`` too), however it is
    spelled: ``__import__("tor" + "ch")`` escapes the grader's static scan, not this.

    It sees a module's first import only: one already in ``sys.modules`` is handed out without
    asking the finders (see :meth:`SessionServer.op_forbid`). The session's own imports (torch, to
    rebuild a tensor the grader sent) go through :meth:`paused`. Code that tampers with the
    import system itself (taking this finder out of ``sys.meta_path``) can get past it; its
    answers are still judged by the grader, outside the sandbox.
    """

    def __init__(self, used: list):
        self.modules: tuple[str, ...] = ()
        self.used = used
        self.paused_depth = 0

    def find_spec(self, name, path=None, target=None):
        if self.paused_depth:
            return None
        for banned in self.modules:
            if name == banned or name.startswith(banned + "."):
                self.used.append(banned)
                raise ImportError(f"importing {banned} is not allowed in this exercise", name=name)
        return None

    @contextlib.contextmanager
    def paused(self):
        self.paused_depth += 1
        try:
            yield
        finally:
            self.paused_depth -= 1


#: The session's module ban (one session per process); in ``sys.meta_path`` once an exercise bans a module.
MODULE_BAN = ModuleBan([])

#: The names in ``sys.modules`` as the warden forks a session (:func:`note_inherited_modules`).
INHERITED_MODULES: frozenset[str] | None = None


def note_inherited_modules() -> None:
    """In the warden, before it forks a session: the names of the modules the session inherits.

    A session that built this set itself would take a reference to each of the warden's module names,
    each a write to a page it shares with the warden, which the kernel then copies: a fifth of the
    CPU a one-call session costs (``benchmarks/README.md``, "Figures behind the code"). Built in the
    warden, the set is written before the fork; the session only reads it."""
    global INHERITED_MODULES
    if INHERITED_MODULES is None or len(INHERITED_MODULES) != len(sys.modules):
        INHERITED_MODULES = frozenset(sys.modules)


class SessionServer:
    """Serves one submission's calls over ``sock``. Runs only in the forked session child."""

    def __init__(self, sock: socket.socket, session_id: int, workdir: str, output_fd: int, limits: dict,
                 wake_fd: int | None = None):
        self.sock = sock
        self.wake_fd = wake_fd  #: the write end of the grader's wake-up pipe (quiet streams), if it sent one
        self.reader = wire.FrameReader(sock)
        self.session_id = session_id
        self.workdir = workdir
        self.output_fd = output_fd
        self.output_offset = 0
        self.limits = limits
        self.handles: dict[int, object] = {}
        #: the encoded answers of the running stream that its later calls refer to (wire.AnswerRef)
        self.kept_answers: dict[int, bytes] = {}
        self.answer_decoder = wire.Decoder(trusted=True)  # what this session encoded itself
        self.next_handle = 1
        self.forbidden_used: list[str] = []
        MODULE_BAN.used = self.forbidden_used
        #: modules loaded before this session began (the warden's preload): no ban can see their imports
        self.inherited_modules = INHERITED_MODULES if INHERITED_MODULES is not None else frozenset(sys.modules)
        self.encoder = wire.Encoder(on_object=self._to_handle,
                                    max_bytes=int(limits.get("max_reply_bytes", wire.MAX_REPLY_BYTES)))
        self.decoder = wire.Decoder(trusted=True)  # the grader's own requests

    def serve(self) -> None:
        while True:
            incoming = self.reader.read()
            if incoming is None:
                return
            _, payload = incoming
            request = self.decoder.decode(payload)
            if request.get("op") == "stream" and isinstance(request.get("calls"), list):
                self._stream(request, quiet=bool(request.get("quiet")) and self.wake_fd is not None)
                continue
            self._send(self.dispatch(request), request)

    def _stream(self, request: dict, *, quiet: bool) -> None:
        """Run a stream's calls in order: one reply each, sent as soon as the call returns, none
        after a failing one. An item with ``"op": "batch"`` is a ``batch`` request.

        A quiet stream's grader does not wait on this socket (each reply would wake it) but on
        its wake-up pipe: one byte there when the stream ends, or when a reply cannot be sent
        without waiting for the grader to read (a full socket buffer). It ends with an end
        marker (``"end": true``), and also stops, without a failure, once its calls have taken
        ``budget_s`` in all (the grader makes the rest one by one)."""
        budget = request.get("budget_s")
        budget = float(budget) if quiet and isinstance(budget, (int, float)) else math.inf
        referenced = _referenced_answers(request["calls"]) if self.decoder.special else frozenset()
        clock = time.perf_counter()
        try:
            for index, item in enumerate(request["calls"]):
                fields = item if isinstance(item, dict) else {}
                reply = self.dispatch({**fields, "id": request.get("id"), "op": stream_op(fields)})
                if index in referenced and reply["ok"]:
                    self._keep_answer(index, reply["value"])
                if not self._send(reply, request, quiet=quiet):
                    break
                if time.perf_counter() - clock > budget:
                    break
        finally:
            self.kept_answers.clear()
        if quiet:
            end = {"id": request.get("id"), "ok": True, "end": True}
            self._send_quietly(wire.frame(wire.SESSION, self.encoder.encode(end)))
            self._wake_grader()

    def _wake_grader(self) -> None:
        if self.wake_fd is None:
            return
        try:
            os.write(self.wake_fd, b".")
        except OSError:  # the pipe is full (the grader will read the socket anyway) or gone
            pass

    def _send(self, reply: dict, request: dict, *, quiet: bool = False) -> bool:
        """Send ``reply`` (an ``unsendable`` error instead if it cannot be encoded); whether the
        reply sent was ``ok`` (a stream stops after one that is not, as the grader expects)."""
        try:
            data = self.encoder.encode(reply)
        except Exception as exc:  # noqa: BLE001 - a hostile object may raise anything while encoded
            reply = {"id": request.get("id"), "ok": False, "error": _error(
                "unsendable", f"your code returned a value that cannot be sent back: {exc}")}
            reply["output"] = self._output_tail()
            data = self.encoder.encode(reply)
        if quiet:
            self._send_quietly(wire.frame(wire.SESSION, data))
        else:
            wire.send_frame(self.sock, wire.SESSION, data)
        return bool(reply["ok"])

    def _send_quietly(self, data: bytes) -> None:
        """Queue ``data`` for the grader without waiting; if the socket buffer is full, wake the
        grader so that it reads, then wait for room."""
        try:
            sent = self.sock.send(data, socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            sent = 0
        if sent < len(data):
            self._wake_grader()
            self.sock.sendall(memoryview(data)[sent:])

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
        """Write the submission's files under the work directory and put it on ``sys.path``.

        Only source goes in: no bytecode cache (a ``__pycache__`` path is refused), nothing is
        written through a symbolic link, and once written no folder of the files may hold a
        ``__pycache__`` (one would be another session's residue: the work directory is new, in
        a scratch space the warden proved empty; the session writes none, ``become_session``).
        Such a load is refused and the work directory stays off ``sys.path``."""
        files = request["files"]
        folders = set()
        for rel, data in files.items():
            parts = rel.split("/")
            if rel.startswith("/") or any(p in ("", ".", "..", "__pycache__") for p in parts):
                raise ValueError(f"refusing file path {rel!r}")
            path = os.path.join(self.workdir, *parts)
            folder = os.path.dirname(path)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
            with open(fd, "wb") as fh:
                fh.write(data)
        stale = sorted(f for f in folders if os.path.lexists(os.path.join(f, "__pycache__")))
        if stale:
            raise RuntimeError(f"refusing to load: {os.path.relpath(stale[0], self.workdir)} already holds a "
                               "__pycache__ (bytecode left by another session)")
        sys.path.insert(0, self.workdir)
        importlib.invalidate_caches()
        return len(files)

    def op_forbid(self, request: dict):
        """Set up what the exercise about to be graded forbids: library callables (``"numpy.kron"``)
        become traps that record their use, and imports of whole modules (``"sklearn"``) are
        refused and recorded from now on (replacing the previous exercise's).

        Returns the forbidden modules that this session's code already imported: their later
        imports cannot be seen, so the grader starts a fresh session for the exercise instead.
        """
        for dotted in request.get("names", []):
            module_name, _, attr = dotted.rpartition(".")
            if module_name.split(".")[0] not in sys.modules:
                continue  # a library not loaded (or not in the sandbox): the static scan covers it
            try:
                module = sys.modules.get(module_name) or importlib.import_module(module_name)
            except ImportError:
                continue
            if hasattr(module, attr):
                setattr(module, attr, _make_trap(dotted, self.forbidden_used))
        modules = tuple(request.get("modules", ()))
        MODULE_BAN.modules = modules
        if modules and MODULE_BAN not in sys.meta_path:
            sys.meta_path.insert(0, MODULE_BAN)
        return sorted(m for m in modules if m in sys.modules and m not in self.inherited_modules)

    def op_import(self, request: dict):
        """Import an exercise's module: each exercise starts so, so what the previous exercise's
        code was caught using (``forbidden_used``) is forgotten first."""
        self.forbidden_used.clear()
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
        before = _argument_states(args, kwargs) if request.get("pure") else None
        value = func(*args, **kwargs)
        if before is not None:
            changed = _changed_argument(func, args, kwargs, before)
            if changed is not None:
                raise StudentCodeError(_error("modified", f"modified its argument {changed} in place; it must leave "
                                                          "its arguments as they were and return new values"))
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
            except StudentCodeError as exc:
                results.append({"ok": False, "error": exc.args[0]})
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
        if kind is wire.AnswerRef:
            return self._kept_answer(value)
        return value

    def _keep_answer(self, index: int, value) -> None:
        """Keep the encoding of the stream's answer ``index`` as sent (later calls refer to it)."""
        try:
            self.kept_answers[index] = self.encoder.encode(value)
        except Exception:  # noqa: BLE001 - unsendable: the reply says so, and the stream stops there
            pass

    def _kept_answer(self, ref: wire.AnswerRef):
        """What the grader would have passed back of an earlier answer: a fresh decoding of the
        answer as this session sent it, at ``ref.path``."""
        data = self.kept_answers.get(ref.index)
        if data is None:
            raise StudentCodeError(_error("internal", f"the grader referred to answer {ref.index}, "
                                                      "which this stream does not hold"))
        value = self._from_wire(self.answer_decoder.decode(data))
        for step in ref.path:
            value = value[step]
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


def _state(value):
    """What a call may not change of an argument: its arrays' shapes, dtypes and bytes, and its
    lists' and dicts' contents, recursively (numbers and strings cannot change in place; other
    objects are not looked at)."""
    kind = type(value)
    if kind is numpy.ndarray:
        return ("array", value.shape, value.dtype.str, value.tobytes())
    if kind is list or kind is tuple:
        return (kind.__name__, tuple(_state(item) for item in value))
    if kind is dict:
        return ("dict", tuple((key, _state(item)) for key, item in value.items()))
    if TORCH is not None and isinstance(value, TORCH.Tensor):
        return ("tensor", tuple(value.shape), str(value.dtype), value.detach().cpu().numpy().tobytes())
    return None


def _argument_states(args: list, kwargs: dict) -> tuple[list, dict]:
    return [_state(a) for a in args], {k: _state(v) for k, v in kwargs.items()}


def _changed_argument(func, args: list, kwargs: dict, before: tuple[list, dict]) -> str | None:
    """The first argument the call changed in place, named as the function's signature names it
    (``cache``; ``argument 2`` where the signature cannot be read), or None."""
    states, kw_states = before
    for index, (arg, state) in enumerate(zip(args, states)):
        if state is not None and _state(arg) != state:
            return _parameter_name(func, index)
    for key, state in kw_states.items():
        if state is not None and _state(kwargs[key]) != state:
            return key
    return None


def _parameter_name(func, index: int) -> str:
    try:
        names = [p.name for p in inspect.signature(func).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    return names[index] if index < len(names) else f"argument {index + 1}"


def _referenced_answers(calls: list) -> frozenset[int]:
    """The indices of the stream's answers that its calls refer to (:class:`wire.AnswerRef`)."""
    found: set[int] = set()
    pending: list = [calls]
    while pending:
        value = pending.pop()
        kind = type(value)
        if kind is wire.AnswerRef:
            found.add(value.index)
        elif kind is list or kind is tuple:
            pending.extend(value)
        elif kind is dict:
            pending.extend(value.values())
    return frozenset(found)


def stream_op(item: dict) -> str:
    """The request a stream's item stands for: ``batch`` if it says so (several calls), else ``call``."""
    return "batch" if item.get("op") == "batch" else "call"


def _torch():
    """The torch module, imported on first need when it was not preloaded (None if absent)."""
    global TORCH
    if TORCH is None:
        try:
            with MODULE_BAN.paused():  # the grader's tensors, not the student's import
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
    if isinstance(value, numpy.ndarray):
        array = numpy.asarray(value)
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
    namespace: dict = {"np": numpy, "numpy": numpy, "math": math, "__builtins__": __builtins__}
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
        "type": _sendable(type_name),
        "message": _sendable(message[:MAX_MESSAGE_CHARS]),
        "location": _sendable(location),
        "traceback": _sendable(tb[-MAX_TRACEBACK_CHARS:]),
    }


def _sendable(text: str) -> str:
    """``text`` as UTF-8 can carry it: a lone surrogate (an exception message made from bytes
    that were not UTF-8, say) becomes its escape (``\\udce9``) instead of making the whole reply
    unsendable."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


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


def become_session(session_fd: int, session_id: int, limits: dict, scratch: str,
                   wake_fd: int | None = None) -> None:
    """Turn the freshly forked child into a session: private fds, limits, work dir; then serve.
    ``wake_fd`` is the write end of the grader's wake-up pipe (for quiet streams), if any."""
    # Bytecode never crosses sessions: none is written (whatever imports the student's code makes;
    # the warden's PYTHONDONTWRITEBYTECODE says so to anything it starts), and the work
    # directory and output file are new, in the folder the warden just made in a scratch space it
    # proved empty (if either is there already, the session ends here instead: status 70).
    sys.dont_write_bytecode = True
    session_dir = os.path.join(scratch, "session")
    workdir = os.path.join(session_dir, "work")
    os.mkdir(workdir)
    output_path = os.path.join(session_dir, "output.txt")
    out_fd = os.open(output_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_APPEND, 0o600)
    null_fd = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null_fd, 0)
    os.dup2(out_fd, 1)
    os.dup2(out_fd, 2)
    read_fd = os.open(output_path, os.O_RDONLY)
    if wake_fd is not None:
        os.set_blocking(wake_fd, False)  # a pipe the student's code filled never holds up a reply
    keep = sorted({session_fd, read_fd} | ({wake_fd} if wake_fd is not None else set()))
    low = 3
    for fd in keep:
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, 65536)
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
    SessionServer(sock, session_id, workdir, read_fd, limits, wake_fd).serve()
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
        total = task_count() + int(limits["nproc"])
        _setrlimit(resource.RLIMIT_NPROC, total)
    if limits.get("nofile"):
        _setrlimit(resource.RLIMIT_NOFILE, int(limits["nofile"]))
    # No POSIX message queue (mq_open): it would live in the sandbox's IPC namespace, which
    # the warden cannot list without mounting mqueue. SysV IPC it lists and removes.
    if hasattr(resource, "RLIMIT_MSGQUEUE"):
        resource.setrlimit(resource.RLIMIT_MSGQUEUE, (0, 0))


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def task_count() -> int:
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


def _set_dumpable(value: bool) -> None:
    """PR_SET_DUMPABLE: whether same-uid processes may ptrace this one or read its /proc."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(4, 1 if value else 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass

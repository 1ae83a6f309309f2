"""The grader's side of a worker: start a sandboxed warden, open sessions, make calls.

A :class:`Worker` owns one sandbox and its warden process. :meth:`Worker.open_session` forks a
fresh session for one submission (or one exercise of it); :meth:`Session.request` sends one
request and returns the validated :class:`~graders.protocol.Reply`. A request that outlives its
deadline, a session that dies, and a reply that is not well formed all end the session and
raise :class:`~graders.errors.WorkerLost`; the next ``open_session`` starts over (a new
sandbox too, if the old one died).
"""
from __future__ import annotations

import os
import select
import signal
import time
from typing import Any

from graders import wire
from graders.errors import GeodlError, ProtocolError, WorkerLost
from graders.protocol import Reply, Request, control_message
from graders.sandbox import Sandbox, SandboxLimits, SandboxProcess, WorkerOptions

START_TIMEOUT_S = 180.0
CLOSE_TIMEOUT_S = 10.0

SIGNAL_MEANINGS = {
    signal.SIGSEGV: "a segmentation fault (a crash in native code)",
    signal.SIGABRT: "an abort (a fatal error in native code)",
    signal.SIGKILL: "SIGKILL (usually the memory limit)",
    signal.SIGXCPU: "exceeding its CPU time limit",
    signal.SIGXFSZ: "exceeding the output size limit",
    signal.SIGBUS: "a bus error (a crash in native code)",
    signal.SIGFPE: "a floating-point exception in native code",
}


class _FrameReader:
    """Reads frames from a file descriptor with a deadline, keeping partial data between calls."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = bytearray()

    def read(self, deadline: float) -> tuple[int, bytes] | None:
        """The next frame, ``None`` at end of file; ``TimeoutError`` after ``deadline``."""
        while True:
            if len(self.buffer) >= wire.HEADER.size:
                length, channel = wire.parse_header(bytes(self.buffer[: wire.HEADER.size]))
                end = wire.HEADER.size + length
                if len(self.buffer) >= end:
                    payload = bytes(self.buffer[wire.HEADER.size: end])
                    del self.buffer[:end]
                    return channel, payload
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk


class Worker:
    """One sandboxed warden. Use as a context manager, or call :meth:`stop`.

    Parameters
    ----------
    sandbox : Sandbox
        The backend that runs the warden.
    limits : SandboxLimits
    options : WorkerOptions
    slot : int
        Which parallel worker this is (the bwrap backend gives each slot its own uid).
    """

    def __init__(self, sandbox: Sandbox, *, limits: SandboxLimits | None = None,
                 options: WorkerOptions | None = None, slot: int = 0):
        self.sandbox = sandbox
        self.limits = limits or SandboxLimits()
        self.options = options or WorkerOptions()
        self.slot = slot
        self.process: SandboxProcess | None = None
        self.reader: _FrameReader | None = None
        self.info: dict = {}
        self.next_session = 1
        self.starts = 0
        self.encoder = wire.Encoder()
        self.decoder = wire.Decoder()

    # -- lifecycle
    def __enter__(self) -> "Worker":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.alive()

    def start(self) -> dict:
        """Start the sandbox and wait until the warden has preloaded its modules."""
        if self.alive:
            return self.info
        self.stop()
        self.process = self.sandbox.start(self.options, self.limits, slot=self.slot)
        self.reader = _FrameReader(self.process.stdout_fd)
        self.starts += 1
        deadline = time.monotonic() + START_TIMEOUT_S
        try:
            frame = self.reader.read(deadline)
        except TimeoutError:
            frame = None
        if frame is None or frame[0] != wire.CONTROL:
            reason = self.process.exit_reason()
            stderr = self.process.stderr_tail() if not self.process.alive() else ""
            self.stop()
            raise GeodlError(f"the {self.sandbox.name} worker did not start: {reason}",
                             reference="worker-start-failed", context=stderr.strip()[-1500:])
        self.info = control_message(self.decoder.decode(frame[1]), expected_ops=("ready",))
        return self.info

    def stop(self) -> None:
        """End the warden and everything in its sandbox."""
        if self.process is None:
            return
        if self.process.alive():
            try:
                self._send(wire.CONTROL, {"op": "exit"})
            except OSError:
                pass
        self.process.terminate()
        self.process = None
        self.reader = None

    def open_session(self) -> "Session":
        """Fork a fresh session (restarting the sandbox first if it died)."""
        if not self.alive:
            self.start()
        session_id = self.next_session
        self.next_session += 1
        try:
            self._send(wire.CONTROL, {"op": "open", "session": session_id, "limits": self.limits.session_limits()})
            reply = self._await_control(("opened",), time.monotonic() + 30)
        except (OSError, TimeoutError, ProtocolError):
            self.stop()
            self.start()
            return self.open_session()
        return Session(self, session_id, int(reply.get("pid", 0)))

    # -- plumbing
    def _send(self, channel: int, message: Any) -> None:
        if self.process is None:
            raise BrokenPipeError("the worker is not running")
        data = wire.frame(channel, self.encoder.encode(message))
        view = memoryview(data)
        fd = self.process.stdin_fd
        while view:
            view = view[os.write(fd, view):]

    def _await_control(self, ops: tuple[str, ...], deadline: float) -> dict:
        """Read until a control message with one of ``ops``, dropping stale session frames."""
        while True:
            frame = self.reader.read(deadline)
            if frame is None:
                raise BrokenPipeError("the worker exited")
            channel, payload = frame
            if channel != wire.CONTROL:
                continue
            message = self.decoder.decode(payload)
            if isinstance(message, dict) and message.get("op") in ops:
                return message


class Session:
    """One forked session of a worker: the submission's files, imports and calls."""

    def __init__(self, worker: Worker, session_id: int, pid: int):
        self.worker = worker
        self.id = session_id
        self.pid = pid
        self.next_id = 1
        self.closed = False
        self.lost: WorkerLost | None = None

    def request(self, op: str, fields: dict | None = None, *, timeout_s: float) -> Reply:
        """Send one request and return its validated reply.

        Raises
        ------
        WorkerLost
            ``status='timeout'`` past ``timeout_s``; ``status='crashed'`` if the session died,
            the sandbox died, or the reply was malformed. The session is closed either way.
        """
        if self.lost is not None:
            raise self.lost
        if self.closed:
            raise WorkerLost("crashed", "the session was already closed")
        request = Request(self.next_id, op, fields or {})
        self.next_id += 1
        worker = self.worker
        try:
            worker._send(wire.SESSION, request.to_json())
        except OSError:
            self._lose("crashed", self._describe_death(None))
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                frame = worker.reader.read(deadline)
            except TimeoutError:
                self._lose("timeout", f"exceeded the {timeout_s:g} s time limit")
            if frame is None:
                self._lose("crashed", self._describe_death(None))
            channel, payload = frame
            try:
                message = worker.decoder.decode(payload)
                if channel == wire.CONTROL:
                    if isinstance(message, dict) and message.get("op") == "session_lost":
                        self._lose("crashed", self._describe_death(message))
                    continue
                return Reply.from_json(message, expected_id=request.id)
            except (wire.WireError, ProtocolError) as exc:
                self._lose("crashed", f"your code's process sent a malformed reply ({exc})")

    def close(self) -> dict:
        """End the session: the warden kills what it started and wipes its scratch space."""
        if self.closed:
            return {}
        self.closed = True
        worker = self.worker
        if not worker.alive:
            return {}
        try:
            worker._send(wire.CONTROL, {"op": "close", "session": self.id})
            return worker._await_control(("closed",), time.monotonic() + CLOSE_TIMEOUT_S)
        except (OSError, TimeoutError, ProtocolError):
            worker.stop()  # a warden that cannot clean up is replaced with its whole sandbox
            return {}

    def _lose(self, status: str, message: str) -> None:
        """Close the session and raise ``WorkerLost(status, message)``."""
        self.close()
        self.lost = WorkerLost(status, message)
        raise self.lost

    def _describe_death(self, report: dict | None) -> str:
        """A student-facing sentence for how the session (or the whole sandbox) ended."""
        worker = self.worker
        if report is None:
            process = worker.process
            reason = process.exit_reason() if process is not None else "the worker stopped"
            worker.stop()
            return f"the sandbox running your code died: {reason}"
        if report.get("junk"):
            return f"your code's process sent a malformed reply ({report['junk']})"
        sig = report.get("signal")
        if sig:
            try:
                name = signal.Signals(sig)
            except ValueError:
                return f"the process running your code was killed by signal {sig}"
            meaning = SIGNAL_MEANINGS.get(name, name.name)
            return f"the process running your code was killed by {meaning}"
        code = report.get("exit")
        if code is not None:
            return f"the process running your code exited (status {code}); does your code call os._exit() or kill itself?"
        return "the process running your code hung up"

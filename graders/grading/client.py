"""The grader's side of a worker: start a sandboxed warden, open sessions, make calls.

A :class:`Worker` owns one sandbox and its warden, reached over a Unix control socket.
:meth:`Worker.open_session` makes a fresh socketpair, hands one end to the warden (SCM_RIGHTS)
and the warden forks a session that serves on it: session traffic goes straight between the
grader and the session, never through the warden. :meth:`SessionClient.request` sends one request and
returns the validated :class:`~graders.grading.protocol.Reply`. A request that outlives its deadline, a
session that dies, and a reply that is not well formed all end the session and raise
:class:`~graders.errors.WorkerLost`; the next ``open_session`` starts over (in a new sandbox too,
if the old one died).

Nothing the session says is trusted: deadlines are kept on the grader's own clock (never moved by
the durations replies report), a reply longer than the session's reply limit
(``Worker.max_reply_bytes``, which the session is told) is refused at its header, and every reply
is decoded within a budget of memory (:class:`graders.worker.wire.Decoder`).
"""
from __future__ import annotations

import math
import os
import select
import signal
import socket
import time
from typing import Any, Callable, Iterator, NoReturn, Protocol

from graders.errors import GeodlError, ProtocolError, WorkerLost
from graders.grading.numbers import seconds
from graders.grading.protocol import Op, Reply, Request, control_message
from graders.sandbox import Sandbox, SandboxLimits, SandboxProcess, WorkerOptions
from graders.worker import wire

START_TIMEOUT_S = 180.0
CONTROL_TIMEOUT_S = 30.0
CLOSE_TIMEOUT_S = 10.0
LOST_REPORT_TIMEOUT_S = 2.0
#: the largest control message accepted from the warden (its messages are a few hundred bytes)
CONTROL_FRAME_BYTES = 2**20
#: how often, at least, a quiet stream's grader looks for replies: this share of the running call's limit
#: (a call that hangs is caught within its limit and this much more; see SessionClient.quiet_stream)
QUIET_POLL_SHARE = 1 / 8
#: what the grader allows a quiet stream with a budget for its start (the request reaching the session)
STREAM_START_SLACK_S = 1.0

SIGNAL_MEANINGS = {
    signal.SIGSEGV: "a segmentation fault (a crash in native code)",
    signal.SIGABRT: "an abort (a fatal error in native code)",
    signal.SIGKILL: "SIGKILL (usually the memory limit)",
    signal.SIGXCPU: "exceeding its CPU time limit",
    signal.SIGXFSZ: "exceeding the output size limit",
    signal.SIGBUS: "a bus error (a crash in native code)",
    signal.SIGFPE: "a floating-point exception in native code",
}


class SessionAPI(Protocol):
    """What grading needs of one session: :class:`SessionClient` for a sandboxed worker (and the
    benchmarks' in-process floor, ``tests/support/inprocess.py``, which must never see untrusted
    code)."""

    lost: WorkerLost | None
    closed: bool

    def request(self, op: Op, fields: dict | None = None, *, timeout_s: float) -> Reply:
        ...

    def quiet_stream(self, calls: list[dict], *, timeout_s: Callable[..., float], budget_s: float | None = None,
                     encoded_calls: bytes | None = None, budgets: list[int] | None = None) -> list[Reply]:
        ...

    def close(self) -> Any:
        ...


class _Named(Protocol):
    @property
    def name(self) -> str:
        ...


class WorkerAPI(Protocol):
    """What grading needs of a worker: fresh sessions, what the warden said of itself (``info``:
    ``cuda``...), how often its sandbox started, and its backend's name."""

    info: dict
    starts: int

    @property
    def sandbox(self) -> _Named:
        ...

    def open_session(self) -> SessionAPI:
        ...


class Channel(wire.FrameReader):
    """Frames over a non-blocking socket, with deadlines on both reading and writing (the
    buffering and frame parsing are :class:`wire.FrameReader`'s).

    A frame longer than ``max_frame_bytes`` is refused as soon as its header is read (its bytes
    are never buffered: :class:`wire.WireError` from :meth:`pending`). One longer than a
    receive's worth is received in place, into a buffer of its size, rather than piecewise
    into the shared buffer and then copied: its payload is then a ``bytearray``."""

    def __init__(self, sock: socket.socket, *, max_frame_bytes: int = wire.MAX_FRAME_BYTES):
        super().__init__(sock, max_frame_bytes=max_frame_bytes)
        sock.setblocking(False)
        self._large: bytearray | None = None  #: the payload of a large frame being received
        self._large_channel = 0
        self._large_filled = 0

    def fileno(self) -> int:
        return self.sock.fileno()

    def fill(self) -> bool:
        """Take what the socket has (it must be readable); False at end of stream."""
        return self.receive() is not False

    def pending(self) -> tuple[int, bytes | bytearray] | None:
        """A complete frame already received, if any; :class:`wire.WireError` for a header that
        announces an oversized frame or an unknown channel."""
        large = self._large
        if large is not None:
            if self._large_filled < len(large):
                return None
            self._large = None
            return self._large_channel, large
        buffer = self.buffer
        if len(buffer) < wire.HEADER.size:
            return None
        length, channel = wire.parse_header(buffer, self.max_frame_bytes)
        end = wire.HEADER.size + length
        if len(buffer) < end:
            if length > wire.RECV_BYTES:  # too large to gather piecewise: received in place from now on
                large = self._large = bytearray(length)
                with memoryview(buffer) as view:
                    part = view[wire.HEADER.size:]
                    large[:len(part)] = part
                    self._large_filled = len(part)
                    part.release()
                del buffer[:]
                self._large_channel = channel
            return None
        with memoryview(buffer) as view:
            payload = bytes(view[wire.HEADER.size:end])  # one copy (a bytearray slice would make two)
        del buffer[:end]
        return channel, payload

    def partial(self) -> bool:
        """Whether part of a frame has come, but not all of it."""
        return bool(self.buffer) or self._large is not None

    def receive(self) -> bool | None:
        """Append what the socket has to the buffer (or the large frame being received): True if
        anything came, None if nothing is there yet, False at end of stream."""
        large = self._large
        try:
            if large is not None and self._large_filled < len(large):
                with memoryview(large) as view:
                    got = self.sock.recv_into(view[self._large_filled:])
                if not got:
                    return False
                self._large_filled += got
                return True
            data = self.sock.recv(wire.RECV_BYTES)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError:
            return False
        if not data:
            return False
        self.buffer += data
        return True

    def next_frame(self, deadline: float) -> tuple[int, bytes | bytearray] | None:
        """The next frame; None at end of stream; ``TimeoutError`` after ``deadline``."""
        while True:
            frame = self.pending()
            if frame is not None:
                return frame
            received = self.receive()  # try first: the reply is usually there, and a select costs a syscall
            if received is False:
                return None
            if received:
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                raise TimeoutError

    def send(self, data: bytes, deadline: float, fds: list[int] | None = None) -> None:
        """Send all of ``data`` before ``deadline`` (``TimeoutError``), ``fds`` with the first byte."""
        view = memoryview(data)
        while view:
            try:  # try first: the socket is almost always writable, and a select costs a syscall
                if fds:
                    sent = socket.send_fds(self.sock, [view], fds)
                    fds = None
                else:
                    sent = self.sock.send(view)
                view = view[sent:]
                continue
            except (BlockingIOError, InterruptedError):
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            select.select([], [self.sock], [], remaining)

    def close(self) -> None:
        self._large = None  # what was received of a frame that never came whole
        self.buffer = bytearray()
        try:
            self.sock.close()
        except OSError:
            pass


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
        self.control: Channel | None = None
        self._launched_at = 0.0
        self.info: dict = {}
        self.next_session = 1
        self.starts = 0
        self.lost_reports: dict[int, dict] = {}
        #: sessions told to close whose "closed" has not come yet (the warden cleans up while the
        #: grader goes on; the next session opens only after)
        self.closing: set[int] = set()
        #: The largest reply a session may send: the session's encoder refuses to send more (it is
        #: told this value when it opens), and the grader refuses a larger frame at its header.
        self.max_reply_bytes = int(self.limits.session_limits().get("max_reply_bytes", wire.MAX_REPLY_BYTES))
        self.encoder = wire.Encoder()
        self.decoder = wire.Decoder(max_frame_bytes=max(self.max_reply_bytes, CONTROL_FRAME_BYTES))

    # -- lifecycle
    def __enter__(self) -> "Worker":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.alive() and self.control is not None

    def launch(self) -> None:
        """Start the sandbox without waiting for it: the warden preloads while the caller does
        other work; :meth:`start` (or the first session) then waits until it is ready."""
        if self.process is not None and self.process.alive():
            return  # launched already (ready or not)
        self.stop()
        self._launched_at = time.monotonic()
        self.process = self.sandbox.start(self.options, self.limits, slot=self.slot)
        self.starts += 1

    def start(self) -> dict:
        """Start the sandbox (unless :meth:`launch` did) and wait until the warden has preloaded
        its modules."""
        if self.alive:
            return self.info
        self.launch()
        deadline = self._launched_at + START_TIMEOUT_S
        process = self.process
        if process is None:
            raise GeodlError(f"the {self.sandbox.name} worker did not launch", reference="worker-start-failed")
        try:
            self.control = Channel(process.connect_control(deadline), max_frame_bytes=CONTROL_FRAME_BYTES)
            frame = self.control.next_frame(deadline)
        except (TimeoutError, OSError):
            frame = None
        if frame is None or frame[0] != wire.CONTROL:
            reason = process.exit_reason()
            process.terminate()
            stderr = process.stderr_tail()
            self.process, self.control = None, None
            raise GeodlError(f"the {self.sandbox.name} worker did not start: {reason}",
                             reference="worker-start-failed", context=stderr.strip()[-1500:])
        self.info = control_message(self.decoder.decode(frame[1]), expected_ops=("ready",))
        if self.info.get("version") != wire.PROTOCOL_VERSION:
            version = self.info.get("version")
            self.stop()
            raise GeodlError(f"the {self.sandbox.name} worker speaks protocol {version!r}, the graders "
                             f"{wire.PROTOCOL_VERSION}", reference="worker-protocol-mismatch",
                             hint="its copy of graders/worker.py, session.py and wire.py is older or newer than "
                                  "the graders': rebuild the worker image (scripts/build-worker-image)")
        return self.info

    def stop(self) -> None:
        """End the warden and everything in its sandbox."""
        if self.process is None:
            return
        if self.control is not None and self.process.alive():
            try:
                self._send_control({"op": "exit"})
            except (OSError, TimeoutError):
                pass
        if self.control is not None:
            self.control.close()
        self.process.terminate()
        self.process, self.control = None, None
        self.closing.clear()

    def open_session(self) -> "SessionClient":
        """Fork a fresh session (restarting the sandbox first if it died)."""
        for attempt in range(2):
            self.settle()
            if not self.alive:
                self.start()
            session_id = self.next_session
            self.next_session += 1
            ours, theirs = socket.socketpair()
            wake_read, wake_write = os.pipe()  # the session's "come and read" for quiet streams
            os.set_blocking(wake_read, False)
            try:
                try:
                    limits = {**self.limits.session_limits(), "max_reply_bytes": self.max_reply_bytes}
                    self._send_control({"op": "open", "session": session_id, "limits": limits},
                                       fds=[theirs.fileno(), wake_write])
                finally:  # the warden has its own copies now, or never will
                    theirs.close()
                    os.close(wake_write)
                reply = self.await_control(("opened",), time.monotonic() + CONTROL_TIMEOUT_S)
                channel = Channel(ours, max_frame_bytes=self.max_reply_bytes)
                return SessionClient(self, session_id, int(reply.get("pid", 0)), channel, wake_read)
            except (OSError, TimeoutError, ProtocolError, wire.WireError):
                ours.close()
                os.close(wake_read)
                self.stop()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    # -- control channel
    def _send_control(self, message: dict, fds: list[int] | None = None) -> None:
        if self.control is None:
            raise BrokenPipeError("the worker is not running")
        data = wire.frame(wire.CONTROL, self.encoder.encode(message))
        self.control.send(data, time.monotonic() + CONTROL_TIMEOUT_S, fds=fds)

    def await_control(self, ops: tuple[str, ...], deadline: float) -> dict:
        """Read control messages until one with an op in ``ops`` (keeping session-loss reports)."""
        while True:
            if self.control is None:
                raise BrokenPipeError("the worker is not running")
            frame = self.control.next_frame(deadline)
            if frame is None:
                raise BrokenPipeError("the worker's control socket closed")
            message = self.decoder.decode(frame[1])
            if not isinstance(message, dict):
                continue
            self._note(message)
            if message.get("op") in ops:
                return message

    def _note(self, message: dict) -> None:
        """Keep what a control message says of sessions: a loss report, or a close done."""
        if message.get("op") == "session_lost" and isinstance(message.get("session"), int):
            self.lost_reports[message["session"]] = message
        elif message.get("op") == "closed":
            self.closing.discard(message.get("session"))

    def settle(self, session_id: int | None = None) -> dict:
        """Wait until the warden has cleaned up after every session told to close (the next
        session waits for that anyway); a warden that cannot is replaced with its whole sandbox.
        Returns the cleanup report of ``session_id``, if it was among them (else ``{}``)."""
        report: dict = {}
        if not self.closing:
            return report
        if not self.alive:
            self.closing.clear()
        deadline = time.monotonic() + CLOSE_TIMEOUT_S
        try:
            while self.closing:
                message = self.await_control(("closed",), deadline)
                if message.get("session") == session_id:
                    report = message
        except (OSError, TimeoutError, ProtocolError, wire.WireError):
            self.stop()
        return report


class SessionClient:
    """One forked session of a worker: the submission's files, imports and calls."""

    def __init__(self, worker: Worker, session_id: int, pid: int, channel: Channel, wake_fd: int):
        self.worker = worker
        self.id = session_id
        self.pid = pid
        self.channel = channel
        #: read end of the pipe the session writes to when a quiet stream needs the grader (None once closed)
        self.wake_fd: int | None = wake_fd
        self.next_id = 1
        self.closed = False
        self.lost: WorkerLost | None = None

    def request(self, op: Op, fields: dict | None = None, *, timeout_s: float) -> Reply:
        """Send one request and return its validated reply.

        The time limit is kept on the grader's clock; the reply's ``duration_s`` (the session's
        own measure) is at most the time the grader waited for it.

        Raises
        ------
        WorkerLost
            ``status='timeout'`` past ``timeout_s``; ``status='crashed'`` if the session died,
            the sandbox died, or the reply was malformed. The session is closed either way.
        """
        sent = time.monotonic()
        request_id = self._send_request(op, fields, sent + timeout_s, timeout_s)
        reply = self._read_reply(request_id, time.monotonic() + timeout_s, timeout_s)
        return reply.within(time.monotonic() - sent)

    def stream(self, calls: list[dict], *, timeout_s) -> "Iterator[Reply]":
        """Send ``calls`` (the fields of ``call`` requests) in one ``stream`` request and yield
        the reply of each as it arrives, in order, up to the first that is not ``ok``: the
        session runs none after a failing call (an out-of-memory error, say, is not repeated).
        ``timeout_s()`` gives each call's time limit when its wait begins, so every call is held
        to its own limit, as if sent alone, on the grader's clock (from when the grader asks for
        its reply, which is never before the previous one arrived). Read the stream to its end
        before the next request."""
        first = timeout_s()
        sent = time.monotonic()
        request_id = self._send_request("stream", {"calls": calls}, sent + first, first)
        reported = 0.0  # what the replies so far say their calls took (no more than the grader saw pass)
        for index in range(len(calls)):
            limit = first if index == 0 else self._next_limit(timeout_s)
            reply = self._read_reply(request_id, time.monotonic() + limit, limit)
            reply = reply.within(time.monotonic() - sent - reported)
            reported += reply.duration_s
            yield reply
            if not reply.ok:
                return

    def quiet_stream(self, calls: list[dict], *, timeout_s, budget_s: float | None = None,
                     encoded_calls: bytes | None = None, budgets: list[int] | None = None) -> list[Reply]:
        """Like :meth:`stream`, but without waking up for each reply: the replies, up to and
        including the first that is not ``ok``, all at once. With ``budget_s``, the session
        stops early, after the call that takes the stream's time past it: fewer replies, all
        ``ok``; the calls not made are the caller's to make. ``encoded_calls``, the wire
        encoding of ``calls`` (for a caller that sends the same calls again and again), spares
        encoding them. ``calls`` may hold ``batch`` requests too (``"op": "batch"``); ``budgets``
        says how many calls each item holds, and ``timeout_s(n)`` gives the limit of an item of
        ``n`` calls (``timeout_s()`` of one).

        The session queues each reply on the socket as its call returns, and writes to the
        wake-up pipe when the stream has ended (or the socket buffer is full), so that the
        grader and the session, often sharing a core, switch once per stream instead of once
        per call. Woken before the end, the grader reads the rest of the stream as it comes.

        Each call is still held to its own limit (``timeout_s(n)`` when it begins), on the
        grader's clock alone: the running call began, at the latest, when the grader saw the
        reply before it arrive, so its deadline is that moment plus its limit. What the session
        says of its calls' durations moves no deadline (it could say anything), and each reply's
        ``duration_s`` is cut to what the grader's clock allows. To see replies arrive while it
        waits on the wake-up pipe, the grader looks at the socket every ``QUIET_POLL_SHARE`` of
        the running call's limit: a call that hangs is caught between its limit and 1 1/8 of it
        after it began (a stream of quick calls never waits that long). With ``budget_s``, no
        call is taken to have begun later than ``budget_s`` (and ``STREAM_START_SLACK_S``)
        after the stream was sent: the session starts none after that, however it sees time.
        A session that dies or hangs is reported against the call that was running, as with
        :meth:`stream`.

        Raises
        ------
        WorkerLost
            As :meth:`request`, with ``index``: the position in ``calls`` of the call that was
            running, and ``replies``: those of the calls before it.
        """
        replies: list[Reply] = []
        try:
            budgets = budgets or [1] * len(calls)
            self._ensure_open()
            limit = timeout_s(budgets[0])
            self._take_wakeups()  # a wake-up left over from an earlier stream
            sent = time.monotonic()
            fields: dict[str, Any] = {"quiet": True}
            if budget_s is not None:
                fields["budget_s"] = budget_s
            fields["calls"] = [] if encoded_calls is not None else calls
            request_id = self._send_request("stream", fields, sent + limit, limit, encoded_last=encoded_calls)
            # The running call began no later than when the grader saw the reply before it
            # (``began``), nor, with a budget, than when the session must have stopped starting calls.
            latest = sent + budget_s + STREAM_START_SLACK_S if budget_s is not None else math.inf
            began, answered, reported = sent, 0, 0.0
            watched: Any = self.wake_fd  # the wake-up pipe, then (woken before the end) the socket
            state = self._take_replies(request_id, replies, len(calls))
            while True:
                now = time.monotonic()
                if len(replies) > answered:
                    reported = _cap_durations(replies, answered, now - sent, reported)
                    began, answered = now, len(replies)
                    if state == "more":
                        limit = self._next_limit(lambda: timeout_s(budgets[min(answered, len(budgets) - 1)]))  # noqa: B023 - called at once
                if state == "end":
                    return replies
                if state == "eof":
                    self._lose("crashed", self._describe_death())
                remaining = min(began, latest) + limit - now
                if remaining > 0:
                    ready = select.select([watched], [], [], min(remaining, limit * QUIET_POLL_SHARE))[0]
                    if ready and watched == self.wake_fd:
                        # Woken before the end marker came (the session waits for room in a full
                        # socket buffer, or the student's code wrote to the pipe or closed it):
                        # the rest of the stream is read from the socket as it comes.
                        self._take_wakeups()
                        watched = self.channel.sock
                    state = self._take_replies(request_id, replies, len(calls))
                    if watched == self.wake_fd and self.channel.partial():
                        # Part of a frame came, and no wake-up: something writes more than the
                        # socket holds without waking the grader (the student's code, writing to
                        # the socket itself). The rest is read from the socket as it comes.
                        watched = self.channel.sock
                    continue
                state = self._take_replies(request_id, replies, len(calls))
                if state == "more" and len(replies) == answered:
                    self._lose("timeout", f"exceeded the {seconds(limit)} time limit")
        except WorkerLost as lost:
            lost.index, lost.replies = len(replies), replies
            raise

    def _next_limit(self, timeout_s) -> float:
        """The next call's limit in a stream; if there is none (the exercise's budget is spent),
        the session ends with the stream unread, so that no later request reads its replies."""
        try:
            return timeout_s()
        except WorkerLost:
            self.close()
            raise

    def _take_wakeups(self) -> None:
        """Empty the wake-up pipe (of what is there now)."""
        if self.wake_fd is None:
            return
        try:
            os.read(self.wake_fd, 65536)
        except OSError:  # nothing there (the read end is non-blocking)
            pass

    def _take_replies(self, request_id: int, replies: list[Reply], expected: int) -> str:
        """Append the quiet stream's replies that have arrived: ``"end"`` once its end marker
        has, ``"eof"`` if the socket reached its end first, else ``"more"``."""
        problem: str | None = None
        while True:
            try:
                frame = self.channel.pending()
            except wire.WireError as exc:
                problem = str(exc)
            if problem is not None:
                self._lose_to_malformed(problem)
            if frame is None:
                received = self.channel.receive()
                if received is None:
                    return "more"
                if received is False:
                    return "eof"
                continue
            try:
                raw = self.worker.decoder.decode(frame[1])
                if isinstance(raw, dict) and raw.get("end") is True and raw.get("id") == request_id:
                    return "end"
                if len(replies) >= expected or (replies and not replies[-1].ok):
                    raise ProtocolError("more replies than calls in a stream")
                replies.append(Reply.from_json(raw, expected_id=request_id))
            except (wire.WireError, ProtocolError) as exc:
                problem = str(exc)
            if problem is not None:
                frame = raw = None  # the loss's traceback keeps this frame: not the reply's bytes
                self._lose_to_malformed(problem)

    def _ensure_open(self) -> None:
        """``WorkerLost`` if the session was lost or closed."""
        if self.lost is not None:
            raise self.lost
        if self.closed:
            raise WorkerLost("crashed", "the session was already closed")

    def _send_request(self, op: Op, fields: dict | None, deadline: float, timeout_s: float, *,
                      encoded_last: bytes | None = None) -> int:
        """Send a request; ``encoded_last`` is the encoding of its last field, which ``fields``
        then holds as an empty list."""
        self._ensure_open()
        request = Request(self.next_id, op, fields or {})
        self.next_id += 1
        payload = self.worker.encoder.encode(request.to_json())
        if encoded_last is not None:
            payload = wire.splice_last(payload, encoded_last)
        data = wire.frame(wire.SESSION, payload)
        try:
            self.channel.send(data, deadline)
        except TimeoutError:
            self._lose("timeout", f"exceeded the {seconds(timeout_s)} time limit")
        except OSError:
            self._lose("crashed", self._describe_death())
        return request.id

    def _read_reply(self, request_id: int, deadline: float, timeout_s: float) -> Reply:
        problem: str | None = None
        try:
            frame = self.channel.next_frame(deadline)
        except TimeoutError:
            self._lose("timeout", f"exceeded the {seconds(timeout_s)} time limit")
        except wire.WireError as exc:
            problem = str(exc)
        if problem is not None:
            self._lose_to_malformed(problem)
        if frame is None:
            self._lose("crashed", self._describe_death())
        try:
            return Reply.from_json(self.worker.decoder.decode(frame[1]), expected_id=request_id)
        except (wire.WireError, ProtocolError) as exc:
            problem = str(exc)
        frame = None  # the loss's traceback keeps this frame: not the reply's bytes
        self._lose_to_malformed(str(problem))

    def _lose_to_malformed(self, problem: str) -> NoReturn:
        """Lose the session to a reply that is not well formed. Called outside the ``except``
        clause that caught the problem, so that the loss (kept, and raised again) does not hold
        the problem's traceback, and with it the reply's bytes, as its context."""
        self._lose("crashed", f"your code's process sent a malformed reply ({problem})")

    def close(self, *, wait: bool = False) -> dict:
        """End the session: the warden kills what it started and wipes its scratch space, while
        the grader goes on (the worker's next session opens once that is done). Returns the
        session's loss report, if the warden sent one; with ``wait``, waits for the cleanup and
        returns its report (``killed``: how many processes it killed)."""
        self.channel.close()
        if self.wake_fd is not None:
            os.close(self.wake_fd)
            self.wake_fd = None
        if self.closed:
            return {}
        self.closed = True
        worker = self.worker
        if not worker.alive:
            return {}
        if self.id in worker.lost_reports:
            return worker.lost_reports.pop(self.id)
        try:
            worker._send_control({"op": "close", "session": self.id})
        except (OSError, TimeoutError):
            worker.stop()  # a warden that cannot be told is replaced with its whole sandbox
            return {}
        worker.closing.add(self.id)
        report = worker.settle(self.id) if wait else {}
        return worker.lost_reports.pop(self.id, None) or report

    def _lose(self, status: str, message: str) -> NoReturn:
        """Close the session and raise ``WorkerLost(status, message)``."""
        self.close()
        self.lost = WorkerLost(status, message)
        raise self.lost

    def _describe_death(self) -> str:
        """A student-facing sentence for how the session (or the whole sandbox) ended."""
        worker = self.worker
        report = None
        if worker.alive:
            try:
                report = worker.lost_reports.pop(self.id, None) or worker.await_control(
                    ("session_lost",), time.monotonic() + LOST_REPORT_TIMEOUT_S)
            except (OSError, TimeoutError, ProtocolError, wire.WireError):
                report = None
            if report is not None and report.get("session") != self.id:
                report = None
        if report is None:
            process = worker.process
            if process is not None and not process.alive():
                reason = process.exit_reason()
                worker.stop()
                return f"the sandbox running your code died: {reason}"
            return "the process running your code hung up"
        self.closed = True  # the warden already cleaned up after it
        return describe_exit(report)


def _cap_durations(replies: list[Reply], start: int, elapsed_s: float, reported_s: float) -> float:
    """Cut the durations of ``replies[start:]``, in place, so that those of the whole stream add up to
    at most ``elapsed_s`` (the grader's clock, since it sent the stream; ``reported_s``: what
    ``replies[:start]`` add up to). Returns what they all add up to then."""
    for index in range(start, len(replies)):
        reply = replies[index].within(elapsed_s - reported_s)
        replies[index] = reply
        reported_s += reply.duration_s
    return reported_s


def describe_exit(report: dict) -> str:
    """How a session process ended, for the student."""
    sig = report.get("signal")
    if sig:
        try:
            name = signal.Signals(sig)
        except ValueError:
            return f"the process running your code was killed by signal {sig}"
        return f"the process running your code was killed by {SIGNAL_MEANINGS.get(name, name.name)}"
    code = report.get("exit")
    if code is not None:
        return f"the process running your code exited (status {code}); does your code call os._exit() or kill itself?"
    return "the process running your code hung up"


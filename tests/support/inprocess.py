"""An unsandboxed, in-process stand-in for a worker: the floor of the benchmarks.

It runs the worker's own request handling (``SessionServer.dispatch``) in the grader's
process, on the submission's modules imported right here, with no serialization and no
process boundary. **Never use it on untrusted code**: it exists only to measure what the checks
themselves cost, so that the sandbox's overhead can be reported as a difference.
"""
from __future__ import annotations

import copy
import os
import sys
import tempfile

from graders.grading.protocol import Reply
from graders.worker import session as session_module
from graders.worker import wire


class InProcessSession:
    def __init__(self, owner: "InProcessWorker", session_id: int):
        self.owner = owner
        self.id = session_id
        self.lost = None
        self.closed = False
        self.next_id = 1
        self.dir = tempfile.TemporaryDirectory(prefix="geodl-inprocess-")
        self.output = tempfile.TemporaryFile()
        self.session = session_module.SessionServer(None, session_id, self.dir.name, self.output.fileno(), {})

    def request(self, op: str, fields: dict | None = None, *, timeout_s: float) -> Reply:
        request = {"id": self.next_id, "op": op, **(fields or {})}
        self.next_id += 1
        if op == "load":
            _forget_modules(fields["files"])
        if op == "forbid":  # a ban here would bind the grader too: its imports (torch for its oracles), and
            request["modules"], request["names"] = [], []  # the library calls its checks make (numpy.kron)
        reply = self.session.dispatch(request)
        if "value" in reply:
            reply["value"] = _builtins(reply["value"])
        return Reply.from_json(reply, expected_id=request["id"])

    def stream(self, calls: list[dict], *, timeout_s):
        """The replies of ``calls`` (calls, or ``batch`` requests) one by one, up to the first
        failure (as the worker's session does); an argument that refers to an earlier answer
        (``wire.AnswerRef``) gets a fresh copy of it, as a session gives."""
        answers: list = []
        for fields in calls:
            timeout_s()  # the exercise's time budget, as a real session would check it
            reply = self.request(session_module.stream_op(fields), _with_answers(fields, answers), timeout_s=0)
            answers.append(reply.value)
            yield reply
            if not reply.ok:
                return

    def quiet_stream(self, calls: list[dict], *, timeout_s, budget_s: float | None = None,
                     encoded_calls: bytes | None = None, budgets: list[int] | None = None) -> list[Reply]:
        """:meth:`stream`'s replies all at once (there is nothing to wake up here, and no stream
        budget: the floor makes every call anyway)."""
        return list(self.stream(calls, timeout_s=timeout_s))

    def close(self) -> dict:
        if not self.closed:
            self.closed = True
            if self.dir.name in sys.path:
                sys.path.remove(self.dir.name)
            self.dir.cleanup()
            self.output.close()
        return {}


def _with_answers(value, answers: list):
    """``value`` with each ``wire.AnswerRef`` replaced by a fresh copy of the answer it names."""
    kind = type(value)
    if kind is wire.AnswerRef:
        part = answers[value.index]
        for step in value.path:
            part = part[step]
        return copy.deepcopy(part)
    if kind is list or kind is tuple:
        return kind(_with_answers(item, answers) for item in value)
    if kind is dict:
        return {key: _with_answers(item, answers) for key, item in value.items()}
    return value


class InProcessWorker:
    """Quacks like :class:`graders.grading.client.Worker` for :func:`graders.grading.engine.grade`."""

    def __init__(self):
        self.info = {"cuda": False, "pid": os.getpid()}
        self.starts = 0
        self.next_session = 1

        class _Name:
            name = "inprocess"
        self.sandbox = _Name()

    def open_session(self) -> InProcessSession:
        session = InProcessSession(self, self.next_session)
        self.next_session += 1
        return session

    def stop(self) -> None:
        pass


def _builtins(value):
    """numpy scalars as Python numbers, as the wire would deliver them (arrays are left as is)."""
    import numpy as np
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(_builtins(v) for v in value)
    if isinstance(value, dict):
        return {k: _builtins(v) for k, v in value.items()}
    return value


def _forget_modules(files: dict) -> None:
    """Drop previously imported student packages so each session imports its own files."""
    packages = {name.split("/", 1)[0] for name in files}
    for name in list(sys.modules):
        if name.split(".", 1)[0] in packages:
            del sys.modules[name]

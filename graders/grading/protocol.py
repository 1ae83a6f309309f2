"""Grader-side protocol: typed requests to the worker and validated replies from it.

Requests and replies are frozen dataclasses with ``to_json()`` / ``from_json()`` to builtins
(pytest's ``_to_json`` habit). A reply is validated field by field on arrival; anything off
raises :class:`~graders.errors.ProtocolError` naming the field. Values inside a reply are
already plain data (``wire.Decoder`` refused everything else).
"""
from __future__ import annotations

import dataclasses
from typing import Any, Literal

from graders.errors import ProtocolError
from graders.worker.wire import PROTOCOL_VERSION

Op = Literal["ping", "load", "forbid", "import", "call", "batch", "stream", "getattr", "release"]

MAX_OUTPUT_CHARS = 8192
MAX_TEXT_CHARS = 8192


@dataclasses.dataclass(frozen=True)
class Target:
    """What to call or read in the worker: ``module.attr.attr`` or ``handle.attr``."""

    module: str | None = None
    handle: int | None = None
    path: tuple[str, ...] = ()

    def __post_init__(self):
        if (self.module is None) == (self.handle is None):
            raise ValueError("Target needs exactly one of module= or handle=; "
                             f"got module={self.module!r}, handle={self.handle!r}")

    def to_json(self) -> dict:
        out: dict[str, Any] = {"path": list(self.path)}
        if self.module is not None:
            out["module"] = self.module
        else:
            out["handle"] = self.handle
        return out

    @property
    def display(self) -> str:
        """The name a student recognizes: ``mlp_forward``, ``model.forward``."""
        if self.path:
            return ".".join(self.path)
        return self.module or "<object>"


@dataclasses.dataclass(frozen=True)
class Request:
    """One request to a session. ``fields`` holds the op-specific entries."""

    id: int
    op: Op
    fields: dict = dataclasses.field(default_factory=dict)

    def to_json(self) -> dict:
        return {"v": PROTOCOL_VERSION, "id": self.id, "op": self.op, **self.fields}


@dataclasses.dataclass(frozen=True)
class ErrorInfo:
    """What went wrong on the worker side, as the student should read it."""

    kind: str          #: 'student', 'syntax', 'missing', 'unsendable'
    type: str          #: the exception's class name
    message: str
    location: str = ""  #: 'ch06/mlp.py:42 in mlp_forward'
    traceback: str = ""

    def one_line(self) -> str:
        where = f" at {self.location}" if self.location else ""
        label = f"{self.type}: " if self.type else ""
        return f"{label}{self.message}{where}"

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, raw: Any) -> "ErrorInfo":
        if not isinstance(raw, dict):
            raise ProtocolError(f"reply field 'error' should be a dict; got {type(raw).__name__}")
        values = {}
        for field in dataclasses.fields(cls):
            value = raw.get(field.name, "")
            if not isinstance(value, str):
                raise ProtocolError(f"reply field 'error.{field.name}' should be a string; got {type(value).__name__}")
            values[field.name] = value[:MAX_TEXT_CHARS]
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class Reply:
    """A validated reply: ``value`` when ``ok``, else ``error``.

    ``duration_s`` is what the session says its call took, by its own clock: the student's code
    runs there and can make it say anything. It is for reports, never for a deadline (those come
    from the grader's clock: :class:`graders.grading.client.SessionClient`), and the client cuts
    it to what its own clock saw pass (:meth:`within`). A negative or NaN duration makes the
    reply malformed."""

    id: int
    ok: bool
    value: Any = None
    error: ErrorInfo | None = None
    duration_s: float = 0.0
    output: str = ""
    forbidden: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, raw: Any, *, expected_id: int) -> "Reply":
        if not isinstance(raw, dict):
            raise ProtocolError(f"a reply should be a dict; got {type(raw).__name__}")
        if raw.get("id") != expected_id or type(raw.get("id")) is not int:
            raise ProtocolError(f"reply field 'id' should be {expected_id}; got {raw.get('id')!r}")
        ok = raw.get("ok")
        if type(ok) is not bool:
            raise ProtocolError(f"reply field 'ok' should be a bool; got {type(ok).__name__}")
        duration = raw.get("duration_s", 0.0)
        if type(duration) not in (int, float) or not duration >= 0:
            raise ProtocolError(f"reply field 'duration_s' should be a non-negative number; got {duration!r}")
        output = raw.get("output", "")
        if not isinstance(output, str):
            raise ProtocolError(f"reply field 'output' should be a string; got {type(output).__name__}")
        forbidden = raw.get("forbidden", [])
        if not isinstance(forbidden, list) or not all(isinstance(f, str) for f in forbidden):
            raise ProtocolError("reply field 'forbidden' should be a list of strings")
        error = None if ok else ErrorInfo.from_json(raw.get("error"))
        return cls(
            id=expected_id,
            ok=ok,
            value=raw.get("value") if ok else None,
            error=error,
            duration_s=float(duration),
            output=output[-MAX_OUTPUT_CHARS:],
            forbidden=tuple(f[:200] for f in forbidden[:20]),
        )

    def within(self, seconds: float) -> "Reply":
        """This reply, its ``duration_s`` cut to ``seconds`` (at least 0) where it says more."""
        if self.duration_s <= seconds:
            return self
        return dataclasses.replace(self, duration_s=max(0.0, seconds))


def control_message(raw: Any, *, expected_ops: tuple[str, ...]) -> dict:
    """Validate a control-channel message from the warden (trusted code, but it shares a
    process tree with the student's, so its messages are still checked)."""
    if not isinstance(raw, dict) or raw.get("op") not in expected_ops:
        op = raw.get("op") if isinstance(raw, dict) else type(raw).__name__
        raise ProtocolError(f"expected a control message {expected_ops}; got {op!r}", reference="malformed-control")
    return raw

"""How checks and calls into the worker end: a closed set of statuses, the record of one call,
and the exceptions that carry an outcome from the check code to the engine: the student's result
is wrong (:class:`CheckFailed`), the student's code raised (:class:`StudentCallError`), or the
example does not apply (:func:`assume`, :class:`Rejected`)."""
from __future__ import annotations

import contextlib
import dataclasses
import threading
from typing import Any, Iterator, Literal

import hypothesis

from graders.grading.protocol import ErrorInfo

#: How one check ended. ``passed``/``failed`` are verdicts of the grader; ``student_error``
#: means the student's code raised; ``timeout``/``crashed`` mean the session was lost;
#: ``grader_error`` is a bug on our side (never the student's fault); ``skipped`` is a check
#: that does not apply here (a GPU check on a host without CUDA) and counts for nothing.
Status = Literal["passed", "failed", "student_error", "timeout", "crashed", "grader_error", "skipped"]
STATUSES: tuple[str, ...] = ("passed", "failed", "student_error", "timeout", "crashed", "grader_error", "skipped")

When = Literal["load", "import", "call", "getattr"]


@dataclasses.dataclass(frozen=True)
class CallOutcome:
    """One call into the worker, as pytest's ``CallInfo`` records one phase: the value or the
    error, how long it took, and the tail of what the student's code printed."""

    when: When
    call: object  #: the call, rendered by str() (lazily)
    status: Literal["ok", "student_error", "timeout", "crashed"]
    value: Any = None
    error: ErrorInfo | None = None
    duration_s: float = 0.0
    stdout_tail: str = ""

    def answering(self, call: object, when: When) -> "CallOutcome":
        """This outcome, standing for ``call`` (an answer made ahead, :mod:`graders.grading.replay.plans`).
        Built directly: ``dataclasses.replace`` costs twice as much, for each planned call."""
        return CallOutcome(when, call, self.status, self.value, self.error, self.duration_s, self.stdout_tail)

    def value_or_raise(self) -> Any:
        """The value the call returned; :class:`StudentCallError` if the student's code raised."""
        if self.status != "ok":
            raise StudentCallError(self.call, self.error or ErrorInfo("student", "", f"the call ended: {self.status}"))
        return self.value

    def __repr__(self) -> str:
        result = "value" if self.status == "ok" else self.status
        return f"<CallOutcome when={self.when!r} {self.call} {result}: {self.duration_s * 1e3:.2f} ms>"


class CheckFailed(Exception):
    """The student's result is wrong. ``message`` says what was expected and what came back.

    Raised by check code and by the helpers in ``graders.authoring.checks``; hypothesis treats it as a
    failure and shrinks the example.
    """

    def __init__(self, message: str, *, expected: Any = None, got: Any = None):
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.got = got


class StudentCallError(Exception):
    """The student's code raised while the check called it."""

    def __init__(self, call: object, error: ErrorInfo):
        super().__init__(f"{call} raised {error.one_line()}")
        self.call = call
        self.error = error


class Rejected(Exception):
    """:func:`assume` rejected an example run outside hypothesis (a replayed one)."""


_LOCAL = threading.local()


def assume(condition: object) -> None:
    """``hypothesis.assume`` for check code: unless ``condition`` holds, the example is rejected
    (it neither passes nor fails). Works in a hypothesis run and in examples replayed outside one
    (:mod:`graders.grading.replay.examples`); hypothesis's own ``assume`` works only inside."""
    if condition:
        return
    if getattr(_LOCAL, "outside_hypothesis", False):
        raise Rejected
    hypothesis.assume(False)


@contextlib.contextmanager
def outside_hypothesis() -> Iterator[None]:
    """Inside the block, :func:`assume` rejects by raising :class:`Rejected` (on this thread)."""
    previous = getattr(_LOCAL, "outside_hypothesis", False)
    _LOCAL.outside_hypothesis = True
    try:
        yield
    finally:
        _LOCAL.outside_hypothesis = previous

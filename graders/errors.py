"""The error tree of geodl, rooted at :class:`GeodlError`.

Every error carries a stable kebab-case ``reference``, a ``message``, optional ``context`` and
``hint``, and says whose fault it is (pip's ``DiagnosticPipError`` habit): errors that come from
a submission are the student's to fix; internal errors are the graders' to fix.
"""
from __future__ import annotations

import re

_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class GeodlError(Exception):
    """Base of all geodl errors.

    Parameters
    ----------
    message : str
        One line a person understands.
    reference : str
        Stable kebab-case identifier (``"sandbox-unavailable"``).
    context : str, optional
        What was being done when it happened.
    hint : str, optional
        What to do about it.
    """

    origin = "Internal grader error, not your fault."

    def __init__(self, message: str, *, reference: str, context: str = "", hint: str = ""):
        if not _KEBAB.match(reference):
            raise ValueError(f"reference={reference!r} must be kebab-case, e.g. 'sandbox-unavailable'")
        super().__init__(message)
        self.message = message
        self.reference = reference
        self.context = context
        self.hint = hint

    def __str__(self) -> str:
        parts = [self.message]
        if self.context:
            parts.append(f"({self.context})")
        if self.hint:
            parts.append(f"Hint: {self.hint}")
        return " ".join(parts)


class ConfigurationError(GeodlError):
    """The grader was asked for something that does not exist or cannot run here."""

    origin = "This error comes from how geodl was invoked."


class SandboxUnavailable(ConfigurationError):
    """The requested sandbox backend cannot run on this host (the message says why)."""


class SubmissionError(GeodlError):
    """A submission that cannot be read at all (missing folder, unreadable notebook...)."""

    origin = "This error comes from your submission."


class ProtocolError(GeodlError):
    """A message from the worker that does not follow the protocol; names the offending field."""

    origin = "This error comes from your submission (its process sent a malformed reply)."

    def __init__(self, message: str, *, reference: str = "malformed-reply", **kwargs):
        super().__init__(message, reference=reference, **kwargs)


class WorkerLost(BaseException):
    """The session running the student's code timed out, crashed or sent junk.

    Deliberately a ``BaseException``: raised inside a hypothesis test, it stops the search at
    once instead of being shrunk (each shrink step would cost another timeout). The grader
    replaces the session and goes on with the next check.

    Attributes
    ----------
    status : {'timeout', 'crashed'}
    message : str
        One line for the student, e.g. ``"exceeded the 5 s time limit calling mlp_forward(...)"``.
    """

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message
        #: in a stream of calls: the position of the call that was running, and the replies before it
        self.index = -1
        self.replies: list = []

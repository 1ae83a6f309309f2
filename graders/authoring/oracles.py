"""Oracles: the grader-side code that computes a check's expected values (torch, scikit-learn,
scipy's solvers, or grader code that is effectively a solution, such as a forward pass).

A public check runs twice over: in the TA's grading, where its oracles are called as written,
and in the student's self-check, where no oracle may ship. :func:`oracle` marks such a
function. Grading calls it normally; a release (:mod:`graders.authoring.freeze`) records every
call the public checks make to it, arguments and value, and the release's copy of the check
(:mod:`graders.authoring.extract`) keeps only its signature, answered from what was recorded
(:func:`graders.authoring.frozen.frozen_oracle`).

So an oracle's arguments must be data (numbers, strings, arrays, lists, tuples, dicts, the
objects a chapter's strategies draw, ``ctx.ref`` and what it returns), never a function or
``ctx``, and must not depend on the student's answers: the self-check can only answer for the
arguments the reference's own answers gave at release time
(``tests/graders/authoring/test_freeze.py`` checks every chapter for it). Its value must be data.

>>> @oracle
... def squares(n):
...     return [i * i for i in range(n)]
>>> squares(4)
[0, 1, 4, 9]
"""
from __future__ import annotations

import contextlib
import functools
import inspect
from typing import Any, Callable, Iterator, Protocol, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class OracleRecorder(Protocol):
    """What records oracle calls while a release is made (:class:`graders.authoring.freeze.Recorder`)."""

    def oracle(self, name: str, signature: inspect.Signature, func: Callable, args: tuple, kwargs: dict) -> Any:
        """Call ``func`` and record the call of the oracle ``name``; its value."""
        ...


class OracleAnswerer(Protocol):
    """What answers oracle calls in a student's self-check (:class:`graders.authoring.frozen.LoadedTables`)."""

    def find(self, name: str, signature: inspect.Signature, args: tuple, kwargs: dict) -> tuple[bool, Any]:
        """``(True, value)`` recorded for this call of the oracle ``name``, else ``(False, None)``."""
        ...

    def miss(self, name: str, args: tuple, kwargs: dict) -> Exception:
        """What a call that was not recorded and cannot run here raises."""
        ...


#: The recorder while a release is recorded (:func:`recording`); None otherwise.
_RECORDER: OracleRecorder | None = None
#: What answers oracles once a release's chapter is loaded (:func:`answer_from`); None otherwise.
_ANSWERER: OracleAnswerer | None = None


def oracle_name(func: Callable) -> str:
    """An oracle's key in a release's table: ``<module file stem>:<qualified name>``
    (``mlp_backprop:_loss``), the same for the grader's function and the release's copy."""
    return f"{func.__module__.rsplit('.', 1)[-1]}:{func.__qualname__}"


def oracle(func: F) -> F:
    """Mark ``func`` as an oracle of a public check: called as written when grading, frozen in a
    student's release (see the module docstring). An oracle of a chapter's module ships without
    its body (:mod:`graders.authoring.extract`); one of the checks library (the reference formula's
    values of :func:`graders.authoring.checks.symbolic.check_formula`) ships whole and, once a
    release's chapter is loaded (:func:`answer_from`), is answered from what was recorded; a call
    that was not recorded runs, and where it cannot (no reference in a student's release) is the
    answerer's miss."""
    signature = inspect.signature(func)
    name = oracle_name(func)

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        recorder, answerer = _RECORDER, _ANSWERER
        if recorder is not None:
            return recorder.oracle(name, signature, func, args, kwargs)
        if answerer is None:
            return func(*args, **kwargs)
        found, value = answerer.find(name, signature, args, kwargs)
        if found:
            return value
        try:
            return func(*args, **kwargs)
        except ImportError:
            raise answerer.miss(name, args, kwargs) from None

    call.__geodl_oracle__ = True  # type: ignore[attr-defined]  # how extract.py recognises one
    return call  # type: ignore[return-value]  # same signature


@contextlib.contextmanager
def recording(recorder: OracleRecorder) -> Iterator[None]:
    """Route every oracle call through ``recorder`` while the block runs."""
    global _RECORDER
    previous, _RECORDER = _RECORDER, recorder
    try:
        yield
    finally:
        _RECORDER = previous


def answer_from(answerer: OracleAnswerer | None) -> None:
    """Answer oracle calls from ``answerer`` from now on (None: run them again)."""
    global _ANSWERER
    _ANSWERER = answerer

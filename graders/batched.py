"""A property check's examples side by side, so that their calls into the student's code travel
together: one round trip per *round* of calls instead of one per call.

A property check is written one example at a time (``check(ctx, **example)``), and each call it
makes waits for the worker. With hundreds of such calls per submission, the round trips cost
more than the checks. So, with ``GradingSettings.batch_examples`` set (it is off by default,
and never used on Dask: see the setting), before the usual hypothesis run the engine tries this:

1. :func:`graders.examples.known_examples` gives the check's examples: the same inputs, in the
   same order, that a hypothesis run in which every example passes would try.
2. :func:`run_side_by_side` runs the check body on every example, each in a carrier thread of
   its own, **one thread at a time**: a body runs until it calls into the worker (or ends), then
   the next one does. When every body is waiting, their calls go to the worker in one ``batch``
   request, in example order, and each body resumes with its own answer. Calls other than plain
   ``call`` requests (``ctx.map``, ``ctx.get``) go one by one, as before.

The student's code sees the examples' calls interleaved (every example's first call, then their
second calls...): code whose answers depend on the order of calls (hidden state) may pass here
where one at a time it would not, but every answer is still checked by the grader.

If every example passes, the check has passed. If anything else happens (a failure, the
student's code raising, a lost session), the engine discards this attempt and runs the check
the usual way, so that hypothesis finds and shrinks the counterexample exactly as it would
have: the verdict, the message and the counterexample never depend on this shortcut, only the
time does. Only one thread runs at a time and the order is fixed, so a run is deterministic and
check code needs no locks.

An example rejected with :func:`graders.examples.assume` is skipped here; the usual run would
have drawn another in its place, so a check that rejects often covers a few examples fewer when
it passes.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

from hypothesis.errors import UnsatisfiedAssumption

from graders import examples as known
from graders.errors import WorkerLost
from graders.outcomes import CallOutcome

#: Only plain calls are batched; anything else is sent on its own.
BATCHABLE_OPS = ("call",)


class _Abandon(BaseException):
    """Unwinds a body whose run was given up (another example failed first)."""


class _Example:
    """One example's check body and where it stands: running, waiting for ``pending``, or done."""

    __slots__ = ("body", "pending", "answer", "failure", "done")

    def __init__(self, body: Callable[[], Any]):
        self.body = body
        self.pending: tuple[str, dict, object, str, int] | None = None  #: (op, fields, call, when, budget_calls)
        self.answer: CallOutcome | BaseException | None = None
        self.failure: BaseException | None = None
        self.done = False


class _Carrier:
    """A daemon thread that runs example bodies handed to it, in lock step with the engine:
    :meth:`advance` lets the body run until its next call into the worker or its end."""

    def __init__(self):
        self._turn = threading.Semaphore(0)   # the engine lets the body go on
        self._back = threading.Semaphore(0)   # the body hands control back
        self.example: _Example | None = None
        self._thread = threading.Thread(target=self._loop, name="geodl-example", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        known.mark_thread_outside_hypothesis()
        while True:
            self._turn.acquire()
            example = self.example
            try:
                example.body()
            except (known.Rejected, UnsatisfiedAssumption):
                pass  # a rejected example neither passes nor fails
            except _Abandon:
                pass
            except BaseException as exc:  # noqa: BLE001 - every way a body ends is reported to the engine
                example.failure = exc
            example.done = True
            self._back.release()

    def advance(self) -> None:
        """Run the body until it waits for the worker or ends (called by the engine)."""
        self._turn.release()
        self._back.acquire()

    def wait_for_answer(self, example: _Example) -> CallOutcome:
        """Called in the carrier: hand control back and sleep until the engine has the answer."""
        self._back.release()
        self._turn.acquire()
        answer, example.answer, example.pending = example.answer, None, None
        if isinstance(answer, BaseException):
            raise answer
        return answer


_LOCAL = threading.local()


def _carriers(count: int) -> list[_Carrier]:
    """``count`` carriers of the calling thread (kept for its next check: starting a thread costs
    more than a round trip)."""
    idle = getattr(_LOCAL, "carriers", None)
    if idle is None:
        idle = _LOCAL.carriers = []
    while len(idle) < count:
        idle.append(_Carrier())
    return idle[:count]


class SideBySideRuntime:
    """What a :class:`~graders.context.CheckContext` of one example talks to instead of the
    exercise's session: each request waits for its round (same interface as
    :class:`~graders.context.ExerciseSession`'s ``request`` and ``run``)."""

    def __init__(self, session, carrier: _Carrier, example: _Example):
        self.session = session
        self.exercise = session.exercise
        self._carrier = carrier
        self._example = example

    def request(self, op: str, fields: dict, *, call: object, when: str = "call", budget_calls: int = 1) -> Any:
        return self.run(op, fields, call=call, when=when, budget_calls=budget_calls).value_or_raise()

    def run(self, op: str, fields: dict, *, call: object, when: str = "call", budget_calls: int = 1) -> CallOutcome:
        self._example.pending = (op, fields, call, when, budget_calls)
        return self._carrier.wait_for_answer(self._example)


class Stop(Exception):
    """A failure to report as it is, without the usual run: a lost session (a hang, a crash) or
    running out of memory, which the usual run would not shrink either. ``call`` is the call
    that failed (the counterexample)."""

    def __init__(self, failure: BaseException, call: object):
        super().__init__(str(failure))
        self.failure = failure
        self.call = call


def run_side_by_side(check, session, make_context, examples: list[dict], stops: Callable[[BaseException], bool]) -> bool:
    """Run ``check`` on every example with calls batched by round; True if every example passed
    (rejected ones aside), False as soon as one fails or raises: the caller then grades the check
    the usual way.

    Parameters
    ----------
    check : CheckSpec
    session : ExerciseSession
        The exercise's session (its ``run`` and ``run_many`` reach the worker).
    make_context : callable
        ``make_context(runtime) -> CheckContext`` for one example.
    examples : list of dict
        From :func:`graders.examples.known_examples` (each body gets a fresh copy).
    stops : callable
        Whether a failure is reported as it is (raised as :class:`Stop`) instead of returning False.

    Raises
    ------
    Stop
        A lost session, or a failure ``stops`` accepts.
    """
    if not examples:
        return False
    states = []
    for carrier, kwargs in zip(_carriers(len(examples)), examples):
        state = _Example(None)
        ctx = make_context(SideBySideRuntime(session, carrier, state))
        state.body = _bind(check.func, ctx, known.fresh(kwargs))
        carrier.example = state
        states.append((carrier, state))
    try:
        waiting = _advance(states)
        while waiting:
            try:
                answers = _answer_round(session, [state.pending for _, state in waiting])
            except WorkerLost as lost:
                raise Stop(lost, waiting[getattr(lost, "index", 0)][1].pending[2]) from None
            answered = [(c, state) for (c, state), answer in zip(waiting, answers) if answer is not None]
            for (_, state), answer in zip(waiting, answers):
                state.answer = answer
            unanswered = [(c, state) for (c, state), answer in zip(waiting, answers) if answer is None]
            waiting = _advance(answered) + unanswered
    except _Failed as failed:
        if stops(failed.failure):
            raise Stop(failed.failure, getattr(failed.failure, "call", None)) from None
        return False
    finally:  # whatever happened (a grader bug included), no body is left waiting in its carrier
        _give_up(states)
    return True


class _Failed(Exception):
    def __init__(self, failure: BaseException):
        self.failure = failure


def _advance(ready) -> list:
    """Let each of ``ready`` run to its next call or its end; those now waiting, in order."""
    waiting = []
    for carrier, state in ready:
        carrier.advance()
        if state.failure is not None:
            raise _Failed(state.failure)
        if not state.done:
            waiting.append((carrier, state))
    return waiting


def _bind(func, ctx, kwargs):
    def body():
        func(ctx, **kwargs)
    return body


def _answer_round(session, pending: list[tuple]) -> list[CallOutcome | None]:
    """The answers to one round's requests: plain calls in one stream, anything else alone.
    None for a call the stream did not reach (it stops at a failing call): it waits for the next
    round. A lost session raises :class:`WorkerLost` with ``index``, the position of the call in
    ``pending``."""
    batchable = [i for i, (op, *_rest) in enumerate(pending) if op in BATCHABLE_OPS]
    if len(batchable) < 2:
        batchable = []  # a lone call goes as a plain request
    answers: list[CallOutcome | None] = [None] * len(pending)
    if batchable:
        try:
            outcomes = session.run_many([(pending[i][1], pending[i][2]) for i in batchable])
        except WorkerLost as lost:
            lost.index = batchable[getattr(lost, "index", 0)]
            raise
        for i, outcome in zip(batchable, outcomes):
            answers[i] = outcome
    for i, (op, fields, call, when, budget_calls) in enumerate(pending):
        if i not in batchable:
            try:
                answers[i] = session.run(op, fields, call=call, when=when, budget_calls=budget_calls)
            except WorkerLost as lost:
                lost.index = i
                raise
    return answers


def _give_up(states) -> None:
    """Unwind every body still waiting for an answer, so that each carrier is idle again."""
    for carrier, state in states:
        for _ in range(3):  # a body that swallows _Abandon and calls again is abandoned again
            if state.done or state.pending is None:
                break
            state.answer = _Abandon()
            carrier.advance()
        if not state.done and state.pending is not None:
            _LOCAL.carriers.remove(carrier)  # stuck in check code that will not stop: never reused
        carrier.example = None

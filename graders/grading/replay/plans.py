"""A replayed property's calls, planned ahead and made in one stream.

The replay (:mod:`graders.grading.replay.examples`) runs a property check's known examples one at a time, and
every call a check body makes waits for the worker: one round trip, and two switches between
the grading process and the session, per call. On a small machine, where both share a core,
the switches cost more than the calls (each side's code runs with caches the other has
just used). Most property bodies make the same calls whatever the student answers: the inputs
come from the example. So:

1. :func:`known_plan` runs each check body once per process on its known examples, against the
   **reference** solution called in this process (:class:`ReferenceRunner`), and keeps the
   calls it makes, in order: the plan. (Where the reference rejects an example, the examples
   are first drawn again through it, :func:`graders.grading.replay.examples.redraw_through`.) A body that asks
   for anything but calls of plain data (``ctx.call``, ``ctx.map``) has no plan (handles, text
   answers), and neither does one whose replay on the reference does not pass.
2. For each submission, :class:`PlannedRunner` sends the whole plan to the session as one quiet
   stream (:meth:`graders.grading.client.SessionClient.quiet_stream`) and then replays the bodies as usual,
   answering each call from the stream **only if it is the planned call**: the same target and
   byte for byte the same arguments, in the same place. The session has then run exactly the
   calls the one-by-one replay would have made, in the same order, with the same inputs, so
   the answers, and the verdict, are the same, for code that keeps state between calls too.
3. The first call that is not the planned one (a body whose later inputs depend on an answer
   that differs from the reference's), and every call after it, goes to the session one by one,
   as without a plan. So does every call after the stream stopped: at a failing call (its
   answer is given; the session runs nothing after it, as the one-by-one replay would not), or
   when the stream has used up :data:`STREAM_BUDGET_S`, which bounds what a slow, wrong
   submission can spend on calls its first failing example makes moot. A plan whose very first
   call a body does not make (its inputs do not come from the examples alone) is dropped.

The stream is in the sandbox before its first call runs, where the student's code can read it:
it must hold no answer of the reference's. A call that passes an earlier answer back (the very
object the body was given, unchanged) is planned with a :class:`~graders.worker.wire.AnswerRef`
in its place (:class:`Answers`), which the session fills with its own answer, as the one-by-one
replay would have sent it; and the plan ends before the first call whose arguments are computed
from an answer (:func:`_independent_part`): that call and those after it go one by one, after
the answers they depend on.

Only in the case of 3's first kind has the session run calls (the rest of the plan) that the
one-by-one replay would not have made: answers never come from them, but code that keeps state
between calls has seen them. Their time is not charged to the student's budget.
"""
from __future__ import annotations

import functools
import importlib
import math
from typing import Any

import numpy as np

from graders.grading.context import CheckContext
from graders.grading.outcomes import CallOutcome, When
from graders.grading.protocol import ErrorInfo, Op
from graders.grading.replay import examples as property_examples
from graders.grading.runners import CallRunnerBase, LiveRunner, lost_calling
from graders.worker import wire

#: A quiet stream stops once its calls have taken this long in all; the rest go one by one.
STREAM_BUDGET_S = 1.0


class Plan:
    """The requests a property's bodies make on the reference, in order: ``calls`` (the fields
    of ``call`` requests, and of ``batch`` requests with ``"op": "batch"`` added, as the wire
    delivers them), ``keys`` (each encoded, to recognise it), ``budgets`` (how many calls each
    holds) and ``encoded`` (the list of them all, encoded once for every submission's stream).
    ``missed`` is set once a body's very first request was not the planned one: its inputs do
    not come from its examples alone (an unseeded generator, say), so the plan is dropped."""

    __slots__ = ("calls", "keys", "budgets", "keep", "encoded", "missed")

    def __init__(self, calls: list[dict], keys: list[bytes], budgets: list[int], keep: frozenset[int] = frozenset()):
        self.calls = calls
        self.keys = keys
        self.budgets = budgets
        #: the calls whose answers later calls pass back (:class:`graders.worker.wire.AnswerRef`)
        self.keep = keep
        self.encoded = wire.encode_list_of(keys)
        self.missed = False

    def prefix(self, length: int) -> "Plan":
        """The plan's first ``length`` calls."""
        return Plan(self.calls[:length], self.keys[:length], self.budgets[:length],
                    frozenset(i for i in self.keep if i < length))


class _Unplannable(Exception):
    """The body asked for something a plan cannot hold."""


class _Raised(Exception):
    """The reference raised (``error`` says how, as a session would)."""

    def __init__(self, error: ErrorInfo):
        super().__init__(error.message)
        self.error = error


class _KnownPlan:
    __slots__ = ("check", "plan")

    def __init__(self, check, plan: Plan | None):
        self.check = check
        self.plan = plan


#: By (id(check), number of examples, seed, settings).
_KNOWN: dict[tuple, _KnownPlan] = {}


def known_plan(check, exercise, count: int, seed: int, settings) -> Plan | None:
    """The plan of ``check`` (a property :class:`~graders.grading.spec.CheckSpec` of ``exercise``) on
    its ``count`` known examples drawn with ``seed``
    (:func:`graders.grading.replay.examples.known_examples`), recorded on the first call and kept for the
    process; None where it has none.

    Where the reference rejects one of the examples, hypothesis's own run would draw others
    after it: the examples are drawn again through the reference
    (:func:`graders.grading.replay.examples.redraw_through`) and the plan is recorded on those."""
    key = (id(check), count, seed, settings)
    entry = _KNOWN.get(key)
    if entry is None or entry.check is not check:
        plan, replay = _record(check, exercise, count, seed, settings)
        if replay is not None and replay.rejected and property_examples.redraw_through(
                check, count, seed, _on_reference(check, ReferenceRunner(exercise), settings)):
            plan, _ = _record(check, exercise, count, seed, settings)
        if plan is not None:
            plan = _independent_part(plan, check, exercise, count, seed, settings)
        entry = _KNOWN[key] = _KnownPlan(check, plan)
    return None if entry.plan is None or entry.plan.missed else entry.plan


def _record(check, exercise, count: int, seed: int, settings) -> tuple[Plan | None, property_examples.Replay | None]:
    """The plan of the check's bodies replayed on the reference (None unless they all pass and
    call something), and how the replay ended (None if it could not run: a body asked for what
    a plan cannot hold, say)."""
    examples = property_examples.known_examples(check, count, seed)
    if examples is None:
        return None, None
    runtime = ReferenceRunner(exercise)
    try:
        replay = property_examples.replay(_on_reference(check, runtime, settings), examples, lambda failure: True,
                                          property_examples.known_rejections(check, count, seed))
    except Exception:  # noqa: BLE001 - _Unplannable, or a check that cannot run on the reference here
        return None, None
    plan = Plan(runtime.calls, runtime.keys, runtime.budgets, runtime.answers.referred) \
        if replay.passed and runtime.calls else None
    return plan, replay


def _independent_part(plan: Plan, check, exercise, count: int, seed: int, settings) -> Plan | None:
    """The plan's calls up to the first whose arguments depend on an earlier answer otherwise
    than by passing it back whole (:class:`Answers`): a later call's arguments recorded on the
    reference would reveal the reference's answers to code that reads the stream ahead.

    Found by recording the plan again with every float of every answer that is not a whole number
    moved by one unit in the last place: a call whose arguments change is derived from an answer (the first such call,
    and those after it, are left to be made one by one, after the answers they depend on). Where
    the nudged replay does not get as far (a body that compares answers exactly), the plan ends
    where it stopped."""
    runtime = ReferenceRunner(exercise, nudge=True)
    examples = property_examples.known_examples(check, count, seed) or []
    try:
        property_examples.replay(_on_reference(check, runtime, settings), examples, lambda failure: True,
                                 property_examples.known_rejections(check, count, seed))
    except Exception:  # noqa: BLE001 - the nudged answers failed a check: the calls recorded so far count
        pass
    same = 0
    for key, nudged in zip(plan.keys, runtime.keys):
        if key != nudged:
            break
        same += 1
    if same == 0:
        return None
    return plan if same == len(plan.keys) else plan.prefix(same)


def _on_reference(check, runtime: "ReferenceRunner", settings):
    """The check's body with its calls answered by ``runtime``."""
    return functools.partial(check.func, CheckContext(runtime, settings))


#: The requests a plan can hold.
PLANNABLE_OPS = ("call", "batch")


def _encode(encoder: wire.Encoder, op: Op, fields: dict) -> bytes | None:
    """A request as a plan keeps it; None if it cannot be encoded."""
    try:
        return encoder.encode(fields if op == "call" else {**fields, "op": op})
    except wire.WireError:
        return None


class ReferenceRunner(CallRunnerBase):
    """Answers a check context's calls with the reference solution, in this process, and
    records them (a :class:`~graders.grading.runners.CallRunner`)."""

    def __init__(self, exercise, *, nudge: bool = False):
        self.exercise = exercise
        self.calls: list[dict] = []
        self.keys: list[bytes] = []
        self.budgets: list[int] = []
        #: move every float of every answer by one unit in the last place (:func:`_independent_part`)
        self.nudge = nudge
        # one each: they keep state while they work; what is decoded was encoded here
        self._encoder, self._decoder = wire.Encoder(), wire.Decoder(trusted=True)
        self.answers = Answers(self._encoder, self._decoder)

    def run(self, op: Op, fields: dict, *, call: object, when: When = "call", budget_calls: int = 1) -> CallOutcome:
        if op not in PLANNABLE_OPS:
            raise _Unplannable(op)
        plain = _encode(self._encoder, op, fields)
        if plain is None:
            raise _Unplannable("arguments that cannot be encoded")
        sent = self._decoder.decode(plain)  # what the session would receive: fresh copies, as the wire makes them
        if self._decoder.special:
            raise _Unplannable("handles, tensors or functions among the arguments")
        referring = self.answers.refer(fields)
        key = plain if referring is fields else _encode(self._encoder, op, referring)
        if key is None:
            raise _Unplannable("arguments that cannot be encoded")
        index = len(self.calls)
        self.calls.append(sent if key is plain else self._decoder.decode(key))
        self.keys.append(key)
        if op == "call":
            self.budgets.append(1)
            try:
                value = self._answer(sent)
            except _Raised as raised:
                return CallOutcome(when, call, "student_error", error=raised.error)
        else:  # a batch: each call answered or refused, as the session's ``batch`` does
            self.budgets.append(len(sent.get("calls", [])))
            value = []
            for one in sent.get("calls", []):
                try:
                    value.append({"ok": True, "value": self._answer(one)})
                except _Raised as raised:
                    value.append({"ok": False, "error": raised.error.to_json()})
        self.answers.add(index, value)
        return CallOutcome(when, call, "ok", value=value)

    def _answer(self, fields: dict) -> Any:
        """The reference's answer to one call, as the wire would deliver it; :class:`_Raised`
        if the reference raises."""
        target = fields.get("target", {})
        if fields.get("want", "auto") != "auto" or "module" not in target:
            raise _Unplannable("a call for a handle or text, or on a handle")
        func = self._resolve(target)
        args = self._decoder.decode(self._encoder.encode(fields.get("args", [])))
        kwargs = self._decoder.decode(self._encoder.encode(fields.get("kwargs", {})))
        try:
            value = func(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the reference refusing an input is an answer too
            raise _Raised(ErrorInfo("student", type(exc).__name__, str(exc))) from None
        try:
            value = self._decoder.decode(self._encoder.encode(value))
        except wire.WireError:
            raise _Unplannable("a value the wire would not carry as plain data") from None
        if self._decoder.special:
            raise _Unplannable("a value the session would keep behind a handle")
        return _nudged(value) if self.nudge else value

    def _resolve(self, target: dict):
        module = _reference_module(self.exercise, target["module"])
        obj = module
        for name in target.get("path", ()):
            obj = getattr(obj, name)
        return obj


def _reference_module(exercise, module: str):
    """The reference module standing for the student's ``module``: the exercise's own, or, for
    another module of the chapter that a check calls into, ``geodl_ref.<module>``."""
    if module == exercise.module:
        return exercise.reference
    return importlib.import_module(f"geodl_ref.{module}")


class PlannedRunner(CallRunnerBase):
    """What a check context talks to while a planned replay runs: each call that is the next
    planned one is answered from the stream; any other call, and every call after it, goes to
    the exercise's session (``live``, a :class:`~graders.grading.runners.LiveRunner`) as usual."""

    def __init__(self, live: LiveRunner, plan: Plan):
        self.live = live
        self.exercise = live.exercise
        self.plan = plan
        self.answers, self.lost = live.prefetch(plan.calls, budget_s=STREAM_BUDGET_S, encoded_calls=plan.encoded,
                                                budgets=plan.budgets)
        self.next = 0
        self.on_plan = True
        self._encoder = wire.Encoder()
        self.given = Answers(self._encoder, wire.Decoder(trusted=True)) if plan.keep else None

    def run(self, op: Op, fields: dict, *, call: object, when: When = "call", budget_calls: int = 1) -> CallOutcome:
        if self.on_plan and op in PLANNABLE_OPS and self._is_next_planned(op, fields):
            index = self.next
            if index < len(self.answers):
                self.next += 1
                outcome = self.answers[index].answering(call, when)
                if self.given is not None and index in self.plan.keep:
                    self.given.add(index, outcome.value)
                return outcome
            if self.lost is not None:  # the session was lost making this very call
                self.next += 1
                self.on_plan = False
                raise lost_calling(self.lost, call)
        self.leave()
        return self.live.run(op, fields, call=call, when=when, budget_calls=budget_calls)

    def _is_next_planned(self, op: Op, fields: dict) -> bool:
        """Whether this is the next planned request, byte for byte."""
        if self.next >= len(self.plan.keys):
            return False
        if self.given is not None:
            fields = self.given.refer(fields)
        return _encode(self._encoder, op, fields) == self.plan.keys[self.next]

    def leave(self) -> None:
        """Stop answering from the stream; the time of the answers never used is not the
        student's to pay."""
        if self.on_plan:
            self.on_plan = False
            self.live.spent_s -= sum(answer.duration_s for answer in self.answers[self.next:])
            if self.next == 0 and self.answers:  # the body's first request was not the planned one
                self.plan.missed = True


#: The answer parts a later call may pass back by reference: containers, arrays and floats (ints,
#: strings and the like may be shared objects, so their identity says nothing).
_REFERABLE = (np.ndarray, list, dict, tuple, float, complex)


class Answers:
    """The answers given to a body so far, and where each of their parts is, so that a later
    call that passes one back (the very object, unchanged: the cache of ``mlp_forward`` handed
    to ``mlp_backward``) is planned as a :class:`graders.worker.wire.AnswerRef` to it rather
    than with its value: the session then passes its own answer back, as the one-by-one replay
    would have, and the stream sent ahead carries none of the reference's answers."""

    def __init__(self, encoder: wire.Encoder, decoder: wire.Decoder):
        self._encoder, self._decoder = encoder, decoder
        #: by call index: the answer as given (kept alive, so that ids stay theirs) and its encoding
        self._given: dict[int, tuple[Any, bytes]] = {}
        #: by id of each part of an answer: (call index, path)
        self._where: dict[int, tuple[int, tuple]] = {}
        #: the calls whose answers a reference was made to
        self.referred: frozenset[int] = frozenset()

    def add(self, index: int, value: Any) -> None:
        """Remember answer ``index`` (an answer that cannot be encoded is never passed back)."""
        try:
            data = self._encoder.encode(value)
        except wire.WireError:
            return
        self._given[index] = (value, data)
        for path, part in _parts(value):
            self._where.setdefault(id(part), (index, path))

    def refer(self, value: Any) -> Any:
        """``value`` with every unchanged part of an earlier answer replaced by a reference to it
        (``value`` itself where there is none)."""
        if not self._where:
            return value
        place = self._where.get(id(value))
        if place is not None and self._unchanged(value, *place):
            self.referred |= {place[0]}
            return wire.AnswerRef(place[0], place[1])
        kind = type(value)
        if kind is list or kind is tuple:
            items = [self.refer(item) for item in value]
            return value if all(a is b for a, b in zip(items, value)) else kind(items)
        if kind is dict:
            entries = {k: self.refer(v) for k, v in value.items()}
            return value if all(entries[k] is v for k, v in value.items()) else entries
        return value

    def _unchanged(self, part: Any, index: int, path: tuple) -> bool:
        """Whether ``part`` is still the answer's part at ``path``, as it was given."""
        given, data = self._given[index]
        if _at(given, path) is not part:
            return False
        try:
            return self._encoder.encode(part) == self._encoder.encode(_at(self._decoder.decode(data), path))
        except (wire.WireError, LookupError, TypeError):
            return False


def _parts(value: Any, path: tuple = ()):
    """``(path, part)`` for every referable part of an answer, outermost first."""
    if isinstance(value, _REFERABLE):
        yield path, value
    kind = type(value)
    if kind is list or kind is tuple:
        for index, item in enumerate(value):
            yield from _parts(item, (*path, index))
    elif kind is dict:
        for key, item in value.items():
            if type(key) in (int, str):
                yield from _parts(item, (*path, key))


def _at(value: Any, path: tuple) -> Any:
    for step in path:
        value = value[step]
    return value


def _nudged(value: Any) -> Any:
    """``value`` with every float that is not a whole number (of arrays too) moved one unit in
    the last place away from zero (whole numbers stay: bodies check exact zeros, and bounds
    such as ``‖u‖∞ ≤ 1``, exactly)."""
    kind = type(value)
    if kind is float:
        return value if value.is_integer() else math.nextafter(value, math.copysign(math.inf, value))
    if kind is np.ndarray and value.dtype.kind == "f":
        return np.where(value == np.round(value), value, np.nextafter(value, np.copysign(np.inf, value)))
    if kind is list or kind is tuple:
        return kind(_nudged(item) for item in value)
    if kind is dict:
        return {key: _nudged(item) for key, item in value.items()}
    return value

"""What a check sees: :class:`CheckContext` calls into the student's code and hands back plain
data; :class:`ExerciseSession` keeps the worker session of one exercise alive across checks.

Every call goes through :meth:`ExerciseSession.request`, which turns a reply into a value or
a :class:`~graders.outcomes.StudentCallError`, and a lost session into
:class:`~graders.errors.WorkerLost` with a message naming the call
(``"exceeded the 10 s time limit calling mlp_forward(array(shape=(64, 32), ...))"``).
"""
from __future__ import annotations

import time
from types import ModuleType
from typing import Any, Mapping

import numpy as np

from graders.client import Session, Worker
from graders.errors import WorkerLost
from graders.formatting import format_call
from graders.outcomes import CallOutcome, CheckFailed, StudentCallError
from graders.protocol import ErrorInfo, Reply, Target
from graders.settings import GradingSettings
from graders.spec import Exercise
from graders.wire import FuncSource, Handle, TensorData

LOAD_TIMEOUT_S = 30.0


class SubmissionSession:
    """The worker session one submission's exercises share: forked once, the files loaded once,
    each exercise importing its own module into it.

    A worker runs one session at a time. An exercise that plants traps on library calls
    (``numpy.kron``) starts a fresh session and ends it when it is done, so a trap never
    outlives its exercise. A loss (a hang, a crash) ends the session for every exercise; the next
    one to need it forks a fresh one and imports its module again (``generation`` tells them
    apart). ``bans`` says which modules the open session refuses; an exercise whose bans differ
    sets its own before its module is imported. Importing it also makes the session forget what
    the previous exercise's code was caught using.
    """

    def __init__(self, worker: Worker, files: Mapping[str, bytes]):
        self.worker = worker
        self.files = dict(files)
        self.session: Session | None = None
        self.generation = 0
        self.bans: tuple[str, ...] = ()  #: the modules whose imports the open session refuses

    @property
    def usable(self) -> bool:
        return self.session is not None and self.session.lost is None and not self.session.closed

    def acquire(self) -> Session:
        """The open session (a fresh one with the files loaded if there is none)."""
        if not self.usable:
            self.session = self.worker.open_session()
            self.generation += 1
            self.bans = ()
            self.session.request("load", {"files": self.files}, timeout_s=LOAD_TIMEOUT_S)
        return self.session

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


class ExerciseSession:
    """The worker session serving one exercise: the submission's shared one (a fresh one, ended
    with the exercise, when the exercise sets traps), re-forked (files reloaded, module
    re-imported) after a loss, so one hang or crash costs only the check in flight.

    Parameters
    ----------
    worker : Worker
    files : mapping of str to bytes
        The submission's files.
    exercise : Exercise
    settings : GradingSettings
    shared : SubmissionSession, optional
        The submission's session; without one the exercise forks its own and ends it.
    """

    def __init__(self, worker: Worker, files: Mapping[str, bytes], exercise: Exercise, settings: GradingSettings,
                 shared: SubmissionSession | None = None):
        self.exercise = exercise
        self.settings = settings
        self.traps = [name for name in exercise.forbidden if "." in name]
        self.banned_modules = tuple(name for name in exercise.forbidden if "." not in name)
        self.source = shared if shared is not None else SubmissionSession(worker, files)
        self.ends_source = shared is None or bool(self.traps)
        self.generation = 0  #: the source's generation this exercise's module was imported into
        self.import_error: ErrorInfo | None = None
        self.forbidden_used: set[str] = set()
        self.spent_s = 0.0  #: wall time spent waiting for the student's code (sandbox starts excluded)
        self.outputs: list[str] = []

    # -- budget
    def remaining_s(self) -> float:
        return self.settings.exercise_timeout_s - self.spent_s

    def timeout_for_call(self, calls: int = 1) -> float:
        """The wall-clock limit of the next request (``calls`` calls batched into it)."""
        remaining = self.remaining_s()
        if remaining <= 0:
            raise WorkerLost("timeout", f"the exercise used up its {self.settings.exercise_timeout_s:g} s time budget")
        return min(self.settings.call_timeout_s * max(1, calls), remaining)

    # -- session
    def ensure(self) -> Session:
        """An open session with the submission loaded and the exercise's module imported."""
        if self.source.usable and self.generation == self.source.generation:
            return self.source.session
        timeout = self.timeout_for_call()  # raises WorkerLost once the exercise's budget is spent
        if self.traps and not self.generation:
            self.source.close()  # traps go into a session of their own, never into a shared one
        session = self.source.acquire()
        self.generation = self.source.generation
        if (self.traps or self.banned_modules != self.source.bans) and self._forbid(session):
            self.source.close()  # the shared session imported a module this exercise bans: start afresh
            session = self.source.acquire()
            self.generation = self.source.generation
            self._forbid(session)
        if self.import_error is None:
            clock = time.monotonic()
            try:
                reply = session.request("import", {"module": self.exercise.module}, timeout_s=timeout)
            except WorkerLost as lost:
                self.spent_s += time.monotonic() - clock
                self.import_error = ErrorInfo(lost.status, "", lost.message)
                raise WorkerLost(lost.status, self._import_problem().message) from None
            self.spent_s += time.monotonic() - clock
            self._note_forbidden(reply)
            if not reply.ok:
                self.import_error = reply.error
        return session

    def _forbid(self, session: Session) -> list:
        """Tell ``session`` what this exercise forbids; the banned modules it had already imported."""
        reply = session.request("forbid", {"names": self.traps, "modules": list(self.banned_modules)},
                                timeout_s=LOAD_TIMEOUT_S)
        self.source.bans = self.banned_modules
        return reply.value if reply.ok and isinstance(reply.value, list) else []

    def _note_forbidden(self, reply: Reply) -> None:
        """Keep what the reply says the student's code used of this exercise's forbidden names."""
        self.forbidden_used.update(name for name in reply.forbidden if name in self.exercise.forbidden)

    def close(self) -> None:
        """End the session if it is this exercise's own (a shared one ends with its submission)."""
        if self.ends_source:
            self.source.close()

    def request(self, op: str, fields: dict, *, call: object, when: str = "call", budget_calls: int = 1) -> Any:
        """Send a request for the student's code and return the value it produced."""
        return self.run(op, fields, call=call, when=when, budget_calls=budget_calls).value_or_raise()

    def run(self, op: str, fields: dict, *, call: object, when: str = "call", budget_calls: int = 1) -> CallOutcome:
        """Like :meth:`request` but returns a :class:`CallOutcome` for student errors."""
        session = self.ensure()
        if self.import_error is not None:
            return CallOutcome(when, call, "student_error", error=self._import_problem())
        clock = time.monotonic()
        try:
            reply = session.request(op, fields, timeout_s=self.timeout_for_call(budget_calls))
        except WorkerLost as lost:
            raise lost_calling(lost, call) from None
        finally:
            self.spent_s += time.monotonic() - clock
        return self._outcome(reply, when, call)

    def _outcome(self, reply: Reply, when: str, call: object) -> CallOutcome:
        """Record what a reply says beyond its value (output, forbidden calls); its outcome."""
        if reply.output:
            self.outputs.append(reply.output)
        self._note_forbidden(reply)
        return CallOutcome(when, call, "ok" if reply.ok else "student_error", value=reply.value, error=reply.error,
                           duration_s=reply.duration_s, stdout_tail=reply.output)

    def run_many(self, calls: list[tuple[dict, object]]) -> list[CallOutcome | None]:
        """Several independent ``call`` requests (their fields, and the call each stands for) in
        one round trip, each answered as it returns and held to its own time limit; a
        :class:`CallOutcome` each, in order, up to the first that is not ``ok``: the calls after
        it are not made, and their entries are None.

        Raises
        ------
        WorkerLost
            As for a single call, naming the call that was running; its ``index`` attribute is
            that call's position in ``calls``.
        """
        session = self.ensure()
        if self.import_error is not None:
            return [CallOutcome("call", calls[0][1], "student_error", error=self._import_problem())] + [None] * (len(calls) - 1)
        outcomes: list[CallOutcome | None] = [None] * len(calls)
        clock = time.monotonic()
        try:
            for index, reply in enumerate(session.stream([fields for fields, _ in calls], timeout_s=self.timeout_for_call)):
                outcomes[index] = self._outcome(reply, "call", calls[index][1])
        except WorkerLost as lost:
            index = outcomes.index(None)  # the call that was running (the stream stops at a failure)
            failure = lost_calling(lost, calls[index][1])
            failure.index = index
            raise failure from None
        finally:
            self.spent_s += time.monotonic() - clock
        return outcomes

    def prefetch(self, calls: list[dict], *, budget_s: float | None = None, encoded_calls: bytes | None = None,
                 budgets: list[int] | None = None) -> tuple[list[CallOutcome], WorkerLost | None]:
        """Make ``calls`` (the fields of ``call`` requests, or of ``batch`` ones with ``"op":
        "batch"``) in order, in one quiet stream (see
        :meth:`graders.client.Session.quiet_stream`), before anything asks for their answers.

        Returns the outcome of each call made (the calls stop after the first that is not
        ``ok``, once they have taken ``budget_s``, or with the session's loss), and the loss, if any: a
        :class:`~graders.errors.WorkerLost` for ``calls[len(outcomes)]``, with no call named yet
        (whoever asks for that call's answer names it). Never raises for the student's doing.
        ``encoded_calls`` is the wire encoding of ``calls``, where the caller keeps one;
        ``budgets``, how many calls each item holds (``batch`` items hold several).
        """
        session = self.ensure()
        if self.import_error is not None or not calls:
            return [], None
        clock = time.monotonic()
        lost = None
        try:
            replies = session.quiet_stream(calls, timeout_s=self.timeout_for_call, budget_s=budget_s,
                                           encoded_calls=encoded_calls, budgets=budgets)
        except WorkerLost as loss:
            replies, lost = getattr(loss, "replies", []), loss
        finally:
            self.spent_s += time.monotonic() - clock
        return [self._outcome(reply, "call", None) for reply in replies], lost

    def _import_problem(self) -> ErrorInfo:
        """The import failure, as the error of every call that needed the module."""
        error = self.import_error
        return ErrorInfo("import", "", f"could not import {self.exercise.module_file}: {error.one_line()}",
                         "", error.traceback)


def lost_calling(lost: WorkerLost, call: object) -> WorkerLost:
    """``lost`` as reported to the student: naming ``call``, the call that was running (shown
    briefly, arrays by shape)."""
    brief = call.brief() if hasattr(call, "brief") else str(call)
    return WorkerLost(lost.status, f"{lost.message} calling {brief}")


class _LazyCall:
    """A call rendered as text only when someone reads it (formatting arrays is not free)."""

    __slots__ = ("name", "args", "kwargs", "_text")

    def __init__(self, name: str, args: tuple, kwargs: dict):
        self.name, self.args, self.kwargs, self._text = name, args, kwargs, None

    def __str__(self) -> str:
        if self._text is None:
            self._text = format_call(self.name, self.args, self.kwargs)
        return self._text

    def brief(self) -> str:
        """The call with arrays shown by shape: for one-line messages."""
        return format_call(self.name, self.args, self.kwargs, 300, compact=True)

    def __bool__(self) -> bool:
        return True


class CheckContext:
    """The handle a check gets on the student's code, the reference, and the settings.

    Values come back as plain data: ndarrays, floats, lists, dicts, tuples, :class:`TensorData`
    for torch tensors, and :class:`Handle` for objects that stay in the worker.
    """

    def __init__(self, runtime: ExerciseSession, settings: GradingSettings):
        self.runtime = runtime
        self.exercise: Exercise = runtime.exercise
        self.settings = settings
        self.last_call: object = ""
        self.calls = 0

    def __repr__(self) -> str:
        return f"<CheckContext {self.exercise.id}>"

    # -- the reference (grader side only)
    @property
    def ref(self) -> ModuleType:
        """The reference module of this exercise (``geodl_ref...``)."""
        return self.exercise.reference

    # -- calls into the worker
    def call(self, func: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``func`` of the exercise's module with plain-data arguments."""
        return self._call(Target(module=self.exercise.module, path=tuple(func.split("."))), func, args, kwargs)

    def map(self, func: str, arguments: list[tuple], **kwargs: Any) -> list[Any]:
        """``[func(*args, **kwargs) for args in arguments]`` in one round trip to the worker.

        For independent calls only. The first call that raises is reported as a
        :class:`~graders.outcomes.StudentCallError` naming that call.
        """
        target = Target(module=self.exercise.module, path=tuple(func.split("."))).to_json()
        calls = [{"target": target, "args": list(args), "kwargs": dict(kwargs)} for args in arguments]
        label = _LazyCall(f"{func} (×{len(calls)})", arguments[0] if arguments else (), kwargs)
        self.last_call = label
        self.calls += 1
        replies = self.runtime.request("batch", {"calls": calls}, call=label, budget_calls=len(calls))
        if not isinstance(replies, list) or len(replies) != len(calls):
            raise CheckFailed(f"the worker answered {len(calls)} calls with {type(replies).__name__}")
        values = []
        for args, reply in zip(arguments, replies):
            call = _LazyCall(func, args, kwargs)
            if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
                raise CheckFailed(f"{func}: malformed batch reply")
            if not reply["ok"]:
                self.last_call = call
                raise StudentCallError(call, ErrorInfo.from_json(reply.get("error")))
            values.append(reply.get("value"))
        return values

    def report_call(self, func: str, *args: Any, **kwargs: Any) -> None:
        """Name ``func(*args, **kwargs)`` as the failing test case if the check fails next: for a
        check that inspects the results of :meth:`map` one by one."""
        self.last_call = _LazyCall(func, args, kwargs)

    def call_in(self, module: str, func: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``func`` of another student module of the chapter (``"ch06.optim"``)."""
        return self._call(Target(module=module, path=tuple(func.split("."))), func, args, kwargs)

    def call_handle(self, handle: Handle, *args: Any, method: str | None = None, **kwargs: Any) -> Any:
        """Call an object kept in the worker (``method=None``) or one of its methods."""
        self._check_handle(handle)
        path = tuple(method.split(".")) if method else ()
        name = f"{handle.type_name.rsplit('.', 1)[-1]}.{method}" if method else handle.type_name.rsplit(".", 1)[-1]
        return self._call(Target(handle=handle.id, path=path), name, args, kwargs)

    def text(self, func: str, *args: Any, **kwargs: Any) -> str:
        """Call ``func`` and receive its result as text: a string answer as is, a sympy
        expression printed by sympy in the worker (symbolic-answer exercises). Parse it with
        :func:`graders.checks.symbolic.parse_formula`, never with sympify."""
        return self._call(Target(module=self.exercise.module, path=tuple(func.split("."))), func, args, kwargs,
                          want="text")

    def construct(self, cls: str, *args: Any, **kwargs: Any) -> Handle:
        """Instantiate ``cls`` of the exercise's module; the object stays in the worker."""
        return self._call(Target(module=self.exercise.module, path=tuple(cls.split("."))), cls, args, kwargs, want="handle")

    def get(self, name: str, *, handle: Handle | None = None, want: str = "auto") -> Any:
        """Read an attribute of the exercise's module (or of a worker object)."""
        if handle is not None:
            self._check_handle(handle)
            target = Target(handle=handle.id, path=tuple(name.split(".")))
        else:
            target = Target(module=self.exercise.module, path=tuple(name.split(".")))
        self.last_call = name
        self.calls += 1
        return self.runtime.request("getattr", {"target": target.to_json(), "want": want}, call=name, when="getattr")

    def outcome(self, func: str, *args: Any, **kwargs: Any) -> CallOutcome:
        """Call ``func`` and return the :class:`CallOutcome` instead of raising on a student error
        (for checks that expect the student's code to raise, e.g. on invalid input)."""
        target = Target(module=self.exercise.module, path=tuple(func.split(".")))
        call = _LazyCall(func, args, kwargs)
        self.last_call = call
        self.calls += 1
        fields = {"target": target.to_json(), "args": list(args), "kwargs": dict(kwargs)}
        return self.runtime.run("call", fields, call=call)

    # -- values for the worker
    @staticmethod
    def tensor(array: Any, *, dtype: str = "float64", requires_grad: bool = False, device: str = "cpu") -> TensorData:
        """A torch tensor argument, built in the worker from ``array``."""
        return TensorData(np.asarray(array), dtype, device, requires_grad)

    @staticmethod
    def function(source: str) -> FuncSource:
        """A grader-authored function for the student's code to call, e.g.
        ``ctx.function("lambda X: float(np.sum(X ** 3))")``."""
        return FuncSource(source)

    # -- failing
    @staticmethod
    def fail(message: str, *, expected: Any = None, got: Any = None) -> None:
        raise CheckFailed(message, expected=expected, got=got)

    def _call(self, target: Target, name: str, args: tuple, kwargs: dict, want: str = "auto") -> Any:
        call = _LazyCall(name, args, kwargs)
        self.last_call = call
        self.calls += 1
        fields = {"target": target.to_json(), "args": list(args), "kwargs": dict(kwargs), "want": want}
        return self.runtime.request("call", fields, call=call)

    def _check_handle(self, handle: Any) -> None:
        if not isinstance(handle, Handle):
            raise CheckFailed(f"expected an object kept in the worker, got {type(handle).__name__}")

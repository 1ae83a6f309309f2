"""What a check sees: :class:`CheckContext`, its handle on the student's code (calls that come
back as plain data), on the reference and on the settings. A context is made for one runner
(:mod:`graders.grading.runners`) and keeps it."""
from __future__ import annotations

import re
from types import ModuleType
from typing import Any

import numpy as np

from graders.grading.outcomes import CallOutcome, CheckFailed, StudentCallError
from graders.grading.pretty import format_call
from graders.grading.protocol import ErrorInfo, Target
from graders.grading.repro import MAY_HOLD_HANDLES, handles_in
from graders.grading.returns import Returns
from graders.grading.runners import CallRunner
from graders.grading.settings import GradingSettings
from graders.grading.spec import Exercise
from graders.worker.wire import TORCH_DTYPES, FuncSource, Handle, TensorData

#: The most calls on objects kept in the worker a check remembers (for its repro file).
MAX_HISTORY = 1000


class DeferredCall:
    """A call rendered as text only when someone reads it (formatting arrays is not free), and
    what a repro file of it needs (:mod:`graders.grading.repro`): what it called (``target``),
    how (``want``: ``call``, ``text``, ``getattr`` or ``outcome``), the calls of a :meth:`CheckContext.map`
    it stands for (``batch``), the check's previous call on objects kept in the worker
    (``earlier``), and the objects its answer held (``produced``: handle id -> path)."""

    __slots__ = ("name", "args", "kwargs", "target", "want", "batch", "earlier", "produced", "reported", "_text")

    def __init__(self, name: str, args: tuple, kwargs: dict, target: Target | None = None, *, want: str = "call",
                 batch: list | None = None, earlier: DeferredCall | None = None):
        self.name, self.args, self.kwargs = name, args, kwargs
        self.target, self.want, self.batch, self.earlier = target, want, batch, earlier
        self.produced: dict[int, tuple] | None = None
        self.reported = False  #: named by the check as its failing case (:meth:`CheckContext.report_call`)
        self._text: str | None = None

    def __str__(self) -> str:
        text = self._text
        if text is None:
            text = self._text = (self.name if self.want == "getattr"
                                 else format_call(self.name, self.args, self.kwargs) + self._of_batch("  # "))
        return text

    def brief(self) -> str:
        """The call with arrays shown by shape: for one-line messages."""
        if self.want == "getattr":
            return self.name
        return format_call(self.name, self.args, self.kwargs, 300, compact=True) + self._of_batch(" (", ")")

    def _of_batch(self, before: str, after: str = "") -> str:
        """For a map's calls: which of them the call shown is (an empty string otherwise)."""
        if self.batch is None or len(self.batch) < 2:
            return ""
        return f"{before}the first of {len(self.batch)} calls of {self.name} made together{after}"

    def __bool__(self) -> bool:
        return True


class CheckContext:
    """The handle a check gets on the student's code, the reference, and the settings.

    Values come back as plain data: ndarrays, floats, lists, dicts, tuples, :class:`TensorData`
    for torch tensors, and :class:`Handle` for objects that stay in the worker.
    """

    def __init__(self, runner: CallRunner, settings: GradingSettings):
        self.runner = runner
        self.exercise: Exercise = runner.exercise
        self.settings = settings
        self._last_call: object = ""
        #: The last call of each of the student's functions in this check, by function name.
        self.calls_by_function: dict[str, DeferredCall] = {}
        self.calls = 0
        #: The latest call on objects kept in the worker (each links to the one before).
        self._history: DeferredCall | None = None
        self._history_length = 0

    def __repr__(self) -> str:
        return f"<CheckContext {self.exercise.id}>"

    @property
    def last_call(self) -> object:
        """The last call the check made (what a failure shows, :meth:`failing_call`)."""
        return self._last_call

    @last_call.setter
    def last_call(self, call: object) -> None:
        self._last_call = call
        if isinstance(call, DeferredCall) and call.want != "getattr":
            self.calls_by_function[call.name] = call

    def failing_call(self, message: str) -> object:
        """The call a failure with ``message`` shows: the call the check named last with
        :meth:`report_call`, if no call was made since; else the last call of the function the
        message names first (``"mlp_backward ... is wrong"`` after calls of mlp_forward and
        mlp_backward shows the mlp_backward call, not the last call made), else the last call."""
        if isinstance(self._last_call, DeferredCall) and self._last_call.reported:
            return self._last_call
        named = [(found.start(), call) for func, call in self.calls_by_function.items()
                 if (found := re.search(rf"(?<![\w.]){re.escape(func)}(?!\w)", message))]
        return min(named, key=lambda pair: pair[0])[1] if named else self._last_call

    # -- the reference (grader side only)
    @property
    def ref(self) -> ModuleType:
        """The reference module of this exercise (``geodl_ref...``)."""
        return self.exercise.reference

    # -- calls into the worker
    def call(self, func: str, *args: Any, returns: Returns | None = None, **kwargs: Any) -> Any:
        """Call ``func`` of the exercise's module with plain-data arguments; with ``returns``
        (``Array(shape=(n,))``, :mod:`graders.grading.returns`), the value converted as declared,
        or the check failed saying what came back."""
        value = self._call(Target(module=self.exercise.module, path=tuple(func.split("."))), func, args, kwargs,
                           pure=self._pure(func))
        return value if returns is None else returns.convert(value, func)

    def map(self, func: str, arguments: list[tuple], *, returns: Returns | None = None, **kwargs: Any) -> list[Any]:
        """``[func(*args, **kwargs) for args in arguments]`` in one round trip to the worker.

        For independent calls only. The first call that raises is reported as a
        :class:`~graders.grading.outcomes.StudentCallError` naming that call; with ``returns``,
        each value is converted as declared (the first that is not fails the check, naming its call).
        """
        where = Target(module=self.exercise.module, path=tuple(func.split(".")))
        target = where.to_json()
        pure = self._pure(func)
        calls = [{"target": target, "args": list(args), "kwargs": dict(kwargs), "pure": pure} for args in arguments]
        label = DeferredCall(func, arguments[0] if arguments else (), kwargs, where, batch=list(arguments),
                             earlier=self._history)
        self.last_call = label
        self.calls += 1
        replies = self.runner.request("batch", {"calls": calls}, call=label, budget_calls=len(calls))
        if not isinstance(replies, list) or len(replies) != len(calls):
            raise CheckFailed(f"the worker answered {len(calls)} calls with {type(replies).__name__}")
        values = []
        for args, reply in zip(arguments, replies):
            call = DeferredCall(func, args, kwargs, where, earlier=self._history)
            if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
                raise CheckFailed(f"{func}: malformed batch reply")
            if not reply["ok"]:
                self.last_call = call
                raise _call_error(func, call, ErrorInfo.from_json(reply.get("error")))
            if returns is not None:
                self.last_call = call
                values.append(returns.convert(reply.get("value"), func))
                self.last_call = label
            else:
                values.append(reply.get("value"))
        return values

    def report_call(self, func: str, *args: Any, **kwargs: Any) -> None:
        """Name ``func(*args, **kwargs)`` as the failing test case if the check fails next: for a
        check that inspects the results of :meth:`map` one by one."""
        call = DeferredCall(func, args, kwargs, Target(module=self.exercise.module, path=tuple(func.split("."))),
                            earlier=self._history)
        call.reported = True
        self.last_call = call

    def call_in(self, module: str, func: str, *args: Any, returns: Returns | None = None, **kwargs: Any) -> Any:
        """Call ``func`` of another student module of the chapter (``"ch06.optim"``)."""
        value = self._call(Target(module=module, path=tuple(func.split("."))), func, args, kwargs, pure=True)
        return value if returns is None else returns.convert(value, func)

    def call_handle(self, handle: Handle, *args: Any, method: str | None = None, returns: Returns | None = None,
                    **kwargs: Any) -> Any:
        """Call an object kept in the worker (``method=None``) or one of its methods."""
        self._check_handle(handle)
        path = tuple(method.split(".")) if method else ()
        name = f"{handle.type_name.rsplit('.', 1)[-1]}.{method}" if method else handle.type_name.rsplit(".", 1)[-1]
        value = self._call(Target(handle=handle.id, path=path), name, args, kwargs)
        return value if returns is None else returns.convert(value, name)

    def text(self, func: str, *args: Any, **kwargs: Any) -> str:
        """Call ``func`` and receive its result as text: a string answer as is, a sympy
        expression printed by sympy in the worker (symbolic-answer exercises). Parse it with
        :func:`graders.authoring.checks.symbolic.parse_formula`, never with sympify."""
        return self._call(Target(module=self.exercise.module, path=tuple(func.split("."))), func, args, kwargs,
                          want="text", pure=self._pure(func))

    def construct(self, cls: str, *args: Any, **kwargs: Any) -> Handle:
        """Instantiate ``cls`` of the exercise's module; the object stays in the worker."""
        return self._call(Target(module=self.exercise.module, path=tuple(cls.split("."))), cls, args, kwargs,
                          want="handle")

    def get(self, name: str, *, handle: Handle | None = None, want: str = "auto",
            returns: Returns | None = None) -> Any:
        """Read an attribute of the exercise's module (or of a worker object); with ``returns``,
        converted as declared (``Record(exp=Function(), ...)`` for a dict of functions)."""
        if handle is not None:
            self._check_handle(handle)
            target = Target(handle=handle.id, path=tuple(name.split(".")))
        else:
            target = Target(module=self.exercise.module, path=tuple(name.split(".")))
        call = DeferredCall(name, (), {}, target, want="getattr", earlier=self._history)
        self.last_call = call
        self.calls += 1
        value = self.runner.request("getattr", {"target": target.to_json(), "want": want}, call=name, when="getattr")
        self._settle(call, value)
        return value if returns is None else returns.check(value, returns.label or name)

    def outcome(self, func: str, *args: Any, **kwargs: Any) -> CallOutcome:
        """Call ``func`` and return the :class:`CallOutcome` instead of raising on a student error
        (for checks that expect the student's code to raise, e.g. on invalid input)."""
        target = Target(module=self.exercise.module, path=tuple(func.split(".")))
        call = DeferredCall(func, args, kwargs, target, want="outcome", earlier=self._history)
        self.last_call = call
        self.calls += 1
        fields = {"target": target.to_json(), "args": list(args), "kwargs": dict(kwargs)}
        outcome = self.runner.run("call", fields, call=call)
        self._settle(call, outcome.value)
        return outcome

    # -- values for the worker
    @staticmethod
    def tensor(array: Any, *, dtype: str = "float64", requires_grad: bool = False, device: str = "cpu") -> TensorData:
        """A torch tensor argument of torch dtype ``dtype``, built in the worker from ``array``
        (converted here to the numpy dtype that carries it: float64 values sent as ``"float32"``
        are rounded to float32 first)."""
        if dtype not in TORCH_DTYPES:
            raise ValueError(f"dtype={dtype!r} should be one of {', '.join(TORCH_DTYPES)}")
        return TensorData(np.asarray(array, dtype=TORCH_DTYPES[dtype]), dtype, device, requires_grad)

    @staticmethod
    def function(source: str) -> FuncSource:
        """A grader-authored function for the student's code to call, e.g.
        ``ctx.function("lambda X: float(np.sum(X ** 3))")``."""
        return FuncSource(source)

    # -- failing
    @staticmethod
    def fail(message: str, *, expected: Any = None, got: Any = None) -> None:
        raise CheckFailed(message, expected=expected, got=got)

    def _call(self, target: Target, name: str, args: tuple, kwargs: dict, want: str = "auto",
              pure: bool = False) -> Any:
        call = DeferredCall(name, args, kwargs, target, want="text" if want == "text" else "call",
                            earlier=self._history)
        self.last_call = call
        self.calls += 1
        fields: dict[str, Any] = {"target": target.to_json(), "args": list(args), "kwargs": dict(kwargs), "want": want}
        if pure:
            fields["pure"] = True
        value = None
        try:
            value = self.runner.request("call", fields, call=call)
        except StudentCallError as error:
            raise _call_error(name, error.call, error.error) from None
        finally:
            self._settle(call, value)
        return value

    def _settle(self, call: DeferredCall, value: Any) -> None:
        """Record the objects kept in the worker that ``call``'s answer holds; a call that used or
        returned one becomes the latest of the check's history (what a repro file replays). The
        history keeps at most :data:`MAX_HISTORY` calls: an older one is forgotten (a repro that
        needs it is not made)."""
        call.produced = handles_in(value) if type(value) in MAY_HOLD_HANDLES else None
        if not call.produced and not handles_in((call.args, call.kwargs)) and (call.target is None
                                                                               or call.target.handle is None):
            return
        self._history_length += 1
        if self._history_length > MAX_HISTORY:
            call.earlier, self._history_length = None, 1
        self._history = call

    def _pure(self, func: str) -> bool:
        """Whether a call of ``func`` must leave its arguments as they were (every function but
        those the exercise declares in ``mutates``)."""
        return func not in self.exercise.mutates

    def _check_handle(self, handle: Any) -> None:
        if not isinstance(handle, Handle):
            raise CheckFailed(f"expected an object kept in the worker, got {type(handle).__name__}")


def _call_error(func: str, call: object, error: ErrorInfo) -> Exception:
    """What a call that did not return normally fails the check with: an argument changed in
    place fails it (``CheckFailed``: the function ran, against its specification); anything
    else the student's code raised is a :class:`StudentCallError`."""
    if error.kind == "modified":
        return CheckFailed(f"{func} {error.message}")
    return StudentCallError(call, error)

"""A visible check's failing case as a runnable Python file: the exact inputs the grader passed
(every float at full precision, every dtype kept), the import of the student's function as the
stub writes it, the call, and what it returned.

What the file replays is the failing call (:meth:`CheckContext.failing_call
<graders.grading.context.CheckContext.failing_call>`), preceded by every earlier call of the
check on objects kept in the worker that it depends on: the call that built each object it uses,
and each call made on those objects or on objects built from them (a model's parameters, an
optimizer holding them) before it. A call of :meth:`~graders.grading.context.CheckContext.map`
that failed as a whole (a timeout in one of its calls) is replayed as a loop over all of them.

The text is built from the values the grader sent, so it is exact; it holds no reference
solution and nothing of another check. Arrays of up to :data:`INLINE_ELEMENTS` elements are
written in it; larger ones go to an ``.npz`` of the same name beside it, and travel in the text
as trailing comment lines (``# geodl-repro-array NAME DATA``, zlib-compressed ``.npy`` in
base64) that :func:`split_repro` turns back into arrays. A case whose text would exceed
:data:`MAX_REPRO_CHARS`, or that holds something no Python literal rebuilds (an object whose
origin the check's history no longer holds), gets no file: :func:`repro_source` returns ``""``.

>>> import numpy as np
>>> print(literal(np.array([[0.1, 1 / 3], [np.nan, -np.inf]])))
np.array([[0.1, 0.3333333333333333], [np.nan, -np.inf]], dtype=np.float64)
>>> literal({"eta": 0.05, "shape": (2,)})
"{'eta': 0.05, 'shape': (2,)}"
"""
from __future__ import annotations

import base64
import io
import math
import re
import textwrap
import zlib
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from graders.worker.wire import FuncSource, Handle, TensorData

if TYPE_CHECKING:
    from graders.grading.context import DeferredCall
    from graders.grading.spec import CheckSpec, Exercise

#: Arrays with more elements than this are loaded from the ``.npz`` beside the file.
INLINE_ELEMENTS = 1000
#: The longest repro text kept in a result (its larger arrays included); longer cases get none.
MAX_REPRO_CHARS = 64_000
#: How a larger array travels in the text, after the source.
DATA_PREFIX = "# geodl-repro-array "

_WIDTH = 100


class Unrepresentable(Exception):
    """A value no Python literal of the repro file rebuilds."""


def repro_filename(exercise_id: str, check_name: str) -> str:
    """The repro file's name: ``<exercise>__<check>.py``.

    >>> repro_filename("ch06.optimizers", "momentum_matches_torch_sgd")
    'ch06.optimizers__momentum_matches_torch_sgd.py'
    """
    return f"{_safe_name(exercise_id)}__{_safe_name(check_name)}.py"


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name).strip(".") or "_"


# --------------------------------------------------------------------------- the file
def repro_source(call: object, *, exercise: Exercise, check: CheckSpec, message: str, status: str,
                 seed: int | None = None) -> str:
    """The repro text of a failed check whose failing call is ``call`` (a
    :class:`~graders.grading.context.DeferredCall`), or ``""`` where none can be made: no call,
    a value no literal rebuilds, or a text over :data:`MAX_REPRO_CHARS`."""
    from graders.grading.context import DeferredCall

    if not isinstance(call, DeferredCall):
        return ""
    steps = replayed_calls(call, exercise.mutates)
    if steps is None:
        return ""
    try:
        text = _Script(exercise).render(steps, check=check, message=message, status=status, seed=seed)
    except (Unrepresentable, RecursionError):
        return ""
    return text if len(text) <= MAX_REPRO_CHARS else ""


def replayed_calls(final: DeferredCall, mutates: tuple[str, ...] = ()) -> list[DeferredCall] | None:
    """The calls the repro makes, in order, ending with ``final``; None where an object it needs
    was built by a call the check's history no longer holds.

    ``final`` alone unless it uses objects kept in the worker. Then also, from the check's
    history of calls on such objects, every call that an object in use depends on: the one that
    built it; every call of it or of one of its methods; every call that passed it to a function
    the exercise lets change its arguments (``mutates``), to another object's method, or to a call
    that built a new object (which may keep it). An object used by a call taken in is in use as
    well, and so are the objects a call taken in built, unless it read them from a module's
    attribute (a table of functions: each is used only where it is named)."""
    need = _handles_used(final)
    if not need:
        return [final]
    history = []
    earlier = final.earlier
    while earlier is not None:
        history.append(earlier)
        earlier = earlier.earlier
    history.reverse()
    facts = [_Facts(call, mutates) for call in history]
    included: set[int] = set()
    changed = True
    while changed:  # a fixpoint: each call taken in may put more objects in use
        changed = False
        for index, fact in enumerate(facts):
            if index not in included and fact.depends(need):
                included.add(index)
                need |= fact.brings
                changed = True
    steps = [history[i] for i in sorted(included)]
    built = {handle for step in steps for handle in step.produced or ()}
    return steps + [final] if need <= built else None


class _Facts:
    """What :func:`replayed_calls` asks of one call of the history, worked out once."""

    __slots__ = ("made", "target", "passed", "may_change", "brings")

    def __init__(self, call: DeferredCall, mutates: tuple[str, ...]):
        self.made = set(call.produced or ())
        self.target = call.target.handle if call.target is not None else None
        self.passed = set(handles_in((call.args, call.kwargs)))
        #: whether the objects passed to it may change or be kept: passed to a method of another
        #: object, to a function the exercise lets change its arguments, or to a call that built one
        self.may_change = bool(self.made) or self.target is not None or call.name in mutates
        used = self.passed | ({self.target} if self.target is not None else set())
        self.brings = used | (set() if call.want == "getattr" else self.made)

    def depends(self, need: set[int]) -> bool:
        return bool(need & self.made) or self.target in need or (self.may_change and bool(need & self.passed))


def _handles_used(call: DeferredCall) -> set[int]:
    found = handles_in((call.args, call.kwargs))
    if call.target is not None and call.target.handle is not None:
        found[call.target.handle] = ()
    return set(found)


def handles_in(value: Any, path: tuple = (), found: dict[int, tuple] | None = None) -> dict[int, tuple]:
    """Every :class:`~graders.worker.wire.Handle` in ``value`` (lists, tuples and dict values),
    by id, with its path (indices and keys) from ``value``."""
    found = {} if found is None else found
    kind = type(value)
    if kind is Handle:
        found.setdefault(value.id, path)
    elif kind is list or kind is tuple:
        for index, item in enumerate(value):
            if type(item) in MAY_HOLD_HANDLES:
                handles_in(item, (*path, index), found)
    elif kind is dict:
        for key, item in value.items():
            if type(item) in MAY_HOLD_HANDLES:
                handles_in(item, (*path, key), found)
    return found


#: The types a value holding a :class:`~graders.worker.wire.Handle` can be (what :func:`handles_in` looks into).
MAY_HOLD_HANDLES = (Handle, list, tuple, dict)


class _Script:
    """One repro file being written: its imports, its larger arrays, its statements."""

    def __init__(self, exercise: Exercise):
        self.exercise = exercise
        self.imports: dict[str, None] = {}           # "import x" lines, in order met
        self.names: dict[str, str] = {}              # name imported from a student module -> that module
        self.spilled: dict[int, tuple[str, np.ndarray]] = {}
        self.handles: dict[int, str] = {}            # handle id -> the expression of its object
        self.modules: dict[str, None] = {}       # numpy, torch, math: as the values need

    # -- the whole file
    def render(self, steps: list[DeferredCall], *, check: CheckSpec, message: str, status: str,
               seed: int | None) -> str:
        body: list[str] = []
        for number, step in enumerate(steps[:-1], start=1):
            body += self._statement(step, f"obj{number}")
        final = steps[-1]
        body += self._final(final)
        head = self._head(check, message, status, seed, final)
        data = [f"{DATA_PREFIX}{name} {_pack(array)}" for name, array in self.spilled.values()]
        return "\n".join(head + body) + "\n" + ("\n" + "\n".join(data) + "\n" if data else "")

    def _head(self, check: CheckSpec, message: str, status: str, seed: int | None, final: DeferredCall) -> list[str]:
        name = repro_filename(self.exercise.id, check.name)
        folder = self.exercise.chapter_id
        lines = [f"# The failing case of the check {self.exercise.id} / {check.name}, with the exact inputs the",
                 "# grader passed (every value at full precision), calling your code as the grader did.",
                 "#"]
        if seed is not None:
            lines.append(f"# A property check (seed {seed}): these are the inputs it shrank its failure to.")
        lines += _NOTES.get(status, [])
        lines += ["# The check said:"] + [f"#   {line}" for line in _comment_lines(message)]
        lines += ["#",
                  f"# Run it in the folder that holds your {folder}/ folder:",
                  f"#   python {name}",
                  f"# or name that folder:  python {name} PATH/TO/SUBMISSION",
                  "import os",
                  "import sys",
                  "",
                  "sys.path.insert(0, os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.getcwd()))",
                  "",
                  "import numpy as np"]
        lines += [f"import {module}" for module in ("math", "numpy", "torch") if module in self.modules]
        lines += list(self.imports)
        by_module: dict[str, list[str]] = {}
        for imported, module in self.names.items():
            by_module.setdefault(module, []).append(imported)
        if by_module:
            lines += [""] + [f"from {module} import {', '.join(names)}" for module, names in by_module.items()]
        lines += ["", "np.set_printoptions(floatmode='unique', threshold=10_000)"]
        if "torch" in self.modules:
            lines.append("torch.set_printoptions(precision=10, threshold=10_000)")
        if self.spilled:
            lines += ["# The larger inputs are in the .npz file of the same name, beside this one.",
                      "inputs = np.load(os.path.splitext(os.path.abspath(__file__))[0] + '.npz')"]
        lines += ["", f"print('The check said:', {message!r})", f"print('Calling', {final.brief()!r})"]
        return lines

    # -- statements
    def _statement(self, step: DeferredCall, variable: str) -> list[str]:
        expression = self._expression(step)
        if step.produced:
            for handle, path in step.produced.items():
                self.handles.setdefault(handle, variable + "".join(f"[{key!r}]" for key in path))
            return [f"{variable} = {expression}"]
        if step.want == "getattr":  # reading an attribute changes nothing
            return []
        if step.want == "outcome":
            return ["try:", f"    {expression}", "except Exception as error:",
                    "    print('(as the check expected, this raised', repr(error), ')')"]
        return [expression]

    def _final(self, final: DeferredCall) -> list[str]:
        if final.batch is not None:
            calls = self.literal([tuple(args) for args in final.batch])
            kwargs = self.literal(dict(final.kwargs))
            callee = self._callee(final)
            return [f"calls = {calls}", f"kwargs = {kwargs}",
                    "for number, args in enumerate(calls, start=1):",
                    f"    print(f'call {{number}} of {{len(calls)}} returned', repr({callee}(*args, **kwargs)))"]
        lines = [f"result = {self._expression(final)}"]
        shown = "result" if final.want == "text" else "repr(result)"
        return lines + ["print('It returned:')", f"print({shown})"]

    def _expression(self, step: DeferredCall) -> str:
        callee = self._callee(step)
        if step.want == "getattr":
            return callee
        parts = [self.literal(arg, 4) for arg in step.args]
        parts += [f"{key}={self.literal(value, 4)}" for key, value in step.kwargs.items()]
        one_line = f"{callee}({', '.join(parts)})"
        if "\n" not in one_line and len(one_line) <= _WIDTH:
            return one_line
        return f"{callee}(\n" + "".join(f"    {part},\n" for part in parts) + ")"

    def _callee(self, step: DeferredCall) -> str:
        target = step.target
        if target is None:
            raise Unrepresentable(f"{step.name}: no target")
        if target.handle is not None:
            base = self.handles.get(target.handle)
            if base is None:
                raise Unrepresentable(f"object {target.handle} was not built by the replayed calls")
            return base + "".join(_attribute(name) for name in target.path)
        module = target.module or ""
        if not target.path:
            self.imports.setdefault(f"import {module}")
            return module
        first, rest = target.path[0], "".join(_attribute(name) for name in target.path[1:])
        student = module.split(".", 1)[0] == self.exercise.chapter_id
        if (student and first.isidentifier() and first not in _RESERVED and not re.fullmatch(r"obj\d+", first)
                and self.names.setdefault(first, module) == module):
            return first + rest
        self.imports.setdefault(f"import {module}")
        return module + _attribute(first) + rest

    # -- values
    def literal(self, value: Any, indent: int = 0) -> str:
        """Python source that rebuilds ``value`` exactly (:func:`literal`)."""
        return literal(value, indent, handle=self._handle, spill=self._spill, require=self.modules.setdefault)

    def _handle(self, value: Handle) -> str:
        expression = self.handles.get(value.id)
        if expression is None:
            raise Unrepresentable(f"object {value.id} was not built by the replayed calls")
        return expression

    def _spill(self, array: np.ndarray) -> str:
        name, _ = self.spilled.setdefault(id(array), (f"a{len(self.spilled)}", array))
        return f"inputs[{name!r}]"


#: Names the file defines itself: a student's function of one of these names is called through its module.
_RESERVED = frozenset({"os", "sys", "np", "numpy", "math", "torch", "inputs", "result", "calls", "kwargs", "number",
                       "args", "error", "print", "repr", "enumerate", "len", "Exception"})

_NOTES = {
    "timeout": ["# When graded, this call ran past its time limit: it may run for long (Ctrl-C stops it)."],
    "crashed": ["# When graded, this call ended the worker process (a crash, or too much memory)."],
    "student_error": ["# When graded, this call raised an exception: running it shows where."],
}


def _attribute(name: str) -> str:
    return f".{name}" if name.isidentifier() else f".__getattribute__({name!r})"


def _comment_lines(text: str) -> list[str]:
    """``text`` as comment lines: wrapped, every character a comment cannot hold escaped."""
    lines = []
    for line in text.splitlines() or [""]:
        safe = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in line)
        lines += textwrap.wrap(safe, _WIDTH - 4, break_long_words=True, break_on_hyphens=False) or [""]
    return lines


# --------------------------------------------------------------------------- literals
def literal(value: Any, indent: int = 0, *, handle: Callable[[Handle], str] | None = None,
            spill: Callable[[np.ndarray], str] | None = None, require: Callable[[str], Any] | None = None) -> str:
    """Python source that evaluates to ``value`` as the worker receives it (``np`` and ``torch``
    imported): arrays as ``np.array(..., dtype=...)`` and tensors as ``torch.tensor(...,
    dtype=...)`` with every element exact, floats by their round-tripping ``repr``, containers
    element by element. ``handle`` names the expression of a worker object; ``spill`` that of an
    array over :data:`INLINE_ELEMENTS` elements (without it, such arrays are written in full);
    ``require`` is told each module besides ``np`` the source needs (``torch``, ``math``)."""
    kind = type(value)
    if kind is np.ndarray:
        if spill is not None and value.size > INLINE_ELEMENTS:
            return spill(value)
        return _array_literal(value, indent)
    if kind is TensorData:
        if require is not None:
            require("torch")
        return _tensor_literal(value, indent, spill)
    if value is None or kind is bool or kind is int or kind is str or kind is bytes:
        return repr(value)
    if kind is float:
        return _float(value, "float")
    if kind is complex:
        return f"complex({_float(value.real, 'float')}, {_float(value.imag, 'float')})"
    if isinstance(value, np.generic):  # sent as the Python scalar it holds
        return literal(complex(value) if value.dtype.kind == "c" else value.item(), indent)
    if kind is list or kind is tuple or kind is dict:
        return _container_literal(value, indent, lambda v, i: literal(v, i, handle=handle, spill=spill,
                                                                       require=require))
    if kind is Handle:
        if handle is None:
            raise Unrepresentable("an object kept in the worker")
        return handle(value)
    if kind is FuncSource:  # compiled in the worker with np, numpy, math and torch in scope
        for module in ("math", "numpy", "torch"):
            if require is not None and re.search(rf"\b{module}\b", value.source):
                require(module)
        return f"({value.source})"
    raise Unrepresentable(f"a {kind.__name__}")


def _container_literal(value: Any, indent: int, item: Callable[[Any, int], str]) -> str:
    if type(value) is dict:
        parts = [f"{item(k, indent + 4)}: {item(v, indent + 4)}" for k, v in value.items()]
        opening, closing = "{", "}"
    else:
        parts = [item(v, indent + 4) for v in value]
        opening, closing = ("[", "]") if type(value) is list else ("(", ")")
    one_line = ", ".join(parts)
    if type(value) is tuple and len(parts) == 1:
        one_line += ","
    if "\n" not in one_line and len(one_line) + indent <= _WIDTH:
        return opening + one_line + closing
    pad = " " * (indent + 4)
    return opening + "\n" + "".join(f"{pad}{part},\n" for part in parts) + " " * indent + closing


def _array_literal(array: np.ndarray, indent: int) -> str:
    dtype = f"np.{array.dtype.name}" if array.dtype.kind != "b" else "np.bool_"
    if array.size == 0:
        return f"np.zeros({array.shape!r}, dtype={dtype})"
    return f"np.array({_nested(_elements(array), indent)}, dtype={dtype})"


def _tensor_literal(tensor: TensorData, indent: int, spill: Callable[[np.ndarray], str] | None) -> str:
    extra = f", dtype=torch.{tensor.dtype}"
    extra += f", device={tensor.device!r}" if tensor.device != "cpu" else ""
    extra += ", requires_grad=True" if tensor.requires_grad else ""
    array = tensor.array
    if array.size == 0:
        return f"torch.zeros({array.shape!r}{extra})"
    if spill is not None and array.size > INLINE_ELEMENTS:
        return f"torch.tensor({spill(array)}{extra})"
    return f"torch.tensor({_nested(_elements(array), indent)}{extra})"


def _nested(elements: np.ndarray, indent: int) -> str:
    """Nested lists of the element texts, rows on lines of their own where they do not fit one."""
    if elements.ndim == 0:
        return str(elements[()])
    if elements.ndim == 1:
        items = list(elements)
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) + indent <= _WIDTH:
            return one_line
        pad = " " * (indent + 4)
        lines = textwrap.wrap(", ".join(items) + ",", _WIDTH - len(pad), break_long_words=False,
                              break_on_hyphens=False)
        return "[\n" + "".join(f"{pad}{line}\n" for line in lines) + " " * indent + "]"
    rows = [_nested(row, indent + 4) for row in elements]
    one_line = "[" + ", ".join(rows) + "]"
    if "\n" not in one_line and len(one_line) + indent <= _WIDTH:
        return one_line
    pad = " " * (indent + 4)
    return "[\n" + "".join(f"{pad}{row},\n" for row in rows) + " " * indent + "]"


def _elements(array: np.ndarray) -> np.ndarray:
    """The exact source text of each element, in an array of the same shape."""
    kind = array.dtype.kind
    flat = array.reshape(-1)
    if kind == "b":
        texts = ["True" if v else "False" for v in flat.tolist()]
    elif kind in "iu":
        texts = [str(v) for v in flat.tolist()]
    elif kind == "f":
        texts = _float_texts(flat)
    elif kind == "c":
        real, imag = _float_texts(flat.real.copy()), _float_texts(flat.imag.copy())
        texts = [f"complex({r}, {i})" for r, i in zip(real, imag)]
    else:
        raise Unrepresentable(f"an array of dtype {array.dtype}")
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out.reshape(array.shape)


def _float_texts(flat: np.ndarray) -> list[str]:
    """The shortest text of each float that the array's dtype reads back to the same value
    (the float64 ``repr`` of the value where the shortest text of a narrower dtype would not)."""
    values = flat.tolist()
    if flat.dtype == np.float64:
        return [_float(v, "np") for v in values]
    texts = [_float(v, "np") if not math.isfinite(v) else str(item) for v, item in zip(values, flat)]
    back = np.array([float(t) if math.isfinite(v) else v for t, v in zip(texts, values)]).astype(flat.dtype)
    same = (back == flat) | np.isnan(flat)
    return [t if ok else repr(v) for t, ok, v in zip(texts, same.tolist(), values)]


def _float(value: float, style: str) -> str:
    if math.isfinite(value):
        return repr(value)
    if math.isnan(value):
        return "np.nan" if style == "np" else "float('nan')"
    sign = "-" if value < 0 else ""
    return f"{sign}np.inf" if style == "np" else f"{sign}float('inf')"


# --------------------------------------------------------------------------- larger arrays
def _pack(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return base64.b64encode(zlib.compress(buffer.getvalue(), 6)).decode("ascii")


def split_repro(text: str) -> tuple[str, dict[str, np.ndarray]]:
    """A repro text's source and its larger arrays (for the ``.npz`` beside the file).

    >>> source, arrays = split_repro("x = 1\\n")
    >>> source, arrays
    ('x = 1\\n', {})
    """
    lines = text.splitlines(keepends=True)
    source, arrays = [], {}
    for line in lines:
        if line.startswith(DATA_PREFIX):
            name, _, data = line[len(DATA_PREFIX):].strip().partition(" ")
            raw = zlib.decompress(base64.b64decode(data.encode("ascii")))
            arrays[name] = np.lib.format.read_array(io.BytesIO(raw), allow_pickle=False)
        else:
            source.append(line)
    return "".join(source).rstrip("\n") + "\n", arrays


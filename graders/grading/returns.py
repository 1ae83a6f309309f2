"""What a student's function returned, as the grader needs it: the conversions (``as_array``,
``as_float``...) that turn plain data from the worker into a value of a declared kind or fail the
check saying what came back, and the return declarations a check passes to
:meth:`~graders.grading.context.CheckContext.call` (``returns=Array(shape=(n,))``) so that it
need not write them out.

>>> import numpy as np
>>> Tuple(Array(shape=(2,)), Float()).convert((np.zeros(2), 1), "momentum_step")
(array([0., 0.]), 1.0)
>>> Array(shape=(3,)).convert(np.zeros(2), "vec")
Traceback (most recent call last):
    ...
graders.grading.outcomes.CheckFailed: the result of vec should have shape (3,); got shape (2,)
>>> Record(w=Array(ndim=1), b=Float()).convert({"w": [1.0, 2.0]}, "svm")
Traceback (most recent call last):
    ...
graders.grading.outcomes.CheckFailed: the result of svm should have the key 'b'; it has 'w'
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from graders.grading.outcomes import CheckFailed
from graders.grading.pretty import format_value
from graders.worker.wire import Handle, TensorData


def describe(value: Any) -> str:
    """What a returned value is, in a few words: ``a list of 3 items``, ``an array of shape (2,)``."""
    if isinstance(value, Handle):
        return f"a {value.type_name} object"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, TensorData):
        return f"a torch tensor of shape {value.array.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    if value is None:
        return "None"
    return f"a {type(value).__name__} ({format_value(value, 80)})"


def as_array(value: Any, *, name: str, shape: Sequence[int] | None = None, ndim: int | None = None,
             tensor: bool = False) -> np.ndarray:
    """The student's value as a float/int/bool ndarray of the given shape, or ``CheckFailed``.

    Lists and tuples of numbers are accepted; ``TensorData`` only with ``tensor=True``.
    """
    if isinstance(value, TensorData):
        if not tensor:
            raise CheckFailed(f"{name} should be a numpy array; got {describe(value)}")
        array = value.array
    elif isinstance(value, np.ndarray):
        array = value
        if array.dtype.kind not in "biufc":
            raise CheckFailed(f"{name} should be a numeric array; got {describe(value)}")
    elif isinstance(value, (list, tuple, int, float, bool)) and not isinstance(value, Handle):
        try:
            array = np.asarray(value)
        except (ValueError, TypeError):
            raise CheckFailed(f"{name} should be an array; got {describe(value)} that is not rectangular") from None
        if array.dtype.kind not in "biufc":
            raise CheckFailed(f"{name} should be a numeric array; got {describe(value)}")
    else:
        raise CheckFailed(f"{name} should be an array; got {describe(value)}")
    if ndim is not None and array.ndim != ndim:
        raise CheckFailed(f"{name} should be a {ndim}-d array; got shape {array.shape}")
    if shape is not None and tuple(array.shape) != tuple(shape):
        raise CheckFailed(f"{name} should have shape {tuple(shape)}; got shape {array.shape}")
    return array


def as_float(value: Any, *, name: str) -> float:
    """A real number (a 0-d or one-element array is accepted), or ``CheckFailed``."""
    if isinstance(value, bool) or value is None or isinstance(value, Handle):
        raise CheckFailed(f"{name} should be a number; got {describe(value)}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, TensorData):
        value = value.array
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return float(value.reshape(()))
    raise CheckFailed(f"{name} should be a number; got {describe(value)}")


def as_int(value: Any, *, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iu":
            return int(value.reshape(()))
        raise CheckFailed(f"{name} should be an integer; got {describe(value)}")
    return value


def as_bool(value: Any, *, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind == "b":
        return bool(value.reshape(()))
    raise CheckFailed(f"{name} should be True or False; got {describe(value)}")


def as_sequence(value: Any, *, name: str, length: int | None = None) -> list:
    """A list or tuple (of the given length), or ``CheckFailed``."""
    if not isinstance(value, (list, tuple)):
        raise CheckFailed(f"{name} should be a list or tuple; got {describe(value)}")
    if length is not None and len(value) != length:
        raise CheckFailed(f"{name} should have {length} items; got {len(value)}")
    return list(value)


class Returns:
    """A declaration of what a function returns; :meth:`convert` checks a value against it."""

    #: what to call the value in messages instead of its place (``"θ"`` for the first of a pair)
    label: str | None = None

    def convert(self, value: Any, func: str) -> Any:
        """``value`` as declared, or :class:`CheckFailed` naming ``func``'s result."""
        return self.check(value, self.label or f"the result of {func}")

    def check(self, value: Any, name: str) -> Any:
        raise NotImplementedError


class Anything(Returns):
    """Any value, as it came (a place in a :class:`Tuple` or :class:`Record` that is not checked)."""

    def __init__(self, *, label: str | None = None):
        self.label = label

    def check(self, value: Any, name: str) -> Any:
        return value


class Function(Returns):
    """A function (or other callable) that stays in the worker: a
    :class:`~graders.worker.wire.Handle` to call with ``ctx.call_handle``."""

    def __init__(self, *, label: str | None = None):
        self.label = label

    def check(self, value: Any, name: str) -> Handle:
        if not (isinstance(value, Handle) and value.is_callable):
            raise CheckFailed(f"{name} should be a function; got {describe(value)}")
        return value


class Array(Returns):
    """An array (or a list of numbers): of ``shape``, or of ``ndim`` dimensions; a torch tensor
    where ``tensor`` (as :class:`~graders.worker.wire.TensorData`)."""

    def __init__(self, shape: Sequence[int] | None = None, *, ndim: int | None = None, tensor: bool = False,
                 label: str | None = None):
        self.shape = None if shape is None else tuple(int(n) for n in shape)
        self.ndim, self.tensor, self.label = ndim, tensor, label

    def check(self, value: Any, name: str) -> np.ndarray:
        return as_array(value, name=name, shape=self.shape, ndim=self.ndim, tensor=self.tensor)


class Tensor(Returns):
    """A torch tensor of ``shape`` (any shape where None) and torch dtype ``dtype`` (``"float64"``,
    ``"float32"``, ``"int64"``...), on a device whose name starts with ``device`` (``"cpu"``,
    ``"cuda"``), converted to its values (an ndarray). A numpy array, a tensor of another dtype
    (a float32 downcast) or one on another device fails the check, naming what came back.

    >>> Tensor((2,), "float64").convert(TensorData(np.zeros(2), "float64"), "f")
    array([0., 0.])
    >>> Tensor((2,), "float64").convert(TensorData(np.zeros(2, np.float32), "float32"), "f")
    Traceback (most recent call last):
        ...
    graders.grading.outcomes.CheckFailed: the result of f should keep the dtype torch.float64; got torch.float32
    """

    def __init__(self, shape: Sequence[int] | None = None, dtype: str = "float64", *, device: str = "cpu",
                 label: str | None = None):
        self.shape = None if shape is None else tuple(int(n) for n in shape)
        self.dtype, self.device, self.label = dtype, device, label

    def check(self, value: Any, name: str) -> np.ndarray:
        if not isinstance(value, TensorData):
            raise CheckFailed(f"{name} should be a torch tensor (of dtype torch.{self.dtype}); got {describe(value)}")
        if value.dtype != self.dtype:
            raise CheckFailed(f"{name} should keep the dtype torch.{self.dtype}; got torch.{value.dtype}")
        if not value.device.startswith(self.device):
            raise CheckFailed(f"{name} should be on the device {self.device!r}; got a tensor on {value.device!r}")
        return as_array(value, name=name, shape=self.shape, tensor=True)


class Float(Returns):
    """A real number (a one-element array is accepted)."""

    def __init__(self, *, label: str | None = None):
        self.label = label

    def check(self, value: Any, name: str) -> float:
        return as_float(value, name=name)


class Int(Returns):
    """An integer."""

    def __init__(self, *, label: str | None = None):
        self.label = label

    def check(self, value: Any, name: str) -> int:
        return as_int(value, name=name)


class Bool(Returns):
    """True or False."""

    def __init__(self, *, label: str | None = None):
        self.label = label

    def check(self, value: Any, name: str) -> bool:
        return as_bool(value, name=name)


class Tuple(Returns):
    """A list or tuple of exactly these items, each converted as declared."""

    def __init__(self, *items: Returns, label: str | None = None):
        self.items, self.label = items, label

    def check(self, value: Any, name: str) -> tuple:
        values = as_sequence(value, name=name, length=len(self.items))
        return tuple(item.check(v, item.label or f"{name}[{index}]")
                     for index, (item, v) in enumerate(zip(self.items, values, strict=True)))


class List(Returns):
    """A list or tuple (of ``length`` items) whose every item is converted as ``of``."""

    def __init__(self, of: Returns, *, length: int | None = None, label: str | None = None):
        self.of, self.length, self.label = of, length, label

    def check(self, value: Any, name: str) -> list:
        return [self.of.check(v, f"{name}[{index}]")
                for index, v in enumerate(as_sequence(value, name=name, length=self.length))]


class Record(Returns):
    """A dict with at least these keys, each converted as declared (other keys are kept as they are)."""

    def __init__(self, **fields: Returns):
        self.fields = fields

    def check(self, value: Any, name: str) -> dict:
        if not isinstance(value, dict):
            raise CheckFailed(f"{name} should be a dict with keys {', '.join(map(repr, self.fields))}; "
                              f"got {describe(value)}")
        missing = [key for key in self.fields if key not in value]
        if missing:
            have = ", ".join(repr(k) for k in value) or "no keys"
            raise CheckFailed(f"{name} should have the key {missing[0]!r}; it has {have}")
        return {**value, **{key: spec.check(value[key], f"{name}[{key!r}]") for key, spec in self.fields.items()}}

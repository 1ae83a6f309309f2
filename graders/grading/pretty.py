"""Readable, pasteable text for values and calls in feedback messages.

Small arrays are written in full as ``array([...])`` (so a student can paste the failing call);
large ones as a summary. Every rendering is capped in length. The exact values are in the
failing case's repro file (:mod:`graders.grading.repro`).

>>> import numpy as np
>>> format_call("softmax", (np.array([[1.0, 2.0]]),), {"axis": 1})
'softmax(array([[1., 2.]]), axis=1)'
>>> format_value(np.zeros((40, 3)))
'array(shape=(40, 3), dtype=float64, min=0, max=0)'
>>> format_value(np.eye(2))
'array([[1., 0.], [0., 1.]])'
>>> format_call("f", ([np.eye(2)],), {}, compact=True)
'f([array(shape=(2, 2))])'
"""
from __future__ import annotations

from typing import Any

import numpy as np

from graders.worker.wire import FuncSource, Handle, TensorData

FULL_ARRAY_SIZE = 36
SUMMARY_FULL_SIZE = 8
DEFAULT_BUDGET = 800


def format_call(name: str, args: tuple | list, kwargs: dict, budget: int = DEFAULT_BUDGET, *,
                compact: bool = False) -> str:
    """``name(arg, ..., key=value)`` on one line, within ``budget`` characters. ``compact``
    shows every array by its shape only (for one-line messages). A call whose arrays do not fit
    in full shows each of them summarized (shape, dtype, range), then by its shape only, rather
    than cut in the middle of a value: the repro file (:mod:`graders.grading.repro`) has them all.

    >>> format_call("f", (np.arange(30.0).reshape(6, 5), np.ones(3)), {}, budget=80)
    'f(array(shape=(6, 5), dtype=float64, min=0, max=29), array([1., 1., 1.]))'
    """
    styles = ("compact",) if compact else ("full", "summary", "compact")
    for style in styles:
        text = _call_text(name, args, kwargs, budget, style)
        if len(text) <= budget:
            return text
    return _cap(text, budget)


def _call_text(name: str, args: tuple | list, kwargs: dict, budget: int, style: str) -> str:
    parts = [_value(a, budget, style) for a in args]
    parts += [f"{k}={_value(v, budget, style)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


def format_value(value: Any, budget: int = DEFAULT_BUDGET, *, compact: bool = False) -> str:
    """A one-line repr of plain data as it crosses the wire."""
    return _value(value, budget, "compact" if compact else "full")


def _value(value: Any, budget: int, style: str) -> str:
    """``style``: ``full`` (small arrays in full), ``summary`` (arrays summarized whatever their
    size, unless they fit in 8 elements) or ``compact`` (arrays by shape)."""
    if isinstance(value, (list, tuple, dict)):
        return _format_container(value, budget, style)
    if style == "compact" and isinstance(value, (np.ndarray, TensorData)):
        array = value if isinstance(value, np.ndarray) else value.array
        return f"{'array' if isinstance(value, np.ndarray) else 'tensor'}(shape={array.shape})"
    full = FULL_ARRAY_SIZE if style == "full" else SUMMARY_FULL_SIZE
    if isinstance(value, np.ndarray):
        return _cap(_format_array(value, "array", full), budget)
    if isinstance(value, TensorData):
        text = _format_array(value.array, "tensor", full)
        extra = f", dtype=torch.{value.dtype}" if value.dtype != "float32" else ""
        extra += f", device='{value.device}'" if value.device != "cpu" else ""
        extra += ", requires_grad=True" if value.requires_grad else ""
        return _cap(text[:-1] + extra + ")" if extra else text, budget)
    if isinstance(value, (Handle, FuncSource)):
        return repr(value)
    return _cap(repr(value), budget)


def _format_container(value: Any, budget: int, style: str) -> str:
    if isinstance(value, list):
        return _cap("[" + ", ".join(_value(v, budget, style) for v in value) + "]", budget)
    if isinstance(value, tuple):
        inner = ", ".join(_value(v, budget, style) for v in value)
        return _cap(f"({inner},)" if len(value) == 1 else f"({inner})", budget)
    items = ", ".join(f"{_value(k, budget, 'full')}: {_value(v, budget, style)}" for k, v in value.items())
    return _cap("{" + items + "}", budget)


def _format_array(array: np.ndarray, label: str, full: int = FULL_ARRAY_SIZE) -> str:
    if array.size <= full:
        body = np.array2string(array, separator=", ", precision=8, suppress_small=False,
                               max_line_width=10**6, threshold=10**6)
        dtype = "" if array.dtype in (np.float64, np.int64, np.bool_) else f", dtype={array.dtype}"
        if label == "tensor":
            dtype = ""
        return f"{label}({' '.join(body.split())}{dtype})"
    summary = f"{label}(shape={array.shape}, dtype={array.dtype}"
    if array.dtype.kind in "iuf" and array.size:
        finite = array[np.isfinite(array)] if array.dtype.kind == "f" else array
        if finite.size:
            summary += f", min={finite.min():.4g}, max={finite.max():.4g}"
        if finite.size != array.size:
            summary += f", {array.size - finite.size} non-finite"
    return summary + ")"


def _cap(text: str, budget: int) -> str:
    return text if len(text) <= budget else text[: budget - 5] + " ...)"

"""Comparisons of a student's values with expected ones, with messages that say what was
expected, what came back, where, and by how much.

Tolerances are explicit and relative to the scale of the expected value: ``got`` passes when
``max|got − want| ≤ atol + rtol · max|want|``. NaN never passes; infinities must match exactly;
a wrong shape fails before any number is compared.

>>> import numpy as np
>>> assert_close(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-13]), rtol=1e-10, name="x")
>>> assert_close(np.array([1.0, 2.5]), np.array([1.0, 2.0]), rtol=1e-10, name="x")
Traceback (most recent call last):
    ...
graders.grading.outcomes.CheckFailed: x is wrong at index 1: expected 2, got 2.5 (error 0.5 > tolerance 2e-10
= 1e-10 × max|expected| 2)
>>> assert_close(np.ones((3, 2)), np.ones((2, 3)), rtol=1e-10, name="dW")
Traceback (most recent call last):
    ...
graders.grading.outcomes.CheckFailed: dW should have shape (2, 3); got shape (3, 2)
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from graders.grading.outcomes import CheckFailed
from graders.grading.returns import as_array, describe  # noqa: F401  (describe: re-exported for grader specs)


def expect(condition: Any, message: str) -> None:
    """Fail the check with ``message`` unless ``condition`` holds."""
    if not bool(condition):
        raise CheckFailed(message)


def expit(z: Any) -> Any:
    """The logistic function 1/(1 + e⁻ᶻ), elementwise: scipy's ``expit``, imported on first use (a
    chapter's spec loads without scipy, see :mod:`graders.chapters`)."""
    from scipy.special import expit as logistic

    return logistic(z)


def assert_equal_shape(got: np.ndarray, want_shape: Sequence[int], *, name: str) -> None:
    if tuple(got.shape) != tuple(want_shape):
        raise CheckFailed(f"{name} should have shape {tuple(want_shape)}; got shape {got.shape}")


def relative_error(got: np.ndarray, want: np.ndarray) -> float:
    """``max|got − want| / max|want|`` (``inf`` if ``got`` has NaN; absolute error if want is 0)."""
    got, want = (np.asarray(got, dtype=np.complex128 if np.iscomplexobj(got) or np.iscomplexobj(want) else np.float64),
                 np.asarray(want))
    if np.isnan(got).any():
        return math.inf
    scale = float(np.max(np.abs(want))) if want.size else 0.0
    err = float(np.max(np.abs(got - want))) if want.size else 0.0
    return err / scale if scale > 0 else err


def assert_close(got: Any, want: Any, *, rtol: float, atol: float = 0.0, name: str, tensor: bool = False,
                 scale: float = 0.0) -> None:
    """Fail unless ``got`` matches ``want`` in shape and within ``atol + rtol·max(max|want|, scale)``.

    ``scale`` is the quantity's natural scale where ``want`` can be far smaller than it (a
    variance that is 1e-6 of the squared signal, a gradient that nearly vanishes): a correct
    answer computed another way differs from ``want`` by rounding of that scale, not of
    ``want``'s own.

    Infinite entries of ``want`` must be matched exactly (same sign); NaN in ``got`` always fails,
    scalars included. Booleans are compared as booleans only when both sides are; a boolean
    answer to a numeric expectation is compared as 0 and 1.
    """
    want = np.asarray(want)
    got = as_array(got, name=name, shape=want.shape, tensor=tensor)
    if got.dtype.kind == "b" and want.dtype.kind == "b":
        mismatch = np.argwhere(np.atleast_1d(got != want))
        if mismatch.size:
            idx = _at(mismatch[0], want.ndim)
            raise CheckFailed(f"{name} is wrong{_where(idx)}: expected {want[idx]}, got {got[idx]}")
        return
    complex_ = np.iscomplexobj(got) or np.iscomplexobj(want)
    g = got.astype(np.complex128 if complex_ else np.float64)
    w = want.astype(np.complex128 if complex_ else np.float64)
    nan = np.argwhere(np.atleast_1d(np.isnan(g)))
    if nan.size:
        idx = _at(nan[0], w.ndim)
        first = f" (first at index {_index(idx)})" if w.ndim else ""
        raise CheckFailed(f"{name} contains NaN{first}; expected {_num(w[idx])} there")
    infinite = ~np.isfinite(w)
    bad = np.argwhere(np.atleast_1d(infinite & (g != w)) | np.atleast_1d(~np.isfinite(g) & ~infinite))
    if bad.size:
        idx = _at(bad[0], w.ndim)
        raise CheckFailed(f"{name} is wrong{_where(idx)}: expected {_num(w[idx])}, got {_num(g[idx])}")
    finite = ~infinite
    if not finite.any():
        return
    diff = np.where(finite, np.abs(g - w), 0.0)
    largest = float(np.max(np.abs(np.where(finite, w, 0.0))))
    tolerance = atol + rtol * max(largest, scale)
    worst = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
    err = float(diff[worst]) if diff.ndim else float(diff)
    if not err <= tolerance:
        where = f" at index {_index(worst)}" if diff.ndim else ""
        expected, got_value = (w[worst], g[worst]) if diff.ndim else (w, g)
        of = f"the scale {scale:.3g}" if scale > largest else f"max|expected| {largest:.3g}"
        parts = [f"{rtol:g} × {of}"] if rtol else []
        if atol:
            parts.insert(0, f"{atol:g}")
        how = f" = {' + '.join(parts)}" if parts else " (exact)"
        raise CheckFailed(
            f"{name} is wrong{where}: expected {_num(expected)}, got {_num(got_value)} "
            f"(error {err:.3g} > tolerance {tolerance:.3g}{how})"
        )


def _at(position: np.ndarray, ndim: int) -> tuple:
    """An index into an array of ``ndim`` dimensions from a row of ``np.argwhere`` of
    ``np.atleast_1d`` of it (a 0-d array is indexed by ``()``)."""
    return tuple(int(i) for i in position) if ndim else ()


def _where(idx: tuple) -> str:
    return f" at index {_index(idx)}" if idx else ""


def _index(idx: tuple) -> str:
    idx = tuple(int(i) for i in idx)
    return str(idx[0]) if len(idx) == 1 else str(list(idx))


def _num(x: Any) -> str:
    x = complex(x) if np.iscomplexobj(x) else float(x)
    if isinstance(x, complex):
        return f"{x:.10g}"
    return f"{x:.10g}"

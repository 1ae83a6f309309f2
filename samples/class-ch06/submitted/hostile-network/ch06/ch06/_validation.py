"""Input validation at the public boundary of every reference (and student) module.

Each public function of a chapter module validates its inputs with these helpers, which raise
``ValueError``/``TypeError`` naming the offending input, the shape or range it should have, and
what it got. Private helpers (leading underscore) trust their inputs, as in scikit-learn.

This file ships with every released chapter (as ``chNN/_validation.py``), so it imports nothing
beyond the standard library and numpy.

Examples
--------
>>> import numpy as np
>>> check_array(np.ones((2, 3)), name="X", ndim=2).shape
(2, 3)
>>> check_array(np.ones(3), name="X", ndim=2, layout="(p, N)")
Traceback (most recent call last):
    ...
ValueError: X should be a 2-d array of shape (p, N); got X.shape=(3,)
"""
from __future__ import annotations

import numbers
from typing import Any, Iterable, Sequence

import numpy as np

__all__ = [
    "check_array",
    "check_choice",
    "check_dim",
    "check_int",
    "check_scalar",
    "check_tensor",
]


def check_array(
    x: Any,
    *,
    name: str,
    ndim: int | None = None,
    layout: str | None = None,
    shape: Sequence[int | None] | None = None,
    dtype: Any = np.float64,
    finite: bool = True,
) -> np.ndarray:
    """Return ``x`` as an ndarray of ``dtype``, or raise naming ``name``.

    Parameters
    ----------
    x : array-like
        The input to validate. Lists, tuples and numpy scalars are accepted.
    name : str
        The argument name used in error messages (``"X"``, ``"params[1][0]"``).
    ndim : int, optional
        Required number of dimensions.
    layout : str, optional
        Human-readable shape for messages, e.g. ``"(p, N)"``.
    shape : sequence of int or None, optional
        Required shape; ``None`` entries are free.
    dtype : numpy dtype or None, default float64
        Target dtype (the array is converted). ``None`` keeps the input dtype.
    finite : bool, default True
        Refuse NaN and infinities.

    Returns
    -------
    ndarray
        A (possibly converted) array; never a view that aliases a caller's list.
    """
    if (isinstance(x, np.ndarray) and x.dtype == object) or _is_ragged(x):
        raise TypeError(f"{name} should be a numeric array; got an object/ragged {type(x).__name__}")
    try:
        arr = np.asarray(x, dtype=dtype) if dtype is not None else np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} should be a numeric array; got {type(x).__name__} ({exc})") from None
    if arr.dtype == object:
        raise TypeError(f"{name} should be a numeric array; got an array of Python objects")
    expected = f" of shape {layout}" if layout else ""
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} should be a {ndim}-d array{expected}; got {name}.shape={arr.shape}")
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            want = tuple("*" if s is None else s for s in shape)
            raise ValueError(
                f"{name} should have shape {layout or want}{' = ' + str(want) if layout else ''}; "
                f"got {name}.shape={arr.shape}"
            )
    if finite and arr.dtype.kind in "fc" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} should be finite; got {int(np.sum(~np.isfinite(arr)))} NaN/inf entries")
    return arr


def check_dim(actual: int, expected: int, *, what: str) -> None:
    """Raise ``ValueError`` if two dimensions that must agree differ.

    >>> check_dim(3, 3, what="X.shape[0] == W.shape[1]")
    >>> check_dim(3, 5, what="X.shape[0] == W.shape[1]")
    Traceback (most recent call last):
        ...
    ValueError: dimension mismatch: X.shape[0] == W.shape[1] should hold; got 3 != 5
    """
    if actual != expected:
        raise ValueError(f"dimension mismatch: {what} should hold; got {actual} != {expected}")


def check_scalar(
    x: Any,
    *,
    name: str,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """Return ``x`` as a finite float within the given bounds, or raise naming ``name``.

    >>> check_scalar(0.5, name="eta", lo=0, lo_open=True)
    0.5
    >>> check_scalar(0, name="eta", lo=0, lo_open=True)
    Traceback (most recent call last):
        ...
    ValueError: eta should be > 0; got eta=0
    """
    if isinstance(x, bool) or not isinstance(x, (numbers.Real, np.floating, np.integer)):
        if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
            x = x.item()
        else:
            raise TypeError(f"{name} should be a real number; got {name}={x!r} (type={type(x).__name__})")
    value = float(x)
    if not np.isfinite(value):
        raise ValueError(f"{name} should be finite; got {name}={x!r}")
    if lo is not None and (value <= lo if lo_open else value < lo):
        raise ValueError(f"{name} should be {'>' if lo_open else '>='} {lo}; got {name}={x!r}")
    if hi is not None and (value >= hi if hi_open else value > hi):
        raise ValueError(f"{name} should be {'<' if hi_open else '<='} {hi}; got {name}={x!r}")
    return value


def check_int(x: Any, *, name: str, lo: int | None = None, hi: int | None = None) -> int:
    """Return ``x`` as an int within ``[lo, hi]``, or raise naming ``name``.

    >>> check_int(3, name="d", lo=1)
    3
    >>> check_int(2.5, name="d")
    Traceback (most recent call last):
        ...
    TypeError: d should be an integer; got d=2.5 (type=float)
    """
    if isinstance(x, bool) or not isinstance(x, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} should be an integer; got {name}={x!r} (type={type(x).__name__})")
    value = int(x)
    if lo is not None and value < lo:
        raise ValueError(f"{name} should be >= {lo}; got {name}={value}")
    if hi is not None and value > hi:
        raise ValueError(f"{name} should be <= {hi}; got {name}={value}")
    return value


def check_choice(x: Any, *, name: str, choices: Iterable[str]) -> str:
    """Return ``x`` if it is one of ``choices``, or raise naming ``name``.

    >>> check_choice("relu", name="act", choices=("relu", "tanh"))
    'relu'
    >>> check_choice("elu", name="act", choices=("relu", "tanh"))
    Traceback (most recent call last):
        ...
    ValueError: act should be one of 'relu', 'tanh'; got act='elu'
    """
    options = tuple(choices)
    if x not in options:
        listed = ", ".join(repr(c) for c in options)
        raise ValueError(f"{name} should be one of {listed}; got {name}={x!r}")
    return x


def check_tensor(
    x: Any,
    *,
    name: str,
    ndim: int | None = None,
    min_ndim: int = 0,
    shape: Sequence[int] | None = None,
    layout: str | None = None,
    like: Any = None,
    floating: bool = True,
    finite: bool = False,
) -> Any:
    """``x`` if it is a tensor as described; else raise naming ``name``.

    A tensor is recognised by what it has (``is_floating_point``, ``ndim``, ``shape``, ``dtype``,
    ``device``): this file imports no tensor library and spells no package name but numpy's,
    because every chapter ships it and a class's warm workers preload each package that some file
    of the class names (``graders.batch.preload.class_preload``).

    Parameters
    ----------
    x : object
        The value to check.
    name : str
        How the message names it (the parameter's name).
    ndim : int, optional
        The exact number of dimensions.
    min_ndim : int, default 0
        The least number of dimensions.
    shape : sequence of int, optional
        The exact shape.
    layout : str, optional
        The shape in words for messages, e.g. ``"(N, C, H, W)"``.
    like : Tensor, optional
        A tensor whose dtype and device ``x`` must have.
    floating : bool, default True
        Require a floating-point dtype.
    finite : bool, default False
        Require every entry to be finite.

    Returns
    -------
    Tensor
        ``x`` itself.

    Raises
    ------
    TypeError
        If ``x`` is not a tensor, not floating point where required, or not of ``like``'s dtype and device.
    ValueError
        If its dimensions or shape are wrong, or it is not finite where required.
    """
    of_layout = f" of shape {layout}" if layout else ""
    if not all(hasattr(x, attribute) for attribute in ("is_floating_point", "ndim", "shape", "dtype", "device")):
        raise TypeError(f"{name} should be a tensor{of_layout}; got {type(x).__name__}")
    if floating and not x.is_floating_point():
        raise TypeError(f"{name} should be a floating-point tensor; got dtype {x.dtype}")
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{name} should be a {ndim}-d tensor{of_layout}; got {name}.shape={tuple(x.shape)}")
    if x.ndim < min_ndim:
        raise ValueError(f"{name} should have at least {min_ndim} axes{of_layout}; got {name}.shape={tuple(x.shape)}")
    if shape is not None and tuple(x.shape) != tuple(shape):
        raise ValueError(f"{name} should have shape {tuple(shape)}; got {name}.shape={tuple(x.shape)}")
    if like is not None and (x.dtype != like.dtype or x.device != like.device):
        raise TypeError(f"{name} should have the dtype and device of the other inputs ({like.dtype}, {like.device}); "
                        f"got {x.dtype} on {x.device}")
    if finite and not bool(x.isfinite().all()):
        raise ValueError(f"{name} should be finite")
    return x


def _is_ragged(x: Any) -> bool:
    """True for nested lists whose rows differ in length (numpy would make an object array)."""
    if not isinstance(x, (list, tuple)) or not x:
        return False
    lengths = {len(row) if isinstance(row, (list, tuple, np.ndarray)) else -1 for row in x}
    return len(lengths) > 1

"""Edge cases for checks: the inputs generic draws never produce, and where plausible student
bugs hide (issue 22's catalogue of bugs that got full marks).

:mod:`.strategies` draws generic values on purpose (no exact zero, tie or kink), so that a check
fails only where the student is wrong. These builders put the special cases in on purpose, each
from a numpy generator, so that a check can add them to its generic examples:

* :func:`with_exact_zeros`: entries exactly 0.0 (pre-activations at the ReLU kink, where the
  specification pins ReLU′(0) = 0);
* :data:`SCALES` and :func:`scales`: inputs at 1e-6 and 1e6 as well as 1 (an absolute tolerance
  where a relative one is asked for, an overflow without the max subtracted);
* :func:`one_column_far_below`: one column far below the global maximum (a softmax stabilised by
  the global maximum instead of each column's underflows there);
* :func:`separable_labels` and :func:`overlapping_labels`: data a hyperplane separates, or cannot
  (a documented error on separable data; a solver that assumes separability);
* :func:`as_columns`: vectors stacked as the columns of an ``(n, N)`` batch, where a docstring
  allows one;
* :func:`with_ties`: repeated values (a convention at a tie: argmax, sorting, the subgradient of
  |x| at 0).

>>> g = np.random.default_rng(0)
>>> Z = with_exact_zeros(g.normal(size=(3, 4)), g, count=2)
>>> int((Z == 0.0).sum())
2
>>> X, y = separable_labels(g, p=2, N=6)
>>> X.shape, sorted(set(y.tolist()))
((2, 6), [0.0, 1.0])
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

#: Scales at which a value's magnitude exposes absolute tolerances and overflow.
SCALES = (1e-6, 1.0, 1e6)


def scales() -> st.SearchStrategy[float]:
    """One of :data:`SCALES` (hypothesis shrinks towards 1e-6, the first)."""
    return st.sampled_from(SCALES)


def with_exact_zeros(array: np.ndarray, g: np.random.Generator, *, count: int = 1) -> np.ndarray:
    """A copy of ``array`` (float) with ``count`` entries, chosen by ``g``, set to exactly 0.0."""
    out = np.array(array, dtype=np.float64)
    if not 0 < count <= out.size:
        raise ValueError(f"count={count} should be between 1 and the array's size {out.size}")
    chosen = g.choice(out.size, size=count, replace=False)
    out.reshape(-1)[chosen] = 0.0
    return out


def one_column_far_below(Z: np.ndarray, g: np.random.Generator, *, gap: float = 1e3) -> np.ndarray:
    """A copy of the ``(c, N)`` logits ``Z`` whose column chosen by ``g`` lies ``gap`` below the
    global maximum (every entry of it shifted down), so that subtracting the global instead of
    the column's maximum underflows that column to 0/0."""
    out = np.array(Z, dtype=np.float64)
    if out.ndim != 2 or out.shape[1] < 2:
        raise ValueError(f"Z should be (c, N) with N >= 2 columns; got shape {out.shape}")
    column = int(g.integers(out.shape[1]))
    others = float(np.delete(out, column, axis=1).max())   # the global maximum once the column is down
    out[:, column] += others - out[:, column].max() - gap
    return out


def separable_labels(g: np.random.Generator, *, p: int, N: int, margin: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """``X (p, N)`` and labels ``y (N,)`` in {0, 1} that a hyperplane through the origin
    separates with ``margin`` (both classes present)."""
    if N < 2:
        raise ValueError(f"N={N} should be at least 2 (both classes)")
    w = g.normal(size=p)
    w /= np.linalg.norm(w)
    X = g.normal(size=(p, N))
    y = (np.arange(N) % 2).astype(np.float64)
    side = 2 * y - 1                                   # ±1
    X += np.outer(w, side * margin - w @ X)            # wᵀx_n = ±margin exactly, then pushed out
    X += np.outer(w, side * g.uniform(0, 1, size=N))
    return X, y


def overlapping_labels(g: np.random.Generator, *, p: int, N: int) -> tuple[np.ndarray, np.ndarray]:
    """``X (p, N)`` and labels ``y (N,)`` in {0, 1} that no hyperplane separates: two points with
    the same x carry different labels."""
    if N < 4:
        raise ValueError(f"N={N} should be at least 4")
    X = g.normal(size=(p, N))
    y = (np.arange(N) % 2).astype(np.float64)
    X[:, 1] = X[:, 0]                                   # same point, labels 0 and 1
    return X, y


def as_columns(*vectors: np.ndarray) -> np.ndarray:
    """The ``(n,)`` vectors as the columns of an ``(n, N)`` batch."""
    if not vectors:
        raise ValueError("as_columns needs at least one vector")
    return np.stack([np.asarray(v, dtype=np.float64) for v in vectors], axis=1)


def with_ties(array: np.ndarray, g: np.random.Generator, *, count: int = 2) -> np.ndarray:
    """A copy of ``array`` (float) in which ``count`` entries chosen by ``g`` share one value,
    the largest of them (a tie at the maximum of those entries)."""
    out = np.array(array, dtype=np.float64)
    if not 2 <= count <= out.size:
        raise ValueError(f"count={count} should be between 2 and the array's size {out.size}")
    flat = out.reshape(-1)
    chosen = g.choice(out.size, size=count, replace=False)
    flat[chosen] = flat[chosen].max()
    return out

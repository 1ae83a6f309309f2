"""VC dimension by brute force: which labelings a hypothesis class realizes on a point set (§12.2).

A class F shatters n points when it realizes all 2ⁿ labelings of them; its VC dimension is the
size of the largest set it shatters. Here the labelings are enumerated one by one and each is
tested for realizability, by a closed-form test for the one-dimensional classes and for boxes, and
by a linear program (scipy's HiGHS) for halfspaces and disks.

Labels are ±1, with +1 meaning h(x) = 1, i.e. the point is *inside* the hypothesis:

=================  ====================================  ==========  =========
``hclass``         h(x) = 1 when                          points      VC dim
=================  ====================================  ==========  =========
``threshold``      x ≤ θ (θ ∈ ℝ)                          (n, 1)      1
``interval``       a ≤ x ≤ b                              (n, 1)      2
``halfspace``      wᵀx + b > 0                            (n, d)      d + 1
``axis_rectangle`` l_j ≤ x_j ≤ u_j for every j            (n, d)      2d
``disk``           ‖x − c‖ ≤ r (a closed ball)            (n, d)      d + 1
=================  ====================================  ==========  =========

The one-sided threshold shatters one point and no two: for x₁ < x₂ the labeling (−1, +1) would
need x₂ ≤ θ < x₁. The book's §12.2.1 says a half-line shatters two points; that holds only for
the class of *both* half-lines {x ≤ θ} ∪ {x ≥ θ}.
"""
from __future__ import annotations

import itertools
import math

import numpy as np

from geodl_ref._validation import check_array, check_choice

__all__ = ["HCLASSES", "dichotomies", "shatters", "sine_theta", "witness"]

#: The hypothesis classes, by the names the functions take.
HCLASSES = ("threshold", "interval", "halfspace", "axis_rectangle", "disk")

#: At most this many points (2ⁿ labelings, each a small test or LP).
MAX_POINTS = 16


def _check_points(points, hclass):
    """Validate ``points`` (n, d) and ``hclass``; the one-dimensional classes need d = 1."""
    hclass = check_choice(hclass, name="hclass", choices=HCLASSES)
    points = check_array(points, name="points", ndim=2, layout="(n, d)")
    n, d = points.shape
    if n > MAX_POINTS:
        raise ValueError(f"points should have at most {MAX_POINTS} rows (2ⁿ labelings are enumerated); got n={n}")
    if d < 1:
        raise ValueError(f"points should have at least one column; got points.shape={points.shape}")
    if hclass in ("threshold", "interval") and d != 1:
        raise ValueError(f"points should have shape (n, 1) for hclass={hclass!r}; got points.shape={points.shape}")
    return points, hclass


### BEGIN SOLUTION
def _lp_feasible(A_ub: np.ndarray, b_ub: np.ndarray, bounds: list) -> bool:
    """Whether {z : A_ub z ≤ b_ub, z within bounds} is non-empty (HiGHS, objective 0)."""
    from scipy.optimize import linprog

    result = linprog(np.zeros(A_ub.shape[1]), A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if result.status not in (0, 2):  # 0: a feasible point was found, 2: proved infeasible
        raise RuntimeError(f"linprog failed on a realizability LP: {result.message}")
    return result.status == 0


def _realizable(points: np.ndarray, labels: np.ndarray, hclass: str) -> bool:
    """Whether some h in the class has h(x_i) = 1 exactly where labels[i] = +1."""
    inside, outside = points[labels > 0], points[labels < 0]  # (k, d), (n - k, d)
    if hclass == "threshold":  # inside ≤ θ < outside
        return len(inside) == 0 or len(outside) == 0 or inside.max() < outside.min()
    if hclass in ("interval", "axis_rectangle"):  # the bounding box of the positives holds no negative
        if len(inside) == 0:
            return True  # an empty interval / a box away from every point
        lo, hi = inside.min(axis=0), inside.max(axis=0)  # (d,), (d,)
        return not np.any(np.all((outside >= lo) & (outside <= hi), axis=1))
    n, d = points.shape
    if hclass == "halfspace":
        # y_i (wᵀx_i + b) ≥ 1: strict separation, scaled to margin 1; z = (w, b)
        Z = np.hstack([points, np.ones((n, 1))])  # (n, d + 1)
        return _lp_feasible(-labels[:, None] * Z, -np.ones(n), [(None, None)] * (d + 1))
    # disk: ‖x − c‖² ≤ r² ⇔ ‖x‖² − 2cᵀx + (‖c‖² − r²) ≤ 0, a halfspace in the lifted (x, ‖x‖²)
    # with a positive weight a on ‖x‖². Keeping the scale a ≥ 0 free makes the LP homogeneous,
    # so strict separation is margin 1: −y_i (a‖x_i‖² + wᵀx_i + b) ≥ 1 (a = 0: a halfplane, the
    # limit of growing disks, realized on finitely many points by a large enough disk).
    Z = np.hstack([points, np.ones((n, 1)), np.sum(points**2, axis=1, keepdims=True)])  # (n, d + 2)
    return _lp_feasible(labels[:, None] * Z, -np.ones(n), [(None, None)] * (d + 1) + [(0, None)])
### END SOLUTION


def dichotomies(points: np.ndarray, hclass: str) -> np.ndarray:
    """The labelings of ``points`` that the class realizes (its growth on this set).

    Every one of the 2ⁿ labelings y ∈ {−1, +1}ⁿ is tested, the two constant ones included (the
    all −1 labeling by an empty interval, a threshold left of every point, a far-away disk...).

    Parameters
    ----------
    points : ndarray of shape (n, d), float64
        One point per row (row convention); d = 1 for ``threshold`` and ``interval``; n ≤ 16.
    hclass : {'threshold', 'interval', 'halfspace', 'axis_rectangle', 'disk'}
        The class; +1 labels the points inside the hypothesis (see the module's table).

    Returns
    -------
    ndarray of shape (k, n), int64
        The k distinct realizable labelings, one per row, entries ±1, in any order; k ≤ 2ⁿ,
        with k = 2ⁿ exactly when the class shatters the points.

    Examples
    --------
    >>> dichotomies(np.array([[0.0], [1.0]]), "threshold").tolist()
    [[-1, -1], [1, -1], [1, 1]]
    >>> len(dichotomies(np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]), "halfspace"))
    14
    """
    points, hclass = _check_points(points, hclass)
    ### BEGIN SOLUTION
    n = points.shape[0]
    found = [y for y in itertools.product((-1, 1), repeat=n)  # all 2ⁿ, (−1, …, −1) and (1, …, 1) too
             if _realizable(points, np.array(y, dtype=float), hclass)]
    return np.array(found, dtype=np.int64).reshape(len(found), n)  # (k, n)
    ### END SOLUTION


def shatters(points: np.ndarray, hclass: str) -> bool:
    """Whether the class realizes all 2ⁿ labelings of ``points``.

    Parameters
    ----------
    points : ndarray of shape (n, d), float64
        As in :func:`dichotomies`.
    hclass : {'threshold', 'interval', 'halfspace', 'axis_rectangle', 'disk'}
        The class.

    Returns
    -------
    bool
        True when the class shatters the points.

    Examples
    --------
    >>> shatters(np.array([[0.3]]), "threshold"), shatters(np.array([[0.3], [1.2]]), "threshold")
    (True, False)
    >>> square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    >>> shatters(square, "disk"), shatters(square[:3], "disk")
    (False, True)
    """
    points, hclass = _check_points(points, hclass)
    ### BEGIN SOLUTION
    n = points.shape[0]
    return all(_realizable(points, np.array(y, dtype=float), hclass)  # stops at the first miss
               for y in itertools.product((-1, 1), repeat=n))
    ### END SOLUTION


def witness(hclass: str) -> np.ndarray:
    """A set of VC-dimension many points that the class shatters, in the line or the plane.

    Parameters
    ----------
    hclass : {'threshold', 'interval', 'halfspace', 'axis_rectangle', 'disk'}
        The class; ``threshold`` and ``interval`` on the line (d = 1), the others in the
        plane (d = 2).

    Returns
    -------
    ndarray of shape (VC, d), float64
        VC = 1, 2, 3, 4, 3 points for the classes in the order above.

    Examples
    --------
    >>> witness("interval").shape, witness("axis_rectangle").shape
    ((2, 1), (4, 2))
    >>> bool(shatters(witness("disk"), "disk"))
    True
    """
    hclass = check_choice(hclass, name="hclass", choices=HCLASSES)
    ### BEGIN SOLUTION
    sets = {
        "threshold": [[0.0]],                                           # VC 1
        "interval": [[0.0], [1.0]],                                     # VC 2
        "halfspace": [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]],              # VC d + 1 = 3: a triangle
        "axis_rectangle": [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]],  # VC 2d = 4: a diamond
        "disk": [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]],                   # VC d + 1 = 3: a triangle
    }
    return np.array(sets[hclass], dtype=np.float64)  # (VC, d)
    ### END SOLUTION


def sine_theta(labels: np.ndarray) -> float:
    """A frequency θ with sign(sin(θ x_i)) = labels[i − 1] at x_i = 2⁻ⁱ, i = 1, …, m (ex 12.2).

    The one-parameter class {x ↦ sign(sin θx)} realizes every labeling of {2⁻¹, …, 2⁻ᵐ}, for
    every m: its VC dimension is infinite, although it has a single parameter.

    Parameters
    ----------
    labels : ndarray of shape (m,)
        Entries ±1; labels[0] is the label of x₁ = ½, labels[m − 1] that of x_m = 2⁻ᵐ;
        1 ≤ m ≤ 30.

    Returns
    -------
    float
        θ > 0 with sign(sin(θ · 2⁻ⁱ)) = labels[i − 1] for every i.

    Examples
    --------
    >>> y = np.array([1, -1, -1, 1])
    >>> theta = sine_theta(y)
    >>> np.sign(np.sin(theta * 2.0 ** -np.arange(1, 5))).astype(int).tolist()
    [1, -1, -1, 1]
    """
    labels = check_array(labels, name="labels", ndim=1, layout="(m,)")
    m = labels.shape[0]
    if not 1 <= m <= 30:
        raise ValueError(f"labels should have 1 to 30 entries; got m={m}")
    if not np.all(np.abs(labels) == 1):
        raise ValueError(f"labels should be ±1; got values {sorted(set(labels.tolist()))}")
    ### BEGIN SOLUTION
    # θ = π(1 + Σ_i c_i 2ⁱ) with c_i = (1 − y_i)/2 ∈ {0, 1}. At x_j = 2⁻ʲ the terms i > j add
    # multiples of 2π, the term i = j adds c_j π, and the rest π(2⁻ʲ + Σ_{i<j} c_i 2^{i−j}) lies in
    # (0, π): so sin(θx_j) > 0 exactly when c_j = 0, i.e. y_j = +1.
    c = (1 - labels) / 2  # (m,)
    return float(math.pi * (1 + np.sum(c * 2.0 ** np.arange(1, m + 1))))
    ### END SOLUTION

"""f-divergences (chapter 13, §13.3): generators, conjugates and the variational lower bound.

An f-divergence compares two discrete distributions P and Q on n bins through a convex generator
f with f(1) = 0 (eq 13.13):

    D_f(P ‖ Q) = Σ_i Q_i f(P_i / Q_i).

The six generators of Table 13.1 and §13.5.2 are

==========  ==============================  ===========================  ===============
name        f(u)                            f*(t)                        dom f*
==========  ==============================  ===========================  ===============
kl          u log u                         e^{t−1}                      ℝ
reverse_kl  −log u                          −1 − log(−t)                 t < 0
pearson     (u − 1)²                        t²/4 + t                     ℝ
hellinger   (√u − 1)²                       t / (1 − t)                  t < 1
js          u log u − (u + 1) log((u+1)/2)  −log(2 − e^t)                t < log 2
gan         u log u − (u + 1) log(u + 1)    −log(1 − e^t)                t < 0
==========  ==============================  ===========================  ===============

and f*(t) = sup_u (tu − f(u)) is the convex conjugate (+∞ outside dom f*). Every generator but
``gan`` has f(1) = 0, so D_f >= 0 with equality iff P = Q; the GAN generator has f(1) = −log 4, so
its D_f >= −log 4 with equality iff P = Q. Two facts the book leaves implicit are pinned here:

* the book's JS generator gives **twice** the Jensen–Shannon divergence: D_f(P ‖ Q) with
  f = ``js`` is KL(P ‖ M) + KL(Q ‖ M) = 2·JS(P, Q), M = (P + Q)/2 (errata §15, item 14);
* the GAN generator gives D_f = 2·JS − log 4, the value of the GAN game at the optimal
  discriminator D* = P/(P + Q) (eq 13.46).

Conventions at the edges (natural logarithms throughout):

* a bin with P_i = 0 < Q_i contributes Q_i f(0), the limit of f at 0+ (0 for kl and gan, log 2 for
  js, 1 for pearson and hellinger, +∞ for reverse_kl); never NaN;
* a bin with Q_i = 0 < P_i (P not absolutely continuous w.r.t. Q) contributes P_i·f′(∞), where
  f′(∞) = lim_{u→∞} f(u)/u: +∞ for kl and pearson (the divergence is +∞), 0 for reverse_kl and gan,
  1 for hellinger, log 2 for js; a bin with P_i = Q_i = 0 contributes 0.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from geodl_ref._validation import check_array, check_choice

__all__ = ["NAMES", "f_div", "f_generator", "js", "variational_bound"]

#: the generators :func:`f_generator` knows
NAMES = ("kl", "reverse_kl", "pearson", "hellinger", "js", "gan")

Generator = Callable[[np.ndarray], np.ndarray]


def _check_distributions(P, Q) -> tuple[np.ndarray, np.ndarray]:
    """P and Q as 1-d float arrays of one shape with non-negative entries."""
    P = check_array(P, name="P", ndim=1, layout="(n,)")
    Q = check_array(Q, name="Q", shape=P.shape, layout=f"(n,) = {P.shape}")
    for label, v in (("P", P), ("Q", Q)):
        if v.size and v.min() < 0:
            raise ValueError(f"{label} should have non-negative entries; got min({label})={float(v.min())!r}")
    return P, Q


### BEGIN SOLUTION
def _xlogx(u):
    """u log u, 0 at u = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(u > 0, u * np.log(np.where(u > 0, u, 1.0)), 0.0)


def _outside(t, inside, value):
    """``value`` where ``inside`` holds, +inf elsewhere."""
    return np.where(inside, value, np.inf)


def _kl():
    def f(u):
        return _xlogx(np.asarray(u, dtype=float))

    def f_conj(t):
        return np.exp(np.asarray(t, dtype=float) - 1.0)

    def f_prime(u):
        with np.errstate(divide="ignore"):
            return 1.0 + np.log(np.asarray(u, dtype=float))

    return f, f_conj, f_prime


def _reverse_kl():
    def f(u):
        with np.errstate(divide="ignore"):
            return -np.log(np.asarray(u, dtype=float))

    def f_conj(t):
        t = np.asarray(t, dtype=float)
        inside = t < 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return _outside(t, inside, -1.0 - np.log(np.where(inside, -t, 1.0)))

    def f_prime(u):
        with np.errstate(divide="ignore"):
            return -1.0 / np.asarray(u, dtype=float)

    return f, f_conj, f_prime


def _pearson():
    def f(u):
        return (np.asarray(u, dtype=float) - 1.0) ** 2

    def f_conj(t):
        t = np.asarray(t, dtype=float)
        return t * t / 4.0 + t

    def f_prime(u):
        return 2.0 * (np.asarray(u, dtype=float) - 1.0)

    return f, f_conj, f_prime


def _hellinger():
    def f(u):
        return (np.sqrt(np.asarray(u, dtype=float)) - 1.0) ** 2

    def f_conj(t):
        t = np.asarray(t, dtype=float)
        inside = t < 1
        return _outside(t, inside, t / np.where(inside, 1.0 - t, 1.0))

    def f_prime(u):
        with np.errstate(divide="ignore"):
            return 1.0 - 1.0 / np.sqrt(np.asarray(u, dtype=float))

    return f, f_conj, f_prime


def _js():
    def f(u):
        u = np.asarray(u, dtype=float)
        return _xlogx(u) - (u + 1.0) * np.log((u + 1.0) / 2.0)

    def f_conj(t):
        t = np.asarray(t, dtype=float)
        inside = t < math.log(2.0)
        # −log(2 − eᵗ) = −log 2 − log(1 − eᵗ/2)
        return _outside(t, inside, -math.log(2.0) - np.log1p(-np.exp(np.where(inside, t, 0.0)) / 2.0))

    def f_prime(u):
        u = np.asarray(u, dtype=float)
        with np.errstate(divide="ignore"):
            return np.log(2.0 * u / (u + 1.0))

    return f, f_conj, f_prime


def _gan():
    def f(u):
        u = np.asarray(u, dtype=float)
        return _xlogx(u) - (u + 1.0) * np.log1p(u)

    def f_conj(t):
        t = np.asarray(t, dtype=float)
        inside = t < 0
        return _outside(t, inside, -np.log1p(-np.exp(np.where(inside, t, -1.0))))

    def f_prime(u):
        u = np.asarray(u, dtype=float)
        with np.errstate(divide="ignore"):
            return np.log(u / (u + 1.0))

    return f, f_conj, f_prime


_GENERATORS = {"kl": _kl, "reverse_kl": _reverse_kl, "pearson": _pearson, "hellinger": _hellinger,
               "js": _js, "gan": _gan}

#: f′(∞) = lim_{u→∞} f(u)/u: the weight of the mass of P where Q = 0
_SLOPE_AT_INFINITY = {"kl": math.inf, "reverse_kl": 0.0, "pearson": math.inf, "hellinger": 1.0,
                      "js": math.log(2.0), "gan": 0.0}
### END SOLUTION


def f_generator(name: str) -> tuple[Generator, Generator, Generator]:
    """The generator f, its convex conjugate f* and its derivative f′ (Table 13.1, §13.5.2).

    Parameters
    ----------
    name : {'kl', 'reverse_kl', 'pearson', 'hellinger', 'js', 'gan'}
        Which divergence (the table in the module docstring).

    Returns
    -------
    f, f_conj, f_prime : callable
        Elementwise functions of an ndarray (or a float), returning a float64 ndarray of the same
        shape. ``f`` and ``f_prime`` take u >= 0 and give the limit at u = 0 (``f(0)`` may be +inf,
        ``f_prime(0)`` is −inf where f′ blows up); f(1) = 0 except for ``gan`` (−log 4). ``f_conj(t)`` is
        sup_{u>0} (tu − f(u)), +inf outside dom f* (never NaN). For ``pearson`` it is t²/4 + t on
        all of ℝ, as in Table 13.1 (the sup over u > 0 alone agrees with it for t >= −2).

    Examples
    --------
    >>> f, f_conj, f_prime = f_generator("kl")
    >>> f(np.array([0.0, 1.0, np.e])).round(6).tolist()
    [0.0, 0.0, 2.718282]
    >>> float(f_conj(1.0)), float(f_prime(1.0))
    (1.0, 1.0)
    >>> f_generator("gan")[1](np.array([-1.0, 0.5])).round(6).tolist()
    [0.458675, inf]
    """
    name = check_choice(name, name="name", choices=NAMES)
    ### BEGIN SOLUTION
    return _GENERATORS[name]()
    ### END SOLUTION


def f_div(P: np.ndarray, Q: np.ndarray, name: str) -> float:
    """The f-divergence D_f(P ‖ Q) = Σ_i Q_i f(P_i / Q_i) of two discrete distributions (eq 13.13).

    Parameters
    ----------
    P, Q : ndarray of shape (n,), float64
        Probability vectors (non-negative; zero-mass bins allowed).
    name : {'kl', 'reverse_kl', 'pearson', 'hellinger', 'js', 'gan'}
        The generator (:func:`f_generator`).

    Returns
    -------
    float
        D_f(P ‖ Q) in nats. Zero-mass bins follow the module's conventions: P_i = 0 < Q_i adds
        Q_i f(0); Q_i = 0 < P_i adds P_i·lim f(u)/u, so the divergence is +inf for kl and pearson
        when P is not absolutely continuous w.r.t. Q. ``'kl'`` is KL(P ‖ Q), ``'reverse_kl'`` is
        KL(Q ‖ P), and ``'js'`` is 2·JS(P, Q) (twice :func:`js`: the book's JS generator).

    Examples
    --------
    >>> P, Q = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    >>> round(f_div(P, Q, "kl"), 6), round(f_div(P, Q, "reverse_kl"), 6)
    (0.274887, 0.274887)
    >>> round(f_div(P, Q, "js"), 6) == round(2 * js(P, Q), 6)
    True
    >>> f_div(np.array([0.5, 0.5]), np.array([1.0, 0.0]), "kl")
    inf
    """
    P, Q = _check_distributions(P, Q)
    name = check_choice(name, name="name", choices=NAMES)
    ### BEGIN SOLUTION
    f = _GENERATORS[name]()[0]
    on_Q = Q > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        total = float(np.sum(Q[on_Q] * f(P[on_Q] / Q[on_Q])))      # eq 13.13 where Q > 0
    mass_off_Q = float(np.sum(P[~on_Q]))                           # P's mass where Q = 0
    if mass_off_Q > 0:
        total += mass_off_Q * _SLOPE_AT_INFINITY[name]             # Q f(P/Q) → P f′(∞) as Q → 0
    return total
    ### END SOLUTION


def js(P: np.ndarray, Q: np.ndarray) -> float:
    """The Jensen–Shannon divergence JS(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M), M = (P + Q)/2.

    Parameters
    ----------
    P, Q : ndarray of shape (n,), float64
        Probability vectors (non-negative; zero-mass bins allowed).

    Returns
    -------
    float
        JS(P, Q) in nats: symmetric, in [0, log 2], log 2 exactly when the supports are
        disjoint. It is half of ``f_div(P, Q, 'js')``.

    Examples
    --------
    >>> round(js(np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])), 6)
    0.066414
    >>> bool(js(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == np.log(2))
    True
    """
    P, Q = _check_distributions(P, Q)
    ### BEGIN SOLUTION
    M = (P + Q) / 2

    def kl_to_M(R):
        on = R > 0                                                 # 0 log 0 = 0; M > 0 wherever R > 0
        return float(np.sum(R[on] * np.log(R[on] / M[on])))

    return 0.5 * kl_to_M(P) + 0.5 * kl_to_M(Q)
    ### END SOLUTION


def variational_bound(T: np.ndarray, P: np.ndarray, Q: np.ndarray, name: str) -> float:
    """The variational lower bound Σ_i P_i T_i − Σ_i Q_i f*(T_i) on D_f(P ‖ Q) (Lemma 13.1).

    For every critic T (one value per bin) the bound is at most D_f(P ‖ Q), with equality at
    T* = f′(P/Q): the f-GAN objective (eq 13.16) for discrete distributions.

    Parameters
    ----------
    T : ndarray of shape (n,), float64
        The critic's value on each bin.
    P, Q : ndarray of shape (n,), float64
        Probability vectors (non-negative).
    name : {'kl', 'reverse_kl', 'pearson', 'hellinger', 'js', 'gan'}
        The generator (:func:`f_generator`).

    Returns
    -------
    float
        Σ P T − Σ Q f*(T); a bin with Q_i = 0 adds nothing to the second sum, and the bound is
        −inf if T_i lies outside dom f* on a bin with Q_i > 0.

    Examples
    --------
    >>> P, Q = np.array([0.5, 0.3, 0.2]), np.array([0.2, 0.3, 0.5])
    >>> T_star = f_generator("kl")[2](P / Q)
    >>> round(variational_bound(T_star, P, Q, "kl"), 6) == round(f_div(P, Q, "kl"), 6)
    True
    >>> variational_bound(np.zeros(3), P, Q, "kl") < f_div(P, Q, "kl")
    True
    """
    P, Q = _check_distributions(P, Q)
    T = check_array(T, name="T", shape=P.shape, layout=f"(n,) = {P.shape}")
    name = check_choice(name, name="name", choices=NAMES)
    ### BEGIN SOLUTION
    f_conj = _GENERATORS[name]()[1]
    on_Q = Q > 0
    return float(np.sum(P * T) - np.sum(Q[on_Q] * f_conj(T[on_Q])))   # Lemma 13.1
    ### END SOLUTION

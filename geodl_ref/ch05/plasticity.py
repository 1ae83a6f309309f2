"""Synaptic plasticity (chapter 5): Hebb's and Oja's rules, and spike-timing-dependent plasticity; numpy only.

A linear neuron with weights ``w`` (d,) answers an input ``x`` (d,) with ``y = wᵀx``.

* **Hebb's rule** strengthens the weights in proportion to the joint activity,
  ``w ← w + η y x``; nothing bounds ``‖w‖``, which grows without limit.
* **Oja's rule** adds a decay that normalises the weights, ``w ← w + η y (x − y w)``; on zero-mean
  inputs of covariance C, ``w`` converges to the unit eigenvector of C's largest eigenvalue
  (the first principal component), up to its sign.
* **STDP** changes a synapse by a function of ``Δt = t_post − t_pre`` (ms): potentiation
  ``A₊ e^{−Δt/τ₊}`` when the presynaptic spike comes first (Δt > 0), depression
  ``−A₋ e^{Δt/τ₋}`` when it comes after (Δt < 0), and 0 at Δt = 0. Over two spike trains the
  changes of all (pre, post) pairs add up.
"""
from __future__ import annotations

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_scalar

__all__ = ["hebb_step", "oja_step", "run_oja", "stdp_dw", "stdp_total"]


def hebb_step(w: np.ndarray, x: np.ndarray, eta: float) -> np.ndarray:
    """One step of Hebb's rule, ``w + η y x`` with ``y = wᵀx``.

    Parameters
    ----------
    w : ndarray of shape (d,), float64
        The weights; left unchanged.
    x : ndarray of shape (d,), float64
        The input.
    eta : float
        The learning rate, eta >= 0.

    Returns
    -------
    ndarray of shape (d,), float64
        The new weights.

    Raises
    ------
    ValueError
        If ``w`` or ``x`` is not a finite vector, their lengths differ, or ``eta < 0``, naming it.

    Examples
    --------
    >>> hebb_step(np.array([1.0, 0.0]), np.array([2.0, 1.0]), 0.1)
    array([1.4, 0.2])
    """
    w, x, eta = _check_step(w, x, eta)
    ### BEGIN SOLUTION
    y = w @ x  # the neuron's output
    return w + eta * y * x  # (d,)
    ### END SOLUTION


def oja_step(w: np.ndarray, x: np.ndarray, eta: float) -> np.ndarray:
    """One step of Oja's rule, ``w + η y (x − y w)`` with ``y = wᵀx``.

    The decay ``−η y² w`` scales the *weights* (not the input): it keeps ``‖w‖`` near 1.

    Parameters
    ----------
    w : ndarray of shape (d,), float64
        The weights; left unchanged.
    x : ndarray of shape (d,), float64
        The input.
    eta : float
        The learning rate, eta >= 0.

    Returns
    -------
    ndarray of shape (d,), float64
        The new weights.

    Raises
    ------
    ValueError
        If ``w`` or ``x`` is not a finite vector, their lengths differ, or ``eta < 0``, naming it.

    Examples
    --------
    >>> oja_step(np.array([1.0, 0.0]), np.array([2.0, 1.0]), 0.1)
    array([1. , 0.2])
    """
    w, x, eta = _check_step(w, x, eta)
    ### BEGIN SOLUTION
    y = w @ x
    return w + eta * y * (x - y * w)  # (d,)
    ### END SOLUTION


def run_oja(X: np.ndarray, eta: float, w0: np.ndarray) -> np.ndarray:
    """Apply Oja's rule to the rows of ``X`` in order, from ``w0``; return the whole trajectory.

    Parameters
    ----------
    X : ndarray of shape (N, d), float64
        The N inputs, one per row, presented once each in order.
    eta : float
        The learning rate, eta >= 0.
    w0 : ndarray of shape (d,), float64
        The initial weights; left unchanged.

    Returns
    -------
    ndarray of shape (N + 1, d), float64
        Row 0 is ``w0``; row k is the weights after the k-th input.

    Raises
    ------
    ValueError
        If ``X`` is not a finite matrix, ``w0`` not a finite vector of length d, or ``eta < 0``, naming it.

    Examples
    --------
    >>> W = run_oja(np.array([[2.0, 1.0], [0.0, 1.0]]), 0.1, np.array([1.0, 0.0]))
    >>> W.shape, W[0].tolist(), W[1].tolist()
    ((3, 2), [1.0, 0.0], [1.0, 0.2])
    """
    X = check_array(X, name="X", ndim=2, layout="(N, d)")
    w0 = check_array(w0, name="w0", ndim=1, layout="(d,)")
    check_dim(len(w0), X.shape[1], what="len(w0) == X.shape[1]")
    eta = check_scalar(eta, name="eta", lo=0)
    ### BEGIN SOLUTION
    W = np.empty((len(X) + 1, len(w0)))  # (N + 1, d)
    W[0] = w = w0.copy()
    for k, x in enumerate(X):
        y = w @ x
        w = w + eta * y * (x - y * w)  # Oja's rule, one input at a time
        W[k + 1] = w
    return W
    ### END SOLUTION


def stdp_dw(dt: np.ndarray, A_plus: float = 0.01, A_minus: float = 0.012,
            tau_plus: float = 20.0, tau_minus: float = 20.0) -> np.ndarray:
    """The STDP window: the weight change for each spike-time difference ``Δt = t_post − t_pre``.

    ``A₊ e^{−Δt/τ₊}`` for Δt > 0 (pre before post: potentiation), ``−A₋ e^{Δt/τ₋}`` for Δt < 0
    (depression), and exactly 0 at Δt = 0.

    Parameters
    ----------
    dt : ndarray of shape (k,), float64
        The differences ``t_post − t_pre`` in ms.
    A_plus, A_minus : float, default 0.01, 0.012
        The amplitudes of potentiation and depression, >= 0.
    tau_plus, tau_minus : float, default 20.0
        Their time constants in ms, > 0.

    Returns
    -------
    ndarray of shape (k,), float64
        The weight change for each difference.

    Raises
    ------
    ValueError
        If ``dt`` is not a finite vector or a parameter is out of its range, naming it.

    Examples
    --------
    >>> stdp_dw(np.array([20.0, 0.0, -20.0])).round(6)
    array([ 0.003679,  0.      , -0.004415])
    """
    dt = check_array(dt, name="dt", ndim=1, layout="(k,)")
    A_plus, A_minus, tau_plus, tau_minus = _check_window(A_plus, A_minus, tau_plus, tau_minus)
    ### BEGIN SOLUTION
    after = A_plus * np.exp(-np.abs(dt) / tau_plus)  # pre before post: potentiation
    before = -A_minus * np.exp(-np.abs(dt) / tau_minus)  # post before pre: depression
    return np.where(dt > 0, after, np.where(dt < 0, before, 0.0))  # (k,)
    ### END SOLUTION


def stdp_total(pre: np.ndarray, post: np.ndarray, A_plus: float = 0.01, A_minus: float = 0.012,
               tau_plus: float = 20.0, tau_minus: float = 20.0) -> float:
    """The total STDP weight change of two spike trains, summed over all (pre, post) pairs.

    ``Σ_i Σ_j stdp_dw(post[j] − pre[i])``: every pair counts, not only nearest neighbours.

    Parameters
    ----------
    pre : ndarray of shape (a,), float64
        The presynaptic spike times in ms (any order).
    post : ndarray of shape (b,), float64
        The postsynaptic spike times in ms (any order).
    A_plus, A_minus, tau_plus, tau_minus : float
        The window's parameters, as for :func:`stdp_dw`.

    Returns
    -------
    float
        The summed weight change (0.0 when a train is empty).

    Raises
    ------
    ValueError
        If a train is not a finite vector or a parameter is out of its range, naming it.

    Examples
    --------
    >>> round(stdp_total(np.array([0.0, 30.0]), np.array([10.0])), 6)
    0.001651
    """
    pre = check_array(pre, name="pre", ndim=1, layout="(a,)")
    post = check_array(post, name="post", ndim=1, layout="(b,)")
    A_plus, A_minus, tau_plus, tau_minus = _check_window(A_plus, A_minus, tau_plus, tau_minus)
    ### BEGIN SOLUTION
    differences = np.subtract.outer(post, pre).ravel()  # (b·a,): t_post − t_pre of every pair
    return float(stdp_dw(differences, A_plus, A_minus, tau_plus, tau_minus).sum())
    ### END SOLUTION


def _check_step(w: np.ndarray, x: np.ndarray, eta: float) -> tuple[np.ndarray, np.ndarray, float]:
    """``w`` and ``x`` as float vectors of one length and ``eta >= 0``, or ``ValueError`` naming the input."""
    w = check_array(w, name="w", ndim=1, layout="(d,)")
    x = check_array(x, name="x", ndim=1, layout="(d,)")
    check_dim(len(x), len(w), what="len(x) == len(w)")
    return w, x, check_scalar(eta, name="eta", lo=0)


def _check_window(A_plus: float, A_minus: float, tau_plus: float,
                  tau_minus: float) -> tuple[float, float, float, float]:
    """The STDP window's parameters as floats in their ranges, or ``ValueError`` naming the first that is not."""
    return (check_scalar(A_plus, name="A_plus", lo=0), check_scalar(A_minus, name="A_minus", lo=0),
            check_scalar(tau_plus, name="tau_plus", lo=0, lo_open=True),
            check_scalar(tau_minus, name="tau_minus", lo=0, lo_open=True))

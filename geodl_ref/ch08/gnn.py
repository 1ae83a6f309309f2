"""Message passing and the graph isomorphism network (chapter 8, ex 8.5).

A message-passing layer updates each node from its own features and an *aggregate* of its
neighbours' features. The aggregate is a function of a multiset, and its choice bounds what the
network can tell apart: the sum keeps multiplicities ({a, a} and {a} differ), the mean and the
max do not ({a, a} and {a} collide, and so can {a, b} and {c, c}). The GIN layer takes the sum,
adds the node itself with weight 1 + ε, and applies an MLP, here one linear layer and a ReLU:

    X' = ReLU(((1 + ε) I + A) X W + b).

Conventions: row layout (node i's features are row i of X, shape (n, f)); row i of A names the
nodes node i *receives* from, so node i aggregates Σ_j A[i, j] x_j (for a directed graph, its
in-neighbours when A[i, j] = 1 means an edge j → i). A may be weighted; float64 throughout.
numpy only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from geodl_ref._validation import check_array, check_choice, check_dim, check_scalar

__all__ = ["aggregate", "gin_layer", "readout"]

AGGREGATIONS = ("sum", "mean", "max")


def _check_graph_and_features(A: Any, X: Any) -> tuple[np.ndarray, np.ndarray]:
    """``A`` (n, n) and ``X`` (n, f) as float64 arrays, or raise naming the offending input."""
    A = check_array(A, name="A", ndim=2, layout="(n, n)")
    check_dim(A.shape[0], A.shape[1], what="A.shape[0] == A.shape[1] (a square matrix)")
    X = check_array(X, name="X", ndim=2, layout="(n, f)")
    check_dim(X.shape[0], A.shape[0], what="X.shape[0] == A.shape[0] (one feature row per node)")
    return A, X


def aggregate(A: np.ndarray, X: np.ndarray, how: str = "sum") -> np.ndarray:
    """Each node's aggregate of the features of the nodes it receives from.

    Parameters
    ----------
    A : ndarray of shape (n, n), float
        (Weighted) adjacency matrix; A[i, j] != 0 means node i receives from node j.
    X : ndarray of shape (n, f), float
        Node features, one row per node.
    how : {'sum', 'mean', 'max'}, default 'sum'
        'sum': Σ_j A[i, j] x_j (the GIN aggregate, eq of ex 8.5). 'mean': that sum divided by
        Σ_j A[i, j]. 'max': the entrywise maximum of x_j over the j with A[i, j] != 0. A node
        that receives from nobody gets a row of zeros under every rule.

    Returns
    -------
    ndarray of shape (n, f), float64
        Row i is node i's aggregate.

    Raises
    ------
    ValueError
        If A is not square, X has not one row per node, or ``how`` is not a known rule.

    Examples
    --------
    >>> A = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]])       # a path 1 - 0 - 2
    >>> X = np.array([[1.0, 0.0], [2.0, 1.0], [2.0, 3.0]])
    >>> aggregate(A, X)
    array([[4., 4.],
           [1., 0.],
           [1., 0.]])
    >>> aggregate(A, X, how="mean")[0], aggregate(A, X, how="max")[0]
    (array([2., 2.]), array([2., 3.]))
    """
    A, X = _check_graph_and_features(A, X)
    how = check_choice(how, name="how", choices=AGGREGATIONS)
    ### BEGIN SOLUTION
    if how == "sum":
        return A @ X                                        # row i: Σ_j A[i, j] x_j
    if how == "mean":
        weight = A.sum(axis=1, keepdims=True)
        safe = np.where(weight == 0, 1.0, weight)           # nobody to average: 0 / 1 = 0
        return (A @ X) / safe
    received = A != 0                                       # (n, n): who each node hears from
    masked = np.where(received[:, :, None], X[None, :, :], -np.inf)   # (n, n, f)
    best = masked.max(axis=1)
    return np.where(received.any(axis=1)[:, None], best, 0.0)
    ### END SOLUTION


def readout(X: np.ndarray, how: str = "sum") -> np.ndarray:
    """A graph-level feature vector: the sum, mean or max of the node features.

    Parameters
    ----------
    X : ndarray of shape (n, f), float
        Node features, one row per node (n >= 1).
    how : {'sum', 'mean', 'max'}, default 'sum'
        The permutation-invariant pooling over the rows.

    Returns
    -------
    ndarray of shape (f,), float64

    Raises
    ------
    ValueError
        If X is not 2-d with at least one row, or ``how`` is not a known rule.

    Examples
    --------
    >>> X = np.array([[1.0, -2.0], [3.0, 0.0]])
    >>> readout(X), readout(X, "mean"), readout(X, "max")
    (array([ 4., -2.]), array([ 2., -1.]), array([3., 0.]))
    """
    X = check_array(X, name="X", ndim=2, layout="(n, f)")
    if X.shape[0] == 0:
        raise ValueError(f"X should have at least one row (node); got X.shape={X.shape}")
    how = check_choice(how, name="how", choices=AGGREGATIONS)
    ### BEGIN SOLUTION
    pool = {"sum": np.sum, "mean": np.mean, "max": np.max}[how]
    return pool(X, axis=0)
    ### END SOLUTION


def gin_layer(A: np.ndarray, X: np.ndarray, W: np.ndarray, eps: float,
              b: np.ndarray | None = None) -> np.ndarray:
    """One GIN layer, X' = ReLU(((1 + ε) I + A) X W + b) (ex 8.5, the MLP one linear layer + ReLU).

    Parameters
    ----------
    A : ndarray of shape (n, n), float
        (Weighted) adjacency matrix; row i lists what node i receives (see the module docstring).
    X : ndarray of shape (n, f), float
        Node features, one row per node.
    W : ndarray of shape (f, f_out), float
        Weights of the linear layer, applied on the right (features are rows).
    eps : float
        The weight 1 + eps of a node's own features (any finite real).
    b : ndarray of shape (f_out,), float, optional
        Bias added to every node; None means zero.

    Returns
    -------
    ndarray of shape (n, f_out), float64
        The new node features, entrywise >= 0.

    Raises
    ------
    ValueError
        If a shape disagrees (A square, X (n, f), W (f, f_out), b (f_out,)) or eps is not finite.

    Examples
    --------
    >>> A = np.array([[0, 1], [1, 0]])
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0]])
    >>> W = np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -1.0]])
    >>> gin_layer(A, X, W, eps=0.0)                 # (I + A) X = [[1, 2], [1, 2]]
    array([[2., 1., 0.],
           [2., 1., 0.]])
    """
    A, X = _check_graph_and_features(A, X)
    W = check_array(W, name="W", ndim=2, layout="(f, f_out)")
    check_dim(W.shape[0], X.shape[1], what="W.shape[0] == X.shape[1] (W maps the f input features)")
    eps = check_scalar(eps, name="eps")
    if b is not None:
        b = check_array(b, name="b", shape=(W.shape[1],), layout="(f_out,)")
    ### BEGIN SOLUTION
    combined = (1.0 + eps) * X + A @ X          # ((1 + ε) I + A) X without forming I
    pre = combined @ W
    if b is not None:
        pre = pre + b
    return np.maximum(pre, 0.0)
    ### END SOLUTION

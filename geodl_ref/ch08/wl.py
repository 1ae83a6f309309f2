"""The 1-dimensional Weisfeiler–Lehman test (chapter 8, eqs 8.12–8.13): colour refinement.

Every node starts with a colour (the same for all, or given labels). In each round, a node's new
colour is an injective relabelling of the pair (its own colour, the *multiset* of its neighbours'
colours): two nodes get the same new colour exactly when they had the same colour and see the
same colours among their neighbours, counted with multiplicity. Rounds only split colour classes,
so after at most n − 1 rounds the partition of the nodes into colour classes stops changing: it is
*stable*, and refining stops there.

Colour refinement commutes with relabelling the nodes, so isomorphic graphs end with the same
colour histogram. :func:`wl_test` refines the disjoint union of two graphs (so that one colour
means the same in both) and compares the histograms: different histograms certify that the
graphs are not isomorphic; equal ones prove nothing (C₆ and two triangles pass).

The colours themselves are arbitrary names: only the partition they induce is meaningful.
Graphs are simple and undirected (A symmetric, entries 0 or 1, zero diagonal). numpy only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_int

__all__ = ["wl_refine", "wl_test"]


def _check_graph(A: Any, name: str) -> np.ndarray:
    """``A`` as the int64 adjacency matrix of a simple undirected graph, or raise naming ``name``."""
    arr = check_array(A, name=name, ndim=2, layout="(n, n)")
    check_dim(arr.shape[0], arr.shape[1], what=f"{name}.shape[0] == {name}.shape[1] (a square matrix)")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} should have at least one node; got {name}.shape={arr.shape}")
    if not np.all((arr == 0) | (arr == 1)):
        raise ValueError(f"{name} should hold only 0 and 1; got the values {np.unique(arr)[:6].tolist()}")
    if np.any(np.diag(arr) != 0):
        raise ValueError(f"{name} should have a zero diagonal (no self-loops)")
    if not np.array_equal(arr, arr.T):
        raise ValueError(f"{name} should be symmetric (an undirected graph)")
    return arr.astype(np.int64)


def _check_colours(init: Any, n: int, name: str) -> np.ndarray:
    """``init`` as an int64 vector of n colours, or raise naming ``name``."""
    arr = check_array(init, name=name, ndim=1, layout="(n,)", dtype=None)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} should hold integer colours; got dtype {arr.dtype}")
    check_dim(arr.shape[0], n, what=f"len({name}) == n")
    return arr.astype(np.int64)


def wl_refine(A: np.ndarray, init: np.ndarray | None = None, max_iter: int | None = None) -> np.ndarray:
    """Colour refinement (1-WL) of a graph, up to a stable partition (eqs 8.12–8.13).

    Parameters
    ----------
    A : ndarray of shape (n, n), int
        Adjacency matrix of a simple undirected graph (symmetric, 0/1, zero diagonal).
    init : ndarray of shape (n,), int, optional
        Initial colours (node labels); None gives every node the same colour.
    max_iter : int, optional
        The most rounds to run (>= 0; 0 returns the initial partition). None runs until the
        partition is stable, which takes at most n − 1 rounds.

    Returns
    -------
    ndarray of shape (n,), int64
        The colour of each node after the last round. The colour values are arbitrary; the
        partition they induce is the result: nodes i and j are in one class when
        colours[i] == colours[j]. It refines the partition of ``init``.

    Examples
    --------
    >>> P4 = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]])   # path 0-1-2-3
    >>> wl_refine(P4)                                   # ends and middle
    array([0, 1, 1, 0])
    >>> wl_refine(P4, init=[0, 0, 0, 1])                # node 3 marked: every node differs
    array([0, 1, 2, 3])
    >>> wl_refine(P4, max_iter=0)
    array([0, 0, 0, 0])
    """
    A = _check_graph(A, "A")
    n = A.shape[0]
    colours = np.zeros(n, dtype=np.int64) if init is None else _check_colours(init, n, "init")
    rounds = n if max_iter is None else check_int(max_iter, name="max_iter", lo=0)
    ### BEGIN SOLUTION
    neighbours = [np.flatnonzero(row) for row in A]
    colours = np.unique(colours, return_inverse=True)[1].astype(np.int64)  # names 0..k-1
    for _ in range(rounds):
        # eq 8.13: the new colour encodes (own colour, multiset of the neighbours' colours)
        signatures = [(int(colours[i]), tuple(sorted(colours[neighbours[i]].tolist()))) for i in range(n)]
        palette = {signature: k for k, signature in enumerate(sorted(set(signatures)))}  # injective relabel
        refined = np.array([palette[s] for s in signatures], dtype=np.int64)
        stable = len(palette) == len(np.unique(colours))  # rounds only split classes: same count, same partition
        colours = refined
        if stable:
            break
    return colours
    ### END SOLUTION


def wl_test(A: np.ndarray, B: np.ndarray) -> bool:
    """The 1-WL isomorphism test: refine both graphs together and compare colour histograms.

    Parameters
    ----------
    A : ndarray of shape (n, n), int
        Adjacency matrix of a simple undirected graph.
    B : ndarray of shape (m, m), int
        The same for the second graph.

    Returns
    -------
    bool
        False when the graphs are certainly not isomorphic (different sizes, or different colour
        histograms after refining their disjoint union to a stable partition); True when 1-WL
        cannot tell them apart, which every pair of isomorphic graphs is, and some pairs of
        non-isomorphic ones too (C₆ and two disjoint triangles).

    Examples
    --------
    >>> P4 = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]])
    >>> star = np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]])   # K_{1,3}
    >>> wl_test(P4, star)
    False
    >>> C6 = np.roll(np.eye(6, dtype=int), 1, axis=1) + np.roll(np.eye(6, dtype=int), -1, axis=1)
    >>> C3 = np.ones((3, 3), dtype=int) - np.eye(3, dtype=int)
    >>> wl_test(C6, np.kron(np.eye(2, dtype=int), C3))   # not isomorphic, yet 1-WL cannot tell
    True
    """
    A, B = _check_graph(A, "A"), _check_graph(B, "B")
    ### BEGIN SOLUTION
    n, m = A.shape[0], B.shape[0]
    if n != m:
        return False
    union = np.zeros((n + m, n + m), dtype=np.int64)  # disjoint union: one palette for both graphs
    union[:n, :n], union[n:, n:] = A, B
    colours = wl_refine(union)
    k = int(colours.max()) + 1
    return bool(np.array_equal(np.bincount(colours[:n], minlength=k), np.bincount(colours[n:], minlength=k)))
    ### END SOLUTION

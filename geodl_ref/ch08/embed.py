"""Node embeddings (chapter 8, §8.3): random walks for DeepWalk and node2vec, and the matrix
factorisation embedding of eq 8.10.

DeepWalk turns a graph into "sentences": walks that move from a node to a neighbour chosen
uniformly at random, so that the transition matrix is D⁻¹A. node2vec biases the walk by where it
came from: having stepped t → v, it moves to a neighbour x of v with weight 1/p if x = t (return),
1 if x is also a neighbour of t, and 1/q otherwise (outward); p = q = 1 is DeepWalk. The first step
of a node2vec walk has no previous node and is uniform.

Conventions: A is an (n, n) 0/1 adjacency matrix, row i listing the nodes i can step to
(A[i, j] = 1: an edge i → j; an undirected graph has A symmetric). A walk of ``length`` nodes
(its start included) that reaches a node with no out-edge (a dead end) stops there, and the rest
of its row is padded with −1. ``rng`` is an integer seed: one seed gives the same walks.

The MF embedding of a (possibly weighted, possibly non-symmetric) matrix A is its best rank-d
approximation in Frobenius norm (Eckart–Young), split evenly between the two factors:
U = U_d Σ_d^{1/2}, V = V_d Σ_d^{1/2} with A ≈ U Vᵀ, from the singular value decomposition (not
an eigendecomposition, which is wrong for a non-symmetric A). numpy only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from geodl_ref._validation import check_array, check_dim, check_int, check_scalar

__all__ = ["mf_embedding", "node2vec_walks", "random_walks"]


def _check_adjacency(A: Any) -> np.ndarray:
    """``A`` as a square int64 0/1 matrix with at least one node, or raise naming it."""
    arr = check_array(A, name="A", ndim=2, layout="(n, n)")
    check_dim(arr.shape[0], arr.shape[1], what="A.shape[0] == A.shape[1] (a square matrix)")
    if arr.shape[0] == 0:
        raise ValueError(f"A should have at least one node; got A.shape={arr.shape}")
    if not np.all((arr == 0) | (arr == 1)):
        raise ValueError(f"A should hold only 0 and 1; got the values {np.unique(arr)[:6].tolist()}")
    return arr.astype(np.int64)


def _check_walk_sizes(length: Any, per_node: Any, rng: Any) -> tuple[int, int, int]:
    """length >= 1, per_node >= 1 and an integer seed >= 0, or raise naming the offender."""
    return (check_int(length, name="length", lo=1), check_int(per_node, name="per_node", lo=1),
            check_int(rng, name="rng", lo=0))


def random_walks(A: np.ndarray, length: int, per_node: int, rng: int) -> np.ndarray:
    """DeepWalk's uniform random walks: ``per_node`` walks of ``length`` nodes from every node.

    Parameters
    ----------
    A : ndarray of shape (n, n), int
        0/1 adjacency matrix; A[i, j] = 1 means the walk may step from i to j.
    length : int
        Nodes per walk, the start included (>= 1).
    per_node : int
        Walks started from each node (>= 1).
    rng : int
        Seed of ``numpy.random.default_rng`` (>= 0); the same seed gives the same walks.

    Returns
    -------
    ndarray of shape (n * per_node, length), int64
        One walk per row. Rows k * n to k * n + n − 1 are the k-th round of walks, row k * n + i
        starting at node i. Each step goes from the current node to one of its out-neighbours,
        chosen uniformly; at a node without out-neighbours the walk stops and the rest of the row
        is −1.

    Raises
    ------
    ValueError
        If A is not a square 0/1 matrix, or length, per_node or rng is negative or zero.

    Examples
    --------
    >>> path = np.array([[0, 1, 0], [0, 0, 1], [0, 0, 0]])   # directed path 0 → 1 → 2
    >>> random_walks(path, length=4, per_node=1, rng=0)
    array([[ 0,  1,  2, -1],
           [ 1,  2, -1, -1],
           [ 2, -1, -1, -1]])
    """
    A = _check_adjacency(A)
    length, per_node, seed = _check_walk_sizes(length, per_node, rng)
    ### BEGIN SOLUTION
    generator = np.random.default_rng(seed)
    n = A.shape[0]
    neighbours = [np.flatnonzero(row) for row in A]
    walks = np.full((n * per_node, length), -1, dtype=np.int64)
    for row in range(n * per_node):
        node = row % n
        walks[row, 0] = node
        for step in range(1, length):
            options = neighbours[node]
            if options.size == 0:                    # dead end: stop, the rest stays −1
                break
            node = int(options[generator.integers(options.size)])   # uniform: D⁻¹A
            walks[row, step] = node
    return walks
    ### END SOLUTION


def node2vec_walks(A: np.ndarray, length: int, per_node: int, p: float, q: float, rng: int) -> np.ndarray:
    """node2vec's second-order random walks, biased by the return parameter p and in-out parameter q.

    Parameters
    ----------
    A : ndarray of shape (n, n), int
        0/1 adjacency matrix; A[i, j] = 1 means the walk may step from i to j.
    length : int
        Nodes per walk, the start included (>= 1).
    per_node : int
        Walks started from each node (>= 1).
    p : float
        Return parameter (> 0): stepping back to the previous node has weight 1/p.
    q : float
        In-out parameter (> 0): a neighbour x of the current node that is neither the previous
        node t nor one of t's neighbours (A[t, x] = 0) has weight 1/q; the others weight 1.
    rng : int
        Seed of ``numpy.random.default_rng`` (>= 0); the same seed gives the same walks.

    Returns
    -------
    ndarray of shape (n * per_node, length), int64
        As :func:`random_walks`: row k * n + i starts at node i, the first step is uniform among
        the out-neighbours, each later step from v (having come from t) picks x among v's
        out-neighbours with probability proportional to its weight; −1 after a dead end.

    Raises
    ------
    ValueError
        If A is not a square 0/1 matrix, length, per_node or rng is out of range, or p or q is not
        positive.

    Examples
    --------
    >>> triangle_and_tail = np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]])
    >>> walks = node2vec_walks(triangle_and_tail, length=6, per_node=2, p=0.5, q=2.0, rng=1)
    >>> walks.shape, bool(np.all(triangle_and_tail[walks[:, :-1], walks[:, 1:]] == 1))
    ((8, 6), True)
    """
    A = _check_adjacency(A)
    length, per_node, seed = _check_walk_sizes(length, per_node, rng)
    p = check_scalar(p, name="p", lo=0, lo_open=True)
    q = check_scalar(q, name="q", lo=0, lo_open=True)
    ### BEGIN SOLUTION
    generator = np.random.default_rng(seed)
    n = A.shape[0]
    neighbours = [np.flatnonzero(row) for row in A]
    walks = np.full((n * per_node, length), -1, dtype=np.int64)
    for row in range(n * per_node):
        previous, node = -1, row % n
        walks[row, 0] = node
        for step in range(1, length):
            options = neighbours[node]
            if options.size == 0:
                break
            if previous < 0:                                  # first step: uniform
                weights = np.ones(options.size)
            else:                                             # 1/p back, 1 to t's neighbours, 1/q outward
                weights = np.where(options == previous, 1.0 / p, np.where(A[previous, options] == 1, 1.0, 1.0 / q))
            choice = generator.choice(options.size, p=weights / weights.sum())
            previous, node = node, int(options[choice])
            walks[row, step] = node
    return walks
    ### END SOLUTION


def mf_embedding(A: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """The matrix-factorisation embedding (eq 8.10): A ≈ U Vᵀ, the truncated SVD split evenly.

    Parameters
    ----------
    A : ndarray of shape (n, n), float
        Adjacency (or any similarity) matrix; need not be symmetric or 0/1.
    d : int
        Embedding dimension, 1 <= d <= n.

    Returns
    -------
    U : ndarray of shape (n, d), float64
        U_d Σ_d^{1/2}: the d leading left singular vectors scaled by the square roots of the
        singular values (largest first). Row i is node i's "source" embedding.
    V : ndarray of shape (n, d), float64
        V_d Σ_d^{1/2}, the right singular vectors likewise: row j is node j's "target" embedding.
        U Vᵀ is the best rank-d approximation of A, ‖A − U Vᵀ‖²_F = Σ_{i>d} σ_i², and
        UᵀU = VᵀV = Σ_d. The signs of a column pair (U[:, k], V[:, k]) are arbitrary.

    Raises
    ------
    ValueError
        If A is not square or d is outside [1, n].

    Examples
    --------
    >>> A = np.array([[0.0, 2.0], [0.0, 0.0]])          # one edge 0 → 1 of weight 2
    >>> U, V = mf_embedding(A, 1)
    >>> np.round(U @ V.T, 12) + 0.0
    array([[0., 2.],
           [0., 0.]])
    >>> float(np.abs(U).max()), float(np.abs(V).max())  # √2 each: split evenly
    (1.4142135623730951, 1.4142135623730951)
    """
    A = check_array(A, name="A", ndim=2, layout="(n, n)")
    check_dim(A.shape[0], A.shape[1], what="A.shape[0] == A.shape[1] (a square matrix)")
    d = check_int(d, name="d", lo=1, hi=A.shape[0])
    ### BEGIN SOLUTION
    left, sigma, right_t = np.linalg.svd(A)              # sigma sorted descending
    root = np.sqrt(sigma[:d])
    return left[:, :d] * root, right_t[:d].T * root      # U_d Σ^{1/2}, V_d Σ^{1/2}
    ### END SOLUTION

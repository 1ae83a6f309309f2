"""Graph isomorphism (chapter 8, §8.2.2): relabelling a graph, deciding by search, and invariants.

A graph on n nodes is given by its adjacency matrix A, an (n, n) array with A[i, j] = 1 when
there is an edge from node i to node j. Relabelling the nodes by a permutation π of
{0, …, n − 1} (node i becomes node π(i)) gives the adjacency matrix B with

    B[π(i), π(j)] = A[i, j],    that is    B = P A Pᵀ with P[π(i), i] = 1.

Two graphs are isomorphic when some π maps one onto the other. No polynomial algorithm is known
in general, so :func:`is_isomorphic_bruteforce` searches the permutations (n ≤ 8). An
*invariant* is a quantity that every relabelling leaves unchanged (the sorted degrees, the
number of edges and triangles, the spectrum): graphs whose invariants differ are certainly not
isomorphic, but equal invariants prove nothing (K₁,₄ and C₄ ∪ K₁ share their spectrum).

Graphs are simple and undirected unless a function says otherwise: A is symmetric, with entries
0 or 1 and a zero diagonal. numpy only.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from geodl_ref._validation import check_array, check_dim

__all__ = ["invariants", "is_isomorphic_bruteforce", "permute_adjacency"]

#: the largest graph :func:`is_isomorphic_bruteforce` accepts (8! = 40320 permutations)
MAX_BRUTEFORCE_NODES = 8


def _check_square(A: Any, name: str) -> np.ndarray:
    """``A`` as a square 2-d array of its own numeric dtype, or raise naming ``name``."""
    arr = check_array(A, name=name, ndim=2, layout="(n, n)", dtype=None)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} should be a numeric array; got dtype {arr.dtype}")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} should be finite; got NaN/inf entries")
    check_dim(arr.shape[0], arr.shape[1], what=f"{name}.shape[0] == {name}.shape[1] (a square matrix)")
    return arr


def _check_graph(A: Any, name: str) -> np.ndarray:
    """``A`` as the int64 adjacency matrix of a simple undirected graph, or raise naming ``name``."""
    arr = _check_square(A, name)
    if arr.shape[0] == 0:
        raise ValueError(f"{name} should have at least one node; got {name}.shape={arr.shape}")
    if not np.all((arr == 0) | (arr == 1)):
        raise ValueError(f"{name} should hold only 0 and 1; got the values {np.unique(arr)[:6].tolist()}")
    if np.any(np.diag(arr) != 0):
        raise ValueError(f"{name} should have a zero diagonal (no self-loops)")
    if not np.array_equal(arr, arr.T):
        raise ValueError(f"{name} should be symmetric (an undirected graph)")
    return arr.astype(np.int64)


def _check_permutation(perm: Any, n: int, name: str) -> np.ndarray:
    """``perm`` as an int64 permutation of 0..n-1, or raise naming ``name``."""
    arr = check_array(perm, name=name, ndim=1, layout="(n,)", dtype=None)
    if arr.dtype.kind not in "iu" and not (arr.dtype.kind == "f" and np.all(arr == np.round(arr))):
        raise TypeError(f"{name} should hold integers; got dtype {arr.dtype}")
    check_dim(arr.shape[0], n, what=f"len({name}) == n")
    arr = arr.astype(np.int64)
    if not np.array_equal(np.sort(arr), np.arange(n)):
        raise ValueError(f"{name} should be a permutation of 0..{n - 1}; got {arr.tolist()}")
    return arr


def permute_adjacency(A: np.ndarray, perm: np.ndarray) -> np.ndarray:
    """Relabel the nodes of a graph: node i becomes node perm[i].

    Parameters
    ----------
    A : ndarray of shape (n, n)
        Adjacency (or any square) matrix, of any numeric dtype; it need not be symmetric.
    perm : ndarray of shape (n,), int
        A permutation of 0..n-1: the new label of node i is perm[i].

    Returns
    -------
    ndarray of shape (n, n), the dtype of A
        B with B[perm[i], perm[j]] = A[i, j] for all i, j; equivalently B = P A Pᵀ with the
        permutation matrix P[perm[i], i] = 1.

    Raises
    ------
    ValueError
        If A is not square or perm is not a permutation of 0..n-1.

    Examples
    --------
    >>> A = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])   # the path 0 - 1 - 2
    >>> permute_adjacency(A, [1, 2, 0])                    # node 1 (the middle) becomes node 2
    array([[0, 0, 1],
           [0, 0, 1],
           [1, 1, 0]])
    """
    A = _check_square(A, "A")
    perm = _check_permutation(perm, A.shape[0], "perm")
    ### BEGIN SOLUTION
    B = np.empty_like(A)
    B[np.ix_(perm, perm)] = A  # B[perm[i], perm[j]] = A[i, j]
    return B
    ### END SOLUTION


def is_isomorphic_bruteforce(A: np.ndarray, B: np.ndarray) -> tuple[bool, np.ndarray | None]:
    """Decide whether two small graphs are isomorphic, by searching the relabellings.

    Parameters
    ----------
    A : ndarray of shape (n, n), int
        Adjacency matrix of a simple undirected graph (symmetric, 0/1, zero diagonal), n <= 8.
    B : ndarray of shape (m, m), int
        The same for the second graph, m <= 8.

    Returns
    -------
    isomorphic : bool
        True when some permutation maps A onto B.
    perm : ndarray of shape (n,), int64, or None
        When isomorphic, a permutation with ``permute_adjacency(A, perm) == B`` (node i of A is
        node perm[i] of B); None otherwise. Graphs of different sizes give (False, None).

    Raises
    ------
    ValueError
        If a graph has more than 8 nodes, or is not a simple undirected graph.

    Examples
    --------
    >>> path = np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]])      # 0 - 1 - 2
    >>> other = np.array([[0, 0, 1], [0, 0, 1], [1, 1, 0]])     # 0 - 2 - 1
    >>> is_isomorphic_bruteforce(path, other)
    (True, array([0, 2, 1]))
    >>> triangle = np.ones((3, 3), dtype=int) - np.eye(3, dtype=int)
    >>> is_isomorphic_bruteforce(path, triangle)
    (False, None)
    """
    A, B = _check_graph(A, "A"), _check_graph(B, "B")
    for name, M in (("A", A), ("B", B)):
        if M.shape[0] > MAX_BRUTEFORCE_NODES:
            raise ValueError(f"{name} should have at most {MAX_BRUTEFORCE_NODES} nodes for a brute-force "
                             f"search; got {name}.shape={M.shape}")
    ### BEGIN SOLUTION
    n = A.shape[0]
    if B.shape[0] != n or A.sum() != B.sum():
        return False, None
    deg_A, deg_B = A.sum(axis=1), B.sum(axis=1)
    image = np.full(n, -1, dtype=np.int64)  # image[i] = π(i) for the nodes placed so far
    used = np.zeros(n, dtype=bool)

    def extend(i: int) -> bool:
        """Place node i of A, given π(0..i-1), so that every edge and non-edge so far is kept."""
        if i == n:
            return True
        for v in range(n):
            # node i may go to v when v is free, has i's degree, and B[v, π(j)] = A[i, j] for j < i
            if not used[v] and deg_B[v] == deg_A[i] and np.array_equal(B[v, image[:i]], A[i, :i]):
                image[i], used[v] = v, True
                if extend(i + 1):
                    return True
                used[v] = False
        return False

    if extend(0):
        return True, image
    return False, None
    ### END SOLUTION


def invariants(A: np.ndarray) -> dict[str, Any]:
    """Four relabelling invariants of a simple undirected graph (§8.2.2).

    Parameters
    ----------
    A : ndarray of shape (n, n), int
        Adjacency matrix: symmetric, entries 0 or 1, zero diagonal.

    Returns
    -------
    dict
        ``deg_seq`` : ndarray of shape (n,), int64 — the degrees A.sum(axis=1), sorted in
        non-decreasing order;
        ``n_edges`` : int — the number of (undirected) edges, A.sum() / 2;
        ``n_triangles`` : int — the number of triangles, tr(A³) / 6 (each triangle is a closed
        walk of length 3 from each of its 3 nodes, in 2 directions);
        ``spectrum`` : ndarray of shape (n,), float64 — the eigenvalues of A, sorted in
        non-decreasing order.

    Examples
    --------
    >>> K4 = np.ones((4, 4), dtype=int) - np.eye(4, dtype=int)
    >>> inv = invariants(K4)
    >>> inv["deg_seq"].tolist(), inv["n_edges"], inv["n_triangles"]
    ([3, 3, 3, 3], 6, 4)
    >>> np.round(inv["spectrum"], 12).tolist()
    [-1.0, -1.0, -1.0, 3.0]
    """
    A = _check_graph(A, "A")
    ### BEGIN SOLUTION
    walks3 = np.trace(A @ A @ A)  # closed walks of length 3: 6 per triangle
    return {
        "deg_seq": np.sort(A.sum(axis=1)),
        "n_edges": int(A.sum()) // 2,
        "n_triangles": int(walks3) // 6,
        "spectrum": np.linalg.eigvalsh(A.astype(np.float64)),  # ascending, for a symmetric matrix
    }
    ### END SOLUTION

"""Small graphs the chapter-8 checks are built from: random graphs, relabelled copies and
degree-preserving rewirings (so that a pair can share every simple invariant), and named graphs."""
from __future__ import annotations

import numpy as np


def from_edges(n: int, edges) -> np.ndarray:
    """The (n, n) int64 adjacency matrix of the undirected graph with these edges (pairs of nodes)."""
    A = np.zeros((n, n), dtype=np.int64)
    for i, j in edges:
        A[i, j] = A[j, i] = 1
    return A


def edges_of(A: np.ndarray) -> list[tuple[int, int]]:
    """The edges (i, j), i < j, of an undirected adjacency matrix."""
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(np.triu(A, 1)))]


def random_graph(rng: np.random.Generator, n: int, p: float = 0.5) -> np.ndarray:
    """An Erdős–Rényi G(n, p) adjacency matrix, (n, n) int64."""
    upper = np.triu(rng.random((n, n)) < p, 1)
    return (upper | upper.T).astype(np.int64)


def relabelled(A: np.ndarray, new_label: np.ndarray) -> np.ndarray:
    """A's graph with node i renamed new_label[i], rebuilt from its edge list."""
    return from_edges(len(A), [(new_label[i], new_label[j]) for i, j in edges_of(A)])


def moving_permutation(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random permutation of 0..n-1 (n >= 3) that is not an involution, so that it differs from its inverse."""
    while True:
        perm = rng.permutation(n)
        if not np.array_equal(perm[perm], np.arange(n)):
            return perm


def rewired(rng: np.random.Generator, A: np.ndarray, swaps: int = 2) -> np.ndarray:
    """A with ``swaps`` double-edge swaps {a-b, c-d} -> {a-d, c-b}: every degree is kept, the graph
    usually changes (whether it stays isomorphic to A is the oracle's to say)."""
    A = A.copy()
    for _ in range(50 * swaps):
        if swaps == 0:
            break
        edges = edges_of(A)
        if len(edges) < 2:
            break
        (a, b), (c, d) = (edges[k] for k in rng.choice(len(edges), size=2, replace=False))
        if len({a, b, c, d}) == 4 and not A[a, d] and not A[c, b]:
            A[a, b] = A[b, a] = A[c, d] = A[d, c] = 0
            A[a, d] = A[d, a] = A[c, b] = A[b, c] = 1
            swaps -= 1
    return A


def random_tree(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random tree on n nodes: node k joins a uniformly chosen earlier node."""
    return from_edges(n, [(k, int(rng.integers(k))) for k in range(1, n)])


def cycle(n: int) -> np.ndarray:
    """The cycle C_n."""
    return from_edges(n, [(k, (k + 1) % n) for k in range(n)])


def disjoint_union(*graphs: np.ndarray) -> np.ndarray:
    """The block-diagonal adjacency matrix of the graphs side by side."""
    n = sum(len(G) for G in graphs)
    A, at = np.zeros((n, n), dtype=np.int64), 0
    for G in graphs:
        A[at:at + len(G), at:at + len(G)] = G
        at += len(G)
    return A


def star(leaves: int) -> np.ndarray:
    """The star K_{1,leaves}, centre 0."""
    return from_edges(leaves + 1, [(0, k) for k in range(1, leaves + 1)])

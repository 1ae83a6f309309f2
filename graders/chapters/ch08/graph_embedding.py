"""ch08.graph_embedding — DeepWalk and node2vec walks graded by structure (every step an edge, −1
only after a dead end, the documented start nodes, one seed one result) and by distribution (χ²
tests of first- and second-order transition counts against the exact probabilities, p > 1e-4):
never by the reference's random stream. The MF embedding (eq 8.10) by Eckart–Young, the balanced
split Σ^{1/2} and permutation equivariance."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, Tuple, assert_close, expect, rng, seeds
from graders.authoring.oracles import oracle
from graders.chapters.ch08._graphs import from_edges, moving_permutation

exercise = Exercise(module="ch08.embed", functions=("random_walks", "node2vec_walks", "mf_embedding"),
                    forbidden=("torch", "scipy", "sympy"), title="Random walks and node embeddings")

#: The χ² tests' level: a correct walk fails one with probability 1e-4.
_ALPHA = 1e-4


def _with_dead_ends() -> np.ndarray:
    """A directed 7-node graph: a cycle 0 → 1 → 2 → 0 with chords, a branch 2 → 3 → 4 (4 has no
    out-edge: a dead end), 5 → 0 and an isolated node 6."""
    A = np.zeros((7, 7), dtype=np.int64)
    for i, j in [(0, 1), (1, 2), (2, 0), (0, 2), (1, 0), (2, 3), (3, 4), (5, 0), (3, 1)]:
        A[i, j] = 1
    return A


def _irregular() -> np.ndarray:
    """An undirected connected 6-node graph of degrees 1 to 4 (no dead end)."""
    return from_edges(6, [(0, 1), (0, 2), (0, 3), (1, 2), (2, 3), (3, 4), (4, 5), (1, 4)])


def _planted() -> np.ndarray:
    """node2vec's test graph: 5 nodes where a step can return, stay near (a triangle 0-1-2) or go
    outward (2-3, 3-4, 1-3)."""
    return from_edges(5, [(0, 1), (1, 2), (0, 2), (2, 3), (3, 4), (1, 3)])


def _walks(ctx, func: str, A: np.ndarray, length: int, per_node: int, *args) -> np.ndarray:
    """The student's walks, (n * per_node, length)."""
    shape = (len(A) * per_node, length)
    return ctx.call(func, A, length, per_node, *args, returns=Array(shape, label=f"{func}(A, {length}, {per_node})"))


def _expect_valid_walks(func: str, A: np.ndarray, walks: np.ndarray, per_node: int) -> None:
    """Integer entries; row k·n + i starts at i; every step follows an edge; a walk stops (−1 to the
    end of its row) exactly when it stands on a node without out-edges."""
    n = len(A)
    expect(np.all(walks == np.round(walks)), f"{func} should return integer node indices")
    walks = walks.astype(np.int64)
    starts = np.tile(np.arange(n), per_node)
    expect(np.array_equal(walks[:, 0], starts), f"{func}: row k·n + i should start at node i; the starts are "
                                                f"{walks[:, 0].tolist()[:2 * n]}...")
    expect(np.all((walks >= -1) & (walks < n)), f"{func}: entries should be nodes 0..{n - 1} or the padding −1")
    dead: np.ndarray = np.asarray(A).sum(axis=1) == 0
    for w in walks:
        for a, b in zip(w[:-1], w[1:]):
            if a == -1:
                expect(b == -1, f"{func}: a walk that stopped should stay −1; got the walk {w.tolist()}")
            elif b == -1:
                expect(bool(dead[a]), f"{func}: the walk {w.tolist()} stops at node {a}, which has out-edges "
                                      f"{np.flatnonzero(A[a]).tolist()}")
            else:
                expect(A[a, b] == 1, f"{func}: the walk {w.tolist()} steps {a} → {b}, which is not an edge of A")


@oracle
def _chi2_critical(df: int, alpha: float) -> float:
    """The χ² quantile that a statistic with ``df`` degrees of freedom exceeds with probability alpha."""
    from scipy.stats import chi2

    return float(chi2.isf(alpha, df))


@oracle
def _first_order_probabilities(A: np.ndarray) -> np.ndarray:
    """D⁻¹A: row i is the uniform distribution over i's out-neighbours (zeros at a dead end)."""
    out = A.sum(axis=1, keepdims=True).astype(np.float64)
    return np.divide(A, out, out=np.zeros(A.shape), where=out > 0)


@oracle
def _second_order_probabilities(A: np.ndarray, p: float, q: float) -> np.ndarray:
    """(n, n, n) array: [t, v, x] is node2vec's probability of stepping v → x after t → v."""
    n = len(A)
    P = np.zeros((n, n, n))
    for t in range(n):
        for v in range(n):
            if not A[t, v]:
                continue
            w = np.array([0.0 if not A[v, x] else 1 / p if x == t else 1.0 if A[t, x] else 1 / q for x in range(n)])
            if w.sum() > 0:
                P[t, v] = w / w.sum()
    return P


def _chi2_of_counts(counts: np.ndarray, probabilities: np.ndarray) -> tuple[float, int, str]:
    """Pooled Pearson χ² of rows of counts against rows of probabilities (rows with support >= 2):
    the statistic, its degrees of freedom, and the row that deviates most (for the message)."""
    stat, df, worst, worst_row = 0.0, 0, -1.0, ""
    for c, prob in zip(counts.reshape(-1, counts.shape[-1]), probabilities.reshape(-1, probabilities.shape[-1])):
        support = prob > 0
        total = c.sum()
        if support.sum() < 2 or total == 0:
            continue
        expected = total * prob[support]
        row = float((((c[support] - expected) ** 2) / expected).sum())
        stat += row
        df += int(support.sum()) - 1
        if row > worst:
            worst = row
            worst_row = f"counts {c[support].astype(int).tolist()} vs expected {np.round(expected, 1).tolist()}"
    return stat, df, worst_row


def _first_order_counts(walks: np.ndarray, n: int) -> np.ndarray:
    """(n, n): counts[v, x] of steps v → x in the walks."""
    counts = np.zeros((n, n))
    for w in walks.astype(np.int64):
        w = w[w >= 0]
        np.add.at(counts, (w[:-1], w[1:]), 1)
    return counts


def _second_order_counts(walks: np.ndarray, n: int) -> np.ndarray:
    """(n, n, n): counts[t, v, x] of consecutive steps t → v → x."""
    counts = np.zeros((n, n, n))
    for w in walks.astype(np.int64):
        w = w[w >= 0]
        np.add.at(counts, (w[:-2], w[1:-1], w[2:]), 1)
    return counts


def _expect_chi2(counts: np.ndarray, probabilities: np.ndarray, what: str) -> None:
    stat, df, worst = _chi2_of_counts(counts, probabilities)
    critical = _chi2_critical(df, _ALPHA)
    expect(stat <= critical, f"{what}: the transition counts are far from the exact probabilities (χ² = {stat:.1f} "
                             f"on {df} degrees of freedom, p < {_ALPHA}); the worst row has {worst}")


# ---- random_walks ---------------------------------------------------------------------------------

@exercise.check(points=2)
def random_walks_follow_edges(ctx):
    """random_walks(A, 6, 3, seed) on a directed graph with a dead end and an isolated node: an
    (n·3, 6) array, row k·n + i starting at node i, every step along an out-edge, and a walk stops
    (the rest of its row −1) exactly at a node without out-edges — it never teleports."""
    A = _with_dead_ends()
    _expect_valid_walks("random_walks", A, _walks(ctx, "random_walks", A, 6, 3, 11), 3)


@exercise.check(points=3, depends_on="random_walks_follow_edges")
def random_walks_are_uniform(ctx):
    """DeepWalk's steps are uniform over the out-neighbours: on an irregular 6-node graph, the counts
    of transitions v → x over ~23k steps pass a χ² test against D⁻¹A (p > 1e-4)."""
    A = _irregular()
    walks = _walks(ctx, "random_walks", A, 40, 100, 2024)
    _expect_valid_walks("random_walks", A, walks, 100)
    _expect_chi2(_first_order_counts(walks, 6), _first_order_probabilities(A), "random_walks")


@exercise.check(points=1, depends_on="random_walks_follow_edges")
def walks_depend_only_on_the_seed(ctx):
    """One seed gives the same walks (random_walks and node2vec_walks called twice with seed 3);
    another seed gives other walks."""
    A = _irregular()
    first, again, other = ctx.map("random_walks", [(A, 8, 2, 3), (A, 8, 2, 3), (A, 8, 2, 4)], returns=Array((12, 8)))
    expect(np.array_equal(first, again), "random_walks(A, 8, 2, rng=3) gave different walks on two calls")
    expect(not np.array_equal(first, other), "random_walks gave the same walks for the seeds 3 and 4")
    first, again = ctx.map("node2vec_walks", [(A, 8, 2, 0.5, 2.0, 3)] * 2, returns=Array((12, 8)))
    expect(np.array_equal(first, again), "node2vec_walks(A, 8, 2, 0.5, 2.0, rng=3) gave different walks on two calls")


# ---- node2vec_walks -------------------------------------------------------------------------------

@exercise.check(points=1)
def node2vec_walks_follow_edges(ctx):
    """node2vec_walks(A, 6, 3, p=0.5, q=2, seed) on the directed graph with a dead end: the same
    structure as random_walks (starts, edges, −1 after a dead end only)."""
    A = _with_dead_ends()
    _expect_valid_walks("node2vec_walks", A, _walks(ctx, "node2vec_walks", A, 6, 3, 0.5, 2.0, 12), 3)


@exercise.check(points=4, given={"pq": st.sampled_from([(0.5, 2.0), (2.0, 0.5)])}, max_examples=2,
                depends_on="node2vec_walks_follow_edges")
def node2vec_second_order_frequencies(ctx, pq):
    """On a planted 5-node graph (a triangle with a tail), the counts of steps v → x after t → v pass
    a χ² test (p > 1e-4) against the exact node2vec probabilities: weight 1/p back to t, 1 to a
    neighbour of t, 1/q outward — for (p, q) = (0.5, 2) and (2, 0.5)."""
    p, q = pq
    A = _planted()
    walks = _walks(ctx, "node2vec_walks", A, 40, 100, p, q, 7)
    _expect_valid_walks("node2vec_walks", A, walks, 100)
    _expect_chi2(_second_order_counts(walks, 5), _second_order_probabilities(A, p, q),
                 f"node2vec_walks(p={p}, q={q})")


@exercise.check(points=1, depends_on="node2vec_walks_follow_edges")
def node2vec_with_p_q_one_is_deepwalk(ctx):
    """With p = q = 1 every weight is 1: node2vec_walks is DeepWalk, the step after t → v uniform over
    v's neighbours (χ² against D⁻¹A, conditioned on t, p > 1e-4)."""
    A = _planted()
    walks = _walks(ctx, "node2vec_walks", A, 40, 100, 1.0, 1.0, 8)
    uniform = np.broadcast_to(_first_order_probabilities(A)[None, :, :], (5, 5, 5)) * A[:, :, None]
    _expect_chi2(_second_order_counts(walks, 5), uniform, "node2vec_walks(p=1, q=1)")


@exercise.check(points=2, visibility="hidden", depends_on="node2vec_walks_follow_edges")
def node2vec_on_a_denser_graph(ctx):
    """On an 8-node graph with triangles, squares and leaves, (p, q) = (0.25, 4): the second-order
    counts pass the χ² test."""
    A = from_edges(8, [(0, 1), (1, 2), (2, 0), (2, 3), (3, 4), (4, 5), (5, 2), (5, 6), (6, 7), (1, 4), (0, 7)])
    walks = _walks(ctx, "node2vec_walks", A, 50, 60, 0.25, 4.0, 9)
    _expect_valid_walks("node2vec_walks", A, walks, 60)
    _expect_chi2(_second_order_counts(walks, 8), _second_order_probabilities(A, 0.25, 4.0),
                 "node2vec_walks(p=0.25, q=4) on an 8-node graph")


# ---- mf_embedding ---------------------------------------------------------------------------------

def _weighted_directed(seed: int, n: int) -> np.ndarray:
    """A non-symmetric weighted adjacency matrix (distinct singular values almost surely)."""
    r = rng(seed)
    return (r.random((n, n)) < 0.5) * r.uniform(0.5, 2.0, size=(n, n))


@oracle
def _singular_values(A: np.ndarray) -> np.ndarray:
    """scipy's singular values of A, descending."""
    from scipy.linalg import svdvals

    return np.asarray(svdvals(A))


def _mf(ctx, A: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(A)
    return ctx.call("mf_embedding", A, d, returns=Tuple(Array((n, d), label="U"), Array((n, d), label="V")))


@exercise.check(points=3, given={"n": st.integers(5, 9), "d": st.integers(1, 4), "seed": seeds()}, max_examples=12)
def mf_is_the_best_rank_d_approximation(ctx, n, d, seed):
    """On a non-symmetric weighted A, U Vᵀ is the best rank-d approximation: ‖A − U Vᵀ‖²_F equals
    Σ_{i>d} σ_i² (Eckart–Young, 1e-10 relative to ‖A‖²_F), and U Vᵀ equals the reference's (1e-10)."""
    A = _weighted_directed(seed, n)
    U, V = _mf(ctx, A, d)
    sigma = _singular_values(A)
    residual = float(np.sum((A - U @ V.T) ** 2))
    assert_close(residual, float(np.sum(sigma[d:] ** 2)), rtol=0, atol=1e-10 * float(np.sum(sigma ** 2)),
                 name="‖A − U Vᵀ‖²_F")
    U_ref, V_ref = ctx.ref.mf_embedding(A, d)
    assert_close(U @ V.T, U_ref @ V_ref.T, rtol=1e-10, name="U Vᵀ")


@exercise.check(points=2, given={"n": st.integers(5, 9), "seed": seeds()}, max_examples=10,
                depends_on="mf_is_the_best_rank_d_approximation")
def mf_splits_sigma_evenly(ctx, n, seed):
    """U = U_d Σ_d^{1/2} and V = V_d Σ_d^{1/2}: UᵀU = VᵀV = diag(σ_1, ..., σ_d), largest first (1e-10)."""
    A = _weighted_directed(seed, n)
    U, V = _mf(ctx, A, 3)
    want = np.diag(_singular_values(A)[:3])
    assert_close(U.T @ U, want, rtol=1e-10, name="UᵀU")
    assert_close(V.T @ V, want, rtol=1e-10, name="VᵀV")


@exercise.check(points=1, given={"n": st.integers(5, 9), "seed": seeds()}, max_examples=10)
def mf_is_permutation_equivariant(ctx, n, seed):
    """Relabelling the nodes relabels the approximation: for B = P A Pᵀ, the student's U Vᵀ of B is
    P (U Vᵀ of A) Pᵀ (1e-10)."""
    A = _weighted_directed(seed, n)
    perm = moving_permutation(rng(seed + 1), n)
    order = np.argsort(perm)
    U, V = _mf(ctx, A[np.ix_(order, order)], 2)
    U_ref, V_ref = ctx.ref.mf_embedding(A, 2)
    assert_close(U @ V.T, (U_ref @ V_ref.T)[np.ix_(order, order)], rtol=1e-10,
                 name=f"U Vᵀ of A relabelled by perm = {perm.tolist()}")


@exercise.check(points=1, visibility="hidden")
def mf_on_undirected_graphs_with_negative_eigenvalues(ctx):
    """On undirected 0/1 graphs (symmetric, with negative eigenvalues: a bipartite graph among them),
    U Vᵀ is still the SVD's best rank-d approximation."""
    for k, A in enumerate([from_edges(6, [(0, 3), (0, 4), (1, 4), (1, 5), (2, 5), (2, 3), (0, 5)]).astype(float),
                           _weighted_directed(870, 7) + _weighted_directed(870, 7).T]):
        U, V = _mf(ctx, A, 2)
        sigma = _singular_values(A)
        assert_close(float(np.sum((A - U @ V.T) ** 2)), float(np.sum(sigma[2:] ** 2)), rtol=0,
                     atol=1e-10 * float(np.sum(sigma ** 2)), name=f"‖A − U Vᵀ‖²_F for graph #{k}")

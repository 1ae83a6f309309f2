"""ch08.gin — message passing: sum/mean/max aggregation over in-neighbours (row i sums A[i, j] x_j),
readouts, and the GIN layer ReLU(((1 + ε) I + A) X W + b) of ex 8.5, graded against the reference
on directed graphs (so that Aᵀ cannot pass) with n ≠ f ≠ f′, for permutation equivariance, on
planted multisets that only the sum separates, and against networkx's 1-WL partition."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Array, Exercise, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.oracles import oracle
from graders.chapters.ch08._graphs import moving_permutation, random_graph, random_tree

exercise = Exercise(module="ch08.gnn", functions=("gin_layer", "aggregate", "readout"),
                    forbidden=("torch", "scipy", "sympy"), title="Graph isomorphism networks")

_RULES = ("sum", "mean", "max")


def _directed(r: np.random.Generator, n: int) -> np.ndarray:
    """A random directed 0/1 graph on n nodes (no self-loops), not symmetric, every row and column
    with at least one entry more likely than not."""
    A = (r.random((n, n)) < 0.45).astype(np.float64)
    np.fill_diagonal(A, 0.0)
    A[0, 1], A[1, 0] = 1.0, 0.0          # never symmetric
    return A


def _layer_problem(dims: tuple[int, int, int], seed: int):
    """A directed A (n, n), X (n, f), W (f, f_out), eps and b (f_out,), with n, f, f_out distinct."""
    n, f, f_out = dims
    r = rng(seed)
    return _directed(r, n), r.normal(size=(n, f)), r.normal(size=(f, f_out)), float(r.uniform(-0.5, 1.5)), \
        r.normal(size=f_out)


@exercise.check(points=3, given={"dims": distinct_dims(3, 2, 7), "seed": seeds()}, max_examples=20)
def gin_layer_matches_reference(ctx, dims, seed):
    """gin_layer(A, X, W, eps, b) is ReLU(((1 + ε) I + A) X W + b) on directed graphs with n, f and
    f′ all different: row i sums Σ_j A[i, j] x_j (not Aᵀ), the node itself weighs 1 + ε, the sum (not
    the mean) aggregates, W acts on the right, and the bias is added before the ReLU."""
    A, X, W, eps, b = _layer_problem(dims, seed)
    got = ctx.call("gin_layer", A, X, W, eps, b, returns=Array((dims[0], dims[2])))
    assert_close(got, ctx.ref.gin_layer(A, X, W, eps, b), rtol=1e-12, name="gin_layer(A, X, W, eps, b)")


@exercise.check(points=1, given={"dims": distinct_dims(3, 2, 7), "seed": seeds()}, max_examples=10)
def gin_layer_without_bias(ctx, dims, seed):
    """gin_layer(A, X, W, eps) with b omitted (None) has no bias: ReLU(((1 + ε) I + A) X W)."""
    A, X, W, eps, _ = _layer_problem(dims, seed)
    got = ctx.call("gin_layer", A, X, W, eps, returns=Array((dims[0], dims[2])))
    assert_close(got, ctx.ref.gin_layer(A, X, W, eps), rtol=1e-12, name="gin_layer(A, X, W, eps)")


@exercise.check(points=2, given={"n": st.integers(4, 9), "seed": seeds()}, max_examples=10)
def gin_layer_is_permutation_equivariant(ctx, n, seed):
    """Relabelling the nodes relabels the output: gin_layer(P A Pᵀ, P X, W, ε, b) = P gin_layer(A, X,
    W, ε, b), to 1e-12, on a weighted directed graph."""
    r = rng(seed)
    A = _directed(r, n) * r.uniform(0.5, 2.0, size=(n, n))
    X, W, b = r.normal(size=(n, 3)), r.normal(size=(3, 5)), r.normal(size=5)
    perm = moving_permutation(r, n)                      # node i becomes node perm[i]
    order = np.argsort(perm)                             # row k of the relabelled graph is old node order[k]
    got = ctx.call("gin_layer", A[np.ix_(order, order)], X[order], W, 0.3, b, returns=Array((n, 5)))
    assert_close(got, ctx.ref.gin_layer(A, X, W, 0.3, b)[order], rtol=1e-12,
                 name=f"gin_layer on the graph relabelled by perm = {perm.tolist()}")


@exercise.check(points=2, given={"dims": distinct_dims(2, 2, 7), "seed": seeds()}, max_examples=15)
def aggregate_rules_match_reference(ctx, dims, seed):
    """aggregate(A, X, how) on a weighted directed graph with an isolated node: 'sum' is Σ_j A[i, j]
    x_j (row i receives, the in-neighbour convention), 'mean' divides it by Σ_j A[i, j], 'max' is the
    entrywise maximum over the j with A[i, j] ≠ 0, and a node that receives nothing gets zeros."""
    n, f = dims
    r = rng(seed)
    A = _directed(r, n + 1) * r.uniform(0.5, 2.0, size=(n + 1, n + 1))
    A[-1, :] = 0.0                                       # the last node receives from nobody
    X = r.normal(size=(n + 1, f))
    got = ctx.map("aggregate", [(A, X, how) for how in _RULES], returns=Array((n + 1, f)))
    for how, g in zip(_RULES, got):
        assert_close(g, ctx.ref.aggregate(A, X, how), rtol=1e-12, name=f"aggregate(A, X, how={how!r})")


@exercise.check(points=1)
def aggregate_follows_in_edges(ctx):
    """Directed star: A[0, j] = 1 for j = 1..3 means node 0 receives from the three leaves, so with
    scalar features x = (0, 1, 2, 3) aggregate gives node 0 the value 6 and the leaves 0; the default
    rule is the sum."""
    A = np.zeros((4, 4))
    A[0, 1:] = 1.0
    X = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])
    assert_close(ctx.call("aggregate", A, X, returns=Array((4, 2))), ctx.ref.aggregate(A, X, "sum"), rtol=1e-12,
                 name="aggregate(A, X) for the in-star 1, 2, 3 → 0")


def _planted() -> tuple[np.ndarray, np.ndarray]:
    """Four receiving nodes: node 0 hears {a, a}, node 1 hears {a}, node 2 hears {a, b}, node 3
    hears {c, c} with c = max(a, b) entrywise (a is nodes 4, 5; b node 6; c nodes 7, 8)."""
    a, b = np.array([1.0, 0.0]), np.array([0.0, 2.0])
    c = np.maximum(a, b)
    X = np.vstack([np.zeros((4, 2)), a, a, b, c, c])     # rows 4, 5 are a; 6 is b; 7, 8 are c
    A = np.zeros((9, 9))
    A[0, [4, 5]] = A[1, 4] = A[2, [4, 6]] = A[3, [7, 8]] = 1.0
    return A, X


@exercise.check(points=2)
def aggregate_sum_separates_planted_multisets(ctx):
    """Planted multisets: {a, a} vs {a} and {a, b} vs {c, c} (c = max(a, b) entrywise). The sum tells
    both pairs apart; the mean confuses {a, a} with {a}, the max confuses both pairs: aggregate must
    give each rule's values (those of the reference)."""
    A, X = _planted()
    got = ctx.map("aggregate", [(A, X, how) for how in _RULES], returns=Array((9, 2)))
    for how, g in zip(_RULES, got):
        assert_close(g[:4], ctx.ref.aggregate(A, X, how)[:4], rtol=1e-12,
                     name=f"aggregate(A, X, how={how!r}) on the planted multisets (rows 0..3)")
    expect(not np.allclose(got[0][0], got[0][1]) and not np.allclose(got[0][2], got[0][3]),
           "the sum should separate {a, a} from {a} and {a, b} from {c, c}")


@exercise.check(points=1, given={"dims": distinct_dims(2, 2, 7), "seed": seeds()}, max_examples=10)
def readout_rules_match_reference(ctx, dims, seed):
    """readout(X, how) pools the rows (nodes) into one (f,) vector: the sum (the default), the mean
    or the entrywise max."""
    n, f = dims
    X = rng(seed).normal(size=(n, f))
    got_default = ctx.call("readout", X, returns=Array((f,)))
    assert_close(got_default, ctx.ref.readout(X, "sum"), rtol=1e-12, name="readout(X) (default 'sum')")
    got = ctx.map("readout", [(X, how) for how in _RULES], returns=Array((f,)))
    for how, g in zip(_RULES, got):
        assert_close(g, ctx.ref.readout(X, how), rtol=1e-12, name=f"readout(X, how={how!r})")


#: Book ex 8.5: the 4-node graph with edges 0–1, 0–2, 1–2, 1–3, one-hot features X = I, ε = 0.1
#: and one weight W for both layers, no bias. The book prints X¹ and the first row of X²; the
#: graph and W are those that reproduce them exactly (W's columns 1–3 are fixed by X¹; any
#: W[3, 0] ≤ −0.4 in steps of 0.1 gives the same numbers, and −0.5 is taken).
EX_8_5_A = np.array([[0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 0]], dtype=np.float64)
EX_8_5_W = np.array([[0.1, -0.2, 0.0, 0.4], [-0.1, 0.2, 0.0, 0.4], [0.4, 0.3, 0.0, -0.1], [-0.5, 0.3, 0.0, -0.1]])
EX_8_5_X1 = np.array([[0.41, 0.28, 0, 0.74], [0, 0.62, 0, 0.64], [0.44, 0.33, 0, 0.69], [0, 0.53, 0, 0.29]])
EX_8_5_X2_ROW0 = np.array([0.0, 0.7166, 0.0, 0.6452])


@exercise.check(points=1)
def book_ex_8_5(ctx):
    """Book ex 8.5: two GIN layers with ε = 0.1, X = I and no bias on the exercise's 4-node graph
    give the book's X¹ = [[.41, .28, 0, .74], [0, .62, 0, .64], [.44, .33, 0, .69], [0, .53, 0, .29]]
    and first row of X² = [0, .7166, 0, .6452]."""
    X1 = ctx.call("gin_layer", EX_8_5_A, np.eye(4), EX_8_5_W, 0.1, returns=Array((4, 4), label="X¹"))
    assert_close(X1, EX_8_5_X1, rtol=1e-12, name="X¹ = gin_layer(A, I, W, 0.1) of book ex 8.5")
    X2 = ctx.call("gin_layer", EX_8_5_A, EX_8_5_X1, EX_8_5_W, 0.1, returns=Array((4, 4), label="X²"))
    assert_close(X2[0], EX_8_5_X2_ROW0, rtol=1e-12, name="the first row of X² = gin_layer(A, X¹, W, 0.1)")


@oracle
def _nx_wl_partition(A: np.ndarray) -> np.ndarray:
    """The stable 1-WL partition of networkx's subgraph hashes (n iterations), classes named in node order."""
    import networkx as nx

    n = len(A)
    hashes = nx.weisfeiler_lehman_subgraph_hashes(nx.from_numpy_array(A), iterations=n)
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(hashes[v][-1], len(seen)) for v in range(n)], dtype=np.int64)


def _classes(H: np.ndarray) -> np.ndarray:
    """The partition of the rows of H (equal rows, to 1e-9 relative, share a class), named in node order."""
    scale = max(1.0, float(np.abs(H).max()))
    keys = [tuple(np.round(row / scale, 9).tolist()) for row in H]
    seen: dict[tuple, int] = {}
    return np.array([seen.setdefault(k, len(seen)) for k in keys], dtype=np.int64)


def _wl_graphs() -> list[np.ndarray]:
    """Ten undirected graphs of 5 to 9 nodes: trees and sparse random graphs."""
    return [random_tree(rng(860 + k), 5 + k % 5) if k % 2 else random_graph(rng(860 + k), 5 + k % 5, 0.35)
            for k in range(10)]


@exercise.check(points=2, visibility="hidden")
def sum_gin_reproduces_wl_partition(ctx):
    """On ten graphs, n stacked sum-GIN layers (ε = 0.1, generic integer weights, constant input)
    split the nodes exactly as 1-WL does (networkx's stable partition)."""
    W_in = np.array([[1.0, 2.0, -1.0, 3.0, 1.0, -2.0]])
    W = rng(869).integers(-3, 4, size=(6, 6)).astype(np.float64)
    for k, A in enumerate(_wl_graphs()):
        n = len(A)
        H = ctx.call("gin_layer", A.astype(np.float64), np.ones((n, 1)), W_in, 0.1, np.ones(6),
                     returns=Array((n, 6)))
        for _ in range(n):
            H = ctx.call("gin_layer", A.astype(np.float64), H, W, 0.1, np.ones(6), returns=Array((n, 6)))
        got, want = _classes(H), _nx_wl_partition(A)
        expect(np.array_equal(got, want), f"graph #{k} (A = {A.tolist()}): {n + 1} sum-GIN layers split the "
                                          f"nodes into classes {got.tolist()}; 1-WL gives {want.tolist()}")

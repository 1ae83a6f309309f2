"""ch09.se_gat — the squeeze-and-excitation block (eqs 9.38–9.40) and one graph attention layer
(eqs 9.46–9.47, PyG's GATConv with one head and no bias), graded against the formulas in float64:
GAT on directed graphs (A[i, j] = True when i receives from j, so Aᵀ cannot pass) with an
asymmetric attention vector and n ≠ f ≠ f′, for α's support and normalization, permutation
equivariance and the a = 0 mean."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from graders.authoring import (
    Exercise,
    Tensor,
    Tuple,
    assert_close,
    distinct_dims,
    expect,
    oracle,
    rng,
    seeds,
)

exercise = Exercise(module="ch09.se_gat", functions=("se_block", "gat_layer"),
                    title="Squeeze-and-excitation and graph attention")


# ---- squeeze and excitation (eqs 9.38–9.40) -----------------------------------------------------------

@oracle
def _se_formula(X: np.ndarray, W1: np.ndarray, W2: np.ndarray) -> np.ndarray:
    """Y = X · sigmoid(ReLU(z W1) W2) per channel, z the spatial mean."""
    z = X.mean(axis=(2, 3))                                                  # (B, C)
    s = 1.0 / (1.0 + np.exp(-(np.maximum(z @ W1, 0.0) @ W2)))                # (B, C)
    return X * s[:, :, None, None]


def _se_case(dims: tuple[int, int], seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X (B, C, H, W) with H ≠ W and entries 0.2..2.3 away from 0, W1 (C, C/2), W2 (C/2, C)."""
    H, W = dims
    g = rng(seed)
    B, C, r = int(g.integers(2, 4)), int(g.choice([4, 6, 8])), 2     # a bottleneck of 2..4 units
    X = g.choice([-1.0, 1.0], size=(B, C, H, W)) * g.uniform(0.5, 2.0, size=(B, C, H, W)) + 0.3
    return X, g.normal(size=(C, C // r)), g.normal(size=(C // r, C))


def _se_call(ctx, X: np.ndarray, W1: np.ndarray, W2: np.ndarray, dtype: str = "float64") -> np.ndarray:
    return ctx.call("se_block", *(ctx.tensor(x, dtype=dtype) for x in (X, W1, W2)), returns=Tensor(X.shape, dtype))


@exercise.check(points=3, given={"dims": distinct_dims(2, 2, 5), "seed": seeds()}, max_examples=15)
def se_block_matches_formula(ctx, dims, seed):
    """se_block(X, W1, W2) is X scaled per (image, channel) by sigmoid(ReLU(z W1) W2), z the
    spatial *mean* of each channel (not the max), the weights on the right of z (1e-12)."""
    X, W1, W2 = _se_case(dims, seed)
    assert_close(_se_call(ctx, X, W1, W2), _se_formula(X, W1, W2), rtol=1e-12,
                 name=f"se_block(X {X.shape}, W1 {W1.shape}, W2 {W2.shape})")


@exercise.check(points=1, given={"dims": distinct_dims(2, 2, 5), "seed": seeds()}, max_examples=8,
                depends_on="se_block_matches_formula")
def se_block_scales_whole_channels(ctx, dims, seed):
    """Y/X is constant over the pixels (H, W) of each (image, channel), and lies in (0, 1) (1e-12);
    counts once se_block_matches_formula passes (Y = X has a constant ratio too)."""
    X, W1, W2 = _se_case(dims, seed)
    ratio = _se_call(ctx, X, W1, W2) / X
    per_channel = ratio.mean(axis=(2, 3), keepdims=True)
    assert_close(ratio, np.broadcast_to(per_channel, ratio.shape), rtol=1e-12, name="Y / X over the pixels")
    expect(bool(np.all((per_channel > 0) & (per_channel < 1))), "the channel weights Y / X should lie in (0, 1)")


@exercise.check(points=1, given={"dims": distinct_dims(2, 2, 5), "seed": seeds()}, max_examples=8,
                depends_on="se_block_matches_formula")
def se_block_commutes_with_pixel_permutations(ctx, dims, seed):
    """Permuting the pixels (the same permutation in every channel) permutes the output the same
    way: se_block(X π) = se_block(X) π (1e-12); counts once se_block_matches_formula passes."""
    X, W1, W2 = _se_case(dims, seed)
    B, C, H, W = X.shape
    perm = rng(seed + 1).permutation(H * W)
    moved = X.reshape(B, C, H * W)[:, :, perm].reshape(X.shape)
    plain, permuted = ctx.map("se_block", [(ctx.tensor(x), ctx.tensor(W1), ctx.tensor(W2)) for x in (X, moved)],
                              returns=Tensor(X.shape))
    assert_close(permuted, plain.reshape(B, C, H * W)[:, :, perm].reshape(X.shape), rtol=1e-12,
                 name="se_block of the pixel-permuted X (vs se_block(X) permuted)")


@exercise.check(points=1)
def se_block_keeps_float32(ctx):
    """se_block of float32 inputs is a float32 tensor that matches the float64 formula to float32
    accuracy (1e-5)."""
    X, W1, W2 = _se_case((3, 4), 97)
    got = _se_call(ctx, *(x.astype(np.float32) for x in (X, W1, W2)), dtype="float32")
    assert_close(got, _se_formula(X, W1, W2), rtol=1e-5, name="se_block of float32 inputs")


# ---- graph attention (eqs 9.46–9.47, PyG GATConv) -----------------------------------------------------

@oracle
def _pyg_gat(A: np.ndarray, X: np.ndarray, W: np.ndarray, a: np.ndarray, negative_slope: float = 0.2,
             self_loops: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """PyG's ``GATConv(f, f′, heads=1, bias=False, negative_slope, add_self_loops)`` written on its
    edge list: edges j → i for A[i, j] (source j, target i); with self-loops, existing loops are
    removed and one loop i → i added per node. x_j' = x_j W; α over the edges into i of
    LeakyReLU(a_dstᵀ x_i' + a_srcᵀ x_j') (a = [a_dst ∥ a_src]); out_i = Σ α_ij x_j' (0 without
    edges). Returns (out, dense α)."""
    n, f_out = A.shape[0], W.shape[1]
    H = X @ W
    edges = [(int(j), int(i)) for i, j in zip(*np.nonzero(A)) if not (self_loops and i == j)]
    if self_loops:
        edges += [(i, i) for i in range(n)]
    a_dst, a_src = H @ a[:f_out], H @ a[f_out:]
    out, alpha = np.zeros((n, f_out)), np.zeros((n, n))
    for i in range(n):
        sources = [j for j, target in edges if target == i]
        if not sources:
            continue
        e = np.array([a_dst[i] + a_src[j] for j in sources])
        e = np.where(e > 0, e, negative_slope * e)
        w = np.exp(e - e.max())
        w /= w.sum()
        for j, weight in zip(sources, w):
            alpha[i, j] += weight
            out[i] += weight * H[j]
    return out, alpha


def _directed(g: np.random.Generator, n: int, p: float = 0.35) -> np.ndarray:
    """A random directed graph (bool, no self-loops), never symmetric: A[0, 1] and not A[1, 0]."""
    A = g.random((n, n)) < p
    np.fill_diagonal(A, False)
    A[0, 1], A[1, 0] = True, False
    return A


def _gat_case(dims: tuple[int, int, int], seed: int) -> tuple[np.ndarray, ...]:
    """A (n, n) directed, X (n, f), W (f, f′), a (2f′,) with n, f, f′ distinct and halves of a unrelated."""
    n, f, f_out = dims
    g = rng(seed)
    return _directed(g, n), g.normal(size=(n, f)), g.normal(size=(f, f_out)), g.normal(size=2 * f_out)


def _gat_call(ctx, A: np.ndarray, X: np.ndarray, W: np.ndarray, a: np.ndarray, dtype: str = "float64",
              **options: Any) -> tuple[np.ndarray, np.ndarray]:
    n, f_out = A.shape[0], W.shape[1]
    return ctx.call("gat_layer", ctx.tensor(A, dtype="bool"), *(ctx.tensor(x, dtype=dtype) for x in (X, W, a)),
                    returns=Tuple(Tensor((n, f_out), dtype, label="out"), Tensor((n, n), dtype, label="alpha")),
                    **options)


def _with_in_edges(A: np.ndarray) -> np.ndarray:
    """A with an edge into every node that has none (from the next node), so no row is empty."""
    A = A.copy()
    n = len(A)
    for i in np.flatnonzero(~A.any(axis=1)):
        A[i, (i + 1) % n] = True
    return A


@exercise.check(points=4, given={"dims": distinct_dims(3, 3, 8), "seed": seeds()}, max_examples=15)
def gat_layer_matches_pyg_formula(ctx, dims, seed):
    """gat_layer(A, X, W, a) equals PyG's GATConv (one head, no bias) written on the edge list
    (1e-10): e_ij = LeakyReLU(a[:f′]·h_i + a[f′:]·h_j) with slope 0.2, h = XW, the softmax over
    the in-neighbours j of i (A[i, j]) and i itself, out_i = Σ α_ij h_j; and with
    negative_slope=0.1, self_loops=False on a graph where every node has an in-neighbour."""
    A, X, W, a = _gat_case(dims, seed)
    out, alpha = _gat_call(ctx, A, X, W, a)
    want_out, want_alpha = _pyg_gat(A, X, W, a)
    assert_close(alpha, want_alpha, rtol=1e-10, name=f"alpha of gat_layer(A, X {X.shape}, W {W.shape}, a)")
    assert_close(out, want_out, rtol=1e-10, name=f"out of gat_layer(A, X {X.shape}, W {W.shape}, a)")
    B = _with_in_edges(A)
    out, alpha = _gat_call(ctx, B, X, W, a, negative_slope=0.1, self_loops=False)
    want_out, want_alpha = _pyg_gat(B, X, W, a, 0.1, False)
    assert_close(alpha, want_alpha, rtol=1e-10, name="alpha of gat_layer(..., negative_slope=0.1, self_loops=False)")
    assert_close(out, want_out, rtol=1e-10, name="out of gat_layer(..., negative_slope=0.1, self_loops=False)")


@exercise.check(points=2, given={"dims": distinct_dims(3, 3, 8), "seed": seeds()}, max_examples=10)
def gat_alpha_is_a_softmax_on_the_graph(ctx, dims, seed):
    """Each row of alpha sums to 1 (1e-12), alpha is 0 exactly (bit for bit) off the graph (where
    neither A[i, j] nor i = j), and positive on it."""
    A, X, W, a = _gat_case(dims, seed)
    _, alpha = _gat_call(ctx, A, X, W, a)
    n = len(A)
    support = A | np.eye(n, dtype=bool)
    assert_close(alpha.sum(axis=1), np.ones(n), rtol=1e-12, name="the row sums of alpha")
    expect(bool(np.all(alpha[~support] == 0.0)),
           f"alpha should be exactly 0 off the graph; got {int(np.count_nonzero(alpha[~support]))} nonzero entries "
           "where neither A[i, j] nor i = j (is the softmax taken over all nodes, or over Aᵀ?)")
    expect(bool(np.all(alpha[support] > 0)), "alpha should be positive on every edge j → i and on i → i")


@exercise.check(points=2, given={"n": st.integers(4, 8), "seed": seeds()}, max_examples=8,
                depends_on="gat_layer_matches_pyg_formula")
def gat_layer_is_permutation_equivariant(ctx, n, seed):
    """Relabelling the nodes relabels the outputs: gat_layer(P A Pᵀ, P X) = (P out, P α Pᵀ) (1e-12);
    counts once gat_layer_matches_pyg_formula passes."""
    A, X, W, a = _gat_case((n, 3, 5), seed)
    order = rng(seed + 1).permutation(n)                           # row k of the relabelled graph is old node order[k]
    out, alpha = _gat_call(ctx, A, X, W, a)
    out_p, alpha_p = _gat_call(ctx, A[np.ix_(order, order)], X[order], W, a)
    assert_close(out_p, out[order], rtol=1e-12, name=f"out on the graph relabelled by {order.tolist()}")
    assert_close(alpha_p, alpha[np.ix_(order, order)], rtol=1e-12,
                 name=f"alpha on the graph relabelled by {order.tolist()}")


@exercise.check(points=1, given={"dims": distinct_dims(3, 3, 8), "seed": seeds()}, max_examples=8)
def gat_zero_attention_vector_averages(ctx, dims, seed):
    """With a = 0 every score is equal, so out_i is the plain mean of h_j = x_j W over the
    in-neighbours j of i and i itself (1e-12)."""
    A, X, W, a = _gat_case(dims, seed)
    out, _ = _gat_call(ctx, A, X, W, np.zeros_like(a))
    support = (A | np.eye(len(A), dtype=bool)).astype(np.float64)
    assert_close(out, support @ (X @ W) / support.sum(axis=1, keepdims=True), rtol=1e-12,
                 name="out of gat_layer(A, X, W, a = 0) (vs the mean over N(i) ∪ {i})")


@exercise.check(points=1)
def gat_node_without_in_edges(ctx):
    """Without self-loops, a node that receives from nobody gets alpha row 0 and out row 0 (as PyG
    does: no NaN), and the other nodes are unaffected (1e-10)."""
    A, X, W, a = _gat_case((6, 4, 3), 95)
    A[3, :] = False                                                # node 3 receives from nobody
    out, alpha = _gat_call(ctx, A, X, W, a, self_loops=False)
    want_out, want_alpha = _pyg_gat(A, X, W, a, 0.2, False)
    expect(bool(np.all(alpha[3] == 0.0) and np.all(out[3] == 0.0)),
           f"node 3 has no in-edge and no self-loop: its alpha row and its out row should be 0; got alpha[3] = "
           f"{alpha[3].tolist()}, out[3] = {out[3].tolist()}")
    assert_close(alpha, want_alpha, rtol=1e-10, name="alpha of gat_layer(..., self_loops=False)")
    assert_close(out, want_out, rtol=1e-10, name="out of gat_layer(..., self_loops=False)")


@exercise.check(points=1, visibility="hidden")
def gat_layer_keeps_float32(ctx):
    """gat_layer of float32 features is a pair of float32 tensors that match the formula to float32
    accuracy (1e-5)."""
    A, X, W, a = _gat_case((7, 3, 4), 96)
    out, alpha = _gat_call(ctx, A, *(x.astype(np.float32) for x in (X, W, a)), dtype="float32")
    want_out, want_alpha = _pyg_gat(A, X, W, a)
    assert_close(alpha, want_alpha, rtol=1e-5, name="alpha of gat_layer with float32 inputs")
    assert_close(out, want_out, rtol=1e-5, name="out of gat_layer with float32 inputs")

"""ch09.attention — scaled dot-product, self- and multi-head attention in torch (eqs 9.31–9.37),
graded against torch.nn.functional.scaled_dot_product_attention (unmasked, bool- and float-masked,
causal, batched; A itself as SDPA's output on V = I) and nn.MultiheadAttention in float64 at 1e-10;
rows of A sum to 1 with masked weights exactly 0; causal outputs bit-identical when future tokens
change; self-attention permutation-equivariant; the book's ex 9.4 (scale = 1) and its causal
variant; no NaN in float32 with logits of 1e4. SDPA and nn.MultiheadAttention are forbidden."""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from graders.authoring import Exercise, Tensor, Tuple, assert_close, distinct_dims, expect, rng, seeds
from graders.authoring.oracles import oracle

exercise = Exercise(module="ch09.attention", functions=("attention", "self_attention", "multi_head"),
                    forbidden=("torch.nn.functional.scaled_dot_product_attention", "torch.nn.MultiheadAttention"),
                    title="Scaled dot-product, self- and multi-head attention")


def _out_and_weights(batch: tuple, L: int, S: int, dv: int, dtype: str = "float64") -> Tuple:
    """attention's (out (..., L, dv), A (..., L, S))."""
    return Tuple(Tensor((*batch, L, dv), dtype, label="out"), Tensor((*batch, L, S), dtype, label="A"))


def _torch(a):
    import torch

    return None if a is None else torch.tensor(np.asarray(a))


@oracle
def _sdpa(Q: np.ndarray, K: np.ndarray, V: np.ndarray, mask=None, causal: bool = False,
          scale: float | None = None) -> tuple:
    """F.scaled_dot_product_attention's output and its attention weights (its output for the values
    V = I_S), float64."""
    import torch
    from torch.nn import functional as F

    q, k, v = _torch(Q), _torch(K), _torch(V)
    eye = torch.eye(k.shape[-2], dtype=torch.float64).expand(*k.shape[:-1], k.shape[-2])
    m = _torch(mask)
    return tuple(F.scaled_dot_product_attention(q, k, values, attn_mask=m, is_causal=causal, scale=scale).numpy()
                 for values in (v, eye))


@oracle
def _torch_mha(X: np.ndarray, W_Q: np.ndarray, W_K: np.ndarray, W_V: np.ndarray, W_O: np.ndarray,
               h: int) -> np.ndarray:
    """nn.MultiheadAttention(C, h, bias=False) with in_proj_weight = [W_Qᵀ; W_Kᵀ; W_Vᵀ] and
    out_proj.weight = W_Oᵀ, on the unbatched (N, C) sequence X (query = key = value), float64."""
    import torch

    C = X.shape[1]
    mha = torch.nn.MultiheadAttention(C, h, bias=False, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([_torch(W_Q).T, _torch(W_K).T, _torch(W_V).T]))
        mha.out_proj.weight.copy_(_torch(W_O).T)
        x = _torch(X)
        out, _ = mha(x, x, x, need_weights=False)
    return out.numpy()


def _qkv(seed: int, batch: tuple, L: int, S: int, d: int, dv: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r = rng(seed)
    return r.normal(size=(*batch, L, d)), r.normal(size=(*batch, S, d)), r.normal(size=(*batch, S, dv))


def _bool_mask(seed: int, shape: tuple) -> np.ndarray:
    """A random True-means-attend mask in which every query may attend to at least one key."""
    r = rng(seed + 7)
    mask = r.random(shape) < 0.5
    rows = np.arange(shape[-2])
    mask[..., rows, r.integers(0, shape[-1], size=shape[-2])] = True
    return mask


_SIZES = {"dims": distinct_dims(4, 2, 7), "B": st.integers(1, 3), "seed": seeds()}


def _call(ctx, Q, K, V, *, dtype: str = "float64", **kwargs):
    """attention(Q, K, V, **kwargs) on tensors of ``dtype`` (the arrays cast to it first: ctx.tensor
    sends the array's bytes as they are)."""
    batch = Q.shape[:-2]
    Q, K, V = (ctx.tensor(np.asarray(a, dtype=dtype), dtype=dtype) for a in (Q, K, V))
    return ctx.call("attention", Q, K, V, returns=_out_and_weights(batch, Q.array.shape[-2], K.array.shape[-2],
                                                                   V.array.shape[-1], dtype), **kwargs)


# ---- attention (eqs 9.33–9.34) -------------------------------------------------------------------

@exercise.check(points=3, given=_SIZES, max_examples=8)
def attention_matches_sdpa(ctx, dims, B, seed):
    """attention(Q, K, V) on a batch of B problems with L queries, S keys, d features and dv value
    features all different equals F.scaled_dot_product_attention (1e-10, float64): out = AV with
    A = softmax(QKᵀ/√d) over the keys (rows sum to 1); A is SDPA's output for V = I."""
    L, S, d, dv = dims
    Q, K, V = _qkv(seed, (B,), L, S, d, dv)
    out, A = _call(ctx, Q, K, V)
    want_out, want_A = _sdpa(Q, K, V)
    assert_close(A, want_A, rtol=1e-10, name="A of attention(Q, K, V)")
    assert_close(out, want_out, rtol=1e-10, name="out of attention(Q, K, V)")


@exercise.check(points=2, given=_SIZES, max_examples=6)
def attention_with_a_bool_mask(ctx, dims, B, seed):
    """A boolean mask is True where a query may attend (SDPA's convention): attention(Q, K, V,
    mask) equals SDPA with attn_mask=mask (1e-10), and the weights of the masked entries are exactly
    0 (−inf before the softmax, not a multiplication after it)."""
    L, S, d, dv = dims
    Q, K, V = _qkv(seed, (B,), L, S, d, dv)
    mask = _bool_mask(seed, (B, L, S))
    out, A = _call(ctx, Q, K, V, mask=ctx.tensor(mask, dtype="bool"))
    want_out, want_A = _sdpa(Q, K, V, mask)
    assert_close(A, want_A, rtol=1e-10, name="A of attention(Q, K, V, mask)")
    expect(np.all(A[~mask] == 0), f"the weights of the masked entries should be exactly 0; the largest is "
                                  f"{np.abs(A[~mask]).max():.3g}")
    assert_close(out, want_out, rtol=1e-10, name="out of attention(Q, K, V, mask)")


@exercise.check(points=2, given={"n": st.integers(3, 7), "d": st.integers(2, 5), "B": st.integers(1, 3),
                                 "seed": seeds()}, max_examples=6)
def attention_causal_matches_sdpa(ctx, n, d, B, seed):
    """attention(Q, K, V, causal=True) with L = S tokens equals SDPA with is_causal=True (1e-10):
    query i sees the keys j <= i only, so A is lower triangular (its upper triangle exactly 0)."""
    Q, K, V = _qkv(seed, (B,), n, n, d, d + 1)
    out, A = _call(ctx, Q, K, V, causal=True)
    want_out, want_A = _sdpa(Q, K, V, None, True)
    assert_close(A, want_A, rtol=1e-10, name="A of attention(Q, K, V, causal=True)")
    expect(np.all(np.triu(A, 1) == 0), "A of attention(..., causal=True) should be exactly 0 above the diagonal")
    assert_close(out, want_out, rtol=1e-10, name="out of attention(Q, K, V, causal=True)")


@exercise.check(points=2, given={"n": st.integers(3, 7), "t": st.integers(0, 5), "seed": seeds()}, max_examples=6,
                depends_on="attention_causal_matches_sdpa")
def causal_output_ignores_future_tokens(ctx, n, t, seed):
    """With causal=True, changing the keys and values of the tokens after t leaves out[:t + 1]
    bit-for-bit identical (counts once attention_causal_matches_sdpa passes)."""
    t = min(t, n - 2)
    Q, K, V = _qkv(seed, (), n, n, 3, 4)
    r = rng(seed + 3)
    K2, V2 = K.copy(), V.copy()
    K2[t + 1:] += r.normal(scale=3.0, size=K2[t + 1:].shape)
    V2[t + 1:] += r.normal(scale=3.0, size=V2[t + 1:].shape)
    (out, _), (out2, _) = ctx.map("attention", [(ctx.tensor(Q), ctx.tensor(K), ctx.tensor(V)),
                                                (ctx.tensor(Q), ctx.tensor(K2), ctx.tensor(V2))],
                                  causal=True, returns=_out_and_weights((), n, n, 4))
    changed = [i for i in range(t + 1) if not np.array_equal(out[i], out2[i])]
    expect(not changed, f"out[{changed[0] if changed else 0}] of attention(..., causal=True) changed when only the "
                        f"tokens after {t} changed: the future leaks into the past")


@exercise.check(points=1, given={**_SIZES, "scale": st.sampled_from([0.37, 1.0, 2.5])}, max_examples=5)
def attention_scale_and_float_mask(ctx, dims, B, seed, scale):
    """An explicit scale replaces 1/√d, and a floating-point mask is added to the scaled logits:
    attention(Q, K, V, mask=bias, scale=s) equals SDPA with attn_mask=bias, scale=s (1e-10)."""
    L, S, d, dv = dims
    Q, K, V = _qkv(seed, (B,), L, S, d, dv)
    bias = rng(seed + 5).normal(size=(L, S))
    out, A = _call(ctx, Q, K, V, mask=ctx.tensor(bias), scale=scale)
    want_out, want_A = _sdpa(Q, K, V, bias, False, scale)
    assert_close(A, want_A, rtol=1e-10, name=f"A of attention(Q, K, V, mask=bias, scale={scale})")
    assert_close(out, want_out, rtol=1e-10, name=f"out of attention(Q, K, V, mask=bias, scale={scale})")


@exercise.check(points=1, given={"LS": st.sampled_from([(3, 6), (6, 4), (2, 5)]), "seed": seeds()}, max_examples=4)
def attention_causal_with_more_axes(ctx, LS, seed):
    """Causal attention with L != S queries and keys (the lower triangle aligned at the top-left
    corner, as SDPA's is_causal) and two batch axes (batch, heads) equals SDPA (1e-10)."""
    L, S = LS
    Q, K, V = _qkv(seed, (2, 3), L, S, 4, 2)
    out, A = _call(ctx, Q, K, V, causal=True)
    want_out, want_A = _sdpa(Q, K, V, None, True)
    assert_close(A, want_A, rtol=1e-10, name=f"A of causal attention with L={L}, S={S}")
    assert_close(out, want_out, rtol=1e-10, name=f"out of causal attention with L={L}, S={S}")


#: Book ex 9.4's setting: four tokens (the last one all zero), scale 1 and V = X, so that the
#: softmax saturates; X, W_Q and W_K are reconstructed to give the pinned rows of A.
_EX_9_4_X = np.array([[3.0, -1.0, 3.0], [-2.0, 0.0, 2.0], [-1.0, -2.0, 1.0], [0.0, 0.0, 0.0]])
_EX_9_4_WQ = np.array([[-2.0, -1.0], [2.0, 1.0], [2.0, -2.0]])
_EX_9_4_WK = np.array([[0.0, -1.0], [0.0, 0.0], [-2.0, -1.0]])


@exercise.check(points=2)
def book_ex_9_4(ctx):
    """Book ex 9.4 with scale = 1: Q = X W_Q, K = X W_K, V = X. The rows of A are [1, 0, 0, 0],
    [0, 0, 0, 1], [1, 0, 0, 0] and [¼, ¼, ¼, ¼] (1e-6) and out = A X; with causal=True (the GPT
    variant) row 1 becomes [.017986, .982014, 0, 0]. Both match SDPA (1e-10)."""
    X = _EX_9_4_X
    Q, K = X @ _EX_9_4_WQ, X @ _EX_9_4_WK
    (out, A), (out_c, A_c) = ctx.map("attention", [(ctx.tensor(Q), ctx.tensor(K), ctx.tensor(X)),
                                                   (ctx.tensor(Q), ctx.tensor(K), ctx.tensor(X), None, True)],
                                     scale=1.0, returns=_out_and_weights((), 4, 4, 3))
    rows = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0], [1.0, 0.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]])
    assert_close(A, rows, rtol=0, atol=1e-6, name="A of ex 9.4 (scale = 1)")
    assert_close(A_c[1], [0.017986, 0.982014, 0.0, 0.0], rtol=0, atol=1e-6, name="row 1 of the causal A of ex 9.4")
    for causal, o, a in ((False, out, A), (True, out_c, A_c)):
        want_out, want_A = _sdpa(Q, K, X, None, causal, 1.0)
        assert_close(a, want_A, rtol=1e-10, name=f"A of ex 9.4 (causal={causal})")
        assert_close(o, want_out, rtol=1e-10, name=f"out = A X of ex 9.4 (causal={causal})")


@exercise.check(points=1)
def float32_huge_logits_stay_finite(ctx):
    """float32 inputs give float32 outputs, and logits of ±1e4 (scale = 1) give finite weights: the
    softmax subtracts each row's maximum before exponentiating; A and out are within 1e-5 of SDPA's
    float64 values."""
    Q = np.array([[100.0, 0.0], [0.0, 100.0], [-100.0, 50.0]])
    K = np.array([[100.0, 0.0], [0.0, -100.0], [1.0, 1.0], [-100.0, 100.0]])
    V = rng(94).normal(size=(4, 5))
    out, A = _call(ctx, Q, K, V, dtype="float32", scale=1.0)
    want_out, want_A = _sdpa(Q, K, V.astype(np.float32).astype(np.float64), None, False, 1.0)
    assert_close(A, want_A, rtol=1e-5, name="A of float32 attention with logits of 1e4")
    assert_close(out, want_out, rtol=1e-5, name="out of float32 attention with logits of 1e4")


# ---- self-attention (eq 9.31) --------------------------------------------------------------------

def _self_problem(dims: tuple, seed: int):
    N, C, d, dv = dims
    r = rng(seed)
    return r.normal(size=(N, C)), r.normal(size=(C, d)), r.normal(size=(C, d)), r.normal(size=(C, dv))


@exercise.check(points=2, given={"dims": distinct_dims(4, 2, 7), "seed": seeds()}, max_examples=6)
def self_attention_matches_sdpa(ctx, dims, seed):
    """self_attention(X, W_Q, W_K, W_V) with N tokens, C features, d and dv all different returns
    (out, A) of SDPA on Q = X W_Q, K = X W_K, V = X W_V (1e-10): the book's row convention, weights
    on the right."""
    N, C, d, dv = dims
    X, W_Q, W_K, W_V = _self_problem(dims, seed)
    out, A = ctx.call("self_attention", ctx.tensor(X), ctx.tensor(W_Q), ctx.tensor(W_K), ctx.tensor(W_V),
                      returns=_out_and_weights((), N, N, dv))
    want_out, want_A = _sdpa(X @ W_Q, X @ W_K, X @ W_V)
    assert_close(A, want_A, rtol=1e-10, name="A of self_attention")
    assert_close(out, want_out, rtol=1e-10, name="out of self_attention")


@exercise.check(points=1, given={"dims": distinct_dims(4, 3, 7), "seed": seeds()}, max_examples=5)
def self_attention_is_permutation_equivariant(ctx, dims, seed):
    """Relabelling the tokens relabels the answer: self_attention(X[p]) = (out[p], A[p][:, p]) for a
    permutation p (1e-10), and the rows of A sum to 1 (1e-12)."""
    N, C, d, dv = dims
    X, W_Q, W_K, W_V = _self_problem(dims, seed)
    p = rng(seed + 9).permutation(N)
    if np.array_equal(p, np.arange(N)):
        p = np.roll(p, 1)
    W = [ctx.tensor(W) for W in (W_Q, W_K, W_V)]
    (out, A), (out_p, A_p) = ctx.map("self_attention", [(ctx.tensor(X), *W), (ctx.tensor(X[p]), *W)],
                                     returns=_out_and_weights((), N, N, dv))
    assert_close(A.sum(axis=1), np.ones(N), rtol=1e-12, name="the row sums of A of self_attention")
    assert_close(out_p, out[p], rtol=1e-10, name=f"out of self_attention(X[p]) against out[p], p = {p.tolist()}")
    assert_close(A_p, A[np.ix_(p, p)], rtol=1e-10, name="A of self_attention(X[p]) against A[p][:, p]")


# ---- multi-head attention (eqs 9.35–9.37) --------------------------------------------------------

@exercise.check(points=3, given={"Ch": st.sampled_from([(6, 1), (6, 2), (6, 3), (8, 4), (8, 2)]),
                                 "N": st.sampled_from([3, 5, 7]), "seed": seeds()}, max_examples=8)
def multi_head_matches_nn_multihead_attention(ctx, Ch, N, seed):
    """multi_head(X, W_Q, W_K, W_V, W_O, h) with C = d = dv equals nn.MultiheadAttention(C, h,
    bias=False) with in_proj_weight = [W_Qᵀ; W_Kᵀ; W_Vᵀ] and out_proj.weight = W_Oᵀ (1e-10): heads
    split the feature axis, each with scale 1/√(d/h), concatenated in head order, then W_O."""
    C, h = Ch
    r = rng(seed)
    X = r.normal(size=(N, C))
    W_Q, W_K, W_V, W_O = (r.normal(size=(C, C)) for _ in range(4))
    got = ctx.call("multi_head", *(ctx.tensor(a) for a in (X, W_Q, W_K, W_V, W_O)), h, returns=Tensor((N, C)))
    assert_close(got, _torch_mha(X, W_Q, W_K, W_V, W_O, h), rtol=1e-10,
                 name=f"multi_head(X, ..., h={h}) against nn.MultiheadAttention")


@exercise.check(points=2, given={"h": st.sampled_from([1, 2, 3]), "seed": seeds()}, max_examples=5)
def multi_head_with_rectangular_projections(ctx, h, seed):
    """With N = 5 tokens, C = 4, d = 2h, dv = 3h and C_out = 7 all different, multi_head is the
    concatenation of h heads of attention on column slices, mapped by W_O (1e-10): head k uses
    columns 2k, 2k + 1 of Q and K and 3k .. 3k + 2 of V."""
    N, C, d, dv, C_out = 5, 4, 2 * h, 3 * h, 7
    r = rng(seed)
    X, W_Q, W_K = r.normal(size=(N, C)), r.normal(size=(C, d)), r.normal(size=(C, d))
    W_V, W_O = r.normal(size=(C, dv)), r.normal(size=(dv, C_out))
    got = ctx.call("multi_head", *(ctx.tensor(a) for a in (X, W_Q, W_K, W_V, W_O)), h, returns=Tensor((N, C_out)))
    Q, K, V = X @ W_Q, X @ W_K, X @ W_V
    heads = [_sdpa(Q[:, 2 * k:2 * k + 2], K[:, 2 * k:2 * k + 2], V[:, 3 * k:3 * k + 3])[0] for k in range(h)]
    assert_close(got, np.concatenate(heads, axis=1) @ W_O, rtol=1e-10,
                 name=f"multi_head with d={d}, dv={dv}, C_out={C_out}, h={h}")

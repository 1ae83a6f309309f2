"""geodl_ref.ch09.embed, .se_gat and .derivations against independent oracles: mpmath for the
positional encodings, ``F.unfold`` and ``nn.Conv2d`` for the patches, PyG's GATConv written on its
edge list (PyG itself is not installed), ``F.adaptive_avg_pool2d`` for SE, sympy differentiation
and Monte Carlo for the derivations; and the validation errors."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
import torch
import torch.nn.functional as F

from geodl_ref.ch09 import derivations as sym
from geodl_ref.ch09.embed import patchify, sinusoidal_pe, vit_embed
from geodl_ref.ch09.se_gat import gat_layer, se_block


def _t(x: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.asarray(x, dtype=np.float64))


# ---- sinusoidal_pe ------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_pos, d", [(1, 2), (11, 10), (37, 16), (200, 64)])
def test_pe_matches_mpmath(n_pos, d):
    mpmath.mp.dps = 30
    want = np.array([[float(mpmath.sin(n / mpmath.mpf(10000) ** (mpmath.mpf(2 * (k // 2)) / d))) if k % 2 == 0 else
                      float(mpmath.cos(n / mpmath.mpf(10000) ** (mpmath.mpf(2 * (k // 2)) / d)))
                      for k in range(d)] for n in range(n_pos)])
    got = sinusoidal_pe(n_pos, d)
    assert got.dtype == torch.float64 and got.shape == (n_pos, d)
    np.testing.assert_allclose(got.numpy(), want, rtol=0, atol=1e-12 * max(1, n_pos / 50))


def test_pe_book_ex_9_5_pins_the_vaswani_indexing():
    pe = sinusoidal_pe(11, 10).numpy()
    assert pe[1, 0] == pytest.approx(math.sin(1.0), abs=1e-15)          # i = 0: frequency 1
    assert pe[10, 9] == pytest.approx(math.cos(10 / 10000 ** 0.8), abs=1e-15)
    assert abs(pe[1, 0] - math.sin(10000 ** -0.2)) > 0.5               # the book's k = 1 is off by one pair


def test_pe_pairs_and_shift_rotation():
    d, k = 12, 5
    pe = sinusoidal_pe(30, d).numpy()
    np.testing.assert_allclose(pe[:, 0::2] ** 2 + pe[:, 1::2] ** 2, 1.0, rtol=1e-14)
    R = np.zeros((d, d))
    for i in range(d // 2):
        w = k / 10000 ** (2 * i / d)
        R[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[math.cos(w), math.sin(w)], [-math.sin(w), math.cos(w)]]
    np.testing.assert_allclose(pe[k:], pe[:-k] @ R.T, rtol=0, atol=1e-12)


@pytest.mark.parametrize("n_pos, d, error", [(4, 7, ValueError), (4, 0, ValueError), (0, 4, ValueError),
                                             (4, 2.0, TypeError)])
def test_pe_validation(n_pos, d, error):
    with pytest.raises(error):
        sinusoidal_pe(n_pos, d)


# ---- patchify and vit_embed -----------------------------------------------------------------------------

@pytest.mark.parametrize("shape, P", [((2, 3, 6, 9), 3), ((3, 1, 4, 8), 2), ((1, 2, 5, 3), 1), ((2, 2, 4, 4), 4)])
def test_patchify_is_unfold_exactly(shape, P):
    img = torch.randn(*shape, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    assert torch.equal(patchify(img, P), F.unfold(img, P, stride=P).transpose(1, 2))
    assert patchify(img.float(), P).dtype == torch.float32


def test_patchify_and_vit_embed_validation():
    img = torch.zeros(1, 2, 6, 5, dtype=torch.float64)
    with pytest.raises(ValueError, match="divide"):
        patchify(img, 2)
    with pytest.raises(TypeError):
        patchify(img.numpy(), 1)
    with pytest.raises(ValueError, match="4-d"):
        patchify(img[0], 1)
    with pytest.raises(TypeError):
        patchify(img.long(), 1)
    ok = torch.zeros(1, 2, 4, 6, dtype=torch.float64)
    W_E, cls, pos = torch.zeros(8, 3, dtype=torch.float64), torch.zeros(3, dtype=torch.float64), torch.zeros(7, 3)
    vit_embed(ok, W_E, cls, pos.double())
    with pytest.raises(ValueError, match="C·P·P"):
        vit_embed(ok, torch.zeros(6, 3, dtype=torch.float64), cls, pos.double())      # 6 = 2·3: not C·P²
    with pytest.raises(ValueError, match="divide"):
        vit_embed(img, W_E, cls, pos.double())
    with pytest.raises(ValueError, match="N \\+ 1"):
        vit_embed(ok, W_E, cls, torch.zeros(6, 3, dtype=torch.float64))
    with pytest.raises(ValueError, match="cls"):
        vit_embed(ok, W_E, torch.zeros(4, dtype=torch.float64), pos.double())


def test_vit_embed_is_a_strided_conv2d():
    g = torch.Generator().manual_seed(1)
    B, C, H, W, P, D = 3, 2, 6, 9, 3, 5
    img = torch.randn(B, C, H, W, dtype=torch.float64, generator=g)
    W_E = torch.randn(C * P * P, D, dtype=torch.float64, generator=g)
    cls, pos = torch.randn(D, dtype=torch.float64, generator=g), torch.randn(7, D, dtype=torch.float64, generator=g)
    conv = torch.nn.Conv2d(C, D, P, stride=P, bias=False).double()
    with torch.no_grad():
        conv.weight.copy_(W_E.T.reshape(D, C, P, P))
        tokens = conv(img).flatten(2).transpose(1, 2)
    Z = vit_embed(img, W_E, cls, pos)
    torch.testing.assert_close(Z[:, 1:], tokens + pos[1:], rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(Z[:, 0], (cls + pos[0]).expand(B, D), rtol=0, atol=0)
    assert vit_embed(img.float(), W_E.float(), cls.float(), pos.float()).dtype == torch.float32


# ---- se_block -------------------------------------------------------------------------------------------------

def test_se_block_matches_torch_pooling_and_linear_layers():
    g = torch.Generator().manual_seed(2)
    X = torch.randn(2, 8, 3, 5, dtype=torch.float64, generator=g)
    W1, W2 = torch.randn(8, 2, dtype=torch.float64, generator=g), torch.randn(2, 8, dtype=torch.float64, generator=g)
    z = F.adaptive_avg_pool2d(X, 1).flatten(1)
    s = torch.sigmoid(F.linear(F.relu(F.linear(z, W1.T)), W2.T))
    torch.testing.assert_close(se_block(X, W1, W2), X * s[:, :, None, None], rtol=1e-13, atol=1e-14)
    perm = torch.randperm(15, generator=g)
    moved = X.flatten(2)[:, :, perm].reshape(X.shape)
    torch.testing.assert_close(se_block(moved, W1, W2), se_block(X, W1, W2).flatten(2)[:, :, perm].reshape(X.shape))
    with pytest.raises(ValueError, match="W1.shape"):
        se_block(X, W1[:4], W2)
    with pytest.raises(ValueError, match="W2.shape"):
        se_block(X, W1, W2[:1])


# ---- gat_layer: PyG's GATConv on its edge list ----------------------------------------------------------------

def _pyg_gatconv(A, X, W, a, slope=0.2, self_loops=True):
    """GATConv(heads=1, bias=False) as PyG computes it: edge_index (source j, target i) from A[i, j],
    remove_self_loops + add_self_loops, α = softmax over the edges of each target (torch_geometric.utils.softmax)."""
    n, f_out = A.shape[0], W.shape[1]
    target, source = torch.nonzero(A, as_tuple=True)
    if self_loops:
        keep = target != source
        target, source = torch.cat([target[keep], torch.arange(n)]), torch.cat([source[keep], torch.arange(n)])
    h = X @ W
    e = F.leaky_relu((h * a[:f_out]).sum(-1)[target] + (h * a[f_out:]).sum(-1)[source], slope)
    e_max = torch.full((n,), -math.inf, dtype=e.dtype).scatter_reduce(0, target, e, "amax")
    w = torch.exp(e - e_max[target])
    alpha_e = w / torch.zeros(n, dtype=e.dtype).index_add(0, target, w)[target]
    out = torch.zeros(n, f_out, dtype=e.dtype).index_add(0, target, alpha_e[:, None] * h[source])
    alpha = torch.zeros(n, n, dtype=e.dtype).index_put((target, source), alpha_e, accumulate=True)
    return out, alpha


@pytest.mark.parametrize("seed, slope, self_loops", [(0, 0.2, True), (1, 0.1, True), (2, 0.2, False), (3, 0.0, True)])
def test_gat_layer_matches_pyg_edge_form(seed, slope, self_loops):
    g = torch.Generator().manual_seed(seed)
    n, f, f_out = 7, 4, 3
    A = torch.rand(n, n, generator=g) < 0.35
    A[0, 1], A[1, 0], A[2, 2] = True, False, True                      # directed, one existing self-loop
    if not self_loops:
        A[torch.arange(n), (torch.arange(n) + 1) % n] = True           # every node receives something
    X, W = torch.randn(n, f, dtype=torch.float64, generator=g), torch.randn(f, f_out, dtype=torch.float64, generator=g)
    a = torch.randn(2 * f_out, dtype=torch.float64, generator=g)
    out, alpha = gat_layer(A, X, W, a, negative_slope=slope, self_loops=self_loops)
    want_out, want_alpha = _pyg_gatconv(A, X, W, a, slope, self_loops)
    torch.testing.assert_close(alpha, want_alpha, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(out, want_out, rtol=1e-12, atol=1e-14)
    support = A | torch.eye(n, dtype=torch.bool) if self_loops else A
    assert torch.all(alpha[~support] == 0) and torch.allclose(alpha.sum(1), torch.ones(n, dtype=torch.float64))


def test_gat_layer_isolated_node_and_zero_a_and_validation():
    A = torch.tensor([[False, True, False], [False, False, False], [True, True, False]])
    X = torch.tensor([[1.0, 0.0], [3.0, 1.0], [5.0, 2.0]], dtype=torch.float64)
    W = torch.eye(2, dtype=torch.float64)
    out, alpha = gat_layer(A, X, W, torch.ones(4, dtype=torch.float64), self_loops=False)
    assert torch.all(out[1] == 0) and torch.all(alpha[1] == 0) and torch.isfinite(out).all()
    out, _ = gat_layer(A, X, W, torch.zeros(4, dtype=torch.float64))
    torch.testing.assert_close(out, torch.stack([X[[0, 1]].mean(0), X[1], X.mean(0)]))
    with pytest.raises(TypeError, match="boolean"):
        gat_layer(A.double(), X, W, torch.zeros(4, dtype=torch.float64))
    with pytest.raises(ValueError, match="2 f'"):
        gat_layer(A, X, W, torch.zeros(3, dtype=torch.float64))
    with pytest.raises(ValueError, match="negative_slope"):
        gat_layer(A, X, W, torch.zeros(4, dtype=torch.float64), negative_slope=-0.1)


# ---- derivations.py -----------------------------------------------------------------------------------------------

def test_softmax_jacobian_is_the_derivative_of_softmax():
    z = sp.symbols("z1:4", real=True)
    soft = sp.Matrix([sp.exp(zk) for zk in z]) / sum(sp.exp(zk) for zk in z)
    at = {z[0]: 0.3, z[1]: -1.2, z[2]: 0.8}
    J = np.array(soft.jacobian(z).subs(at).evalf(), dtype=float)          # J[l, k] = ∂a_l/∂z_k
    weights = np.array(soft.subs(at).evalf(), dtype=float).ravel()
    got = np.array(sym.softmax_jacobian().subs({sym.a1: weights[0], sym.a2: weights[1]}).evalf(), dtype=float)
    np.testing.assert_allclose(got, J.T, rtol=1e-12, atol=1e-14)
    assert not np.allclose(np.diag(weights), J)                            # the −aaᵀ term matters


def test_layer_norm_gradients_are_the_sympy_derivatives():
    x = sp.symbols("x1:6", real=True)
    mu = sum(x) / 5
    sd = sp.sqrt(sum((xk - mu) ** 2 for xk in x) / 5)                     # biased, ε = 0
    y = [(xk - mu) / sd for xk in x]
    at = dict(zip(x, [0.3, -1.1, 2.0, 0.7, -0.4]))
    values = {sym.n: 5, sym.sigma: float(sd.subs(at)), sym.y_i: float(y[1].subs(at)), sym.y_j: float(y[3].subs(at))}
    assert float(sym.layer_norm_grad_diag().subs(values)) == pytest.approx(float(sp.diff(y[1], x[1]).subs(at)),
                                                                           rel=1e-12)
    assert float(sym.layer_norm_grad_offdiag().subs(values)) == pytest.approx(float(sp.diff(y[1], x[3]).subs(at)),
                                                                              rel=1e-12)


def test_score_variance_and_scale_by_monte_carlo():
    g = np.random.default_rng(0)
    d, s_q, s_k, m = 16, 0.7, 1.9, 400_000
    scores = np.einsum("md,md->m", g.normal(scale=s_q, size=(m, d)), g.normal(scale=s_k, size=(m, d)))
    want = float(sym.score_variance().subs({sym.d: d, sym.s_q: s_q, sym.s_k: s_k}))
    # the sample variance of m draws has relative standard error ≈ √(2/m + excess kurtosis/m) < 0.5%
    assert scores.var() == pytest.approx(want, rel=0.02)
    unit = np.einsum("md,md->m", g.normal(size=(m, d)), g.normal(size=(m, d)))
    assert (float(sym.score_scale().subs(sym.d, d)) * unit).var() == pytest.approx(1.0, rel=0.02)

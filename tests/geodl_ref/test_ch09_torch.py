"""geodl_ref.ch09.norm and geodl_ref.ch09.attention against torch's own layers: F.batch_norm (with
its in-place running statistics), F.layer_norm, F.instance_norm, F.group_norm,
F.scaled_dot_product_attention and nn.MultiheadAttention, in float64; plus the book's ex 9.2 and
9.4 values and the validation errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from geodl_ref.ch09 import attention as att  # noqa: E402
from geodl_ref.ch09 import norm  # noqa: E402

f64 = torch.float64


def _randn(seed: int, *shape: int, scale: float = 1.0, shift: float = 0.0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g, dtype=f64) * scale + shift


def _close(got, want, rtol=1e-10, atol=1e-12):
    torch.testing.assert_close(got, want, rtol=rtol, atol=atol)


# ---- normalization ------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(4, 3, 5, 2), (6, 3), (3, 2, 7)])
@pytest.mark.parametrize("momentum", [0.1, 0.0, 1.0, 0.37])
def test_batch_norm_training_matches_torch_with_running_stats(shape, momentum):
    x = _randn(0, *shape, scale=2.0, shift=1.5)
    C = shape[1]
    gamma, beta = _randn(1, C), _randn(2, C)
    rm, rv = _randn(3, C), _randn(4, C).abs() + 0.5
    rm_t, rv_t = rm.clone(), rv.clone()  # F.batch_norm updates these in place
    want = F.batch_norm(x, rm_t, rv_t, gamma, beta, training=True, momentum=momentum, eps=1e-3)
    y, new_mean, new_var = norm.batch_norm(x, gamma, beta, 1e-3, rm, rv, momentum, True)
    _close(y, want)
    _close(new_mean, rm_t)
    _close(new_var, rv_t)
    assert torch.equal(rm, _randn(3, C)) and torch.equal(rv, _randn(4, C).abs() + 0.5)  # left as they were


def test_batch_norm_leaves_its_arguments_unchanged():
    x, rm, rv = _randn(5, 3, 2, 4), _randn(6, 2), _randn(7, 2).abs()
    copies = [t.clone() for t in (x, rm, rv)]
    norm.batch_norm(x, None, None, 1e-5, rm, rv)
    for before, after in zip(copies, (x, rm, rv)):
        assert torch.equal(before, after)


def test_batch_norm_eval_mode_uses_the_running_stats():
    x = _randn(8, 5, 3, 2, 2)
    gamma, beta, rm, rv = _randn(9, 3), _randn(10, 3), _randn(11, 3), _randn(12, 3).abs() + 0.1
    want = F.batch_norm(x, rm.clone(), rv.clone(), gamma, beta, training=False, eps=1e-5)
    y, m, v = norm.batch_norm(x, gamma, beta, running_mean=rm, running_var=rv, training=False)
    _close(y, want)
    assert torch.equal(m, rm) and torch.equal(v, rv)


def test_batch_norm_without_running_stats():
    x = _randn(13, 4, 3, 3, 3)
    y, m, v = norm.batch_norm(x, None, None)
    _close(y, F.batch_norm(x, None, None, training=True))
    assert m is None and v is None


def test_batch_norm_moments_and_the_unbiased_bug():
    x = _randn(14, 2, 3, 3, 3, scale=3.0, shift=-1.0)
    eps = 1e-5
    y, _, _ = norm.batch_norm(x, None, None, eps)
    axes = (0, 2, 3)
    var = x.var(dim=axes, correction=0)
    _close(y.mean(dim=axes), torch.zeros(3, dtype=f64), atol=1e-12)
    _close(y.var(dim=axes, correction=0), var / (var + eps))
    unbiased = (x - x.mean(dim=axes, keepdim=True)) / torch.sqrt(x.var(dim=axes, keepdim=True) + eps)
    assert (unbiased - y).abs().max() > 0.05  # proto: error 0.059 on 2×3×3×3


@pytest.mark.parametrize("normalized", [1, 2, 3])
@pytest.mark.parametrize("affine", [False, True])
def test_layer_norm_matches_torch(normalized, affine):
    x = _randn(15, 2, 3, 4, 5, scale=2.0, shift=0.5)
    shape = tuple(x.shape[-normalized:])
    w, b = (_randn(16, *shape), _randn(17, *shape)) if affine else (None, None)
    _close(norm.layer_norm(x, shape, w, b, 1e-4), F.layer_norm(x, shape, w, b, 1e-4))


def test_layer_norm_accepts_an_int_shape():
    x = _randn(18, 3, 7)
    _close(norm.layer_norm(x, 7), F.layer_norm(x, (7,)))


@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (3, 4, 6)])
@pytest.mark.parametrize("affine", [False, True])
def test_instance_norm_matches_torch(shape, affine):
    x = _randn(19, *shape, scale=1.5, shift=2.0)
    w, b = (_randn(20, shape[1]), _randn(21, shape[1])) if affine else (None, None)
    _close(norm.instance_norm(x, 1e-3, w, b), F.instance_norm(x, weight=w, bias=b, eps=1e-3))


@pytest.mark.parametrize("G", [1, 2, 3, 6])
@pytest.mark.parametrize("affine", [False, True])
def test_group_norm_matches_torch(G, affine):
    x = _randn(22, 2, 6, 3, 4, scale=2.0)
    w, b = (_randn(23, 6), _randn(24, 6)) if affine else (None, None)
    _close(norm.group_norm(x, G, w, b, 1e-5), F.group_norm(x, G, w, b, 1e-5))


def test_group_norm_special_cases_are_layer_and_instance_norm():
    x = _randn(25, 3, 4, 2, 5)
    _close(norm.group_norm(x, 1), F.layer_norm(x, x.shape[1:]))
    _close(norm.group_norm(x, 4), F.instance_norm(x))


def test_float32_keeps_its_dtype():
    x = _randn(26, 2, 3, 4, 4).float()
    w = torch.ones(3)
    y, m, v = norm.batch_norm(x, w, w, 1e-5, torch.zeros(3), torch.ones(3))
    assert {t.dtype for t in (y, m, v)} == {torch.float32}
    assert norm.layer_norm(x, (3, 4, 4)).dtype == torch.float32
    assert norm.instance_norm(x).dtype == torch.float32
    assert norm.group_norm(x, 3).dtype == torch.float32


def test_book_ex_9_2_layer_and_instance_norm():
    X = torch.tensor([[1.0, 2.0, 3.0], [5.0, 0.0, 1.0], [0.0, -3.0, -5.0], [-1.0, -2.0, 0.0]], dtype=f64)
    x = X.T.reshape(1, 3, 2, 2)  # HW×C → (N, C, H, W)
    ln = norm.layer_norm(x, (3, 2, 2), eps=0.0)[0].reshape(3, 4).T
    inn = norm.instance_norm(x, eps=0.0)[0].reshape(3, 4).T
    np.testing.assert_allclose(ln[0].numpy(), [0.357452, 0.747400, 1.137347], atol=1e-6)
    np.testing.assert_allclose(inn[0].numpy(), [-0.109764, 1.432078, 1.102646], atol=1e-6)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: norm.batch_norm(np.ones((2, 3)), None, None), TypeError, "x should be a tensor"),
    (lambda: norm.batch_norm(torch.ones(2, 3, dtype=torch.int64), None, None), TypeError, "floating-point"),
    (lambda: norm.batch_norm(torch.ones(3), None, None), ValueError, "at least 2 axes"),
    (lambda: norm.batch_norm(torch.ones(2, 3), torch.ones(4), None), ValueError, "gamma should have shape"),
    (lambda: norm.batch_norm(torch.ones(2, 3), torch.ones(3, dtype=f64), None), TypeError, "dtype and device"),
    (lambda: norm.batch_norm(torch.ones(2, 3), None, None, running_mean=torch.zeros(3)), ValueError, "both"),
    (lambda: norm.batch_norm(torch.ones(2, 3), None, None, training=False), ValueError, "running_mean"),
    (lambda: norm.batch_norm(torch.ones(1, 3), None, None), ValueError, "more than one value"),
    (lambda: norm.batch_norm(torch.ones(2, 3), None, None, momentum=1.5), ValueError, "momentum"),
    (lambda: norm.batch_norm(torch.ones(2, 3), None, None, eps=-1.0), ValueError, "eps"),
    (lambda: norm.layer_norm(torch.ones(2, 3), (2,)), ValueError, "trailing axes"),
    (lambda: norm.layer_norm(torch.ones(2, 3), (3,), torch.ones(2)), ValueError, "weight should have shape"),
    (lambda: norm.instance_norm(torch.ones(2, 3)), ValueError, "at least 3 axes"),
    (lambda: norm.group_norm(torch.ones(2, 6, 2), 4), ValueError, "G should divide"),
    (lambda: norm.group_norm(torch.ones(2, 6, 2), 0), ValueError, "G should be >= 1"),
])
def test_normalization_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---- attention ----------------------------------------------------------------------------------

def _qkv(seed: int, batch: tuple[int, ...], L: int, S: int, d: int, dv: int):
    return _randn(seed, *batch, L, d), _randn(seed + 1, *batch, S, d), _randn(seed + 2, *batch, S, dv)


@pytest.mark.parametrize("batch", [(), (3,), (2, 3)])
def test_attention_matches_sdpa(batch):
    Q, K, V = _qkv(30, batch, 4, 6, 5, 7)
    out, A = att.attention(Q, K, V)
    _close(out, F.scaled_dot_product_attention(Q, K, V))
    _close(A, F.scaled_dot_product_attention(Q, K, torch.eye(6, dtype=f64).expand(*batch, 6, 6)))
    _close(A.sum(dim=-1), torch.ones(*batch, 4, dtype=f64))


def test_attention_with_a_bool_mask_matches_sdpa_and_zeroes_the_masked_weights():
    Q, K, V = _qkv(33, (2,), 5, 6, 3, 4)
    mask = torch.rand(2, 5, 6, generator=torch.Generator().manual_seed(1)) < 0.5
    mask[..., 0] = True  # every query sees a key
    out, A = att.attention(Q, K, V, mask=mask)
    _close(out, F.scaled_dot_product_attention(Q, K, V, attn_mask=mask))
    assert torch.all(A[~mask] == 0)
    inverted, _ = att.attention(Q, K, V, mask=~mask | (torch.arange(6) == 0))
    assert (inverted - out).abs().max() > 1e-3


def test_attention_with_a_float_mask_adds_it():
    Q, K, V = _qkv(36, (2,), 4, 5, 3, 2)
    bias = _randn(39, 4, 5)
    out, _ = att.attention(Q, K, V, mask=bias, scale=0.7)
    _close(out, F.scaled_dot_product_attention(Q, K, V, attn_mask=bias, scale=0.7))


@pytest.mark.parametrize(("L", "S"), [(5, 5), (3, 6), (6, 4)])
def test_causal_attention_matches_sdpa(L, S):
    Q, K, V = _qkv(40, (2,), L, S, 3, 4)
    out, A = att.attention(Q, K, V, causal=True)
    _close(out, F.scaled_dot_product_attention(Q, K, V, is_causal=True))
    assert torch.all(A.triu(diagonal=1) == 0)


def test_causal_output_ignores_the_future_bit_for_bit():
    Q, K, V = _qkv(43, (), 6, 6, 3, 4)
    out, _ = att.attention(Q, K, V, causal=True)
    K2, V2 = K.clone(), V.clone()
    K2[4:] += 5.0
    V2[4:] -= 3.0
    out2, _ = att.attention(Q, K2, V2, causal=True)
    assert torch.equal(out[:4], out2[:4]) and not torch.equal(out[4:], out2[4:])


def test_float32_attention_with_huge_logits_has_no_nan():
    Q = torch.tensor([[100.0, 0.0], [0.0, 100.0]])
    K = torch.tensor([[100.0, 0.0], [0.0, -100.0], [1.0, 1.0]])
    out, A = att.attention(Q, K, torch.eye(3), scale=1.0)  # logits up to 1e4
    assert out.dtype == torch.float32 and torch.isfinite(out).all() and torch.isfinite(A).all()
    _close(A, F.scaled_dot_product_attention(Q, K, torch.eye(3), scale=1.0), rtol=1e-6, atol=1e-7)


def test_book_ex_9_4():
    X = torch.tensor([[3.0, -1.0, 3.0], [-2.0, 0.0, 2.0], [-1.0, -2.0, 1.0], [0.0, 0.0, 0.0]], dtype=f64)
    W_Q = torch.tensor([[-2.0, -1.0], [2.0, 1.0], [2.0, -2.0]], dtype=f64)
    W_K = torch.tensor([[0.0, -1.0], [0.0, 0.0], [-2.0, -1.0]], dtype=f64)
    out, A = att.attention(X @ W_Q, X @ W_K, X, scale=1.0)
    rows = [[1, 0, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0.25] * 4]
    np.testing.assert_allclose(A.numpy(), rows, atol=1e-6)
    _close(out, A @ X)
    out, A = att.attention(X @ W_Q, X @ W_K, X, scale=1.0, causal=True)
    np.testing.assert_allclose(A[1, :2].numpy(), [0.017986, 0.982014], atol=1e-6)


def test_self_attention_matches_sdpa_and_is_permutation_equivariant():
    X, W_Q, W_K, W_V = _randn(50, 6, 4), _randn(51, 4, 3), _randn(52, 4, 3), _randn(53, 4, 5)
    out, A = att.self_attention(X, W_Q, W_K, W_V)
    _close(out, F.scaled_dot_product_attention(X @ W_Q, X @ W_K, X @ W_V))
    perm = torch.tensor([3, 0, 5, 1, 4, 2])
    out_p, A_p = att.self_attention(X[perm], W_Q, W_K, W_V)
    _close(out_p, out[perm])
    _close(A_p, A[perm][:, perm])


@pytest.mark.parametrize(("C", "h"), [(6, 1), (6, 2), (6, 3), (8, 4)])
def test_multi_head_matches_nn_multihead_attention(C, h):
    X = _randn(60, 5, C)
    W_Q, W_K, W_V, W_O = (_randn(61 + k, C, C) for k in range(4))
    mha = torch.nn.MultiheadAttention(C, h, bias=False, dtype=f64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([W_Q.T, W_K.T, W_V.T]))
        mha.out_proj.weight.copy_(W_O.T)
        want, _ = mha(X, X, X, need_weights=False)
    _close(att.multi_head(X, W_Q, W_K, W_V, W_O, h), want)


def test_multi_head_with_rectangular_projections_is_heads_of_attention():
    X, W_Q, W_K, W_V, W_O = _randn(70, 5, 3), _randn(71, 3, 4), _randn(72, 3, 4), _randn(73, 3, 6), _randn(74, 6, 7)
    heads = [F.scaled_dot_product_attention(X @ W_Q[:, 2 * k:2 * k + 2], X @ W_K[:, 2 * k:2 * k + 2],
                                            X @ W_V[:, 3 * k:3 * k + 3]) for k in range(2)]
    _close(att.multi_head(X, W_Q, W_K, W_V, W_O, 2), torch.cat(heads, dim=1) @ W_O)


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: att.attention(np.ones((2, 3)), torch.ones(2, 3), torch.ones(2, 3)), TypeError, "Q should be a tensor"),
    (lambda: att.attention(torch.ones(3), torch.ones(2, 3), torch.ones(2, 3)), ValueError, "at least 2 axes"),
    (lambda: att.attention(torch.ones(2, 3), torch.ones(2, 4), torch.ones(2, 3)), ValueError, "K.shape"),
    (lambda: att.attention(torch.ones(2, 3), torch.ones(2, 3), torch.ones(4, 3)), ValueError, "V.shape"),
    (lambda: att.attention(torch.ones(2, 3), torch.ones(2, 3, dtype=f64), torch.ones(2, 3)), TypeError, "dtype"),
    (lambda: att.attention(torch.ones(2, 2, 3), torch.ones(3, 2, 3), torch.ones(3, 2, 3)), ValueError, "broadcast"),
    (lambda: att.attention(torch.ones(2, 3), torch.ones(2, 3), torch.ones(2, 3), mask=torch.ones(3, 3)),
     ValueError, "mask.shape"),
    (lambda: att.attention(torch.ones(2, 3), torch.ones(2, 3), torch.ones(2, 3), mask=torch.ones(2, 2, dtype=int)),
     TypeError, "mask should be"),
    (lambda: att.attention(torch.ones(2, 3), torch.ones(2, 3), torch.ones(2, 3), scale=0.0), ValueError, "scale"),
    (lambda: att.self_attention(torch.ones(2, 3), torch.ones(4, 2), torch.ones(3, 2), torch.ones(3, 2)),
     ValueError, "W_Q.shape"),
    (lambda: att.multi_head(torch.ones(2, 4), *(torch.ones(4, 4),) * 4, 3), ValueError, "h should divide"),
    (lambda: att.multi_head(torch.ones(2, 4), *(torch.ones(4, 4),) * 3, torch.ones(3, 4), 2),
     ValueError, "W_O.shape"),
])
def test_attention_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_scale_default_is_inverse_sqrt_d():
    Q, K, V = _qkv(80, (), 3, 4, 9, 2)
    _close(att.attention(Q, K, V)[0], att.attention(Q, K, V, scale=1 / math.sqrt(9))[0])
